import { describe, expect, it } from 'vitest';
import { addDays, formatBytes, importLineErrors, nextOpenIndex, outboxSearch, parseAmountInput, readOutboxFilters } from './workLogic';

describe('nextOpenIndex', () => {
  const ids = [30, 71, 122, 5];
  it('moves to the next call not done', () => {
    expect(nextOpenIndex(ids, 0, new Set())).toBe(1);
    expect(nextOpenIndex(ids, 0, new Set([71]))).toBe(2);
  });
  it('comes back to a skipped call above once the end is reached', () => {
    expect(nextOpenIndex(ids, 3, new Set([122]))).toBe(0);
    expect(nextOpenIndex(ids, 3, new Set([30, 122]))).toBe(1);
  });
  it('stays on the current call when it is the only one open', () => {
    expect(nextOpenIndex(ids, 2, new Set([30, 71, 5]))).toBe(2);
  });
  it('is -1 when every call is done or the list is empty', () => {
    expect(nextOpenIndex(ids, 1, new Set(ids))).toBe(-1);
    expect(nextOpenIndex([], 0, new Set())).toBe(-1);
  });
  it('starts from the top with no current call', () => {
    expect(nextOpenIndex(ids, -1, new Set([30]))).toBe(1);
  });
});

describe('parseAmountInput', () => {
  it('reads Spanish amounts (point for thousands, comma for decimals)', () => {
    expect(parseAmountInput('1.250.000', 'es')).toBe('1250000');
    expect(parseAmountInput('$ 1.250.000,50', 'es')).toBe('1250000.50');
    expect(parseAmountInput('500000', 'es')).toBe('500000');
    expect(parseAmountInput('150.5', 'es')).toBe('150.5');
    expect(parseAmountInput('12,5', 'es')).toBe('12.5');
    expect(parseAmountInput('007', 'es')).toBe('7');
  });
  it('reads English amounts (comma for thousands, point for decimals)', () => {
    expect(parseAmountInput('$1,250,000.50', 'en')).toBe('1250000.50');
    expect(parseAmountInput('USD 99.9', 'en')).toBe('99.9');
  });
  it('refuses what is not a positive amount', () => {
    expect(parseAmountInput('', 'es')).toBeNull();
    expect(parseAmountInput('abc', 'en')).toBeNull();
    expect(parseAmountInput('-5', 'en')).toBeNull();
    expect(parseAmountInput('0', 'es')).toBeNull();
    expect(parseAmountInput('0,00', 'es')).toBeNull();
    expect(parseAmountInput('1,2,3', 'es')).toBeNull();
    expect(parseAmountInput('1.25.000', 'es')).toBeNull();
    expect(parseAmountInput('12,5', 'en')).toBeNull();
    expect(parseAmountInput('1,250', 'en')).toBe('1250');
  });
});

describe('importLineErrors', () => {
  it('splits the server\'s "line N: field" into line, field and message, sorted by line', () => {
    const problem = {
      code: 1009,
      detail: '3 errores en 2 filas: no se importó nada',
      errors: [
        { code: 1009, field: 'line 3: name', detail: 'es obligatorio' },
        { code: 1009, field: 'line 2: tax_id', detail: 'es obligatorio' },
        { code: 1009, field: 'line 3', detail: 'línea duplicada' },
        { code: 1009, field: 'file', detail: "falta la columna 'currency'" },
      ],
    };
    expect(importLineErrors(problem)).toEqual([
      { line: null, field: '', message: "falta la columna 'currency'" },
      { line: 2, field: 'tax_id', message: 'es obligatorio' },
      { line: 3, field: 'name', message: 'es obligatorio' },
      { line: 3, field: '', message: 'línea duplicada' },
    ]);
  });
  it('is null for any other problem', () => {
    expect(importLineErrors({ code: 1000, errors: [] })).toBeNull();
    expect(importLineErrors(undefined)).toBeNull();
  });
});

describe('helpers', () => {
  it('adds calendar days', () => {
    expect(addDays(new Date(2026, 11, 30), 7)).toBe('2027-01-06');
  });
  it('formats file sizes in the reader\'s locale', () => {
    expect(formatBytes(512, 'en')).toBe('512 bytes');
    expect(formatBytes(152, 'es')).toBe('152 bytes');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(formatBytes(3.5 * 1024 * 1024, 'es')).toBe('3,5 MB');
  });
  it('keeps the outbox filters in the URL and back', () => {
    const filters = readOutboxFilters('?status=unknown&customer=CLI-1');
    expect(filters).toEqual({ status: 'unknown', channel: '', customer: 'CLI-1', from: '', to: '' });
    expect(outboxSearch(filters)).toBe('?status=unknown&customer=CLI-1');
    expect(outboxSearch({ status: '', channel: '', customer: '  ', from: '', to: '' })).toBe('');
    const days = readOutboxFilters('?from=2026-11-01&to=2026-11-30&channel=sms');
    expect(days).toMatchObject({ from: '2026-11-01', to: '2026-11-30', channel: 'sms' });
    expect(outboxSearch(days)).toBe('?channel=sms&from=2026-11-01&to=2026-11-30');
    // Not a date: ignored rather than sent to the API.
    expect(readOutboxFilters('?from=yesterday').from).toBe('');
  });
});
