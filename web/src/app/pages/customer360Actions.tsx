// The 360 page's actions, each a small form on its API route: record a
// promise, add a note, open / resolve a dispute, change consent, assign a
// collector, send the statement now. The page shows each only to the roles
// its route allows (collector; the collector assignment: manager).
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, fieldErrors, problemText, type Schemas } from '../../shared/api';
import { formatDate, formatMoney } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { byField, normalizeAmount, todayIn, validatePromise } from './customersList';
import { OpenDisputeForm, ResolveDisputeForm } from './disputeForms';

type Customer = Schemas['Customer'];
type ContactPoint = Schemas['ContactPoint'];

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return <span className="field-error" id={id} role="alert">{message}</span>;
}

function FormButtons({ busy, onCancel, submit }: { busy: boolean; onCancel: () => void; submit: string }) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy}>{submit}</button>
      <button type="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
    </div>
  );
}

function FormProblem({ children }: { children: ReactNode }) {
  if (!children) return null;
  return <p className="error-box" role="alert">{children}</p>;
}

export function PromiseForm({ customer, onDone, onCancel }: { customer: Customer; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const currencies = customer.balances.filter((b) => Number(b.open.amount) > 0).map((b) => b.currency);
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(currencies[0] ?? customer.currency ?? '');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const today = todayIn(customer.time_zone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const decimal = normalizeAmount(amount, lang);
    const own = validatePromise({ date, amount: decimal }, today);
    setProblem('');
    if (Object.keys(own).length) return setErrors(Object.fromEntries(Object.entries(own).map(([k, v]) => [k, t(v)])));
    setErrors({});
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/promises', {
      body: { customer: customer.external_id, date, amount: decimal, currency: currency || undefined, note: note.trim() || undefined },
    });
    setBusy(false);
    if (data) return onDone(t('customers.promise.saved', { amount: formatMoney(data.amount, lang), date: formatDate(data.promised_date, lang) }));
    const fields = byField(fieldErrors(error));
    setErrors(fields);
    const known = ['date', 'amount', 'currency', 'note'];
    if (!Object.keys(fields).some((k) => known.includes(k))) setProblem(problemText(error));
  }

  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('customers.promise.record')} data-testid="promise-form">
      <div className="c360-form-grid">
        <div className="c360-field">
          <label>
            {t('customers.promise.date')}
            <input type="date" value={date} min={today} onChange={(e) => setDate(e.target.value)} aria-invalid={!!errors.date} aria-describedby="promise-date-error" name="date" />
          </label>
          <FieldError id="promise-date-error" message={errors.date} />
        </div>
        <div className="c360-field">
          <label>
            {t('customers.promise.amount')}
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={!!errors.amount} aria-describedby="promise-amount-error" name="amount" placeholder={lang === 'es' ? '1.250.000' : '1,250,000.00'} />
          </label>
          <FieldError id="promise-amount-error" message={errors.amount} />
        </div>
        {currencies.length > 1 && (
          <div className="c360-field">
            <label>
              {t('customers.currency')}
              <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {currencies.map((c) => <option key={c}>{c}</option>)}
              </select>
            </label>
            <FieldError id="promise-currency-error" message={errors.currency} />
          </div>
        )}
        <div className="c360-field wide">
          <label>
            {t('customers.promise.note')}
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} name="note" />
          </label>
          <FieldError id="promise-note-error" message={errors.note} />
        </div>
      </div>
      <FormProblem>{problem}</FormProblem>
      <FormButtons busy={busy} onCancel={onCancel} submit={t('customers.promise.save')} />
    </form>
  );
}

export function AddNoteForm({ customer, onDone, onCancel }: { customer: Customer; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    // One line of text: the API keeps notes on one line.
    const line = text.replace(/\s*\n\s*/g, ' ').trim();
    if (!line) return setError(t('customers.error.required'));
    setBusy(true);
    const { data, error: problem } = await api.POST('/api/v1/customers/{id}/notes', { params: { path: { id: customer.external_id } }, body: { text: line } });
    setBusy(false);
    if (data) return onDone(t('customers.note.saved'));
    setError(byField(fieldErrors(problem)).text ?? problemText(problem));
  }
  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('customers.note.add')} data-testid="note-form">
      <div className="c360-field">
        <label>
          {t('customers.note.text')}
          <textarea rows={3} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} aria-invalid={!!error} aria-describedby="note-error" name="text" />
        </label>
        <FieldError id="note-error" message={error} />
      </div>
      <FormButtons busy={busy} onCancel={onCancel} submit={t('customers.note.save')} />
    </form>
  );
}

// A dispute takes a reason of the tenant's catalogue (disputeForms.tsx).
export function DisputeForm({ invoice, onDone, onCancel }: { invoice: string; onDone: () => void; onCancel: () => void }) {
  return <OpenDisputeForm invoice={invoice} onDone={onDone} onCancel={onCancel} />;
}

