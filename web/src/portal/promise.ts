// The promise form's rules, kept pure for tests: read the amount a person
// types in their own locale ("150.000,50" in Spanish, "150,000.50" in
// English) into the API's decimal string, and check the date and amount
// against the promise limits the server sends. Amounts are compared as
// BigInt minor units, never as floats. The server checks again: its 422
// field errors are shown beside the same fields.
import type { Lang } from '../shared/i18n';
import { formatDate, formatMoney, type Money } from '../shared/format';

export interface PromiseLimits {
  currency: string;
  earliest_date: string;
  latest_date: string | null;
  min_amount: Money;
  max_amount: Money;
}

const decimalsOf = (amount: string) => (amount.split('.')[1] ?? '').length;

// A typed amount → "1250000.50", or null when it is not an amount. At most
// `maxDecimals` fraction digits (the currency's minor unit).
export function parseAmount(text: string, lang: Lang, maxDecimals = 2): string | null {
  const cleaned = text.replace(/[\s\u00a0\u202f$]/g, '').replace(/^[A-Za-z]{3}|[A-Za-z]{3}$/g, '');
  if (!/^[0-9.,]+$/.test(cleaned)) return null;
  const decimalMark = lang === 'es' ? ',' : '.';
  const groupMark = lang === 'es' ? '.' : ',';
  let whole = cleaned;
  let fraction = '';
  if (cleaned.includes(decimalMark)) {
    const parts = cleaned.split(decimalMark);
    if (parts.length !== 2) return null;
    [whole, fraction] = parts;
  } else if (cleaned.includes(groupMark)) {
    // "150.000" in Spanish is thousands; "150.5" reads as a decimal.
    const groups = cleaned.split(groupMark);
    if (!/^\d{1,3}$/.test(groups[0]) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) {
      if (groups.length !== 2) return null;
      [whole, fraction] = groups;
    }
  }
  if (whole.includes(groupMark)) {
    const groups = whole.split(groupMark);
    if (!/^\d{1,3}$/.test(groups[0]) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) return null;
    whole = groups.join('');
  }
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction) || fraction.length > maxDecimals) return null;
  whole = whole.replace(/^0+(?=\d)/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

// -1, 0, 1 for two non-negative decimal strings.
export function compareAmounts(a: string, b: string): number {
  const decimals = Math.max(decimalsOf(a), decimalsOf(b));
  const minor = (amount: string) => {
    const [whole, fraction = ''] = amount.split('.');
    return BigInt(whole + fraction.padEnd(decimals, '0'));
  };
  const x = minor(a);
  const y = minor(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export interface PromiseCheck {
  errors: Record<string, string>; // field ("date", "amount") → message
  amount: string | null; // the API's decimal string when valid
}

export function checkPromise(values: { date: string; amount: string }, limits: PromiseLimits, lang: Lang, t: Translate): PromiseCheck {
  const errors: Record<string, string> = {};
  if (!values.date) errors.date = t('form.required');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) errors.date = t('form.badDate');
  else if (values.date < limits.earliest_date) errors.date = t('form.dateTooEarly', { date: formatDate(limits.earliest_date, lang) });
  else if (limits.latest_date && values.date > limits.latest_date) {
    errors.date = t('form.dateTooLate', { date: formatDate(limits.latest_date, lang) });
  }
  let amount: string | null = null;
  if (!values.amount.trim()) errors.amount = t('form.required');
  else {
    amount = parseAmount(values.amount, lang, Math.max(decimalsOf(limits.max_amount.amount), 0));
    if (amount === null) errors.amount = t('form.badAmount');
    else if (compareAmounts(amount, limits.min_amount.amount) < 0) {
      errors.amount = t('form.amountTooLow', { amount: formatMoney(limits.min_amount, lang) });
    } else if (compareAmounts(amount, limits.max_amount.amount) > 0) {
      errors.amount = t('form.amountTooHigh', { amount: formatMoney(limits.max_amount, lang) });
    }
  }
  return { errors, amount: Object.keys(errors).length ? null : amount };
}

// The amount as a person would type it in their language, for the
// "whole balance" shortcut: "1250000.50" → "1.250.000,50" (es).
export function amountForInput(amount: string, lang: Lang): string {
  const [whole, fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'es' ? '.' : ',');
  const keep = fraction && !/^0+$/.test(fraction) ? fraction : '';
  return keep ? `${grouped}${lang === 'es' ? ',' : '.'}${keep}` : grouped;
}
