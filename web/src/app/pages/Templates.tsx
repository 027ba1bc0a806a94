// Plantillas: the message scripts by stage, channel, language and tone
// (GET /api/v1/templates); one stage's scripts (GET /api/v1/templates/{key}),
// a live preview for a real customer, and — for managers — the tenant's own
// text of a script (PUT/DELETE with If-Match), with the SMS segment counter.
import { useEffect, useMemo, useState } from 'react';
import { api, fieldErrors, type Schemas } from '../../shared/api';
import { formatTimestamp } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession } from '../session';
import { measureSms, nonGsmCharacters } from '../sms_segments';
import { channelLabel, toneLabel } from '../policy_labels';

type Template = Schemas['MessageTemplate'];
type Preview = Schemas['TemplatePreview'];
type EditableChannel = 'email' | 'sms' | 'whatsapp' | 'call';

const variantId = (v: { channel: string; language: string; tone: string }) => `${v.channel}|${v.language}|${v.tone}`;

export function SmsCounter({ text, testId }: { text: string; testId?: string }) {
  const { t } = useI18n();
  const length = measureSms(text);
  const offending = length.encoding === 'UCS-2' ? nonGsmCharacters(text) : [];
  return (
    <p className={`sms-counter ${length.segments > 2 ? 'warn' : 'muted'}`} aria-live="polite" data-testid={testId ?? 'sms-counter'}>
      {t('templates.smsCount', { encoding: length.encoding, units: length.units, segments: length.segments, per: length.perSegment, left: length.left })}
      {offending.length > 0 && <> · {t('templates.smsUcs2', { chars: offending.join(' ') })}</>}
    </p>
  );
}

function PreviewView({ preview }: { preview: Preview }) {
  const { t } = useI18n();
  return (
    <div className="template-preview" data-testid="template-preview">
      <p className="muted small">
        {t('templates.previewMeta', { language: preview.language, tone: preview.tone ?? '—', source: t(`templates.source.${preview.source ?? 'default'}`), date: preview.as_of })}
      </p>
      {preview.subject && (
        <p>
          <strong>{t('templates.subject')}:</strong> {preview.subject}
        </p>
      )}
      {preview.format === 'html' ? (
        <iframe className="template-frame" sandbox="" srcDoc={preview.body} title={t('templates.previewFrame')} />
      ) : (
        <pre className="template-body">{preview.body}</pre>
      )}
      {preview.channel === 'sms' && <SmsCounter text={preview.body} testId="preview-sms-counter" />}
      {preview.sms && (
        <p className="small muted" data-testid="preview-sms">
          {t('templates.smsServer', { encoding: preview.sms.encoding, units: preview.sms.units, segments: preview.sms.segments })}
        </p>
      )}
    </div>
  );
}

