// The header: drawer toggle, title, search, how many sites are shown, the county-scope switch, the
// pages beside the map, the language, 新增点位 and the signed-in user.
import { GuardedButton } from '../components/GuardedButton.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { UserBadge } from '../components/UserBadge.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { pageHref } from '../pages/page-href.ts';
import { useSession } from '../state/session.tsx';
import type { UrlState } from '../state/url-state.ts';

export interface TopBarProps {
  panelOpen: boolean;
  onTogglePanel: () => void;
  loading: boolean;
  shown: number;
  cityWide: boolean;
  onCityWide: () => void;
  countyNames: Record<string, string>;
  state: UrlState;
  onLanguage: () => void;
  onOpenSite: (id: number, position: [number, number] | null) => void;
  onCreate: () => void;
}

export function TopBar({ panelOpen, onTogglePanel, loading, shown, cityWide, onCityWide, countyNames, state, onLanguage, onOpenSite, onCreate }: TopBarProps) {
  const { t } = useI18n();
  const { user, deny } = useSession();
  return (
    <header className="topbar">
      <button type="button" className="menu" aria-label={t('panelToggle')} aria-expanded={panelOpen} onClick={onTogglePanel}>
        ☰
      </button>
      <h1>
        {t('appTitle')} <small>{t('appSubtitle')}</small>
      </h1>
      <SearchBox asOf={state.asOf} onChoose={(result) => onOpenSite(result.id, result.position)} />
      <span className="site-count" data-testid="site-count">
        {loading ? t('loading') : t('sites', { n: shown })}
      </span>
      {user.counties.length > 0 && (
        <button
          type="button"
          className="scope-switch"
          data-testid="scope-switch"
          aria-pressed={cityWide}
          onClick={onCityWide}
          title={t(cityWide ? 'scopeShowOwn' : 'scopeShowCity')}
        >
          {cityWide ? t('allCounties') : user.counties.map((code) => countyNames[code] ?? code).join('、')}
        </button>
      )}
      <nav className="topnav">
        <PageLinks state={state} />
      </nav>
      <button type="button" className="lang" data-testid="lang-switch" onClick={onLanguage}>
        {t('language')}
      </button>
      <GuardedButton className="create-site" denied={deny('writeSites')} data-testid="create-site" onClick={onCreate}>
        {t('createSite')}
      </GuardedButton>
      <UserBadge />
    </header>
  );
}

/** The pages beside the map: in the header on a desktop, at the foot of the drawer on a phone. */
export function PageLinks({ state }: { state: UrlState }) {
  const { t } = useI18n();
  const lang = state.lang === 'en' ? 'en' : null;
  return (
    <>
      <a href={pageHref('tasks', { lang })}>{t('navTasks')}</a>
      <a href={pageHref('scorecard', { asOf: state.asOf, source: state.source, lang })}>{t('navScorecards')}</a>
    </>
  );
}
