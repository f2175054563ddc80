// County scorecards: one county's card (side panel), the sites behind one figure, all cards (print page).
import { api, unwrap } from '../api/client.ts';
import { useApiQuery } from './query.ts';

export interface ScorecardQuery {
  asOf?: string;
  source?: 'real' | 'demo';
}

const loadScorecard = (county: string, query: ScorecardQuery) => unwrap(api.api.counties[':code'].scorecard.$get({ param: { code: county }, query }));
const loadFigure = (county: string, figure: string, query: ScorecardQuery) =>
  unwrap(api.api.counties[':code'].scorecard.sites.$get({ param: { code: county }, query: { ...query, figure } }));

export type ScorecardJson = Awaited<ReturnType<typeof loadScorecard>>;
export type FigureListJson = Awaited<ReturnType<typeof loadFigure>>;

export const useScorecard = (county: string | null, query: ScorecardQuery) =>
  useApiQuery(['scorecards', 'county', county, query], () => loadScorecard(county!, query), county !== null);

/** The sites and roads one figure counts; `shown` null: none chosen. */
export const useFigureList = (shown: { county: string; figure: string } | null, query: ScorecardQuery) =>
  useApiQuery(['scorecards', 'figure', shown, query], () => loadFigure(shown!.county, shown!.figure, query), shown !== null);

/** Every county's card, or the one `county` names. */
export const useScorecards = (county: string | null, query: ScorecardQuery) =>
  useApiQuery(['scorecards', 'all', county, query], async () => {
    const all = await unwrap(api.api.scorecards.$get({ query }));
    return county ? all.filter((card) => card.county === county) : all;
  });
