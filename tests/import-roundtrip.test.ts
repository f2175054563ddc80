// The round trip of issue 8: sites exported by GET /api/export, converted by GDAL's ogr2ogr (as a
// planner's QGIS would), imported into another database by POST /api/imports — the same sites come
// back, and the records that already exist there are flagged as duplicates, not written twice.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { bootTestApp, createSite, moveSite, walk, type Harness, type SiteTableRow } from './helpers/app.ts';
import { saveFile } from './helpers/gdal.ts';

const COLUMN_NAMES = [
  'name',
  'category',
  'status',
  'county_code',
  'township_code',
  'village_code',
  'lon',
  'lat',
  'precision',
  'discovered_on',
  'deadline',
  'responsible_unit',
  'address',
  'note',
] as const;
type Row = Pick<SiteTableRow, (typeof COLUMN_NAMES)[number]>;

const COLUMNS = COLUMN_NAMES.join(', ');
const rows = (h: Harness, where: string) => h.db.all<Row>(`SELECT ${COLUMNS} FROM sites WHERE ${where} ORDER BY name`);

let source: Harness;
let exported: Row[];

beforeAll(async () => {
  source = bootTestApp();
  const a = await createSite(
    source,
    {
      name: '黄河路砂石料场',
      category: 'sand_yard',
      lon: 113.951234,
      lat: 33.551234,
      discoveredOn: '2021-01-10',
      address: '源汇区黄河路1号',
      township: '空冢郭镇',
    },
    '411102',
  );
  await walk(source, a.id, ['rectifying', 'closed'], '2021-03-01');
  const b = await source.send<{ id: number }>('POST', '/api/sites', {
    name: '郾城商砼站',
    category: 'concrete_plant',
    lon: 113.93,
    lat: 33.67,
    discoveredOn: '2021-01-05',
    deadline: '2022-06-30',
    responsibleUnit: '郾城区住建局',
    note: '“六个百分之百”未落实',
  });
  expect(b.status, b.text).toBe(201);
  await moveSite(source, b.body.id, 'upgraded', '2021-04-01');
  await moveSite(source, b.body.id, 'verified', '2021-09-01');
  await createSite(source, { name: '临颍县流动加油车', category: 'fuel_point', lon: 113.94, lat: 33.85, discoveredOn: '2021-08-01' }, '411122');
  // Plus the plan's two real unlocated sites every database starts with (one at 空冢郭镇叶岗村).
  exported = rows(source, '1');
  expect(exported).toHaveLength(5);
});

async function importInto(target: Harness, fileName: string, bytes: Uint8Array, options: Record<string, unknown>) {
  const form = new FormData();
  form.append('file', new File([bytes as BlobPart], fileName));
  form.append('options', JSON.stringify(options));
  const res = await target.request('/api/imports', { method: 'POST', body: form });
  const preview = (await res.json()) as {
    id: number;
    counts: Record<string, number>;
    rows: { row: number; outcome: string; name: string; errors: unknown[]; duplicateOf: { siteId?: number } | null }[];
  };
  expect(res.status, JSON.stringify(preview).slice(0, 500)).toBe(201);
  const commit = await target.send('POST', `/api/imports/${preview.id}/commit`, {});
  expect(commit.status, commit.text).toBe(200);
  return { preview, commit: commit.body as { created: number; skipped: number } };
}

async function download(query: string): Promise<Uint8Array> {
  const res = await source.request(`/api/export?${query}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

describe('export → ogr2ogr → import', () => {
  it('XLSX export → ogr2ogr CSV → import: all five come back; the two plan sites the target already has are duplicates', async () => {
    const xlsx = saveFile(await download('format=xlsx'), 'xlsx');
    const csvPath = saveFile('', 'csv');
    rmSync(csvPath);
    execFileSync('ogr2ogr', ['-f', 'CSV', '-overwrite', csvPath, xlsx, '-oo', 'HEADERS=FORCE', '-oo', 'FIELD_TYPES=STRING', '三散污染源']);
    const target = bootTestApp();
    const { preview, commit } = await importInto(target, 'roundtrip.csv', readFileSync(csvPath), { crs: 'wgs84' });
    expect(preview.counts).toMatchObject({ rows: 5, new: 3, duplicate: 2, error: 0 });
    expect(
      preview.rows
        .filter((r) => r.outcome === 'duplicate')
        .map((r) => r.duplicateOf?.siteId)
        .sort(),
    ).toEqual([1, 2]);
    expect(commit).toMatchObject({ created: 3, skipped: 2 });
    const located = (rs: Row[]) => rs.filter((r) => r.lon !== null);
    expect(located(rows(target, 'import_batch IS NOT NULL'))).toEqual(located(exported));
  });

  it('GeoJSON export → ogr2ogr KML → import: the located sites come back with their positions and statuses', async () => {
    const geojson = saveFile(await download('format=geojson'), 'geojson');
    const kmlPath = saveFile('', 'kml');
    rmSync(kmlPath);
    execFileSync('ogr2ogr', ['-f', 'KML', '-overwrite', kmlPath, geojson, '-dsco', 'NameField=名称']);
    const target = bootTestApp();
    const { preview } = await importInto(target, 'roundtrip.kml', readFileSync(kmlPath), { crs: 'wgs84' });
    // GeoJSON keeps the unlocated plan sites with geometry null; they come back as the duplicates they are.
    expect(preview.counts).toMatchObject({ new: 3, error: 0 });
    const imported = rows(target, 'import_batch IS NOT NULL');
    expect(imported.map((r) => [r.name, r.status, r.county_code, r.lon, r.lat])).toEqual(
      exported.filter((r) => r.lon !== null).map((r) => [r.name, r.status, r.county_code, r.lon, r.lat]),
    );
  });
});
