// The foot of a form: send (disabled while not ready or sending) and cancel.
import { useI18n } from '../i18n/i18n.tsx';

export function FormActions({ label, ready, busy, onCancel }: { label: string; ready: boolean; busy: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="submit" disabled={!ready || busy}>
        {busy ? t('saving') : label}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
