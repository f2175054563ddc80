// A ledger's commit runs on the import worker thread with its own connection (issue 20): while a
// large commit holds the write lock, the server still answers — /api/health and the import list —
// from the committed data (none of the batch's sites yet); then the commit answers with its counts,
// the sites data version is raised, its audit record verifies, and a refusal from the thread comes
// back as the same error (status, code, details).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDatabase, previewLedger, startCommit, startServer, stopServers, writeLocked } from './helpers/import-server.ts';

const ROWS = 60_000;

afterEach(stopServers);

const sitesVersion = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("SELECT version FROM data_versions WHERE topic = 'sites'").pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('an import commit off the request thread', () => {
  it('the server answers others while a large commit holds the write lock', { timeout: 300_000 }, async () => {
    const { dbPath, auth, csv } = ledgerDatabase(ROWS);
    const running = await startServer(dbPath);
    const base = `http://127.0.0.1:${running.port}/api`;
    const uploaded = await previewLedger(running.port, auth, csv);
    expect(uploaded.status).toBe(201);
    const before = (await (await fetch(`${base}/health`)).json()) as { sites: number };
    const versionBefore = sitesVersion(dbPath);

    const { answer } = await startCommit(running.port, auth, dbPath, uploaded.body.id);
    const health = await fetch(`${base}/health`);
    const list = await fetch(`${base}/imports`, { headers: auth });
    // Both answered while the commit still holds its transaction (on the request thread, they could not have).
    expect(writeLocked(dbPath)).toBe(true);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, sites: before.sites });
    expect(await list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: uploaded.body.id, state: 'preview' })]));

    const committed = (await answer) as Response;
    expect(committed.status).toBe(200);
    expect(await committed.json()).toMatchObject({ id: uploaded.body.id, created: ROWS, errors: 0 });
    expect(((await (await fetch(`${base}/health`)).json()) as { sites: number }).sites).toBe(before.sites + ROWS);
    expect(sitesVersion(dbPath)).toBeGreaterThan(versionBefore);
    expect(await (await fetch(`${base}/audit/verify`, { headers: auth })).json()).toMatchObject({ ok: true });

    // A refusal made on the thread arrives as itself.
    const again = await fetch(`${base}/imports/${uploaded.body.id}/commit`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'import_not_preview', details: { id: uploaded.body.id, state: 'committed' } } });
  });
});
