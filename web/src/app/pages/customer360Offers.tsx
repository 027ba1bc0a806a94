// The 360 page's "Ofertas" section (docs/offers.md): the customer's offers
// with their state, and, for a collector and above, a form that makes one.
// Every amount on screen comes from the server: while the collector types,
// POST /customers/{id}/offers/quote computes the covered balance, the part
// forgiven, what the debtor must pay and whether the offer is within the
// collector's approval limit; nothing is summed here.
import { useEffect, useState, type FormEvent } from 'react';
import { api, fieldErrors, problemText, type Schemas } from '../../shared/api';
import { formatDate } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { byField, normalizeAmount, todayIn } from './customersList';

type Customer = Schemas['Customer'];
type Offer = Schemas['Offer'];
type Quote = Schemas['OfferQuote'];
type OfferType = Offer['type'];

const TYPES: OfferType[] = ['early_payment_discount', 'waiver', 'settlement'];
const LIVE = ['pending_approval', 'approved', 'accepted'];

export function statusBadge(status: string): string {
  if (status === 'approved' || status === 'accepted' || status === 'fulfilled') return 'badge ok';
  if (status === 'pending_approval') return 'badge warn';
  if (status === 'rejected' || status === 'expired') return 'badge danger';
  return 'badge';
}

export function limitText(limit: Quote['your_limit'], t: (k: string, v?: Record<string, string>) => string): string {
  const parts: string[] = [];
  parts.push(limit.max_percent === null ? t('offers.quote.noLimit') : `${limit.max_percent} %`);
  if (limit.max_amount) parts.push(`${limit.max_amount.amount} ${limit.max_amount.currency}`);
  return parts.join(', ');
}

interface Draft {
  type: OfferType;
  mode: 'percent' | 'amount';
  value: string;
  expires: string;
  excluded: string[];
  note: string;
}

function requestBody(draft: Draft, invoices: string[] | undefined, lang: 'es' | 'en') {
  const value = draft.mode === 'amount' ? normalizeAmount(draft.value, lang) : draft.value.trim().replace(',', '.');
  return {
    type: draft.type,
    ...(draft.mode === 'percent' ? { percent: value } : { amount: value }),
    expires_on: draft.expires,
    ...(invoices ? { invoices } : {}),
    ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
  };
}

