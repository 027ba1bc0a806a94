// A small i18n layer: flat es/en catalogues with {name} placeholders, the
// language kept in localStorage, and a React context. Each bundle (app,
// portal) brings only its own catalogue.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'es' | 'en';
export type Catalogue = Record<string, string>;
export type Catalogues = { es: Catalogue; en: Catalogue };

const STORAGE_KEY = 'cartera.lang';

export function initialLang(preferred?: string | null): Lang {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  const candidate = stored ?? preferred ?? (typeof navigator !== 'undefined' ? navigator.language : 'es');
  return candidate?.toLowerCase().startsWith('en') ? 'en' : 'es';
}

export function translate(catalogues: Catalogues, lang: Lang, key: string, vars?: Record<string, string | number>): string {
  const text = catalogues[lang][key] ?? catalogues.es[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: string, vars?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ catalogues, children, preferred }: { catalogues: Catalogues; children: ReactNode; preferred?: string | null }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(preferred));
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = lang;
    return {
      lang,
      setLang: (next: Lang) => {
        localStorage.setItem(STORAGE_KEY, next);
        setLangState(next);
      },
      t: (key, vars) => translate(catalogues, lang, key, vars),
    };
  }, [lang, catalogues]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="lang-switch" onClick={() => setLang(lang === 'es' ? 'en' : 'es')} title={t('language.switch')} lang={lang === 'es' ? 'en' : 'es'}>
      {lang === 'es' ? 'English' : 'Español'}
    </button>
  );
}
