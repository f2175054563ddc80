// A county's scorecard in the side panel: every figure is a button that shows its sites on the map
// (and lists them here); links to the printable A4 page and the XLSX download.
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { FIGURE_KEYS, figureValue } from '../../domain/scorecard-figures.ts';
import { COUNTED_STATUSES, type StatusCode } from '../../domain/statuses.ts';
import { categoryLabel, figureDefinition, figureLabel, roadStatusLabel, statusLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { STATUS_COLORS } from '../map/colors.ts';
import { useScorecard, type FigureListJson, type ScorecardJson, type ScorecardQuery } from '../state/scorecards.ts';
import type { RoadStatusCode } from '../../domain/statuses.ts';
import { CountySelect } from './CountySelect.tsx';
import { LoadState } from './LoadState.tsx';
import { TrendBars } from './TrendBars.tsx';
import { pageHref } from '../pages/page-href.ts';

export type { FigureListJson, ScorecardJson, ScorecardQuery };

export interface ScorecardPanelProps {
  county: string | null;
  counties: { code: string; name: string }[];
  query: ScorecardQuery;
  figure: string | null;
  figureList: FigureListJson | null;
  figureLoading: boolean;
  onCounty: (code: string | null) => void;
  onFigure: (figure: string | null) => void;
  onOpenSite: (id: number, position: [number, number] | null) => void;
  onOpenRoad: (id: number) => void;
}

export function ScorecardPanel({
  county,
  counties,
  query,
  figure,
  figureList,
  figureLoading,
  onCounty,
  onFigure,
  onOpenSite,
  onOpenRoad,
}: ScorecardPanelProps) {
  const { t, lang } = useI18n();
  const card = useScorecard(county, query);
  const data = card.data;
  const button = (key: string, n: number, title?: string) => (
    <button
      key={key}
      type="button"
      className={`figure${figure === key ? ' on' : ''}`}
      data-figure={key}
      title={title}
      aria-pressed={figure === key}
      onClick={() => onFigure(figure === key ? null : key)}
    >
      <span className="figure-count">{n}</span>
      <span className="figure-label">{figureLabel(key, lang)}</span>
    </button>
  );
  const xlsx = `/api/scorecards/xlsx?${new URLSearchParams({ ...(county ? { county } : {}), ...query } as Record<string, string>).toString()}`;

  return (
    <div className="scorecard-panel" data-testid="scorecard-panel">
      <section>
        <label className="field">
          {t('scCounty')}
          <CountySelect
            value={county ?? ''}
            counties={counties}
            noneLabel={t('scChooseCounty')}
            onChange={(code) => onCounty(code || null)}
            testId="scorecard-county"
          />
        </label>
        <p className="links">
          <a href={pageHref('scorecard', { county, asOf: query.asOf, source: query.source, lang: lang === 'en' ? 'en' : null })} target="_blank" rel="noopener">
            {t('scPrint')}
          </a>{' '}
          <a href={xlsx} download>
            {t('scDownload')}
          </a>
        </p>
      </section>
      {county && <LoadState loading={card.loading} error={card.error} />}
      {data && (
        <>
          <section>
            <h2>
              {t('scZeroing')} · {t('scAsOf', { date: data.asOf })}
            </h2>
            <p className="muted">{t('scFigureHint')}</p>
            <div className="figures">{FIGURE_KEYS.map((key) => button(key, figureValue(data, key), figureDefinition(key, lang, data.staleDays)))}</div>
            <p className="muted">
              {data.zeroing.shareDealtWith !== null && t('scShareDealtWith', { share: `${Math.round(data.zeroing.shareDealtWith * 1000) / 10}%` })} ·{' '}
              {t('scRelapseEvents', { n: data.relapses })}
            </p>
          </section>
          {figure && (
            <FigureSites
              figure={figure}
              list={figureList}
              loading={figureLoading}
              onClear={() => onFigure(null)}
              onOpenSite={onOpenSite}
              onOpenRoad={onOpenRoad}
            />
          )}
          <section>
            <h2>{t('scByStatus')}</h2>
            <div className="figures">
              {COUNTED_STATUSES.map((status) => (
                <span key={status} className="figure-with-swatch">
                  <span className="swatch" style={{ background: STATUS_COLORS[status] }} />
                  {button(`status:${status}`, data.byStatus[status] ?? 0)}
                </span>
              ))}
            </div>
          </section>
          <section>
            <h2>{t('scByCategory')}</h2>
            <div className="figures">
              {CATEGORY_CODES.filter((c) => data.byCategory[c]).map((c) => button(`category:${c}`, data.byCategory[c] ?? 0, categoryLabel(c, lang)))}
            </div>
          </section>
          <section>
            <h2>{t('scTrend')}</h2>
            <TrendBars trend={data.trend} />
          </section>
        </>
      )}
    </div>
  );
}

function FigureSites({
  figure,
  list,
  loading,
  onClear,
  onOpenSite,
  onOpenRoad,
}: {
  figure: string;
  list: FigureListJson | null;
  loading: boolean;
  onClear: () => void;
  onOpenSite: ScorecardPanelProps['onOpenSite'];
  onOpenRoad: (id: number) => void;
}) {
  const { t, lang } = useI18n();
  const name = figureLabel(figure, lang);
  return (
    <section className="figure-sites" data-testid="figure-sites">
      <h2>
        {loading || !list
          ? name
          : figure === 'roadsAwaitingRepair'
            ? t('scFigureRoads', { figure: name, n: list.roads.length })
            : t('scFigureSites', { figure: name, n: list.sites.length })}{' '}
        <button type="button" className="small" onClick={onClear}>
          {t('scClearFigure')}
        </button>
      </h2>
      {list && list.sites.length === 0 && list.roads.length === 0 && <p className="muted">{t('scFigureNone')}</p>}
      <ul className="plain-list">
        {list?.sites.map((site) => (
          <li key={site.id}>
            <button type="button" className="link" onClick={() => onOpenSite(site.id, site.lon !== null && site.lat !== null ? [site.lon, site.lat] : null)}>
              {site.name}
            </button>{' '}
            <span className="muted">
              {statusLabel(site.status as StatusCode, lang)}
              {site.deadline ? ` · ${site.deadline}` : ''}
            </span>
            {site.lon === null && <span className="tag">{t('scUnlocatedTag')}</span>}
            {site.source === 'demo' && <span className="tag demo">{t('demoBadge')}</span>}
          </li>
        ))}
        {list?.roads.map((road) => (
          <li key={`road-${road.id}`}>
            <button type="button" className="link" onClick={() => onOpenRoad(road.id)}>
              {road.roadName}
            </button>{' '}
            <span className="muted">{roadStatusLabel(road.status as RoadStatusCode, lang)}</span>
            {road.source === 'demo' && <span className="tag demo">{t('demoBadge')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
