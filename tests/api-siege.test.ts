// /api/analysis/siege and /api/analysis/cores through the API: the result names its core, bad
// parameters are 400s that say why, planners' cores are saved, downloads carry the cells.
import { circle, destination } from '@turf/turf';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { SIEGE_CSV_COLUMNS } from '../server/export/siege-csv.ts';
import { bootTestApp, expectError, FULL_CHECKLIST, TODAY, type Harness } from './helpers/app.ts';

const SEAT: [number, number] = [114.02047, 33.577333];
const at = (km: number, bearing: number) => destination(SEAT, km, bearing, { units: 'kilometers' }).geometry.coordinates as [number, number];

interface Siege {
  core: { id: string; name: string; isDefault: boolean };
  asOf: string | null;
  options: { bandsKm: number[]; sectors: number };
  cells: { features: { properties: { band: number; sector: number | null; count: number; siteIds: number[] } }[] };
  summary: { sites: number; insideCore: number; occupancy: number; occupiedSectors: number; concretePlantsNearCore: { id: number; distanceKm: number }[] };
  definitions: Record<string, { zh: string; en: string }>;
  comparison: null | { closedOrMovedAway: { id: number }[]; appeared: { id: number }[] };
}

let h: Harness;

async function site(name: string, category: string, position: [number, number], discoveredOn = '2021-01-10', sector?: string) {
  const res = await h.send<{ id: number }>('POST', '/api/sites', {
    name,
    category,
    lon: position[0],
    lat: position[1],
    discoveredOn,
    ...(sector ? { sector } : {}),
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeEach(async () => {
  h = bootTestApp();
});

describe('GET /api/analysis/siege', () => {
  it('names the default core: a 6 km circle round the city government seat', async () => {
    const result = (await h.get<Siege>('/api/analysis/siege')).body;
    expect(result.core).toMatchObject({ id: 'default', isDefault: true });
    expect(result.core.name).toContain('6 公里');
  });

  it('counts open industrial sites by band and sector round a core, by hand', async () => {
    // A 2 km circle round the seat (the 6 km default would put a site 9 km south outside Luohe).
    // Due north, east, south and west, 3 km outside it: band [2,5), sectors 0, 4, 8, 12.
    const core = circle(SEAT, 2, { steps: 128, units: 'kilometers' }).geometry;
    const saved = await h.send<{ properties: { id: string } }>('POST', '/api/analysis/cores', { name: '两公里核心区', geometry: core });
    const ids = [];
    for (const bearing of [0, 90, 180, 270]) ids.push(await site(`测试砂石料场${bearing}`, 'sand_yard', at(5, bearing)));
    const inside = await site('核心区内商混站', 'concrete_plant', at(1, 45));
    await site('农业散乱污', 'scattered_firm', at(5, 45), '2021-01-10', 'agricultural');
    const res = await h.get<Siege>(`/api/analysis/siege?core=${saved.body.properties.id}`);
    expect(res.status).toBe(200);
    const result = res.body;
    expect(result.core).toMatchObject({ name: '两公里核心区', isDefault: false });
    expect(result.summary.sites).toBe(5);
    expect(result.summary.insideCore).toBe(1);
    expect(result.summary.occupiedSectors).toBe(4);
    expect(result.summary.occupancy).toBe(4 / 16);
    const placed = (id: number) => result.cells.features.find((cell) => cell.properties.siteIds.includes(id))!.properties;
    expect(ids.map((id) => [placed(id).band, placed(id).sector])).toEqual([
      [2, 0],
      [2, 4],
      [2, 8],
      [2, 12],
    ]);
    expect(placed(inside)).toMatchObject({ band: 0, sector: null });
    expect(result.summary.concretePlantsNearCore).toEqual([expect.objectContaining({ id: inside, distanceKm: 0 })]);
    expect(Object.keys(result.definitions)).toContain('occupancy');
    expect(result.definitions.occupancy!.zh).toMatch(/占据率/);
  });

  it('leaves closed sites out, and compares two dates', async () => {
    const closing = await site('将关停料场', 'sand_yard', at(9, 0), '2021-01-10');
    const later = await site('后来发现料场', 'sand_yard', at(9, 90), '2022-06-01');
    expect((await h.send('POST', `/api/sites/${closing}/events`, { to: 'closed', date: '2022-03-01', checklist: FULL_CHECKLIST })).status).toBe(201);
    const now = (await h.get<Siege>('/api/analysis/siege?compareTo=2021-06-30')).body;
    expect(now.summary.sites).toBe(1);
    expect(now.comparison!.closedOrMovedAway.map((p) => p.id)).toEqual([closing]);
    expect(now.comparison!.appeared.map((p) => p.id)).toEqual([later]);
    const before = (await h.get<Siege>('/api/analysis/siege?asOf=2021-06-30')).body;
    expect(before.asOf).toBe('2021-06-30');
    expect(before.summary.sites).toBe(1);
    expect(before.cells.features.flatMap((c) => c.properties.siteIds)).toEqual([closing]);
  });

  it.each([
    ['bands=0,5,2', 'bands', /strictly increasing/],
    ['bands=1,2,5', 'bands', /start at 0/],
    ['bands=0,x', 'bands', /not a number/],
    ['sectors=0', 'sectors', /1 to 64/],
    ['sectors=2.5', 'sectors', /whole number/],
    ['nearKm=0', 'nearKm', /greater than 0/],
    ['minSites=0', 'minSites', /at least 1/],
    ['categories=nope', 'category', /unknown category/],
    ['asOf=2021-02-30', 'asOf', /not a date/],
  ])('refuses %s with a 400 naming %s', async (query, parameter, why) => {
    const error = expectError(await h.get(`/api/analysis/siege?${query}`), 400, 'bad_parameter');
    expect(error.details.parameter).toBe(parameter);
    expect(error.message).toMatch(why);
  });

  it('is a 404 for a core that does not exist', async () => {
    expectError(await h.get('/api/analysis/siege?core=42'), 404);
  });

  it('downloads the cells as GeoJSON and the table as CSV: Chinese headers, English in row 2, the core and date in the file name', async () => {
    await site('下载用料场', 'sand_yard', at(9, 0));
    const geojson = await h.request('/api/analysis/siege?format=geojson&sectors=8');
    expect(geojson.headers.get('content-type')).toMatch(/geo\+json/);
    const fileNames = (res: Response) => {
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; /);
      return [/filename="([^"]+)"/.exec(disposition)![1], decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!)];
    };
    expect(fileNames(geojson)).toEqual([`siege-cells_core-default_${TODAY}.geojson`, `工业围城_默认核心区（市政府周边 6 公里）_${TODAY}.geojson`]);
    const cells = (await geojson.json()) as { features: unknown[] };
    expect(cells.features).toHaveLength(1 + 4 * 8);
    const csv = await h.request('/api/analysis/siege?format=csv&sectors=8&asOf=2021-06-30');
    expect(fileNames(csv)).toEqual(['siege-cells_core-default_2021-06-30.csv', '工业围城_默认核心区（市政府周边 6 公里）_2021-06-30.csv']);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Excel and WPS read UTF-8
    const rows = parse(Buffer.from(bytes), { bom: true }) as string[][];
    expect(rows[0]!.slice(0, 11)).toEqual(SIEGE_CSV_COLUMNS.map(([zh]) => zh));
    expect(rows[0]!.slice(0, 3)).toEqual(['核心区', '状态日期', '距离带']);
    expect(rows[0]).toContain('砂石料场');
    expect(rows[1]!.slice(0, 11)).toEqual(SIEGE_CSV_COLUMNS.map(([, en]) => en));
    expect(rows[1]).toContain('sand_yard');
    for (const header of rows[0]!) expect(header).toMatch(/[\u4e00-\u9fff]/);
    expect(rows).toHaveLength(2 + 1 + 4 * 8);
    expect(rows[2]!.slice(0, 3)).toEqual(['默认核心区（市政府周边 6 公里）', '2021-06-30', '核心区内']);
    expect(rows.slice(2).reduce((sum, row) => sum + Number(row[9]), 0)).toBe(1);
  });
});

describe('/api/analysis/cores', () => {
  const square = (lon: number, lat: number, d = 0.03) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  });

  it('lists the default core first, saves a drawn one, and the analysis uses it by id', async () => {
    const before = (await h.get<{ features: { properties: { id: string; isDefault: boolean } }[] }>('/api/analysis/cores')).body;
    expect(before.features.map((f) => f.properties)).toEqual([expect.objectContaining({ id: 'default', isDefault: true })]);
    const saved = await h.send<{ properties: { id: string; name: string } }>('POST', '/api/analysis/cores', {
      name: '老城区',
      geometry: square(114.02, 33.58),
    });
    expect(saved.status).toBe(201);
    const id = saved.body.properties.id;
    const result = (await h.get<Siege>(`/api/analysis/siege?core=${id}`)).body;
    expect(result.core).toMatchObject({ id, name: '老城区', isDefault: false });
    expect((await h.get<{ features: unknown[] }>('/api/analysis/cores')).body.features).toHaveLength(2);
  });

  it('refuses a core that is not a valid polygon, and a name already taken', async () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [114, 33.5],
          [114.1, 33.6],
          [114.1, 33.5],
          [114, 33.6],
          [114, 33.5],
        ],
      ],
    };
    const error = expectError(await h.send('POST', '/api/analysis/cores', { name: '自交', geometry: bowtie }), 400);
    expect(error.details.field).toBe('geometry');
    expect(error.message).toMatch(/not a valid polygon/);
    expect((await h.send('POST', '/api/analysis/cores', { name: '老城区', geometry: square(114.02, 33.58) })).status).toBe(201);
    expectError(await h.send('POST', '/api/analysis/cores', { name: '老城区', geometry: square(114.0, 33.5) }), 409, 'name_taken');
    expect((await h.get<{ features: unknown[] }>('/api/analysis/cores')).body.features).toHaveLength(2);
  });
});
