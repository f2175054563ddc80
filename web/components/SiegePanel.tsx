// 工业围城 analysis: the core, the bands and sectors, the summary figures with their one-sentence
// definitions, a radial chart, the sites of a clicked cell, and downloads of the cells.
import type { CategoryCode } from '../../domain/categories.ts';
import { categoryLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { Definitions } from './Definitions.tsx';
import { LoadState } from './LoadState.tsx';
import { FieldError, namesField } from './ErrorText.tsx';
import type { useSiege } from '../state/use-siege.ts';
import { SiegeChart } from './SiegeChart.tsx';
import { siegeCellWords } from '../i18n/compass.ts';
import { SIEGE_RAMP } from '../map/colors.ts';

type Siege = ReturnType<typeof useSiege>;

export interface SelectedCell {
  band: number;
  sector: number | null;
  siteIds: number[];
}

/** The parameters that have an input here: their refusals show beside the input. */
const SIEGE_FIELDS = ['bands', 'sectors', 'nearKm', 'minSites', 'compareTo'] as const;

const percent = (n: number) => `${Math.round(n * 1000) / 10}%`;
const fixed = (n: number | null, digits = 3) => (n === null ? '—' : n.toFixed(digits));

export function SiegePanel({
  siege,
  core,
  onCore,
  onDrawCore,
  cell,
  onOpenSite,
}: {
  siege: Siege;
  core: string;
  onCore: (id: string) => void;
  onDrawCore: () => void;
  cell: SelectedCell | null;
  onOpenSite: (id: number) => void;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const { params, setParams, result, cores } = siege;
  const data = result.data;
  const definition = (key: string) => data?.definitions[key]?.[lang] ?? '';
  const names = new Map(data?.placements.map((p) => [p.id, p]) ?? []);
  const fieldBad = (field: string) => namesField(result.error, [field]) || undefined;
  // A clicked cell in words: its distance band and compass direction from the core.
  const cellWhere = (selected: SelectedCell) => {
    const found = data?.cells.features.find((f) => f.properties.band === selected.band && f.properties.sector === selected.sector);
    return found ? siegeCellWords(found.properties, t('siegeInsideCoreCell')) : `${selected.band} · ${selected.sector ?? '—'}`;
  };
  const download = (format: 'geojson' | 'csv') => `/api/analysis/siege?${new URLSearchParams({ ...siege.query, format }).toString()}`;

  return (
    <div className="siege-panel" data-testid="siege-panel">
      <section>
        <h2>{t('siegeCore')}</h2>
        <select aria-label={t('siegeCore')} value={core} onChange={(e) => onCore(e.target.value)}>
          {(cores.data?.features ?? []).map((f) => (
            <option key={f.properties.id} value={f.properties.id}>
              {f.properties.name}
              {f.properties.isDefault ? ` (${t('siegeDefault')})` : ''}
            </option>
          ))}
        </select>
        {data?.core.isDefault && <p className="muted">{t('siegeDefaultNote')}</p>}
        <GuardedButton className="small" denied={deny('saveCores')} onClick={onDrawCore}>
          {t('siegeDrawCore')}
        </GuardedButton>
      </section>
      <section className="siege-params">
        <label className="field">
          {t('siegeBands')}
          <input value={params.bands} aria-invalid={fieldBad('bands')} onChange={(e) => setParams({ ...params, bands: e.target.value })} />
          <FieldError error={result.error} field="bands" />
        </label>
        <div className="row">
          <label className="field">
            {t('siegeSectors')}
            <input
              type="number"
              min={1}
              max={64}
              value={params.sectors}
              onChange={(e) => setParams({ ...params, sectors: e.target.value })}
              aria-invalid={fieldBad('sectors')}
            />
            <FieldError error={result.error} field="sectors" />
          </label>
          <label className="field">
            {t('siegeNearKm')}
            <input
              type="number"
              min={0.5}
              step={0.5}
              value={params.nearKm}
              onChange={(e) => setParams({ ...params, nearKm: e.target.value })}
              aria-invalid={fieldBad('nearKm')}
            />
            <FieldError error={result.error} field="nearKm" />
          </label>
          <label className="field">
            {t('siegeMinSites')}
            <input
              type="number"
              min={1}
              value={params.minSites}
              onChange={(e) => setParams({ ...params, minSites: e.target.value })}
              aria-invalid={fieldBad('minSites')}
            />
            <FieldError error={result.error} field="minSites" />
          </label>
        </div>
        <label className="field">
          {t('siegeCompareTo')}
          <input
            type="date"
            value={params.compareTo}
            onChange={(e) => setParams({ ...params, compareTo: e.target.value })}
            aria-invalid={fieldBad('compareTo')}
          />
          <FieldError error={result.error} field="compareTo" />
        </label>
      </section>
      <LoadState loading={result.loading} error={result.error} shownAt={SIEGE_FIELDS} />
      {data && (
        <>
          <section>
            <h2>
              {t('siegeSummary')} · {data.core.name}
            </h2>
            <SiegeChart counts={data.summary.nearCountBySector} label={t('siegeChart')} />
            {siege.layer && (
              <div className="siege-legend" data-testid="siege-legend">
                <p className="muted">{t('siegeLegend', { n: siege.layer.counted.length })}</p>
                <ul className="plain">
                  {SIEGE_RAMP.map(([share, color]) => (
                    <li key={share}>
                      <span className="swatch" style={{ background: color }} /> {share === 0 ? '0' : `${(share * siege.layer!.maxDensity).toFixed(2)}`} /km²
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <dl className="facts siege-facts">
              <dt title={definition('occupancy')}>{t('siegeOccupancy')}</dt>
              <dd title={definition('occupancy')} data-testid="siege-occupancy">
                {percent(data.summary.occupancy)} ({data.summary.occupiedSectors}/{data.summary.sectors})
              </dd>
              <dt title={definition('densityRatio')}>{t('siegeDensityRatio')}</dt>
              <dd title={definition('densityRatio')}>{fixed(data.summary.densityRatio, 2)}</dd>
              <dt title={definition('nearDensity')}>{t('siegeNearDensity')}</dt>
              <dd>{fixed(data.summary.nearDensity)} /km²</dd>
              <dt title={definition('farDensity')}>{t('siegeFarDensity')}</dt>
              <dd>{fixed(data.summary.farDensity)} /km²</dd>
              <dt title={definition('insideCore')}>{t('siegeInsideCore')}</dt>
              <dd>{data.summary.insideCore}</dd>
              <dt title={definition('sites')}>{t('siegeSites')}</dt>
              <dd>{data.summary.sites}</dd>
            </dl>
            <Definitions definitions={data.definitions} summary={t('siegeDefinitions')} />
            <p>
              <a className="small" href={download('geojson')} download>
                {t('siegeExportGeojson')}
              </a>
              <a className="small" href={download('csv')} download>
                {t('siegeExportCsv')}
              </a>
            </p>
          </section>
          <section>
            <h2 title={definition('concretePlantsNearCore')}>{t('siegeConcrete')}</h2>
            {data.summary.concretePlantsNearCore.length === 0 && <p className="muted">{t('siegeNone')}</p>}
            <ul className="plain">
              {data.summary.concretePlantsNearCore.map((plant) => (
                <li key={plant.id}>
                  <button type="button" className="link" onClick={() => onOpenSite(plant.id)}>
                    {plant.name}
                  </button>{' '}
                  <span className="muted">{plant.distanceKm === 0 ? t('siegeInside') : `${plant.distanceKm.toFixed(1)} km`}</span>
                </li>
              ))}
            </ul>
          </section>
          {data.comparison && (
            <section>
              <h2>{t('siegeComparison', { from: data.comparison.compareTo, to: data.asOf ?? t('asOfNow') })}</h2>
              <p>
                {t('siegeGone', { n: data.comparison.closedOrMovedAway.length })} · {t('siegeAppeared', { n: data.comparison.appeared.length })} ·{' '}
                {percent(data.comparison.occupancyBefore)} → {percent(data.comparison.occupancyAfter)}
              </p>
            </section>
          )}
          <section data-testid="siege-cell">
            <h2>{t('siegeCell')}</h2>
            {!cell && <p className="muted">{t('siegeCellHint')}</p>}
            {cell && (
              <>
                <p className="muted" data-testid="siege-cell-where">
                  {t('siegeCellWhere', { where: cellWhere(cell), n: cell.siteIds.length })}
                </p>
                <ul className="plain">
                  {cell.siteIds.map((id) => (
                    <li key={id}>
                      <button type="button" className="link" onClick={() => onOpenSite(id)}>
                        {names.get(id)?.name ?? `#${id}`}
                      </button>{' '}
                      <span className="muted">{names.get(id) ? categoryLabel(names.get(id)!.category as CategoryCode, lang) : ''}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}
