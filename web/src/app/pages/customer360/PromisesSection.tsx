// The customer 360's promise history: every promise the run has settled
// (kept, partly kept, broken) or that was cancelled, with its status badge
// and the payments that kept it, and the customer's promise-kept rate over
// the report's default period (GET /api/v1/reports/promises?by=customer).
// Open promises stay in the 360's own "Promesas de pago" card.
import { api, type Schemas } from '../../../shared/api';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../../../shared/format';
import { useI18n } from '../../../shared/i18n';
import { ErrorBox } from '../../components/Status';
import { useLoad } from '../../components/useLoad';

type Promise_ = Schemas['Promise'];

const BADGE: Record<string, string> = { kept: 'ok', partially_kept: 'warn', broken: 'danger', cancelled: '' };

// The outcome a person reads: the run's, or "cancelled".
export function promiseOutcome(promise: Promise_): string | null {
  if (promise.status === 'cancelled') return 'cancelled';
  if (promise.outcome) return promise.outcome;
  // Settled before outcomes were recorded: the status says it.
  return promise.status === 'kept' || promise.status === 'broken' ? promise.status : null;
}

export function PromisesSection({ customer }: { customer: string }) {
  const { t, lang } = useI18n();
  const promises = useLoad(() => api.GET('/api/v1/promises', { params: { query: { customer } } }), [customer]);
  const report = useLoad(
    () => api.GET('/api/v1/reports/promises', { params: { query: { by: 'customer', customer } } }),
    [customer],
  );
  if (promises.error) return <ErrorBox error={promises.error} onRetry={promises.reload} />;
  const settled = (promises.data?.data ?? []).filter((p) => promiseOutcome(p) !== null);
  // Latest first: what the collector asks about next.
  settled.sort((a, b) => (a.promised_date < b.promised_date ? 1 : a.promised_date > b.promised_date ? -1 : b.id - a.id));
  const row = report.data?.rows[0];
  if (settled.length === 0 && !row) return null;
  const kept = row?.kept ?? 0;
  const count = kept + (row?.partially_kept ?? 0) + (row?.broken ?? 0);
  return (
    <section className="card promises-history" aria-labelledby="c360-promise-history" data-testid="promise-history">
      <h2 id="c360-promise-history">{t('promises.history')}</h2>
      {report.data && (
        <p data-testid="promise-rate">
          {row && row.kept_rate !== null
            ? t('promises.rate', {
                kept: formatNumber(kept, lang),
                settled: formatNumber(count, lang),
                rate: formatPercent(row.kept_rate, lang),
                from: formatDate(report.data.from, lang),
                to: formatDate(report.data.to, lang),
              })
            : t('promises.rateNone', { from: formatDate(report.data.from, lang), to: formatDate(report.data.to, lang) })}
        </p>
      )}
      <ul className="plain promises-list">
        {settled.map((p) => {
          const outcome = promiseOutcome(p) ?? 'broken';
          return (
            <li key={p.id} data-testid={`promise-${p.id}`}>
              <span className={`badge ${BADGE[outcome] ?? ''}`}>{t(`promises.outcome.${outcome}`)}</span>{' '}
              {t('promises.line', { amount: formatMoney(p.amount, lang), date: formatDate(p.promised_date, lang) })}
              {p.covered && outcome !== 'cancelled' && (
                <span className="muted"> · {t('promises.covered', { covered: formatMoney(p.covered, lang), amount: formatMoney(p.amount, lang) })}</span>
              )}
              {outcome !== 'cancelled' &&
                (p.payments && p.payments.length > 0 ? (
                  <ul className="plain promise-payments" aria-label={t('promises.paidBy')}>
                    {p.payments.map((payment) => (
                      <li key={payment.id}>
                        {t('promises.payment', {
                          date: formatDate(payment.date, lang),
                          id: payment.external_id,
                          amount: formatMoney(payment.amount, lang),
                        })}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted promise-payments">{t('promises.noPayments')}</p>
                ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
