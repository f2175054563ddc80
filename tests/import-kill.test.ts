// A ledger commit is one transaction: a kill -9 of the server in the middle of committing a large
// preview leaves the database exactly as before — integrity, counts, the R*Tree matching the sites
// table, the triggers the commit suspends inside its transaction, the audit chain — and the same
// preview commits after the restart.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDatabase, previewLedger, startCommit, startServer, stopServers } from './helpers/import-server.ts';

const ROWS = 30_000;

afterEach(stopServers);

/** Everything the commit writes or suspends, read through a connection of its own. */
function state(dbPath: string) {
  const db = new Database(dbPath);
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get();
    return {
      integrity: one('PRAGMA integrity_check'),
      sites: one('SELECT count(*) FROM sites'),
      events: one('SELECT count(*) FROM site_events'),
      rtree: one('SELECT count(*) FROM sites_rtree'),
      // The R*Tree holds exactly the located sites, each box (32-bit floats, rounded outwards) around its position.
      rtreeMismatch: one(
        `SELECT (SELECT count(*) FROM sites s LEFT JOIN sites_rtree r ON r.id = s.id WHERE s.lon IS NOT NULL
                   AND (r.id IS NULL OR NOT (r.min_lon <= s.lon AND s.lon <= r.max_lon AND r.min_lat <= s.lat AND s.lat <= r.max_lat)))
              + (SELECT count(*) FROM sites_rtree r LEFT JOIN sites s ON s.id = r.id WHERE s.id IS NULL OR s.lon IS NULL)`,
      ),
      statusNotLastEvent: one(
        'SELECT count(*) FROM sites s WHERE status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY e.date DESC, e.id DESC LIMIT 1)',
      ),
      batches: db.prepare('SELECT id, state, counts FROM import_batches ORDER BY id').all(),
      staged: one('SELECT count(*) FROM import_rows WHERE action IS NOT NULL OR site_id IS NOT NULL'),
      // What a commit did with each row (migration 018): nothing until it commits.
      results: one('SELECT count(*) FROM import_results'),
      versions: db.prepare('SELECT topic, version FROM data_versions ORDER BY topic').all(),
      audit: one('SELECT count(*) FROM audit_log'),
      triggers: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all(),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 in the middle of a large import commit', () => {
  it('leaves the database as before; after a restart the audit chain verifies and the same preview commits', { timeout: 300_000 }, async () => {
    const { dbPath, auth, csv } = ledgerDatabase(ROWS);

    let running = await startServer(dbPath);
    const uploaded = await previewLedger(running.port, auth, csv);
    expect(uploaded.status).toBe(201);
    const preview = uploaded.body;
    expect(preview.counts.new).toBe(ROWS);
    const before = state(dbPath);
    expect(before).toMatchObject({ integrity: 'ok', rtreeMismatch: 0, statusNotLastEvent: 0, staged: 0, results: 0 });

    // The commit is under way once it holds the write lock and its transaction has grown the WAL.
    const { answer: commit } = await startCommit(running.port, auth, dbPath, preview.id);
    running.server.kill('SIGKILL');
    await running.exited;
    expect(await commit).toBeInstanceOf(Error);

    expect(state(dbPath)).toEqual(before);

    running = await startServer(dbPath);
    const verify = await fetch(`http://127.0.0.1:${running.port}/api/audit/verify`, { headers: auth });
    expect(await verify.json()).toMatchObject({ ok: true });
    const again = await fetch(`http://127.0.0.1:${running.port}/api/imports/${preview.id}/commit`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await again.json()).toMatchObject({ created: ROWS, errors: 0 });
    running.server.kill('SIGTERM');
    await running.exited;
    const after = state(dbPath);
    expect(after).toMatchObject({ integrity: 'ok', rtreeMismatch: 0, statusNotLastEvent: 0, triggers: before.triggers });
    expect(after.sites).toBe((before.sites as number) + ROWS);
  });
});
