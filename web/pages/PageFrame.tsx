// The frame of the pages beside the map (scorecards, task board): a header with the way back to
// the map and the language switch, and the page below. Printing drops the header.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { UserBadge } from '../components/UserBadge.tsx';

export function PageFrame({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const { t, lang } = useI18n();
  const switchLanguage = () => {
    const params = new URLSearchParams(window.location.search);
    if (lang === 'zh') params.set('lang', 'en');
    else params.delete('lang');
    window.location.search = params.toString();
  };
  return (
    <div className="page" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header className="topbar no-print">
        <a className="back" href={lang === 'en' ? '/?lang=en' : '/'}>
          ← {t('navMap')}
        </a>
        <h1>{title}</h1>
        <span className="page-actions">{actions}</span>
        <button type="button" className="lang" data-testid="lang-switch" onClick={switchLanguage}>
          {t('language')}
        </button>
        <UserBadge />
      </header>
      <main className="page-body">{children}</main>
    </div>
  );
}
