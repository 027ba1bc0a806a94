// Credit policy on the customer 360 (docs/credit-policy.md): the hold as
// the last run left it and why, limit and exposure (computed by the
// server), when the next credit review is due, earlier reviews, and for a
// manager the form to record a review (POST /customers/{id}/credit-reviews),
// which may change the limit. CreditHoldBadge is the customers list's badge.
import { useState, type FormEvent } from 'react';
import { api, fieldErrors, problemText, type Schemas } from '../../../shared/api';
import { formatDate, formatMoney } from '../../../shared/format';
import { useI18n } from '../../../shared/i18n';
import { MoneyText } from '../../components/MoneyText';
import { ErrorBox } from '../../components/Status';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';

type Customer = Schemas['Customer'];
type Credit = Schemas['CustomerCredit'];

// The reasons as a person reads them ("supera el cupo; mora ...").
function reasonsText(reasons: readonly string[], t: (key: string) => string): string {
  return reasons.map((r) => t(`credit.reason.${r}`)).join('; ');
}

export function CreditHoldBadge({ onHold, reasons }: { onHold: boolean | undefined; reasons?: readonly string[] }) {
  const { t } = useI18n();
  if (!onHold) return null;
  const why = reasons && reasons.length > 0 ? reasonsText(reasons, t) : '';
  return (
    <span className="badge danger credit-hold-badge" title={why} data-testid="credit-hold-badge">
      {t('credit.onHold')}
      {why && <span className="c360-sr-only">: {why}</span>}
    </span>
  );
}

function ReviewForm({ customer, onDone, onCancel }: { customer: Customer; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [limit, setLimit] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const body: { note: string; limit?: string } = { note: note.trim() };
    if (limit.trim()) body.limit = limit.trim();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/customers/{id}/credit-reviews', {
      params: { path: { id: customer.external_id } },
      body,
    });
    setBusy(false);
    if (data) return onDone();
    const fields = fieldErrors(error);
    setErrors(Object.keys(fields).length > 0 ? fields : { '': problemText(error) });
  }
  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('credit.record')} data-testid="credit-review-form">
      <div className="c360-field">
        <label>
          {t('credit.note')}
          <textarea rows={3} value={note} maxLength={2000} name="note" onChange={(e) => setNote(e.target.value)}
            aria-invalid={!!errors['/note']} aria-describedby="credit-note-error" />
        </label>
        {errors['/note'] && <p id="credit-note-error" className="field-error" role="alert">{errors['/note']}</p>}
      </div>
      {customer.currency && (
        <div className="c360-field">
          <label>
            {t('credit.newLimit', { currency: customer.currency })}
            <input inputMode="decimal" value={limit} name="limit" onChange={(e) => setLimit(e.target.value)}
              placeholder={customer.credit_limit?.amount ?? ''} aria-invalid={!!errors['/limit']} aria-describedby="credit-limit-error" />
          </label>
          {errors['/limit'] && <p id="credit-limit-error" className="field-error" role="alert">{errors['/limit']}</p>}
        </div>
      )}
      {errors[''] && <p className="field-error" role="alert">{errors['']}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="credit-review-save">{t('credit.save')}</button>
        <button type="button" onClick={onCancel}>{t('credit.cancel')}</button>
      </div>
    </form>
  );
}

export function CreditSection({ customer }: { customer: Customer }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const id = customer.external_id;
  // After a review the limit and the review dates change: the section reads
  // the customer again rather than trusting the page's copy.
  const fresh = useLoad(() => api.GET('/api/v1/customers/{id}', { params: { path: { id } } }), [id]);
  const reviews = useLoad(() => api.GET('/api/v1/customers/{id}/credit-reviews', { params: { path: { id }, query: { limit: 5 } } }), [id]);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const shown: Customer = fresh.data ?? customer;
  const credit: Credit | undefined = shown.credit;
  if (!credit) return null;
  return (
    <section className="card credit-card" aria-labelledby="c360-credit" data-testid="credit-section">
      <h2 id="c360-credit">
        {t('credit.title')}{' '}
        {credit.on_hold ? (
          <CreditHoldBadge onHold reasons={credit.hold_reasons} />
        ) : (
          <span className="badge ok" data-testid="credit-ok">{t('credit.notOnHold')}</span>
        )}
      </h2>
      {credit.on_hold && (
        <p className="danger" data-testid="credit-reasons">
          {reasonsText(credit.hold_reasons, t)}
          {credit.hold_since && ` — ${t('credit.since', { date: formatDate(credit.hold_since, lang) })}`}
        </p>
      )}
      <dl className="credit-figures">
        <div>
          <dt>{t('credit.limit')}</dt>
          <dd data-testid="credit-limit">{credit.limit ? <MoneyText value={credit.limit} /> : <span className="muted">{t('credit.noLimit')}</span>}</dd>
        </div>
        <div>
          <dt title={t('credit.exposureHint')}>{t('credit.exposure')}</dt>
          <dd data-testid="credit-exposure">{credit.exposure ? <MoneyText value={credit.exposure} /> : '—'}</dd>
        </div>
        <div>
          <dt>{t('credit.review')}</dt>
          <dd data-testid="credit-review">
            {credit.review_due && credit.review_due_on ? (
              <span className="badge warn">
                {t('credit.reviewDue', { date: formatDate(credit.review_due_on, lang) })}
                {credit.review_reason && ` (${t(`credit.reviewReason.${credit.review_reason}`)})`}
              </span>
            ) : credit.review_due_on ? (
              t('credit.reviewNext', { date: formatDate(credit.review_due_on, lang) })
            ) : (
              '—'
            )}
            <div className="muted small">
              {credit.last_reviewed_on ? t('credit.lastReviewed', { date: formatDate(credit.last_reviewed_on, lang) }) : t('credit.neverReviewed')}
            </div>
          </dd>
        </div>
      </dl>
      {notice && <p className="notice" role="status">{notice}</p>}
      {session.can('manager') && !open && (
        <div className="actions">
          <button type="button" onClick={() => { setOpen(true); setNotice(''); }} data-testid="credit-review-open">{t('credit.record')}</button>
        </div>
      )}
      {open && (
        <ReviewForm
          customer={shown}
          onCancel={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            setNotice(t('credit.saved'));
            fresh.reload();
            reviews.reload();
          }}
        />
      )}
      {reviews.error ? <ErrorBox error={reviews.error} onRetry={reviews.reload} /> : null}
      {reviews.data && reviews.data.data.length > 0 && (
        <details className="credit-history">
          <summary>{t('credit.history')}</summary>
          <table className="table">
            <thead>
              <tr>
                <th>{t('credit.col.date')}</th>
                <th className="num">{t('credit.col.before')}</th>
                <th className="num">{t('credit.col.after')}</th>
                <th className="hide-phone">{t('credit.col.by')}</th>
                <th>{t('credit.col.note')}</th>
              </tr>
            </thead>
            <tbody>
              {reviews.data.data.map((r) => (
                <tr key={r.id} data-testid={`credit-review-${r.id}`}>
                  <td>{formatDate(r.reviewed_on, lang)}</td>
                  <td className="num">{r.limit_before ? formatMoney(r.limit_before, lang) : '—'}</td>
                  <td className="num">{r.limit_after ? formatMoney(r.limit_after, lang) : '—'}</td>
                  <td className="hide-phone">{r.reviewer}</td>
                  <td>{r.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
