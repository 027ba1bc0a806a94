// Escalamiento (docs/escalation.md): the agency and legal cases with
// filters and a case's detail (recoveries with the agency's commission as
// the server computed it, recall, the case file, the legal stage stepper,
// documents and costs), the agencies, the write-offs (an admin approves or
// rejects; the accountant's CSV) and the credit-bureau list. Everything from
// the API; a role below a route's least role sees no button for it.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, problemText, type Schemas } from '../../shared/api';
import { formatDate, formatMoney, formatTimestamp } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { BureauTable } from './customer360/EscalationSection';
import { LEGAL_STAGES, MAX_DOCUMENT_BYTES, fileToBase64, nextStages, stageState, statusBadge } from './escalation/escalationModel';

type Case = Schemas['EscalationCase'];
type Tab = 'cases' | 'agencies' | 'writeOffs' | 'bureau';

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function RecoveryForm({ c, onDone }: { c: Case; onDone: (message: string) => void }) {
  const { t, lang } = useI18n();
  const held = c.invoices.filter((i) => i.held);
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(today());
  const [amount, setAmount] = useState('');
  const [invoice, setInvoice] = useState(held[0]?.external_id ?? '');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    const { data, error } = await api.POST('/api/v1/escalations/{id}/recoveries', {
      params: { path: { id: String(c.id) } },
      body: { reference: reference.trim(), date, amount: amount.trim().replace(',', '.'), invoice_id: invoice || undefined },
    });
    setBusy(false);
    if (!data) return setProblem(problemText(error));
    setReference('');
    setAmount('');
    onDone(
      t('escalation.recovery.saved', {
        reference: data.reference,
        amount: formatMoney(data.amount, lang),
        commission: formatMoney(data.commission, lang),
        percent: data.commission_percent,
      }),
    );
  }
  return (
    <form className="escalation-form" onSubmit={submit} noValidate aria-label={t('escalation.recovery.record')} data-testid="recovery-form">
      <label>
        {t('escalation.recovery.reference')}
        <input value={reference} maxLength={100} onChange={(e) => setReference(e.target.value)} data-testid="recovery-reference" />
      </label>
      <label>
        {t('escalation.recovery.date')}
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="recovery-date" />
      </label>
      <label>
        {t('escalation.recovery.amount')}
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="recovery-amount" />
      </label>
      <label>
        {t('escalation.recovery.invoice')}
        <select value={invoice} onChange={(e) => setInvoice(e.target.value)} data-testid="recovery-invoice">
          {held.map((i) => (
            <option key={i.external_id} value={i.external_id}>{i.number} · {formatMoney(i.open, lang)}</option>
          ))}
        </select>
      </label>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !reference.trim() || !amount.trim()} data-testid="recovery-submit">
          {t('escalation.recovery.record')}
        </button>
      </div>
    </form>
  );
}

