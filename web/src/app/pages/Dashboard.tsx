// Inicio: the portfolio at a glance, from GET /api/v1/summary (kept fresh by
// the server): totals, aging, top debtors, today's plan with what the run
// deferred or blocked and why, delivery health (today's messages by status,
// paused channels), and the outbox items in `unknown` that need a person.
import { useMemo } from 'react';
import { Link } from 'wouter';
import { api, type Schemas } from '../../shared/api';
import { formatDate, formatMoney, formatNumber, formatPercent, formatTimestamp, ratio, subtractMoney } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../session';
import { Chart } from '../components/Chart';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';

type Summary = Schemas['Summary'];
type AgingLine = Schemas['AgingLine'];
type ReasonCount = Summary['plan']['deferred'][number];
type Delivery = Summary['delivery'];
type Translate = (key: string, vars?: Record<string, string | number>) => string;

// A code's words when the catalogue has them, else the code itself (a
// reason the engine learnt after this build is still shown).
function labelOr(t: Translate, key: string, code: string, vars?: Record<string, string | number>) {
  const label = t(key, vars);
  return label === key ? code : label;
}

function bucketLabel(t: Translate, bucket: string) {
  return labelOr(t, `bucket.${bucket}`, bucket);
}

// What the day's runs held back, by reason, most first (the server's order).
function HeldBack({ kind, rows }: { kind: 'deferred' | 'blocked'; rows: ReasonCount[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="dash-held" data-testid={`plan-${kind}`}>
      <h3>{t(`dashboard.${kind}`)}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t(`dashboard.${kind}None`)}</p>
      ) : (
        <>
          <p className="muted small">{t(`dashboard.${kind}Hint`)}</p>
          <table className="table compact">
            <thead>
              <tr>
                <th>{t('dashboard.reason')}</th>
                <th className="num">{t('dashboard.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.reason} data-reason={row.reason}>
                  <td>{labelOr(t, `dashboard.reason.${row.reason}`, row.reason)}</td>
                  <td className="num">{formatNumber(row.count, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function HealthStat({ id, title, count, note, tone }: { id: string; title: string; count: number; note?: string; tone?: 'ok' | 'danger' | 'warn' }) {
  const { lang } = useI18n();
  return (
    <div className="dash-health-stat">
      <h3>{title}</h3>
      <p className={`big ${count > 0 && tone ? tone : ''}`} data-testid={`delivery-${id}`}>{formatNumber(count, lang)}</p>
      {note && <p className="muted small">{note}</p>}
    </div>
  );
}

function PausedChannels({ paused }: { paused: Delivery['paused_channels'] }) {
  const { t, lang } = useI18n();
  const session = useSession();
  if (paused.length === 0) {
    return (
      <p data-testid="paused-none">
        <span className="badge ok">{t('dashboard.pausedNone')}</span>
      </p>
    );
  }
  return (
    <>
      <ul className="plain dash-paused" data-testid="paused-channels">
        {paused.map((p) => (
          <li key={p.channel} data-channel={p.channel}>
            <p>
              <span className="badge warn">⚠ {t('dashboard.pausedBadge')}</span>{' '}
              <strong>{t(`channel.${p.channel}`)}</strong>{' '}
              <span className="muted">{t('dashboard.pausedSince', { time: formatTimestamp(p.since, lang) })}</span>
            </p>
            <p className="small">
              {labelOr(t, `dashboard.pauseReason.${p.reason}`, p.reason, { count: formatNumber(p.refusals_in_row, lang) })}{' '}
              {t('dashboard.pausedWait')}
            </p>
            {p.last_reply && (
              <p className="small muted dash-reply">
                {t('dashboard.lastReply')} <q>{p.last_reply}</q>
              </p>
            )}
          </li>
        ))}
      </ul>
      {session.can('admin') ? (
        <p>
          <Link href="/settings" data-testid="paused-settings">{t('dashboard.pausedFix')}</Link>
        </p>
      ) : (
        <p className="muted small">{t('dashboard.pausedAsk')}</p>
      )}
    </>
  );
}

// Today's messages and letters by status: sent (and delivered), failed (and
// bounced), unknown, queued (and sending); the rest when there are any.
function DeliveryHealth({ delivery, date, unknown }: { delivery: Delivery; date: string; unknown: Schemas['OutboxItem'][] | undefined }) {
  const { t, lang } = useI18n();
  const s = delivery.statuses;
  const others = (['blocked', 'expired'] as const).filter((k) => s[k] > 0);
  return (
    <section className="card" id="delivery" data-testid="delivery-health" aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t('dashboard.health')}</h2>
      <p className="muted small">{t('dashboard.healthHint', { date: formatDate(date, lang) })}</p>
      <div className="dash-health">
        <HealthStat id="sent" title={t('dashboard.sent')} count={s.sent + s.delivered} tone="ok" note={t('dashboard.sentDelivered', { count: formatNumber(s.delivered, lang) })} />
        <HealthStat id="failed" title={t('dashboard.failed')} count={s.failed + s.bounced} tone="danger" note={t('dashboard.failedBounced', { count: formatNumber(s.bounced, lang) })} />
        <HealthStat id="unknown" title={t('dashboard.unknown')} count={s.unknown} tone="warn" note={t('dashboard.unknownHint')} />
        <HealthStat id="queued" title={t('dashboard.queued')} count={s.queued + s.sending} note={t('dashboard.queuedSending', { count: formatNumber(s.sending, lang) })} />
      </div>
      {others.length > 0 && (
        <p className="muted small" data-testid="delivery-others">
          {t('dashboard.otherStatuses', { list: others.map((k) => `${t(`status.${k}`)} ${formatNumber(s[k], lang)}`).join(' · ') })}
        </p>
      )}
      <h3>{t('dashboard.paused')}</h3>
      <PausedChannels paused={delivery.paused_channels} />
      <h3>{t('dashboard.needsPerson')}</h3>
      {unknown && unknown.length === 0 && <p className="muted">{t('dashboard.needsPersonNone')}</p>}
      <ul className="plain">
        {unknown?.map((item) => (
          <li key={item.id}>
            <Link href={`/outbox?status=unknown`}>{t(`channel.${item.channel}`)} · {item.customer_external_id} · {item.template}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TotalsCard({ line }: { line: AgingLine }) {
  const { t, lang } = useI18n();
  const current = line.buckets.find((b) => b.bucket === 'not_due');
  const currency = line.total.currency;
  const currentAmount = current?.open ?? { amount: '0', currency };
  const overdue = subtractMoney(line.total, currentAmount);
  return (
    <div className="cards">
      <section className="card stat" aria-label={t('dashboard.receivable')}>
        <h2>{t('dashboard.receivable')}</h2>
        <p className="big" data-testid={`total-${currency}`}>{formatMoney(line.total, lang)}</p>
        <p className="muted">{currency}</p>
      </section>
      <section className="card stat">
        <h2>{t('dashboard.overdue')}</h2>
        <p className="big danger" data-testid={`overdue-${currency}`}>{formatMoney(overdue, lang)}</p>
        <p className="muted">{formatPercent(ratio(overdue.amount, line.total.amount), lang)}</p>
      </section>
      <section className="card stat">
        <h2>{t('dashboard.current')}</h2>
        <p className="big ok">{formatPercent(ratio(currentAmount.amount, line.total.amount), lang)}</p>
        <p className="muted">{formatMoney(currentAmount, lang)}</p>
      </section>
    </div>
  );
}

function AgingChart({ line }: { line: AgingLine }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 90, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney({ amount: String(v), currency: line.total.currency }, lang) },
      xAxis: { type: 'category', data: line.buckets.map((b) => bucketLabel(t, b.bucket)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => new Intl.NumberFormat(lang === 'es' ? 'es-CO' : 'en-US', { notation: 'compact' }).format(v) } },
      series: [
        {
          type: 'bar',
          name: line.total.currency,
          data: line.buckets.map((b, i) => ({ value: Number(b.open.amount), itemStyle: { color: i === 0 ? '#2f855a' : ['#d69e2e', '#dd6b20', '#e53e3e', '#c53030', '#9b2c2c'][Math.min(i - 1, 4)] } })),
        },
      ],
    }),
    [line, t, lang],
  );
  return <Chart option={option} label={t('dashboard.agingChart')} />;
}

export function Dashboard() {
  const { t, lang } = useI18n();
  const summary = useLoad(() => api.GET('/api/v1/summary'), []);
  const unknown = useLoad(() => api.GET('/api/v1/outbox', { params: { query: { status: 'unknown', limit: 10 } } }), []);
  if (summary.loading && !summary.data) return <Loading />;
  if (summary.error || !summary.data) return <ErrorBox error={summary.error} onRetry={summary.reload} />;
  const data: Summary = summary.data;
  const channels = [...new Set(data.plan.items.map((i) => i.channel ?? 'none'))];
  const statuses = [...new Set(data.plan.items.map((i) => i.status))];
  return (
    <div className="dashboard">
      <div className="page-head">
        <h1>{t('dashboard.title')}</h1>
        <p className="muted">
          {data.aging.as_of === 'customer_today' ? t('dashboard.asOfToday') : t('dashboard.asOf', { date: formatDate(data.aging.as_of, lang) })} ·{' '}
          {t('dashboard.customers', { count: formatNumber(data.customers, lang), invoices: formatNumber(data.invoices, lang) })}
        </p>
      </div>
      {data.delivery.paused_channels.length > 0 && (
        <p className="dash-alert" role="status" data-testid="paused-alert">
          <span className="badge warn">⚠ {t('dashboard.pausedBadge')}</span>{' '}
          {t('dashboard.pausedAlert', { channels: data.delivery.paused_channels.map((p) => t(`channel.${p.channel}`)).join(', ') })}{' '}
          <a href="#delivery">{t('dashboard.pausedAlertLink')}</a>
        </p>
      )}
      {data.aging.totals.map((line) => (
        <div key={line.total.currency}>
          <TotalsCard line={line} />
          <section className="card">
            <h2>{t('dashboard.aging')} · {line.total.currency}</h2>
            <AgingChart line={line} />
            <div className="table-scroll">
            <table className="table compact" data-testid={`aging-${line.total.currency}`}>
              <thead>
                <tr>{line.buckets.map((b) => <th key={b.bucket} className="num">{bucketLabel(t, b.bucket)}</th>)}</tr>
              </thead>
              <tbody>
                <tr>{line.buckets.map((b) => <td key={b.bucket} className="num" data-bucket={b.bucket}><MoneyText value={b.open} /></td>)}</tr>
              </tbody>
            </table>
            </div>
          </section>
        </div>
      ))}
      <div className="two-columns">
        <section className="card">
          <h2>{t('dashboard.topDebtors')}</h2>
          <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>{t('dashboard.customer')}</th>
                <th className="num">{t('dashboard.balance')}</th>
                <th className="num">{t('dashboard.maxDays')}</th>
              </tr>
            </thead>
            <tbody>
              {data.top_debtors.map((d) => (
                <tr key={d.customer.external_id}>
                  <td>
                    <Link href={`/customers/${encodeURIComponent(d.customer.external_id)}`}>{d.customer.name}</Link>
                    <div className="muted small">{d.customer.external_id}</div>
                  </td>
                  <td className="num"><MoneyText value={d.total} /></td>
                  <td className="num">{d.max_days_past_due}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </section>
        <section className="card">
          <h2>{t('dashboard.plan', { date: formatDate(data.plan.business_date, lang) })}</h2>
          {data.plan.items.length === 0 ? (
            <p className="muted">{t('common.none')}</p>
          ) : (
            <div className="table-scroll">
            <table className="table compact" data-testid="plan">
              <thead>
                <tr>
                  <th>{t('dashboard.channel')}</th>
                  {statuses.map((s) => <th key={s} className="num">{t(`status.${s}`)}</th>)}
                </tr>
              </thead>
              <tbody>
                {channels.map((channel) => (
                  <tr key={channel}>
                    <th scope="row">{t(`channel.${channel}`)}</th>
                    {statuses.map((s) => (
                      <td key={s} className="num">
                        {formatNumber(data.plan.items.filter((i) => (i.channel ?? 'none') === channel && i.status === s).reduce((n, i) => n + i.count, 0), lang)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          <HeldBack kind="deferred" rows={data.plan.deferred} />
          <HeldBack kind="blocked" rows={data.plan.blocked} />
        </section>
      </div>
      <DeliveryHealth delivery={data.delivery} date={data.plan.business_date} unknown={unknown.data?.data} />
      <p className="muted small">{t('dashboard.computedAt', { time: formatTimestamp(data.computed_at, lang) })}</p>
    </div>
  );
}
