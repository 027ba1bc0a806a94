// The approval queue's offers (docs/offers.md): offers above their maker's
// limit, waiting for a manager or admin whose own limit covers them. The
// server decides who may approve (403 with the reason otherwise: the limit,
// or the approver made the offer); the buttons show only to a manager and above.
import { useState } from 'react';
import { Link } from 'wouter';
import { api, problemText, type Schemas } from '../../../shared/api';
import { formatDate, formatTimestamp } from '../../../shared/format';
import { useI18n } from '../../../shared/i18n';
import { MoneyText } from '../../components/MoneyText';
import { ErrorBox, Loading } from '../../components/Status';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { limitText } from '../customer360Offers';

type Offer = Schemas['Offer'];
type Limits = Schemas['OfferLimits'];

function PendingOffer({ offer, limits, onDecided }: { offer: Offer; limits: Limits | undefined; onDecided: (message: string) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { id: String(offer.id) } } };
  const mine = limits?.limits.find((l) => l.role === session.principal?.role);

  async function decide(approve: boolean) {
    if (!approve && !note.trim()) return setProblem(t('offers.rejectNoteRequired'));
    setBusy(true);
    setProblem('');
    const { data, error } = approve
      ? await api.POST('/api/v1/offers/{id}/approve', { ...path, body: note.trim() ? { note: note.trim() } : {} })
      : await api.POST('/api/v1/offers/{id}/reject', { ...path, body: { note: note.trim() } });
    setBusy(false);
    if (data) onDecided(t(approve ? 'offers.approved' : 'offers.rejected', { id: String(offer.id) }));
    else setProblem(problemText(error));
  }

  return (
    <li className="offer-approval" data-testid="offer-approval">
      <div className="page-head">
        <h3>
          <Link href={`/customers/${encodeURIComponent(offer.customer_external_id)}`}>{offer.customer_name}</Link>{' '}
          <span className="muted small">{offer.customer_external_id}</span>
        </h3>
        <span className="badge warn">{t(`offers.type.${offer.type}`)}</span>
      </div>
      <dl className="c360-dl">
        <dt>{t('offers.quote.balance')}</dt><dd><MoneyText value={offer.balance} /></dd>
        <dt>{t('offers.quote.forgiven')}</dt><dd data-testid="approval-forgiven"><strong><MoneyText value={offer.forgiven} /> ({offer.percent} %)</strong></dd>
        <dt>{t('offers.quote.due')}</dt><dd><MoneyText value={offer.due} /> {t('offers.quote.byDate', { date: formatDate(offer.expires_on, lang) })}</dd>
      </dl>
      <p className="muted small">
        {t('offers.approvals.madeBy', { who: offer.created_by, date: formatTimestamp(offer.created_at, lang) })}
        {offer.note && <> · {offer.note}</>}
        {mine && <> · {t('offers.approvals.yourLimit', { limit: limitText({ max_percent: mine.max_percent, max_amount: null }, t) })}</>}
      </p>
      {session.can('manager') && (
        <div className="offer-decision">
          <label>
            {t('offers.approveNote')} / {t('offers.rejectNote')}
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} data-testid="approval-note" />
          </label>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => decide(true)} data-testid="offer-approve">{t('offers.approve')}</button>
            <button type="button" className="danger" disabled={busy} onClick={() => decide(false)} data-testid="offer-reject">{t('offers.reject')}</button>
          </div>
        </div>
      )}
      {problem && <p className="error-box" role="alert">{problem}</p>}
    </li>
  );
}

export function OfferApprovals() {
  const { t } = useI18n();
  const queue = useLoad(() => api.GET('/api/v1/offers', { params: { query: { status: 'pending_approval', limit: 100 } } }), []);
  const limits = useLoad(() => api.GET('/api/v1/offer-limits'), []);
  const [notice, setNotice] = useState('');
  const offers = queue.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="approvals-offers" data-testid="offer-approvals">
      <h2 id="approvals-offers">{t('offers.approvals.title')}</h2>
      {notice && <p className="notice" role="status" data-testid="approval-notice">{notice}</p>}
      {queue.loading && !queue.data ? (
        <Loading />
      ) : queue.error ? (
        <ErrorBox error={queue.error} onRetry={queue.reload} />
      ) : offers.length === 0 ? (
        <p className="muted">{t('offers.approvals.none')}</p>
      ) : (
        <ul className="plain offer-approvals">
          {offers.map((offer) => (
            <PendingOffer key={offer.id} offer={offer} limits={limits.data} onDecided={(m) => { setNotice(m); queue.reload(); }} />
          ))}
        </ul>
      )}
    </section>
  );
}
