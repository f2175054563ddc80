// The signed-in user and role, and 退出登录 Sign out: in the map's header and the pages' headers,
// and on phones at the foot of the drawer (the header has no room there).
import { useI18n } from '../i18n/i18n.tsx';
import { ROLE_LABELS, useSession } from '../state/session.tsx';

export function UserBadge({ inDrawer = false }: { inDrawer?: boolean }) {
  const suffix = inDrawer ? '-drawer' : '';
  const { t } = useI18n();
  const { user, signOut } = useSession();
  return (
    <>
      <span className="user" data-testid={`user${suffix}`} title={t('signedInAs', { name: user.username, role: t(ROLE_LABELS[user.role]) })}>
        {user.username} <small>{t(ROLE_LABELS[user.role])}</small>
      </span>
      <button type="button" className="sign-out" data-testid={`sign-out${suffix}`} onClick={signOut}>
        {t('signOut')}
      </button>
    </>
  );
}
