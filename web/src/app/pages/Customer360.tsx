// Cliente 360: everything about one customer on one page, each part from
// its own API call (the customer, the engine's explanation with the segment
// figures, open invoices, disputes, promises, the timeline, the audit log),
// and the actions the role allows (customer360Actions.tsx). A viewer sees
// no button that changes anything.
import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { api, problemText, type Schemas } from '../../shared/api';
import { formatDate, formatNumber, formatPercent, formatTimestamp } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { segmentBadge } from './Customers';
import { CustomerPlans } from './CustomerPlans';
import { OffersSection } from './customer360Offers';
import { PromisesSection } from './customer360/PromisesSection';
import { AddNoteForm, AssignCollector, ConsentButton, DisputeForm, PromiseForm, ResolveForm, SendStatement } from './customer360Actions';
import { CreditSection } from './customer360/CreditSection';
import { EscalationSection } from './customer360/EscalationSection';

type Customer = Schemas['Customer'];
type TimelineEntry = Schemas['TimelineEntry'];
type Dispute = Schemas['Dispute'];

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function label(t: (k: string) => string, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

function Header({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const id = customer.external_id;
  const pdf = `/api/v1/customers/${encodeURIComponent(id)}/statement?format=pdf`;
  return (
    <div className="page-head c360-head">
      <div>
        <p className="small"><Link href="/customers">← {t('customers.title')}</Link></p>
        <h1 data-testid="customer-name">{customer.name}</h1>
        <p className="muted">
          {id} · {t('customers.taxId')} {customer.tax_id} · {customer.country} · {label(t, `customers.kind.${customer.kind}`, customer.kind)} ·{' '}
          {label(t, `customers.language.${customer.language}`, customer.language)} · {customer.time_zone}
        </p>
      </div>
      <div className="actions">
        <a className="button" href={pdf} download={`statement-${id}.pdf`} data-testid="statement-pdf">
          {t('customers.statement.download')}
        </a>
      </div>
    </div>
  );
}

function Balances({ customer }: { customer: Customer }) {
  const { t, lang } = useI18n();
  return (
    <section className="card" aria-labelledby="c360-balances">
      <h2 id="c360-balances">{t('customers.balances')}</h2>
      {customer.balances.length === 0 && <p className="muted">{t('customers.noBalance')}</p>}
      <div className="c360-balances">
        {customer.balances.map((b) => (
          <div key={b.currency} className="c360-balance" data-testid={`balance-${b.currency}`}>
            <p className="muted small">{b.currency}</p>
            <p className="big"><MoneyText value={b.balance} /></p>
            <dl className="c360-dl">
              <dt>{t('customers.open')}</dt>
              <dd><MoneyText value={b.open} /></dd>
              <dt>{t('customers.credit')}</dt>
              <dd><MoneyText value={b.credit} /></dd>
              <dt>{t('customers.openInvoices')}</dt>
              <dd>{formatNumber(b.open_invoices, lang)}</dd>
              <dt>{t('customers.maxDays')}</dt>
              <dd className={b.max_days_past_due > 90 ? 'danger' : b.max_days_past_due > 0 ? 'warn' : ''}>{formatNumber(b.max_days_past_due, lang)}</dd>
            </dl>
          </div>
        ))}
      </div>
      {customer.credit_limit && (
        <p className="muted small">
          {t('customers.creditLimit')}: <MoneyText value={customer.credit_limit} />
        </p>
      )}
    </section>
  );
}

function SegmentCard({ customer, explanation, missing }: { customer: Customer; explanation?: Schemas['CustomerExplanation']; missing: boolean }) {
  const { t, lang } = useI18n();
  const segment = explanation?.customer;
  const name = segment?.segment ?? customer.segment;
  return (
    <section className="card" aria-labelledby="c360-segment">
      <h2 id="c360-segment">{t('customers.segment')}</h2>
      <p>
        {name ? <span className={segmentBadge(name)} data-testid="segment">{label(t, `customers.segment.${name}`, name)}</span> : <span className="muted">—</span>}
        {segment && <span className="badge" title={t('customers.sizeSegment.help')}> {t('customers.sizeSegment', { size: segment.size_segment })}</span>}
      </p>
      {segment ? (
        <>
          <p className="muted">{label(t, `customers.reason.${segment.reason}`, segment.reason)}</p>
          <dl className="c360-dl" data-testid="segment-figures">
            <dt>{t('customers.figures.considered')}</dt>
            <dd>{formatNumber(segment.figures.invoices_considered, lang)}</dd>
            <dt>{t('customers.figures.late')}</dt>
            <dd>{formatNumber(segment.figures.invoices_late, lang)}</dd>
            <dt>{t('customers.figures.averageDays')}</dt>
            <dd>{formatNumber(segment.figures.average_days_late, lang)}</dd>
            <dt>{t('customers.figures.over60')}</dt>
            <dd>{formatPercent(segment.figures.over_60_percent / 100, lang)}</dd>
            <dt>{t('customers.figures.brokenPromises')}</dt>
            <dd>{formatNumber(segment.figures.broken_promises, lang)}</dd>
          </dl>
        </>
      ) : (
        missing && <p className="muted small">{t('customers.segment.noFigures')}</p>
      )}
    </section>
  );
}

function ContactPoints({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  return (
    <section className="card" aria-labelledby="c360-contacts">
      <h2 id="c360-contacts">{t('customers.contacts')}</h2>
      {customer.contact_points.length === 0 && <p className="muted">{t('customers.contacts.none')}</p>}
      <ul className="plain c360-contacts" data-testid="contact-points">
        {customer.contact_points.map((cp) => (
          <li key={`${cp.channel}:${cp.value}`}>
            <div className="c360-contact-line">
              <span className="badge">{label(t, `customers.channel.${cp.channel}`, cp.channel)}</span>
              <span className="c360-contact-value">{cp.value}</span>
              {cp.primary && <span className="badge">{t('customers.contacts.primary')}</span>}
              <span className={`badge ${cp.consent === 'granted' ? 'ok' : cp.consent === 'revoked' ? 'danger' : 'warn'}`}>
                {label(t, `customers.consent.${cp.consent}`, cp.consent)}
              </span>
              {!cp.usable && <span className="badge warn">{t('customers.contacts.unusable')}</span>}
            </div>
            <div className="c360-contact-line">
              <span className="muted small">
                {cp.consent_source && label(t, `customers.consentSource.${cp.consent_source}`, cp.consent_source)}
                {cp.consent_at && ` · ${formatTimestamp(cp.consent_at, lang)}`}
              </span>
              {session.can('collector') && <ConsentButton customer={customer} point={cp} onChanged={onChanged} />}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CollectorCard({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t } = useI18n();
  const session = useSession();
  return (
    <section className="card" aria-labelledby="c360-collector">
      <h2 id="c360-collector">{t('customers.collector')}</h2>
      <p data-testid="collector">{customer.collector ?? <span className="muted">{t('customers.collector.unassigned')}</span>}</p>
      {session.can('manager') && <AssignCollector customer={customer} onChanged={onChanged} />}
    </section>
  );
}

function Invoices({ customer, disputes, onChanged }: { customer: Customer; disputes: Dispute[]; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [cursors, setCursors] = useState<string[]>([]);
  const [form, setForm] = useState<{ kind: 'dispute' | 'resolve'; invoice: string; dispute?: number } | null>(null);
  const id = customer.external_id;
  const page = useLoad(
    () => api.GET('/api/v1/invoices', { params: { query: { customer: id, status: 'unpaid', sort: 'days_past_due', limit: 50, starting_after: cursors.at(-1) } } }),
    [id, cursors.join('\n')],
  );
  const openDispute = (invoice: string) => disputes.find((d) => d.invoice_external_id === invoice && d.status === 'open');
  const rows = page.data?.data ?? [];
  const done = () => {
    setForm(null);
    page.reload();
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="c360-invoices">
      <h2 id="c360-invoices">{t('customers.invoices')}</h2>
      <ErrorBox error={page.error} onRetry={page.reload} />
      {page.loading && !page.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('customers.invoices.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="invoices">
            <thead>
              <tr>
                <th>{t('customers.invoice')}</th>
                <th className="hide-phone">{t('customers.issued')}</th>
                <th>{t('customers.due')}</th>
                <th className="num hide-phone">{t('customers.amount')}</th>
                <th className="num">{t('customers.open')}</th>
                <th className="num" title={t('customers.daysPastDue')}>{t('customers.daysShort')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((invoice) => {
                const dispute = openDispute(invoice.external_id);
                const formHere = form && form.invoice === invoice.external_id;
                return [
                  <tr key={invoice.external_id} data-testid="invoice-row">
                    <td>
                      <span className="c360-nowrap">{invoice.number || invoice.external_id}</span>
                      <div className="c360-dispute">
                        {dispute && <span className="badge warn" title={dispute.reason}>{t('customers.disputed')}</span>}
                        {session.can('collector') && !formHere && (
                          dispute ? (
                            <button type="button" className="link" onClick={() => setForm({ kind: 'resolve', invoice: invoice.external_id, dispute: dispute.id })} data-testid="resolve-dispute">
                              {t('customers.dispute.resolve')}
                            </button>
                          ) : (
                            <button type="button" className="link" onClick={() => setForm({ kind: 'dispute', invoice: invoice.external_id })} data-testid="open-dispute">
                              {t('customers.dispute.open')}
                            </button>
                          )
                        )}
                      </div>
                    </td>
                    <td className="hide-phone">{formatDate(invoice.issue_date, lang)}</td>
                    <td>{formatDate(invoice.due_date, lang)}</td>
                    <td className="num hide-phone"><MoneyText value={invoice.amount} /></td>
                    <td className="num"><MoneyText value={invoice.open} /></td>
                    <td className={`num ${invoice.days_past_due > 90 ? 'danger' : invoice.days_past_due > 0 ? 'warn' : ''}`}>{invoice.days_past_due > 0 ? formatNumber(invoice.days_past_due, lang) : '—'}</td>
                  </tr>,
                  formHere && (
                    <tr key={`${invoice.external_id}-form`} className="c360-form-row">
                      <td colSpan={6}>
                        {form.kind === 'dispute' ? (
                          <DisputeForm invoice={invoice.external_id} onDone={done} onCancel={() => setForm(null)} />
                        ) : (
                          <ResolveForm dispute={form.dispute!} invoice={invoice.external_id} onDone={done} onCancel={() => setForm(null)} />
                        )}
                      </td>
                    </tr>
                  ),
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 0 || page.data?.has_more) && (
        <nav className="pager" aria-label={t('customers.invoices')}>
          <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>{t('common.previous')}</button>
          <button type="button" disabled={!page.data?.has_more} onClick={() => setCursors((c) => [...c, rows.at(-1)!.external_id])}>{t('common.next')}</button>
        </nav>
      )}
    </section>
  );
}

function WhyToday({ explanation, error, timeline }: { explanation?: Schemas['CustomerExplanation']; error: unknown; timeline: TimelineEntry[] }) {
  const { t, lang } = useI18n();
  const status = (error as { status?: number } | undefined)?.status;
  // The explanation leaves out what today's run already did; the last
  // run's decisions come from the timeline.
  const engine = timeline.filter((e) => e.source === 'engine');
  const lastRun = engine.reduce((latest, e) => (e.date > latest ? e.date : latest), '');
  const lastDecisions = engine.filter((e) => e.date === lastRun);
  return (
    <section className="card" aria-labelledby="c360-why">
      <h2 id="c360-why">{t('customers.why')}</h2>
      {status === 404 ? <p className="muted">{t('customers.why.nothingOwed')}</p> : <ErrorBox error={error} />}
      {explanation && (
        <div data-testid="why-today">
          {explanation.promise && (
            <p className={explanation.promise.broken ? 'danger' : 'ok'}>
              {t(explanation.promise.broken ? 'customers.why.promiseBroken' : 'customers.why.promise', { date: formatDate(explanation.promise.promised_date, lang) })}
            </p>
          )}
          {explanation.planned.length === 0 && explanation.log.length === 0 && lastDecisions.length === 0 && <p className="muted">{t('customers.why.nothing')}</p>}
          {explanation.log.length === 0 && lastDecisions.length > 0 && (
            <>
              <h3>{t('customers.why.lastRun', { date: formatDate(lastRun, lang) })}</h3>
              <ol className="c360-timeline">
                {lastDecisions.map((entry, i) => <TimelineItem key={i} entry={entry} />)}
              </ol>
            </>
          )}
          {explanation.planned.length > 0 && (
            <>
              <h3>{t('customers.why.planned')}</h3>
              <ul className="plain">
                {explanation.planned.map((p) => (
                  <li key={p.idempotency_key}>
                    <strong>{label(t, `customers.action.${p.action}`, p.action)}</strong>
                    {p.channel && <> · {label(t, `customers.channel.${p.channel}`, p.channel)}</>} · {p.stage} · <MoneyText value={p.total} />{' '}
                    <span className="muted small">{p.scheduled_local}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {explanation.log.length > 0 && (
            <>
              <h3>{t('customers.why.decisions')}</h3>
              <ul className="plain">
                {explanation.log.map((entry, i) => (
                  <li key={i}>
                    <span className={`badge ${entry.kind === 'planned' ? 'ok' : entry.kind === 'blocked' ? 'danger' : 'warn'}`}>{label(t, `customers.decision.${entry.kind}`, entry.kind)}</span>{' '}
                    {entry.action && <strong>{label(t, `customers.action.${entry.action}`, entry.action)} </strong>}
                    {entry.detail}
                    {entry.stage && <span className="muted small"> · {entry.stage}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('customers.why.channels')}</h3>
          <p className="c360-channels">
            {explanation.channels.map((c) => (
              <span key={c.channel} className={`badge ${c.allowed ? 'ok' : 'danger'}`} title={c.authorised_by ? t(`customers.authorisedBy.${c.authorised_by}`) : ''}>
                {label(t, `customers.channel.${c.channel}`, c.channel)}: {t(c.allowed ? 'customers.allowed' : 'customers.blocked')}
              </span>
            ))}
          </p>
          <p className="muted small">{t('customers.why.rulebook', { rulebook: explanation.rulebook })}</p>
        </div>
      )}
    </section>
  );
}

const SOURCE_BADGE: Record<string, string> = { engine: '', outbox: 'ok', promise: 'ok', dispute: 'warn', reply: '', note: '' };

export function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const { t, lang } = useI18n();
  const detail = lang === 'es' && entry.detail_es ? entry.detail_es : entry.detail;
  const bad = /fail|bounce|broken|blocked|undeliver/.test(entry.kind) || /fail|bounce/.test(entry.outcome);
  const actionText = entry.action ? label(t, `customers.action.${entry.action}`, entry.action) : '';
  const channelText = entry.channel ? label(t, `customers.channel.${entry.channel}`, entry.channel) : '';
  return (
    <li className="c360-event" data-source={entry.source}>
      <span className="c360-event-date">{formatDate(entry.date, lang)}</span>
      <div>
        <span className={`badge ${bad ? 'danger' : SOURCE_BADGE[entry.source] ?? ''}`}>{label(t, `customers.source.${entry.source}`, entry.source)}</span>{' '}
        <strong>{label(t, `customers.kind.${entry.source}.${entry.kind}`, label(t, `customers.event.${entry.kind}`, entry.kind))}</strong>
        {entry.action && <> · {actionText}</>}
        {entry.channel && channelText !== actionText && <> · {channelText}</>}
        {entry.stage && <span className="muted"> · {entry.stage}</span>}
        {entry.amount && <> · <MoneyText value={entry.amount} /></>}
        {entry.outcome && <> · <em>{label(t, `customers.outcome.${entry.outcome}`, entry.outcome)}</em></>}
        {detail && <div className="c360-event-detail">{detail}</div>}
        {entry.code && <div className="muted small">{entry.code}</div>}
      </div>
    </li>
  );
}

function auditText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

function Timeline({ timeline, audit }: { timeline: ReturnType<typeof useTimeline>; audit: ReturnType<typeof useAudit> }) {
  const { t, lang } = useI18n();
  const entries = timeline.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="c360-timeline">
      <h2 id="c360-timeline">{t('customers.timeline')}</h2>
      <ErrorBox error={timeline.error} onRetry={timeline.reload} />
      {timeline.loading && !timeline.data && <Loading />}
      {timeline.data && entries.length === 0 && <p className="muted">{t('customers.timeline.none')}</p>}
      <ol className="c360-timeline" data-testid="timeline" aria-busy={timeline.loading}>
        {entries.map((entry, i) => <TimelineItem key={i} entry={entry} />)}
      </ol>
      <h3>{t('customers.audit')}</h3>
      <ErrorBox error={audit.error} onRetry={audit.reload} />
      {audit.data && audit.data.data.length === 0 && <p className="muted">{t('customers.audit.none')}</p>}
      <ol className="c360-timeline" data-testid="audit">
        {(audit.data?.data ?? []).map((event, i) => (
          <li key={i} className="c360-event">
            <span className="c360-event-date">{formatTimestamp(event.at, lang)}</span>
            <div>
              <span className="badge">{label(t, `customers.auditAction.${event.action}`, event.action)}</span> <strong>{event.actor}</strong>
              <span className="muted small"> · {event.source}</span>
              {event.entity_id_last === null && (event.before !== null || event.after !== null) && (
                <div className="c360-event-detail small">
                  {event.before !== null && <span className="muted">{auditText(event.before)} → </span>}
                  {auditText(event.after)}
                </div>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function useTimeline(id: string) {
  return useLoad(() => api.GET('/api/v1/customers/{id}/timeline', { params: { path: { id } } }), [id]);
}
function useAudit(id: string) {
  return useLoad(() => api.GET('/api/v1/audit', { params: { query: { entity: 'customer', id, limit: 50 } } }), [id]);
}

function Promises({ promises }: { promises: Schemas['Promise'][] }) {
  const { t, lang } = useI18n();
  const open = promises.filter((p) => p.status === 'open');
  if (open.length === 0) return null;
  return (
    <ul className="plain" data-testid="open-promises">
      {open.map((p) => (
        <li key={p.id}>
          <span className="badge ok">{t('customers.promise.open')}</span> <MoneyText value={p.amount} /> · {formatDate(p.promised_date, lang)}
          {p.note && <span className="muted"> · {p.note}</span>}
        </li>
      ))}
    </ul>
  );
}

export function Customer360({ params }: { params: { id: string } }) {
  const { t } = useI18n();
  const session = useSession();
  const id = safeDecode(params.id);
  const loaded = useLoad(() => api.GET('/api/v1/customers/{id}', { params: { path: { id } } }), [id]);
  const [changed, setChanged] = useState<Customer | null>(null);
  const disputes = useLoad(() => api.GET('/api/v1/disputes', { params: { query: { status: 'open', customer: id } } }), [id]);
  const promises = useLoad(() => api.GET('/api/v1/promises', { params: { query: { customer: id } } }), [id]);
  const timeline = useTimeline(id);
  const audit = useAudit(id);
  // The engine's explanation plays the customer's day (about 2 s at a
  // million customers): asked once the page itself is on screen, so it
  // never competes with what the page needs first.
  const shown = Boolean(loaded.data) && Boolean(timeline.data);
  const explain = useLoad(
    () => (shown ? api.GET('/api/v1/customers/{id}/explain', { params: { path: { id } } }) : Promise.resolve({ data: undefined })),
    [id, shown],
  );
  const [action, setAction] = useState<'promise' | 'note' | null>(null);
  const [notice, setNotice] = useState('');

  // After any change: the timeline and the figures it touches reload.
  const afterChange = useCallback(
    (message?: string) => {
      timeline.reload();
      audit.reload();
      explain.reload();
      disputes.reload();
      promises.reload();
      if (message) setNotice(message);
    },
    [timeline, audit, explain, disputes, promises],
  );

  const customer = changed && changed.external_id === loaded.data?.external_id ? changed : loaded.data;
  if (loaded.loading && !loaded.data) return <Loading />;
  if (!customer) return <ErrorBox error={loaded.error ?? problemText('')} onRetry={loaded.reload} />;
  const onCustomer = (c: Customer, message?: string) => {
    setChanged(c);
    afterChange(message);
  };
  const customerDisputes = (disputes.data?.data ?? []).filter((d) => d.customer_external_id === customer.external_id);
  return (
    <div className="c360">
      <Header customer={customer} />
      {notice && (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="link" onClick={() => setNotice('')}>{t('common.close')}</button>
        </p>
      )}
      {session.can('collector') && (
        <section className="card c360-actions" aria-labelledby="c360-actions">
          <h2 id="c360-actions" className="c360-sr-only">{t('customers.actions')}</h2>
          <div className="actions">
            <button type="button" className={action === 'promise' ? 'primary' : ''} aria-expanded={action === 'promise'} onClick={() => setAction(action === 'promise' ? null : 'promise')} data-testid="action-promise">
              {t('customers.promise.record')}
            </button>
            <button type="button" className={action === 'note' ? 'primary' : ''} aria-expanded={action === 'note'} onClick={() => setAction(action === 'note' ? null : 'note')} data-testid="action-note">
              {t('customers.note.add')}
            </button>
            <SendStatement customer={customer} onDone={(m) => afterChange(m)} />
          </div>
          {action === 'promise' && (
            <PromiseForm customer={customer} onCancel={() => setAction(null)} onDone={(m) => { setAction(null); afterChange(m); }} />
          )}
          {action === 'note' && <AddNoteForm customer={customer} onCancel={() => setAction(null)} onDone={(m) => { setAction(null); afterChange(m); }} />}
        </section>
      )}
      <div className="two-columns">
        <div>
          <Balances customer={customer} />
          <SegmentCard customer={customer} explanation={explain.data} missing={!!explain.error} />
        </div>
        <div>
          <ContactPoints customer={customer} onChanged={(c) => onCustomer(c, t('customers.consent.saved'))} />
          <CollectorCard customer={customer} onChanged={(c) => onCustomer(c, t('customers.collector.saved'))} />
        </div>
      </div>
      <Invoices customer={customer} disputes={customerDisputes} onChanged={() => afterChange()} />
      <CustomerPlans customer={customer} />
      <OffersSection customer={customer} />
      <CreditSection customer={customer} />
      <EscalationSection customer={customer} onChanged={() => afterChange()} />
      <div className="two-columns">
        <div>
          <WhyToday explanation={explain.data} error={explain.error} timeline={timeline.data?.data ?? []} />
          {promises.data && promises.data.data.some((p) => p.status === 'open') && (
            <section className="card" aria-labelledby="c360-promises">
              <h2 id="c360-promises">{t('customers.promises')}</h2>
              <Promises promises={promises.data.data} />
            </section>
          )}
          <PromisesSection customer={customer.external_id} />
        </div>
        <Timeline timeline={timeline} audit={audit} />
      </div>
    </div>
  );
}
