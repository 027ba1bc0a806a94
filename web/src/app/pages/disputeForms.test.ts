import { describe, expect, test } from 'vitest';
import { creditAmountFrom, resolutionText, type DisputeResolution } from './disputeForms';
import disputes from '../messages/disputes';

const t = (key: string, vars: Record<string, string | number> = {}) =>
  Object.entries(vars).reduce((text, [name, value]) => text.replace(`{${name}}`, String(value)), (disputes.en as Record<string, string>)[key] ?? key);

describe('dispute forms', () => {
  test('a credit amount as a person types it becomes the decimal the API takes', () => {
    expect(creditAmountFrom('1.250,50', 'es')).toBe('1250.50');
    expect(creditAmountFrom('1.250.000', 'es')).toBe('1250000');
    expect(creditAmountFrom('34652857.47', 'es')).toBe('34652857.47');
    expect(creditAmountFrom('$1,250.50 ', 'en')).toBe('1250.50');
  });

  test('every message is in both languages', () => {
    expect(Object.keys(disputes.en).sort()).toEqual(Object.keys(disputes.es).sort());
  });

  test('what a resolution did, in words', () => {
    const base = { id: 7, outcome: 'accepted', credit_note_id: 31, credit: { amount: '1250.50', currency: 'USD' } };
    expect(resolutionText(t, 'en', { dispute: base, notice: null, notice_refusal: null } as unknown as DisputeResolution)).toBe(
      'Dispute 7 accepted: credit note 31 for $1,250.50.',
    );
    const rejected = { ...base, outcome: 'rejected', credit: null, credit_note_id: null };
    expect(resolutionText(t, 'en', { dispute: rejected, notice: { id: 3, channel: 'email' }, notice_refusal: null } as unknown as DisputeResolution)).toBe(
      'Dispute 7 rejected; the customer will be told by email.',
    );
    expect(resolutionText(t, 'en', { dispute: rejected, notice: null, notice_refusal: 'no channel' } as unknown as DisputeResolution)).toBe(
      'Dispute 7 rejected; the customer could not be told: no channel.'.replace(/\.$/, ''),
    );
  });
});
