// The portal's "Pagar en cuotas": the options, the schedule the server
// previews, the terms box required before sending, the exact body posted,
// the two outcomes (active, awaiting approval), the current plan, and the
// catalogue's completeness.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { stubbedFetch } from '../test/stub';

const fetchMock = stubbedFetch();

import { PortalLangProvider } from './lang';
import { PlanBuilder } from './PlanBuilder';
import { planMessages } from './planMessages';

const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
const money = (amount: string) => ({ amount, currency: 'COP' });

const options = {
  object: 'plan_options',
  available: true,
  reason: null,
  currency: 'COP',
  balance: money('1000000.00'),
  segment: 'habitual',
  today: '2026-12-03',
  limits: {
    max_installments: 6,
    max_installments_at_min_down: 6,
    min_down_payment_percent: 10,
    min_down_payment: money('100000.00'),
    min_installment: money('50000.00'),
    max_duration_days: 180,
    earliest_first_date: '2026-12-03',
    latest_first_date: '2027-01-02',
    last_date_max: '2027-06-01',
  },
  frequencies: ['weekly', 'fortnightly', 'monthly'],
  current_plan: null,
  awaiting_approval: false,
};

function plan(status: string, installments: number) {
  const each = (900000 / installments).toFixed(2);
  return {
    object: 'payment_plan',
    id: status === 'preview' ? 0 : 41,
    customer: { id: 1, external_id: 'C1', name: 'Cliente' },
    status: status === 'preview' ? 'proposed' : status,
    currency: 'COP',
    frequency: 'monthly',
    installment_count: installments,
    proposed_on: '2026-12-03',
    first_date: '2026-12-03',
    balance: money('1000000.00'),
    down_payment: money('100000.00'),
    interest: money('0.00'),
    financed: money('900000.00'),
    total: money('1000000.00'),
    paid: money('0.00'),
    annual_interest_rate: null,
    missed_to_break: 2,
    missed_count: 0,
    source: 'portal',
    created_by: 'portal',
    created_at: '2026-12-03T15:00:00Z',
    accepted_on: null,
    ended_on: null,
    cancel_reason: null,
    invoices: [],
    installments: Array.from({ length: installments }, (_, i) => ({
      number: i + 1,
      due_date: `2027-0${i + 1}-03`,
      amount: money(each),
      interest: money('0.00'),
      paid: money('0.00'),
      status: 'pending',
    })),
    acceptance: null,
  };
}

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

// Answers by route; `within` decides the preview's and the submission's outcome.
function serve({ within = true, current = null as unknown } = {}) {
  const posted: { path: string; body: unknown }[] = [];
  fetchMock.mockImplementation(async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith('/plan-options')) return json(200, current ? { ...options, available: false, current_plan: current, reason: 'ya tiene un plan' } : options);
    const body = await request.json();
    posted.push({ path, body });
    const installments = (body as { installments: number }).installments;
    const violations = within ? [] : [{ code: 'installments_above_max', field: 'installments', message: 'como mucho 6 cuotas (pidió 8)' }];
    if (path.endsWith('/plans/preview')) return json(200, { object: 'portal_plan', result: 'preview', within_limits: within, violations, plan: plan('preview', installments) });
    if (path.endsWith('/plans')) return json(201, { object: 'portal_plan', result: within ? 'active' : 'awaiting_approval', within_limits: within, violations, plan: plan(within ? 'active' : 'proposed', installments) });
    return json(404, { status: 404, title: 'not found' });
  });
  return posted;
}

function renderBuilder() {
  render(
    <PortalLangProvider initial="es">
      <PlanBuilder token="tok.en" company="Mi empresa" onDone={() => {}} />
    </PortalLangProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
  localStorage.clear();
});

describe('PlanBuilder', () => {
  it('previews the schedule on the server and sends the exact choices once the terms are accepted', async () => {
    const posted = serve();
    renderBuilder();
    await screen.findByTestId('plan-form');
    expect(plain(screen.getByTestId('plan-balance').textContent)).toBe('$ 1.000.000');
    // Starts within the limits: the minimum down payment, the earliest date.
    expect((screen.getByLabelText(/Cuota inicial/) as HTMLInputElement).value).toBe('100.000');
    fireEvent.change(screen.getByLabelText('Número de cuotas'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getAllByTestId('plan-installment')).toHaveLength(3));
    expect(screen.getByTestId('plan-preview').dataset.within).toBe('true');
    expect(screen.getByText(planMessages.es['plan.within'])).toBeTruthy();
    const link = screen.getByTestId('plan-terms-link') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toContain('/api/v1/portal/tok.en/plan-terms.pdf?');
    expect(link.getAttribute('href')).toContain('installments=3');
    expect(link.getAttribute('href')).toContain('down_payment=100000');

    // The box first.
    const before = posted.length;
    await act(async () => fireEvent.click(screen.getByTestId('plan-submit')));
    expect(screen.getByText('Debe aceptar los términos para continuar.')).toBeTruthy();
    expect(posted.filter((p) => p.path.endsWith('/plans'))).toHaveLength(0);
    expect(posted.length).toBe(before);

    fireEvent.click(screen.getByTestId('plan-terms'));
    await act(async () => fireEvent.click(screen.getByTestId('plan-submit')));
    const sent = posted.find((p) => p.path === '/api/v1/portal/tok.en/plans');
    expect(sent?.body).toEqual({ installments: 3, frequency: 'monthly', first_date: '2026-12-03', currency: 'COP', down_payment: '100000', terms_accepted: true });
    expect((await screen.findByTestId('plan-done')).textContent).toContain('Su plan de pagos quedó activo');
  });

  it('tells the debtor a plan outside the limits waits for the company', async () => {
    serve({ within: false });
    renderBuilder();
    await screen.findByTestId('plan-form');
    fireEvent.change(screen.getByLabelText('Número de cuotas'), { target: { value: '8' } });
    const outside = await screen.findByTestId('plan-outside');
    expect(outside.textContent).toContain('como mucho 6 cuotas (pidió 8)');
    fireEvent.click(screen.getByTestId('plan-terms'));
    await act(async () => fireEvent.click(screen.getByTestId('plan-submit')));
    expect((await screen.findByTestId('plan-awaiting')).textContent).toContain('Mi empresa lo revisará');
  });

  it('shows the current plan instead of the builder', async () => {
    serve({ current: plan('active', 2) });
    renderBuilder();
    const current = await screen.findByTestId('plan-current');
    expect(current.dataset.status).toBe('active');
    expect(current.textContent).toContain('Tiene un plan de pagos activo');
    expect(current.textContent).toContain('2 cuotas mensuales');
    expect(screen.queryByTestId('plan-form')).toBeNull();
  });

  it('has every message in both languages', () => {
    expect(Object.keys(planMessages.en).sort()).toEqual(Object.keys(planMessages.es).sort());
  });
});
