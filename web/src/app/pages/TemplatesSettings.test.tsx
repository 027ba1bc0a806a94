// The templates and settings screens against a stubbed API: a manager's
// override with an unknown variable is refused beside the text, the SMS
// counter follows the typing, and the PUT carries If-Match; a viewer reads
// the company profile only; an admin sees secrets as set/not set and a new
// API key's secret once.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { stubbedFetch } from '../../test/stub';
import type { ReactNode } from 'react';

const fetchMock = stubbedFetch();

import { I18nProvider } from '../../shared/i18n';
import { catalogues } from '../catalogue';
import { SessionProvider } from '../session';
import { Templates } from './Templates';
import { Settings } from './Settings';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
}
type Handler = (method: string, path: string, body: Record<string, unknown> | undefined, request: Request) => Response | undefined;
function stub(role: string, handler: Handler) {
  const calls: { method: string; path: string; body?: Record<string, unknown>; ifMatch: string | null }[] = [];
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    const body = request.method === 'GET' ? undefined : ((await request.clone().json().catch(() => undefined)) as Record<string, unknown> | undefined);
    calls.push({ method: request.method, path: url.pathname, body, ifMatch: request.headers.get('If-Match') });
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', name: 'ana@x.test', role, tenant_id: 1, must_change_password: false });
    return handler(request.method, url.pathname, body, request) ?? json(404, { title: 'not found' });
  });
  return calls;
}
function show(children: ReactNode) {
  localStorage.setItem('cartera.lang', 'en');
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>{children}</SessionProvider>
    </I18nProvider>,
  );
}
afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

const smsTemplate = { stage: 'overdue_7', channel: 'sms', language: 'en', tone: 'cordial', subject: null, body: '{{company_name}}: pay {{total_due}}', source: 'default', updated_at: null, updated_by: null };

describe('Templates', () => {
  it('refuses an unknown variable beside the text and counts SMS segments while typing', async () => {
    const calls = stub('manager', (method, path) => {
      if (path === '/api/v1/templates') return json(200, { object: 'list', has_more: false, data: [{ key: 'overdue_7', variants: [{ channel: 'sms', language: 'en', tone: 'cordial', source: 'default' }] }] });
      if (path === '/api/v1/templates/overdue_7' && method === 'GET') return json(200, { key: 'overdue_7', templates: [smsTemplate] }, { ETag: '"t1"' });
      if (path === '/api/v1/templates/overdue_7' && method === 'PUT') {
        return json(422, { status: 422, detail: "unknown variable 'nombre'", errors: [{ field: '/body', detail: "unknown variable 'nombre' at line 1" }] });
      }
      if (path === '/api/v1/customers') return json(200, { object: 'list', has_more: false, data: [{ external_id: 'CLI-1', name: 'Uno' }] });
      return undefined;
    });
    show(<Templates />);
    fireEvent.click(await screen.findByTestId('template-edit'));
    fireEvent.change(screen.getByTestId('template-body-input'), { target: { value: 'Hola {{nombre}} ' + 'a'.repeat(150) } });
    expect(screen.getByTestId('sms-counter').textContent).toContain('GSM-7: 170 units → 2 SMS') // braces are extension characters: two septets each;
    fireEvent.change(screen.getByTestId('template-body-input'), { target: { value: 'Atención {{nombre}}' } });
    expect(screen.getByTestId('sms-counter').textContent).toContain('UCS-2');
    await act(async () => fireEvent.click(screen.getByTestId('template-save')));
    expect((await screen.findByTestId('template-body-error')).textContent).toContain("unknown variable 'nombre'");
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.ifMatch).toBe('"t1"');
    expect(put.body).toEqual({ channel: 'sms', language: 'en', tone: 'cordial', body: 'Atención {{nombre}}' });
  });

  it('gives a viewer the preview but no edit button', async () => {
    stub('viewer', (_method, path) => {
      if (path === '/api/v1/templates') return json(200, { object: 'list', has_more: false, data: [{ key: 'overdue_7', variants: [{ channel: 'sms', language: 'en', tone: 'cordial', source: 'default' }] }] });
      if (path === '/api/v1/templates/overdue_7') return json(200, { key: 'overdue_7', templates: [smsTemplate] }, { ETag: '"t1"' });
      if (path === '/api/v1/customers') return json(200, { object: 'list', has_more: false, data: [{ external_id: 'CLI-1', name: 'Uno' }] });
      if (path === '/api/v1/templates/overdue_7/preview') {
        return json(200, { stage: 'overdue_7', channel: 'sms', language: 'es', tone: 'cordial', as_of: '2026-12-03', subject: null, body: 'Mi empresa: pague $ 10', format: 'text', sms: { encoding: 'GSM-7', units: 22, segments: 1 }, source: 'default' });
      }
      return undefined;
    });
    show(<Templates />);
    expect(await screen.findByTestId('template-body')).toBeTruthy();
    expect(screen.queryByTestId('template-edit')).toBeNull();
    await screen.findByDisplayValue('CLI-1');
    await act(async () => fireEvent.click(screen.getByTestId('preview-run')));
    expect((await screen.findByTestId('template-preview')).textContent).toContain('Mi empresa: pague $ 10');
    expect(screen.getByTestId('preview-sms-counter').textContent).toContain('GSM-7: 22 units → 1 SMS');
  });
});

