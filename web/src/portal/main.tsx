// The debtor portal: a bundle of its own (no router, no charts, nothing
// from src/app/) for phones on prepaid data. The server answers /p/<token>,
// /pay/<token> and /unsubscribe/<token> with portal.html; the path says
// which page and the token.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalLangProvider, firstLang } from './lang';
import { Portal } from './Portal';
import { Unsubscribe } from './Unsubscribe';
import { InvalidLink } from './Invalid';
import { route } from './route';
import './portal.css';

function App() {
  const { page, token } = route(window.location.pathname);
  if (page === 'unsubscribe') return <Unsubscribe token={token} />;
  if (page === 'invalid') return <InvalidLink />;
  return <Portal token={token} focus={page === 'pay' ? 'pay' : window.location.hash.slice(1) || undefined} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PortalLangProvider initial={firstLang(window.location.search, navigator.language)}>
      <App />
    </PortalLangProvider>
  </StrictMode>,
);
