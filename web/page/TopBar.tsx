// The header: drawer toggle, title, search, how many sites are shown, the county-scope switch, the
// pages beside the map, the language, 新增点位 and the signed-in user. On a phone the header keeps
// the toggle, the title and the search; the rest sits at the foot of the drawer.
import { GuardedButton } from '../components/GuardedButton.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { UserBadge } from '../components/UserBadge.tsx';
import { countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { pageHref } from '../pages/page-href.ts';
import { useSession } from '../state/session.tsx';
import type { UrlState } from '../state/url-state.ts';

/** The county-scope switch, the language and 新增点位: in the header, and in the drawer on a phone. */
export interface HeaderActionsProps {
  cityWide: boolean;
  onCityWide: () => void;
  countyNames: Record<string, string>;
  onLanguage: () => void;
  onCreate: () => void;
}

export interface TopBarProps {
  panelOpen: boolean;
  onTogglePanel: () => void;
  loading: boolean;
  shown: number;
  state: UrlState;
  onOpenSite: (id: number, position: [number, number] | null) => void;
  actions: HeaderActionsProps;
}

export function TopBar({ panelOpen, onTogglePanel, loading, shown, state, onOpenSite, actions }: TopBarProps) {
  const { t } = useI18n();
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
      <nav className="topnav">
        <PageLinks state={state} />
      </nav>
      <HeaderActions actions={actions} />
      <UserBadge />
    </header>
  );
}

/** The header's actions; `inDrawer`: the copy at the foot of the drawer on a phone (test ids end in -drawer). */
export function HeaderActions({ actions, inDrawer = false }: { actions: HeaderActionsProps; inDrawer?: boolean }) {
  const { cityWide, onCityWide, countyNames, onLanguage, onCreate } = actions;
  const suffix = inDrawer ? '-drawer' : '';
  const { t, lang } = useI18n();
  const { user, deny } = useSession();
  return (
    <>
      {user.counties.length > 0 && (
        <button
          type="button"
          className="scope-switch"
          data-testid={`scope-switch${suffix}`}
          aria-pressed={cityWide}
          onClick={onCityWide}
          title={t(cityWide ? 'scopeShowOwn' : 'scopeShowCity')}
        >
          {cityWide ? t('allCounties') : user.counties.map((code) => countyLabel(code, countyNames[code] ?? code, lang)).join(lang === 'zh' ? '、' : ', ')}
        </button>
      )}
      <button type="button" className="lang" data-testid={`lang-switch${suffix}`} onClick={onLanguage}>
        {t('language')}
      </button>
      <GuardedButton className="create-site" denied={deny('writeSites')} data-testid={`create-site${suffix}`} onClick={onCreate}>
        {t('createSite')}
      </GuardedButton>
    </>
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
