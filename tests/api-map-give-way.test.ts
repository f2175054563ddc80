// The map index thread's start-up warm-up gives way to analysis jobs (server/db/give-way.ts): it reads
// the sites and builds the clusters in slices, waits between them while a job is in flight, goes on
// when the job is answered, and at once for a map request queued behind it. The sliced read returns the
// same rows as the whole one. A tile past zoom 9 within one county's sites, asked during the warm-up, is
// answered once that county is built, not after every county, and as the index of every site answers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountyClusterIndex } from '../domain/cluster-index.ts';
import { COUNTED_STATUSES } from '../domain/statuses.ts';
import { bootDatabase } from '../server/bootstrap.ts';
import { createApp } from '../server/app.ts';
import { holdForeground } from '../server/db/give-way.ts';
import { closeMapPool, mapSiteStore } from '../server/store/map-site-store.ts';
import { readMapSites } from '../server/store/map-sites.ts';
import { generateSites, loadSites, readGeography } from '../bench/synthetic.ts';
import { signInUser, TODAY } from './helpers/app.ts';

let dir: string;
let path: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-give-way-'));
  path = join(dir, 'sansan.db');
  const { db } = bootDatabase(path, { demo: false, today: () => TODAY });
  loadSites(db, generateSites(readGeography(db), 3000));
  db.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server on the file (map threads started, the default view warming) while an analysis job is marked in flight. */
async function withJobInFlight(check: (server: ReturnType<typeof start>, answered: () => void) => Promise<void>) {
  const answered = holdForeground();
  const server = start();
  try {
    await check(server, answered);
  } finally {
    answered();
    await server.warming?.catch(() => undefined);
    server.db.close();
    await closeMapPool();
  }
}

function start() {
  const { db, ctx } = bootDatabase(path, { demo: false, today: () => TODAY });
  const app = createApp(ctx);
  const token = signInUser(db, ctx.countyCodes, 'admin', 'admin', [], ctx.sessions);
  const get = (url: string) => Promise.resolve(app.request(url, { headers: { Authorization: `Bearer ${token}` } }));
  return { db, get, warming: mapSiteStore(db).warming };
}

const settled = (promise: Promise<unknown> | null) => {
  let done = false;
  void promise?.finally(() => (done = true)).catch(() => undefined);
  return () => done;
};

describe('the map warm-up beside an analysis job', () => {
  it('reads the same rows in slices, pausing every 1024 rows', () => {
    const { db } = bootDatabase(path, { demo: false, today: () => TODAY });
    try {
      const filters = { statuses: COUNTED_STATUSES };
      let pauses = 0;
      const sliced = readMapSites(db, filters, () => pauses++);
      const whole = readMapSites(db, filters);
      expect(whole.sites.length).toBeGreaterThan(2048);
      expect(sliced).toEqual(whole);
      expect(pauses).toBe(Math.floor(whole.sites.length / 1024));
    } finally {
      db.close();
    }
  });

  it('waits while a job is in flight and finishes once it is answered', async () => {
    await withJobInFlight(async (server, answered) => {
      const done = settled(server.warming);
      // The counts thread answers meanwhile (its warm-up is a GROUP BY and does not wait).
      expect((await server.get('/api/map/sites')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(done()).toBe(false);
      answered();
      await server.warming;
      expect(done()).toBe(true);
    });
  });

  it('goes on at once for a map request queued behind it', async () => {
    await withJobInFlight(async (server, answered) => {
      const { version } = (await (await server.get('/api/map/sites')).json()) as { version: number };
      // A tile past the county zooms: the index thread's, behind the warm-up (z 11 around the city seat).
      const tile = await server.get(`/api/map/sites/${version}/11/1671/824`);
      expect(tile.status).toBe(200);
      // The rest of the warm-up gives way to the job again once the tile is answered.
      answered();
      await server.warming;
    });
  });

  it('answers a tile past zoom 9 in one county once that county is built, as the whole index does', async () => {
    await withJobInFlight(async (server, answered) => {
      const done = settled(server.warming);
      const { version } = (await (await server.get('/api/map/sites')).json()) as { version: number };
      // In 临颍县 (411122)'s west at z 12: no other county's extent meets it (a tile meeting several
      // waits for every county: map-index.ts).
      const [z, x, y] = [12, 3342, 1638];
      const tile = await server.get(`/api/map/sites/${version}/${z}/${x}/${y}`);
      expect(tile.status).toBe(200);
      // Answered while the warm-up still waits for the job with other counties not built (before, the
      // tile waited for every county).
      expect(done()).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done()).toBe(false);
      const body = (await tile.json()) as { version: number; features: { properties: { county: string } }[] };
      answered();
      await server.warming;
      // The index of every site, built at once as before, answers the tile alike.
      const whole = readMapSites(server.db, { statuses: COUNTED_STATUSES });
      expect(body.version).toBe(whole.version);
      const expected = JSON.parse(new CountyClusterIndex(whole.sites, { statuses: COUNTED_STATUSES }).tileJson(z, x, y)) as typeof body.features;
      expect(expected.length).toBeGreaterThan(0);
      expect(body.features).toEqual(expected);
      expect(new Set(body.features.map((feature) => feature.properties.county))).toEqual(new Set(['411122']));
    });
  });
});
