// County scorecards in-process: every county's figures, cold (the likely-move search included) and
// warm (the route keeps the likely moves until the next write), and one figure's site list. No
// target in the issue; measured so a slowdown shows.
import { openDatabase } from '../../server/db/database.ts';
import { ChangeMemo } from '../../server/store/response-cache.ts';
import { likelyMovesByCounty, scorecardFigure, scorecards, type LikelyMoves } from '../../server/store/scorecard-store.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatSize, timeSync, timingRow, type Row } from '../lib/measure.ts';

export async function scorecardFigures(context: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of [10_000, 100_000]) {
    const runs = size > 10_000 ? 1 : 3;
    const db = openDatabase(context.fixtures.syntheticDatabase(size));
    try {
      const counties = db.all<{ code: string }>('SELECT code FROM counties ORDER BY code').map((row) => row.code);
      const options = { asOf: '2022-12-31', staleDays: 90, source: null };
      const memo = new ChangeMemo<Map<string, Set<number>>>(db, ['sites', 'moves']);
      const moves: LikelyMoves = (inputs, asOf) => memo.get(asOf, () => likelyMovesByCounty(db, inputs, asOf));
      const cold: number[] = [];
      const warm: number[] = [];
      const one: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        cold.push(timeSync(() => scorecards(db, counties, options)).ms);
        scorecards(db, counties, options, moves);
        warm.push(timeSync(() => scorecards(db, counties, options, moves)).ms);
        one.push(timeSync(() => scorecardFigure(db, counties[0]!, 'overdue', options)).ms);
      }
      rows.push(timingRow({ figure: 'scorecards, 5 counties, cold (likely-move search included)', size: formatSize(size), samples: cold }));
      rows.push(timingRow({ figure: 'scorecards, 5 counties, likely moves kept since the last write', size: formatSize(size), samples: warm }));
      rows.push(timingRow({ figure: 'scorecard figure list (overdue, one county)', size: formatSize(size), samples: one }));
    } finally {
      db.close();
    }
  }
  return rows;
}
