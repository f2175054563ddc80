// URL-backed app state: every change replaces the query string, so a link reproduces the view.
import { useCallback, useEffect, useState } from 'react';
import { parseUrlState, serializeUrlState, type UrlState } from './url-state.ts';

export function useUrlState(): [UrlState, (patch: Partial<UrlState>) => void] {
  const [state, setState] = useState<UrlState>(() => parseUrlState(window.location.search));
  useEffect(() => {
    const next = serializeUrlState(state);
    if (next !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${next}`);
  }, [state]);
  useEffect(() => {
    const onPop = () => setState(parseUrlState(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback((patch: Partial<UrlState>) => setState((previous) => ({ ...previous, ...patch })), []);
  return [state, update];
}
