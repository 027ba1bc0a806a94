// The 360's promise history against a stubbed API: each settled promise
// with its badge and the payments that kept it, the customer's rate, open
// promises left to the 360's own card, and nothing at all without history.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { stubbedFetch } from '../../../test/stub';

const fetchMock = stubbedFetch();

import { I18nProvider } from '../../../shared/i18n';
import { catalogues } from '../../catalogue';
import { PromisesSection } from './PromisesSection';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const cop = (amount: string) => ({ amount, currency: 'COP' });
const promise = (id: number, status: string, outcome: string | null, covered: string | null, payments: unknown[] = []) => ({
  id,
  customer_external_id: 'CLI-1',
  promised_date: `2026-11-${10 + id}`,
  amount: cop('400000.00'),
  status,
  source: 'cli',
  note: '',
  outcome,
  covered: covered === null ? null : cop(covered),
  payments,
});

function stub(promises: unknown[], rows: unknown[]) {
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/promises') return json(200, { object: 'list', has_more: false, data: promises });
    if (url.pathname === '/api/v1/reports/promises') {
      expect(url.searchParams.get('by')).toBe('customer');
      expect(url.searchParams.get('customer')).toBe('CLI-1');
      return json(200, { object: 'promise_report', from: '2026-08-23', to: '2026-11-20', by: 'customer', rows, total: {} });
    }
    return json(404, { code: 1002, detail: 'not found', status: 404, title: 'Not found', type: 'x' });
  });
}

function renderSection(lang: 'es' | 'en') {
  localStorage.setItem('cartera.lang', lang);
  return render(
    <I18nProvider catalogues={catalogues}>
      <PromisesSection customer="CLI-1" />
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
  localStorage.clear();
});

describe('PromisesSection', () => {
  it('shows each settled promise with its badge, its payments and the rate', async () => {
    stub(
      [
        promise(1, 'kept', 'kept', '400000.00', [
          { id: 9, external_id: 'PK-1', date: '2026-11-09', amount: cop('250000.00') },
          { id: 10, external_id: 'PK-2', date: '2026-11-12', amount: cop('150000.00') },
        ]),
        promise(2, 'broken', 'partially_kept', '100000.00', [{ id: 11, external_id: 'PP-1', date: '2026-11-12', amount: cop('100000.00') }]),
        promise(3, 'broken', 'broken', '0.00'),
        promise(4, 'open', null, null),
      ],
      [{ customer: 'CLI-1', name: 'Uno', collector: null, kept: 1, partially_kept: 1, broken: 1, open: 1, kept_rate: 0.3333, amounts: [] }],
    );
    renderSection('en');
    expect(await screen.findByText(/Kept 1 of 3 promises \(33\.3%\)/)).toBeTruthy();
    const kept = screen.getByTestId('promise-1');
    expect(kept.querySelector('.badge.ok')?.textContent).toBe('Kept');
    expect(kept.textContent).toContain('payment PK-1');
    expect(kept.textContent).toContain('payment PK-2');
    expect(screen.getByTestId('promise-2').querySelector('.badge.warn')?.textContent).toBe('Partly kept');
    expect(screen.getByTestId('promise-2').textContent).toContain('Received $100,000.00 of $400,000.00');
    expect(screen.getByTestId('promise-3').textContent).toContain('No payment arrived in time');
    // The open one is the 360's other card's.
    expect(screen.queryByTestId('promise-4')).toBeNull();
    // Latest promised date first.
    const order = Array.from(document.querySelectorAll('[data-testid^="promise-"]'))
      .map((e) => e.getAttribute('data-testid'))
      .filter((id) => /^promise-\d+$/.test(id ?? ''));
    expect(order).toEqual(['promise-3', 'promise-2', 'promise-1']);
  });

  it('speaks Spanish and says when nothing is settled yet', async () => {
    stub([promise(5, 'cancelled', null, null)], []);
    renderSection('es');
    expect(await screen.findByText('Cancelada')).toBeTruthy();
    expect(await screen.findByText(/Ninguna promesa con fecha entre el/)).toBeTruthy();
  });

  it('shows nothing for a customer without settled promises', async () => {
    stub([promise(6, 'open', null, null)], []);
    const { container } = renderSection('es');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.textContent).toBe('');
  });
});
