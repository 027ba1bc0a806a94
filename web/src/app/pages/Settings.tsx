// Ajustes: sections by role. Everyone reads the company profile; an admin
// changes it (PATCH with If-Match) and manages the channels (secrets
// write-only: only "set" / "not set" is ever shown), users, API keys and
// outbound webhooks. Secrets the server shows once are shown once here too.
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, fieldErrors, type Schemas } from '../../shared/api';
import { formatTimestamp } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { ErrorBox, Loading } from '../components/Status';
import { useLoad } from '../components/useLoad';
import { useSession, type Role } from '../session';
import { changedFields, channelPayload, CHANNEL_FIELDS, type ChannelName } from '../settings_model';

type Company = Schemas['Company'];
type Channel = Schemas['Channel'];
const ROLES: Role[] = ['viewer', 'collector', 'manager', 'admin'];
const EVENTS: Schemas['WebhookEventType'][] = [
  'payment.received', 'promise.created', 'promise.broken', 'dispute.opened', 'dispute.resolved',
  'message.sent', 'message.bounced', 'message.replied', 'customer.opted_out', 'run.completed',
];

// Copies a text: the Clipboard API, else a selected hidden textarea.
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = value;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    return done;
  }
}

// A secret the server returns once: shown with a copy button until dismissed.
function OnceSecret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice once-secret" role="status" data-testid="once-secret">
      <p>
        <strong>{label}</strong> {t('settings.onceWarning')}
      </p>
      <code className="secret-value">{value}</code>
      <div className="actions">
        <button type="button" onClick={() => void copyText(value).then(setCopied)} data-testid="copy-secret">
          {copied ? t('settings.copied') : t('settings.copy')}
        </button>
        <button type="button" onClick={onDone}>{t('settings.onceDone')}</button>
      </div>
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="card settings-section" data-testid={testId} id={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

const COMPANY_FIELDS: { field: keyof Company; key: string; multiline?: boolean; type?: string }[] = [
  { field: 'name', key: 'settings.company.name' },
  { field: 'tax_id', key: 'settings.company.taxId' },
  { field: 'address', key: 'settings.company.address' },
  { field: 'city', key: 'settings.company.city' },
  { field: 'phone', key: 'settings.company.phone' },
  { field: 'email', key: 'settings.company.email', type: 'email' },
  { field: 'collector_name', key: 'settings.company.collector' },
  { field: 'daily_run_time', key: 'settings.company.runTime', type: 'time' },
  { field: 'portal_base_url', key: 'settings.company.portalUrl', type: 'url' },
  { field: 'payment_instructions', key: 'settings.company.payment', multiline: true },
];

function CompanySection() {
  const { t } = useI18n();
  const session = useSession();
  const canEdit = session.can('admin');
  const loaded = useLoad(async () => {
    const { data, error, response } = await api.GET('/api/v1/company');
    return { data: data ? { company: data, etag: response.headers.get('ETag') ?? '' } : undefined, error };
  }, []);
  const [form, setForm] = useState<Company | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const company = loaded.data.company;
  const editing = form !== null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    const body = changedFields(company, form, COMPANY_FIELDS.map((f) => f.field));
    if (Object.keys(body).length === 0) {
      setForm(null);
      return;
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    const { data, error, response } = await api.PATCH('/api/v1/company', { body, params: { header: { 'If-Match': loaded.data!.etag } } });
    setBusy(false);
    if (error || !data) {
      setErrors(fieldErrors(error));
      setFailure(response.status === 412 ? { detail: t('settings.conflict') } : error);
      return;
    }
    setForm(null);
    setNotice(t('common.saved'));
    loaded.reload();
  };
  return (
    <Section title={t('settings.company')} testId="settings-company">
      {notice && <p className="notice" role="status">{notice}</p>}
      {!editing ? (
        <>
          <dl className="facts">
            {COMPANY_FIELDS.map(({ field, key }) => (
              <div key={field}>
                <dt>{t(key)}</dt>
                <dd className={field === 'payment_instructions' ? 'pre' : ''}>{company[field] || <span className="muted">—</span>}</dd>
              </div>
            ))}
            <div>
              <dt>{t('settings.company.country')}</dt>
              <dd>{company.country}</dd>
            </div>
            <div>
              <dt>{t('settings.company.paper')}</dt>
              <dd>{company.default_paper}</dd>
            </div>
          </dl>
          {canEdit && (
            <button type="button" className="primary" onClick={() => { setForm({ ...company }); setNotice(null); }} data-testid="company-edit">
              {t('settings.edit')}
            </button>
          )}
        </>
      ) : (
        <form onSubmit={(e) => void save(e)} className="form-grid" data-testid="company-form">
          {COMPANY_FIELDS.map(({ field, key, multiline, type }) => (
            <label key={field} className={multiline ? 'wide' : ''}>
              {t(key)}
              {multiline ? (
                <textarea rows={3} value={form[field] ?? ''} onChange={(e) => setForm({ ...form, [field]: e.target.value })} />
              ) : (
                <input type={type ?? 'text'} value={form[field] ?? ''} onChange={(e) => setForm({ ...form, [field]: e.target.value })} />
              )}
              {errors[`/${field}`] && <span className="field-error">{errors[`/${field}`]}</span>}
            </label>
          ))}
          <p className="muted small wide">{t('settings.company.clearHint')}</p>
          {failure ? <div className="wide"><ErrorBox error={failure} /></div> : null}
          <div className="actions wide">
            <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
            <button type="button" onClick={() => setForm(null)} disabled={busy}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
    </Section>
  );
}

function ChannelCard({ channel, onChanged }: { channel: Channel; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const name = channel.channel as ChannelName;
  const spec = CHANNEL_FIELDS[name];
  const settings = (channel.settings ?? {}) as Record<string, string | number>;
  const secrets = channel.secrets as Record<string, { set: boolean }>;
  const [values, setValues] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [test, setTest] = useState<Schemas['ChannelTest'] | null>(null);
  const [busy, setBusy] = useState(false);
  const startEdit = () => {
    const initial: Record<string, string> = {};
    for (const f of spec.fields) initial[f.name] = settings[f.name] === undefined ? '' : String(settings[f.name]);
    for (const s of spec.secrets) initial[s] = '';
    setValues(initial);
    setErrors({});
    setFailure(null);
    setEditing(true);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const current = await api.GET('/api/v1/channels/{channel}', { params: { path: { channel: name } } });
    const etag = current.response.headers.get('ETag') ?? undefined;
    const { error, response } = await api.PUT('/api/v1/channels/{channel}', {
      params: { path: { channel: name }, header: etag ? { 'If-Match': etag } : {} },
      body: channelPayload(name, values) as Schemas['ChannelChange'],
    });
    setBusy(false);
    if (error) {
      setErrors(fieldErrors(error));
      setFailure(response.status === 412 ? { detail: t('settings.conflict') } : error);
      return;
    }
    setEditing(false);
    setNotice(t('common.saved'));
    onChanged();
  };
  const sendTest = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const { data, error } = await api.POST('/api/v1/channels/{channel}/test', { params: { path: { channel: name } }, body: { to } });
    setBusy(false);
    setTest(data ?? null);
    if (error) setFailure(error);
  };
  const resume = async () => {
    setBusy(true);
    const { error } = await api.POST('/api/v1/channels/{channel}/resume', { params: { path: { channel: name } } });
    setBusy(false);
    if (error) setFailure(error);
    else onChanged();
  };
  return (
    <div className="channel-card" data-testid={`channel-${name}`}>
      <h3>
        {t(`settings.channel.${name}`)}{' '}
        <span className={`badge ${channel.configured ? 'ok' : ''}`}>{channel.configured ? t('settings.configured') : t('settings.notConfigured')}</span>{' '}
        {channel.pause?.paused && <span className="badge danger">{t('settings.paused')}</span>}
      </h3>
      {channel.pause?.paused && (
        <div className="error-box" role="alert">
          {t('settings.pausedDetail', { count: channel.pause.refusals_in_row, time: formatTimestamp(channel.pause.paused_at, lang) })} {channel.pause.description || channel.pause.last_reply}
          <button type="button" onClick={() => void resume()} disabled={busy} data-testid={`resume-${name}`}>{t('settings.resume')}</button>
        </div>
      )}
      {notice && <p className="notice" role="status">{notice}</p>}
      {!editing ? (
        <>
          <dl className="facts">
            {spec.fields.map((f) => (
              <div key={f.name}>
                <dt>{t(`settings.field.${f.name}`)}</dt>
                <dd>{settings[f.name] === undefined || settings[f.name] === '' ? <span className="muted">—</span> : String(settings[f.name])}</dd>
              </div>
            ))}
            {spec.secrets.map((s) => (
              <div key={s}>
                <dt>{t(`settings.field.${s}`)}</dt>
                <dd>
                  <span className={`badge ${secrets[s]?.set ? 'ok' : 'warn'}`} data-testid={`secret-${name}-${s}`}>
                    {secrets[s]?.set ? t('settings.secretSet') : t('settings.secretNotSet')}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
          <div className="actions">
            <button type="button" onClick={startEdit} data-testid={`channel-edit-${name}`}>{t('settings.edit')}</button>
          </div>
          {channel.configured && (
            <form className="filters test-form" onSubmit={(e) => void sendTest(e)}>
              <label>
                {name === 'email' ? t('settings.testToEmail') : t('settings.testToPhone')}
                <input value={to} onChange={(e) => setTo(e.target.value)} type={name === 'email' ? 'email' : 'tel'} required />
              </label>
              <button type="submit" disabled={busy || !to}>{t('settings.sendTest')}</button>
            </form>
          )}
          {test && (
            <p className={test.status === 'sent' ? 'notice' : 'error-box'} role="status" data-testid={`test-result-${name}`}>
              {t(`settings.test.${test.status}`)}: {test.detail} {test.provider_id ? `(${test.provider_id})` : ''}
            </p>
          )}
        </>
      ) : (
        <form onSubmit={(e) => void save(e)} className="form-grid" data-testid={`channel-form-${name}`}>
          {spec.fields.map((f) => (
            <label key={f.name}>
              {t(`settings.field.${f.name}`)}
              {f.choices ? (
                <select value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
                  <option value="">—</option>
                  {f.choices.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              ) : (
                <input type={f.type === 'number' ? 'number' : 'text'} value={values[f.name] ?? ''} required={f.required} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
              )}
              {errors[`/${f.name}`] && <span className="field-error">{errors[`/${f.name}`]}</span>}
            </label>
          ))}
          {spec.secrets.map((s) => (
            <label key={s}>
              {t(`settings.field.${s}`)} <span className="muted small">({secrets[s]?.set ? t('settings.secretKeep') : t('settings.secretNotSet')})</span>
              <input type="password" autoComplete="new-password" value={values[s] ?? ''} onChange={(e) => setValues({ ...values, [s]: e.target.value })} />
              {errors[`/${s}`] && <span className="field-error">{errors[`/${s}`]}</span>}
            </label>
          ))}
          {failure ? <div className="wide"><ErrorBox error={failure} /></div> : null}
          <div className="actions wide">
            <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
            <button type="button" onClick={() => setEditing(false)} disabled={busy}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
      {failure && !editing ? <ErrorBox error={failure} /> : null}
    </div>
  );
}

function ChannelsSection() {
  const { t } = useI18n();
  const list = useLoad(() => api.GET('/api/v1/channels'), []);
  return (
    <Section title={t('settings.channels')} testId="settings-channels">
      <p className="muted small">{t('settings.channelsHint')}</p>
      {list.loading && !list.data && <Loading />}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <div className="channel-grid">
        {list.data?.data.map((channel) => <ChannelCard key={channel.channel} channel={channel} onChanged={list.reload} />)}
      </div>
    </Section>
  );
}

function UsersSection() {
  const { t, lang } = useI18n();
  const session = useSession();
  const list = useLoad(() => api.GET('/api/v1/users'), []);
  const [form, setForm] = useState({ email: '', name: '', role: 'collector' as Role, password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [once, setOnce] = useState<{ email: string; password: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    const { data, error } = await api.POST('/api/v1/users', {
      body: { email: form.email, role: form.role, ...(form.name ? { name: form.name } : {}), ...(form.password ? { password: form.password } : {}) },
    });
    setBusy(false);
    if (error || !data) {
      setErrors(fieldErrors(error));
      setFailure(error);
      return;
    }
    if (data.one_time_password) setOnce({ email: data.email, password: data.one_time_password });
    setForm({ email: '', name: '', role: 'collector', password: '' });
    list.reload();
  };
  const change = async (user: Schemas['User'], body: { role?: Role; disabled?: boolean }) => {
    setFailure(null);
    const { error } = await api.PATCH('/api/v1/users/{id}', { params: { path: { id: String(user.id) } }, body });
    if (error) setFailure(error);
    list.reload();
  };
  return (
    <Section title={t('settings.users')} testId="settings-users">
      {once && <OnceSecret label={t('settings.oneTimePassword', { email: once.email })} value={once.password} onDone={() => setOnce(null)} />}
      {failure ? <ErrorBox error={failure} /> : null}
      {list.loading && !list.data && <Loading />}
      <div className="table-scroll">
        <table className="table compact" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('settings.user')}</th>
              <th>{t('settings.role')}</th>
              <th>{t('settings.lastLogin')}</th>
              <th>{t('settings.access')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.data.map((user) => {
              const self = user.id === session.principal?.id;
              return (
                <tr key={user.id} className={user.disabled ? 'muted' : ''}>
                  <td>
                    {user.name || user.email}
                    {user.name && user.name !== user.email && <div className="muted small">{user.email}</div>}
                  </td>
                  <td>
                    <label className="sr-label">
                      <span className="visually-hidden">{t('settings.roleOf', { user: user.email })}</span>
                      <select className="role-select" value={user.role} disabled={self} onChange={(e) => void change(user, { role: e.target.value as Role })}>
                        {ROLES.map((r) => <option key={r} value={r}>{t(`session.role.${r}`)}</option>)}
                      </select>
                    </label>
                  </td>
                  <td className="small">{user.last_login_at ? formatTimestamp(user.last_login_at, lang) : '—'}</td>
                  <td>
                    {user.disabled ? <span className="badge danger">{t('settings.disabled')}</span> : <span className="badge ok">{t('settings.enabled')}</span>}{' '}
                    {!self && (
                      <button type="button" className="link" onClick={() => void change(user, { disabled: !user.disabled })}>
                        {user.disabled ? t('settings.enable') : t('settings.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3>{t('settings.addUser')}</h3>
      <form className="form-grid" onSubmit={(e) => void add(e)} data-testid="user-form">
        <label>
          {t('settings.email')}
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          {errors['/email'] && <span className="field-error">{errors['/email']}</span>}
        </label>
        <label>
          {t('settings.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('settings.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`session.role.${r}`)}</option>)}
          </select>
        </label>
        <label>
          {t('settings.passwordOptional')}
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          {errors['/password'] && <span className="field-error">{errors['/password']}</span>}
        </label>
        <div className="actions wide">
          <button type="submit" className="primary" disabled={busy}>{t('settings.addUser')}</button>
        </div>
      </form>
    </Section>
  );
}

function ApiKeysSection() {
  const { t, lang } = useI18n();
  const list = useLoad(() => api.GET('/api/v1/api-keys'), []);
  const [form, setForm] = useState({ name: '', role: 'viewer' as Role });
  const [failure, setFailure] = useState<unknown>(null);
  const [once, setOnce] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const { data, error } = await api.POST('/api/v1/api-keys', { body: form });
    setBusy(false);
    if (error || !data) return setFailure(error);
    if (data.secret) setOnce(data.secret);
    setForm({ name: '', role: 'viewer' });
    list.reload();
  };
  const revoke = async (key: Schemas['ApiKey']) => {
    if (!window.confirm(t('settings.revokeConfirm', { name: key.name }))) return;
    const { error } = await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: String(key.id) } } });
    if (error) setFailure(error);
    list.reload();
  };
  return (
    <Section title={t('settings.apiKeys')} testId="settings-api-keys">
      {once && <OnceSecret label={t('settings.apiKeySecret')} value={once} onDone={() => setOnce(null)} />}
      {failure ? <ErrorBox error={failure} /> : null}
      <div className="table-scroll">
        <table className="table compact" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>{t('settings.name')}</th>
              <th>{t('settings.prefix')}</th>
              <th>{t('settings.role')}</th>
              <th>{t('settings.created')}</th>
              <th>{t('settings.lastUsed')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.data.length === 0 && (
              <tr><td colSpan={6} className="muted">{t('common.none')}</td></tr>
            )}
            {list.data?.data.map((key) => (
              <tr key={key.id} className={key.revoked ? 'muted' : ''}>
                <td>{key.name}</td>
                <td><code>{key.prefix}…</code></td>
                <td>{t(`session.role.${key.role}`)}</td>
                <td className="small">{formatTimestamp(key.created_at, lang)} · {key.created_by}</td>
                <td className="small">{key.last_used_at ? formatTimestamp(key.last_used_at, lang) : '—'}</td>
                <td>
                  {key.revoked ? <span className="badge">{t('settings.revoked')}</span> : (
                    <button type="button" className="link danger" onClick={() => void revoke(key)}>{t('settings.revoke')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="filters" onSubmit={(e) => void add(e)} data-testid="api-key-form">
        <label>
          {t('settings.name')}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('settings.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`session.role.${r}`)}</option>)}
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy}>{t('settings.newKey')}</button>
      </form>
    </Section>
  );
}

function Deliveries({ endpoint }: { endpoint: Schemas['WebhookEndpoint'] }) {
  const { t, lang } = useI18n();
  const list = useLoad(() => api.GET('/api/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: String(endpoint.id) }, query: { limit: 20 } } }), [endpoint.id]);
  const [failure, setFailure] = useState<unknown>(null);
  const replay = async (id: number) => {
    const { error } = await api.POST('/api/v1/webhook-deliveries/{id}/replay', { params: { path: { id: String(id) } } });
    setFailure(error ?? null);
    list.reload();
  };
  if (list.loading && !list.data) return <Loading />;
  if (!list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  return (
    <div className="table-scroll">
      {failure ? <ErrorBox error={failure} /> : null}
      {list.data.data.length === 0 ? (
        <p className="muted small">{t('settings.noDeliveries')}</p>
      ) : (
        <table className="table compact" data-testid={`deliveries-${endpoint.id}`}>
          <thead>
            <tr>
              <th>{t('settings.event')}</th>
              <th>{t('settings.status')}</th>
              <th className="num">{t('settings.attempts')}</th>
              <th>{t('settings.when')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((d) => (
              <tr key={d.id}>
                <td>{d.event_type}<div className="muted small"><code>{d.event_id}</code></div></td>
                <td>
                  <span className={`badge ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'danger' : ''}`}>{t(`settings.delivery.${d.status}`)}</span>
                  {d.last_error && <div className="small danger">{d.last_error}</div>}
                </td>
                <td className="num">{d.attempts}</td>
                <td className="small">{formatTimestamp(d.delivered_at ?? d.attempted_at ?? d.created_at, lang)}</td>
                <td>
                  {(d.status === 'failed' || d.status === 'delivered') && (
                    <button type="button" className="link" onClick={() => void replay(d.id)}>{t('settings.replay')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function WebhooksSection() {
  const { t, lang } = useI18n();
  const list = useLoad(() => api.GET('/api/v1/webhook-endpoints'), []);
  const [form, setForm] = useState({ url: '', description: '', events: [] as Schemas['WebhookEventType'][] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [once, setOnce] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    const { data, error } = await api.POST('/api/v1/webhook-endpoints', { body: { url: form.url, events: form.events, ...(form.description ? { description: form.description } : {}) } });
    setBusy(false);
    if (error || !data) {
      setErrors(fieldErrors(error));
      setFailure(error);
      return;
    }
    setOnce(data.secret);
    setForm({ url: '', description: '', events: [] });
    list.reload();
  };
  const remove = async (endpoint: Schemas['WebhookEndpoint']) => {
    if (!window.confirm(t('settings.removeEndpointConfirm', { url: endpoint.url }))) return;
    const { error } = await api.DELETE('/api/v1/webhook-endpoints/{id}', { params: { path: { id: String(endpoint.id) } } });
    if (error) setFailure(error);
    list.reload();
  };
  const toggle = (event: Schemas['WebhookEventType']) =>
    setForm({ ...form, events: form.events.includes(event) ? form.events.filter((e) => e !== event) : [...form.events, event] });
  return (
    <Section title={t('settings.webhooks')} testId="settings-webhooks">
      {once && <OnceSecret label={t('settings.webhookSecret')} value={once} onDone={() => setOnce(null)} />}
      {failure ? <ErrorBox error={failure} /> : null}
      {list.data?.data.length === 0 && <p className="muted">{t('settings.noEndpoints')}</p>}
      <ul className="plain endpoints">
        {list.data?.data.map((endpoint) => (
          <li key={endpoint.id}>
            <div className="endpoint-head">
              <div>
                <code>{endpoint.url}</code>{' '}
                <span className={`badge ${endpoint.status === 'enabled' ? 'ok' : ''}`}>{t(`settings.endpoint.${endpoint.status}`)}</span>
                <div className="muted small">
                  {endpoint.description ? `${endpoint.description} · ` : ''}
                  {endpoint.events.join(', ')} · {formatTimestamp(endpoint.created_at, lang)}
                </div>
              </div>
              <div className="actions">
                <button type="button" className="link" aria-expanded={open === endpoint.id} onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
                  {t('settings.deliveries')}
                </button>
                {endpoint.status === 'enabled' && (
                  <button type="button" className="link danger" onClick={() => void remove(endpoint)}>{t('settings.remove')}</button>
                )}
              </div>
            </div>
            {open === endpoint.id && <Deliveries endpoint={endpoint} />}
          </li>
        ))}
      </ul>
      <h3>{t('settings.addEndpoint')}</h3>
      <form onSubmit={(e) => void add(e)} data-testid="webhook-form">
        <div className="form-grid">
          <label>
            URL
            <input type="url" required placeholder="https://" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
            {errors['/url'] && <span className="field-error">{errors['/url']}</span>}
          </label>
          <label>
            {t('settings.description')}
            <input value={form.description} maxLength={200} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          </label>
        </div>
        <fieldset className="events">
          <legend>{t('settings.events')}</legend>
          {EVENTS.map((event) => (
            <label key={event} className="inline">
              <input type="checkbox" checked={form.events.includes(event)} onChange={() => toggle(event)} /> <code>{event}</code>
            </label>
          ))}
          {errors['/events'] && <span className="field-error">{errors['/events']}</span>}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || form.events.length === 0}>{t('settings.addEndpoint')}</button>
        </div>
      </form>
    </Section>
  );
}

export function Settings() {
  const { t } = useI18n();
  const session = useSession();
  const admin = session.can('admin');
  return (
    <div className="settings-page">
      <div className="page-head">
        <h1>{t('settings.title')}</h1>
        {!admin && <p className="muted">{t('settings.readOnly')}</p>}
      </div>
      {admin && (
        <nav className="settings-nav" aria-label={t('settings.sections')}>
          {[
            ['settings-company', 'settings.company'],
            ['settings-channels', 'settings.channels'],
            ['settings-users', 'settings.users'],
            ['settings-api-keys', 'settings.apiKeys'],
            ['settings-webhooks', 'settings.webhooks'],
          ].map(([id, key]) => (
            <a key={id} href={`#${id}`} onClick={(e) => { e.preventDefault(); document.getElementById(id)?.scrollIntoView(); }}>{t(key)}</a>
          ))}
        </nav>
      )}
      <CompanySection />
      {admin && (
        <>
          <ChannelsSection />
          <UsersSection />
          <ApiKeysSection />
          <WebhooksSection />
        </>
      )}
    </div>
  );
}
