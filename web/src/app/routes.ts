// The app's screens by path, each loaded when first opened (the dashboard's
// bundle stays small). Each feature adds its lines here, e.g.
//   { path: '/customers', component: lazy(() => import('./pages/Customers').then((m) => ({ default: m.Customers }))) },
import { lazy, type ComponentType } from 'react';
import { Customer360 } from './pages/Customer360';
import { Customers } from './pages/Customers';
import { Worklist } from './pages/Worklist';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const routes: { path: string; component: ComponentType<any> }[] = [
  // The screens opened most (a collector's worklist on a phone, customers),
  // often straight from a link, come with the app:
  // a lazily loaded screen shows about 0.7 s later (measured, bench/web.mjs).
  { path: '/customers', component: Customers },
  { path: '/customers/:id', component: Customer360 },
  { path: '/worklist', component: Worklist },
  { path: '/outbox', component: lazy(() => import('./pages/Outbox').then((m) => ({ default: m.Outbox }))) },
  { path: '/import', component: lazy(() => import('./pages/Import').then((m) => ({ default: m.Import }))) },
  { path: '/strategy', component: lazy(() => import('./pages/Strategy').then((m) => ({ default: m.Strategy }))) },
  { path: '/templates', component: lazy(() => import('./pages/Templates').then((m) => ({ default: m.Templates }))) },
  { path: '/settings', component: lazy(() => import('./pages/Settings').then((m) => ({ default: m.Settings }))) },
  { path: '/approvals', component: lazy(() => import('./pages/Approvals').then((m) => ({ default: m.Approvals }))) },
  { path: '/disputes', component: lazy(() => import('./pages/Disputes').then((m) => ({ default: m.Disputes }))) },
  { path: '/escalations', component: lazy(() => import('./pages/Escalations').then((m) => ({ default: m.Escalations }))) },
];

// Keeps `lazy` imported while the list is empty.
export const lazyScreen = lazy;
