// Gestión de llamadas: the collectors' calls, largest expected cash impact
// first (GET /api/v1/worklist), one at a time: the debtor's phone and
// balance, the call script of their stage in their language (rendered by
// POST /api/v1/templates/{stage}/preview for the call channel), one-click
// outcomes (POST /api/v1/tasks/{id}/outcome; a promise asks for its date and
// amount, a dispute for its reason), then the next call. Built for a phone.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, fieldErrors, problemText, type Schemas } from '../../shared/api';
import { formatMoney, formatNumber } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { addDays, nextOpenIndex, parseAmountInput } from './workLogic';

type Task = Schemas['WorklistTask'];
type Outcome = 'contacted' | 'no_answer' | 'wrong_number' | 'promise' | 'refused' | 'dispute';
const OUTCOMES: Outcome[] = ['contacted', 'no_answer', 'promise', 'wrong_number', 'refused', 'dispute'];
const LIMIT = 100;

// A code's label, or the code itself when the catalogue has none.
function labelOr(t: (k: string) => string, key: string, code: string) {
  const label = t(key);
  return label === key ? code : label;
}

function Script({ task }: { task: Task }) {
  const { t } = useI18n();
  const script = useLoad(
    () => api.POST('/api/v1/templates/{key}/preview', { params: { path: { key: task.stage } }, body: { customer: task.customer_external_id, channel: 'call' } }),
    [task.task_id],
  );
  return (
    <details className="wl-script" open data-testid="call-script">
      <summary>
        {t('worklist.script')}
        {script.data && <span className="muted small"> · {t('worklist.scriptLanguage', { language: t(`language.${script.data.language}`) })}</span>}
      </summary>
      {script.loading && !script.data && <Loading />}
      {script.error ? (
        <div className="error-box" role="alert">
          {t('worklist.scriptError')}: {problemText(script.error)}
        </div>
      ) : null}
      {script.data && (
        <div className="wl-script-body" lang={script.data.language}>
          {script.data.body}
        </div>
      )}
    </details>
  );
}

function OutcomeForm({ task, onRecorded }: { task: Task; onRecorded: (outcome: Outcome) => void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<'promise' | 'dispute' | null>(null);
  const [busy, setBusy] = useState<Outcome | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [date, setDate] = useState(() => addDays(new Date(), 7));
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const example = lang === 'es' ? '1.250.000' : '1,250,000.00';

  async function send(outcome: Outcome, extra: { promise_date?: string; promise_amount?: string; reason?: string } = {}) {
    setBusy(outcome);
    setProblem(null);
    const { error } = await api.POST('/api/v1/tasks/{id}/outcome', {
      params: { path: { id: String(task.task_id) } },
      body: { outcome, ...extra },
    });
    setBusy(null);
    if (error) {
      setProblem(error);
      return;
    }
    onRecorded(outcome);
  }

  function choose(outcome: Outcome) {
    setProblem(null);
    setLocalErrors({});
    if (outcome === 'promise' || outcome === 'dispute') {
      setForm(form === outcome ? null : outcome);
      return;
    }
    setForm(null);
    void send(outcome);
  }

  function submitPromise(event: FormEvent) {
    event.preventDefault();
    const value = parseAmountInput(amount, lang);
    const errors: Record<string, string> = {};
    if (!value) errors['/promise_amount'] = t('worklist.amountInvalid', { example });
    setLocalErrors(errors);
    if (!value) return;
    void send('promise', { promise_date: date, promise_amount: value });
  }

  function submitDispute(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setLocalErrors({ '/reason': t('worklist.reasonRequired') });
      return;
    }
    setLocalErrors({});
    void send('dispute', { reason: reason.trim() });
  }

  const errors = { ...fieldErrors(problem), ...localErrors };
  return (
    <section className="wl-outcomes" aria-label={t('worklist.outcome')}>
      <h3>{t('worklist.outcome')}</h3>
      <div className="wl-outcome-buttons">
        {OUTCOMES.map((outcome) => (
          <button
            key={outcome}
            type="button"
            className={`wl-outcome wl-${outcome}${form === outcome ? ' selected' : ''}`}
            aria-expanded={outcome === 'promise' || outcome === 'dispute' ? form === outcome : undefined}
            disabled={busy !== null}
            onClick={() => choose(outcome)}
            data-testid={`outcome-${outcome}`}
          >
            {busy === outcome ? t('common.loading') : t(`worklist.outcome.${outcome}`)}
          </button>
        ))}
      </div>
      {form === 'promise' && (
        <form className="wl-form" onSubmit={submitPromise} data-testid="promise-form" noValidate>
          <label>
            {t('worklist.promiseDate')}
            <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} name="promise_date" />
            {errors['/promise_date'] && <span className="field-error">{errors['/promise_date']}</span>}
          </label>
          <label>
            {t('worklist.promiseAmount', { currency: task.open.currency })}
            <input
              type="text"
              inputMode="decimal"
              autoComplete="off"
              required
              value={amount}
              placeholder={example}
              onChange={(e) => setAmount(e.target.value)}
              name="promise_amount"
              aria-invalid={errors['/promise_amount'] ? true : undefined}
            />
            <span className="muted small">{t('worklist.promiseAmountHint', { amount: formatMoney(task.open, lang) })}</span>
            {errors['/promise_amount'] && <span className="field-error">{errors['/promise_amount']}</span>}
          </label>
          <button type="submit" className="primary wl-big" disabled={busy !== null}>
            {t('worklist.recordPromise')}
          </button>
        </form>
      )}
      {form === 'dispute' && (
        <form className="wl-form" onSubmit={submitDispute} data-testid="dispute-form" noValidate>
          <label>
            {t('worklist.reasonDispute')}
            <textarea rows={3} required value={reason} onChange={(e) => setReason(e.target.value)} name="reason" />
            {errors['/reason'] && <span className="field-error">{errors['/reason']}</span>}
          </label>
          <button type="submit" className="primary wl-big" disabled={busy !== null}>
            {t('worklist.recordDispute')}
          </button>
        </form>
      )}
      {problem ? <ErrorBox error={problem} /> : null}
    </section>
  );
}

