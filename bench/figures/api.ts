// GET /api/sites through the running server (Node http client on loopback, no compression) beside
// the same query in-process (the route's own page text, sitesPageText: listSiteFeatures on
// better-sqlite3 joined into the same response, at most SITES_PAGE_MAX sites, as the route answers).
import { openDatabase, type Db } from '../../server/db/database.ts';
import { siteFilterSql, type SiteFilters } from '../../server/store/site-filters.ts';
import { SITES_PAGE_MAX, sitesPageText } from '../../server/routes/sites.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatBytes, formatCount, formatMs, median, timingRow, type Row } from '../lib/measure.ts';
import { httpGet, startServer } from '../lib/server-process.ts';
import { benchSession } from '../lib/session.ts';

const CITY_BBOX = [113.4, 33.4, 114.3, 34.0] as const;

interface Query {
  name: string;
  path: string;
  filters: SiteFilters;
}

const QUERIES: Query[] = [
  { name: 'bbox=113.4,33.4,114.3,34.0 (city)', path: `/api/sites?bbox=${CITY_BBOX.join(',')}`, filters: { bbox: CITY_BBOX } },
  { name: 'county=411102', path: '/api/sites?county=411102', filters: { counties: ['411102'] } },
];

/** The body GET /api/sites sends (server/routes/sites.ts) for the same query without `limit`: its first page. */
const inProcess = (db: Db, filters: SiteFilters): string => sitesPageText(db, filters, { limit: SITES_PAGE_MAX });

/** How SQLite reaches the rows: the filter's query plan, shortened. */
function accessPath(db: Db, filters: SiteFilters): string {
  const filter = siteFilterSql(filters);
  const plan = db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${filter.sql}`, filter.params).map((row) => row.detail);
  if (plan.some((detail) => /VIRTUAL TABLE/.test(detail))) return 'bbox via the SQLite R*Tree (sites_rtree, rtree module), then sites by rowid';
  const index = plan.map((detail) => /INDEX (\w+)/.exec(detail)?.[1]).find(Boolean);
  return index ? `index ${index}` : plan.join('; ');
}

export async function api(context: BenchContext): Promise<Row[]> {
  const { root, resources, fixtures, log } = context;
  const sizes = context.big ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
  const rows: Row[] = [];
  for (const size of sizes) {
    const path = fixtures.syntheticDatabase(size);
    const auth = { Authorization: `Bearer ${benchSession(path)}` };
    let server = await startServer(resources, { root, database: path, demo: false });
    let restarts = 0;
    /**
     * GET through the server. On a shared machine someone may stop every `server/main.ts`: a server
     * that died (not by our hand) is started again and the request repeated, at most 3 times per size.
     */
    const get = async (query: Query) => {
      for (;;) {
        try {
          return await httpGet(server.port, query.path, { headers: auth });
        } catch (error) {
          await server.exited(1000);
          const exit = server.exitCode();
          if (exit === null || restarts >= 3) {
            const tail = server.output().trim().split('\n').slice(-2).join(' / ');
            throw new Error(`GET ${query.path}: ${(error as Error).message}${exit !== null ? `; the server exited with ${exit}: ${tail}` : ''}`, {
              cause: error,
            });
          }
          restarts++;
          log(`api: the server exited (${exit}) from outside; starting it again`);
          await server.stop();
          server = await startServer(resources, { root, database: path, demo: false });
        }
      }
    };
    const db = openDatabase(path);
    const release = resources.hold(() => db.close());
    try {
      const warmups = size >= 100_000 ? 2 : 3;
      const runs = size >= 1_000_000 ? 3 : size >= 100_000 ? 9 : 21;
      // 10^6 sites in one city-wide response is ~0.5 GB of JSON, near V8's string limit: county only.
      const queries = size >= 1_000_000 ? QUERIES.slice(1) : QUERIES;
      for (const query of queries) {
        const http: number[] = [];
        const local: number[] = [];
        let bytes = 0;
        let features = 0;
        for (let i = 0; i < warmups + runs; i++) {
          const started = performance.now();
          const text = inProcess(db, query.filters);
          const localMs = performance.now() - started;
          const count = (text.match(/"type":"Feature"/g) ?? []).length;
          const response = await get(query);
          if (response.status !== 200) throw new Error(`GET ${query.path} answered ${response.status}: ${response.body.toString().slice(0, 200)}`);
          const expected = Buffer.byteLength(text);
          if (response.body.length !== expected)
            throw new Error(`GET ${query.path}: ${response.body.length} bytes through HTTP, ${expected} in-process — not the same response`);
          if (i < warmups) continue;
          local.push(localMs);
          http.push(response.ms);
          bytes = expected;
          features = count;
        }
        const ratio = median(http) / median(local);
        const sizeText = `10^${Math.log10(size)} sites`;
        const shape = `${formatCount(features)} features, ${formatBytes(bytes)}`;
        const access = accessPath(db, query.filters);
        log(`api ${size} ${query.name}: HTTP ${formatMs(median(http))}, in-process ${formatMs(median(local))} (${ratio.toFixed(2)}×)`);
        rows.push(
          timingRow({
            figure: `GET /api/sites?${query.name} — HTTP`,
            size: sizeText,
            samples: http,
            target:
              size === 10_000 ? { text: '< 50 ms', met: (ms) => ms < 50 } : size === 100_000 ? { text: '≤ 2× in-process', met: () => ratio <= 2 } : undefined,
            notes:
              `${ratio.toFixed(2)}× in-process; ${shape}; a new loopback connection per request, no compression; after the first request the server answers from its response cache (server/store/response-cache.ts, valid until the next write) while in-process rebuilds every time; ${access}` +
              (restarts ? `; the server was stopped from outside and restarted ${restarts}×` : ''),
          }),
          timingRow({
            figure: `GET /api/sites?${query.name} — in-process`,
            size: sizeText,
            samples: local,
            notes: `sitesPageText (the route's own: listSiteFeatures on better-sqlite3, the feature texts joined into the response text; at most ${formatCount(SITES_PAGE_MAX)} sites, as the route answers; same bytes as HTTP)`,
          }),
        );
      }
    } finally {
      await release();
      await server.stop();
    }
  }
  return rows;
}