const company = { name: 'Mi empresa', country: 'CO', tax_id: '900', address: 'Cra 1', city: 'Cali', phone: '', email: '', payment_instructions: '', collector_name: '', default_paper: 'letter', daily_run_time: '08:00' };

describe('Settings', () => {
  it('shows a viewer the company profile read-only and nothing else', async () => {
    const calls = stub('viewer', (_m, path) => (path === '/api/v1/company' ? json(200, company, { ETag: '"c1"' }) : undefined));
    show(<Settings />);
    expect((await screen.findByTestId('settings-company')).textContent).toContain('Cali');
    expect(screen.queryByTestId('company-edit')).toBeNull();
    expect(screen.queryByTestId('settings-channels')).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/users' || c.path === '/api/v1/channels')).toBe(false);
  });

  it('shows an admin the secrets as set or not, and a new API key once', async () => {
    stub('admin', (method, path) => {
      if (path === '/api/v1/company') return json(200, company, { ETag: '"c1"' });
      if (path === '/api/v1/channels') {
        return json(200, { object: 'list', has_more: false, data: [
          { channel: 'email', configured: true, pause: null, secrets: { password: { set: true } }, settings: { host: 'smtp.x.test', port: 587, security: 'starttls', user: 'u', from_address: 'a@x.test', from_name: '', reply_to: '', timeout_seconds: 30, max_per_minute: 0 } },
          { channel: 'twilio', configured: false, pause: { paused: true, refusals_in_row: 5, last_reply: '401', last_refusal_at: '', paused_at: '2026-12-03T10:00:00Z', description: 'bad token' }, secrets: { auth_token: { set: false } }, settings: null },
        ] });
      }
      if (path === '/api/v1/users' || path === '/api/v1/webhook-endpoints') return json(200, { object: 'list', has_more: false, data: [] });
      if (path === '/api/v1/api-keys' && method === 'GET') return json(200, { object: 'list', has_more: false, data: [] });
      if (path === '/api/v1/api-keys' && method === 'POST') return json(201, { id: 7, name: 'erp', role: 'viewer', prefix: 'ck_ab', created_by: 'ana', created_at: '2026-12-03T10:00:00Z', last_used_at: null, revoked: false, secret: 'ck_ab_SECRET' });
      return undefined;
    });
    show(<Settings />);
    expect((await screen.findByTestId('secret-email-password')).textContent).toBe('set');
    expect(screen.getByTestId('secret-twilio-auth_token').textContent).toBe('not set');
    expect(screen.getByTestId('resume-twilio')).toBeTruthy();
    fireEvent.change(screen.getByTestId('api-key-form').querySelector('input')!, { target: { value: 'erp' } });
    await act(async () => fireEvent.submit(screen.getByTestId('api-key-form')));
    expect((await screen.findByTestId('once-secret')).textContent).toContain('ck_ab_SECRET');
    fireEvent.click(screen.getByText('I copied it'));
    expect(screen.queryByText('ck_ab_SECRET')).toBeNull();
  });
});
