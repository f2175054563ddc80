// The lines under the header: the demo-data notice, a failed load with its retry, the error of the
// last write (dismissable; it goes when the next write succeeds) and a passing message.
import { useEffect } from 'react';
import { onWriteSucceeded } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorText.tsx';
import { describeError } from '../i18n/error-text.ts';
import { useI18n } from '../i18n/i18n.tsx';

export interface BannersProps {
  demo: boolean;
  loadError: unknown;
  onRetry: () => void;
  error: unknown;
  onError: (error: unknown) => void;
  message: string | null;
  onMessage: (message: string | null) => void;
}

export function Banners({ demo, loadError, onRetry, error, onError, message, onMessage }: BannersProps) {
  const { t, lang } = useI18n();
  // The banner goes when the next write succeeds (or when the user dismisses it).
  useEffect(() => onWriteSucceeded(() => onError(null)), [onError]);
  return (
    <>
      {demo && (
        <div className="demo-banner" role="note" data-testid="demo-banner">
          {t('demoBanner')}
        </div>
      )}
      {loadError ? (
        <div className="error-banner" role="alert">
          {t('loadError', { message: describeError(loadError, lang) })}{' '}
          <button type="button" onClick={onRetry}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      <ErrorBanner error={error} onDismiss={() => onError(null)} />
      {message && (
        <div className="toast" role="status">
          <button type="button" className="toast-text" onClick={() => onMessage(null)}>
            {message}
          </button>
        </div>
      )}
    </>
  );
}
