// The loading and error lines every analysis panel shows above its result.
import { useI18n } from '../i18n/i18n.tsx';

export function LoadState({ loading, error }: { loading: boolean; error: string | null }) {
  const { t } = useI18n();
  return (
    <>
      {loading && <p className="muted">{t('loading')}</p>}
      {error && (
        <p className="error" role="alert">
          {t('apiError', { message: error })}
        </p>
      )}
    </>
  );
}
