// The customer list's URL state and cursor stack, and the promise form's
// checks (customersList.ts).
import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  byField,
  groupRows,
  listQueryString,
  nextPage,
  normalizeAmount,
  parseListQuery,
  previousPage,
  todayIn,
  validatePromise,
  withFilters,
} from './customersList';
import messages from '../messages/customers';

describe('customer list URL state', () => {
  it('reads filters, sort and cursors from the query and writes them back', () => {
    const state = parseListQuery('?segment=high_risk&country=co&dpd=30&currency=cop&min=1000000&owing=1&sort=balance&after=CLI-000050&after=CLI-000100');
    expect(state.filters).toEqual({
      segment: 'high_risk', country: 'CO', minDays: 30, currency: 'COP', minAmount: '1000000', collector: undefined, withBalance: true, sort: 'balance',
    });
    expect(state.cursors).toEqual(['CLI-000050', 'CLI-000100']);
    expect(parseListQuery(listQueryString(state))).toEqual(state);
  });

  it('drops values the API would refuse', () => {
    const state = parseListQuery('segment=vip&dpd=-3&min=12&sort=random');
    expect(state.filters.segment).toBeUndefined();
    expect(state.filters.minDays).toBeUndefined();
    expect(state.filters.minAmount).toBeUndefined(); // no currency
    expect(state.filters.sort).toBe('external_id');
    expect(listQueryString(state)).toBe('');
  });

  it('keeps a stack of cursors: next pushes, previous pops, a filter resets', () => {
    let state = parseListQuery('');
    expect(apiQuery(state).starting_after).toBeUndefined();
    state = nextPage(state, 'A-50');
    state = nextPage(state, 'A-100');
    expect(state.cursors).toEqual(['A-50', 'A-100']);
    expect(apiQuery(state)).toMatchObject({ starting_after: 'A-100', limit: 50 });
    state = previousPage(state);
    expect(apiQuery(state).starting_after).toBe('A-50');
    expect(nextPage(state, undefined)).toBe(state);
    const filtered = withFilters({ ...state.filters, segment: 'new' });
    expect(filtered.cursors).toEqual([]);
    expect(previousPage(previousPage(state)).cursors).toEqual([]);
  });

  it('survives ids with reserved characters', () => {
    const state = nextPage(parseListQuery(''), 'A&B=C +1');
    expect(parseListQuery(listQueryString(state)).cursors).toEqual(['A&B=C +1']);
  });

  it('groups a customer’s currency rows together', () => {
    const groups = groupRows([{ external_id: 'a' }, { external_id: 'a' }, { external_id: 'b' }]);
    expect(groups.map((g) => g.length)).toEqual([2, 1]);
  });
});

describe('promise form checks', () => {
  it('needs a date and a positive amount with at most two decimals', () => {
    expect(validatePromise({ date: '', amount: '' })).toEqual({ date: 'customers.error.required', amount: 'customers.error.required' });
    expect(validatePromise({ date: '2026-13-45', amount: '12.345' })).toEqual({ date: 'customers.error.date', amount: 'customers.error.amount' });
    expect(validatePromise({ date: '2026-12-01', amount: '0.00' }, '2026-12-03')).toEqual({ date: 'customers.error.past', amount: 'customers.error.positive' });
    expect(validatePromise({ date: '2026-12-10', amount: '1250000.50' }, '2026-12-03')).toEqual({});
  });

  it('reads amounts as people type them in each language', () => {
    expect(normalizeAmount('$ 1.250.000', 'es')).toBe('1250000');
    expect(normalizeAmount('1.250.000,50', 'es')).toBe('1250000.50');
    expect(normalizeAmount('1250000.5', 'es')).toBe('1250000.5');
    expect(normalizeAmount('1,250,000.50', 'en')).toBe('1250000.50');
  });

  it('maps the API’s field pointers to the form’s fields', () => {
    expect(byField({ '/date': 'bad date', '/amount': 'bad amount', '': 'x' })).toEqual({ date: 'bad date', amount: 'bad amount', _: 'x' });
  });

  it('knows today in the customer’s zone', () => {
    const late = new Date('2026-12-04T03:00:00Z'); // still the 3rd in Bogotá
    expect(todayIn('America/Bogota', late)).toBe('2026-12-03');
    expect(todayIn('Europe/Madrid', late)).toBe('2026-12-04');
  });
});

describe('customers messages', () => {
  it('has every key in Spanish and English', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.es).sort());
  });
});

describe('the search in the URL', () => {
  it('keeps the text across a reload and sends it as q, starting at the first page', () => {
    const state = parseListQuery('?q=Andina&sort=name&after=CLI-000050');
    expect(state.filters.search).toBe('Andina');
    expect(apiQuery(state).q).toBe('Andina');
    expect(listQueryString(state)).toBe('?q=Andina&sort=name&after=CLI-000050');
    const searched = withFilters({ ...state.filters, search: 'Ferretería' });
    expect(searched.cursors).toEqual([]);
    expect(parseListQuery(listQueryString(searched)).filters.search).toBe('Ferretería');
  });
});
