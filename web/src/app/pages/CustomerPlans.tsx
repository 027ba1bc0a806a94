// The customer 360's "Plan de pagos": the customer's plans with their
// installments and status, the terms PDF, a proposal form whose schedule the
// server computes as the collector types (POST .../plans/preview, nothing
// stored), acceptance on the debtor's behalf with the channel, and
// cancellation. Plans the debtor built in the portal outside the limits show
// "awaiting approval": a manager decides them in Aprobaciones.
import { useEffect, useState, type FormEvent } from 'react';
import { api, fieldErrors, problemText, type Schemas } from '../../shared/api';
import { formatDate, formatMoney, formatTimestamp } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { normalizeAmount, todayIn } from './customersList';

type Customer = Schemas['Customer'];
type Plan = Schemas['PaymentPlan'];
type Frequency = 'weekly' | 'fortnightly' | 'monthly';

const PREVIEW_DELAY_MS = 300;

const statusBadge: Record<string, string> = { active: 'ok', proposed: 'warn', broken: 'danger', completed: 'ok', cancelled: '' };

export function CustomerPlans({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const session = useSession();
  const id = customer.external_id;
  const plans = useLoad(() => api.GET('/api/v1/plans', { params: { query: { customer: id, limit: 25 } } }), [id]);
  const pending = useLoad(() => api.GET('/api/v1/plan-approvals', { params: { query: { customer: id, status: 'pending' } } }), [id]);
  const [proposing, setProposing] = useState(false);
  const [notice, setNotice] = useState('');
  const awaiting = new Set((pending.data?.data ?? []).map((a) => a.plan_id));
  const reload = (message: string) => {
    setNotice(message);
    plans.reload();
    pending.reload();
  };

  return (
    <section className="card plans" aria-labelledby="c360-plans" data-testid="customer-plans">
      <div className="page-head">
        <h2 id="c360-plans">{t('plans.title')}</h2>
        {session.can('collector') && !proposing && (
          <button type="button" onClick={() => setProposing(true)} data-testid="plan-propose">
            {t('plans.propose')}
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {proposing && (
        <ProposeForm
          customer={customer}
          onCancel={() => setProposing(false)}
          onDone={(plan) => {
            setProposing(false);
            reload(t('plans.proposed', { id: plan.id }));
          }}
        />
      )}
      {plans.loading && !plans.data && <Loading />}
      {plans.error ? <ErrorBox error={plans.error} onRetry={plans.reload} /> : null}
      {plans.data && plans.data.data.length === 0 && <p className="muted">{t('plans.none')}</p>}
      {plans.data &&
        [...plans.data.data].reverse().map((plan) => <PlanCard key={plan.id} plan={plan} awaiting={awaiting.has(plan.id)} onChanged={reload} />)}
    </section>
  );
}

function PlanCard({ plan, awaiting, onChanged }: { plan: Plan; awaiting: boolean; onChanged: (message: string) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [action, setAction] = useState<'accept' | 'cancel' | null>(null);
  const open = plan.status === 'proposed' || plan.status === 'active';
  return (
    <article className="plan" data-testid="plan" data-plan-id={plan.id} data-status={plan.status}>
      <header className="plan-head">
        <strong>#{plan.id}</strong>{' '}
        <span className={`badge ${statusBadge[plan.status] ?? ''}`} data-testid="plan-status">
          {t(`plans.status.${plan.status}`)}
        </span>{' '}
        {awaiting && <span className="badge warn">{t('plans.awaitingApproval')}</span>}{' '}
        <a href={`/api/v1/plans/${plan.id}/terms.pdf?lang=${lang}`} target="_blank" rel="noopener">
          {t('plans.terms')}
        </a>
      </header>
      <p>
        {t('plans.summary', {
          count: plan.installment_count,
          frequency: t(`plans.frequency.${plan.frequency}`),
          date: formatDate(plan.first_date, lang),
          total: formatMoney(plan.total, lang),
        })}
      </p>
      <p className="muted">
        {plan.source === 'portal' ? t('plans.source.portal') : t('plans.source.user', { who: plan.created_by })}
        {plan.acceptance &&
          ' · ' +
            t('plans.acceptedBy', {
              who: plan.acceptance.accepted_by === 'debtor' ? t('plans.debtor') : plan.acceptance.accepted_by,
              channel: t(`plans.channel.${plan.acceptance.channel}`),
              at: formatTimestamp(plan.acceptance.accepted_at, lang),
            })}
      </p>
      {plan.status !== 'proposed' && (
        <p className="muted">{t('plans.paid', { paid: formatMoney(plan.paid, lang), total: formatMoney(plan.total, lang), missed: plan.missed_count })}</p>
      )}
      <details open={open}>
        <summary>{t('plans.installments')}</summary>
        <Schedule plan={plan} />
      </details>
      {session.can('collector') && open && (
        <div className="actions">
          {plan.status === 'proposed' && !awaiting && (
            <button type="button" onClick={() => setAction(action === 'accept' ? null : 'accept')} aria-expanded={action === 'accept'} data-testid="plan-accept">
              {t('plans.accept')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setAction(action === 'cancel' ? null : 'cancel')} aria-expanded={action === 'cancel'} data-testid="plan-cancel">
            {t('plans.cancel')}
          </button>
        </div>
      )}
      {action === 'accept' && <AcceptForm plan={plan} onDone={(m) => (setAction(null), onChanged(m))} />}
      {action === 'cancel' && <CancelForm plan={plan} onDone={(m) => (setAction(null), onChanged(m))} />}
    </article>
  );
}

export function Schedule({ plan, compact = false }: { plan: Plan; compact?: boolean }) {
  const { t, lang } = useI18n();
  const hasDown = !/^0(\.0+)?$/.test(plan.down_payment.amount);
  return (
    <table className="table" data-testid="plan-schedule">
      <thead>
        <tr>
          <th scope="col">{t('plans.col.number')}</th>
          <th scope="col">{t('plans.col.date')}</th>
          <th scope="col" className="num">
            {t('plans.col.amount')}
          </th>
          {!compact && (
            <>
              <th scope="col" className="num">
                {t('plans.col.paid')}
              </th>
              <th scope="col">{t('plans.col.status')}</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {hasDown && (
          <tr>
            <td>{t('plans.downPayment')}</td>
            <td>{formatDate(plan.accepted_on ?? plan.proposed_on, lang)}</td>
            <td className="num">{formatMoney(plan.down_payment, lang)}</td>
            {!compact && (
              <>
                <td />
                <td />
              </>
            )}
          </tr>
        )}
        {plan.installments.map((i) => (
          <tr key={i.number} data-testid="plan-installment">
            <td>{i.number}</td>
            <td>{formatDate(i.due_date, lang)}</td>
            <td className="num">{formatMoney(i.amount, lang)}</td>
            {!compact && (
              <>
                <td className="num">{formatMoney(i.paid, lang)}</td>
                <td>{t(`plans.installment.${i.status}`)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t('plans.total')}
          </th>
          <td className="num">{formatMoney(plan.total, lang)}</td>
          {!compact && <td colSpan={2} />}
        </tr>
      </tfoot>
    </table>
  );
}

function ProposeForm({ customer, onDone, onCancel }: { customer: Customer; onDone: (plan: Plan) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const currencies = customer.balances.filter((b) => !/^0(\.0+)?$/.test(b.open.amount)).map((b) => b.currency);
  const [installments, setInstallments] = useState(3);
  const [frequency, setFrequency] = useState<Frequency>('monthly');
  const [firstDate, setFirstDate] = useState(todayIn(customer.time_zone));
  const [down, setDown] = useState('');
  const [currency, setCurrency] = useState(currencies[0] ?? '');
  const [preview, setPreview] = useState<Plan | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const downPayment = down.trim() ? normalizeAmount(down, lang) : undefined;
  const body = { installments, frequency, first_date: firstDate, down_payment: downPayment || undefined, currency: currency || undefined };
  const key = JSON.stringify(body);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(async () => {
      const { data, error } = await api.POST('/api/v1/customers/{id}/plans/preview', { params: { path: { id: customer.external_id } }, body: JSON.parse(key) });
      if (stale) return;
      setPreview(data ?? null);
      const fields = fieldErrors(error);
      setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^\//, ''), v])));
      setProblem(error && !Object.keys(fields).length ? problemText(error) : '');
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key, customer.external_id]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/customers/{id}/plans', { params: { path: { id: customer.external_id } }, body: JSON.parse(key) });
    setBusy(false);
    if (data) return onDone(data);
    const fields = fieldErrors(error);
    setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^\//, ''), v])));
    setProblem(Object.keys(fields).length ? '' : problemText(error));
  }

  const field = (name: string) => (errors[name] ? <span className="field-error" role="alert">{errors[name]}</span> : null);
  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('plans.propose')} data-testid="plan-form">
      <div className="c360-form-grid">
        <div className="c360-field">
          <label>
            {t('plans.form.installments')}
            <input type="number" min={1} max={520} value={installments} onChange={(e) => setInstallments(Math.max(1, Number(e.target.value) || 1))} name="installments" />
          </label>
          {field('installments')}
        </div>
        <div className="c360-field">
          <label>
            {t('plans.form.frequency')}
            <select value={frequency} onChange={(e) => setFrequency(e.target.value as Frequency)} name="frequency">
              {(['monthly', 'fortnightly', 'weekly'] as Frequency[]).map((f) => (
                <option key={f} value={f}>
                  {t(`plans.frequency.${f}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="c360-field">
          <label>
            {t('plans.form.firstDate')}
            <input type="date" value={firstDate} onChange={(e) => setFirstDate(e.target.value)} name="first_date" />
          </label>
          {field('first_date')}
        </div>
        <div className="c360-field">
          <label>
            {t('plans.form.downPayment')}
            <input inputMode="decimal" value={down} onChange={(e) => setDown(e.target.value)} name="down_payment" placeholder={lang === 'es' ? '250.000' : '250,000.00'} />
          </label>
          {field('down_payment')}
        </div>
        {currencies.length > 1 && (
          <div className="c360-field">
            <label>
              {t('plans.form.currency')}
              <select value={currency} onChange={(e) => setCurrency(e.target.value)} name="currency">
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </div>
        )}
      </div>
      <h3>{t('plans.form.schedule')}</h3>
      <div aria-live="polite">{preview && <Schedule plan={preview} compact />}</div>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="plan-submit">
          {t('plans.form.submit')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AcceptForm({ plan, onDone }: { plan: Plan; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<'phone' | 'email' | 'in_person'>('phone');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/plans/{id}/accept', { params: { path: { id: plan.id } }, body: { channel } });
    setBusy(false);
    if (data) return onDone(t('plans.accepted', { id: plan.id }));
    setProblem(problemText(error));
  }
  return (
    <form className="c360-form" onSubmit={submit} data-testid="plan-accept-form">
      <label>
        {t('plans.accept.channel')}
        <select value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)} name="channel">
          {(['phone', 'email', 'in_person'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`plans.channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('plans.accept.confirm')}
      </button>
    </form>
  );
}

function CancelForm({ plan, onDone }: { plan: Plan; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/plans/{id}/cancel', { params: { path: { id: plan.id } }, body: { reason } });
    setBusy(false);
    if (data) return onDone(t('plans.cancelled', { id: plan.id }));
    setProblem(problemText(error));
  }
  return (
    <form className="c360-form" onSubmit={submit} data-testid="plan-cancel-form">
      <label>
        {t('plans.cancel.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} name="reason" required />
      </label>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="danger" disabled={busy}>
        {t('plans.cancel.confirm')}
      </button>
    </form>
  );
}
