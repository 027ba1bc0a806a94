// Opening a dispute with a reason of the tenant's catalogue, and resolving
// one: accepted with a credit note (the invoice's open amount by default, or
// part of it) or rejected with the reason the debtor will read. Used by the
// Disputas screen and the customer's 360 page.
import { useState, type FormEvent } from 'react';
import { api, fieldErrors, problemText, type Schemas } from '../../shared/api';
import { formatMoney } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useLoad } from '../components/useLoad';
import { byField, normalizeAmount } from './customersList';

export type DisputeDetail = Schemas['DisputeDetail'];
export type DisputeResolution = Schemas['DisputeResolution'];

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return <span className="field-error" id={id} role="alert">{message}</span>;
}

// The reasons catalogue, once per form.
export function useDisputeReasons() {
  return useLoad(() => api.GET('/api/v1/dispute-reasons'), []);
}

export function OpenDisputeForm({ invoice, onDone, onCancel }: { invoice: string; onDone: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const reasons = useDisputeReasons();
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason) return setErrors({ reason: t('customers.error.required') });
    setBusy(true);
    const body: { invoice: string; reason: DisputeDetail['reason']; text?: string } = { invoice, reason: reason as DisputeDetail['reason'] };
    if (text.trim()) body.text = text.trim();
    const { data, error: problem } = await api.POST('/api/v1/disputes', { body });
    setBusy(false);
    if (data) return onDone();
    const fields = byField(fieldErrors(problem));
    setErrors(Object.keys(fields).length ? fields : { _: problemText(problem) });
  }
  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('customers.dispute.openOn', { invoice })} data-testid="dispute-form">
      <div className="c360-field">
        <label>
          {t('disputes.open.reason')}
          <select value={reason} onChange={(e) => setReason(e.target.value)} name="reason" aria-invalid={!!errors.reason} aria-describedby="dispute-reason-error" autoFocus>
            <option value="">—</option>
            {(reasons.data?.data ?? []).map((r) => (
              <option key={r.code} value={r.code}>{lang === 'es' ? r.label.es : r.label.en}</option>
            ))}
          </select>
        </label>
        <FieldError id="dispute-reason-error" message={errors.reason} />
      </div>
      <div className="c360-field">
        <label>
          {t('disputes.open.text')}
          <input value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} name="text" aria-invalid={!!errors.text} />
        </label>
        <FieldError id="dispute-text-error" message={errors.text ?? errors._ ?? errors.invoice} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('customers.dispute.open')}</button>
        <button type="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

// The decimal the server takes from what a person typed ("1.000,50" in
// Spanish, "1,000.50" in English).
export function creditAmountFrom(text: string, lang: 'es' | 'en'): string {
  return normalizeAmount(text.trim(), lang);
}

export function ResolveDisputeForm({ dispute, onDone, onCancel }: {
  dispute: DisputeDetail;
  onDone: (result: DisputeResolution) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [outcome, setOutcome] = useState<'accepted' | 'rejected'>('accepted');
  const [amount, setAmount] = useState(dispute.invoice_open.amount);
  const [resolution, setResolution] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (outcome === 'rejected' && !resolution.trim()) return setErrors({ resolution: t('disputes.resolve.required') });
    const credit = creditAmountFrom(amount, lang);
    if (outcome === 'accepted' && !(Number(credit) > 0)) return setErrors({ credit_amount: t('disputes.resolve.amountRequired') });
    setBusy(true);
    const body: { outcome: 'accepted' | 'rejected'; credit_amount?: string; resolution?: string } = { outcome };
    if (outcome === 'accepted') body.credit_amount = credit;
    if (resolution.trim()) body.resolution = resolution.trim();
    const { data, error: problem } = await api.POST('/api/v1/disputes/{id}/resolve', {
      params: { path: { id: String(dispute.id) } },
      body,
    });
    setBusy(false);
    if (data) return onDone(data);
    const fields = byField(fieldErrors(problem));
    setErrors(Object.keys(fields).length ? fields : { _: problemText(problem) });
  }
  return (
    <form className="c360-form dispute-resolve" onSubmit={submit} noValidate data-testid="resolve-form"
      aria-label={t('disputes.resolveTitle', { id: dispute.id, invoice: dispute.invoice_number || dispute.invoice_external_id })}>
      <fieldset>
        <legend>{t('disputes.resolve.outcome')}</legend>
        <label className="inline">
          <input type="radio" name="outcome" value="accepted" checked={outcome === 'accepted'} onChange={() => setOutcome('accepted')} data-testid="outcome-accepted" />
          {t('disputes.resolve.accept')}
        </label>
        <label className="inline">
          <input type="radio" name="outcome" value="rejected" checked={outcome === 'rejected'} onChange={() => setOutcome('rejected')} data-testid="outcome-rejected" />
          {t('disputes.resolve.reject')}
        </label>
        <FieldError id="outcome-error" message={errors.outcome} />
      </fieldset>
      {outcome === 'accepted' && (
        <div className="c360-field">
          <label>
            {t('disputes.resolve.amount', { currency: dispute.invoice_open.currency })}
            <input value={amount} inputMode="decimal" onChange={(e) => setAmount(e.target.value)} name="credit_amount"
              aria-invalid={!!errors.credit_amount} aria-describedby="credit-hint credit-error" data-testid="credit-amount" />
          </label>
          <span className="muted small" id="credit-hint">{t('disputes.resolve.amountHint', { open: formatMoney(dispute.invoice_open, lang) })}</span>
          <FieldError id="credit-error" message={errors.credit_amount} />
        </div>
      )}
      <div className="c360-field">
        <label>
          {outcome === 'rejected' ? t('disputes.resolve.reason') : t('disputes.resolve.note')}
          <textarea rows={3} maxLength={2000} value={resolution} onChange={(e) => setResolution(e.target.value)} name="resolution"
            aria-invalid={!!errors.resolution} aria-describedby="resolution-error" data-testid="resolution" />
        </label>
        <FieldError id="resolution-error" message={errors.resolution ?? errors._} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="resolve-submit">{t('disputes.resolve.submit')}</button>
        <button type="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

// What a resolution did, in words.
export function resolutionText(t: (key: string, vars?: Record<string, string | number>) => string, lang: 'es' | 'en', result: DisputeResolution): string {
  const d = result.dispute;
  if (d.outcome === 'accepted') {
    return t('disputes.resolved.accepted', { id: d.id, note: d.credit_note_id ?? '', amount: formatMoney(d.credit ?? null, lang) });
  }
  if (result.notice) return t('disputes.resolved.rejected', { id: d.id, channel: result.notice.channel });
  return t('disputes.resolved.silent', { id: d.id, reason: result.notice_refusal ?? '' });
}
