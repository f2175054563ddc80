// Loads what the map shows from the API, with loading and error states that the UI displays.
import { useCallback, useEffect, useState } from 'react';

export interface Loadable<T> {
  data: T | null;
  loading: boolean;
  /** The refusal or failure of the newest request (an ApiError with code and details, or a network error). */
  error: unknown;
  reload: () => void;
}

/** Runs `load` whenever `key` changes; the newest request wins. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loadable<T> {
  const [state, setState] = useState<{ data: T | null; loading: boolean; error: unknown }>({ data: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, loading: false, error: null }),
      (error: unknown) =>
        // No stale result under a new error: the data goes with the refusal.
        current && setState({ data: null, loading: false, error: error ?? new Error('failed') }),
    );
    return () => {
      current = false;
    };
    // `load` is recreated each render; `key` says when what it loads has changed.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
