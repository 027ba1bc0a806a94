// The worklist screen against a stubbed API: a collector records a promise
// (the form sends the date and the amount read in their locale), moves to
// the next call, and sees the API's refusal; a viewer gets no outcome buttons.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { stubbedFetch } from '../../test/stub';

const fetchMock = stubbedFetch();

import { I18nProvider } from '../../shared/i18n';
import { catalogues } from '../catalogue';
import { SessionProvider } from '../session';
import { Worklist } from './Worklist';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

const task = (id: number, name: string, external: string) => ({
  task_id: id,
  customer_external_id: external,
  customer_name: name,
  segment: 'high_risk',
  stage: 'overdue_30',
  open: { amount: '2500000.00', currency: 'COP' },
  expected_impact: { amount: '1750000.00', currency: 'COP' },
  days_past_due: 41,
  phone: '+573001112233',
  history: 'chronic_late',
  assignee: '',
});

function stubApi(role: string, outcome: (body: Record<string, unknown>, id: string) => Response) {
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', name: 'ana@x.test', role, tenant_id: 1, must_change_password: false });
    if (url.pathname === '/api/v1/worklist') {
      return json(200, { object: 'list', has_more: false, data: [task(30, 'Textiles Uno', 'CLI-1'), task(71, 'Ferretería Dos', 'CLI-2')] });
    }
    const preview = /^\/api\/v1\/templates\/(\w+)\/preview$/.exec(url.pathname);
    if (preview) {
      const body = await request.json();
      return json(200, { stage: preview[1], channel: body.channel, language: 'es', tone: 'cordial', as_of: '2026-12-03', subject: null, body: `Guion para ${body.customer}`, format: 'text', sms: null, source: 'default' });
    }
    const done = /^\/api\/v1\/tasks\/(\d+)\/outcome$/.exec(url.pathname);
    if (done) {
      const body = await request.json();
      sent.push({ url: url.pathname, body });
      return outcome(body, done[1]);
    }
    return json(404, { code: 1002, detail: 'not found', status: 404, title: 'Not found', type: 'x' });
  });
  return sent;
}

function renderWorklist() {
  localStorage.setItem('cartera.lang', 'es');
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <Worklist />
      </SessionProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
  localStorage.clear();
});

describe('Worklist', () => {
  it('records a promise with its date and amount, then moves to the next call', async () => {
    const sent = stubApi('collector', () => json(200, { id: '30', status: 'done' }));
    renderWorklist();
    expect(await screen.findByRole('heading', { name: 'Textiles Uno' })).toBeTruthy();
    expect(await screen.findByText('Guion para CLI-1')).toBeTruthy();
    expect(screen.getByTestId('call-phone').getAttribute('href')).toBe('tel:+573001112233');

    fireEvent.click(screen.getByTestId('outcome-promise'));
    const amount = screen.getByLabelText(/Valor prometido/);
    fireEvent.change(amount, { target: { value: 'mucho' } });
    await act(async () => fireEvent.submit(screen.getByTestId('promise-form')));
    expect(screen.getByText(/Escriba un valor mayor que cero/)).toBeTruthy();
    expect(sent).toHaveLength(0);

    fireEvent.change(screen.getByLabelText(/Fecha prometida/), { target: { value: '2026-12-15' } });
    fireEvent.change(amount, { target: { value: '1.200.000,50' } });
    await act(async () => fireEvent.submit(screen.getByTestId('promise-form')));
    expect(sent).toEqual([{ url: '/api/v1/tasks/30/outcome', body: { outcome: 'promise', promise_date: '2026-12-15', promise_amount: '1200000.50' } }]);
    expect(await screen.findByTestId('recorded')).toBeTruthy();
    expect(screen.getByTestId('worklist-count').textContent).toContain('1 llamada pendiente');

    fireEvent.click(screen.getByTestId('next-call'));
    expect(await screen.findByRole('heading', { name: 'Ferretería Dos' })).toBeTruthy();
    expect(await screen.findByText('Guion para CLI-2')).toBeTruthy();
  });

  it("shows the API's refusal when the customer belongs to another collector", async () => {
    stubApi('collector', () => json(403, { code: 1003, status: 403, title: 'Prohibido', detail: 'el cliente está asignado a otro gestor', type: 'x' }));
    renderWorklist();
    await screen.findByRole('heading', { name: 'Textiles Uno' });
    await act(async () => fireEvent.click(screen.getByTestId('outcome-no_answer')));
    expect((await screen.findByRole('alert')).textContent).toContain('el cliente está asignado a otro gestor');
    expect(screen.queryByTestId('recorded')).toBeNull();
  });

  it('shows a viewer the calls but no outcome buttons', async () => {
    stubApi('viewer', () => json(500, {}));
    renderWorklist();
    await screen.findByRole('heading', { name: 'Textiles Uno' });
    expect(screen.queryByTestId('outcome-promise')).toBeNull();
    expect(screen.queryByTestId('only-mine')).toBeNull();
    expect(screen.getByText(/Su rol es de consulta/)).toBeTruthy();
  });
});
