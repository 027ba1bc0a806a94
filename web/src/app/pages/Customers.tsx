// Clientes: the customer list, paged by the server (GET /api/v1/customers,
// 50 a page, `starting_after` cursors), filtered and sorted there. The
// filters, the sort and the page live in the URL (customersList.ts), so a
// link or a reload shows the same page. A row opens the customer's 360.
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api } from '../../shared/api';
import { formatNumber } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { MoneyText } from '../components/MoneyText';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { CreditHoldBadge } from './customer360/CreditSection';
import {
  SEGMENTS,
  SORTS,
  apiQuery,
  groupRows,
  listQueryString,
  nextPage,
  normalizeAmount,
  parseListQuery,
  previousPage,
  withFilters,
  type ListFilters,
  type ListState,
  type Sort,
} from './customersList';

export function segmentBadge(segment: string | null | undefined): string {
  if (segment === 'high_risk') return 'badge danger';
  if (segment === 'occasional') return 'badge warn';
  if (segment === 'habitual') return 'badge ok';
  return 'badge';
}

export function customerHref(externalId: string): string {
  return `/customers/${encodeURIComponent(externalId)}`;
}

// Search by name, external id or tax id (the API's `q`); a new search
// starts again at the first page and lives in the URL like the filters.
function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(text.trim());
  }
  return (
    <form className="filters customers-search" onSubmit={submit} role="search">
      <label>
        {t('customers.search.label')}
        <input type="search" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} placeholder={t('customers.search.placeholder')} data-testid="customer-search" />
      </label>
      <button type="submit">{t('customers.search.go')}</button>
    </form>
  );
}

function FiltersForm({ state, onApply }: { state: ListState; onApply: (filters: ListFilters) => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const isAdmin = session.can('admin');
  const users = useLoad(() => (isAdmin ? api.GET('/api/v1/users') : Promise.resolve({ data: undefined })), [isAdmin]);
  const [draft, setDraft] = useState(() => ({
    segment: state.filters.segment ?? '',
    country: state.filters.country ?? '',
    minDays: state.filters.minDays ? String(state.filters.minDays) : '',
    currency: state.filters.currency ?? '',
    minAmount: state.filters.minAmount ?? '',
    collector: state.filters.collector ?? '',
    withBalance: state.filters.withBalance,
  }));
  const [error, setError] = useState('');
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const amount = draft.minAmount.trim() ? normalizeAmount(draft.minAmount, lang) : '';
    if (amount && !/^\d+(\.\d+)?$/.test(amount)) return setError(t('customers.error.amount'));
    if (amount && !draft.currency.trim()) return setError(t('customers.filter.amountNeedsCurrency'));
    setError('');
    const days = Number(draft.minDays);
    onApply({
      segment: (draft.segment || undefined) as ListFilters['segment'],
      country: draft.country.trim().toUpperCase() || undefined,
      minDays: Number.isInteger(days) && days > 0 ? days : undefined,
      currency: draft.currency.trim().toUpperCase() || undefined,
      minAmount: amount || undefined,
      collector: draft.collector || undefined,
      withBalance: draft.withBalance,
      sort: state.filters.sort,
    });
  }

  function clear() {
    setDraft({ segment: '', country: '', minDays: '', currency: '', minAmount: '', collector: '', withBalance: false });
    setError('');
    onApply({ withBalance: false, sort: state.filters.sort });
  }

  const collectors = (users.data?.data ?? []).filter((u) => !u.disabled && u.role !== 'viewer');
  return (
    <form className="filters customers-filters" onSubmit={submit} aria-label={t('customers.filters')}>
      <label>
        {t('customers.segment')}
        <select value={draft.segment} onChange={(e) => set({ segment: e.target.value })} data-testid="filter-segment">
          <option value="">{t('common.all')}</option>
          {SEGMENTS.map((s) => <option key={s} value={s}>{t(`customers.segment.${s}`)}</option>)}
        </select>
      </label>
      <label className="narrow">
        {t('customers.country')}
        <input value={draft.country} maxLength={2} onChange={(e) => set({ country: e.target.value })} placeholder="CO" autoCapitalize="characters" />
      </label>
      <label className="narrow">
        {t('customers.filter.minDays')}
        <input type="number" min={0} inputMode="numeric" value={draft.minDays} onChange={(e) => set({ minDays: e.target.value })} data-testid="filter-dpd" />
      </label>
      <label className="narrow">
        {t('customers.currency')}
        <input value={draft.currency} maxLength={3} onChange={(e) => set({ currency: e.target.value })} placeholder="COP" autoCapitalize="characters" />
      </label>
      <label>
        {t('customers.filter.minAmount')}
        <input inputMode="decimal" value={draft.minAmount} onChange={(e) => set({ minAmount: e.target.value })} />
      </label>
      {session.can('collector') && (
        <label>
          {t('customers.collector')}
          <select value={draft.collector} onChange={(e) => set({ collector: e.target.value })}>
            <option value="">{t('common.all')}</option>
            <option value="me">{t('customers.collector.me')}</option>
            <option value="none">{t('customers.collector.none')}</option>
            {collectors.map((u) => <option key={u.id} value={String(u.id)}>{u.name || u.email}</option>)}
          </select>
        </label>
      )}
      <label className="inline">
        <input type="checkbox" checked={draft.withBalance} onChange={(e) => set({ withBalance: e.target.checked })} />
        {t('customers.filter.withBalance')}
      </label>
      <div className="actions">
        <button type="submit" className="primary" data-testid="filter-apply">{t('customers.filter.apply')}</button>
        <button type="button" onClick={clear}>{t('customers.filter.clear')}</button>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
    </form>
  );
}

