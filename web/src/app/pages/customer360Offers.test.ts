import { describe, expect, it } from 'vitest';
import offers from '../messages/offers';
import { limitText, statusBadge } from './customer360Offers';

const t = (key: string) => (offers.es as Record<string, string>)[key] ?? key;

describe('offers section', () => {
  it('words a limit as the server sends it, never computing one', () => {
    expect(limitText({ max_percent: '5.00', max_amount: null }, t)).toBe('5.00 %');
    expect(limitText({ max_percent: null, max_amount: null }, t)).toBe('sin límite');
    expect(limitText({ max_percent: '20.00', max_amount: { amount: '500000.00', currency: 'COP' } }, t)).toBe('20.00 %, 500000.00 COP');
  });
  it('colours each state', () => {
    expect(statusBadge('pending_approval')).toBe('badge warn');
    expect(statusBadge('fulfilled')).toBe('badge ok');
    expect(statusBadge('expired')).toBe('badge danger');
    expect(statusBadge('withdrawn')).toBe('badge');
  });
  it('has every key in both languages', () => {
    expect(Object.keys(offers.en).sort()).toEqual(Object.keys(offers.es).sort());
  });
});
