// "Pagar en cuotas": the debtor builds a payment plan within the limits the
// business sets (GET plan-options), sees the schedule as the server computes
// it (POST plans/preview, nothing stored: the browser never adds money),
// reads the terms PDF of exactly those choices, accepts them and sends the
// plan. Within the limits it is active at once; outside them it waits for
// the company's approval, and the debtor is told so.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type Schemas } from '../shared/api';
import { formatDate, formatMoney } from '../shared/format';
import { translate } from '../shared/i18n';
import { usePortalI18n } from './lang';
import { apiFieldErrors, apiFormError, Done, Field, FormError } from './parts';
import { planMessages } from './planMessages';
import { parseAmount, amountForInput } from './promise';

type Options = Schemas['PortalPlanOptions'];
type Outcome = Schemas['PortalPlan'];
type Plan = Outcome['plan'];
type Frequency = 'weekly' | 'fortnightly' | 'monthly';

const PREVIEW_DELAY_MS = 300;

function usePlanText() {
  const { lang, t: portalT } = usePortalI18n();
  const t = useCallback((key: string, vars?: Record<string, string | number>) => translate(planMessages, lang, key, vars), [lang]);
  return { t, lang, portalT };
}

export function PlanBuilder({ token, company, onDone }: { token: string; company: string; onDone: () => void }) {
  const { t } = usePlanText();
  const [options, setOptions] = useState<Options | null>(null);
  const [failed, setFailed] = useState('');
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/v1/portal/{token}/plan-options', { params: { path: { token } } });
    if (error || !data) {
      setFailed(apiFormError(error, []));
      return;
    }
    setOptions(data);
  }, [token]);
  useEffect(() => void load(), [load]);

  if (failed) return <FormError text={failed} />;
  if (!options) return <p className="muted">{t('plan.loading')}</p>;
  if (options.current_plan) return <CurrentPlan token={token} plan={options.current_plan} awaiting={options.awaiting_approval} />;
  if (!options.available || !options.balance) {
    return (
      <p className="muted" data-testid="plan-unavailable">
        {options.reason ?? t('plan.unavailable')}
      </p>
    );
  }
  return (
    <PlanForm
      token={token}
      company={company}
      options={options}
      onDone={() => {
        onDone();
      }}
    />
  );
}

function CurrentPlan({ token, plan, awaiting }: { token: string; plan: Plan; awaiting: boolean }) {
  const { t, lang } = usePlanText();
  const title = plan.status === 'active' ? t('plan.current.active') : awaiting ? t('plan.current.awaiting') : t('plan.current.proposed');
  return (
    <div data-testid="plan-current" data-status={plan.status}>
      <p className={plan.status === 'active' ? 'done' : 'plan-notice'}>{title}</p>
      <p>
        {t('plan.current.summary', {
          count: plan.installment_count,
          frequency: t(`plan.every.${plan.frequency}`),
          total: formatMoney(plan.total, lang),
        })}
      </p>
      <Schedule plan={plan} showStatus />
      <a className="button" href={`/api/v1/portal/${encodeURIComponent(token)}/plans/${plan.id}/terms.pdf?lang=${lang}`} target="_blank" rel="noopener">
        {t('plan.current.terms')}
      </a>
    </div>
  );
}

