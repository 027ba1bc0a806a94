// Estrategia: the active collection strategy (GET /api/v1/strategy) drawn on
// a timeline of days relative to the due date; managers edit it with forms or
// as raw JSON, validate it (problems beside the fields and at their JSON
// Pointer), look at a 90-day simulation, and save it with If-Match.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, fieldErrors, type Schemas } from '../../shared/api';
import { formatNumber, LOCALES } from '../../shared/format';
import { useI18n, type Lang } from '../../shared/i18n';
import { Chart } from '../components/Chart';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import {
  CHANNELS, TONES, conditionText, foldSimulation, lineRange, parseDay, parseList, parseStrategyJson, pointerLine, prettyJson,
  signedDay, stageChannels, stagesWithDay, timelineExtent, timelineTicks, withActionField, withField, withStageField,
  type SimulationSeries, type StrategyAction, type StrategyDoc, type StrategyStage,
} from '../strategy_model';
import { actionLabel, channelLabel, toneLabel } from '../policy_labels';

type T = (key: string, vars?: Record<string, string | number>) => string;

// "Mensaje: mejor canal → WhatsApp, SMS (cordial) [si segments: high_risk]"
function actionText(t: T, action: StrategyAction): string {
  const fallback = action.fallback?.length ? ` → ${action.fallback.map((c) => channelLabel(t, c)).join(', ')}` : '';
  const tone = action.tone ? ` (${toneLabel(t, action.tone)})` : '';
  const conditions = conditionText(action.conditions);
  const when = conditions.length ? ` [${t('policy.if')} ${conditions.join('; ')}]` : '';
  const extra = action.escalate_to ? ` → ${action.escalate_to}` : '';
  return `${actionLabel(t, action.type)}: ${channelLabel(t, action.channel)}${fallback}${tone}${extra}${when}`;
}

