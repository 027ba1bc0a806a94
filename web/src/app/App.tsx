// The web app: the session decides between the login and the screens;
// wouter routes by path (the server answers every page path with this app).
import { Suspense, useEffect } from 'react';
import { Route, Switch } from 'wouter';
import { setApiLanguage } from '../shared/api';
import { I18nProvider, useI18n } from '../shared/i18n';
import { catalogues } from './catalogue';
import { Layout } from './Layout';
import { Loading } from './components/Status';
import { ChangePassword, Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { SessionProvider, useSession } from './session';
import { routes } from './routes';

function Screens() {
  const { t, lang } = useI18n();
  const session = useSession();
  useEffect(() => setApiLanguage(lang), [lang]);
  setApiLanguage(lang);
  if (session.loading) return <Loading />;
  if (!session.principal) return <Login />;
  if (session.principal.must_change_password) return <ChangePassword />;
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/" component={Dashboard} />
        {routes.map((route) => (
          <Route key={route.path} path={route.path} component={route.component} />
        ))}
        <Route>
          <p>{t('notFound')}</p>
        </Route>
      </Switch>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <I18nProvider catalogues={catalogues}>
      <SessionProvider>
        <Screens />
      </SessionProvider>
    </I18nProvider>
  );
}
