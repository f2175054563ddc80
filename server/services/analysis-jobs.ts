// The heavy reads of the API (the relapse and siege analyses, the scorecards and their workbook,
// route planning) as jobs of plain data: the route validates the request and checks permissions, the
// job reads the database and computes the answer's bytes. services/analysis-pool.ts runs a job on the
// analysis thread (a database file) or here (an in-memory database); the answers are the same bytes.
import type { CategoryCode } from '../../domain/categories.ts';
import type { Db } from '../db/database.ts';
import { AppError, badRequest } from '../errors.ts';
import { scorecardWorkbook } from '../export/scorecard-xlsx.ts';
import { siegeCsv, siegeDownloadName } from '../export/siege-csv.ts';
import { analyzeRelapse, RelapseOptionError, type RelapseOptions } from '../geo/analyze-relapse.ts';
import { analyzeSiege, compareSiege, SiegeOptionError, type SiegeOptions, type SiegeResult } from '../geo/analyze-siege.ts';
import { analysisSites } from '../store/analysis-sites.ts';
import { getCore, type CoreFeature } from '../store/core-store.ts';
import { countyAreas, relapseState } from '../store/relapse-store.ts';
import { ChangeMemo } from '../store/response-cache.ts';
import { scorecardFigure, scorecards, type ScorecardFigure, type ScorecardOptions } from '../store/scorecard-store.ts';
import { planInspectionRoute, type PlanRequest } from './route-planning.ts';

/** The relapse analysis's options as parsed from the query (the rest is read from the database). */
export type RelapseRequest = Pick<RelapseOptions, 'from' | 'to' | 'asOf' | 'categories' | 'counties' | 'radiusKm' | 'withinDays' | 'cellKm' | 'correction'>;
export type SiegeRequest = Omit<SiegeOptions, 'core'>;

export type AnalysisJob =
  | { kind: 'relapse'; options: RelapseRequest; page: { limit: number; cursor: string | null } }
  | { kind: 'siege'; core: string; asOf?: string; compareTo?: string; options: SiegeRequest; format: 'json' | 'geojson' | 'csv'; today: string }
  | { kind: 'scorecards'; counties: string[]; options: ScorecardOptions; one: boolean }
  | { kind: 'scorecardFigure'; county: string; figure: ScorecardFigure; options: ScorecardOptions }
  | { kind: 'scorecardXlsx'; counties: string[]; options: ScorecardOptions; generatedAt: string }
  | { kind: 'routePlan'; body: PlanRequest; today: string };

/** A job's answer: the body's bytes (JSON text, a download) and its headers. */
export interface AnalysisReply {
  body: string | Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/** A refusal as plain data (an AppError does not survive the trip between threads). */
export interface AnalysisRefusal {
  status: AppError['status'];
  code: AppError['code'];
  message: string;
  details: Record<string, unknown>;
  headers: Record<string, string>;
}

export const refusalOf = (error: AppError): AnalysisRefusal => ({
  status: error.status,
  code: error.code,
  message: error.message,
  details: error.details,
  headers: error.headers,
});
export const refusalError = (refusal: AnalysisRefusal): AppError =>
  new AppError(refusal.status, refusal.code, refusal.message, refusal.details, refusal.headers);

const JSON_HEADERS = { 'content-type': 'application/json' };
const json = (value: unknown): AnalysisReply => ({ body: JSON.stringify(value), headers: JSON_HEADERS });

/** Relapse answers kept per database while sites, their histories and move decisions are unchanged. */
const relapseAnswers = new WeakMap<Db, ChangeMemo<string>>();

function relapse(db: Db, job: Extract<AnalysisJob, { kind: 'relapse' }>): AnalysisReply {
  let answers = relapseAnswers.get(db);
  if (!answers) relapseAnswers.set(db, (answers = new ChangeMemo<string>(db, ['sites', 'moves'], 8)));
  const state = relapseState(db);
  try {
    const body = answers.get(JSON.stringify([job.options, job.page]), () =>
      JSON.stringify(
        analyzeRelapse(
          state.sites(),
          { ...job.options, decisions: state.moveDecisions(), studyArea: countyAreas(db) },
          { moveIndex: state.moveIndex(), page: job.page },
        ),
      ),
    );
    return { body, headers: JSON_HEADERS };
  } catch (error) {
    if (error instanceof RelapseOptionError) throw badRequest('bad_parameter', error.message, { parameter: error.parameter, ...error.problem });
    throw error;
  }
}

function siegeAt(db: Db, core: CoreFeature, options: SiegeRequest, asOf: string | undefined): SiegeResult {
  const sites = analysisSites(db, { asOf }).map((site) => ({ ...site, name: site.name }));
  try {
    return analyzeSiege(sites, { ...options, core, categories: options.categories as CategoryCode[] | undefined });
  } catch (error) {
    if (error instanceof SiegeOptionError) throw badRequest('bad_parameter', error.message, { parameter: error.parameter, ...error.problem });
    throw error;
  }
}

function siege(db: Db, job: Extract<AnalysisJob, { kind: 'siege' }>): AnalysisReply {
  const core = getCore(db, job.core);
  const result = siegeAt(db, core, job.options, job.asOf);
  // Downloads: the cells as GeoJSON, the cell table as CSV (the typed client uses the JSON form).
  if (job.format === 'geojson' || job.format === 'csv') {
    const geojson = job.format === 'geojson';
    const date = job.asOf ?? job.today;
    return {
      body: geojson
        ? JSON.stringify({ type: 'FeatureCollection', name: core.properties.name, features: result.cells.features })
        : siegeCsv(result, core.properties, date),
      headers: {
        'content-type': geojson ? 'application/geo+json; charset=utf-8' : 'text/csv; charset=utf-8',
        'content-disposition': siegeDownloadName(core.properties, date, job.format),
      },
    };
  }
  const comparison = job.compareTo ? { compareTo: job.compareTo, ...compareSiege(siegeAt(db, core, job.options, job.compareTo), result) } : null;
  return json({
    ...result,
    core: { ...result.core, id: core.properties.id, name: core.properties.name, isDefault: core.properties.isDefault },
    asOf: job.asOf ?? null,
    comparison,
  });
}

/** Computes a job's answer from `db` (on whichever thread holds it). */
export async function runAnalysisJob(db: Db, job: AnalysisJob): Promise<AnalysisReply> {
  switch (job.kind) {
    case 'relapse':
      return relapse(db, job);
    case 'siege':
      return siege(db, job);
    case 'scorecards': {
      const cards = scorecards(db, job.counties, job.options);
      return json(job.one ? cards[0] : cards);
    }
    case 'scorecardFigure':
      return json(scorecardFigure(db, job.county, job.figure, job.options));
    case 'scorecardXlsx': {
      const cards = scorecards(db, job.counties, job.options);
      const body = await scorecardWorkbook(cards, job.options, job.generatedAt);
      return { body: new Uint8Array(body), headers: {} };
    }
    case 'routePlan':
      return json(planInspectionRoute(db, job.body, job.today));
  }
}