// Accepted (a credit note) or rejected (the debtor told why): the same form
// as the Disputas screen, for the dispute read afresh (its open amount).
export function ResolveForm({ dispute, onDone, onCancel }: { dispute: number; invoice: string; onDone: () => void; onCancel: () => void }) {
  const loaded = useLoad(() => api.GET('/api/v1/disputes/{id}', { params: { path: { id: String(dispute) } } }), [dispute]);
  if (loaded.error) return <p className="field-error" role="alert">{problemText(loaded.error)}</p>;
  if (!loaded.data) return null;
  return <ResolveDisputeForm dispute={loaded.data} onDone={() => onDone()} onCancel={onCancel} />;
}

// Revoke (an opt-out, as the debtor's STOP) or grant consent on one address.
export function ConsentButton({ customer, point, onChanged }: { customer: Customer; point: ContactPoint; onChanged: (c: Customer) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const next = point.consent === 'granted' ? 'revoked' : 'granted';
  async function change() {
    setBusy(true);
    setError('');
    const { data, error: problem } = await api.PUT('/api/v1/customers/{id}/consent', {
      params: { path: { id: customer.external_id } },
      body: { channel: point.channel, consent: next, value: point.value },
    });
    setBusy(false);
    if (data) onChanged(data);
    else setError(problemText(problem));
  }
  return (
    <>
      <button type="button" className={next === 'revoked' ? 'link danger' : 'link'} onClick={change} disabled={busy} data-testid={`consent-${point.channel}`}
        aria-label={t(next === 'revoked' ? 'customers.consent.revokeOn' : 'customers.consent.grantOn', { value: point.value })}>
        {t(next === 'revoked' ? 'customers.consent.revoke' : 'customers.consent.grant')}
      </button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </>
  );
}

// Managers assign; an administrator picks from the users (GET /users is
// admin only), anyone else types the collector's e-mail.
export function AssignCollector({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const isAdmin = session.can('admin');
  const users = useLoad(() => (isAdmin ? api.GET('/api/v1/users') : Promise.resolve({ data: undefined })), [isAdmin]);
  const [email, setEmail] = useState(customer.collector ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const choices = (users.data?.data ?? []).filter((u) => !u.disabled && u.role !== 'viewer');

  async function save(collector: string | null) {
    setBusy(true);
    setError('');
    const { data, error: problem } = await api.PUT('/api/v1/customers/{id}/collector', { params: { path: { id: customer.external_id } }, body: { collector } });
    setBusy(false);
    if (data) onChanged(data);
    else setError(byField(fieldErrors(problem)).collector ?? problemText(problem));
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    void save(email.trim() ? email.trim().toLowerCase() : null);
  }
  return (
    <form className="c360-assign" onSubmit={submit} noValidate data-testid="collector-form">
      <div className="c360-field">
        <label>
          {t('customers.collector.assign')}
          {isAdmin && choices.length > 0 ? (
            <select value={email} onChange={(e) => setEmail(e.target.value)} name="collector">
              <option value="">{t('customers.collector.unassigned')}</option>
              {choices.map((u) => (
                <option key={u.id} value={u.email}>{u.name ? `${u.name} · ${u.email}` : u.email} ({t(`session.role.${u.role}`)})</option>
              ))}
            </select>
          ) : (
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder={t('customers.collector.emailHint')} name="collector" aria-invalid={!!error} aria-describedby="collector-error" />
          )}
        </label>
        <FieldError id="collector-error" message={error} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('customers.collector.save')}</button>
        {customer.collector && (
          <button type="button" onClick={() => { setEmail(''); void save(null); }} disabled={busy}>{t('customers.collector.unassign')}</button>
        )}
      </div>
    </form>
  );
}

// POST /api/v1/customers/{id}/statement/send: the statement by e-mail now,
// through the outbox (202 with the queued item).
export function SendStatement({ customer, onDone }: { customer: Customer; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function send() {
    setBusy(true);
    setError('');
    const { data, error: problem } = await api.POST('/api/v1/customers/{id}/statement/send', { params: { path: { id: customer.external_id } } });
    setBusy(false);
    setConfirming(false);
    if (data) onDone(t('customers.statement.sent'));
    else setError(problemText(problem));
  }
  return (
    <>
      {confirming ? (
        <span className="c360-confirm">
          {t('customers.statement.confirm')}{' '}
          <button type="button" className="primary" onClick={send} disabled={busy} data-testid="statement-send-confirm">{t('customers.statement.sendYes')}</button>{' '}
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>{t('common.cancel')}</button>
        </span>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} data-testid="statement-send">{t('customers.statement.send')}</button>
      )}
      {error && <span className="field-error" role="alert">{error}</span>}
    </>
  );
}
