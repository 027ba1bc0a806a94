// The API client: typed from the OpenAPI document (api-schema.d.ts), sends
// the session's CSRF token on changes and the reader's language, and turns
// problem+json answers into ApiProblem values the screens show.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, components } from './api-schema';

export type Schemas = components['schemas'];

export interface ApiProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: number;
  errors?: { pointer?: string; field?: string; detail?: string; message?: string }[];
  [key: string]: unknown;
}

const CSRF_KEY = 'cartera.csrf';
export const csrf = {
  get: () => localStorage.getItem(CSRF_KEY),
  set: (token: string | null) => (token ? localStorage.setItem(CSRF_KEY, token) : localStorage.removeItem(CSRF_KEY)),
};

let currentLang = 'es';
export function setApiLanguage(lang: string) {
  currentLang = lang;
}

// Listeners told when the session ended (a 401): the app shows the login.
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void) {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const middleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLang);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrf.get();
      if (token) request.headers.set('X-CSRF-Token', token);
      if (request.method === 'POST' && !request.headers.has('Idempotency-Key')) {
        request.headers.set('Idempotency-Key', crypto.randomUUID());
      }
    }
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) {
      signedOutListeners.forEach((listener) => listener());
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(middleware);

// A problem's message for a person: the detail, then each field's error.
export function problemText(problem: unknown): string {
  if (!problem || typeof problem !== 'object') return String(problem ?? '');
  const p = problem as ApiProblem;
  const parts = [p.detail || p.title || ''];
  for (const error of p.errors ?? []) {
    const where = error.pointer ?? error.field;
    parts.push(`${where ? where + ': ' : ''}${error.detail ?? error.message ?? ''}`);
  }
  return parts.filter(Boolean).join(' · ');
}

// Field path → message, for forms that show errors beside each field.
export function fieldErrors(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const p = problem as ApiProblem | undefined;
  for (const error of p?.errors ?? []) {
    const where = error.pointer ?? error.field ?? '';
    out[where] = error.detail ?? error.message ?? '';
  }
  return out;
}
