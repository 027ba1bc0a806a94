import { describe, expect, it } from 'vitest';
import { measureSms, nonGsmCharacters } from './sms_segments';

describe('measureSms', () => {
  it('counts an empty text as no SMS', () => {
    expect(measureSms('')).toMatchObject({ encoding: 'GSM-7', units: 0, segments: 0, left: 160 });
  });
  it('fits 160 GSM-7 characters in one SMS and splits longer ones in parts of 153', () => {
    expect(measureSms('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1, left: 0 });
    expect(measureSms('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, left: 145 });
    expect(measureSms('a'.repeat(306))).toMatchObject({ segments: 2, left: 0 });
    expect(measureSms('a'.repeat(307))).toMatchObject({ segments: 3 });
  });
  it('counts the extension table as two septets and ñ, é, ¿ as one', () => {
    expect(measureSms('€')).toMatchObject({ encoding: 'GSM-7', units: 2 });
    expect(measureSms('{}[]')).toMatchObject({ units: 8 });
    expect(measureSms('¿Señor José?')).toMatchObject({ encoding: 'GSM-7', units: 12 });
    expect(measureSms('a\nb')).toMatchObject({ encoding: 'GSM-7', units: 3 });
  });
  it('makes the whole text UCS-2 for one character outside GSM-7: 70 per SMS, parts of 67', () => {
    expect(measureSms('Atención')).toMatchObject({ encoding: 'UCS-2', units: 8, segments: 1, left: 62 });
    expect(measureSms('ó' + 'a'.repeat(69))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(measureSms('ó' + 'a'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 71, segments: 2, perSegment: 67 });
    expect(measureSms('`')).toMatchObject({ encoding: 'UCS-2' });
  });
  it('counts an emoji as two UTF-16 units', () => {
    expect(measureSms('ok 👍')).toMatchObject({ encoding: 'UCS-2', units: 5 });
  });
});

describe('nonGsmCharacters', () => {
  it('lists the characters that force UCS-2 once each', () => {
    expect(nonGsmCharacters('Está en mora, según la última factura. Está')).toEqual(['á', 'ú']);
    expect(nonGsmCharacters('plain text')).toEqual([]);
  });
});
