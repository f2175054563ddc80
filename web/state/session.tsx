// Who is signed in, and what the role may do. The server decides every request (server/auth/); the
// page only hides or disables what would be refused, and says why.
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { refusal, type Capability, type Role } from '../../domain/roles.ts';
import { api, onSessionEnded, setCsrfToken, unwrap } from '../api/client.ts';
import { countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { queryClient } from './query.ts';

export interface SessionUser {
  username: string;
  role: Role;
  counties: string[];
}

export type SessionState = { status: 'loading' } | { status: 'signed-out'; ended: boolean } | { status: 'signed-in'; user: SessionUser };

/** Finds the session at start (GET /api/session) and follows sign-in, sign-out and expiry. */
/** Signs in with a user name and password; the answer carries the user and the session's CSRF token. */
export const signIn = (username: string, password: string) => unwrap(api.api.session.$post({ json: { username, password } }));

export function useSessionState() {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    unwrap(api.api.session.$get()).then(
      (session) => {
        if (!current) return;
        setCsrfToken(session.csrfToken);
        setState({ status: 'signed-in', user: session.user });
      },
      () => current && setState({ status: 'signed-out', ended: false }),
    );
    const unsubscribe = onSessionEnded(() => {
      setCsrfToken(null);
      // What one user was shown is not kept for the next (roles and counties differ).
      queryClient.clear();
      setState((previous) => (previous.status === 'signed-in' ? { status: 'signed-out', ended: true } : previous));
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, []);
  const signedIn = useCallback((user: SessionUser, csrfToken: string) => {
    setCsrfToken(csrfToken);
    queryClient.clear();
    setState({ status: 'signed-in', user });
  }, []);
  const signOut = useCallback(async () => {
    await unwrap(api.api.session.$delete()).catch(() => undefined);
    setCsrfToken(null);
    queryClient.clear();
    setState({ status: 'signed-out', ended: false });
  }, []);
  return { state, signedIn, signOut };
}

export interface Session {
  user: SessionUser;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** County names by code, for the reasons given (the page provides them once the counties load). */
export const CountyNamesContext = createContext<Record<string, string>>({});

/** The signed-in user, and `deny(capability, counties)`: why it is not allowed (a sentence), or null. */
export function useSession() {
  const session = useContext(SessionContext);
  const { t, lang } = useI18n();
  const names = useContext(CountyNamesContext);
  if (!session) throw new Error('useSession outside the signed-in page');
  const deny = (capability: Capability, counties: readonly (string | null)[] = []): string | null => {
    const reason = refusal(session.user, capability, counties);
    if (reason === 'role') return t('deniedRole', { role: t(ROLE_LABELS[session.user.role]) });
    if (reason === 'county')
      return t('deniedCounty', { counties: session.user.counties.map((code) => countyLabel(code, names[code] ?? code, lang)).join('、') });
    return null;
  };
  return { ...session, deny };
}

export const ROLE_LABELS = {
  admin: 'roleAdmin',
  county: 'roleCounty',
  inspector: 'roleInspector',
  planner: 'rolePlanner',
  viewer: 'roleViewer',
} as const satisfies Record<Role, string>;
