// An expired, altered or unknown link (the API's 404): a friendly page in
// both languages, the reader's first.
import { usePortalI18n } from './lang';

export function InvalidLink() {
  const { t, lang } = usePortalI18n();
  const other = lang === 'es' ? 'en' : 'es';
  return (
    <main className="page" id="main" data-testid="portal-invalid">
      <div className="card invalid-link">
        <h1>{t('invalid.title')}</h1>
        <p>{t('invalid.text')}</p>
        <hr />
        <h2 lang={other}>{t('invalid.titleOther')}</h2>
        <p lang={other}>{t('invalid.textOther')}</p>
      </div>
    </main>
  );
}
