// Parts of the page that are not on the first view load on first use (React.lazy, their own
// chunks). While a part's chunk loads it shows 加载中…; when the chunk cannot be loaded (the network
// dropped, or the server now serves a newer build whose file names differ) that part alone says so
// in the page's language and offers to reload the page; a render error of the part itself goes on
// to the page's RenderFailureBoundary as before.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { useI18n } from '../i18n/i18n.tsx';

/** A chunk that did not arrive, told apart from a render error of the part. */
class PartLoadError extends Error {}

/** React.lazy over one named export of a module: `lazyPart(() => import('./X.tsx'), 'X')`. */
export function lazyPart<K extends string, P extends object>(load: () => Promise<{ [key in K]: ComponentType<P> }>, name: K) {
  return lazy(() =>
    load().then(
      (module) => ({ default: module[name] }),
      (error: unknown) => {
        throw new PartLoadError(error instanceof Error ? error.message : String(error), { cause: error });
      },
    ),
  );
}

type Frame = (content: ReactNode) => ReactNode;
const bare: Frame = (content) => content;

function LoadFailure({ error, frame }: FallbackProps & { frame: Frame }) {
  const { t } = useI18n();
  if (!(error instanceof PartLoadError)) throw error;
  return frame(
    <div className="part-state" role="alert" data-testid="part-load-failure">
      <p>{t('partLoadFailed')}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('renderErrorReload')}
      </button>
    </div>,
  );
}

/**
 * Where lazily loaded parts are shown: their loading line and their load error, inside `frame`
 * (e.g. the detail column's aside) so they stand where the part will.
 */
export function LazyPart({ children, frame = bare }: { children: ReactNode; frame?: Frame }) {
  const { t } = useI18n();
  return (
    <ErrorBoundary fallbackRender={(props) => <LoadFailure {...props} frame={frame} />}>
      <Suspense
        fallback={frame(
          <p className="muted part-state" role="status" aria-busy="true" data-testid="part-loading">
            {t('loading')}
          </p>,
        )}
      >
        {children}
      </Suspense>
    </ErrorBoundary>
  );
}
