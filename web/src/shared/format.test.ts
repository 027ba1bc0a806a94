import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, subtractMoney } from './format';

// Intl separates a currency symbol with a no-break space; compare on plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('writes Colombian pesos the way each locale reads them', () => {
    expect(plain(formatMoney({ amount: '1250000.00', currency: 'COP' }, 'es'))).toBe('$ 1.250.000');
    expect(formatMoney({ amount: '1250000.00', currency: 'COP' }, 'en')).toBe('$1,250,000.00');
  });
  it('keeps cents when there are cents, exactly (no float rounding)', () => {
    expect(plain(formatMoney({ amount: '1250000.55', currency: 'COP' }, 'es'))).toBe('$ 1.250.000,55');
    expect(formatMoney({ amount: '90071992547409.93', currency: 'USD' }, 'en')).toBe('$90,071,992,547,409.93');
  });
  it('shows a dash for no amount', () => {
    expect(formatMoney(null, 'es')).toBe('—');
  });
});

describe('subtractMoney', () => {
  it('is exact in minor units and refuses mixed currencies', () => {
    expect(subtractMoney({ amount: '0.30', currency: 'USD' }, { amount: '0.10', currency: 'USD' })).toEqual({ amount: '0.20', currency: 'USD' });
    expect(subtractMoney({ amount: '5.00', currency: 'COP' }, { amount: '7.50', currency: 'COP' })).toEqual({ amount: '-2.50', currency: 'COP' });
    expect(() => subtractMoney({ amount: '1.00', currency: 'USD' }, { amount: '1.00', currency: 'COP' })).toThrow();
  });
});

describe('formatDate', () => {
  it('never moves a calendar date to the day before', () => {
    expect(formatDate('2026-01-01', 'en')).toBe('Jan 1, 2026');
    expect(formatDate('2026-01-01', 'es')).toMatch(/^1 (de )?ene/);
  });
});
