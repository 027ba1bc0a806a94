// The customer list's state, kept in the URL query so a link or a reload
// shows the same page: the filters, the sort and the stack of cursors
// (`after`, repeated: one per page already passed; the API pages with
// `starting_after` = the last external id of the previous page).
// Also the promise form's checks, shared by the 360 page and its tests.

export const PAGE_SIZE = 50;

export const SEGMENTS = ['habitual', 'occasional', 'high_risk', 'new'] as const;
export const SORTS = ['external_id', 'name', 'balance', 'days_past_due'] as const;
export type Segment = (typeof SEGMENTS)[number];
export type Sort = (typeof SORTS)[number];

export interface ListFilters {
  search?: string; // name (substring), external id or tax id (prefix)
  segment?: Segment;
  country?: string;
  minDays?: number;
  currency?: string;
  minAmount?: string;
  collector?: string; // a user's id, "me" or "none"
  withBalance: boolean;
  sort: Sort;
}

export interface ListState {
  filters: ListFilters;
  cursors: string[]; // [] on the first page
}

const isSegment = (value: string | null): value is Segment => SEGMENTS.includes(value as Segment);
const isSort = (value: string | null): value is Sort => SORTS.includes(value as Sort);

export function parseListQuery(search: string): ListState {
  const query = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const text = (name: string) => {
    const value = query.get(name)?.trim();
    return value ? value : undefined;
  };
  const segment = query.get('segment');
  const sort = query.get('sort');
  const minDays = Number(query.get('dpd'));
  const minAmount = text('min');
  const currency = text('currency')?.toUpperCase();
  return {
    filters: {
      search: text('q')?.slice(0, 100),
      segment: isSegment(segment) ? segment : undefined,
      country: text('country')?.toUpperCase(),
      minDays: Number.isInteger(minDays) && minDays > 0 ? minDays : undefined,
      currency,
      // The API needs the currency with a minimum amount.
      minAmount: currency && minAmount && isDecimal(minAmount) ? minAmount : undefined,
      collector: text('collector'),
      withBalance: query.get('owing') === '1',
      sort: isSort(sort) ? sort : 'external_id',
    },
    cursors: query.getAll('after').filter(Boolean),
  };
}

export function listQueryString(state: ListState): string {
  const query = new URLSearchParams();
  const f = state.filters;
  if (f.search) query.set('q', f.search);
  if (f.segment) query.set('segment', f.segment);
  if (f.country) query.set('country', f.country);
  if (f.minDays) query.set('dpd', String(f.minDays));
  if (f.currency) query.set('currency', f.currency);
  if (f.minAmount && f.currency) query.set('min', f.minAmount);
  if (f.collector) query.set('collector', f.collector);
  if (f.withBalance) query.set('owing', '1');
  if (f.sort !== 'external_id') query.set('sort', f.sort);
  for (const cursor of state.cursors) query.append('after', cursor);
  const text = query.toString();
  return text ? `?${text}` : '';
}

// The API's query for the page the state names.
export function apiQuery(state: ListState) {
  const f = state.filters;
  return {
    limit: PAGE_SIZE,
    q: f.search,
    sort: f.sort,
    segment: f.segment,
    country: f.country,
    min_days_past_due: f.minDays,
    currency: f.currency,
    min_amount: f.currency ? f.minAmount : undefined,
    collector: f.collector,
    status: f.withBalance ? ('with_balance' as const) : undefined,
    starting_after: state.cursors.at(-1),
  };
}

// The cursor stack: Next pushes the last id of the page shown, Previous pops.
export function nextPage(state: ListState, lastId: string | undefined): ListState {
  return lastId ? { ...state, cursors: [...state.cursors, lastId] } : state;
}
export function previousPage(state: ListState): ListState {
  return { ...state, cursors: state.cursors.slice(0, -1) };
}
// A new filter or sort starts again at the first page.
export function withFilters(filters: ListFilters): ListState {
  return { filters, cursors: [] };
}

// The API answers one row per customer and currency; the table shows one
// line per customer with its currencies stacked.
export function groupRows<R extends { external_id: string }>(rows: R[]): R[][] {
  const groups: R[][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last[0].external_id === row.external_id) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

// An amount as a person types it in their language ("1.250.000,50" in
// Spanish, "1,250,000.50" in English) as the API's decimal string.
export function normalizeAmount(text: string, lang: 'es' | 'en'): string {
  let value = text.replace(/[\s$]/g, '');
  if (lang === 'es') {
    if (value.includes(',')) value = value.replace(/\./g, '').replace(',', '.');
    else if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replace(/\./g, '');
  } else {
    value = value.replace(/,/g, '');
  }
  return value;
}

// Today (YYYY-MM-DD) in a time zone, e.g. the customer's.
export function todayIn(timeZone: string | undefined, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function isDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text.trim());
}

// The promise form's own checks before it asks the server (which checks
// again: the date against the customer's today, the strategy's limits).
// Values are message keys, by field ("date", "amount").
export function validatePromise(form: { date: string; amount: string }, today?: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.date) errors.date = 'customers.error.required';
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || Number.isNaN(Date.parse(form.date))) errors.date = 'customers.error.date';
  else if (today && form.date < today) errors.date = 'customers.error.past';
  const amount = form.amount.trim();
  if (!amount) errors.amount = 'customers.error.required';
  else if (!/^\d+(\.\d{1,2})?$/.test(amount)) errors.amount = 'customers.error.amount';
  else if (/^0+(\.0+)?$/.test(amount)) errors.amount = 'customers.error.positive';
  return errors;
}

// Field errors of a problem (JSON pointer "/date" or "date") by plain name.
export function byField(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [where, message] of Object.entries(errors)) out[where.replace(/^\//, '').split('/')[0] || '_'] = message;
  return out;
}