function StageStepper({ c, canMove, onDone }: { c: Case; canMove: boolean; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const next = nextStages(c.stage);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function move(stage: (typeof LEGAL_STAGES)[number]) {
    setBusy(true);
    setProblem('');
    const { data, error } = await api.POST('/api/v1/escalations/{id}/stage', {
      params: { path: { id: String(c.id) } },
      body: note.trim() ? { stage, note: note.trim() } : { stage },
    });
    setBusy(false);
    if (!data) return setProblem(problemText(error));
    setNote('');
    onDone(t('escalation.stage.moved', { stage: t(`escalation.stage.${stage}`) }));
  }
  return (
    <div data-testid="stage-stepper">
      <ol className="escalation-stepper">
        {LEGAL_STAGES.map((s) => {
          const state = stageState(c.stage, s);
          return (
            <li key={s} className={state} aria-current={state === 'current' ? 'step' : undefined} data-stage={s}>
              {t(`escalation.stage.${s}`)}
              {state !== 'todo' && <span className="c360-sr-only"> ({t(`escalation.stage.${state}`)})</span>}
            </li>
          );
        })}
      </ol>
      {canMove && next.length > 0 && (
        <div className="escalation-form">
          <label>
            {t('escalation.stage.note')}
            <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="stage-note" />
          </label>
          <div className="actions">
            {next.map((s) => (
              <button key={s} type="button" className={s === 'closed' ? '' : 'primary'} disabled={busy} onClick={() => void move(s)} data-testid={`stage-to-${s}`}>
                {t('escalation.stage.move', { stage: t(`escalation.stage.${s}`) })}
              </button>
            ))}
          </div>
        </div>
      )}
      {problem && <p className="field-error" role="alert">{problem}</p>}
    </div>
  );
}

function DocumentForm({ c, onDone }: { c: Case; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    if (file.size > MAX_DOCUMENT_BYTES) return setProblem(t('escalation.document.tooLarge'));
    setBusy(true);
    setProblem('');
    const content_base64 = await fileToBase64(file);
    const { data, error } = await api.POST('/api/v1/escalations/{id}/documents', {
      params: { path: { id: String(c.id) } },
      body: { name: file.name, content_type: file.type || 'application/octet-stream', content_base64 },
    });
    setBusy(false);
    if (!data) return setProblem(problemText(error));
    setFile(null);
    (event.target as HTMLFormElement).reset();
    onDone(t('escalation.document.saved', { name: file.name }));
  }
  return (
    <form className="escalation-form" onSubmit={submit} noValidate data-testid="document-form">
      <label>
        {t('escalation.document.file')}
        <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="document-file" />
      </label>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <div className="actions">
        <button type="submit" disabled={busy || !file} data-testid="document-upload">{t('escalation.document.upload')}</button>
      </div>
    </form>
  );
}

function CostForm({ c, onDone }: { c: Case; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [date, setDate] = useState(today());
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(c.invoices[0]?.amount.currency ?? 'COP');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    const { data, error } = await api.POST('/api/v1/escalations/{id}/costs', {
      params: { path: { id: String(c.id) } },
      body: { date, amount: amount.trim().replace(',', '.'), currency: currency.trim().toUpperCase(), description: description.trim() },
    });
    setBusy(false);
    if (!data) return setProblem(problemText(error));
    setAmount('');
    setDescription('');
    onDone(t('escalation.cost.saved'));
  }
  return (
    <form className="escalation-form" onSubmit={submit} noValidate aria-label={t('escalation.cost.add')} data-testid="cost-form">
      <label>
        {t('escalation.cost.date')}
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <label>
        {t('escalation.cost.amount')}
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="cost-amount" />
      </label>
      <label>
        {t('escalation.cost.currency')}
        <input value={currency} maxLength={3} size={4} onChange={(e) => setCurrency(e.target.value)} />
      </label>
      <label className="wide">
        {t('escalation.cost.description')}
        <input value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} data-testid="cost-description" />
      </label>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <div className="actions">
        <button type="submit" disabled={busy || !amount.trim() || !description.trim()} data-testid="cost-submit">{t('escalation.cost.add')}</button>
      </div>
    </form>
  );
}

