// The debtor's page (/p/<token>, /pay/<token>): the creditor's letterhead,
// what is owed (totals by currency, open invoices, the statement PDF), then
// the actions as sections: pay, promise, dispute, call back, contact.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, problemText, type ApiProblem, type Schemas } from '../shared/api';
import { formatDate, formatMoney } from '../shared/format';
import { LangSwitch, usePortalI18n } from './lang';
import { CallbackForm, ContactForm, DisputeForm, PromiseForm } from './forms';
import { InvalidLink } from './Invalid';
import { PlanBuilder } from './PlanBuilder';
import { Offers } from './Offers';
import { planMessages } from './planMessages';

type Overview = Schemas['PortalOverview'];

export function Portal({ token, focus }: { token: string; focus?: string }) {
  const { t, lang, adopt } = usePortalI18n();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/api/v1/portal/{token}', { params: { path: { token } } });
    setLoading(false);
    if (error || !data) {
      setProblem({ ...(error as ApiProblem), status: (error as ApiProblem)?.status ?? response.status });
      return;
    }
    setProblem(null);
    setOverview(data as Overview);
    return data;
  }, [token]);

  useEffect(() => {
    load().then((data) => {
      if (data) adopt(data.customer.language);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);

  useEffect(() => {
    if (overview) document.title = t('page.title', { company: overview.company.name });
  }, [overview, t]);

  useEffect(() => {
    if (overview && focus) document.getElementById(focus)?.scrollIntoView();
  }, [overview, focus]);

  if (loading) {
    return (
      <main className="page" id="main">
        <p className="loading" role="status">
          {t('page.loading')}
        </p>
      </main>
    );
  }
  if (problem && (problem.status === 404 || problem.status === 400)) return <InvalidLink />;
  if (problem || !overview) {
    return (
      <main className="page" id="main">
        <div className="card">
          <h1>{t('page.error')}</h1>
          <p className="form-error">{problemText(problem)}</p>
          <button type="button" className="primary" onClick={() => (setLoading(true), load())}>
            {t('page.retry')}
          </button>
        </div>
      </main>
    );
  }

  const { company, customer } = overview;
  const reload = () => void load();
  const letterhead = [company.tax_id && t('company.taxId', { taxId: company.tax_id }), [company.address, company.city].filter(Boolean).join(', '), company.phone, company.email].filter(Boolean);
  const statement = `/api/v1/portal/${encodeURIComponent(token)}/statement.pdf?lang=${lang}`;

  return (
    <>
      <header className="letterhead">
        <div className="page head-row">
          <div>
            <p className="company" data-testid="portal-company">
              {company.name}
            </p>
            {letterhead.length > 0 && <p className="company-details">{letterhead.join(' · ')}</p>}
          </div>
          <LangSwitch />
        </div>
      </header>
      <main className="page" id="main">
        <h1 data-testid="portal-customer">{t('page.hello', { name: customer.name })}</h1>
        <p className="muted">{t('page.customerId', { id: customer.external_id })}</p>

        <section className="card" aria-labelledby="owed-title" data-testid="portal-owed">
          <h2 id="owed-title">{t('owed.title')}</h2>
          {overview.totals.length === 0 ? (
            <p>{t('owed.nothing')}</p>
          ) : (
            <div className="totals">
              {overview.totals.map((total) => (
                <div key={total.currency} className="total" data-testid={`total-${total.currency}`}>
                  <span className="label">{t('owed.total')}</span>
                  <span className="big">{formatMoney(total.amount, lang)}</span>
                  {total.overdue.amount !== '0' && !/^0(\.0+)?$/.test(total.overdue.amount) && (
                    <span className="overdue">
                      {t('owed.overdue')}: {formatMoney(total.overdue, lang)}
                    </span>
                  )}
                </div>
              ))}
            </div>
          )}
          <a className="button" href={statement} download data-testid="portal-statement">
            <span aria-hidden="true">↓&nbsp;</span>
            {t('owed.statement')}
          </a>
        </section>

        <nav className="jump" aria-label={t('page.nav')}>
          <a href="#pay">{t('pay.title')}</a>
          <a href="#plan">{planMessages[lang]['plan.title']}</a>
          <a href="#promise">{t('promise.title')}</a>
          <a href="#dispute">{t('dispute.title')}</a>
          <a href="#callback">{t('callback.title')}</a>
          <a href="#contact">{t('contact.title')}</a>
        </nav>

        {overview.invoices.length > 0 && (
          <section aria-labelledby="invoices-title" data-testid="portal-invoices">
            <h2 id="invoices-title">
              {t('invoices.title')} <span className="count">({overview.invoices.length})</span>
            </h2>
            <ul className="invoices">
              {overview.invoices.map((invoice) => (
                <li key={invoice.id} className={invoice.days_past_due > 0 ? 'invoice late' : 'invoice'} data-testid="portal-invoice">
                  <div className="row">
                    <span className="number">{t('invoices.number', { number: invoice.number })}</span>
                    <span className="amount">{formatMoney(invoice.open, lang)}</span>
                  </div>
                  <div className="row small">
                    <span>
                      {t('invoices.due')} {formatDate(invoice.due_date, lang)}
                    </span>
                    <span className={invoice.days_past_due > 0 ? 'late-days' : 'ok-days'}>
                      {invoice.days_past_due === 0
                        ? t('invoices.current')
                        : invoice.days_past_due === 1
                          ? t('invoices.oneDayLate')
                          : t('invoices.daysLate', { days: invoice.days_past_due })}
                    </span>
                  </div>
                  {invoice.open.amount !== invoice.amount.amount && <div className="row small muted">{t('invoices.of', { amount: formatMoney(invoice.amount, lang) })}</div>}
                  {(invoice.disputed || invoice.promised) && (
                    <div className="badges">
                      {invoice.disputed && <span className="badge warn">{t('badge.disputed')}</span>}
                      {invoice.promised && <span className="badge ok">{t('badge.promised')}</span>}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}

        {overview.open_promises.length > 0 && (
          <section className="card" aria-labelledby="promises-title" data-testid="portal-promises">
            <h2 id="promises-title">{t('promises.title')}</h2>
            <ul className="plain">
              {overview.open_promises.map((p) => (
                <li key={p.id}>{t('promises.item', { amount: formatMoney(p.amount, lang), date: formatDate(p.promised_date, lang) })}</li>
              ))}
            </ul>
          </section>
        )}
        {overview.open_disputes.length > 0 && (
          <section className="card" aria-labelledby="disputes-title" data-testid="portal-disputes">
            <h2 id="disputes-title">{t('disputes.title')}</h2>
            <ul className="plain">
              {overview.open_disputes.map((d) => (
                <li key={d.id}>
                  {t('disputes.item', { invoice: overview.invoices.find((i) => i.id === d.invoice_external_id)?.number ?? d.invoice_external_id, reason: disputeReason(overview, d.reason, lang) })}{' '}
                  <span className="muted">({t('disputes.opened', { date: formatDate(d.opened_at, lang) })})</span>
                </li>
              ))}
            </ul>
          </section>
        )}

        <Offers token={token} company={company.name} />
        <Action id="pay" title={t('pay.title')}>
          {company.payment_instructions.trim() ? (
            <>
              <p>{t('pay.intro', { company: company.name })}</p>
              <p className="instructions" data-testid="pay-instructions">
                {company.payment_instructions}
              </p>
            </>
          ) : (
            <p>{t('pay.none')}</p>
          )}
          {(company.phone || company.email) && (
            <p className="muted">
              {t('pay.contact')}: {[company.phone, company.email].filter(Boolean).join(' · ')}
            </p>
          )}
        </Action>
        <Action id="plan" title={planMessages[lang]['plan.title']}>
          <p>{planMessages[lang]['plan.intro'].replace('{company}', company.name)}</p>
          <PlanBuilder token={token} company={company.name} onDone={reload} />
        </Action>
        <Action id="promise" title={t('promise.title')}>
          <p>{t('promise.intro')}</p>
          {overview.promise_limits ? <PromiseForm token={token} limits={overview.promise_limits} onDone={reload} /> : <p className="muted">{t('promise.unavailable')}</p>}
        </Action>
        <Action id="dispute" title={t('dispute.title')}>
          <p>{t('dispute.intro')}</p>
          <DisputeForm token={token} overview={overview} onDone={reload} />
        </Action>
        <Action id="callback" title={t('callback.title')}>
          <CallbackForm token={token} company={company.name} />
        </Action>
        <Action id="contact" title={t('contact.title')}>
          <p>{t('contact.intro')}</p>
          <ContactForm token={token} contact={overview.contact} onDone={reload} />
        </Action>
      </main>
    </>
  );
}

// "code: text" → the catalogue's label and the text.
function disputeReason(overview: Overview, reason: string, lang: 'es' | 'en'): string {
  const [code, ...rest] = reason.split(':');
  const label = overview.dispute_reasons.find((r) => r.code === code.trim())?.label[lang];
  if (!label) return reason;
  const text = rest.join(':').trim();
  return text ? `${label} — ${text}` : label;
}

function Action({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card action" id={id} aria-labelledby={`${id}-title`} data-testid={`action-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