function CallCard({
  task,
  position,
  total,
  recorded,
  canAct,
  onRecorded,
  onNext,
  hasNext,
}: {
  task: Task;
  position: number;
  total: number;
  recorded: Outcome | undefined;
  canAct: boolean;
  onRecorded: (outcome: Outcome) => void;
  onNext: () => void;
  hasNext: boolean;
}) {
  const { t, lang } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const nextButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, [task.task_id]);
  useEffect(() => {
    if (recorded) nextButton.current?.focus();
  }, [recorded]);
  return (
    <section className="card wl-card" aria-labelledby="wl-current" data-testid="current-call" data-task={task.task_id}>
      <p className="muted small wl-position">{t('worklist.position', { n: formatNumber(position, lang), total: formatNumber(total, lang) })}</p>
      <h2 id="wl-current" ref={heading} tabIndex={-1}>
        {task.customer_name}
      </h2>
      <p className="muted small wl-sub">
        <Link href={`/customers/${encodeURIComponent(task.customer_external_id)}`}>{task.customer_external_id}</Link>
        {' · '}
        {task.assignee ? t('worklist.assignee', { who: task.assignee }) : t('worklist.unassigned')}
      </p>
      {task.phone ? (
        <a className="wl-phone" href={`tel:${task.phone}`} data-testid="call-phone">
          <span aria-hidden="true">☎</span> {t('worklist.call', { phone: task.phone })}
        </a>
      ) : (
        <p className="badge warn">{t('worklist.noPhone')}</p>
      )}
      <dl className="wl-facts">
        <div>
          <dt>{t('worklist.balance')}</dt>
          <dd className="wl-balance" data-testid="call-balance"><MoneyText value={task.open} /></dd>
        </div>
        <div>
          <dt>{t('worklist.impact')}</dt>
          <dd><MoneyText value={task.expected_impact} /></dd>
        </div>
        <div>
          <dt>{t('worklist.daysPastDue')}</dt>
          <dd className={task.days_past_due > 0 ? 'danger' : ''}>{formatNumber(task.days_past_due, lang)}</dd>
        </div>
        <div>
          <dt>{t('worklist.stage')}</dt>
          <dd>{labelOr(t, `stage.${task.stage}`, task.stage)}</dd>
        </div>
        <div>
          <dt>{t('worklist.segment')}</dt>
          <dd>{labelOr(t, `worklist.seg.${task.segment}`, task.segment)}</dd>
        </div>
        <div>
          <dt>{t('worklist.history')}</dt>
          <dd>{task.history ? labelOr(t, `worklist.hist.${task.history}`, task.history) : '—'}</dd>
        </div>
      </dl>
      <Script task={task} />
      {recorded ? (
        <div className="notice" role="status" data-testid="recorded">
          {t('worklist.recorded', { outcome: t(`worklist.outcome.${recorded}`) })}
        </div>
      ) : canAct ? (
        <OutcomeForm key={task.task_id} task={task} onRecorded={onRecorded} />
      ) : (
        <p className="muted small">{t('worklist.viewerNote')}</p>
      )}
      <div className="wl-nav">
        <button
          ref={nextButton}
          type="button"
          className={`wl-big ${recorded ? 'primary' : ''}`}
          onClick={onNext}
          disabled={!hasNext}
          data-testid="next-call"
        >
          {recorded || !canAct ? t('worklist.next') : `${t('worklist.skip')} → ${t('worklist.next')}`}
        </button>
      </div>
    </section>
  );
}

