// Aprobaciones: what waits for a manager's decision, one section per kind
// (payment plans outside the limits; offers above a user's limit may add
// their own section here), each in its own component file under approvals/.
import { useI18n } from '../../shared/i18n';
import { PlanApprovals } from './approvals/PlanApprovals';
import { OfferApprovals } from './approvals/OfferApprovals';

export function Approvals() {
  const { t } = useI18n();
  return (
    <div className="approvals">
      <div className="page-head">
        <div>
          <h1>{t('approvals.title')}</h1>
          <p className="muted">{t('approvals.subtitle')}</p>
        </div>
      </div>
      <PlanApprovals />
      <OfferApprovals />
    </div>
  );
}
