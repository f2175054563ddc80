// Signed out: the sign-in page. Signed in: the map, with the user in a context for the header and
// for hiding what the role may not do.
import { useMemo } from 'react';
import { App } from './app.tsx';
import { SignInPage } from './components/SignInPage.tsx';
import { SessionContext, useSessionState } from './state/session.tsx';

export function Root() {
  const { state, signedIn, signOut } = useSessionState();
  const session = useMemo(() => (state.status === 'signed-in' ? { user: state.user, signOut: () => void signOut() } : null), [state, signOut]);
  if (state.status === 'loading') return <div className="boot" role="status" aria-busy="true" />;
  if (!session) return <SignInPage ended={state.status === 'signed-out' && state.ended} onSignedIn={signedIn} />;
  return (
    <SessionContext.Provider value={session}>
      <App key={session.user.username} />
    </SessionContext.Provider>
  );
}