function stageColor(day: number): string {
  if (day < 0) return '#2f855a';
  if (day === 0) return '#b7791f';
  if (day <= 15) return '#dd6b20';
  if (day <= 60) return '#c53030';
  return '#822727';
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// The stages on an axis from the earliest to the latest offset: one row per
// stage, a band from its day to the next stage's, its words beside the marker.
export function StrategyTimeline({ doc }: { doc: StrategyDoc }) {
  const { t } = useI18n();
  const stages = stagesWithDay(doc);
  const { min, max } = timelineExtent(doc);
  const width = 980;
  const pad = 28;
  const top = 42;
  const rowHeight = 58;
  const height = top + Math.max(stages.length, 1) * rowHeight + 10;
  const x = (day: number) => pad + ((day - min) / (max - min)) * (width - 2 * pad);
  const ticks = timelineTicks(min, max);
  return (
    <div className="strategy-timeline" data-testid="strategy-timeline">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={t('policy.timelineLabel', { count: stages.length })}>
        <line x1={pad} x2={width - pad} y1={top - 14} y2={top - 14} stroke="#a0aec0" />
        {ticks.map((day) => (
          <g key={day}>
            <line x1={x(day)} x2={x(day)} y1={top - 18} y2={height - 6} stroke={day === 0 ? '#b7791f' : '#e2e8f0'} strokeWidth={day === 0 ? 2 : 1} strokeDasharray={day === 0 ? '' : '3 3'} />
            <text x={x(day)} y={top - 22} textAnchor="middle" fontSize="12" fill="#4a5568">
              {day === 0 ? t('policy.dueDate') : signedDay(day)}
            </text>
          </g>
        ))}
        {stages.map((stage, row) => {
          const y = top + row * rowHeight;
          const next = stages.slice(row + 1).find((s) => s.day > stage.day);
          const end = next ? x(next.day) : width - pad;
          const color = stageColor(stage.day);
          const actions = (stage.actions ?? []).map((a) => actionText(t, a)).join(' · ');
          const conditions = conditionText(stage.conditions);
          // Words go right of the marker when they fit there (or there is more room there), else left.
          const roomRight = Math.floor((width - pad - x(stage.day) - 10) / 5.9);
          const roomLeft = Math.floor((x(stage.day) - pad - 10) / 5.9);
          const rightSide = !(actions.length > roomRight && roomLeft > roomRight);
          const anchor = rightSide ? 'start' : 'end';
          const tx = rightSide ? x(stage.day) + 10 : x(stage.day) - 10;
          const room = rightSide ? roomRight : roomLeft;
          return (
            <g key={`${stage.key}-${stage.index}`} data-stage={stage.key}>
              <title>{`${stage.key} (${signedDay(stage.day)}): ${actions}${conditions.length ? ` — ${t('policy.if')} ${conditions.join('; ')}` : ''}`}</title>
              <rect x={x(stage.day)} y={y + 4} width={Math.max(end - x(stage.day), 3)} height={rowHeight - 12} fill={color} opacity={0.1} rx={4} />
              <circle cx={x(stage.day)} cy={y + 16} r={6} fill={color} />
              <text x={tx} y={y + 20} textAnchor={anchor} fontSize="13" fontWeight="600" fill="#1a202c">
                {`${stage.key} · ${t('policy.dayShort', { day: signedDay(stage.day) })}`}
              </text>
              <text x={tx} y={y + 36} textAnchor={anchor} fontSize="11.5" fill="#2d3748">
                {shorten(actions, room)}
              </text>
              {conditions.length > 0 && (
                <text x={tx} y={y + 50} textAnchor={anchor} fontSize="11" fill="#975a16">
                  {shorten(`${t('policy.if')} ${conditions.join('; ')}`, room)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

// Read-only table of the stages: the timeline's words for screen readers and phones.
function StagesTable({ doc }: { doc: StrategyDoc }) {
  const { t } = useI18n();
  const stages = stagesWithDay(doc);
  return (
    <table className="table compact strategy-stages" data-testid="strategy-stages">
      <thead>
        <tr>
          <th>{t('policy.stage')}</th>
          <th className="num">{t('policy.day')}</th>
          <th>{t('policy.actions')}</th>
          <th className="wp-hide-phone">{t('policy.channels')}</th>
          <th>{t('policy.conditions')}</th>
        </tr>
      </thead>
      <tbody>
        {stages.map((stage) => (
          <tr key={`${stage.key}-${stage.index}`}>
            <td><strong>{stage.key}</strong></td>
            <td className="num">{signedDay(stage.day)}</td>
            <td>
              <ul className="plain compact-list">
                {(stage.actions ?? []).map((action, i) => <li key={i}>{actionText(t, action)}</li>)}
              </ul>
            </td>
            <td className="wp-hide-phone">{stageChannels(stage).map((c) => <span key={c} className="badge">{channelLabel(t, c)}</span>)}</td>
            <td className="small">{conditionText(stage.conditions).join('; ') || t('policy.always')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FieldError({ errors, pointer }: { errors: Record<string, string>; pointer: string }) {
  const message = errors[pointer];
  if (!message) return null;
  return <span className="field-error" role="alert" data-pointer={pointer}>{message}</span>;
}

// The forms for the common fields: the strategy's name and options, each
// stage's key and day, each action's channel, fallbacks and tone.
function StrategyForm({ doc, errors, onChange }: { doc: StrategyDoc; errors: Record<string, string>; onChange: (next: StrategyDoc) => void }) {
  const { t } = useI18n();
  const toneOptions = (current?: string) => (current && !(TONES as readonly string[]).includes(current) ? [...TONES, current] : [...TONES]);
  return (
    <div className="strategy-form" data-testid="strategy-form">
      <div className="form-grid">
        <label>
          {t('policy.name')}
          <input value={doc.name ?? ''} onChange={(e) => onChange(withField(doc, 'name', e.target.value))} data-testid="strategy-name" />
          <FieldError errors={errors} pointer="/name" />
        </label>
        <label>
          {t('policy.driver')}
          <select value={doc.stage_driver ?? 'oldest_invoice'} onChange={(e) => onChange(withField(doc, 'stage_driver', e.target.value))}>
            <option value="oldest_invoice">{t('policy.driver.oldest_invoice')}</option>
            <option value="largest_invoice">{t('policy.driver.largest_invoice')}</option>
          </select>
          <FieldError errors={errors} pointer="/stage_driver" />
        </label>
        <label>
          {t('policy.graceDays')}
          <input type="number" min={0} max={60} value={doc.promise_grace_days ?? ''} onChange={(e) => onChange(withField(doc, 'promise_grace_days', parseDay(e.target.value)))} />
          <FieldError errors={errors} pointer="/promise_grace_days" />
        </label>
      </div>
      <label>
        {t('policy.description')}
        <input value={doc.description ?? ''} onChange={(e) => onChange(withField(doc, 'description', e.target.value))} />
        <FieldError errors={errors} pointer="/description" />
      </label>
      <div className="table-scroll">
        <table className="table compact strategy-edit">
          <thead>
            <tr>
              <th>{t('policy.stage')}</th>
              <th>{t('policy.dayOffset')}</th>
              <th>{t('policy.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(doc.stages ?? []).map((stage: StrategyStage, si) => (
              <tr key={si} data-testid={`stage-row-${si}`}>
                <td>
                  <label className="sr-label">
                    <span className="visually-hidden">{t('policy.stageKey', { n: si + 1 })}</span>
                    <input value={stage.key ?? ''} onChange={(e) => onChange(withStageField(doc, si, 'key', e.target.value))} />
                  </label>
                  <FieldError errors={errors} pointer={`/stages/${si}/key`} />
                  <FieldError errors={errors} pointer={`/stages/${si}`} />
                </td>
                <td className="day-cell">
                  <label className="sr-label">
                    <span className="visually-hidden">{t('policy.stageDay', { stage: stage.key })}</span>
                    <input inputMode="numeric" value={stage.day ?? ''} onChange={(e) => onChange(withStageField(doc, si, 'day', parseDay(e.target.value)))} data-testid={`stage-day-${si}`} />
                  </label>
                  <FieldError errors={errors} pointer={`/stages/${si}/day`} />
                </td>
                <td>
                  {(stage.actions ?? []).map((action, ai) => (
                    <div className="action-edit" key={ai}>
                      <span className="badge">{actionLabel(t, action.type)}</span>
                      <label className="inline">
                        {t('policy.channel')}
                        <select value={action.channel ?? ''} onChange={(e) => onChange(withActionField(doc, si, ai, 'channel', e.target.value))} data-testid={`action-channel-${si}-${ai}`}>
                          {!action.channel && <option value="">—</option>}
                          {CHANNELS.map((c) => <option key={c} value={c}>{channelLabel(t, c)}</option>)}
                          {action.channel && !(CHANNELS as readonly string[]).includes(action.channel) && <option value={action.channel}>{action.channel}</option>}
                        </select>
                      </label>
                      {action.type === 'message' && (
                        <label className="inline">
                          {t('policy.fallback')}
                          <input
                            defaultValue={(action.fallback ?? []).join(', ')}
                            key={(action.fallback ?? []).join(',')}
                            onBlur={(e) => onChange(withActionField(doc, si, ai, 'fallback', parseList(e.target.value)))}
                            placeholder="whatsapp, sms"
                          />
                        </label>
                      )}
                      <label className="inline">
                        {t('policy.tone')}
                        <select value={action.tone ?? ''} onChange={(e) => onChange(withActionField(doc, si, ai, 'tone', e.target.value))} data-testid={`action-tone-${si}-${ai}`}>
                          <option value="">—</option>
                          {toneOptions(action.tone).map((tone) => <option key={tone} value={tone}>{toneLabel(t, tone)}</option>)}
                        </select>
                      </label>
                      {conditionText(action.conditions).length > 0 && <span className="muted small">{t('policy.if')} {conditionText(action.conditions).join('; ')}</span>}
                      {['channel', 'fallback', 'tone', 'template', 'type', ''].map((f) => (
                        <FieldError key={f} errors={errors} pointer={`/stages/${si}/actions/${ai}${f ? '/' + f : ''}`} />
                      ))}
                    </div>
                  ))}
                  {conditionText(stage.conditions).length > 0 && <p className="muted small">{t('policy.stageIf')} {conditionText(stage.conditions).join('; ')}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('policy.formHint')}</p>
    </div>
  );
}

function shortDay(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

const CHANNEL_COLORS: Record<string, string> = { email: '#2b6cb0', sms: '#d69e2e', whatsapp: '#2f855a', call: '#805ad5', letter: '#718096' };

function SimulationChart({ series }: { series: SimulationSeries }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 44, right: 12, top: 36, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: series.days.map((d) => shortDay(d, lang)), axisLabel: { interval: 'auto', hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.channels.map((channel) => ({
        type: 'bar',
        stack: 'contacts',
        name: channelLabel(t, channel),
        data: series.counts[channel],
        itemStyle: { color: CHANNEL_COLORS[channel] ?? '#a0aec0' },
        barCategoryGap: '20%',
      })),
    }),
    [series, t, lang],
  );
  return <Chart option={option} height={300} label={t('policy.simChartLabel', { total: series.total })} />;
}

interface SimState {
  loading: boolean;
  error?: unknown;
  series?: SimulationSeries;
  proposed?: boolean;
  totals?: Schemas['SimulationTotals'];
}

// What the rules stopped, by reason, most first.
function ReasonList({ counts }: { counts: Schemas['SimulationRuleCounts'] }) {
  const { t, lang } = useI18n();
  const reasons = Object.entries(counts.by_reason).sort((x, y) => y[1] - x[1]);
  if (reasons.length === 0) return null;
  return (
    <ul className="plain small">
      {reasons.map(([code, count]) => (
        <li key={code}>
          {labelOrCode(t, `reason.${code}`, code)}: {formatNumber(count, lang)}
        </li>
      ))}
    </ul>
  );
}

function labelOrCode(t: (k: string) => string, key: string, code: string) {
  const label = t(key);
  return label === key ? code.replace(/_/g, ' ') : label;
}

// The 90-day simulation (POST /api/v1/simulations): of the proposal being
// edited when there is one (nothing is stored), else of the saved strategy,
// with what the law would block or defer, by reason.
function SimulationPanel({ runKey, proposal }: { runKey: number; proposal: StrategyDoc | null }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<SimState>({ loading: true });
  const proposalRef = useRef(proposal);
  proposalRef.current = proposal;
  const run = useCallback(async () => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    const strategy = proposalRef.current ?? undefined;
    const { data, error } = await api.POST('/api/v1/simulations', {
      body: { days: 90, ...(strategy ? { strategy: strategy as unknown as Schemas['Strategy'] } : {}) },
    });
    if (error || !data) {
      setState({ loading: false, error });
      return;
    }
    const contacts = data.data ?? [];
    const first = data.per_day[0]?.day ?? contacts.reduce<string | null>((m, c) => (m === null || c.day < m ? c.day : m), null);
    const from = first ?? new Date().toISOString().slice(0, 10);
    setState({ loading: false, series: foldSimulation(contacts, from, 90), proposed: data.proposed, totals: data.totals });
  }, []);
  useEffect(() => {
    void run();
  }, [run, runKey]);
  const series = state.series;
  return (
    <section className="card" data-testid="simulation">
      <div className="page-head">
        <h2>{t('policy.simTitle')}</h2>
        <button type="button" onClick={() => void run()} disabled={state.loading} data-testid="simulate">
          {state.loading ? t('policy.simRunning') : proposal ? t('policy.simProposal') : t('policy.simRun')}
        </button>
      </div>
      {series && (
        <p className={state.proposed ? 'notice warn-notice' : 'muted small'} data-testid={state.proposed ? 'sim-proposed' : 'sim-saved'}>
          {state.proposed ? t('policy.simOfProposal') : t('policy.simOfSaved')}
        </p>
      )}
      {state.error ? <ErrorBox error={state.error} onRetry={() => void run()} /> : null}
      {!series && state.loading && <Loading />}
      {series && (
        <>
          <SimulationChart series={series} />
          <div className="sim-figures">
            <table className="table compact" data-testid="sim-totals">
              <thead>
                <tr>
                  <th>{t('policy.channel')}</th>
                  <th className="num">{t('policy.simContacts')}</th>
                </tr>
              </thead>
              <tbody>
                {series.channels.map((c) => (
                  <tr key={c}>
                    <td>{channelLabel(t, c)}</td>
                    <td className="num" data-channel={c}>{formatNumber(series.totals[c], lang)}</td>
                  </tr>
                ))}
                <tr className="total-row">
                  <th scope="row">{t('policy.simTotal')}</th>
                  <td className="num"><strong>{formatNumber(series.total, lang)}</strong></td>
                </tr>
              </tbody>
            </table>
            <div>
              {series.peak && <p>{t('policy.simPeak', { day: shortDay(series.peak.day, lang), count: formatNumber(series.peak.count, lang) })}</p>}
              <h3>{t('policy.lawTitle')}</h3>
              {state.totals && (
                <div data-testid="law-blocks">
                  <p>{t('policy.lawBlocked', { count: formatNumber(state.totals.blocked.count, lang) })}</p>
                  <ReasonList counts={state.totals.blocked} />
                  <p>{t('policy.lawDeferred', { count: formatNumber(state.totals.deferred.count, lang) })}</p>
                  <ReasonList counts={state.totals.deferred} />
                </div>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

interface Loaded {
  doc: StrategyDoc;
  etag: string;
}

async function loadStrategy(): Promise<{ data?: Loaded; error?: unknown }> {
  const { data, error, response } = await api.GET('/api/v1/strategy');
  if (error || !data) return { error };
  return { data: { doc: data as unknown as StrategyDoc, etag: response.headers.get('ETag') ?? '' } };
}

export function Strategy() {
  const { t } = useI18n();
  const session = useSession();
  const canEdit = session.can('manager');
  const loaded = useLoad(loadStrategy, []);
  const [current, setCurrent] = useState<Loaded | null>(null);
  const [draft, setDraft] = useState<StrategyDoc | null>(null);
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ pointer: string; detail: string }[]>([]);
  const [status, setStatus] = useState<{ kind: 'valid' | 'saved'; text: string } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [simKey, setSimKey] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (loaded.data) setCurrent(loaded.data);
  }, [loaded.data]);

  const errors = useMemo(() => Object.fromEntries(problems.map((p) => [p.pointer, p.detail])), [problems]);

  if (loaded.loading && !current) return <Loading />;
  if (!current) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;

  const shown = draft ?? current.doc;
  const editing = draft !== null;

  const startEditing = () => {
    setDraft(current.doc);
    setJsonText(prettyJson(current.doc));
    setJsonError(null);
    setProblems([]);
    setStatus(null);
    setFailure(null);
    setConflict(false);
  };
  const stopEditing = () => {
    setDraft(null);
    setProblems([]);
    setJsonError(null);
    setConflict(false);
    setFailure(null);
  };
  const fromForm = (next: StrategyDoc) => {
    setDraft(next);
    setJsonText(prettyJson(next));
    setJsonError(null);
    setStatus(null);
  };
  const fromJson = (text: string) => {
    setJsonText(text);
    setStatus(null);
    const parsed = parseStrategyJson(text);
    if (parsed.doc) {
      setDraft(parsed.doc);
      setJsonError(null);
    } else setJsonError(parsed.error ?? '');
  };
  const showProblems = (list: { pointer: string; detail: string }[]) => {
    setProblems(list);
    if (list.length && draft) setJsonText(prettyJson(draft)); // so the lines match the pointers
  };
  const goToPointer = (pointer: string) => {
    if (!draft || !textarea.current) return;
    const text = prettyJson(draft);
    const [start, end] = lineRange(text, pointerLine(draft, pointer));
    const area = textarea.current;
    (area.closest('details') as HTMLDetailsElement | null)?.setAttribute('open', '');
    area.focus();
    area.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (pointerLine(draft, pointer) - 4) * lineHeight);
  };

  const validate = async () => {
    if (!draft || jsonError) return;
    setBusy(true);
    setFailure(null);
    setProblems([]);
    const { data, error } = await api.POST('/api/v1/strategy/validate', { body: draft as unknown as Schemas['Strategy'] });
    setBusy(false);
    if (error || !data) {
      setFailure(error);
      showProblems(Object.entries(fieldErrors(error)).filter(([p]) => p).map(([pointer, detail]) => ({ pointer, detail })));
      return;
    }
    showProblems(data.problems.map((p) => ({ pointer: p.field, detail: p.detail })));
    setStatus(data.valid ? { kind: 'valid', text: t('policy.valid', { stages: data.stages ?? draft.stages.length }) } : null);
  };

  const save = async () => {
    if (!draft || jsonError) return;
    setBusy(true);
    setFailure(null);
    setConflict(false);
    setProblems([]);
    const { data, error, response } = await api.PUT('/api/v1/strategy', {
      body: draft as unknown as Schemas['Strategy'],
      params: { header: { 'If-Match': current.etag } },
    });
    setBusy(false);
    if (response.status === 412) {
      setConflict(true);
      return;
    }
    if (error || !data) {
      setFailure(error);
      showProblems(Object.entries(fieldErrors(error)).filter(([p]) => p).map(([pointer, detail]) => ({ pointer, detail })));
      return;
    }
    setCurrent({ doc: data as unknown as StrategyDoc, etag: response.headers.get('ETag') ?? '' });
    setDraft(null);
    setProblems([]);
    setStatus({ kind: 'saved', text: t('policy.saved') });
    setSimKey((k) => k + 1);
  };

  const reloadFromServer = async () => {
    const fresh = await loadStrategy();
    if (fresh.data) {
      setCurrent(fresh.data);
      setDraft(fresh.data.doc);
      setJsonText(prettyJson(fresh.data.doc));
      setJsonError(null);
      setProblems([]);
      setConflict(false);
    } else setFailure(fresh.error);
  };

  const brokenPromise = shown.broken_promise as { actions?: StrategyAction[] } | undefined;
  return (
    <div className="strategy-page">
      <div className="page-head">
        <div>
          <h1>{t('policy.title')}</h1>
          <p className="muted">
            <strong data-testid="strategy-title">{shown.name}</strong>
            {shown.description ? ` — ${shown.description}` : ''}
          </p>
        </div>
        {canEdit && (
          <div className="actions">
            {!editing ? (
              <button type="button" className="primary" onClick={startEditing} data-testid="strategy-edit">{t('policy.edit')}</button>
            ) : (
              <>
                <button type="button" onClick={() => void validate()} disabled={busy || !!jsonError} data-testid="strategy-validate">{t('policy.validate')}</button>
                <button type="button" className="primary" onClick={() => void save()} disabled={busy || !!jsonError} data-testid="strategy-save">{t('policy.save')}</button>
                <button type="button" onClick={stopEditing} disabled={busy}>{t('common.cancel')}</button>
              </>
            )}
          </div>
        )}
      </div>
      {status && <p className="notice" role="status" data-testid={`strategy-${status.kind}`}>{status.text}</p>}
      {conflict && (
        <div className="error-box" role="alert" data-testid="strategy-conflict">
          {t('policy.conflict')}{' '}
          <button type="button" onClick={() => void reloadFromServer()}>{t('policy.reload')}</button>
        </div>
      )}
      {failure ? <ErrorBox error={failure} /> : null}
      {problems.length > 0 && (
        <div className="error-box" role="alert" data-testid="strategy-problems">
          <strong>{t('policy.problems', { count: problems.length })}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p.pointer}>
                <button type="button" className="link" onClick={() => goToPointer(p.pointer)}>
                  <code>{p.pointer || '/'}</code>
                </button>{' '}
                {p.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      <section className="card">
        <h2>{t('policy.timeline')}</h2>
        <StrategyTimeline doc={shown} />
        {brokenPromise?.actions?.length ? (
          <p className="small">
            <strong>{t('policy.brokenPromise')}:</strong> {brokenPromise.actions.map((a) => actionText(t, a)).join(' · ')}
            {typeof shown.promise_grace_days === 'number' ? ` · ${t('policy.graceShort', { days: shown.promise_grace_days })}` : ''}
          </p>
        ) : null}
      </section>
      {editing && draft ? (
        <section className="card">
          <h2>{t('policy.editTitle')}</h2>
          <StrategyForm doc={draft} errors={errors} onChange={fromForm} />
          <details className="raw-json" open={problems.some((p) => !(p.pointer in errors)) || undefined}>
            <summary>{t('policy.rawJson')}</summary>
            <label>
              <span className="visually-hidden">{t('policy.rawJson')}</span>
              <textarea ref={textarea} value={jsonText} onChange={(e) => fromJson(e.target.value)} rows={22} spellCheck={false} className="code" data-testid="strategy-json" />
            </label>
            {jsonError && <p className="field-error" role="alert">{t('policy.jsonError', { error: jsonError })}</p>}
          </details>
        </section>
      ) : (
        <section className="card">
          <h2>{t('policy.stages')}</h2>
          <div className="table-scroll">
            <StagesTable doc={shown} />
          </div>
        </section>
      )}
      {canEdit && <SimulationPanel runKey={simKey} proposal={editing && !jsonError ? draft : null} />}
    </div>
  );
}

