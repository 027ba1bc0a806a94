import { describe, expect, it } from 'vitest';
import { changedFields, channelPayload, CHANNEL_FIELDS } from './settings_model';

describe('channelPayload', () => {
  it('sends typed plain fields, numbers as numbers, and leaves empty ones out', () => {
    expect(channelPayload('email', { host: ' smtp.x.test ', port: '587', security: 'starttls', user: '', from_address: 'a@x.test', password: '' })).toEqual({
      host: 'smtp.x.test',
      port: 587,
      security: 'starttls',
      from_address: 'a@x.test',
    });
  });
  it('sends a secret only when a new one was typed', () => {
    expect(channelPayload('twilio', { account_sid: 'AC1', sms_from: '+1555', auth_token: 's3cret' })).toEqual({ account_sid: 'AC1', sms_from: '+1555', auth_token: 's3cret' });
    expect('access_token' in channelPayload('whatsapp', { phone_number_id: '1', access_token: '' })).toBe(false);
  });
  it('sends a number that does not parse as typed, for the server to name', () => {
    expect(channelPayload('email', { host: 'h', from_address: 'a@x.test', port: 'abc' }).port).toBe('abc');
  });
  it('knows each channel secrets', () => {
    expect(CHANNEL_FIELDS.whatsapp.secrets).toEqual(['access_token', 'app_secret', 'verify_token']);
  });
});

describe('changedFields', () => {
  it('lists only what changed, an emptied field as empty text', () => {
    const before = { name: 'A', city: 'Cali', phone: '1' };
    expect(changedFields(before, { name: 'A', city: '', phone: '2' }, ['name', 'city', 'phone'])).toEqual({ city: '', phone: '2' });
    expect(changedFields(before, { ...before }, ['name', 'city'])).toEqual({});
  });
});
