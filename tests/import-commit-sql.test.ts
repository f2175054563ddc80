// The commit writes new sites set-based in SQL from the staged rows (server/store/import-commit.ts):
// what it writes must be what the per-row path wrote — sites whose features name their places, the
// ids in file order, the stated status as recordLedgerStatus words it, the flagged duplicates as chosen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../server/db/migrate.ts';
import { siteFeatureJson } from '../server/store/site-queries.ts';
import { bootTestApp, createSite, type Harness } from './helpers/app.ts';

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});
afterEach(() => h.db.close());

async function previewOf(fileName: string, csv: string, options: Record<string, unknown>) {
  const form = new FormData();
  form.append('file', new File([csv], fileName));
  form.append('options', JSON.stringify(options));
  const response = await h.request('/api/imports', { method: 'POST', body: form });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; counts: Record<string, number> };
}

const LEDGER = [
  '企业名称,详细地址,经度,纬度,县区,乡镇/街道,行业,整治状态,排查时间,整改时限,责任单位,备注',
  '引号"和\\反斜杠的料场,源汇区黄河路1号,113.95,33.55,源汇区,,砂石料场,已取缔,2021-01-10,2021-06-30,源汇区生态环境分局,备注一', // 2
  '召陵塑料颗粒作坊,,,,召陵区,召陵镇,散乱污,,2022-05-01,,,无坐标', // 3: unlocated, a township
  '坏行,,113.94,33.85,临颍县,,未知行业,整改中,2022-01-01,,,', // 4: an error
  '黄河路砂石料场,黄河路1号,113.951,33.5505,源汇区,,砂石料场,整改中,2021-01-10,,,', // 5: a database duplicate
  '新砖窑,,113.94,33.85,临颍县,,砖瓦窑,已取缔,2022-01-01,,,', // 6
  '新砖窑,,113.9405,33.85,临颍县,,砖瓦窑,,2022-01-01,,,', // 7: repeats row 6
  '舞阳洗车场,,113.66,33.56,舞阳县,,砂石料场,整改中,2022-01-01,,,第七行', // 8
].join('\n');

