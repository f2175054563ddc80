// The as-of histories (server/store/as-of-statuses.ts) on one database file, in-process on a read-only
// connection as the counts thread has it: the sliced build (wall time, slices, the longest slice: how
// long the thread is held at most), the memory it adds, and for 7 past dates (the cluster bench's)
// the as-of county counts and map counts by SQL and by the histories, checked equal.
//   node --expose-gc --import tsx bench/as-of-histories.ts <file.sqlite>   (open a copy: WAL needs its -shm)
import { isDeepStrictEqual } from 'node:util';
import { openReadOnlyDatabase } from '../server/db/read-only.ts';
import { AsOfStatuses } from '../server/store/as-of-statuses.ts';
import { asOfCountRows, asOfMapCountRows } from '../server/store/as-of-walk.ts';
import { readMapCounts } from '../server/store/map-sites.ts';
import { countSitesByCounty, foldCountRows } from '../server/store/site-queries.ts';
import { COUNTED_STATUSES } from '../domain/statuses.ts';
import { formatMs, median } from './lib/measure.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: bench/as-of-histories.ts <database file>');
const gc = (globalThis as { gc?: () => void }).gc;
const rss = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().rss;
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const time = <T>(fn: () => T): [number, T] => {
  const started = performance.now();
  const value = fn();
  return [performance.now() - started, value];
};

const db = openReadOnlyDatabase(path);
const sites = db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
const before = rss();
const kept = new AsOfStatuses(db);
const started = performance.now();
kept.current();
const turns: number[] = [];
const cpuTurns: number[] = [];
while (kept.phase === 'building' || kept.phase === 'catching-up') {
  const turn = performance.now();
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setImmediate(resolve));
  turns.push(performance.now() - turn);
  const used = process.cpuUsage(cpu);
  cpuTurns.push((used.user + used.system) / 1000);
}
const buildMs = performance.now() - started;
const after = rss();
console.log(
  `${sites} sites; load ${(await import('node:os'))
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
console.log(
  `build: ${formatMs(buildMs)} wall in ${kept.slices} slices, longest event-loop turn ${formatMs(Math.max(...turns))}, median ${formatMs(median(turns))}; phase ${kept.phase}`,
);
console.log(`CPU per turn: longest ${formatMs(Math.max(...cpuTurns))}, median ${formatMs(median(cpuTurns))} (the wall time beyond it is time off the core)`);
const longest = turns
  .map((ms, at) => [ms, at])
  .sort((a, b) => b[0]! - a[0]!)
  .slice(0, 5);
console.log(`longest turns (ms @ turn): ${longest.map(([ms, at]) => `${ms!.toFixed(1)} @ ${at}`).join(', ')} of ${turns.length}`);
console.log(`memory: arrays ${mb(kept.bytes())}, RSS +${mb(after - before)} (${mb(before)} → ${mb(after)}); ${kept.eventEnd} steps kept`);

const sql = { counties: [] as number[], map: [] as number[] };
const mine = { counties: [] as number[], map: [] as number[] };
for (let run = 0; run < 7; run++) {
  const asOf = new Date(Date.UTC(2020, 0, 15) + run * 97 * 86_400_000).toISOString().slice(0, 10);
  const filters = { asOf };
  const [sqlCounties, a] = time(() => countSitesByCounty(db, filters));
  const [mineCounties, b] = time(() => foldCountRows(asOfCountRows(kept, filters)));
  if (!isDeepStrictEqual(a, b)) throw new Error(`county counts differ on ${asOf}`);
  const mapFilters = { asOf, statuses: [...COUNTED_STATUSES] };
  const [sqlMap, c] = time(() => readMapCounts(db, mapFilters).rows);
  const [mineMap, d] = time(() => asOfMapCountRows(kept, mapFilters));
  if (!isDeepStrictEqual(c, d)) throw new Error(`map counts differ on ${asOf}`);
  sql.counties.push(sqlCounties);
  mine.counties.push(mineCounties);
  sql.map.push(sqlMap);
  mine.map.push(mineMap);
}
console.log(`county counts per date (7 dates, equal): SQL median ${formatMs(median(sql.counties))}, histories ${formatMs(median(mine.counties))}`);
console.log(`map counts per date (7 dates, equal): SQL median ${formatMs(median(sql.map))}, histories ${formatMs(median(mine.map))}`);
db.close();
