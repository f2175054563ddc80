// What a render error shows instead of a blank page: a sentence in the page's language and a reload
// button (react-error-boundary catches the error; nothing here can fail in turn).
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import type { ReactNode } from 'react';
import { translate } from '../i18n/i18n.tsx';

function Failure(_props: FallbackProps) {
  const lang = new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'zh';
  return (
    <div className="render-failure" role="alert" data-testid="render-failure" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <p>{translate(lang, 'renderError')}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {translate(lang, 'renderErrorReload')}
      </button>
    </div>
  );
}

export function RenderFailureBoundary({ children }: { children: ReactNode }) {
  return <ErrorBoundary FallbackComponent={Failure}>{children}</ErrorBoundary>;
}
