// Commit and undo of a ledger batch as sets of statements (its per-row triggers suspended inside
// the transaction, as the commit's are): the database ends as it was before the commit — sites,
// events, the R*Tree, the triggers — with the `sites` data version raised and every removed or
// restored site named in site_changes (migration 015) for the incremental readers; a failure in the
// middle leaves the committed batch and the triggers exactly as they were.
import { beforeEach, describe, expect, it } from 'vitest';
import { siteFeatureJson } from '../server/store/site-queries.ts';
import { bootTestApp, createSite, expectError, type Harness } from './helpers/app.ts';

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});

const LEDGER =
  '名称,地址,经度,纬度,类型,状态,发现时间,责任单位,所属县区\n' +
  '黄河路砂石料场,黄河路1号,113.951,33.5505,砂石料场,整改中,2021-01-10,源汇区环保分局,\n' + // 2: updates the existing site
  '新砖窑甲,,113.94,33.85,砖窑,已取缔,2022-01-01,,\n' + // 3
  '新砖窑乙,,113.80,33.70,砖窑,,2022-02-01,,\n' + // 4
  '无坐标料场,郾城区某路,,,砂石料场,,2022-03-01,,郾城区\n'; // 5: unlocated

function state() {
  return {
    // Each site's row with its feature's properties as the API answers them.
    sites: h.db.all<Record<string, unknown>>('SELECT * FROM sites ORDER BY id').map((row): Record<string, unknown> => ({
      ...row,
      feature: (JSON.parse(siteFeatureJson(h.db, row.id as number)!) as { properties: object }).properties,
    })),
    events: h.db.all('SELECT * FROM site_events ORDER BY id'),
    rtree: h.db.all('SELECT * FROM sites_rtree ORDER BY id'),
    triggers: h.db.all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"),
    statusNotLastEvent: h.db.get<{ n: number }>(
      'SELECT count(*) AS n FROM sites s WHERE status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = s.id ORDER BY e.date DESC, e.id DESC LIMIT 1)',
    )!.n,
  };
}
const changedSince = (version: number) => h.db.all<{ site_id: number }>('SELECT site_id FROM site_changes WHERE seq >= ?', [version]).map((r) => r.site_id);
const sitesVersion = () => h.db.get<{ v: number }>("SELECT version AS v FROM data_versions WHERE topic = 'sites'")!.v;
/** A site's row without what an undo may move on (its version, when, and the feature carrying both). */
const settled = (row: Record<string, unknown>) => {
  const { version: _v, updated_at: _u, feature: _f, ...rest } = row;
  return rest;
};

async function committedBatch() {
  const existing = await createSite(
    h,
    { name: '黄河路砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', address: '黄河路1号' },
    '411102',
  );
  const before = state();
  const versionBefore = sitesVersion();
  const form = new FormData();
  form.append('file', new File(['\uFEFF' + LEDGER], 'undo.csv'));
  form.append('options', JSON.stringify({ crs: 'wgs84', duplicates: 'update' }));
  const previewed = await h.request('/api/imports', { method: 'POST', body: form });
  expect(previewed.status).toBe(201);
  const { id } = (await previewed.json()) as { id: number };
  const committed = await h.send('POST', `/api/imports/${id}/commit`, {});
  expect(committed.body).toMatchObject({ created: 3, updated: 1, errors: 0 });
  // The commit names every site it wrote in site_changes too (its per-row triggers suspended).
  const written = [...h.db.all<{ id: number }>('SELECT id FROM sites WHERE import_batch = ?', [id]).map((r) => r.id), existing.id];
  expect(changedSince(versionBefore)).toEqual(expect.arrayContaining(written));
  return { id, existing, before };
}

describe('undo of a committed batch, set-based', () => {
  it('leaves the database as before the commit, raises the sites version and names every site it touched in site_changes', async () => {
    const { id, existing, before } = await committedBatch();
    const created = h.db.all<{ id: number }>('SELECT id FROM sites WHERE import_batch = ?', [id]).map((r) => r.id);
    expect(created).toHaveLength(3);
    const versionBefore = sitesVersion();

    const undone = await h.send('DELETE', `/api/imports/${id}`, {});
    expect(undone.body).toEqual({ id, state: 'undone', removed: 3, restored: 1 });

    const after = state();
    expect(after.sites.map(settled)).toEqual(before.sites.map(settled));
    expect({ events: after.events, rtree: after.rtree, triggers: after.triggers }).toEqual({
      events: before.events,
      rtree: before.rtree,
      triggers: before.triggers,
    });
    expect(after.statusNotLastEvent).toBe(0);
    // The restored site: its version moved on (the commit's move and edit, the undo's edit), its feature says so.
    const restored = after.sites.find((s) => s.id === existing.id)!;
    const was = before.sites.find((s) => s.id === existing.id)!;
    expect(restored.version).toBe((was.version as number) + 3);
    expect(restored.feature).toEqual({
      ...(was.feature as object),
      version: restored.version,
      updatedAt: restored.updated_at,
    });
    expect(sitesVersion()).toBeGreaterThan(versionBefore);
    expect(changedSince(versionBefore)).toEqual(expect.arrayContaining([...created, existing.id]));
    // The audit record says the same.
    expect(JSON.parse(h.db.get<{ after: string }>("SELECT after FROM audit_log WHERE action = 'import.undo' AND target = ?", [`import:${id}`])!.after)).toEqual(
      {
        state: 'undone',
        removed: 3,
        restored: 1,
      },
    );
  });

  it('a failure in the middle of an undo leaves the batch committed and every trigger in place', async () => {
    const { id } = await committedBatch();
    const held = state();
    h.db.raw.exec("CREATE TEMP TRIGGER boom BEFORE DELETE ON sites WHEN OLD.name = '新砖窑乙' BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
    expect((await h.send('DELETE', `/api/imports/${id}`, {})).status).toBe(500);
    h.db.raw.exec('DROP TRIGGER boom');
    expect(state()).toEqual(held);
    expect(h.db.get('SELECT state FROM import_batches WHERE id = ?', [id])).toEqual({ state: 'committed' });
    expect((await h.send('DELETE', `/api/imports/${id}`, {})).body).toMatchObject({ state: 'undone', removed: 3, restored: 1 });
    expectError(await h.send('DELETE', `/api/imports/${id}`, {}), 409, 'import_not_committed');
  });
});
