// Disputas: every dispute with its reason, owner and deadline (filters:
// status, reason, overdue, owner), the resolve dialog (accept with a credit
// note, reject with the reason the debtor reads) and the root-cause report
// by reason, customer or month, with a bar chart by reason. All from the
// API: GET /disputes, POST /disputes/{id}/resolve, GET /reports/disputes.
import { useMemo, useRef, useState, useEffect } from 'react';
import { Link } from 'wouter';
import { api } from '../../shared/api';
import { formatDate, formatMoney, formatNumber, type Money } from '../../shared/format';
import { useI18n, type Lang } from '../../shared/i18n';
import { useSession } from '../session';
import { Chart } from '../components/Chart';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { ResolveDisputeForm, resolutionText, useDisputeReasons, type DisputeDetail, type DisputeResolution } from './disputeForms';

type Translate = (key: string, vars?: Record<string, string | number>) => string;
type Status = '' | 'open' | 'resolved';
type By = 'reason' | 'customer' | 'month';

function StatusBadge({ dispute }: { dispute: DisputeDetail }) {
  const { t } = useI18n();
  if (dispute.overdue) return <span className="badge danger" data-testid="overdue-badge">{t('disputes.status.overdue')}</span>;
  if (dispute.outcome === 'accepted') return <span className="badge ok">{t('disputes.outcome.accepted')}</span>;
  if (dispute.outcome === 'rejected') return <span className="badge warn">{t('disputes.outcome.rejected')}</span>;
  return <span className="badge">{t(`disputes.status.${dispute.status}`)}</span>;
}

// The modal dialog around the resolve form (a real <dialog>: Escape closes it, focus stays inside).
function ResolveDialog({ dispute, onClose, onResolved }: { dispute: DisputeDetail; onClose: () => void; onResolved: (r: DisputeResolution) => void }) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog ref={ref} onCancel={onClose} aria-labelledby="resolve-title" data-testid="resolve-dialog">
      <h2 id="resolve-title">{t('disputes.resolveTitle', { id: dispute.id, invoice: dispute.invoice_number || dispute.invoice_external_id })}</h2>
      <p className="muted small">
        {dispute.customer_name} · {lang === 'es' ? dispute.reason_label.es : dispute.reason_label.en}
        {dispute.text && <> · <q>{dispute.text}</q></>}
      </p>
      <ResolveDisputeForm dispute={dispute} onCancel={onClose} onDone={onResolved} />
    </dialog>
  );
}

