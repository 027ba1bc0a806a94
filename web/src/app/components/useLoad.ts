// Loads data for a screen: the value, the problem if any, and a reload.
// Stale answers (the inputs changed meanwhile) are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown }>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    run()
      .then((result) => {
        if (mine === generation.current) setState({ data: result.data, error: result.error, loading: false });
      })
      .catch((error: unknown) => {
        if (mine === generation.current) setState({ error, loading: false });
      });
  }, [run]);
  useEffect(reload, [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
