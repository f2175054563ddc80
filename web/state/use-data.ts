// Loads what the map shows from the API, with loading and error states that the UI displays.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';

export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/** Runs `load` whenever `key` changes; the newest request wins. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loadable<T> {
  const [state, setState] = useState<{ data: T | null; loading: boolean; error: string | null }>({ data: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, loading: false, error: null }),
      (error: unknown) =>
        current && setState((previous) => ({ ...previous, loading: false, error: error instanceof ApiError || error instanceof Error ? error.message : String(error) })),
    );
    return () => {
      current = false;
    };
    // `load` is recreated each render; `key` says when what it loads has changed.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
