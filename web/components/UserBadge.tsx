// The signed-in user and role, and 退出登录 Sign out: in the map's header and the pages' headers.
import { useI18n } from '../i18n/i18n.tsx';
import { ROLE_LABELS, useSession } from '../state/session.tsx';

export function UserBadge() {
  const { t } = useI18n();
  const { user, signOut } = useSession();
  return (
    <>
      <span className="user" data-testid="user" title={t('signedInAs', { name: user.username, role: t(ROLE_LABELS[user.role]) })}>
        {user.username} <small>{t(ROLE_LABELS[user.role])}</small>
      </span>
      <button type="button" className="sign-out" data-testid="sign-out" onClick={signOut}>
        {t('signOut')}
      </button>
    </>
  );
}
