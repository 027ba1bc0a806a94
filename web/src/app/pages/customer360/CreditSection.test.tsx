// The 360's credit card and the list's hold badge against a stubbed API:
// the hold and its reasons in the reader's language, limit and exposure as
// the server gave them, the review due, and the review form only for a
// manager, posting what was typed and showing a field's problem by it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { stubbedFetch } from '../../../test/stub';

const fetchMock = stubbedFetch();

import { I18nProvider } from '../../../shared/i18n';
import { catalogues } from '../../catalogue';
import { SessionProvider } from '../../session';
import { CreditHoldBadge, CreditSection } from './CreditSection';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const cop = (amount: string) => ({ amount, currency: 'COP' });
const customer = {
  external_id: 'CLI-1', name: 'Ferretería Ñandú', tax_id: '900', country: 'CO', kind: 'company', time_zone: 'America/Bogota',
  language: 'es', address: null, currency: 'COP', credit_limit: cop('1000000.00'), segment: 'high_risk', collector: null,
  balances: [], max_days_past_due: 80, open_invoices: 1, contact_points: [], created_at: '2026-01-10T12:00:00Z',
  updated_at: '2026-01-10T12:00:00Z',
  credit: {
    on_hold: true, hold_reasons: ['over_limit', 'days_past_due'], hold_since: '2026-11-20', limit: cop('1000000.00'),
    exposure: cop('1500000.00'), review_due: true, review_reason: 'broken_promise', review_due_on: '2026-11-18',
    last_reviewed_on: null,
  },
};

let posted: unknown = null;
function stub(role: string) {
  posted = null;
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', email: 'a@x.co', role, tenant_id: 1 });
    if (url.pathname === '/api/v1/customers/CLI-1') return json(200, customer);
    if (url.pathname === '/api/v1/customers/CLI-1/credit-reviews' && request.method === 'GET') {
      return json(200, { object: 'list', has_more: false, data: [] });
    }
    if (url.pathname === '/api/v1/customers/CLI-1/credit-reviews') {
      posted = await request.json();
      return json(422, { code: 1000, detail: 'bad', status: 422, title: 'Invalid', type: 'x',
        errors: [{ code: 1000, field: '/limit', detail: "'abc' is not a valid credit limit" }] });
    }
    return json(404, { code: 1200, detail: 'not found', status: 404, title: 'Not found', type: 'x' });
  });
}

function renderSection(lang: 'es' | 'en') {
  localStorage.setItem('cartera.lang', lang);
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <CreditSection customer={customer as never} />
      </SessionProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

describe('CreditSection', () => {
  it('shows the hold, its reasons, the figures and the review due, in Spanish', async () => {
    stub('viewer');
    renderSection('es');
    expect((await screen.findByTestId('credit-hold-badge')).textContent).toContain('Crédito bloqueado');
    expect((screen.getByTestId('credit-reasons')).textContent).toContain('supera el cupo; mora por encima de la política');
    expect((screen.getByTestId('credit-exposure')).textContent).toContain('1.500.000');
    expect((screen.getByTestId('credit-review')).textContent).toContain('promesa incumplida');
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(screen.queryByTestId('credit-review-open')).toBeNull();  // a viewer records nothing
  });

  it('lets a manager record a review and shows the field problem by it', async () => {
    stub('manager');
    renderSection('en');
    fireEvent.click(await screen.findByTestId('credit-review-open'));
    fireEvent.change(screen.getByLabelText('What was reviewed and why'), { target: { value: 'Raise' } });
    fireEvent.change(screen.getByLabelText('New credit limit (optional, in COP)'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByTestId('credit-review-save'));
    expect((await screen.findByRole('alert')).textContent).toContain('not a valid credit limit');
    expect(posted).toEqual({ note: 'Raise', limit: 'abc' });
  });
});

describe('CreditHoldBadge', () => {
  it('shows nothing when not on hold', () => {
    localStorage.setItem('cartera.lang', 'en');
    const { container } = render(
      <I18nProvider catalogues={catalogues}>
        <CreditHoldBadge onHold={false} reasons={[]} />
      </I18nProvider>,
    );
    expect(container.innerHTML).toBe('');
  });
});
