// Money, numbers and dates in the reader's locale. Amounts arrive as
// decimal strings ({"amount": "1250000.00", "currency": "COP"}) and are
// formatted from the string (Intl takes exact decimals), never via a float
// sum: totals come from the server.
import type { Lang } from './i18n';

export interface Money {
  amount: string;
  currency: string;
}

export const LOCALES: Record<Lang, string> = { es: 'es-CO', en: 'en-US' };

// The minor digits are the ones the server sends (ISO 4217: "1250000.00"
// for COP). In Spanish (Colombian practice) whole amounts drop the ",00";
// English keeps them: es-CO `$ 1.250.000`, en-US `$1,250,000.00`.
export function formatMoney(money: Money | null | undefined, lang: Lang): string {
  if (!money) return '—';
  const decimals = (money.amount.split('.')[1] ?? '').length;
  const whole = /^-?\d+(\.0+)?$/.test(money.amount);
  const digits = lang === 'es' && whole ? 0 : decimals;
  const options: Intl.NumberFormatOptions = {
    style: 'currency',
    currency: money.currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  };
  // Intl.NumberFormat formats a decimal string exactly (ES2023).
  return new Intl.NumberFormat(LOCALES[lang], options).format(money.amount as unknown as number);
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}

export function formatPercent(fraction: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

// A calendar date (YYYY-MM-DD) is a day, not an instant: formatted in UTC so
// no time zone moves it to the day before.
export function formatDate(isoDate: string | null | undefined, lang: Lang): string {
  if (!isoDate) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(day);
}

// A timestamp (UTC with Z) in the reader's own zone.
export function formatTimestamp(timestamp: string | null | undefined, lang: Lang, timeZone?: string): string {
  if (!timestamp) return '—';
  const instant = new Date(timestamp);
  if (Number.isNaN(instant.getTime())) return timestamp;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}

// Ratio of two decimal strings for charts and percentages only (display,
// never money arithmetic).
export function ratio(part: string, whole: string): number {
  const w = Number(whole);
  return w === 0 ? 0 : Number(part) / w;
}

// Exact difference of two decimal amounts of one currency (BigInt minor
// units), for figures the screen derives, like overdue = total − current.
export function subtractMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`currency mismatch ${a.currency}/${b.currency}`);
  const decimals = Math.max((a.amount.split('.')[1] ?? '').length, (b.amount.split('.')[1] ?? '').length);
  const toMinor = (amount: string) => {
    const negative = amount.startsWith('-');
    const [whole, fraction = ''] = amount.replace('-', '').split('.');
    const minor = BigInt(whole + fraction.padEnd(decimals, '0'));
    return negative ? -minor : minor;
  };
  const minor = toMinor(a.amount) - toMinor(b.amount);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const text = decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return { amount: negative ? `-${text}` : text, currency: a.currency };
}