function StageDetail({ stageKey, filters }: { stageKey: string; filters: { channel: string; language: string; tone: string } }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const canEdit = session.can('manager');
  const detail = useLoad(async () => {
    const { data, error, response } = await api.GET('/api/v1/templates/{key}', { params: { path: { key: stageKey } } });
    return { data: data ? { stage: data, etag: response.headers.get('ETag') ?? '' } : undefined, error };
  }, [stageKey]);
  const templates = useMemo(
    () =>
      [...(detail.data?.stage.templates ?? [])].sort((a, b) => Number(b.language === lang) - Number(a.language === lang)).filter(
        (tpl) => (!filters.channel || tpl.channel === filters.channel) && (!filters.language || tpl.language === filters.language) && (!filters.tone || tpl.tone === filters.tone),
      ),
    [detail.data, filters, lang],
  );
  const [chosen, setChosen] = useState('');
  const selected: Template | undefined = templates.find((tpl) => variantId(tpl) === chosen) ?? templates[0];

  // The preview's customer: chosen by external id, suggestions from the overdue customers.
  const customers = useLoad(() => api.GET('/api/v1/customers', { params: { query: { min_days_past_due: 1, limit: 50 } } }), []);
  const [customer, setCustomer] = useState('');
  useEffect(() => {
    if (!customer && customers.data?.data?.length) setCustomer(customers.data.data[0].external_id);
  }, [customers.data, customer]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);

  const [editing, setEditing] = useState(false);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setEditing(false);
    setPreview(null);
    setPreviewError(null);
    setErrors({});
    setFailure(null);
    setWarnings([]);
  }, [stageKey, selected?.channel, selected?.language, selected?.tone]);

  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data) return <ErrorBox error={detail.error} onRetry={detail.reload} />;

  const runPreview = async () => {
    if (!selected || !customer.trim()) return;
    setPreviewing(true);
    setPreviewError(null);
    const { data, error } = await api.POST('/api/v1/templates/{key}/preview', {
      params: { path: { key: stageKey } },
      body: { customer: customer.trim(), channel: selected.channel, tone: selected.tone },
    });
    setPreviewing(false);
    setPreview(data ?? null);
    setPreviewError(error ?? null);
  };

  const startEdit = () => {
    if (!selected) return;
    setSubject(selected.subject ?? '');
    setBody(selected.body);
    setErrors({});
    setFailure(null);
    setNotice(null);
    setWarnings([]);
    setEditing(true);
  };

  const save = async () => {
    if (!selected || selected.channel === 'letter') return;
    setBusy(true);
    setErrors({});
    setFailure(null);
    const { data, error, response } = await api.PUT('/api/v1/templates/{key}', {
      params: { path: { key: stageKey }, header: { 'If-Match': detail.data!.etag } },
      body: {
        channel: selected.channel as EditableChannel,
        language: selected.language,
        tone: selected.tone,
        body,
        ...(selected.channel === 'email' ? { subject } : {}),
      },
    });
    setBusy(false);
    if (error || !data) {
      if (response.status === 412) setFailure({ detail: t('templates.conflict') });
      else {
        setErrors(fieldErrors(error));
        setFailure(error);
      }
      return;
    }
    setWarnings(data.warnings ?? []);
    setNotice(t('templates.saved'));
    setEditing(false);
    detail.reload();
  };

  const removeOverride = async () => {
    if (!selected || selected.source !== 'tenant' || !window.confirm(t('templates.resetConfirm'))) return;
    setBusy(true);
    const { error, response } = await api.DELETE('/api/v1/templates/{key}', {
      params: { path: { key: stageKey }, query: { channel: selected.channel as EditableChannel, language: selected.language, tone: selected.tone }, header: { 'If-Match': detail.data!.etag } },
    });
    setBusy(false);
    if (error) setFailure(response.status === 412 ? { detail: t('templates.conflict') } : error);
    else {
      setNotice(t('templates.resetDone'));
      detail.reload();
    }
  };

  return (
    <div data-testid="template-detail">
      <h2>{t('templates.stage', { key: stageKey })}</h2>
      {templates.length === 0 ? (
        <p className="muted">{t('templates.noneMatch')}</p>
      ) : (
        <label>
          {t('templates.variant')}
          <select value={selected ? variantId(selected) : ''} onChange={(e) => setChosen(e.target.value)} data-testid="template-variant">
            {templates.map((tpl) => (
              <option key={variantId(tpl)} value={variantId(tpl)}>
                {channelLabel(t, tpl.channel)} · {tpl.language.toUpperCase()} · {tpl.tone}
                {tpl.source === 'tenant' ? ` · ${t('templates.source.tenant')}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {notice && <p className="notice" role="status">{notice}</p>}
      {warnings.map((w) => <p key={w} className="notice warn-notice">{w}</p>)}
      {selected && (
        <>
          <p className="small">
            <span className={`badge ${selected.source === 'tenant' ? 'warn' : ''}`}>{t(`templates.source.${selected.source}`)}</span>{' '}
            {selected.updated_at && t('templates.updated', { time: formatTimestamp(selected.updated_at, lang), who: selected.updated_by ?? '—' })}
          </p>
          {!editing ? (
            <>
              {selected.subject !== null && (
                <p>
                  <strong>{t('templates.subject')}:</strong> <code>{selected.subject}</code>
                </p>
              )}
              <pre className="template-body" data-testid="template-body">{selected.body}</pre>
              {canEdit && (
                <div className="actions">
                  {selected.channel !== 'letter' ? (
                    <button type="button" className="primary" onClick={startEdit} data-testid="template-edit">
                      {selected.source === 'tenant' ? t('templates.editOwn') : t('templates.override')}
                    </button>
                  ) : (
                    <span className="muted small">{t('templates.letterFixed')}</span>
                  )}
                  {selected.source === 'tenant' && (
                    <button type="button" className="danger" onClick={() => void removeOverride()} disabled={busy}>
                      {t('templates.reset')}
                    </button>
                  )}
                </div>
              )}
            </>
          ) : (
            <form
              className="template-edit"
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              {selected.channel === 'email' && (
                <label>
                  {t('templates.subject')}
                  <input value={subject} onChange={(e) => setSubject(e.target.value)} />
                  {errors['/subject'] && <span className="field-error">{errors['/subject']}</span>}
                </label>
              )}
              <label>
                {t('templates.body')}
                <textarea className="code" rows={selected.channel === 'sms' ? 5 : 14} value={body} onChange={(e) => setBody(e.target.value)} data-testid="template-body-input" />
                {errors['/body'] && <span className="field-error" role="alert" data-testid="template-body-error">{errors['/body']}</span>}
              </label>
              {selected.channel === 'sms' && (
                <>
                  <SmsCounter text={body.replace(/\{\{![\s\S]*?\}\}/g, '').trimEnd()} />
                  <p className="muted small">{t('templates.smsScriptHint')}</p>
                </>
              )}
              <p className="muted small">{t('templates.variablesHint')}</p>
              {failure && !errors['/body'] && !errors['/subject'] ? <ErrorBox error={failure} /> : null}
              <div className="actions">
                <button type="submit" className="primary" disabled={busy} data-testid="template-save">{t('common.save')}</button>
                <button type="button" onClick={() => setEditing(false)} disabled={busy}>{t('common.cancel')}</button>
              </div>
            </form>
          )}
          {failure && !editing ? <ErrorBox error={failure} /> : null}
          <h3>{t('templates.previewTitle')}</h3>
          <form
            className="filters"
            onSubmit={(e) => {
              e.preventDefault();
              void runPreview();
            }}
          >
            <label>
              {t('templates.customer')}
              <input list="template-customers" value={customer} onChange={(e) => setCustomer(e.target.value)} data-testid="preview-customer" />
            </label>
            <datalist id="template-customers">
              {customers.data?.data.map((c) => (
                <option key={c.external_id} value={c.external_id}>
                  {c.name}
                </option>
              ))}
            </datalist>
            <button type="submit" disabled={previewing || !customer.trim()} data-testid="preview-run">
              {previewing ? t('common.loading') : t('templates.preview')}
            </button>
          </form>
          <p className="muted small">{t('templates.previewHint')}</p>
          {previewError ? <ErrorBox error={previewError} /> : null}
          {preview && <PreviewView preview={preview} />}
        </>
      )}
    </div>
  );
}

export function Templates() {
  const { t } = useI18n();
  const list = useLoad(() => api.GET('/api/v1/templates'), []);
  const [filters, setFilters] = useState({ channel: '', language: '', tone: '', source: '' });
  const [open, setOpen] = useState<string | null>(null);
  const summaries = useMemo(() => list.data?.data ?? [], [list.data]);
  const tones = useMemo(() => [...new Set(summaries.flatMap((s) => s.variants.map((v) => v.tone)))].sort(), [summaries]);
  const matches = (v: Schemas['TemplateSummary']['variants'][number]) =>
    (!filters.channel || v.channel === filters.channel) && (!filters.language || v.language === filters.language) && (!filters.tone || v.tone === filters.tone) && (!filters.source || v.source === filters.source);
  const rows = summaries.map((s) => ({ key: s.key, variants: s.variants.filter(matches) })).filter((s) => s.variants.length > 0);
  useEffect(() => {
    if (!open && rows.length) setOpen(rows[0].key);
  }, [rows, open]);

  if (list.loading && !list.data) return <Loading />;
  if (!list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const set = (field: keyof typeof filters) => (e: React.ChangeEvent<HTMLSelectElement>) => setFilters({ ...filters, [field]: e.target.value });
  return (
    <div className="templates-page">
      <div className="page-head">
        <h1>{t('templates.title')}</h1>
        <p className="muted">{t('templates.subtitle')}</p>
      </div>
      <div className="filters card">
        <label>
          {t('policy.channel')}
          <select value={filters.channel} onChange={set('channel')} data-testid="filter-channel">
            <option value="">{t('common.all')}</option>
            {['email', 'sms', 'whatsapp', 'call', 'letter'].map((c) => <option key={c} value={c}>{channelLabel(t, c)}</option>)}
          </select>
        </label>
        <label>
          {t('templates.language')}
          <select value={filters.language} onChange={set('language')}>
            <option value="">{t('common.all')}</option>
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t('policy.tone')}
          <select value={filters.tone} onChange={set('tone')}>
            <option value="">{t('common.all')}</option>
            {tones.map((tone) => <option key={tone} value={tone}>{toneLabel(t, tone)}</option>)}
          </select>
        </label>
        <label>
          {t('templates.sourceLabel')}
          <select value={filters.source} onChange={set('source')}>
            <option value="">{t('common.all')}</option>
            <option value="default">{t('templates.source.default')}</option>
            <option value="tenant">{t('templates.source.tenant')}</option>
          </select>
        </label>
      </div>
      <div className="templates-layout">
        <section className="card">
          <h2>{t('templates.stages')}</h2>
          {rows.length === 0 && <p className="muted">{t('templates.noneMatch')}</p>}
          <ul className="plain template-list" data-testid="template-list">
            {rows.map((row) => (
              <li key={row.key} className={row.key === open ? 'selected' : ''}>
                <button type="button" className="link" aria-current={row.key === open ? 'true' : undefined} onClick={() => {
                    setOpen(row.key);
                    if (window.matchMedia('(max-width: 720px)').matches) requestAnimationFrame(() => document.getElementById('template-detail-card')?.scrollIntoView());
                  }} data-testid={`template-${row.key}`}>
                  {row.key}
                </button>
                <div className="variant-badges">
                  {[...new Set(row.variants.map((v) => v.channel))].map((channel) => {
                    const vs = row.variants.filter((v) => v.channel === channel);
                    const own = vs.some((v) => v.source === 'tenant');
                    return (
                      <span key={channel} className={`badge ${own ? 'warn' : ''}`} title={vs.map((v) => `${v.language}/${v.tone}/${v.source}`).join(', ')}>
                        {channelLabel(t, channel)} {[...new Set(vs.map((v) => v.language))].join('/')}
                      </span>
                    );
                  })}
                </div>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" id="template-detail-card">{open ? <StageDetail key={open} stageKey={open} filters={filters} /> : <p className="muted">{t('templates.pick')}</p>}</section>
      </div>
    </div>
  );
}