function PlanForm({ token, company, options, onDone }: { token: string; company: string; options: Options; onDone: () => void }) {
  const { t, lang, portalT } = usePlanText();
  const limits = options.limits;
  const balance = options.balance!;
  const currency = options.currency;
  const maxChoice = limits ? Math.max(limits.max_installments, 1) : 12;
  const suggested = limits ? Math.max(1, Math.min(limits.max_installments_at_min_down || 1, limits.max_installments)) : 3;
  const [installments, setInstallments] = useState(suggested);
  const [frequency, setFrequency] = useState<Frequency>('monthly');
  const [firstDate, setFirstDate] = useState(limits?.earliest_first_date ?? options.today);
  const [downText, setDownText] = useState(limits && !/^0(\.0+)?$/.test(limits.min_down_payment.amount) ? amountForInput(limits.min_down_payment.amount, lang) : '');
  const [accepted, setAccepted] = useState(false);
  const [preview, setPreview] = useState<Outcome | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Outcome | null>(null);

  const decimals = (balance.amount.split('.')[1] ?? '').length;
  const downPayment = downText.trim() === '' ? '0' : parseAmount(downText, lang, decimals);
  const choices = useMemo(
    () => ({ installments, frequency, first_date: firstDate, currency, down_payment: downPayment ?? '0' }),
    [installments, frequency, firstDate, currency, downPayment],
  );

  // The schedule, as the server computes it, a moment after the last change.
  useEffect(() => {
    if (downPayment === null || !firstDate) return;
    let stale = false;
    setPreviewing(true);
    const timer = setTimeout(async () => {
      const { data, error } = await api.POST('/api/v1/portal/{token}/plans/preview', { params: { path: { token } }, body: choices });
      if (stale) return;
      setPreviewing(false);
      if (error || !data) {
        setPreview(null);
        setErrors(apiFieldErrors(error));
        setFormError(apiFormError(error, ['installments', 'frequency', 'first_date', 'down_payment']));
        return;
      }
      setErrors({});
      setFormError('');
      setPreview(data);
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [choices, token, downPayment, firstDate]);

  if (result) {
    return result.result === 'active' ? (
      <Done testid="plan-done">{t('plan.active', { date: formatDate(result.plan.first_date, lang) })}</Done>
    ) : (
      <div className="plan-notice" role="status" data-testid="plan-awaiting">
        {t('plan.awaiting', { company })}
      </div>
    );
  }

  const termsQuery = new URLSearchParams({ lang, installments: String(installments), frequency, first_date: firstDate, currency, down_payment: downPayment ?? '0' });
  const termsHref = `/api/v1/portal/${encodeURIComponent(token)}/plan-terms.pdf?${termsQuery}`;
  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError('');
    const wanted: Record<string, string> = {};
    if (downPayment === null) wanted.down_payment = t('plan.badAmount', { example: amountForInput(limits?.min_down_payment.amount ?? '100000', lang) });
    if (!accepted) wanted.terms_accepted = t('plan.termsRequired');
    setErrors(wanted);
    if (Object.keys(wanted).length) return;
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/portal/{token}/plans', { params: { path: { token } }, body: { ...choices, terms_accepted: true } });
    setBusy(false);
    if (error || !data) {
      setErrors(apiFieldErrors(error));
      setFormError(apiFormError(error, ['installments', 'frequency', 'first_date', 'down_payment', 'terms_accepted']));
      return;
    }
    setResult(data);
    onDone();
  }

  return (
    <form onSubmit={submit} noValidate data-testid="plan-form">
      <p className="plan-balance">
        <span className="muted">{t('plan.balance')}</span> <strong data-testid="plan-balance">{formatMoney(balance, lang)}</strong>
      </p>
      <Field label={t('plan.installments')} hint={limits ? t('plan.installmentsHint', { max: limits.max_installments }) : undefined} error={errors.installments} testid="plan-installments">
        <select name="installments" value={installments} onChange={(e) => setInstallments(Number(e.target.value))}>
          {Array.from({ length: maxChoice + (limits ? 6 : 0) }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('plan.frequency')}</legend>
        <div className="choices">
          {(['monthly', 'fortnightly', 'weekly'] as Frequency[]).map((f) => (
            <label className="choice" key={f}>
              <input type="radio" name="frequency" value={f} checked={frequency === f} onChange={() => setFrequency(f)} data-testid={`plan-frequency-${f}`} />
              {t(`plan.frequency.${f}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field
        label={t('plan.firstDate')}
        hint={limits ? t('plan.firstDateHint', { from: formatDate(limits.earliest_first_date, lang), to: formatDate(limits.latest_first_date, lang) }) : undefined}
        error={errors.first_date}
        testid="plan-first-date"
      >
        <input type="date" name="first_date" required value={firstDate} min={options.today} onChange={(e) => setFirstDate(e.target.value)} />
      </Field>
      <Field
        label={t('plan.downPayment', { currency })}
        hint={limits ? t('plan.downPaymentHint', { min: formatMoney(limits.min_down_payment, lang), percent: limits.min_down_payment_percent }) : t('plan.downPaymentNone')}
        error={errors.down_payment}
        testid="plan-down-payment"
      >
        <input type="text" name="down_payment" inputMode="decimal" autoComplete="off" value={downText} onChange={(e) => setDownText(e.target.value)} />
      </Field>
      {limits && (
        <button type="button" className="link" onClick={() => setDownText(amountForInput(limits.min_down_payment.amount, lang))}>
          {t('plan.useMinimum', { amount: formatMoney(limits.min_down_payment, lang) })}
        </button>
      )}

      <h3 className="plan-schedule-title">{t('plan.schedule')}</h3>
      <div aria-live="polite" data-testid="plan-preview" data-within={preview ? String(preview.within_limits) : undefined}>
        {previewing && !preview && <p className="muted">{t('plan.calculating')}</p>}
        {preview && (
          <>
            <Schedule plan={preview.plan} />
            {preview.within_limits ? (
              <p className="plan-ok">{t('plan.within')}</p>
            ) : (
              <div className="plan-notice" data-testid="plan-outside">
                <p>{limits ? t('plan.outside', { company }) : t('plan.noLimits')}</p>
                {limits && (
                  <ul>
                    {preview.violations.map((v) => (
                      <li key={v.code}>{v.message}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </>
        )}
      </div>

      <div className={errors.terms_accepted ? 'field invalid' : 'field'}>
        <a href={termsHref} target="_blank" rel="noopener" data-testid="plan-terms-link">
          {t('plan.termsLink')}
        </a>
        <label className="choice">
          <input type="checkbox" name="terms_accepted" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} data-testid="plan-terms" aria-invalid={errors.terms_accepted ? true : undefined} />
          {t('plan.terms')}
        </label>
        {errors.terms_accepted && <span className="field-error">{errors.terms_accepted}</span>}
      </div>
      <FormError text={formError} />
      <button type="submit" className="primary" disabled={busy} data-testid="plan-submit">
        {busy ? portalT('form.sending') : t('plan.submit')}
      </button>
    </form>
  );
}

function Schedule({ plan, showStatus = false }: { plan: Plan; showStatus?: boolean }) {
  const { t, lang } = usePlanText();
  const hasDown = !/^0(\.0+)?$/.test(plan.down_payment.amount);
  return (
    <table className="schedule" data-testid="plan-schedule">
      <thead>
        <tr>
          <th scope="col">{t('plan.col.number')}</th>
          <th scope="col">{t('plan.col.date')}</th>
          <th scope="col" className="num">
            {t('plan.col.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {hasDown && (
          <tr>
            <td>{t('plan.downPaymentRow')}</td>
            <td>{formatDate(plan.accepted_on ?? plan.proposed_on, lang)}</td>
            <td className="num">{formatMoney(plan.down_payment, lang)}</td>
          </tr>
        )}
        {plan.installments.map((installment) => (
          <tr key={installment.number} data-testid="plan-installment">
            <td>
              {installment.number}
              {showStatus && <span className="muted"> · {t(`plan.status.${installment.status}`)}</span>}
            </td>
            <td>{formatDate(installment.due_date, lang)}</td>
            <td className="num">{formatMoney(installment.amount, lang)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t('plan.total')}
          </th>
          <td className="num">
            <strong>{formatMoney(plan.total, lang)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
