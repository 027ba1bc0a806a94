// The dashboard against a stubbed API: today's deferred and blocked actions
// with their reasons in words, delivery health, and a paused channel with
// the way to Settings for an admin only.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { stubbedFetch } from '../../test/stub';

const fetchMock = stubbedFetch();

import { I18nProvider, type Lang } from '../../shared/i18n';
import { catalogues } from '../catalogue';
import { SessionProvider } from '../session';
import { Dashboard } from './Dashboard';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const statuses = { queued: 40, sending: 1, sent: 12, delivered: 3, failed: 2, bounced: 1, blocked: 0, unknown: 1, expired: 2 };

function summary(paused: boolean) {
  return {
    customers: 300,
    invoices: 1200,
    open_balances: 180,
    aging: { as_of: 'customer_today', totals: [] },
    top_debtors: [],
    plan: {
      business_date: '2026-11-20',
      items: [{ channel: 'email', action: 'message', status: 'queued', count: 40 }],
      deferred: [
        { reason: 'frequency_cap', count: 24 },
        { reason: 'some_new_reason', count: 2 },
      ],
      blocked: [],
    },
    delivery: {
      statuses,
      paused_channels: paused
        ? [{ channel: 'email', since: '2026-11-20T14:59:00Z', reason: 'server_refusals', refusals_in_row: 3, last_reply: '550 5.7.1 Relaying denied' }]
        : [],
    },
    computed_at: '2026-11-20T15:00:00Z',
  };
}

function stubApi(role: string, paused: boolean) {
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', name: 'ana@x.test', role, tenant_id: 1, must_change_password: false });
    if (url.pathname === '/api/v1/summary') return json(200, summary(paused));
    if (url.pathname === '/api/v1/outbox') return json(200, { object: 'list', has_more: false, data: [] });
    return json(404, { code: 1200, detail: 'not found', status: 404, title: 'Not found', type: 'x' });
  });
}

function renderDashboard(lang: Lang) {
  localStorage.setItem('cartera.lang', lang);
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <Dashboard />
      </SessionProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
  localStorage.clear();
});

describe('Dashboard', () => {
  it("shows what today's run deferred and blocked and why, in words", async () => {
    stubApi('viewer', false);
    renderDashboard('es');
    const deferred = await screen.findByTestId('plan-deferred');
    expect(within(deferred).getByRole('heading').textContent).toBe('Aplazados hoy y por qué');
    const rows = within(deferred).getAllByRole('row').slice(1).map((row) => row.textContent);
    // A reason this build has no words for is shown as its code.
    expect(rows).toEqual(['Límite de contactos alcanzado24', 'some_new_reason2']);
    expect(within(screen.getByTestId('plan-blocked')).getByText('Nada bloqueado hoy.')).toBeTruthy();
    expect(screen.getByTestId('paused-none').textContent).toBe('Ningún canal en pausa.');
    expect(screen.queryByTestId('paused-alert')).toBeNull();
  });

  it("shows today's delivery by status in English", async () => {
    stubApi('viewer', false);
    renderDashboard('en');
    await screen.findByTestId('delivery-health');
    expect(screen.getByTestId('delivery-sent').textContent).toBe('15');
    expect(screen.getByTestId('delivery-failed').textContent).toBe('3');
    expect(screen.getByTestId('delivery-unknown').textContent).toBe('1');
    expect(screen.getByTestId('delivery-queued').textContent).toBe('41');
    expect(screen.getByText('3 delivered')).toBeTruthy();
    expect(screen.getByTestId('delivery-others').textContent).toBe('Also: Expired 2');
    expect(screen.getByRole('heading', { name: 'Deferred today and why' })).toBeTruthy();
  });

  it('warns of a paused channel and sends an admin to Settings', async () => {
    stubApi('admin', true);
    renderDashboard('es');
    const paused = await screen.findByTestId('paused-channels');
    expect(paused.textContent).toContain('En pausa');
    expect(paused.textContent).toContain('Correo');
    expect(paused.textContent).toContain('El servidor rechazó 3 mensajes seguidos');
    expect(paused.textContent).toContain('550 5.7.1 Relaying denied');
    expect(screen.getByTestId('paused-alert').textContent).toContain('Canal en pausa: Correo.');
    expect((await screen.findByTestId('paused-settings')).getAttribute('href')).toBe('/settings');
  });

  it('tells a viewer who resumes a paused channel, with no link', async () => {
    stubApi('viewer', true);
    renderDashboard('en');
    await screen.findByTestId('paused-channels');
    expect(screen.getByText('An administrator reviews and resumes it in Settings.')).toBeTruthy();
    expect(screen.queryByTestId('paused-settings')).toBeNull();
  });
});
