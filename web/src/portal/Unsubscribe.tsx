// /unsubscribe/<token>: a one-click confirmation (a link alone must not
// unsubscribe: mail scanners follow links), then the API's answer.
import { useState } from 'react';
import { api, problemText, type ApiProblem, type Schemas } from '../shared/api';
import { LangSwitch, usePortalI18n } from './lang';
import { Done, FormError } from './parts';
import { InvalidLink } from './Invalid';

export function Unsubscribe({ token }: { token: string }) {
  const { t } = usePortalI18n();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Schemas['PortalUnsubscribed'] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function confirm() {
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/api/v1/portal/unsubscribe/{token}', { params: { path: { token } } });
    setBusy(false);
    if (error || !data) {
      setProblem({ ...(error as ApiProblem), status: response.status });
      return;
    }
    setDone(data);
  }

  if (problem?.status === 404 || problem?.status === 400) return <InvalidLink />;
  const channel = done ? t(`channel.${done.channel}`) : '';
  return (
    <>
      <header className="letterhead">
        <div className="page head-row">
          <span />
          <LangSwitch />
        </div>
      </header>
      <main className="page" id="main" data-testid="unsubscribe">
        <div className="card">
          <h1>{t('unsubscribe.title')}</h1>
          {done ? (
            <Done testid="unsubscribe-done">{t(done.changed ? 'unsubscribe.done' : 'unsubscribe.already', { channel, address: done.address })}</Done>
          ) : (
            <>
              <p>{t('unsubscribe.text')}</p>
              <FormError text={problem ? problemText(problem) : ''} />
              <button type="button" className="primary" onClick={confirm} disabled={busy} data-testid="unsubscribe-confirm">
                {busy ? t('form.sending') : t('unsubscribe.confirm')}
              </button>
            </>
          )}
        </div>
      </main>
    </>
  );
}
