// The app's screens by path, each loaded when first opened (the dashboard's
// bundle stays small). Each feature adds its lines here, e.g.
//   { path: '/customers', component: lazy(() => import('./pages/Customers').then((m) => ({ default: m.Customers }))) },
import { lazy, type ComponentType } from 'react';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const routes: { path: string; component: ComponentType<any> }[] = [
];

// Keeps `lazy` imported while the list is empty.
export const lazyScreen = lazy;