function DisputeList() {
  const { t, lang } = useI18n();
  const session = useSession();
  const reasons = useDisputeReasons();
  const [status, setStatus] = useState<Status>('open');
  const [reason, setReason] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [owner, setOwner] = useState('');
  const [resolving, setResolving] = useState<DisputeDetail | null>(null);
  const [done, setDone] = useState('');
  const list = useLoad(
    () =>
      api.GET('/api/v1/disputes', {
        params: {
          query: {
            ...(status ? { status } : {}),
            ...(reason ? { reason: reason as DisputeDetail['reason'] } : {}),
            ...(overdue ? { overdue: true } : {}),
            ...(owner.trim() ? { owner: owner.trim() } : {}),
            limit: 500,
          },
        },
      }),
    [status, reason, overdue, owner],
  );
  const labelOf = (code: string) => {
    const found = reasons.data?.data.find((r) => r.code === code);
    return found ? (lang === 'es' ? found.label.es : found.label.en) : code;
  };
  const rows = list.data?.data ?? [];
  return (
    <section className="card" aria-labelledby="disputes-list">
      <h2 id="disputes-list">{t('disputes.list')}</h2>
      <div className="filters" role="search">
        <label>
          {t('disputes.filter.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)} data-testid="filter-status">
            <option value="">{t('disputes.filter.all')}</option>
            <option value="open">{t('disputes.status.open')}</option>
            <option value="resolved">{t('disputes.status.resolved')}</option>
          </select>
        </label>
        <label>
          {t('disputes.filter.reason')}
          <select value={reason} onChange={(e) => setReason(e.target.value)} data-testid="filter-reason">
            <option value="">{t('disputes.filter.all')}</option>
            {(reasons.data?.data ?? []).map((r) => (
              <option key={r.code} value={r.code}>{lang === 'es' ? r.label.es : r.label.en}</option>
            ))}
          </select>
        </label>
        <label>
          {t('disputes.filter.owner')}
          <input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder={t('disputes.filter.ownerHint')} data-testid="filter-owner" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="filter-overdue" />
          {t('disputes.filter.overdue')}
        </label>
      </div>
      {done && <p className="notice" role="status" data-testid="resolved-notice">{done}</p>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('disputes.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table disputes-table" data-testid="disputes-table">
            <thead>
              <tr>
                <th className="num">{t('disputes.col.id')}</th>
                <th>{t('disputes.col.customer')}</th>
                <th>{t('disputes.col.invoice')}</th>
                <th>{t('disputes.col.reason')}</th>
                <th>{t('disputes.col.status')}</th>
                <th>{t('disputes.col.deadline')}</th>
                <th>{t('disputes.col.owner')}</th>
                <th className="num">{t('disputes.col.held')}</th>
                <th>{t('disputes.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-dispute={d.id} className={d.overdue ? 'overdue' : ''}>
                  <td className="num">{d.id}</td>
                  <td><Link href={`/customers/${encodeURIComponent(d.customer_external_id)}`}>{d.customer_name}</Link></td>
                  <td>{d.invoice_number || d.invoice_external_id}</td>
                  <td title={d.text || undefined}>{labelOf(d.reason)}</td>
                  <td><StatusBadge dispute={d} /></td>
                  <td>{formatDate(d.deadline, lang)}</td>
                  <td>{d.owner ?? <span className="muted">{t('disputes.noOwner')}</span>}</td>
                  <td className="num"><MoneyText value={d.held} /></td>
                  <td>
                    {d.status === 'open' && session.can('collector') && (
                      <button type="button" className="link" onClick={() => { setDone(''); setResolving(d); }} data-testid="resolve-dispute">
                        {t('disputes.resolve')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.has_more && <p className="muted small">{t('disputes.more')}</p>}
      {resolving && (
        <ResolveDialog
          dispute={resolving}
          onClose={() => setResolving(null)}
          onResolved={(result) => {
            setResolving(null);
            setDone(resolutionText(t, lang, result));
            list.reload();
          }}
        />
      )}
    </section>
  );
}

// Several currencies are never added: one line each.
function MoneyList({ values, lang }: { values: Money[]; lang: Lang }) {
  if (values.length === 0) return <span className="muted">—</span>;
  return <>{values.map((m) => <div key={m.currency} className="money">{formatMoney(m, lang)}</div>)}</>;
}

function days(value: number | null | undefined, lang: Lang) {
  return value === null || value === undefined ? '—' : formatNumber(value, lang);
}

function ReasonChart({ from, to, t }: { from: string; to: string; t: Translate }) {
  const { lang } = useI18n();
  const byReason = useLoad(
    () => api.GET('/api/v1/reports/disputes', { params: { query: { by: 'reason', ...(from ? { from } : {}), ...(to ? { to } : {}) } } }),
    [from, to, lang],
  );
  const rows = byReason.data?.rows ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: 30, width: 110, overflow: 'truncate' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('disputes.report.accepted'), type: 'bar', stack: 'n', data: rows.map((r) => r.accepted), itemStyle: { color: '#2f855a' } },
        { name: t('disputes.report.rejected'), type: 'bar', stack: 'n', data: rows.map((r) => r.rejected), itemStyle: { color: '#c05621' } },
        { name: t('disputes.report.open'), type: 'bar', stack: 'n', data: rows.map((r) => r.open), itemStyle: { color: '#718096' } },
      ],
    }),
    [rows, t],
  );
  if (byReason.error) return <ErrorBox error={byReason.error} onRetry={byReason.reload} />;
  if (!byReason.data) return <Loading />;
  return <div data-testid="disputes-chart"><Chart option={option} label={t('disputes.report.chart')} /></div>;
}

function RootCauseReport() {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<By>('reason');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const report = useLoad(
    () => api.GET('/api/v1/reports/disputes', { params: { query: { by, ...(from ? { from } : {}), ...(to ? { to } : {}) } } }),
    [by, from, to, lang],
  );
  const data = report.data;
  return (
    <section className="card" aria-labelledby="disputes-report">
      <h2 id="disputes-report">{t('disputes.report.title')}</h2>
      <div className="filters">
        <label>
          {t('disputes.report.by')}
          <select value={by} onChange={(e) => setBy(e.target.value as By)} data-testid="report-by">
            <option value="reason">{t('disputes.report.by.reason')}</option>
            <option value="customer">{t('disputes.report.by.customer')}</option>
            <option value="month">{t('disputes.report.by.month')}</option>
          </select>
        </label>
        <label>
          {t('disputes.report.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('disputes.report.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <ReasonChart from={from} to={to} t={t} />
      <ErrorBox error={report.error} onRetry={report.reload} />
      {!data ? (
        !report.error && <Loading />
      ) : data.total.opened === 0 ? (
        <p className="muted">{t('disputes.report.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table compact" data-testid="report-table">
            <thead>
              <tr>
                <th>{t(`disputes.report.by.${by}`)}</th>
                <th className="num">{t('disputes.report.opened')}</th>
                <th className="num">{t('disputes.report.open')}</th>
                <th className="num">{t('disputes.report.accepted')}</th>
                <th className="num">{t('disputes.report.rejected')}</th>
                <th className="num">{t('disputes.report.overdue')}</th>
                <th className="num">{t('disputes.report.median')}</th>
                <th className="num">{t('disputes.report.average')}</th>
                <th className="num">{t('disputes.report.held')}</th>
                <th className="num">{t('disputes.report.credited')}</th>
              </tr>
            </thead>
            <tbody>
              {[...data.rows, data.total].map((row, index) => (
                <tr key={`${row.key}-${index}`} data-key={row.key} className={index === data.rows.length ? 'total' : ''}>
                  <td>{index === data.rows.length ? t('disputes.report.total') : row.label}</td>
                  <td className="num">{formatNumber(row.opened, lang)}</td>
                  <td className="num">{formatNumber(row.open, lang)}</td>
                  <td className="num">{formatNumber(row.accepted, lang)}</td>
                  <td className="num">{formatNumber(row.rejected, lang)}</td>
                  <td className="num">{formatNumber(row.overdue, lang)}</td>
                  <td className="num">{days(row.median_days_to_resolve, lang)}</td>
                  <td className="num">{days(row.average_days_to_resolve, lang)}</td>
                  <td className="num"><MoneyList values={row.held_back} lang={lang} /></td>
                  <td className="num"><MoneyList values={row.credited} lang={lang} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Disputes() {
  const { t } = useI18n();
  return (
    <div className="disputes-page">
      <div className="page-head">
        <h1>{t('disputes.title')}</h1>
      </div>
      <p className="muted">{t('disputes.intro')}</p>
      <DisputeList />
      <RootCauseReport />
    </div>
  );
}
