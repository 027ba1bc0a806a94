// The portal's language: the debtor's own choice if they switched (kept in
// this browser under its own key, apart from the business app's), else a
// ?lang= in the link, else the customer's language the API sends, else the
// browser's. Uses the shared translate() and tells the API client.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { translate, type Lang } from '../shared/i18n';
import { setApiLanguage } from '../shared/api';
import { portalMessages } from './messages';

const STORAGE_KEY = 'cartera.portal.lang';

function asLang(value: string | null | undefined): Lang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  return v.startsWith('en') ? 'en' : v.startsWith('es') ? 'es' : null;
}

function stored(): Lang | null {
  try {
    return asLang(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

export function firstLang(search: string, browser: string | undefined): Lang {
  return stored() ?? asLang(new URLSearchParams(search).get('lang')) ?? asLang(browser) ?? 'es';
}

export interface PortalI18n {
  lang: Lang;
  setLang: (lang: Lang) => void; // the debtor's switch: remembered
  adopt: (lang: string) => void; // the customer's language from the API, unless the debtor chose
  t: (key: string, vars?: Record<string, string | number>) => string;
}

const Context = createContext<PortalI18n | null>(null);

export function PortalLangProvider({ initial, children }: { initial: Lang; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initial);
  const apply = useCallback((next: Lang) => {
    setApiLanguage(next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<PortalI18n>(() => {
    setApiLanguage(lang);
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
    return {
      lang,
      setLang: (next) => {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          /* private mode: the switch still works for this visit */
        }
        apply(next);
      },
      adopt: (wanted) => {
        const next = asLang(wanted);
        if (next && !stored() && !new URLSearchParams(window.location.search).get('lang')) apply(next);
      },
      t: (key, vars) => translate(portalMessages, lang, key, vars),
    };
  }, [lang, apply]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function usePortalI18n(): PortalI18n {
  const context = useContext(Context);
  if (!context) throw new Error('usePortalI18n outside PortalLangProvider');
  return context;
}

export function LangSwitch() {
  const { lang, setLang, t } = usePortalI18n();
  const other: Lang = lang === 'es' ? 'en' : 'es';
  return (
    <button type="button" className="lang" lang={other} onClick={() => setLang(other)} title={t('language.switch')} data-testid="portal-lang">
      {other === 'en' ? 'English' : 'Español'}
    </button>
  );
}
