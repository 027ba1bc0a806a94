// The frame around every screen: the navigation (only what the role may
// open), the user, the language switch and sign-out. On a phone the
// navigation becomes a bar at the top.
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { LanguageSwitch, useI18n } from '../shared/i18n';
import { useSession, type Role } from './session';

const NAV: { path: string; key: string; least: Role }[] = [
  { path: '/', key: 'nav.home', least: 'viewer' },
  { path: '/customers', key: 'nav.customers', least: 'viewer' },
  { path: '/worklist', key: 'nav.worklist', least: 'viewer' },
  { path: '/disputes', key: 'nav.disputes', least: 'viewer' },
  { path: '/escalations', key: 'nav.escalations', least: 'viewer' },
  { path: '/approvals', key: 'nav.approvals', least: 'collector' },
  { path: '/outbox', key: 'nav.outbox', least: 'viewer' },
  { path: '/strategy', key: 'nav.strategy', least: 'viewer' },
  { path: '/templates', key: 'nav.templates', least: 'viewer' },
  { path: '/import', key: 'nav.import', least: 'manager' },
  { path: '/settings', key: 'nav.settings', least: 'viewer' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  const [location] = useLocation();
  const principal = session.principal!;
  const active = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">{t('app.name')}</Link>
        <nav aria-label={t('nav.main')} className="nav">
          {NAV.filter((item) => session.can(item.least)).map((item) => (
            <Link key={item.path} href={item.path} className={active(item.path) ? 'active' : ''} aria-current={active(item.path) ? 'page' : undefined}>
              {t(item.key)}
            </Link>
          ))}
        </nav>
        <div className="user">
          <span className="user-name" title={principal.name}>
            {principal.name} · {t(`session.role.${principal.role}`)}
          </span>
          <LanguageSwitch />
          <button type="button" className="link" onClick={() => void session.signOut()}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
