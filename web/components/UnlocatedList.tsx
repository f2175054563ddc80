// Real records the plan names only by village or road: place them on the map, draw the roads.
import type { CategoryCode } from '../../domain/categories.ts';
import { categoryLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';

export interface UnlocatedSite {
  id: number;
  name: string;
  category: CategoryCode;
  countyName: string;
  address: string | null;
  source: 'real' | 'demo';
}

export interface UndrawnRoad {
  id: number;
  roadName: string;
  fromDesc: string | null;
  toDesc: string | null;
}

export function UnlocatedList({ sites, roads, onOpen, onPlace, onDraw }: { sites: UnlocatedSite[]; roads: UndrawnRoad[]; onOpen: (id: number) => void; onPlace: (id: number) => void; onDraw: (id: number) => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="unlocated" data-testid="unlocated">
      <h2>
        {t('unlocated')} <span className="count">{sites.length + roads.length}</span>
      </h2>
      <p className="muted">{t('unlocatedHint')}</p>
      {sites.length + roads.length === 0 && <p className="muted">{t('unlocatedNone')}</p>}
      <ul>
        {sites.map((site) => (
          <li key={`s${site.id}`}>
            <button type="button" className="link" onClick={() => onOpen(site.id)}>
              {site.name}
            </button>
            {site.source === 'demo' && <span className="source-badge demo">{t('demoBadge')}</span>}
            <div className="muted">
              {categoryLabel(site.category, lang)} · {site.countyName} {site.address ?? ''}
            </div>
            <button type="button" className="small" onClick={() => onPlace(site.id)}>
              {t('placeOnMap')}
            </button>
          </li>
        ))}
        {roads.map((road) => (
          <li key={`r${road.id}`}>
            <b>{road.roadName}</b>
            <div className="muted">
              {[[road.fromDesc, road.toDesc].filter(Boolean).join(' – '), t('roadUndrawn')].filter(Boolean).join(' · ')}
            </div>
            <button type="button" className="small" onClick={() => onDraw(road.id)}>
              {t('drawRoad')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
