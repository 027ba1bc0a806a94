// The settings screen's logic: each channel's fields (as the API's Channel
// and ChannelChange schemas name them), the PUT body built from a form
// (secrets only when typed: left out, the stored one is kept), and the
// company fields a PATCH changes.

export type ChannelName = 'email' | 'twilio' | 'whatsapp';

export interface ChannelField {
  name: string;
  type?: 'number';
  required?: boolean;
  choices?: string[];
}

export const CHANNEL_FIELDS: Record<ChannelName, { fields: ChannelField[]; secrets: string[] }> = {
  email: {
    fields: [
      { name: 'host', required: true },
      { name: 'port', type: 'number' },
      { name: 'security', choices: ['none', 'starttls', 'tls'] },
      { name: 'user' },
      { name: 'from_address', required: true },
      { name: 'from_name' },
      { name: 'reply_to' },
      { name: 'timeout_seconds', type: 'number' },
      { name: 'max_per_minute', type: 'number' },
    ],
    secrets: ['password'],
  },
  twilio: {
    fields: [
      { name: 'account_sid', required: true },
      { name: 'sms_from', required: true },
      { name: 'whatsapp_from' },
      { name: 'base_url' },
      { name: 'timeout_seconds', type: 'number' },
      { name: 'max_per_minute', type: 'number' },
    ],
    secrets: ['auth_token'],
  },
  whatsapp: {
    fields: [
      { name: 'phone_number_id', required: true },
      { name: 'api_version' },
      { name: 'base_url' },
      { name: 'template_prefix' },
      { name: 'timeout_seconds', type: 'number' },
      { name: 'max_per_minute', type: 'number' },
    ],
    secrets: ['access_token', 'app_secret', 'verify_token'],
  },
};

// The PUT body from the form's texts: plain fields typed (numbers as
// numbers; a number that does not parse is sent as typed so the server names
// the problem), empty ones left to the server's default; a secret only when
// a new one was typed.
export function channelPayload(channel: ChannelName, values: Record<string, string>): Record<string, string | number> {
  const spec = CHANNEL_FIELDS[channel];
  const body: Record<string, string | number> = {};
  for (const field of spec.fields) {
    const text = (values[field.name] ?? '').trim();
    if (text === '') continue;
    body[field.name] = field.type === 'number' && /^\d+$/.test(text) ? Number(text) : text;
  }
  for (const secret of spec.secrets) {
    const text = values[secret] ?? '';
    if (text !== '') body[secret] = text;
  }
  return body;
}

// The fields whose text changed, for a PATCH (an empty text clears a field).
export function changedFields<T extends object>(before: T, after: T, fields: (keyof T)[]): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const field of fields) {
    const a = before[field] ?? '';
    const b = after[field] ?? '';
    if (String(a) !== String(b)) out[field] = String(b);
  }
  return out;
}
