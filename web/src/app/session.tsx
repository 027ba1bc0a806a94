// Who is signed in: GET /api/v1/me on start; the login form makes the
// session; a 401 anywhere signs out. Roles decide which buttons exist.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, csrf, onSignedOut, type Schemas } from '../shared/api';

export type Principal = Schemas['Principal'];
export type Role = Principal['role'];

const ORDER: Role[] = ['viewer', 'collector', 'manager', 'admin'];
export function roleAllows(role: Role | undefined, least: Role): boolean {
  return role !== undefined && ORDER.indexOf(role) >= ORDER.indexOf(least);
}

interface Session {
  principal: Principal | null;
  loading: boolean;
  signIn: (principal: Principal, csrfToken: string) => void;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
  can: (least: Role) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    const { data } = await api.GET('/api/v1/me');
    setPrincipal(data ?? null);
    setLoading(false);
  }, []);
  useEffect(() => {
    void refresh();
    return onSignedOut(() => setPrincipal(null)) as () => void;
  }, [refresh]);
  const value: Session = {
    principal,
    loading,
    signIn: (p, token) => {
      csrf.set(token);
      setPrincipal(p);
    },
    signOut: async () => {
      await api.DELETE('/api/v1/session');
      csrf.set(null);
      setPrincipal(null);
    },
    refresh,
    can: (least) => roleAllows(principal?.role, least),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}
