// The web app's catalogue: every feature's es/en messages merged. A key
// missing in English falls back to Spanish (the i18n test lists them).
import type { Catalogues } from '../shared/i18n';
import common from './messages/common';
import dashboard from './messages/dashboard';
import customers from './messages/customers';
import work from './messages/work';
import policy from './messages/policy';
import settings from './messages/settings';
import plans from './messages/plans';
import offers from './messages/offers';
import promises from './messages/promises';
import disputes from './messages/disputes';
import credit from './messages/credit';
import escalation from './messages/escalation';

const parts: Catalogues[] = [common, dashboard, customers, work, policy, settings, plans, offers, promises, disputes, credit, escalation];

export const catalogues: Catalogues = {
  es: Object.assign({}, ...parts.map((p) => p.es)),
  en: Object.assign({}, ...parts.map((p) => p.en)),
};
