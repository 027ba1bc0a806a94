// Sign in; at the first sign-in with a one-time password, choose a new one.
import { useState, type FormEvent } from 'react';
import { api, problemText } from '../../shared/api';
import { LanguageSwitch, useI18n } from '../../shared/i18n';
import { useSession } from '../session';

export function Login() {
  const { t } = useI18n();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError('');
    const { data, error: problem } = await api.POST('/api/v1/session', { body: { email, password } });
    setBusy(false);
    if (data) session.signIn(data.principal, data.csrf_token);
    else setError(problemText(problem));
  }

  return (
    <div className="login-page">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <LanguageSwitch />
        </div>
        <label>
          {t('login.email')}
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error-box" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}

export function ChangePassword() {
  const { t } = useI18n();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error: problem } = await api.POST('/api/v1/me/password', { body: { current_password: current, new_password: next } });
    if (problem) setError(problemText(problem));
    else await session.refresh();
  }

  return (
    <div className="login-page">
      <form className="card login-card" onSubmit={submit}>
        <p>{t('login.mustChange')}</p>
        <label>
          {t('login.password')}
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          {t('login.newPassword')}
          <input type="password" autoComplete="new-password" minLength={12} required value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        {error && <p className="error-box" role="alert">{error}</p>}
        <button type="submit" className="primary">{t('login.change')}</button>
      </form>
    </div>
  );
}