function SortHeader({ sort, current, onSort, children, className, title }: { sort: Sort; current: Sort; onSort: (s: Sort) => void; children: string; className?: string; title?: string }) {
  const active = sort === current;
  return (
    <th className={className} aria-sort={active ? (sort === 'name' || sort === 'external_id' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className={`sort ${active ? 'active' : ''}`} onClick={() => onSort(sort)} title={title}>
        {children}
        {active ? (sort === 'name' || sort === 'external_id' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}

export function Customers() {
  const { t, lang } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const state = parseListQuery(search);
  const query = apiQuery(state);
  const key = JSON.stringify(query);
  const page = useLoad(() => api.GET('/api/v1/customers', { params: { query } }), [key]);
  const go = (next: ListState) => navigate(`/customers${listQueryString(next)}`);
  const setSort = (sort: Sort) => go(withFilters({ ...state.filters, sort }));

  const groups = groupRows(page.data?.data ?? []);
  const lastId = groups.at(-1)?.[0].external_id;
  const pageNumber = state.cursors.length + 1;
  return (
    <div className="customers">
      <div className="page-head">
        <h1>{t('customers.title')}</h1>
        <SearchBox key={state.filters.search ?? ''} value={state.filters.search ?? ''} onSearch={(search) => go(withFilters({ ...state.filters, search: search || undefined }))} />
      </div>
      <section className="card">
        {/* A new URL (a link, Back) remounts the form with its filters. */}
        <FiltersForm key={JSON.stringify(state.filters)} state={state} onApply={(filters) => go(withFilters(filters))} />
        <div className="customers-sort">
          <label className="inline">
            {t('customers.sort')}
            <select value={state.filters.sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="sort">
              {SORTS.map((s) => <option key={s} value={s}>{t(`customers.sort.${s}`)}</option>)}
            </select>
          </label>
        </div>
        <ErrorBox error={page.error} onRetry={page.reload} />
        {page.loading && !page.data ? (
          <Loading />
        ) : (
          <div className={`table-scroll ${page.loading ? 'stale' : ''}`} aria-busy={page.loading}>
            <table className="table customers-table" data-testid="customers-table">
              <thead>
                <tr>
                  <SortHeader sort="name" current={state.filters.sort} onSort={setSort}>{t('customers.customer')}</SortHeader>
                  <th className="hide-phone">{t('customers.taxId')}</th>
                  <th className="hide-phone">{t('customers.country')}</th>
                  <th className="hide-phone">{t('customers.segment')}</th>
                  <th className="num hide-phone">{t('customers.openInvoices')}</th>
                  <SortHeader sort="balance" current={state.filters.sort} onSort={setSort} className="num">{t('customers.balance')}</SortHeader>
                  <SortHeader sort="days_past_due" current={state.filters.sort} onSort={setSort} className="num" title={t('customers.daysPastDue')}>{t('customers.daysShort')}</SortHeader>
                </tr>
              </thead>
              <tbody>
                {groups.map((rows) => {
                  const first = rows[0];
                  const href = customerHref(first.external_id);
                  const invoices = rows.reduce((n, r) => n + r.open_invoices, 0);
                  const days = Math.max(...rows.map((r) => r.max_days_past_due));
                  return (
                    <tr key={first.external_id} className="clickable" onClick={(e) => { if (!(e.target as HTMLElement).closest('a')) navigate(href); }} data-testid="customer-row">
                      <td>
                        <Link href={href}>{first.name}</Link>
                        <div className="muted small">
                          {first.external_id}
                          {first.segment && <span className={`${segmentBadge(first.segment)} show-phone`}>{t(`customers.segment.${first.segment}`)}</span>}
                          <CreditHoldBadge onHold={first.on_hold} reasons={first.hold_reasons} />
                        </div>
                      </td>
                      <td className="hide-phone">{first.tax_id}</td>
                      <td className="hide-phone">{first.country}</td>
                      <td className="hide-phone">{first.segment ? <span className={segmentBadge(first.segment)}>{t(`customers.segment.${first.segment}`)}</span> : <span className="muted">—</span>}</td>
                      <td className="num hide-phone">{formatNumber(invoices, lang)}</td>
                      <td className="num">
                        {rows.map((r) => (r.balance ? <div key={r.currency ?? ''}><MoneyText value={r.balance} /></div> : <span key="none" className="muted">—</span>))}
                      </td>
                      <td className={`num ${days > 90 ? 'danger' : days > 0 ? 'warn' : ''}`}>{days > 0 ? formatNumber(days, lang) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {groups.length === 0 && !page.error && <p className="muted">{t('customers.empty')}</p>}
          </div>
        )}
        <nav className="pager" aria-label={t('customers.pages')}>
          <span className="muted small">{t('customers.page', { page: pageNumber })}</span>
          <button type="button" disabled={state.cursors.length === 0} onClick={() => go(previousPage(state))} data-testid="page-previous">
            {t('common.previous')}
          </button>
          <button type="button" disabled={!page.data?.has_more || !lastId} onClick={() => go(nextPage(state, lastId))} data-testid="page-next">
            {t('common.next')}
          </button>
        </nav>
      </section>
    </div>
  );
}
