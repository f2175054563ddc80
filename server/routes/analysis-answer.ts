// The answer of an analysis job (services/analysis-pool.ts) as the route's typed response: the job
// computed the body's bytes (the JSON text c.json would have sent, or a download) off this thread.
import type { TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { analysisResponse, runAnalysis } from '../services/analysis-pool.ts';
import type { AnalysisJob } from '../services/analysis-jobs.ts';
import type { AppContext } from '../context.ts';

/** Runs the job and answers its reply, typed as the route's JSON answer `T` for the typed client. */
export async function answerAnalysis<T>(ctx: AppContext, job: AnalysisJob): Promise<TypedResponse<JSONParsed<T>, 200, 'json'>> {
  return analysisResponse(await runAnalysis(ctx.db, job)) as unknown as TypedResponse<JSONParsed<T>, 200, 'json'>;
}
