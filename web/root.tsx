// Signed out: the sign-in page. Signed in: the map, or the page `?page=` names (scorecard, tasks),
// with the user in a context for the header and for hiding what the role may not do. Server data
// goes through one query cache; a render error shows a message with a reload button, not a blank page.
import { lazy, Suspense, useMemo } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app.tsx';
import { RenderFailureBoundary } from './components/RenderFailure.tsx';
import { SignInPage } from './components/SignInPage.tsx';
import { I18nContext, translate } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/zh.ts';
import { RenderTrap } from './state/debug.ts';
import { queryClient } from './state/query.ts';
import { SessionContext, useSessionState } from './state/session.tsx';

// The pages beside the map load on demand, out of the map's first bundle.
const ScorecardPage = lazy(() => import('./pages/ScorecardPage.tsx').then((m) => ({ default: m.ScorecardPage })));
const TaskBoardPage = lazy(() => import('./pages/TaskBoardPage.tsx').then((m) => ({ default: m.TaskBoardPage })));

function SignedInPage() {
  const params = new URLSearchParams(window.location.search);
  const page = params.get('page');
  if (page !== 'scorecard' && page !== 'tasks') return <App />;
  const lang = params.get('lang') === 'en' ? 'en' : 'zh';
  const i18n = { lang, t: (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values) } as const;
  return (
    <I18nContext.Provider value={i18n}>
      <Suspense fallback={<div className="boot" role="status" aria-busy="true" />}>
        {page === 'scorecard' ? <ScorecardPage params={params} /> : <TaskBoardPage params={params} />}
      </Suspense>
    </I18nContext.Provider>
  );
}

function SessionPage() {
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

export function Root() {
  return (
    <RenderFailureBoundary>
      <QueryClientProvider client={queryClient}>
        <RenderTrap />
        <SessionPage />
      </QueryClientProvider>
    </RenderFailureBoundary>
  );
}
