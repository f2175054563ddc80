// How the page shows a refusal: a sentence from the message files (never the server's English),
// next to the field it names (FieldError), in a panel (ErrorLine) or, for what has no field, in a
// banner the user can dismiss (ErrorBanner).
import { describeError, errorField } from '../i18n/error-text.ts';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/** Whether `error` names one of `fields` (a field path or its first part: `rule` covers `rule.olderThanDays`). */
export function namesField(error: unknown, fields: readonly string[]): boolean {
  const field = errorField(error);
  return field !== null && fields.some((name) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`));
}

/** The error's sentence under the field it names; nothing when it names another field. */
export function FieldError({ error, field }: { error: unknown; field: string | readonly string[] }) {
  const { lang } = useI18n();
  if (!error || !namesField(error, typeof field === 'string' ? [field] : field)) return null;
  return (
    <span className="field-error" role="alert" data-testid="field-error">
      {describeError(error, lang)}
    </span>
  );
}

/** The error's sentence as a line in a panel, unless one of `shownAt` fields shows it already. */
export function ErrorLine({ error, shownAt = [] }: { error: unknown; shownAt?: readonly string[] }) {
  const { lang } = useI18n();
  if (!error || namesField(error, shownAt)) return null;
  return (
    <p className="error" role="alert">
      {describeError(error, lang)}
    </p>
  );
}

/** A banner for an error that has no field on screen, with a button that dismisses it. */
export function ErrorBanner({ error, onDismiss, children }: { error: unknown; onDismiss: () => void; children?: ReactNode }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{describeError(error, lang)}</span>
      {children}
      <button type="button" className="dismiss" aria-label={t('errorDismiss')} title={t('errorDismiss')} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