describe('the set-based commit', () => {
  it('writes each new site with a feature naming its places, ids in file order, events as the per-row path wrote them', async () => {
    const existing = await createSite(
      h,
      { name: '黄河路砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', address: '黄河路1号' },
      '411102',
    );
    const p = await previewOf('台账"甲".csv', LEDGER, { crs: 'wgs84' });
    expect(p.counts).toMatchObject({ rows: 7, error: 1, duplicate: 2 });
    const commit = await h.send<Record<string, number>>('POST', `/api/imports/${p.id}/commit`, { rows: { '5': 'update', '7': 'keep' } });
    expect(commit.body).toMatchObject({ created: 5, updated: 1, skipped: 0, errors: 1 });

    const marks = h.db.all<{ row: number; action: string | null; site_id: number | null; site_version: number | null }>(
      `SELECT r.row, m.action, m.site_id, m.site_version FROM import_rows r LEFT JOIN import_results m ON m.batch_id = r.batch_id AND m.row = r.row
       WHERE r.batch_id = ? ORDER BY r.row`,
      [p.id],
    );
    const firstNew = existing.id + 1;
    expect(marks).toEqual([
      { row: 2, action: 'created', site_id: firstNew, site_version: 1 },
      { row: 3, action: 'created', site_id: firstNew + 1, site_version: 1 },
      { row: 4, action: null, site_id: null, site_version: null },
      {
        row: 5,
        action: 'updated',
        site_id: existing.id,
        site_version: h.db.get<{ v: number }>('SELECT version AS v FROM sites WHERE id = ?', [existing.id])!.v,
      },
      { row: 6, action: 'created', site_id: firstNew + 2, site_version: 1 },
      { row: 7, action: 'created', site_id: firstNew + 3, site_version: 1 },
      { row: 8, action: 'created', site_id: firstNew + 4, site_version: 1 },
    ]);
    const names = h.db.all<{ id: number; name: string }>('SELECT id, name FROM sites WHERE import_batch = ? ORDER BY id', [p.id]);
    expect(names.map((s) => s.name)).toEqual(['引号"和\\反斜杠的料场', '召陵塑料颗粒作坊', '新砖窑', '新砖窑', '舞阳洗车场']);

    // Every touched site's feature names its county as the counties table does.
    const touched = h.db.all<{ id: number; county: string }>(
      'SELECT s.id, c.name AS county FROM sites s JOIN counties c ON c.code = s.county_code WHERE s.import_batch = ? OR s.id = ? ORDER BY s.id',
      [p.id, existing.id],
    );
    expect(touched).toHaveLength(6);
    for (const site of touched)
      expect((JSON.parse(siteFeatureJson(h.db, site.id)!) as { properties: Record<string, unknown> }).properties.countyName).toBe(site.county);
    const props = (JSON.parse(siteFeatureJson(h.db, firstNew + 1)!) as { properties: Record<string, unknown> }).properties;
    expect(props).toMatchObject({ name: '召陵塑料颗粒作坊', township: expect.any(String), townshipName: '召陵镇', precision: 'unlocated', version: 1 });

    // Events: the discovered one with the row's note, then the stated status worded as recordLedgerStatus does.
    const events = h.db.all<{ site_id: number; from_status: string | null; to_status: string; note: string | null; details: string | null }>(
      'SELECT site_id, from_status, to_status, note, details FROM site_events WHERE import_batch = ? AND site_id >= ? ORDER BY site_id, id',
      [p.id, firstNew],
    );
    // As the upload named it (the form data escapes its quotes).
    const file = h.db.get<{ f: string }>('SELECT file_name AS f FROM import_batches WHERE id = ?', [p.id])!.f;
    expect(events.filter((e) => e.site_id === firstNew)).toEqual([
      { site_id: firstNew, from_status: null, to_status: 'discovered', note: '备注一', details: null },
      {
        site_id: firstNew,
        from_status: 'discovered',
        to_status: 'closed',
        note: `按台账记载（${file}，第 ${p.id} 批，第 2 行：已取缔）`,
        details: JSON.stringify({ source: 'ledger', batch: p.id, file, row: 2, word: '已取缔' }),
      },
    ]);
    expect(events.filter((e) => e.site_id === firstNew + 1).map((e) => e.to_status)).toEqual(['discovered']);
    // Each site's status is its last event's; the R*Tree holds the located ones.
    expect(
      h.db.all(
        'SELECT id FROM sites WHERE status IS NOT (SELECT to_status FROM site_events e WHERE e.site_id = sites.id ORDER BY e.date DESC, e.id DESC LIMIT 1)',
      ),
    ).toEqual([]);
    expect(h.db.all<{ id: number }>('SELECT id FROM sites_rtree WHERE id >= ? ORDER BY id', [firstNew]).map((r) => r.id)).toEqual([
      firstNew,
      firstNew + 2,
      firstNew + 3,
      firstNew + 4,
    ]);
  });
});

describe('migration 018 on an existing database', () => {
  it('moves a committed batch’s marks from import_rows to import_results; the batch still undoes', async () => {
    const p = await previewOf('旧.csv', LEDGER, { crs: 'wgs84', duplicates: 'keep' });
    expect((await h.send('POST', `/api/imports/${p.id}/commit`, {})).status).toBe(200);
    const results = h.db.all('SELECT * FROM import_results ORDER BY batch_id, row');
    expect(results).toHaveLength(6);
    // The database as 017 left it: the marks on the staged rows, no import_results.
    h.db.transaction(() => {
      h.db.run(
        `UPDATE import_rows SET action = m.action, site_id = m.site_id, site_version = m.site_version, before = m.before
         FROM import_results m WHERE m.batch_id = import_rows.batch_id AND m.row = import_rows.row`,
      );
      h.db.run('DROP TABLE import_results');
      h.db.run('DELETE FROM schema_version WHERE version = 18');
    });
    expect(migrate(h.db)).toEqual([18]);
    expect(h.db.all('SELECT * FROM import_results ORDER BY batch_id, row')).toEqual(results);
    expect(
      h.db.get('SELECT count(*) AS n FROM import_rows WHERE action IS NOT NULL OR site_id IS NOT NULL OR site_version IS NOT NULL OR before IS NOT NULL'),
    ).toEqual({
      n: 0,
    });
    expect((await h.send('DELETE', `/api/imports/${p.id}`, {})).body).toMatchObject({ state: 'undone', removed: 6 });
    expect(h.db.get('SELECT count(*) AS n FROM sites WHERE import_batch = ?', [p.id])).toEqual({ n: 0 });
  });
});
