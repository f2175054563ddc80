// Real records the plan names only by village or road: place them on the map, draw the roads.
import type { CategoryCode } from '../../domain/categories.ts';
import { categoryLabel, countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';

export interface UnlocatedSite {
  id: number;
  name: string;
  category: CategoryCode;
  county: string;
  countyName: string;
  address: string | null;
  source: 'real' | 'demo';
}

export interface UndrawnRoad {
  id: number;
  roadName: string;
  county: string | null;
  fromDesc: string | null;
  toDesc: string | null;
}

/** Where the list of sites stands among its pages (web/state/sites.ts useSitePages). */
export interface ListPage {
  /** The number of the page's first row (1 on the first page). */
  first: number;
  next: (() => void) | null;
  previous: (() => void) | null;
}

export function UnlocatedList({
  sites,
  page,
  roads,
  onOpen,
  onPlace,
  onDraw,
}: {
  /** One page of the sites. */
  sites: UnlocatedSite[];
  page: ListPage;
  roads: UndrawnRoad[];
  onOpen: (id: number) => void;
  onPlace: (id: number) => void;
  onDraw: (id: number) => void;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  return (
    <section className="unlocated" data-testid="unlocated">
      <h2>
        {t('unlocated')}{' '}
        <span className="count">
          {page.first === 1 && !page.next ? sites.length + roads.length : t('unlocatedPageCount', { from: page.first, to: page.first + sites.length - 1 })}
        </span>
      </h2>
      <p className="muted">{t('unlocatedHint')}</p>
      {sites.length + roads.length === 0 && <p className="muted">{t('unlocatedNone')}</p>}
      {(page.previous || page.next) && (
        <div className="row pager" data-testid="unlocated-pager">
          <button type="button" className="small" disabled={!page.previous} onClick={() => page.previous?.()}>
            {t('unlocatedPrev')}
          </button>
          <button type="button" className="small" disabled={!page.next} onClick={() => page.next?.()}>
            {t('unlocatedNext')}
          </button>
        </div>
      )}
      <ul>
        {sites.map((site) => (
          <li key={`s${site.id}`}>
            <button type="button" className="link" onClick={() => onOpen(site.id)}>
              {site.name}
            </button>
            {site.source === 'demo' && <span className="source-badge demo">{t('demoBadge')}</span>}
            <div className="muted">
              {categoryLabel(site.category, lang)} · {countyLabel(site.county, site.countyName, lang)} {site.address ?? ''}
            </div>
            <GuardedButton className="small" denied={deny('writeSites', [site.county])} onClick={() => onPlace(site.id)}>
              {t('placeOnMap')}
            </GuardedButton>
          </li>
        ))}
        {roads.map((road) => (
          <li key={`r${road.id}`}>
            <b>{road.roadName}</b>
            <div className="muted">{[[road.fromDesc, road.toDesc].filter(Boolean).join(' – '), t('roadUndrawn')].filter(Boolean).join(' · ')}</div>
            <GuardedButton className="small" denied={deny('writeSites', [road.county])} onClick={() => onDraw(road.id)}>
              {t('drawRoad')}
            </GuardedButton>
          </li>
        ))}
      </ul>
    </section>
  );
}
