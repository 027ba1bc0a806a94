// Escalation on the customer 360 (docs/escalation.md): the customer's
// agency and legal cases with the invoices they hold, the credit-bureau
// dates (GET /customers/{id}/bureau), and for a manager the hand-over to an
// agency, the start of legal action and a write-off proposal.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, problemText, type Schemas } from '../../../shared/api';
import { formatDate, formatMoney } from '../../../shared/format';
import { useI18n } from '../../../shared/i18n';
import { ErrorBox } from '../../components/Status';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { statusBadge } from '../escalation/escalationModel';

type Customer = Schemas['Customer'];
type Action = 'agency' | 'legal' | 'writeOff';

export function BureauTable({ entries, showCustomer }: { entries: Schemas['BureauEntry'][]; showCustomer?: boolean }) {
  const { t, lang } = useI18n();
  // One note the server gives every entry that has one (e.g. an unknown minimum wage) is shown once, above.
  const notes = new Set(entries.map((e) => e.note).filter(Boolean));
  const shared = entries.length > 1 && notes.size === 1 ? [...notes][0] : '';
  return (
    <>
    {shared && <p className="muted small" data-testid="bureau-note">{shared}</p>}
    <table className="table" data-testid="bureau-table">
      <thead>
        <tr>
          {showCustomer && <th>{t('escalation.col.customer')}</th>}
          <th className="num">{t('escalation.bureau.overdue')}</th>
          <th className="num hide-phone">{t('escalation.bureau.daysInDefault')}</th>
          <th>{t('escalation.bureau.notices')}</th>
          <th>{t('escalation.bureau.earliest')}</th>
          <th className="hide-phone">{t('escalation.bureau.removal')}</th>
          <th>{t('escalation.status')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.customer_external_id}-${e.overdue.currency}`} data-bureau={e.customer_external_id}>
            {showCustomer && (
              <td><Link href={`/customers/${encodeURIComponent(e.customer_external_id)}`}>{e.name}</Link></td>
            )}
            <td className="num">{formatMoney(e.overdue, lang)}</td>
            <td className="num hide-phone">{e.days_in_default}</td>
            <td>
              {t('escalation.bureau.noticesOf', { sent: e.notices.length, required: e.notices_required })}
              {e.small_debt && <span className="muted small"> · {t('escalation.bureau.smallDebt')}</span>}
              {e.notices.length > 0 && <div className="muted small">{e.notices.map((d) => formatDate(d, lang)).join(', ')}</div>}
            </td>
            <td>{e.earliest_report_date ? formatDate(e.earliest_report_date, lang) : '—'}</td>
            <td className="hide-phone">{e.removal_date ? formatDate(e.removal_date, lang) : '—'}</td>
            <td>
              <span className={`badge ${statusBadge(e.status)}`}>{t(`escalation.bureau.status.${e.status}`)}</span>
              {e.note && !shared && <div className="muted small">{e.note}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}

function InvoicePicker({ customer, chosen, onChange }: { customer: string; chosen: string[]; onChange: (ids: string[]) => void }) {
  const { t, lang } = useI18n();
  const invoices = useLoad(
    () => api.GET('/api/v1/invoices', { params: { query: { customer, status: 'unpaid', sort: 'days_past_due', limit: 100 } } }),
    [customer],
  );
  const list = invoices.data?.data ?? [];
  return (
    <fieldset className="escalation-invoices">
      <legend>{t('escalation.c360.invoices')}</legend>
      <ErrorBox error={invoices.error} onRetry={invoices.reload} />
      {list.map((inv) => (
        <label key={inv.external_id} className="escalation-check">
          <input
            type="checkbox"
            checked={chosen.includes(inv.external_id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, inv.external_id] : chosen.filter((x) => x !== inv.external_id))}
            data-testid={`escalation-invoice-${inv.external_id}`}
          />
          {inv.number} · {formatMoney(inv.open, lang)} · {formatDate(inv.due_date, lang)}
        </label>
      ))}
    </fieldset>
  );
}

function ActionForm({ customer, action, onDone, onCancel }: { customer: string; action: Action; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const agencies = useLoad(() => (action === 'agency' ? api.GET('/api/v1/agencies') : Promise.resolve({ data: undefined })), [action]);
  const [agency, setAgency] = useState('');
  const [invoices, setInvoices] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    const invoice_ids = invoices.length > 0 ? invoices : undefined;
    if (action === 'writeOff') {
      const { data, error } = await api.POST('/api/v1/customers/{id}/write-offs', {
        params: { path: { id: customer } },
        body: { reason: text.trim(), invoice_ids },
      });
      setBusy(false);
      if (data) return onDone(t('escalation.c360.proposed', { id: data.id }));
      return setProblem(problemText(error));
    }
    const body: { kind: 'agency' | 'legal'; agency_id?: number; invoice_ids?: string[]; note?: string } = { kind: action, invoice_ids };
    if (action === 'agency') body.agency_id = Number(agency);
    if (text.trim()) body.note = text.trim();
    const { data, error } = await api.POST('/api/v1/customers/{id}/escalations', { params: { path: { id: customer } }, body });
    setBusy(false);
    if (data) return onDone(t('escalation.c360.opened', { id: data.id, count: data.invoices.filter((i) => i.held).length }));
    setProblem(problemText(error));
  }
  const list = agencies.data?.data ?? [];
  return (
    <form className="c360-form" onSubmit={submit} noValidate data-testid={`escalation-form-${action}`}>
      {action === 'agency' && (
        <div className="c360-field">
          <label>
            {t('escalation.c360.agency')}
            <select value={agency} onChange={(e) => setAgency(e.target.value)} required data-testid="escalation-agency">
              <option value="">{t('escalation.c360.chooseAgency')}</option>
              {list.map((a) => (
                <option key={a.id} value={String(a.id)}>{a.name} ({a.commission_percent} %)</option>
              ))}
            </select>
          </label>
          {agencies.data && list.length === 0 && <p className="muted small">{t('escalation.c360.noAgencies')}</p>}
        </div>
      )}
      <InvoicePicker customer={customer} chosen={invoices} onChange={setInvoices} />
      <div className="c360-field">
        <label>
          {action === 'writeOff' ? t('escalation.c360.reason') : t('escalation.c360.note')}
          <textarea rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} data-testid="escalation-text" />
        </label>
      </div>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || (action === 'agency' && !agency)} data-testid="escalation-submit">
          {t('escalation.save')}
        </button>
        <button type="button" onClick={onCancel}>{t('escalation.cancel')}</button>
      </div>
    </form>
  );
}

export function EscalationSection({ customer, onChanged }: { customer: Customer; onChanged?: () => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const id = customer.external_id;
  const cases = useLoad(() => api.GET('/api/v1/escalations', { params: { query: { customer: id } } }), [id]);
  const bureau = useLoad(() => api.GET('/api/v1/customers/{id}/bureau', { params: { path: { id } } }), [id]);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState('');
  const list = cases.data?.data ?? [];
  const entries = bureau.data?.data ?? [];
  const toggle = (a: Action) => {
    setNotice('');
    setAction(action === a ? null : a);
  };
  return (
    <section className="card escalation-card" aria-labelledby="c360-escalation" data-testid="escalation-section">
      <h2 id="c360-escalation">{t('escalation.c360.title')}</h2>
      {notice && <p className="notice" role="status" data-testid="escalation-notice">{notice}</p>}
      <ErrorBox error={cases.error} onRetry={cases.reload} />
      {cases.data && list.length === 0 && <p className="muted">{t('escalation.c360.noCases')}</p>}
      {list.length > 0 && (
        <table className="table" data-testid="escalation-cases">
          <thead>
            <tr>
              <th>{t('escalation.col.case')}</th>
              <th>{t('escalation.kind')}</th>
              <th>{t('escalation.status')}</th>
              <th>{t('escalation.col.invoices')}</th>
              <th className="hide-phone">{t('escalation.col.opened')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id} data-case={c.id}>
                <td><Link href={`/escalations?case=${c.id}`}>#{c.id}</Link></td>
                <td>
                  {c.kind === 'agency' ? c.agency?.name ?? t('escalation.kind.agency') : t('escalation.kind.legal')}
                  {c.stage && <div className="muted small">{t(`escalation.stage.${c.stage}`)}</div>}
                </td>
                <td><span className={`badge ${statusBadge(c.status)}`}>{t(`escalation.status.${c.status}`)}</span></td>
                <td>{c.invoices.filter((i) => i.held).map((i) => i.number).join(', ') || '—'}</td>
                <td className="hide-phone">{formatDate(c.opened_at.slice(0, 10), lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('escalation.bureau')}</h3>
      <ErrorBox error={bureau.error} onRetry={bureau.reload} />
      {bureau.data && entries.length === 0 && <p className="muted" data-testid="bureau-none">{t('escalation.c360.noBureau')}</p>}
      {entries.length > 0 && <BureauTable entries={entries} />}
      {session.can('manager') && (
        <div className="actions">
          <button type="button" aria-expanded={action === 'agency'} className={action === 'agency' ? 'primary' : ''} onClick={() => toggle('agency')} data-testid="escalation-handover">
            {t('escalation.c360.handover')}
          </button>
          <button type="button" aria-expanded={action === 'legal'} className={action === 'legal' ? 'primary' : ''} onClick={() => toggle('legal')} data-testid="escalation-legal">
            {t('escalation.c360.legal')}
          </button>
          <button type="button" aria-expanded={action === 'writeOff'} className={action === 'writeOff' ? 'primary' : ''} onClick={() => toggle('writeOff')} data-testid="escalation-writeoff">
            {t('escalation.c360.writeOff')}
          </button>
          <Link href="/escalations">{t('escalation.c360.seeAll')}</Link>
        </div>
      )}
      {action && (
        <ActionForm
          key={action}
          customer={id}
          action={action}
          onCancel={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setNotice(message);
            cases.reload();
            onChanged?.();
          }}
        />
      )}
    </section>
  );
}
