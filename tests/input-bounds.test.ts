// Inputs the API refuses are refused everywhere: names with lone surrogates, NUL or only invisible
// characters, stored NFC; the same limits through a ledger import as through the API (a 5 MB name);
// saved cores and roads only with real positions (numbers, in range) and a bounded number of vertices.
import { describe, expect, it } from 'vitest';
import { MAX_CORE_VERTICES } from '../server/routes/analysis-siege.ts';
import { bootTestApp, expectError, POINTS, type Harness, type SiteFeature } from './helpers/app.ts';

const site = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  category: 'sand_yard',
  lon: POINTS['411102'][0],
  lat: POINTS['411102'][1],
  discoveredOn: '2022-01-01',
  ...extra,
});
const square = (lon: unknown, lat: unknown, d = 0.03) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [Number(lon) + d, lat],
      [Number(lon) + d, Number(lat) + d],
      [lon, Number(lat) + d],
      [lon, lat],
    ],
  ],
});

async function importCsv(h: Harness, csv: string) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'ledger.csv');
  form.append('options', JSON.stringify({ crs: 'wgs84' }));
  const res = await h.request('/api/imports', { method: 'POST', body: form });
  return {
    status: res.status,
    body: (await res.json()) as { rows: { row: number; outcome: string; errors: { column: string | null; code: string; message: string }[] }[] },
  };
}

describe('names', () => {
  it('refuses lone surrogates, NUL and invisible-only text, naming the field; stores NFC', async () => {
    const h = bootTestApp();
    const before = h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n;
    for (const name of ['料场\uD800', '料\u0000场', '\u200B\u200D\uFEFF', '料场\n二号'])
      expect(expectError(await h.send('POST', '/api/sites', site(name)), 400).details.field, JSON.stringify(name)).toBe('name');
    expect(expectError(await h.send('POST', '/api/sites', site('料场', { note: 'a\u0000b' })), 400).details.field).toBe('note');
    expect(h.db.get<{ n: number }>('SELECT count(*) AS n FROM sites')!.n).toBe(before);
    const decomposed = 'Cafe\u0301 料场'; // e + combining acute
    const created = await h.send<SiteFeature>('POST', '/api/sites', site(decomposed));
    expect(created.status, created.text).toBe(201);
    expect(created.body.properties.name).toBe('Caf\u00e9 料场');
    expect(h.db.get<{ name: string }>('SELECT name FROM sites WHERE id = ?', [created.body.id])!.name).toBe('Caf\u00e9 料场');
  });

  it('a ledger import applies the same limits and rules: a 5 MB name is a row error, not a site', async () => {
    const h = bootTestApp();
    const huge = '料'.repeat((5 * 1024 * 1024) / 3);
    const csv = `名称,类别,经度,纬度,备注\n${huge},砂石料场,113.95,33.55,\n\u200B\u200B,砂石料场,113.95,33.55,\n正常料场,砂石料场,113.96,33.56,${'注'.repeat(2001)}\n好料场,砂石料场,113.97,33.57,好\n`;
    const { status, body } = await importCsv(h, csv);
    expect(status).toBe(201);
    const byRow = new Map(body.rows.map((row) => [row.row, row]));
    expect(byRow.get(2)!.outcome).toBe('error');
    expect(byRow.get(2)!.errors).toEqual([expect.objectContaining({ column: '名称', code: 'too_long' })]);
    expect(byRow.get(3)!.errors).toEqual([expect.objectContaining({ column: '名称', code: 'bad_text' })]);
    expect(byRow.get(4)!.errors).toEqual([expect.objectContaining({ column: '备注', code: 'too_long' })]);
    expect(byRow.get(5)!.outcome).toBe('new');
  });
});

describe('positions of saved cores and roads', () => {
  it('refuses string coordinates and longitude 500 for a core and a road; nothing is stored', async () => {
    const h = bootTestApp();
    const cores = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM urban_cores')!.n;
    const roads = () => h.db.get<{ n: number }>('SELECT count(*) AS n FROM road_segments')!.n;
    const [coresBefore, roadsBefore] = [cores(), roads()];
    expectError(await h.send('POST', '/api/analysis/cores', { name: '字符串坐标', geometry: square('114.0', '33.5') }), 400);
    expectError(await h.send('POST', '/api/analysis/cores', { name: '经度500', geometry: square(500, 33.5) }), 400);
    const road = (coordinates: unknown) => ({ roadName: '测试路', severity: 'minor', reportedOn: '2021-01-01', geometry: { type: 'LineString', coordinates } });
    expectError(
      await h.send(
        'POST',
        '/api/roads',
        road([
          ['114.15', '33.57'],
          ['114.17', '33.58'],
        ]),
      ),
      400,
    );
    expectError(
      await h.send(
        'POST',
        '/api/roads',
        road([
          [500, 33.57],
          [114.17, 33.58],
        ]),
      ),
      400,
    );
    expect([cores(), roads()]).toEqual([coresBefore, roadsBefore]);
    // A real core still saves, and the analysis runs on it.
    const saved = await h.send<{ properties: { id: string } }>('POST', '/api/analysis/cores', { name: '真实核心', geometry: square(114.0, 33.55) });
    expect(saved.status, saved.text).toBe(201);
    expect((await h.get(`/api/analysis/siege?core=${saved.body.properties.id}`)).status).toBe(200);
  });

  it(`refuses a core of more than ${MAX_CORE_VERTICES} positions before any geometry work`, async () => {
    const h = bootTestApp();
    const n = MAX_CORE_VERTICES + 10;
    const ring = Array.from({ length: n }, (_, i) => [114 + 0.05 * Math.cos((2 * Math.PI * i) / n), 33.55 + 0.05 * Math.sin((2 * Math.PI * i) / n)]);
    ring.push(ring[0]!);
    const error = expectError(await h.send('POST', '/api/analysis/cores', { name: '巨型核心', geometry: { type: 'Polygon', coordinates: [ring] } }), 400);
    expect(error.message).toMatch(new RegExp(`at most ${MAX_CORE_VERTICES}`));
  });
});
