// Signed out: the sign-in page. Signed in: the map, or the page `?page=` names (scorecard, tasks),
// with the user in a context for the header and for hiding what the role may not do.
import { useMemo } from 'react';
import { App } from './app.tsx';
import { SignInPage } from './components/SignInPage.tsx';
import { I18nContext, translate } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/zh.ts';
import { ScorecardPage } from './pages/ScorecardPage.tsx';
import { TaskBoardPage } from './pages/TaskBoardPage.tsx';
import { SessionContext, useSessionState } from './state/session.tsx';

function SignedInPage() {
  const params = new URLSearchParams(window.location.search);
  const page = params.get('page');
  if (page !== 'scorecard' && page !== 'tasks') return <App />;
  const lang = params.get('lang') === 'en' ? 'en' : 'zh';
  const i18n = { lang, t: (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values) } as const;
  return <I18nContext.Provider value={i18n}>{page === 'scorecard' ? <ScorecardPage params={params} /> : <TaskBoardPage params={params} />}</I18nContext.Provider>;
}

export function Root() {
  const { state, signedIn, signOut } = useSessionState();
  const session = useMemo(() => (state.status === 'signed-in' ? { user: state.user, signOut: () => void signOut() } : null), [state, signOut]);
  if (state.status === 'loading') return <div className="boot" role="status" aria-busy="true" />;
  if (!session) return <SignInPage ended={state.status === 'signed-out' && state.ended} onSignedIn={signedIn} />;
  return (
    <SessionContext.Provider value={session}>
      <SignedInPage key={session.user.username} />
    </SessionContext.Provider>
  );
}
