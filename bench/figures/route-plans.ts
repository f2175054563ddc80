// Route plans as POST /api/routes/plan makes them (issue 18): the stops read from the synthetic
// 10^5-site database and ordered — the analysis thread's job (server/services/analysis-jobs.ts), run
// here in-process to time the work itself. A 500-stop random sample (100 per county); a whole county's
// re-checks (回头看: thousands of sites), refused at once with too_many_stops; and the same re-checks
// inside an area drawn on the map, planned.
import { campaignDay } from '../../domain/days.ts';
import { openDatabase } from '../../server/db/database.ts';
import { AppError } from '../../server/errors.ts';
import { runAnalysisJob } from '../../server/services/analysis-jobs.ts';
import type { PlanRequest } from '../../server/services/route-planning.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatCount, timingRow, type Row } from '../lib/measure.ts';

const SIZE = 100_000;
const COUNTY = '411102';
const TODAY = campaignDay();
const SEAT = { lon: 114.0166, lat: 33.5758 };
/** About 3 × 3 km round the city seat, drawn on the map (the synthetic data's densest part: hundreds of re-checks). */
const DAY_AREA = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [114.0, 33.562],
      [114.032, 33.562],
      [114.032, 33.589],
      [114.0, 33.589],
      [114.0, 33.562],
    ],
  ],
};

export async function routePlans({ fixtures, log }: BenchContext): Promise<Row[]> {
  const db = openDatabase(fixtures.syntheticDatabase(SIZE));
  const plan = async (body: Omit<PlanRequest, 'start'>) => {
    const started = performance.now();
    try {
      const reply = await runAnalysisJob(db, { kind: 'routePlan', body: { ...body, start: SEAT }, today: TODAY });
      return { ms: performance.now() - started, stops: (JSON.parse(String(reply.body)) as { stops: unknown[] }).stops.length, refusal: null };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { ms: performance.now() - started, stops: 0, refusal: error };
    }
  };
  try {
    const rows: Row[] = [];
    await plan({ rule: { kind: 'sample', perCounty: 20, seed: 99 } }); // warm-up, not counted
    const sample = [];
    for (let seed = 1; seed <= 3; seed++) sample.push(await plan({ rule: { kind: 'sample', perCounty: 100, seed } }));
    log(`route plans: 500 stops ${sample.map((run) => Math.round(run.ms)).join(', ')} ms`);
    rows.push(
      timingRow({
        figure: 'route plan (POST /api/routes/plan job): a random sample, 100 per county',
        size: `10^5 sites; ${sample[0]!.stops} stops`,
        samples: sample.map((run) => run.ms),
        target: { text: '< 2 s', met: (ms) => ms < 2000 },
        notes: 'stops read and sampled (seeds 1–3), ordered by planRoute, answer as JSON; on the analysis thread in the server',
      }),
    );
    const recheck = { kind: 'recheck' as const, olderThanDays: 90, counties: [COUNTY] };
    const county = [await plan({ rule: recheck }), await plan({ rule: recheck }), await plan({ rule: recheck })];
    const details = county[0]!.refusal?.details as { count?: number; workdays?: number } | undefined;
    rows.push(
      timingRow({
        figure: `route plan: a whole county's re-checks (回头看, ${COUNTY}, not inspected for 90 days)`,
        size: `10^5 sites; ${formatCount(details?.count ?? county[0]!.stops)} sites chosen`,
        samples: county.map((run) => run.ms),
        target: { text: '< 1 s (interactive)', met: (ms) => ms < 1000 },
        notes: county[0]!.refusal
          ? `refused at once: 422 ${county[0]!.refusal.code} (about ${formatCount(details?.workdays ?? 0)} working days at 20 min a stop; the page says how to narrow)`
          : `planned ${county[0]!.stops} stops`,
      }),
    );
    const area = [await plan({ rule: recheck, within: DAY_AREA }), await plan({ rule: recheck, within: DAY_AREA })];
    rows.push(
      timingRow({
        figure: `route plan: the county's re-checks inside a drawn area (about 3 × 3 km round the seat, the densest part)`,
        size: `10^5 sites; ${area[0]!.stops} stops`,
        samples: area.map((run) => run.ms),
        target: { text: '< 2 s', met: (ms) => ms < 2000 },
        notes: area[0]!.refusal ? `refused: ${area[0]!.refusal.code}` : 'planned',
      }),
    );
    return rows;
  } finally {
    db.close();
  }
}
