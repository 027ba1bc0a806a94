// Loading and error states every screen shows the same way.
import { useI18n } from '../../shared/i18n';
import { problemText } from '../../shared/api';

export function Loading() {
  const { t } = useI18n();
  return <p className="muted" role="status">{t('common.loading')}</p>;
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      <strong>{t('common.error')}:</strong> {problemText(error)}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