export function Worklist() {
  const { t, lang } = useI18n();
  const session = useSession();
  const canAct = session.can('collector');
  const [mine, setMine] = useState(session.principal?.role === 'collector');
  const list = useLoad(() => api.GET('/api/v1/worklist', { params: { query: { limit: LIMIT, mine: mine || undefined } } }), [mine]);
  const [current, setCurrent] = useState(0);
  const [done, setDone] = useState<Map<number, Outcome>>(new Map());
  // The calls; other kinds (an overdue dispute, a credit review) have task_id 0
  // and are worked on their own screens (overdue disputes: /disputes).
  const tasks = useMemo(() => (list.data?.data ?? []).filter((item) => (item.kind ?? 'call_task') === 'call_task'), [list.data]);
  const overdueDisputes = useMemo(() => (list.data?.data ?? []).filter((item) => item.kind === 'dispute').length, [list.data]);
  const reviews = useMemo(() => (list.data?.data ?? []).filter((item) => item.kind === 'credit_review'), [list.data]);
  const ids = useMemo(() => tasks.map((task) => task.task_id), [tasks]);
  const doneIds = useMemo(() => new Set(done.keys()), [done]);

  // A fresh list starts from the top with nothing recorded.
  useEffect(() => {
    setCurrent(0);
    setDone(new Map());
  }, [list.data]);

  const next = nextOpenIndex(ids, current, doneIds);
  const allDone = tasks.length > 0 && next === -1;
  const task = tasks[current];
  const open = tasks.length - done.size;

  return (
    <div className="worklist">
      {overdueDisputes > 0 && (
        <p className="notice" data-testid="overdue-disputes">
          <Link href="/disputes">{t('worklist.overdueDisputes', { count: overdueDisputes })}</Link>
        </p>
      )}
      {reviews.length > 0 && (
        <section className="notice" data-testid="credit-reviews" aria-labelledby="wl-reviews">
          <strong id="wl-reviews">{t('worklist.creditReviews', { count: reviews.length })}</strong>
          <ul>
            {reviews.map((item) => (
              <li key={item.customer_external_id}>
                <Link href={`/customers/${encodeURIComponent(item.customer_external_id)}`}>{item.customer_name}</Link>
                {item.credit_review && <span className="muted"> · {t(`worklist.reviewReason.${item.credit_review.reason}`)}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="page-head">
        <div>
          <h1>{t('worklist.title')}</h1>
          <p className="muted">
            {t('worklist.subtitle')}
            {list.data && (
              <>
                {' · '}
                <span data-testid="worklist-count">
                  {list.data.has_more ? t('worklist.countMore', { count: formatNumber(tasks.length, lang) }) : open === 1 ? t('worklist.countOne') : t('worklist.count', { count: formatNumber(open, lang) })}
                </span>
              </>
            )}
          </p>
        </div>
        {canAct && (
          <label className="inline">
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="only-mine" />
            {t('worklist.onlyMine')}
          </label>
        )}
      </div>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && tasks.length === 0 && <p className="card muted" data-testid="worklist-empty">{t('worklist.empty')}</p>}
      {tasks.length > 0 && (
        <div className="wl-layout">
          <div className="wl-main">
            {allDone && (
              <div className="notice wl-all-done" role="status">
                {t('worklist.allDone')}{' '}
                <button type="button" className="link" onClick={list.reload}>
                  {t('worklist.reload')}
                </button>
              </div>
            )}
            {task && (
              <CallCard
                key={task.task_id}
                task={task}
                position={current + 1}
                total={tasks.length}
                recorded={done.get(task.task_id)}
                canAct={canAct}
                hasNext={next !== -1 && next !== current}
                onRecorded={(outcome) => setDone((previous) => new Map(previous).set(task.task_id, outcome))}
                onNext={() => next !== -1 && setCurrent(next)}
              />
            )}
          </div>
          <section className="card wl-queue" aria-label={t('worklist.queue')}>
            <h2>{t('worklist.queue')}</h2>
            <ol className="wl-list" data-testid="worklist-queue">
              {tasks.map((item, index) => (
                <li key={item.task_id}>
                  <button
                    type="button"
                    className={`wl-item${index === current ? ' current' : ''}${done.has(item.task_id) ? ' done' : ''}`}
                    aria-current={index === current ? 'true' : undefined}
                    onClick={() => setCurrent(index)}
                  >
                    <span className="wl-item-name">{item.customer_name}</span>
                    <span className="wl-item-meta">
                      <MoneyText value={item.expected_impact} /> · {labelOr(t, `stage.${item.stage}`, item.stage)}
                      {done.has(item.task_id) && <span className="badge ok"> {t(`worklist.outcome.${done.get(item.task_id)}`)}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </div>
  );
}
