// The debtor's offers (docs/offers.md): the approved ones still open, each a
// card with what to pay by when and what is taken off, and an accept
// button. The amounts are the server's (GET /portal/{token}/offers); when
// the payment arrives, the company's daily run applies the discount.
import { useCallback, useEffect, useState } from 'react';
import { api, problemText, type Schemas } from '../shared/api';
import { formatDate, formatMoney } from '../shared/format';
import { translate } from '../shared/i18n';
import { usePortalI18n } from './lang';
import { offerMessages } from './offerMessages';

type DebtorOffer = Schemas['DebtorOffer'];

export function Offers({ token, company }: { token: string; company: string }) {
  const { lang } = usePortalI18n();
  const t = useCallback((key: string, vars?: Record<string, string | number>) => translate(offerMessages, lang, key, vars), [lang]);
  const [offers, setOffers] = useState<DebtorOffer[]>([]);
  const [busy, setBusy] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const [accepted, setAccepted] = useState<DebtorOffer | null>(null);

  const load = useCallback(async () => {
    const { data } = await api.GET('/api/v1/portal/{token}/offers', { params: { path: { token } } });
    setOffers(data?.data ?? []);
  }, [token]);
  useEffect(() => {
    load();
  }, [load]);

  async function accept(offer: DebtorOffer) {
    setBusy(offer.id);
    setProblem('');
    const { data, error } = await api.POST('/api/v1/portal/{token}/offers/{id}/accept', { params: { path: { token, id: String(offer.id) } } });
    setBusy(null);
    if (data) {
      setAccepted(data);
      load();
    } else {
      setProblem(problemText(error));
    }
  }

  if (offers.length === 0) return null;
  return (
    <section className="card action offer" id="offers" aria-labelledby="offers-title" data-testid="portal-offers">
      <h2 id="offers-title">{t('offer.title')}</h2>
      {accepted && (
        <p className="done" role="status" data-testid="offer-accepted">
          {t('offer.accepted', { due: formatMoney(accepted.due, lang), date: formatDate(accepted.expires_on, lang) })}
        </p>
      )}
      {offers.map((offer) => (
        <div key={offer.id} className="offer-card" data-testid="portal-offer">
          <h3>
            {t(`offer.type.${offer.type}`)}
            {offer.status === 'accepted' && <> <span className="badge ok">{t('offer.acceptedBadge')}</span></>}
          </h3>
          <p className="offer-pay">
            <strong>{t('offer.pay', { due: formatMoney(offer.due, lang), date: formatDate(offer.expires_on, lang) })}</strong>{' '}
            {t('offer.forgiven', { company, forgiven: formatMoney(offer.forgiven, lang), percent: offer.percent, balance: formatMoney(offer.balance, lang) })}
          </p>
          <p className="muted">{t('offer.invoices', { numbers: offer.invoices.map((i) => i.number).join(', ') })}</p>
          {offer.status === 'approved' && (
            <button type="button" className="primary" disabled={busy !== null} onClick={() => accept(offer)} data-testid="offer-accept">
              {busy === offer.id ? t('offer.accepting') : t('offer.accept')}
            </button>
          )}
        </div>
      ))}
      {problem && <p className="form-error" role="alert">{problem}</p>}
    </section>
  );
}
