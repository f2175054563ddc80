// Layers and filters: the status legend doubles as the switch; categories, source, county,
// choropleth, roads, basemap and the "as of" date; the export menu downloads what the filters select.
import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.ts';
import { COUNTED_STATUSES, ROAD_STATUS_CODES, type RoadStatusCode, type StatusCode } from '../../domain/statuses.ts';
import { categoryLabel, countyLabel, roadStatusLabel, statusLabel, CATEGORY_GLYPH } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ROAD_STATUS_COLORS, STATUS_COLORS } from '../map/colors.ts';
import type { Basemap } from '../map/basemap-style.ts';
import type { Choropleth, UrlState } from '../state/url-state.ts';
import { DateControl } from './DateControl.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import type { MapController } from '../map/map-controller.ts';

export interface LayerPanelProps {
  state: UrlState;
  update: (patch: Partial<UrlState>) => void;
  counties: { code: string; name: string }[];
  statusCounts: Partial<Record<StatusCode, number>>;
  /** The counts answer the previous filters while the new ones load: shown dimmed, with a note. */
  countsStale?: boolean;
  /** Drawn road segments by status (what the map can show), and how many are not drawn yet. */
  roadCounts: { drawn: Partial<Record<RoadStatusCode, number>>; undrawn: number };
  dateRange: { first: string; last: string } | null;
  basemaps: Basemap[];
  /** The basemap shown (the URL's, else the operator's default); null: the offline map. */
  activeBasemap: Basemap | null;
  /** Bumped after each write, so counts reload. */
  /** The map, for 导出地图 (null until it exists). */
  map?: MapController | null;
}

export function LayerPanel({
  state,
  update,
  counties,
  statusCounts,
  countsStale = false,
  roadCounts,
  dateRange,
  basemaps,
  activeBasemap,
  map = null,
}: LayerPanelProps) {
  const { t, lang } = useI18n();
  const toggleStatus = (status: StatusCode) =>
    update({
      statuses: state.statuses.includes(status)
        ? state.statuses.filter((s) => s !== status)
        : COUNTED_STATUSES.filter((s) => s === status || state.statuses.includes(s)),
    });
  const toggleRoadStatus = (status: RoadStatusCode) =>
    update({
      roadStatuses: state.roadStatuses.includes(status)
        ? state.roadStatuses.filter((s) => s !== status)
        : ROAD_STATUS_CODES.filter((s) => s === status || state.roadStatuses.includes(s)),
    });
  const toggleCategory = (category: CategoryCode) =>
    update({ categories: state.categories.includes(category) ? state.categories.filter((c) => c !== category) : [...state.categories, category] });

  return (
    <div className="layer-panel">
      <section>
        <h2>{t('statusLayers')}</h2>
        {countsStale && (
          <p className="legend-note counting" role="status">
            {t('legendCounting')}
          </p>
        )}
        <ul className={`legend${countsStale ? ' stale' : ''}`} role="list" aria-busy={countsStale}>
          {COUNTED_STATUSES.map((status) => {
            const on = state.statuses.includes(status);
            return (
              <li key={status}>
                <button type="button" className={`legend-item${on ? '' : ' off'}`} aria-pressed={on} data-status={status} onClick={() => toggleStatus(status)}>
                  <span className="swatch" style={{ background: STATUS_COLORS[status] }} />
                  <span className="legend-label">{statusLabel(status, lang)}</span>
                  <span className="legend-count">{statusCounts[status] ?? 0}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <p className="legend-note">
          <span className="ring real" /> {t('sourceReal')} <span className="ring demo" /> {t('sourceDemo')}
        </p>
      </section>

      <section>
        <h2>{t('counties')}</h2>
        <select aria-label={t('counties')} value={state.county ?? ''} onChange={(e) => update({ county: e.target.value || null })}>
          <option value="">{t('allCounties')}</option>
          {counties.map((county) => (
            <option key={county.code} value={county.code}>
              {countyLabel(county.code, county.name, lang)}
            </option>
          ))}
        </select>
        <label className="field">
          {t('choropleth')}
          <select value={state.choropleth} onChange={(e) => update({ choropleth: e.target.value as Choropleth })}>
            <option value="none">{t('choroplethNone')}</option>
            <option value="density">{t('choroplethDensity')}</option>
            <option value="closed">{t('choroplethClosed')}</option>
          </select>
        </label>
      </section>

      <section>
        <h2>{t('asOf')}</h2>
        <DateControl value={state.asOf} range={dateRange} onChange={(asOf) => update({ asOf })} />
      </section>

      <section>
        <h2>{t('categories')}</h2>
        <div className="chips">
          {CATEGORY_CODES.map((category) => (
            <button
              type="button"
              key={category}
              className={`chip${state.categories.includes(category) ? ' on' : ''}`}
              aria-pressed={state.categories.includes(category)}
              onClick={() => toggleCategory(category)}
            >
              <span className="glyph">{CATEGORY_GLYPH[category]}</span>
              {categoryLabel(category, lang)}
            </button>
          ))}
        </div>
        {state.categories.length > 0 && (
          <button type="button" className="link" onClick={() => update({ categories: [] })}>
            {t('allCategories')}
          </button>
        )}
      </section>

      <section>
        <h2>{t('source')}</h2>
        <div className="segmented" role="radiogroup" aria-label={t('source')}>
          {([null, 'real', 'demo'] as const).map((source) => (
            <label key={source ?? 'all'}>
              <input type="radio" name="source" checked={state.source === source} onChange={() => update({ source })} />
              {source === null ? t('sourceAll') : source === 'real' ? t('sourceReal') : t('sourceDemo')}
            </label>
          ))}
        </div>
      </section>

      <ExportMenu state={state} map={map} countyName={counties.find((county) => county.code === state.county)?.name ?? null} />

      <section>
        <h2>{t('roads')}</h2>
        <label className="field inline">
          <input type="checkbox" checked={state.roads} onChange={(e) => update({ roads: e.target.checked })} />
          {t('roadsToggle')}
        </label>
        <ul className="legend" role="list" aria-label={t('roadLegend')} data-testid="road-legend">
          {ROAD_STATUS_CODES.map((status) => {
            const on = state.roads && state.roadStatuses.includes(status);
            return (
              <li key={status}>
                <button
                  type="button"
                  className={`legend-item${on ? '' : ' off'}`}
                  aria-pressed={on}
                  data-road-status={status}
                  disabled={!state.roads}
                  onClick={() => toggleRoadStatus(status)}
                >
                  <span className="road-swatch" style={{ background: ROAD_STATUS_COLORS[status] }} />
                  <span className="legend-label">{roadStatusLabel(status, lang)}</span>
                  <span className="legend-count">{roadCounts.drawn[status] ?? 0}</span>
                </button>
              </li>
            );
          })}
        </ul>
        {roadCounts.undrawn > 0 && <p className="legend-note">{t('roadLegendUndrawn', { n: roadCounts.undrawn })}</p>}
      </section>

      <section>
        <h2>{t('basemap')}</h2>
        {/* 'none' chooses the plain offline map even when the operator set a default basemap. */}
        <select aria-label={t('basemap')} value={activeBasemap?.id ?? ''} onChange={(e) => update({ basemap: e.target.value || 'none' })}>
          <option value="">{t('basemapOffline')}</option>
          {basemaps.map((basemap) => (
            <option key={basemap.id} value={basemap.id}>
              {basemap.name}
            </option>
          ))}
        </select>
        {activeBasemap?.crs === 'gcj02' && (
          <p className="muted" data-testid="basemap-gcj02">
            {t('basemapGcj02')}
          </p>
        )}
      </section>
    </div>
  );
}
