// Sign-in locks, in the audit panel for admins: accounts that failed to sign in too often from one
// address, until when, and a button that lifts the lock (POST /api/users/{name}/unlock, an audit record).
// Other roles see why they cannot.
import { campaignTime } from '../../domain/days.ts';
import { useState } from 'react';
import { describeError } from '../i18n/error-text.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSignInLocks, useUnlockUser } from '../state/users.ts';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { LoadState } from './LoadState.tsx';

export function SignInLocks() {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const denied = deny('administer');
  const locks = useSignInLocks(!denied);
  const unlockUser = useUnlockUser();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const unlock = async (username: string) => {
    setBusy(username);
    setMessage(null);
    try {
      await unlockUser(username);
      setMessage({ ok: true, text: t('locksLifted', { username }) });
    } catch (error) {
      setMessage({ ok: false, text: describeError(error, lang) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="sign-in-locks" data-testid="sign-in-locks">
      <h3>{t('locksTitle')}</h3>
      <p className="muted">{t('locksIntro')}</p>
      {denied ? (
        <p className="muted" data-testid="locks-denied">
          {denied}
        </p>
      ) : (
        <>
          <LoadState loading={locks.loading} error={locks.error} />
          {locks.data && locks.data.length === 0 && <p className="muted">{t('locksNone')}</p>}
          <ul className="plain">
            {(locks.data ?? []).map((lock) => (
              <li key={`${lock.username}@${lock.address ?? ''}`} data-lock={lock.username}>
                <b>{lock.username}</b> <span className="locked-badge">{t('locksLocked')}</span>{' '}
                <span className="muted">
                  {t('locksDetail', { address: lock.address ?? '—', failures: lock.failures, until: campaignTime(lock.until, { seconds: false }) })}
                </span>{' '}
                {lock.known ? (
                  <GuardedButton denied={denied} className="small" data-testid="unlock" disabled={busy !== null} onClick={() => void unlock(lock.username)}>
                    {busy === lock.username ? t('locksLifting') : t('locksLift')}
                  </GuardedButton>
                ) : (
                  <span className="muted">{t('locksUnknown')}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {message && (
        <p className={message.ok ? 'verified' : 'error-text'} role="status" data-testid="locks-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
