// The web app's catalogue: every feature's es/en messages merged. A key
// missing in English falls back to Spanish (the i18n test lists them).
import type { Catalogues } from '../shared/i18n';
import common from './messages/common';
import dashboard from './messages/dashboard';

const parts: Catalogues[] = [common, dashboard];

export const catalogues: Catalogues = {
  es: Object.assign({}, ...parts.map((p) => p.es)),
  en: Object.assign({}, ...parts.map((p) => p.en)),
};