function CaseDetail({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const manager = session.can('manager');
  const loaded = useLoad(() => api.GET('/api/v1/escalations/{id}', { params: { path: { id: String(id) } } }), [id]);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState('');
  const done = (message: string) => {
    setNotice(message);
    loaded.reload();
    onChanged();
  };
  if (loaded.error) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const c = loaded.data;
  if (!c) return <Loading />;
  const open = c.status === 'open';
  async function recall() {
    if (!window.confirm(t('escalation.recall.confirm', { id: c!.id }))) return;
    const { data, error } = await api.POST('/api/v1/escalations/{id}/recall', { params: { path: { id: String(c!.id) } } });
    if (!data) return setProblem(problemText(error));
    done(t('escalation.recalled', { id: c!.id }));
  }
  return (
    <section className="card escalation-detail" aria-labelledby="case-title" data-testid="case-detail" data-case={c.id}>
      <div className="page-head">
        <h2 id="case-title">{t('escalation.case.title', { id: c.id, customer: c.customer_name })}</h2>
        <button type="button" className="link" onClick={onClose}>{t('escalation.case.close')}</button>
      </div>
      <p>
        <span className={`badge ${statusBadge(c.status)}`}>{t(`escalation.status.${c.status}`)}</span>{' '}
        {c.kind === 'agency' ? `${t('escalation.kind.agency')}: ${c.agency?.name ?? ''}` : t('escalation.kind.legal')}
        {' · '}
        <Link href={`/customers/${encodeURIComponent(c.customer_external_id)}`}>{c.customer_external_id}</Link>
      </p>
      <p className="muted small">
        {t('escalation.case.openedBy', { by: c.opened_by, date: formatTimestamp(c.opened_at, lang) })}
        {c.ended_at && ` · ${t('escalation.case.ended', { date: formatTimestamp(c.ended_at, lang) })}`}
        {c.commission_percent && ` · ${t('escalation.case.commission', { percent: c.commission_percent })}`}
      </p>
      {c.note && <p><strong>{t('escalation.case.note')}:</strong> {c.note}</p>}
      {notice && <p className="notice" role="status" data-testid="case-notice">{notice}</p>}
      {problem && <p className="field-error" role="alert">{problem}</p>}
      {manager && (
        <div className="actions">
          <a className="button" href={`/api/v1/escalations/${c.id}/case-file.csv`} download={`case-${c.id}.csv`} data-testid="case-file-csv">{t('escalation.caseFile.csv')}</a>
          <a className="button" href={`/api/v1/escalations/${c.id}/case-file.pdf`} download={`case-${c.id}.pdf`} data-testid="case-file-pdf">{t('escalation.caseFile.pdf')}</a>
          {open && c.kind === 'agency' && (
            <button type="button" className="danger" onClick={() => void recall()} data-testid="case-recall">{t('escalation.recall')}</button>
          )}
        </div>
      )}
      <div className="table-scroll">
        <table className="table compact" data-testid="case-invoices">
          <thead>
            <tr>
              <th>{t('escalation.col.invoice')}</th>
              <th className="hide-phone">{t('escalation.col.due')}</th>
              <th className="num hide-phone">{t('escalation.col.amount')}</th>
              <th className="num">{t('escalation.col.open')}</th>
              <th>{t('escalation.col.held')}</th>
            </tr>
          </thead>
          <tbody>
            {c.invoices.map((i) => (
              <tr key={i.external_id}>
                <td>{i.number}</td>
                <td className="hide-phone">{formatDate(i.due_date, lang)}</td>
                <td className="num hide-phone">{formatMoney(i.amount, lang)}</td>
                <td className="num" data-testid={`case-open-${i.external_id}`}>{formatMoney(i.open, lang)}</td>
                <td>{i.held ? t('escalation.yes') : t('escalation.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.kind === 'agency' && (
        <>
          <h3>{t('escalation.recoveries')}</h3>
          {c.recoveries.length === 0 ? (
            <p className="muted">{t('escalation.recoveries.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table compact" data-testid="recoveries">
                <thead>
                  <tr>
                    <th>{t('escalation.col.date')}</th>
                    <th>{t('escalation.col.reference')}</th>
                    <th className="hide-phone">{t('escalation.col.invoice')}</th>
                    <th className="num">{t('escalation.col.amount')}</th>
                    <th className="num">{t('escalation.col.commission')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.recoveries.map((r) => (
                    <tr key={r.id} data-recovery={r.reference}>
                      <td>{formatDate(r.date, lang)}</td>
                      <td>{r.reference}</td>
                      <td className="hide-phone">{r.invoice_external_id}</td>
                      <td className="num">{formatMoney(r.amount, lang)}</td>
                      <td className="num" data-testid="recovery-commission">{formatMoney(r.commission, lang)} <span className="muted small">({r.commission_percent} %)</span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {manager && open && c.invoices.some((i) => i.held) && <RecoveryForm c={c} onDone={done} />}
        </>
      )}
      {c.kind === 'legal' && (
        <>
          <h3>{t('escalation.legal')}</h3>
          <StageStepper c={c} canMove={manager && open} onDone={done} />
          <div className="two-columns">
            <div>
              <h3>{t('escalation.documents')}</h3>
              {c.documents.length === 0 ? (
                <p className="muted">{t('escalation.documents.none')}</p>
              ) : (
                <ul className="escalation-docs" data-testid="documents">
                  {c.documents.map((d) => (
                    <li key={d.id}>
                      {manager ? (
                        <a href={`/api/v1/escalations/${c.id}/documents/${d.id}`} download={d.name}>{d.name}</a>
                      ) : (
                        d.name
                      )}{' '}
                      <span className="muted small">{Math.ceil(d.size_bytes / 1024)} KiB · {d.added_by} · {formatTimestamp(d.added_at, lang)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {manager && open && <DocumentForm c={c} onDone={done} />}
            </div>
            <div>
              <h3>{t('escalation.costs')}</h3>
              {c.costs.length === 0 ? (
                <p className="muted">{t('escalation.costs.none')}</p>
              ) : (
                <table className="table compact" data-testid="costs">
                  <tbody>
                    {c.costs.map((k) => (
                      <tr key={k.id}>
                        <td>{formatDate(k.date, lang)}</td>
                        <td>{k.description}</td>
                        <td className="num">{formatMoney(k.amount, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {manager && <CostForm c={c} onDone={done} />}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Cases({ selected, select }: { selected: number | null; select: (id: number | null) => void }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<'' | 'agency' | 'legal'>('');
  const [status, setStatus] = useState<'' | 'open' | 'recalled' | 'closed'>('open');
  const cases = useLoad(
    () => api.GET('/api/v1/escalations', { params: { query: { kind: kind || undefined, status: status || undefined } } }),
    [kind, status],
  );
  const list = cases.data?.data ?? [];
  return (
    <>
      <div className="filters">
        <label>
          {t('escalation.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} data-testid="filter-kind">
            <option value="">{t('escalation.kind.all')}</option>
            <option value="agency">{t('escalation.kind.agency')}</option>
            <option value="legal">{t('escalation.kind.legal')}</option>
          </select>
        </label>
        <label>
          {t('escalation.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="filter-status">
            <option value="">{t('escalation.status.all')}</option>
            <option value="open">{t('escalation.status.open')}</option>
            <option value="recalled">{t('escalation.status.recalled')}</option>
            <option value="closed">{t('escalation.status.closed')}</option>
          </select>
        </label>
      </div>
      {selected !== null && <CaseDetail key={selected} id={selected} onClose={() => select(null)} onChanged={cases.reload} />}
      <section className="card">
        <ErrorBox error={cases.error} onRetry={cases.reload} />
        {cases.loading && !cases.data && <Loading />}
        {cases.data && list.length === 0 && <p className="muted">{t('escalation.none')}</p>}
        {list.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="cases-table">
              <thead>
                <tr>
                  <th>{t('escalation.col.case')}</th>
                  <th>{t('escalation.col.customer')}</th>
                  <th>{t('escalation.kind')}</th>
                  <th>{t('escalation.status')}</th>
                  <th className="hide-phone">{t('escalation.col.invoices')}</th>
                  <th className="hide-phone">{t('escalation.col.opened')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id} data-case={c.id} className={c.id === selected ? 'selected' : ''}>
                    <td>
                      <button type="button" className="link" onClick={() => select(c.id)} data-testid={`open-case-${c.id}`}>#{c.id}</button>
                    </td>
                    <td><Link href={`/customers/${encodeURIComponent(c.customer_external_id)}`}>{c.customer_name}</Link></td>
                    <td>
                      {c.kind === 'agency' ? c.agency?.name ?? t('escalation.kind.agency') : t('escalation.kind.legal')}
                      {c.stage && <div className="muted small">{t(`escalation.stage.${c.stage}`)}</div>}
                    </td>
                    <td><span className={`badge ${statusBadge(c.status)}`}>{t(`escalation.status.${c.status}`)}</span></td>
                    <td className="hide-phone">{c.invoices.filter((i) => i.held).length}</td>
                    <td className="hide-phone">{formatTimestamp(c.opened_at, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Agencies() {
  const { t } = useI18n();
  const session = useSession();
  const agencies = useLoad(() => api.GET('/api/v1/agencies'), []);
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [percent, setPercent] = useState('');
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem('');
    const body: { name: string; commission_percent: string; contact?: string } = { name: name.trim(), commission_percent: percent.trim().replace(',', '.') };
    if (contact.trim()) body.contact = contact.trim();
    const { data, error } = await api.POST('/api/v1/agencies', { body });
    if (!data) return setProblem(problemText(error));
    setName('');
    setContact('');
    setPercent('');
    setNotice(t('escalation.agency.saved', { name: data.name }));
    agencies.reload();
  }
  const list = agencies.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="agencies-title">
      <h2 id="agencies-title">{t('escalation.agencies')}</h2>
      <ErrorBox error={agencies.error} onRetry={agencies.reload} />
      {agencies.data && list.length === 0 && <p className="muted">{t('escalation.agencies.none')}</p>}
      {list.length > 0 && (
        <table className="table" data-testid="agencies-table">
          <thead>
            <tr>
              <th>{t('escalation.agency.name')}</th>
              <th>{t('escalation.agency.contact')}</th>
              <th className="num">{t('escalation.agency.commission')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-agency={a.id}>
                <td>{a.name}</td>
                <td>{a.contact}</td>
                <td className="num">{a.commission_percent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notice && <p className="notice" role="status">{notice}</p>}
      {session.can('manager') && (
        <form className="escalation-form" onSubmit={submit} noValidate aria-label={t('escalation.agency.add')} data-testid="agency-form">
          <label>
            {t('escalation.agency.name')}
            <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="agency-name" />
          </label>
          <label>
            {t('escalation.agency.contact')}
            <input value={contact} maxLength={500} onChange={(e) => setContact(e.target.value)} data-testid="agency-contact" />
          </label>
          <label>
            {t('escalation.agency.commission')}
            <input inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} data-testid="agency-commission" />
          </label>
          {problem && <p className="field-error" role="alert">{problem}</p>}
          <div className="actions">
            <button type="submit" className="primary" disabled={!name.trim() || !percent.trim()} data-testid="agency-submit">{t('escalation.agency.add')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

function WriteOffs() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [status, setStatus] = useState<'' | 'proposed' | 'approved' | 'rejected'>('proposed');
  const writeOffs = useLoad(() => api.GET('/api/v1/write-offs', { params: { query: { status: status || undefined } } }), [status]);
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function decide(id: number, verb: 'approve' | 'reject') {
    setBusy(true);
    setProblem('');
    setNotice('');
    const options = { params: { path: { id: String(id) } }, body: note.trim() ? { note: note.trim() } : {} };
    const { data, error } =
      verb === 'approve' ? await api.POST('/api/v1/write-offs/{id}/approve', options) : await api.POST('/api/v1/write-offs/{id}/reject', options);
    setBusy(false);
    if (!data) return setProblem(problemText(error));
    setNote('');
    setNotice(t(verb === 'approve' ? 'escalation.writeOff.approved' : 'escalation.writeOff.rejected', { id }));
    writeOffs.reload();
  }
  const list = writeOffs.data?.data ?? [];
  const admin = session.can('admin');
  return (
    <section className="card" aria-labelledby="writeoffs-title">
      <div className="page-head">
        <h2 id="writeoffs-title">{t('escalation.writeOffs')}</h2>
        <a href="/api/v1/write-offs/export.csv" download="write-offs.csv" data-testid="writeoffs-export">{t('escalation.writeOff.export')}</a>
      </div>
      <div className="filters">
        <label>
          {t('escalation.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="writeoff-status">
            <option value="">{t('escalation.status.all')}</option>
            {(['proposed', 'approved', 'rejected'] as const).map((s) => (
              <option key={s} value={s}>{t(`escalation.writeOff.status.${s}`)}</option>
            ))}
          </select>
        </label>
        {admin && status !== 'approved' && status !== 'rejected' && (
          <label className="wide">
            {t('escalation.writeOff.note')}
            <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="writeoff-note" />
          </label>
        )}
      </div>
      {notice && <p className="notice" role="status" data-testid="writeoff-notice">{notice}</p>}
      {problem && <p className="field-error" role="alert" data-testid="writeoff-problem">{problem}</p>}
      <ErrorBox error={writeOffs.error} onRetry={writeOffs.reload} />
      {writeOffs.data && list.length === 0 && <p className="muted">{t('escalation.writeOffs.none')}</p>}
      {list.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="writeoffs-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('escalation.col.customer')}</th>
                <th>{t('escalation.writeOff.total')}</th>
                <th className="hide-phone">{t('escalation.writeOff.reason')}</th>
                <th className="hide-phone">{t('escalation.writeOff.proposedBy')}</th>
                <th>{t('escalation.status')}</th>
                {admin && <th />}
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <tr key={w.id} data-writeoff={w.id}>
                  <td>{w.id}</td>
                  <td><Link href={`/customers/${encodeURIComponent(w.customer_external_id)}`}>{w.customer_name}</Link></td>
                  <td>
                    {w.invoices.map((i) => (
                      <div key={i.invoice_external_id} className="small">{i.number}: {formatMoney(i.amount, lang)}</div>
                    ))}
                    {w.recoveries.length > 0 && <div className="muted small">{t('escalation.writeOff.recoveries', { count: w.recoveries.length })}</div>}
                  </td>
                  <td className="hide-phone">{w.reason}</td>
                  <td className="hide-phone">{w.proposed_by}<div className="muted small">{formatTimestamp(w.proposed_at, lang)}</div></td>
                  <td>
                    <span className={`badge ${statusBadge(w.status)}`}>{t(`escalation.writeOff.status.${w.status}`)}</span>
                    {w.decided_by && <div className="muted small">{w.decided_by}{w.decided_at && ` · ${formatTimestamp(w.decided_at, lang)}`}</div>}
                    {w.decision_note && <div className="muted small">{w.decision_note}</div>}
                  </td>
                  {admin && (
                    <td>
                      {w.status === 'proposed' && (
                        <div className="actions">
                          <button type="button" className="primary" disabled={busy} onClick={() => void decide(w.id, 'approve')} data-testid="writeoff-approve">{t('escalation.writeOff.approve')}</button>
                          <button type="button" className="danger" disabled={busy} onClick={() => void decide(w.id, 'reject')} data-testid="writeoff-reject">{t('escalation.writeOff.reject')}</button>
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Bureau() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<'' | 'reportable' | 'waiting' | 'notice_needed' | 'paid'>('');
  const loaded = useLoad(() => api.GET('/api/v1/bureau/report-list', { params: { query: { status: status || undefined } } }), [status]);
  // The route also answers CSV (?format=csv); the JSON page is what this table reads.
  const list = { ...loaded, data: typeof loaded.data === 'object' ? loaded.data : undefined };
  const entries = list.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="bureau-title">
      <div className="page-head">
        <h2 id="bureau-title">{t('escalation.bureau')}</h2>
        <a href={`/api/v1/bureau/report-list?format=csv${status ? `&status=${status}` : ''}`} download="bureau.csv" data-testid="bureau-csv">{t('escalation.bureau.csv')}</a>
      </div>
      <div className="filters">
        <label>
          {t('escalation.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="bureau-status">
            <option value="">{t('escalation.status.all')}</option>
            {(['reportable', 'waiting', 'notice_needed', 'paid'] as const).map((s) => (
              <option key={s} value={s}>{t(`escalation.bureau.status.${s}`)}</option>
            ))}
          </select>
        </label>
      </div>
      {list.data && <p className="muted small">{t('escalation.bureau.asOf', { date: formatDate(list.data.as_of, lang) })}</p>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && entries.length === 0 && <p className="muted">{t('escalation.bureau.none')}</p>}
      {entries.length > 0 && (
        <div className="table-scroll">
          <BureauTable entries={entries} showCustomer />
        </div>
      )}
    </section>
  );
}

export function Escalations() {
  const { t } = useI18n();
  const session = useSession();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const selected = search.get('case') ? Number(search.get('case')) : null;
  const tab = ((search.get('tab') as Tab | null) ?? 'cases') as Tab;
  // Write-offs and the bureau list are manager routes: a viewer does not see the tabs.
  const tabs: Tab[] = session.can('manager') ? ['cases', 'agencies', 'writeOffs', 'bureau'] : ['cases', 'agencies'];
  const go = (next: Tab, caseId?: number | null) => {
    const q = new URLSearchParams();
    if (next !== 'cases') q.set('tab', next);
    if (caseId) q.set('case', String(caseId));
    const s = q.toString();
    navigate(`/escalations${s ? `?${s}` : ''}`);
  };
  const shown = tabs.includes(tab) ? tab : 'cases';
  return (
    <div className="escalations">
      <div className="page-head">
        <h1>{t('escalation.title')}</h1>
      </div>
      <p className="muted">{t('escalation.intro')}</p>
      <div className="escalation-tabs" role="tablist" aria-label={t('escalation.title')}>
        {tabs.map((x) => (
          <button key={x} type="button" role="tab" aria-selected={shown === x} className={shown === x ? 'primary' : ''} onClick={() => go(x)} data-testid={`tab-${x}`}>
            {t(`escalation.tab.${x}`)}
          </button>
        ))}
      </div>
      {shown === 'cases' && <Cases selected={selected} select={(id) => go('cases', id)} />}
      {shown === 'agencies' && <Agencies />}
      {shown === 'writeOffs' && <WriteOffs />}
      {shown === 'bureau' && <Bureau />}
    </div>
  );
}
