// 死灰复燃 analysis: relapses, likely moves to confirm or dismiss, hotspot summary and rates.
import { useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { Definitions } from './Definitions.tsx';
import { LoadState } from './LoadState.tsx';
import { useDecideMove, useRelapseAnalysis, type RelapseData } from '../state/analyses.ts';

export type { RelapseData };

export interface RelapseParams {
  from: string;
  to: string;
  radiusKm: string;
  withinDays: string;
  cellKm: string;
}

/** `counties`: the counties the list, rates and grid cover (a county official's own; null: the city). */
export function useRelapse(active: boolean, asOf: string | null, counties: readonly string[] | null = null) {
  const [params, setParamsOnly] = useState<RelapseParams>({ from: '', to: '', radiusKm: '3', withinDays: '180', cellKm: '3' });
  // The cursors of the move-list pages seen so far (the first page has none): back is one pop.
  const [cursors, setCursors] = useState<string[]>([]);
  const setParams = (next: RelapseParams) => {
    setParamsOnly(next);
    setCursors([]);
  };
  const cursor = cursors.at(-1) ?? '';
  const query = Object.fromEntries(
    Object.entries({ ...params, asOf: asOf ?? '', county: counties?.join(',') ?? '', limit: String(MOVES_PAGE), cursor }).filter(([, v]) => v !== ''),
  );
  const result = useRelapseAnalysis(query, active);
  // While the page asked for loads, the page before stays shown (the query keeps its data): number
  // the rows as the page they are, and page on only from a page that has arrived.
  const [shownDepth, setShownDepth] = useState(0);
  if (!result.loading && result.data && shownDepth !== cursors.length) setShownDepth(cursors.length);
  const settled = shownDepth === cursors.length;
  const movesPage = {
    first: shownDepth * MOVES_PAGE + 1,
    next: (next: string) => settled && setCursors([...cursors, next]),
    previous: cursors.length > 0 && settled ? () => setCursors(cursors.slice(0, -1)) : null,
  };
  return { params, setParams, result, movesPage };
}

/** Likely moves per page of the panel's list (and lines on the map). */
const MOVES_PAGE = 20;

/** Map layer data: hotspot cells (with a confidence), move lines and relapse points. */
export function relapseLayer(data: RelapseData | null): FeatureCollection | null {
  if (!data) return null;
  return {
    type: 'FeatureCollection',
    features: [
      ...data.cells.features
        .filter((cell) => cell.properties.confidence !== null)
        .map((cell) => ({
          type: 'Feature' as const,
          geometry: cell.geometry as unknown as GeoJSON.Polygon,
          properties: { layer: 'cell', kind: cell.properties.kind, confidence: cell.properties.confidence, count: cell.properties.count },
        })),
      ...data.moves
        .filter((move) => move.decision !== 'dismissed')
        .map((move) => ({
          type: 'Feature' as const,
          geometry: move.line as unknown as GeoJSON.LineString,
          properties: { layer: 'move', key: move.key, confirmed: move.decision === 'confirmed' },
        })),
      ...data.relapses
        .filter((r) => r.lon !== null && r.lat !== null)
        .map((r) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [r.lon!, r.lat!] },
          properties: { layer: 'relapse', siteId: r.siteId },
        })),
    ],
  };
}

/** Relapses / closures and the rate, with both counts shown so a small denominator is visible. */
function RateRow({ rate, label }: { rate: { relapses: number; closures: number; rate: number | null }; label: string }) {
  return (
    <tr>
      <td>{label}</td>
      <td>
        {rate.relapses}/{rate.closures}
      </td>
      <td>{rate.rate === null ? '—' : `${Math.round(rate.rate * 1000) / 10}%`}</td>
    </tr>
  );
}