function OfferForm({ customer, onDone, onCancel }: { customer: Customer; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const id = customer.external_id;
  const today = todayIn(customer.time_zone);
  const [draft, setDraft] = useState<Draft>({ type: 'early_payment_discount', mode: 'percent', value: '', expires: '', excluded: [], note: '' });
  const [quote, setQuote] = useState<Quote | null>(null);
  const [allInvoices, setAllInvoices] = useState<Quote['invoices']>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = draft.excluded.length ? allInvoices.map((i) => i.invoice_external_id).filter((x) => !draft.excluded.includes(x)) : undefined;

  // The live terms, asked a moment after the last keystroke.
  useEffect(() => {
    if (!draft.value.trim() || !draft.expires) {
      setQuote(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(async () => {
      const { data, error } = await api.POST('/api/v1/customers/{id}/offers/quote', {
        params: { path: { id } },
        body: requestBody(draft, chosen, lang),
      });
      if (stale) return;
      setQuote(data ?? null);
      if (data && !chosen) setAllInvoices(data.invoices);
      setErrors(data ? {} : byField(fieldErrors(error)));
      setProblem(data || Object.keys(fieldErrors(error)).length ? '' : problemText(error));
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, id, lang]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/customers/{id}/offers', { params: { path: { id } }, body: requestBody(draft, chosen, lang) });
    setBusy(false);
    if (data) return onDone(t(data.status === 'pending_approval' ? 'offers.saved.pending' : 'offers.saved.approved', { id: String(data.id) }));
    const fields = byField(fieldErrors(error));
    setErrors(fields);
    if (!Object.keys(fields).length) setProblem(problemText(error));
  }

  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  return (
    <form className="c360-form" onSubmit={submit} noValidate aria-label={t('offers.new')} data-testid="offer-form">
      <div className="c360-form-grid">
        <div className="c360-field">
          <label>
            {t('offers.type')}
            <select value={draft.type} onChange={(e) => set({ type: e.target.value as OfferType })} name="type" data-testid="offer-type">
              {TYPES.map((type) => <option key={type} value={type}>{t(`offers.type.${type}`)}</option>)}
            </select>
          </label>
          {errors.type && <span className="field-error" role="alert">{errors.type}</span>}
        </div>
        <fieldset className="c360-field offers-mode">
          <legend>{t('offers.mode')}</legend>
          <label className="inline"><input type="radio" name="mode" checked={draft.mode === 'percent'} onChange={() => set({ mode: 'percent' })} /> {t('offers.mode.percent')}</label>
          <label className="inline"><input type="radio" name="mode" checked={draft.mode === 'amount'} onChange={() => set({ mode: 'amount' })} /> {t('offers.mode.amount')}</label>
        </fieldset>
        <div className="c360-field">
          <label>
            {t(draft.mode === 'percent' ? 'offers.percent' : 'offers.amount')}
            <input inputMode="decimal" value={draft.value} onChange={(e) => set({ value: e.target.value })} name="value" data-testid="offer-value"
              aria-invalid={!!(errors.percent || errors.amount)} placeholder={draft.mode === 'percent' ? '5' : lang === 'es' ? '50.000' : '50,000.00'} />
          </label>
          {(errors.percent || errors.amount) && <span className="field-error" role="alert">{errors.percent || errors.amount}</span>}
        </div>
        <div className="c360-field">
          <label>
            {t('offers.expires')}
            <input type="date" value={draft.expires} min={today} onChange={(e) => set({ expires: e.target.value })} name="expires_on" data-testid="offer-expires" aria-invalid={!!errors.expires_on} />
          </label>
          {errors.expires_on && <span className="field-error" role="alert">{errors.expires_on}</span>}
        </div>
      </div>
      {allInvoices.length > 1 && (
        <fieldset className="offers-invoices">
          <legend>{t('offers.invoices')}</legend>
          {allInvoices.map((invoice) => (
            <label key={invoice.invoice_external_id} className="inline">
              <input type="checkbox" checked={!draft.excluded.includes(invoice.invoice_external_id)}
                onChange={(e) => set({ excluded: e.target.checked ? draft.excluded.filter((x) => x !== invoice.invoice_external_id) : [...draft.excluded, invoice.invoice_external_id] })} />{' '}
              {invoice.number} · <MoneyText value={invoice.open} /> · {formatDate(invoice.due_date, lang)}
            </label>
          ))}
          {errors.invoices && <span className="field-error" role="alert">{errors.invoices}</span>}
        </fieldset>
      )}
      <label className="c360-field">
        {t('offers.note')}
        <input value={draft.note} onChange={(e) => set({ note: e.target.value })} name="note" maxLength={1000} />
      </label>
      <div className="offers-quote" aria-live="polite" data-testid="offer-quote">
        {quote ? (
          <>
            <dl className="c360-dl">
              <dt>{t('offers.quote.balance')}</dt><dd><MoneyText value={quote.balance} /></dd>
              <dt>{t('offers.quote.forgiven')}</dt><dd data-testid="quote-forgiven"><MoneyText value={quote.forgiven} /> ({quote.percent} %)</dd>
              <dt>{t('offers.quote.due')}</dt><dd data-testid="quote-due"><strong><MoneyText value={quote.due} /></strong> {t('offers.quote.byDate', { date: formatDate(quote.expires_on, lang) })}</dd>
            </dl>
            <p className={quote.needs_approval ? 'offers-needs-approval' : 'muted'} data-testid="quote-approval">
              {t(quote.needs_approval ? 'offers.quote.needsApproval' : 'offers.quote.withinLimit', { limit: limitText(quote.your_limit, t) })}
            </p>
          </>
        ) : (
          <p className="muted">{t('offers.quote.hint')}</p>
        )}
      </div>
      {problem && <p className="error-box" role="alert">{problem}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !quote} data-testid="offer-submit">{t('offers.create')}</button>
        <button type="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function OfferRow({ offer, onChanged }: { offer: Offer; onChanged: (message: string) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [problem, setProblem] = useState('');
  const path = { params: { path: { id: String(offer.id) } } };
  async function withdraw() {
    const { data, error } = await api.POST('/api/v1/offers/{id}/withdraw', { ...path, body: {} });
    if (data) onChanged(t('offers.withdrawn', { id: String(offer.id) }));
    else setProblem(problemText(error));
  }
  async function accept(channel: 'phone' | 'email' | 'in_person') {
    const { data, error } = await api.POST('/api/v1/offers/{id}/accept', { ...path, body: { channel } });
    if (data) onChanged(t('offers.accepted', { id: String(offer.id) }));
    else setProblem(problemText(error));
  }
  const mine = session.principal?.name && offer.created_by.endsWith(`:${session.principal.name}`);
  return (
    <tr data-testid="offer-row">
      <td>
        {offer.id} · {t(`offers.type.${offer.type}`)}
        {offer.note && <div className="muted small">{offer.note}</div>}
        {problem && <div className="field-error" role="alert">{problem}</div>}
      </td>
      <td className="num">{offer.percent}</td>
      <td className="num"><MoneyText value={offer.forgiven} /></td>
      <td className="num"><MoneyText value={offer.due} /></td>
      <td>{formatDate(offer.expires_on, lang)}</td>
      <td><span className={statusBadge(offer.status)} data-testid="offer-status">{t(`offers.status.${offer.status}`)}</span></td>
      <td className="small">{offer.created_by}</td>
      <td>
        {session.can('collector') && offer.status === 'approved' && (
          <label className="small">
            {t('offers.accept')}{' '}
            <select value="" onChange={(e) => e.target.value && accept(e.target.value as 'phone' | 'email' | 'in_person')} data-testid="offer-accept">
              <option value="">—</option>
              <option value="phone">{t('offers.accept.phone')}</option>
              <option value="email">{t('offers.accept.email')}</option>
              <option value="in_person">{t('offers.accept.in_person')}</option>
            </select>
          </label>
        )}
        {LIVE.includes(offer.status) && (session.can('manager') || (session.can('collector') && mine)) && (
          <button type="button" className="link danger" onClick={withdraw} data-testid="offer-withdraw">{t('offers.withdraw')}</button>
        )}
      </td>
    </tr>
  );
}

export function OffersSection({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const session = useSession();
  const id = customer.external_id;
  const offers = useLoad(() => api.GET('/api/v1/offers', { params: { query: { customer: id, limit: 25 } } }), [id]);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const owes = customer.balances.some((b) => Number(b.open.amount) > 0);
  const done = (message: string) => {
    setOpen(false);
    setNotice(message);
    offers.reload();
  };
  return (
    <section className="card" aria-labelledby="c360-offers" data-testid="offers-section">
      <div className="page-head">
        <h2 id="c360-offers">{t('offers.title')}</h2>
        {session.can('collector') && owes && !open && (
          <button type="button" onClick={() => setOpen(true)} data-testid="offer-new">{t('offers.new')}</button>
        )}
      </div>
      {notice && <p className="notice" role="status" data-testid="offer-notice">{notice}</p>}
      {open && <OfferForm customer={customer} onDone={done} onCancel={() => setOpen(false)} />}
      {offers.loading && !offers.data ? (
        <Loading />
      ) : offers.error ? (
        <ErrorBox error={offers.error} onRetry={offers.reload} />
      ) : (offers.data?.data.length ?? 0) === 0 ? (
        <p className="muted">{t('offers.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="offers">
            <thead>
              <tr>
                <th>{t('offers.col.offer')}</th>
                <th className="num">{t('offers.col.percent')}</th>
                <th className="num">{t('offers.col.forgiven')}</th>
                <th className="num">{t('offers.col.due')}</th>
                <th>{t('offers.col.expires')}</th>
                <th>{t('offers.col.status')}</th>
                <th>{t('offers.col.by')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {offers.data?.data.map((offer) => <OfferRow key={offer.id} offer={offer} onChanged={done} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
