// The approval queue of payment plans a debtor built in the portal outside
// the limits: the plan, why it is outside, when and from where the debtor
// accepted its terms; a manager approves (the plan becomes active with the
// debtor's recorded acceptance) or rejects it with a reason (cancelled).
// Anyone may read the queue; only a manager sees the buttons.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, problemText, type Schemas } from '../../../shared/api';
import { formatDate, formatMoney, formatTimestamp } from '../../../shared/format';
import { useI18n } from '../../../shared/i18n';
import { ErrorBox, Loading } from '../../components/Status';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { Schedule } from '../CustomerPlans';
import { segmentBadge } from '../Customers';

type Approval = Schemas['PlanApproval'];

export function PlanApprovals() {
  const { t } = useI18n();
  const queue = useLoad(() => api.GET('/api/v1/plan-approvals', { params: { query: { status: 'pending', limit: 100 } } }), []);
  const [notice, setNotice] = useState('');
  const done = (message: string) => {
    setNotice(message);
    queue.reload();
  };
  return (
    <section className="card" aria-labelledby="approvals-plans" data-testid="plan-approvals">
      <h2 id="approvals-plans">{t('approvals.plans.title')}</h2>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {queue.loading && !queue.data && <Loading />}
      {queue.error ? <ErrorBox error={queue.error} onRetry={queue.reload} /> : null}
      {queue.data && queue.data.data.length === 0 && <p className="muted">{t('approvals.plans.none')}</p>}
      {queue.data?.data.map((approval) => <ApprovalItem key={approval.plan_id} approval={approval} onDone={done} />)}
    </section>
  );
}

function ApprovalItem({ approval, onDone }: { approval: Approval; onDone: (message: string) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const plan = approval.plan;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const id = String(approval.plan_id);

  async function approve() {
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/plans/{id}/approve', { params: { path: { id } }, body: {} });
    setBusy(false);
    if (data) return onDone(t('approvals.plans.approved', { id }));
    setProblem(problemText(error));
  }
  async function reject(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/plans/{id}/reject', { params: { path: { id } }, body: { reason } });
    setBusy(false);
    if (data) return onDone(t('approvals.plans.rejected', { id }));
    setProblem(problemText(error));
  }

  return (
    <article className="plan" data-testid="plan-approval" data-plan-id={approval.plan_id}>
      <header className="plan-head">
        <strong>
          {t('approvals.plans.plan')} #{approval.plan_id}
        </strong>{' '}
        · <Link href={`/customers/${encodeURIComponent(plan.customer.external_id)}`}>{plan.customer.name}</Link> <span className="muted">({plan.customer.external_id})</span> ·{' '}
        <span className={segmentBadge(approval.segment)}>{t(`customers.segment.${approval.segment}`)}</span>
      </header>
      <p>
        {t('plans.summary', {
          count: plan.installment_count,
          frequency: t(`plans.frequency.${plan.frequency}`),
          date: formatDate(plan.first_date, lang),
          total: formatMoney(plan.total, lang),
        })}{' '}
        · {t('plans.downPayment')} {formatMoney(plan.down_payment, lang)}
      </p>
      <p className="muted">
        {t('approvals.plans.requested')}: {formatTimestamp(approval.requested_at, lang)} · {approval.requested_ip}
      </p>
      <div className="plan-violations">
        <strong>{t('approvals.plans.why')}:</strong>
        <ul>
          {approval.violations.map((v) => (
            <li key={v.code}>{v.message}</li>
          ))}
        </ul>
      </div>
      <details>
        <summary>{t('plans.installments')}</summary>
        <Schedule plan={plan} compact />
      </details>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      {session.can('manager') && (
        <div className="actions">
          <button type="button" className="primary" onClick={approve} disabled={busy} data-testid="plan-approve">
            {t('approvals.plans.approve')}
          </button>
          <button type="button" className="danger" onClick={() => setRejecting(!rejecting)} aria-expanded={rejecting} disabled={busy} data-testid="plan-reject">
            {t('approvals.plans.reject')}
          </button>
        </div>
      )}
      {rejecting && (
        <form className="c360-form" onSubmit={reject}>
          <label>
            {t('approvals.plans.reason')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} name="reason" required />
          </label>
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            {t('approvals.plans.reject')}
          </button>
        </form>
      )}
    </article>
  );
}
