// Inicio: the portfolio at a glance, from GET /api/v1/summary (kept fresh by
// the server) and the outbox items in `unknown` that need a person.
import { useMemo } from 'react';
import { Link } from 'wouter';
import { api, type Schemas } from '../../shared/api';
import { formatDate, formatMoney, formatNumber, formatPercent, formatTimestamp, ratio, subtractMoney } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { Chart } from '../components/Chart';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';

type Summary = Schemas['Summary'];
type AgingLine = Schemas['AgingLine'];

function bucketLabel(t: (k: string) => string, bucket: string) {
  const label = t(`bucket.${bucket}`);
  return label.startsWith('bucket.') ? bucket : label;
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
          )}
          <h3>{t('dashboard.needsPerson')}</h3>
          {unknown.data && unknown.data.data.length === 0 && <p className="muted">{t('dashboard.needsPersonNone')}</p>}
          <ul className="plain">
            {unknown.data?.data.map((item) => (
              <li key={item.id}>
                <Link href={`/outbox?status=unknown`}>{t(`channel.${item.channel}`)} · {item.customer_external_id} · {item.template}</Link>
              </li>
            ))}
          </ul>
          <p className="muted small">{t('dashboard.computedAt', { time: formatTimestamp(data.computed_at, lang) })}</p>
        </section>
      </div>
    </div>
  );
}
