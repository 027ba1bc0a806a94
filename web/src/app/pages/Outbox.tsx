// Mensajes: the outbox (what the engine decided to do) filtered by status,
// channel and customer, the filters in the URL (/outbox?status=unknown, as
// the dashboard links), a page at a time (cursor: starting_after). Items in
// `unknown` are settled by a manager: it was sent, or send it again.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, type Schemas } from '../../shared/api';
import { formatNumber } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { outboxSearch, readOutboxFilters, type OutboxFilters } from './workLogic';

type Item = Schemas['OutboxItem'];
type Status = Item['status'];
type Channel = 'email' | 'sms' | 'whatsapp' | 'call' | 'letter';
const STATUSES: Status[] = ['queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'blocked', 'unknown', 'expired', 'merged', 'pending', 'open', 'done'];
const CHANNELS: Channel[] = ['email', 'sms', 'whatsapp', 'call', 'letter'];
const PAGE = 25;

function statusClass(status: string) {
  if (status === 'sent' || status === 'delivered' || status === 'done') return 'ok';
  if (status === 'failed' || status === 'bounced' || status === 'unknown') return 'danger';
  if (status === 'blocked' || status === 'expired') return 'warn';
  return '';
}

function labelOr(t: (k: string) => string, key: string, code: string) {
  const label = t(key);
  return label === key ? code : label;
}

function ResolveButtons({ item, onResolved }: { item: Item; onResolved: (item: Item) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  async function resolve(resolution: 'sent' | 'resend') {
    setBusy(true);
    setProblem(null);
    const { data, error } = await api.POST('/api/v1/outbox/{id}/resolve', { params: { path: { id: item.id } }, body: { resolution } });
    setBusy(false);
    if (error || !data) setProblem(error);
    else onResolved(data);
  }
  return (
    <div className="actions">
      <button type="button" disabled={busy} onClick={() => void resolve('sent')} data-testid={`resolve-sent-${item.id}`}>
        {t('outbox.resolveSent')}
      </button>
      <button type="button" className="primary" disabled={busy} onClick={() => void resolve('resend')} data-testid={`resolve-resend-${item.id}`}>
        {t('outbox.resolveResend')}
      </button>
      {problem ? <ErrorBox error={problem} /> : null}
    </div>
  );
}

export function Outbox() {
  const { t, lang } = useI18n();
  const session = useSession();
  const canResolve = session.can('manager');
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = readOutboxFilters(search);
  const [draft, setDraft] = useState<OutboxFilters>(filters);
  // The cursors of the pages before this one (the first page has none).
  // Kept with the filters they belong to: new filters start at page 1.
  const [paging, setPaging] = useState<{ search: string; cursors: string[] }>({ search, cursors: [] });
  const cursors = paging.search === search ? paging.cursors : [];
  const setCursors = (next: string[]) => setPaging({ search, cursors: next });
  const cursor = cursors[cursors.length - 1];
  const [changed, setChanged] = useState<Map<string, Item>>(new Map());
  const [notice, setNotice] = useState('');

  useEffect(() => {
    setDraft(readOutboxFilters(search));
    setNotice('');
  }, [search]);

  const page = useLoad(
    () =>
      api.GET('/api/v1/outbox', {
        params: {
          query: {
            status: (filters.status || undefined) as Status | undefined,
            channel: (filters.channel || undefined) as Channel | undefined,
            customer: filters.customer || undefined,
            from: filters.from || undefined,
            to: filters.to || undefined,
            limit: PAGE,
            starting_after: cursor,
          },
        },
      }),
    [search, cursor],
  );

  function apply(event: FormEvent) {
    event.preventDefault();
    navigate(`/outbox${outboxSearch(draft)}`);
  }

  const items = (page.data?.data ?? []).map((item) => changed.get(item.id) ?? item);
  const hasFilters = Boolean(filters.status || filters.channel || filters.customer || filters.from || filters.to);

  return (
    <div className="outbox">
      <div className="page-head">
        <div>
          <h1>{t('outbox.title')}</h1>
          <p className="muted">{t('outbox.subtitle')}</p>
        </div>
      </div>
      <form className="filters card" onSubmit={apply} role="search">
        <label>
          {t('outbox.status')}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} name="status">
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{labelOr(t, `status.${s}`, s)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.channel')}
          <select value={draft.channel} onChange={(e) => setDraft({ ...draft, channel: e.target.value })} name="channel">
            <option value="">{t('common.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>{labelOr(t, `channel.${c}`, c)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('outbox.customer')}
          <input type="search" value={draft.customer} onChange={(e) => setDraft({ ...draft, customer: e.target.value })} name="customer" placeholder="CLI-000001" />
        </label>
        <label>
          {t('outbox.from')}
          <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} name="from" />
        </label>
        <label>
          {t('outbox.to')}
          <input type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => setDraft({ ...draft, to: e.target.value })} name="to" />
        </label>
        <div className="actions">
          <button type="submit" className="primary">{t('outbox.apply')}</button>
          {hasFilters && (
            <button type="button" className="link" onClick={() => navigate('/outbox')}>
              {t('outbox.clear')}
            </button>
          )}
        </div>
      </form>
      {filters.status === 'unknown' && <p className="muted small">{t('outbox.unknownHelp')}</p>}
      {notice && <div className="notice" role="status">{notice}</div>}
      {page.loading && !page.data && <Loading />}
      <ErrorBox error={page.error} onRetry={page.reload} />
      {page.data && (
        <section className="card">
          {items.length === 0 ? (
            <p className="muted" data-testid="outbox-empty">{t('outbox.empty')}</p>
          ) : (
            <table className="table ob-table" data-testid="outbox-table">
              <thead>
                <tr>
                  <th className="num">{t('outbox.id')}</th>
                  <th>{t('outbox.customerCol')}</th>
                  <th>{t('outbox.channel')}</th>
                  <th>{t('outbox.action')}</th>
                  <th>{t('outbox.template')}</th>
                  <th>{t('outbox.scheduled')}</th>
                  <th>{t('outbox.status')}</th>
                  <th>{t('outbox.lastError')}</th>
                  {canResolve && <th>{t('outbox.resolve')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} data-status={item.status}>
                    <td className="num" data-label={t('outbox.id')}>{item.id}</td>
                    <td data-label={t('outbox.customerCol')}>
                      <Link href={`/customers/${encodeURIComponent(item.customer_external_id)}`}>{item.customer_external_id}</Link>
                    </td>
                    <td data-label={t('outbox.channel')}>{item.channel ? labelOr(t, `channel.${item.channel}`, item.channel) : '—'}</td>
                    <td data-label={t('outbox.action')}>{labelOr(t, `action.${item.action}`, item.action)}</td>
                    <td data-label={t('outbox.template')}>{labelOr(t, `stage.${item.template}`, item.template)}</td>
                    <td data-label={t('outbox.scheduled')} className="ob-when">{item.scheduled_local}</td>
                    <td data-label={t('outbox.status')}>
                      <span className={`badge ${statusClass(item.status)}`}>{labelOr(t, `status.${item.status}`, item.status)}</span>
                    </td>
                    <td data-label={t('outbox.lastError')} className="small ob-error" data-empty={item.last_error ? undefined : ''}>{item.last_error || '—'}</td>
                    {canResolve && (
                      <td data-label={t('outbox.resolve')} data-empty={item.status === 'unknown' ? undefined : ''}>
                        {item.status === 'unknown' && (
                          <ResolveButtons
                            item={item}
                            onResolved={(after) => {
                              setChanged((previous) => new Map(previous).set(after.id, after));
                              setNotice(t('outbox.resolved', { id: after.id, status: labelOr(t, `status.${after.status}`, after.status) }));
                            }}
                          />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="pager">
            <span className="muted small">{t('outbox.page', { n: formatNumber(cursors.length + 1, lang) })}</span>
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t('common.previous')}
            </button>
            <button
              type="button"
              disabled={!page.data.has_more || items.length === 0}
              onClick={() => setCursors([...cursors, items[items.length - 1].id])}
              data-testid="outbox-next"
            >
              {t('common.next')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
