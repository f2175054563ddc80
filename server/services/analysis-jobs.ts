// The heavy reads of the API (the relapse and siege analyses, the scorecards and their workbook,
// route planning) as jobs of plain data: the route validates the request and checks permissions, the
// job reads the database and computes the answer's bytes. services/analysis-pool.ts runs a job on the
// analysis thread (a database file) or here (an in-memory database); the answers are the same bytes.
//
// The siege job, the scorecard workbook and route planning are imported when first asked for: with
// them (turf, exceljs and every export format) a fresh analysis thread took ~1.5 s of CPU to load its
// modules before the first relapse or scorecard job could start (bench/README.md, scorecards group).
import { isMainThread } from 'node:worker_threads';
import type { Db } from '../db/database.ts';
import type * as ScorecardXlsx from '../export/scorecard-xlsx.ts';
import { AppError, badRequest } from '../errors.ts';
import { analyzeRelapse, RelapseOptionError, type RelapseOptions } from '../geo/analyze-relapse.ts';
import type { SiegeOptions } from '../geo/analyze-siege.ts';
import { countyAreas, relapseState } from '../store/relapse-store.ts';
import { ChangeMemo } from '../store/response-cache.ts';
import { scorecardFigure, scorecards, type ScorecardFigure, type ScorecardOptions } from '../store/scorecard-store.ts';
import type * as SiegeJob from './analysis-siege-job.ts';
import type * as RoutePlanning from './route-planning.ts';
import type { PlanRequest } from './route-planning.ts';

/** The relapse analysis's options as parsed from the query (the rest is read from the database). */
export type RelapseRequest = Pick<RelapseOptions, 'from' | 'to' | 'asOf' | 'categories' | 'counties' | 'radiusKm' | 'withinDays' | 'cellKm' | 'correction'>;
export type SiegeRequest = Omit<SiegeOptions, 'core'>;

export type AnalysisJob =
  | { kind: 'relapse'; options: RelapseRequest; page: { limit: number; cursor: string | null } }
  | { kind: 'siege'; core: string; asOf?: string; compareTo?: string; options: SiegeRequest; format: 'json' | 'geojson' | 'csv'; today: string }
  | { kind: 'scorecards'; counties: string[]; options: ScorecardOptions; one: boolean }
  | { kind: 'scorecardFigure'; county: string; figure: ScorecardFigure; options: ScorecardOptions }
  | { kind: 'scorecardXlsx'; counties: string[]; options: ScorecardOptions; /** Beijing time, `campaignTime`. */ generatedAt: string }
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
export const json = (value: unknown): AnalysisReply => ({ body: JSON.stringify(value), headers: JSON_HEADERS });

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

// Loaded when first asked for. Compiled (`npm start`, server/start.mjs), each is a built file of its own,
// imported at run time, so that the packages it needs (turf…) load only then. Under tsx, on a worker
// thread through require: tsx compiles the thread's modules to CommonJS, and the thread's ESM loader does
// not know .ts files; on the main thread through import() (tsx's ESM loader, vite's under vitest).
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
const viaImport = isMainThread || process.env.SANSAN_BUNDLED === '1';
const siegeModule = async (): Promise<typeof SiegeJob> =>
  viaImport ? import('./analysis-siege-job.ts') : (require('./analysis-siege-job.ts') as typeof SiegeJob);
const workbookModule = async (): Promise<typeof ScorecardXlsx> =>
  viaImport ? import('../export/scorecard-xlsx.ts') : (require('../export/scorecard-xlsx.ts') as typeof ScorecardXlsx);
const routeModule = async (): Promise<typeof RoutePlanning> =>
  viaImport ? import('./route-planning.ts') : (require('./route-planning.ts') as typeof RoutePlanning);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Computes a job's answer from `db` (on whichever thread holds it). */
export async function runAnalysisJob(db: Db, job: AnalysisJob): Promise<AnalysisReply> {
  switch (job.kind) {
    case 'relapse':
      return relapse(db, job);
    case 'siege':
      return (await siegeModule()).siegeJob(db, job);
    case 'scorecards': {
      const cards = scorecards(db, job.counties, job.options);
      return json(job.one ? cards[0] : cards);
    }
    case 'scorecardFigure':
      return json(scorecardFigure(db, job.county, job.figure, job.options));
    case 'scorecardXlsx': {
      const cards = scorecards(db, job.counties, job.options);
      const { scorecardWorkbook } = await workbookModule();
      const body = await scorecardWorkbook(cards, job.options, job.generatedAt);
      return { body: new Uint8Array(body), headers: {} };
    }
    case 'routePlan':
      return json((await routeModule()).planInspectionRoute(db, job.body, job.today));
  }
}
