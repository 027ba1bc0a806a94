// The 360's escalation section against a stubbed API: the customer's cases
// and bureau dates as the server gave them, no button for a viewer, and a
// manager's hand-over posting the agency and the invoices ticked.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { stubbedFetch } from '../../../test/stub';

const fetchMock = stubbedFetch();

import { I18nProvider } from '../../../shared/i18n';
import { catalogues } from '../../catalogue';
import { SessionProvider } from '../../session';
import { EscalationSection } from './EscalationSection';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
const cop = (amount: string) => ({ amount, currency: 'COP' });
const list = (data: unknown[], extra = {}) => ({ object: 'list', has_more: false, data, ...extra });
const theCase = {
  id: 7, customer_external_id: 'CLI-1', customer_name: 'Ñandú', kind: 'agency', agency: { id: 2, name: 'Andinas' },
  commission_percent: '15.00', status: 'open', stage: null, note: '', opened_by: 'user:m@x.co', opened_at: '2026-11-20T15:00:00Z',
  ended_at: null, invoices: [{ external_id: 'FV-1', number: 'FV-1', due_date: '2026-05-31', amount: cop('100.00'), open: cop('100.00'), held: true }],
  recoveries: [], documents: [], costs: [],
};
const entry = {
  customer_external_id: 'CLI-1', name: 'Ñandú', tax_id: '900', country: 'CO', overdue: cop('1250000.00'), oldest_due_date: '2026-05-31',
  days_in_default: 173, notices: ['2026-11-01', '2026-11-02'], notices_required: 2, small_debt: false, earliest_report_date: '2026-11-22',
  removal_date: null, status: 'waiting', rule: { id: 'co', source: 'Ley 1266' }, note: '',
};

let posted: unknown = null;
function stub(role: string) {
  posted = null;
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json(200, { id: 1, kind: 'user', email: 'a@x.co', role, tenant_id: 1 });
    if (url.pathname === '/api/v1/escalations') return json(200, list([theCase]));
    if (url.pathname === '/api/v1/customers/CLI-1/bureau') return json(200, list([entry], { as_of: '2026-11-20' }));
    if (url.pathname === '/api/v1/agencies') return json(200, list([{ id: 2, name: 'Andinas', contact: '', commission_percent: '15.00', created_at: '' }]));
    if (url.pathname === '/api/v1/invoices') return json(200, list([{ external_id: 'FV-2', number: 'FV-2', open: cop('50.00'), due_date: '2026-06-01' }]));
    if (url.pathname === '/api/v1/customers/CLI-1/escalations') {
      posted = await request.json();
      return json(201, { ...theCase, id: 8 });
    }
    return json(404, { code: 1200, detail: 'not found', status: 404, title: 'Not found', type: 'x' });
  });
}

function renderSection(lang: 'es' | 'en') {
  localStorage.setItem('cartera.lang', lang);
  return render(
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <EscalationSection customer={{ external_id: 'CLI-1' } as never} />
      </SessionProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
});

describe('EscalationSection', () => {
  it('shows the cases and the bureau dates, and a viewer no button', async () => {
    stub('viewer');
    renderSection('es');
    const row = await screen.findByText('Andinas');
    expect(row.closest('tr')!.textContent).toContain('FV-1');
    const bureau = await screen.findByTestId('bureau-table');
    expect(bureau.textContent).toMatch(/\$\s1\.250\.000/);
    expect(bureau.textContent).toContain('2 de 2');
    expect(bureau.textContent).toContain('En espera');
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(3));
    expect(screen.queryByTestId('escalation-handover')).toBeNull();
    expect(screen.queryByTestId('escalation-writeoff')).toBeNull();
  });

  it('lets a manager hand invoices to an agency', async () => {
    stub('manager');
    renderSection('en');
    fireEvent.click(await screen.findByTestId('escalation-handover'));
    fireEvent.change(await screen.findByLabelText('Agency'), { target: { value: '2' } });
    fireEvent.click(await screen.findByTestId('escalation-invoice-FV-2'));
    fireEvent.click(screen.getByTestId('escalation-submit'));
    expect((await screen.findByTestId('escalation-notice')).textContent).toBe('Case 8 opened; invoices held: 1.');
    expect(posted).toEqual({ kind: 'agency', agency_id: 2, invoice_ids: ['FV-2'] });
  });
});
