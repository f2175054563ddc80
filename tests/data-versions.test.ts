// Migration 014's data versions: a write raises the version of its own topic and leaves the others,
// so a cache of the map survives sign-ins, session touches and audit records (issue #17).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_TOPICS, type DataTopic } from '../server/db/migrations/014-data-versions.ts';
import { appendAudit } from '../server/auth/audit.ts';
import { dataVersion } from '../server/store/data-version.ts';
import { ChangeMemo } from '../server/store/response-cache.ts';
import { createSite, moveSiteStatus } from '../server/services/sites.ts';
import type { Actor } from '../server/services/service-context.ts';
import { openDatabase } from '../server/db/database.ts';
import { bootTestApp, POINTS, type Harness } from './helpers/app.ts';

const ADMIN: Actor = { username: 'operator', role: 'admin', counties: [], address: 'command line' };
const topics = Object.keys(DATA_TOPICS) as DataTopic[];
const versions = (h: Harness) => Object.fromEntries(topics.map((topic) => [topic, dataVersion(h.db, [topic])]));

let dir: string;
let h: Harness;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sansan-versions-'));
  h = bootTestApp({ path: join(dir, 'sansan.db') });
});
afterEach(() => {
  h.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data versions', () => {
  it('every table a topic names exists, so each has its triggers', () => {
    for (const tables of Object.values(DATA_TOPICS))
      for (const table of tables) expect(h.db.get("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?", [table]), table).toBeTruthy();
  });

  it('a new site and a status move raise the sites version only; an audit record or a session raises none', () => {
    const before = versions(h);
    const id = createSite(h.ctx, ADMIN, {
      name: '测试砂石料场',
      category: 'sand_yard',
      lon: POINTS['411102'][0],
      lat: POINTS['411102'][1],
      discoveredOn: '2022-01-01',
    });
    const afterCreate = versions(h);
    expect(afterCreate.sites).toBeGreaterThan(before.sites!);
    for (const topic of topics.filter((t) => t !== 'sites')) expect(afterCreate[topic], topic).toBe(before[topic]);

    moveSiteStatus(h.ctx, ADMIN, id, { to: 'rectifying', date: '2022-02-01' });
    const afterMove = versions(h);
    expect(afterMove.sites).toBeGreaterThan(afterCreate.sites!);

    h.db.run(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) SELECT 'x', id, 'c', '2026-01-01', '2026-01-01' FROM users LIMIT 1",
    );
    appendAudit(h.db, { actor: 'operator', role: 'admin', address: null, action: 'sign_in.failed', target: 'user:operator' });
    expect(versions(h)).toEqual(afterMove);
  });

  it('a memo keeps its value across writes to other topics and rebuilds after a write to its own', () => {
    let builds = 0;
    const memo = new ChangeMemo<number>(h.db, ['sites'], 4);
    const build = () => ++builds;
    memo.get('k', build);
    h.db.run('UPDATE road_segments SET road_name = road_name WHERE id = (SELECT min(id) FROM road_segments)');
    expect(memo.get('k', build)).toBe(1);
    h.db.run('UPDATE sites SET name = name WHERE id = (SELECT min(id) FROM sites)');
    expect(memo.get('k', build)).toBe(2);
  });

  it('a write committed by another connection shows in the versions this connection reads next', () => {
    const before = versions(h);
    expect(versions(h)).toEqual(before);
    const other = openDatabase(join(dir, 'sansan.db'));
    try {
      other.run('UPDATE sites SET name = name WHERE id = (SELECT min(id) FROM sites)');
      const afterSites = versions(h);
      expect(afterSites.sites).toBeGreaterThan(before.sites!);
      other.transaction(() => other.run("UPDATE users SET disabled = disabled WHERE username = 'admin'"));
      const afterUsers = versions(h);
      expect(afterUsers.users).toBeGreaterThan(before.users!);
      expect(afterUsers.sites).toBe(afterSites.sites);
    } finally {
      other.close();
    }
    // and this connection's own write, right after
    h.db.run('UPDATE road_segments SET road_name = road_name WHERE id = (SELECT min(id) FROM road_segments)');
    expect(versions(h).roads).toBeGreaterThan(before.roads!);
  });

  it("/api/health's site count, kept per sites version, follows a new site", async () => {
    const count = async () => (await h.get<{ sites: number }>('/api/health')).body.sites;
    const before = await count();
    expect(await count()).toBe(before);
    createSite(h.ctx, ADMIN, { name: '新砂石料场', category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1], discoveredOn: '2022-01-01' });
    expect(await count()).toBe(before + 1);
  });
});
