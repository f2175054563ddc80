// The loading and error lines every analysis panel shows above its result. An error that names
// one of `shownAt` fields is shown next to that field instead (FieldError).
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorLine } from './ErrorText.tsx';

export function LoadState({ loading, error, shownAt }: { loading: boolean; error: unknown; shownAt?: readonly string[] }) {
  const { t } = useI18n();
  return (
    <>
      {loading && <p className="muted">{t('loading')}</p>}
      <ErrorLine error={error} shownAt={shownAt} />
    </>
  );
}
