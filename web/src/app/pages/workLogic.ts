// Logic behind the worklist, outbox and import screens, kept apart from the
// components so Vitest covers it: which call comes next, how a typed amount
// becomes the decimal string the API takes, and an import's line errors.
import type { Lang } from '../../shared/i18n';
import { LOCALES } from '../../shared/format';

// The call after `current` that is not done yet: first the ones below it,
// then any skipped above it. -1 when every call is done.
export function nextOpenIndex(ids: readonly number[], current: number, done: ReadonlySet<number>): number {
  const n = ids.length;
  for (let step = 1; step <= n; step++) {
    const i = (current + step) % n;
    if (i === current) break;
    if (!done.has(ids[i])) return i;
  }
  return current >= 0 && current < n && !done.has(ids[current]) ? current : -1;
}

// A promised amount as typed by a person in their locale ("1.250.000,50"
// in Spanish, "1,250,000.50" in English, with or without "$") → the API's
// decimal string ("1250000.50"), or null when it is not a positive amount.
// Group separators count only in groups of three ("1.250.000"); a lone
// Spanish point before other than three digits is a decimal ("150.5").
export function parseAmountInput(input: string, lang: Lang): string | null {
  const text = input.replace(/[\s$\u00a0\u202f]/g, '').replace(/^[A-Za-z]{3}/, '');
  const [decimal, group] = lang === 'es' ? [',', '.'] : ['.', ','];
  const g = group === '.' ? '\\.' : ',';
  const grouped = new RegExp(`^\\d{1,3}(${g}\\d{3})+$`);
  let whole = text;
  let fraction = '';
  const at = text.lastIndexOf(decimal);
  if (at >= 0) {
    whole = text.slice(0, at);
    fraction = text.slice(at + 1);
    if (!/^\d+$/.test(fraction)) return null;
  } else if (lang === 'es' && /^\d+\.\d+$/.test(text) && !grouped.test(text)) {
    [whole, fraction] = text.split('.');
  }
  if (grouped.test(whole)) whole = whole.split(group).join('');
  if (!/^\d+$/.test(whole)) return null;
  whole = whole.replace(/^0+(?=\d)/, '');
  const amount = fraction ? `${whole}.${fraction}` : whole;
  if (/^0(\.0+)?$/.test(amount)) return null;
  return amount;
}

// A calendar date `days` after `from` (YYYY-MM-DD), in the reader's own day.
export function addDays(from: Date, days: number): string {
  const day = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

export interface LineError {
  line: number | null; // null: the file as a whole (no header, a missing column)
  field: string; // '' when the whole line is refused
  message: string;
}

// The import's refusal (problem code 1009) as lines a person can fix. The
// server names each error "line N: field", "line N" or "file"; the list is
// sorted by line, the whole-file ones first.
export function importLineErrors(problem: unknown): LineError[] | null {
  const p = problem as { code?: number; errors?: { field?: string; detail?: string }[] } | null | undefined;
  if (!p || p.code !== 1009) return null;
  const out: LineError[] = (p.errors ?? []).map((error) => {
    const where = error.field ?? '';
    const message = error.detail ?? '';
    const match = /^line (\d+)(?::\s*(.*))?$/.exec(where);
    if (match) return { line: Number(match[1]), field: match[2] ?? '', message };
    return { line: null, field: where === 'file' ? '' : where, message };
  });
  return out
    .map((error, index) => ({ error, index }))
    .sort((a, b) => (a.error.line ?? -1) - (b.error.line ?? -1) || a.index - b.index)
    .map((x) => x.error);
}

// A file's size for people: "850 B", "12,5 kB", "3.4 MB".
export function formatBytes(bytes: number, lang: Lang): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'gigabyte'],
    [1024 * 1024, 'megabyte'],
    [1024, 'kilobyte'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      return new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
    }
  }
  return new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
}

// The outbox filters kept in the URL (?status=unknown&channel=sms&customer=X
// &from=2026-11-01&to=2026-11-30: business dates, both included).
export interface OutboxFilters {
  status: string;
  channel: string;
  customer: string;
  from: string;
  to: string;
}

const isoDate = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');

export function readOutboxFilters(search: string): OutboxFilters {
  const params = new URLSearchParams(search);
  return {
    status: params.get('status') ?? '',
    channel: params.get('channel') ?? '',
    customer: params.get('customer') ?? '',
    from: isoDate(params.get('from')),
    to: isoDate(params.get('to')),
  };
}

export function outboxSearch(filters: OutboxFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.customer.trim()) params.set('customer', filters.customer.trim());
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}