export function RelapsePanel({
  relapse,
  countyNames,
  townshipNames,
  siteCounty,
  onOpenSite,
  onError,
}: {
  relapse: ReturnType<typeof useRelapse>;
  countyNames: Record<string, string>;
  townshipNames: Record<string, string>;
  siteCounty: (id: number) => string | null;
  onOpenSite: (id: number) => void;
  onError: (error: unknown) => void;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const { params, setParams, result, movesPage } = relapse;
  const decideMove = useDecideMove();
  const data = result.data;
  const field = (key: keyof RelapseParams, label: string, type = 'number') => (
    <label className="field">
      {label}
      <input type={type} value={params[key]} onChange={(e) => setParams({ ...params, [key]: e.target.value })} />
    </label>
  );
  const decide = async (key: string, decision: 'confirmed' | 'dismissed') => {
    try {
      await decideMove({ key, decision });
    } catch (error) {
      onError(error);
    }
  };
  return (
    <div className="relapse-panel" data-testid="relapse-panel">
      <section>
        <h2>{t('relapseWindow')}</h2>
        <div className="row">
          {field('from', t('relapseFrom'), 'date')}
          {field('to', t('relapseTo'), 'date')}
        </div>
        <div className="row">
          {field('radiusKm', t('relapseRadius'))}
          {field('withinDays', t('relapseDays'))}
          {field('cellKm', t('relapseCell'))}
        </div>
      </section>
      <LoadState loading={result.loading} error={result.error} />
      {data && (
        <>
          <section>
            <p data-testid="relapse-summary">
              {t('relapseSummary', {
                r: data.summary.relapses,
                s: data.summary.relapsedSites,
                m: data.summary.moveCandidates,
                h99: data.summary.hotCells[99],
                h95: data.summary.hotCells[95],
                h90: data.summary.hotCells[90],
              })}
            </p>
            {data.grid && (
              <p className="legend-note" data-testid="relapse-grid-note">
                {t('relapseGridNote', {
                  cells: data.grid.cells,
                  extent: t(data.grid.extent === 'counties' ? 'relapseExtentCounties' : 'relapseExtentBbox'),
                  most: data.grid.neighbourhood.most,
                  correction: t(data.summary.correction === 'fdr' ? 'relapseCorrectionFdr' : 'relapseCorrectionNone'),
                })}
              </p>
            )}
            <p className="legend-note">
              {t('relapseLegend')} <span className="swatch" style={{ background: '#7f0000' }} /> 99%{' '}
              <span className="swatch" style={{ background: '#d7301f' }} /> 95% <span className="swatch" style={{ background: '#fc8d59' }} /> 90%{' '}
              {t('relapseHot')}
            </p>
            <Definitions definitions={data.definitions} summary={t('relapseDefinitions')} />
          </section>
          <section data-testid="relapse-moves">
            <h2>{t('relapseMoves')}</h2>
            <p className="muted" data-testid="relapse-moves-page">
              {data.movesPage.total === 0
                ? t('relapseMovesNone')
                : t('relapseMovesPage', { first: movesPage.first, last: movesPage.first + data.moves.length - 1, total: data.movesPage.total })}
            </p>
            <ol className="plain moves" start={movesPage.first}>
              {data.moves.map((move) => (
                <li key={move.key} className={move.decision ?? ''} data-move={move.key}>
                  <button type="button" className="link" onClick={() => onOpenSite(move.toId)}>
                    {t('relapseMoveLine', {
                      from: move.fromName,
                      to: move.toName,
                      km: move.distanceKm.toFixed(1),
                      days: move.days,
                      sim: move.nameSimilarity.toFixed(2),
                      score: move.score.toFixed(2),
                    })}
                  </button>
                  <div>
                    {move.decision ? (
                      <span className="muted">{move.decision === 'confirmed' ? t('relapseConfirmed') : t('relapseDismissed')}</span>
                    ) : (
                      <>
                        <GuardedButton
                          className="small"
                          denied={deny('recordField', [siteCounty(move.fromId), siteCounty(move.toId)])}
                          onClick={() => void decide(move.key, 'confirmed')}
                        >
                          {t('relapseConfirm')}
                        </GuardedButton>
                        <GuardedButton
                          className="small"
                          denied={deny('recordField', [siteCounty(move.fromId), siteCounty(move.toId)])}
                          onClick={() => void decide(move.key, 'dismissed')}
                        >
                          {t('relapseDismiss')}
                        </GuardedButton>
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ol>
            {(movesPage.previous || data.movesPage.next) && (
              <div className="row pager">
                <button type="button" className="small" disabled={!movesPage.previous} onClick={() => movesPage.previous?.()}>
                  {t('relapseMovesPrev')}
                </button>
                <button
                  type="button"
                  className="small"
                  disabled={!data.movesPage.next}
                  onClick={() => data.movesPage.next && movesPage.next(data.movesPage.next)}
                >
                  {t('relapseMovesNext')}
                </button>
              </div>
            )}
          </section>
          <section>
            <h2>{t('relapseRates')}</h2>
            <table className="rates">
              <tbody>
                {data.rates.counties.map((rate) => (
                  <RateRow key={rate.county} rate={rate} label={countyLabel(rate.county, countyNames[rate.county] ?? rate.county, lang)} />
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>{t('relapseTownshipRates')}</h2>
            <table className="rates" data-testid="township-rates">
              <tbody>
                {[...data.rates.townships]
                  .filter((rate) => rate.relapses > 0)
                  .sort((a, b) => b.relapses - a.relapses || (b.rate ?? 0) - (a.rate ?? 0))
                  .slice(0, 20)
                  .map((rate) => (
                    <RateRow
                      key={`${rate.county}:${rate.township}`}
                      rate={rate}
                      label={`${countyLabel(rate.county, countyNames[rate.county] ?? rate.county, lang)} ${rate.township ? (townshipNames[rate.township] ?? rate.township) : t('relapseNoTownship')}`}
                    />
                  ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>{t('relapseList')}</h2>
            <ul className="plain">
              {data.relapses.map((r) => (
                <li key={`${r.siteId}:${r.date}`}>
                  <button type="button" className="link" onClick={() => onOpenSite(r.siteId)}>
                    {r.name}
                  </button>{' '}
                  <span className="muted">
                    {r.date}
                    {r.daysSinceClosure !== null ? ` · ${t('relapseAfter', { days: r.daysSinceClosure })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
