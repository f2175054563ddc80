// GET /api/export: every format read back by GDAL (ogr2ogr), for sites and for road segments, with
// the filters of /api/sites. Fixture: the two real unlocated seed sites (ids 1, 2), three sites made
// here (one with < & in its name), the nine undrawn seed roads and one drawn road.
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { LEDGER_COLUMNS } from '../domain/ledger-columns.ts';
import { bootTestApp, createSite, expectError, moveSite, FULL_CHECKLIST, type Harness, type SiteCollection } from './helpers/app.ts';
import { parse } from 'csv-parse/sync';
import { ogrRead, ogrReadLayers, ogrSummary, saveFile } from './helpers/gdal.ts';

let h: Harness;
let roadId: number;
const TRICKY = '源汇区<黄河>砂石&料场"东"';

beforeAll(async () => {
  h = bootTestApp();
  const a = await createSite(
    h,
    { name: TRICKY, category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', address: '源汇区黄河路1号', note: '群众举报' },
    '411102',
  );
  await moveSite(h, a.id, 'closed', '2021-06-01', FULL_CHECKLIST);
  await createSite(h, { name: '郾城区商混站', category: 'concrete_plant', lon: 113.93, lat: 33.67, discoveredOn: '2021-01-05' }, '411103');
  await createSite(h, { name: '临颍县砂石堆场', category: 'sand_yard', lon: 113.94, lat: 33.85, discoveredOn: '2020-06-01', source: 'demo' }, '411122');
  const road = await h.send<{ id: number }>('POST', '/api/roads', {
    roadName: '召陵区黄河东路',
    severity: 'severe',
    reportedOn: '2021-03-01',
    geometry: {
      type: 'LineString',
      coordinates: [
        [114.15, 33.57],
        [114.17, 33.58],
      ],
    },
  });
  expect(road.status, road.text).toBe(201);
  roadId = road.body.id;
});

async function download(query: string) {
  const res = await h.request(`/api/export?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const SITE_COORDS = { [TRICKY]: [113.95, 33.55], 郾城区商混站: [113.93, 33.67], 临颍县砂石堆场: [113.94, 33.85] } as Record<string, [number, number]>;
const LOCATED = Object.keys(SITE_COORDS).sort();
const ALL_NAMES = [...LOCATED, '叶岗村散煤销售点', '郾襄路车管所停车场加油点'].sort();

describe('GET /api/export — sites', () => {
  it('CSV: UTF-8 with BOM, the ledger’s Chinese headers plus id, precision and source; GDAL reads names, coordinates and empty coordinates', async () => {
    const { res, bytes } = await download('format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = new TextDecoder()
      .decode(bytes)
      .replace(/^\ufeff/, '')
      .split('\r\n')[0]!
      .split(',');
    for (const column of LEDGER_COLUMNS) expect(header).toContain(column.zh);
    expect(header).toEqual(expect.arrayContaining(['编号', '定位精度', '数据来源', '县区代码']));

    const features = ogrRead(saveFile(bytes, 'csv'), { open: ['X_POSSIBLE_NAMES=经度', 'Y_POSSIBLE_NAMES=纬度'] });
    expect(features.map((f) => f.properties['名称']).sort()).toEqual(ALL_NAMES);
    for (const f of features) {
      const name = f.properties['名称'] as string;
      if (SITE_COORDS[name]) expect(f.geometry?.coordinates).toEqual(SITE_COORDS[name]);
      else {
        expect(f.geometry).toBeNull();
        expect(f.properties['定位精度']).toBe('未定位');
      }
    }
    const raw = parse(new TextDecoder().decode(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(raw.filter((row) => row['经度'] === '' && row['纬度'] === '').map((row) => row['编号'])).toEqual(['1', '2']);
    const tricky = features.find((f) => f.properties['名称'] === TRICKY)!.properties;
    expect(tricky).toMatchObject({
      地址: '源汇区黄河路1号',
      所属县区: '源汇区',
      类别: '砂石料场',
      整治状态: '已取缔',
      数据来源: '真实',
      备注: '群众举报',
      定位精度: '精确',
    });
    expect(features.find((f) => f.properties['名称'] === '临颍县砂石堆场')!.properties['数据来源']).toBe('演示');
    expect(res.headers.get('x-export-omitted')).toBe('0');
    expect(res.headers.get('x-export-records')).toBe('5');
  });

  it('XLSX: a sheet with Chinese headers that GDAL reads, and a 说明 sheet describing every column', async () => {
    const { bytes } = await download('format=xlsx');
    const path = saveFile(bytes, 'xlsx');
    const rows = ogrRead(path, { layer: '三散污染源' });
    expect(rows.map((f) => f.properties['名称']).sort()).toEqual(ALL_NAMES);
    const concrete = rows.find((f) => f.properties['名称'] === '郾城区商混站')!.properties;
    expect([concrete['经度'], concrete['纬度'], concrete['类别'], concrete['整治状态']]).toEqual([113.93, 33.67, '商混站', '已发现']);
    expect(rows.find((f) => f.properties['编号'] === 1)!.properties['经度'] ?? null).toBeNull(); // an empty cell

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['三散污染源', '说明']);
    const described = new Map<string, string>();
    book.getWorksheet('说明')!.eachRow((row) => {
      if (row.getCell(1).value === '三散污染源') described.set(String(row.getCell(2).value), String(row.getCell(4).value));
    });
    const headers = (book.getWorksheet('三散污染源')!.getRow(1).values as unknown[]).slice(1);
    expect([...described.keys()]).toEqual(headers); // every column described, in order
    for (const column of LEDGER_COLUMNS) expect(described.get(column.zh)).toBe(column.descriptionZh);
    expect(described.get('数据来源')).toContain('演示');
  });

  it('GeoJSON: every site, unlocated ones with geometry null', async () => {
    const { res, bytes } = await download('format=geojson');
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const features = ogrRead(saveFile(bytes, 'geojson'));
    expect(features).toHaveLength(5);
    expect(features.filter((f) => f.geometry === null).map((f) => f.properties['编号'])).toEqual([1, 2]);
    for (const f of features.filter((f) => f.geometry)) expect(f.geometry!.coordinates).toEqual(SITE_COORDS[f.properties['名称'] as string]);
  });

  it('KML: located sites only (the header counts the rest), one style per status in the map’s colours, < & in a name intact', async () => {
    const { res, bytes } = await download('format=kml');
    expect(res.headers.get('x-export-omitted')).toBe('2');
    expect(res.headers.get('x-export-records')).toBe('3');
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('<Style id="status-closed">');
    expect(text).toContain('<color>ff3e8a2b</color>'); // #2b8a3e, closed on the map
    expect(text).toContain('未定位的 2 条不在本文件中');
    const layers = ogrReadLayers(saveFile(bytes, 'kml'));
    expect(layers.map((l) => [l.layer, l.features.length])).toEqual([
      ['已发现（2）', 2],
      ['已取缔（1）', 1],
    ]); // a folder per status
    const features = layers.flatMap((l) => l.features);
    expect(features.map((f) => f.properties['Name']).sort()).toEqual(LOCATED);
    for (const f of features) expect((f.geometry!.coordinates as number[]).slice(0, 2)).toEqual(SITE_COORDS[f.properties['Name'] as string]);
    const tricky = features.find((f) => f.properties['Name'] === TRICKY)!.properties;
    expect(tricky).toMatchObject({ STATUS: '已取缔', CATEGORY: '砂石料场', SOURCE: '真实', PRECISION: '精确', ADDRESS: '源汇区黄河路1号' }); // ExtendedData (SchemaData)
    expect(tricky['description']).toContain('<th>整治状态</th><td>已取缔</td>');
    expect(tricky['description']).toContain('源汇区&lt;黄河&gt;砂石&amp;料场'); // HTML-escaped inside the description
  });

  it('Shapefile: a zip with .shp .shx .dbf .prj .cpg and a readme; GDAL reads Chinese attributes, points and WGS84', async () => {
    const { res, bytes } = await download('format=shp');
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('x-export-omitted')).toBe('2');
    const zip = await JSZip.loadAsync(bytes);
    const stem = 'sansan-sites_2022-12-31';
    expect(Object.keys(zip.files).sort()).toEqual(['readme.txt', `${stem}.cpg`, `${stem}.dbf`, `${stem}.prj`, `${stem}.shp`, `${stem}.shx`]);
    expect(await zip.file(`${stem}.cpg`)!.async('string')).toBe('UTF-8');
    expect(await zip.file('readme.txt')!.async('string')).toContain('RESP_UNIT   责任单位');

    const path = saveFile(bytes, 'zip');
    expect(ogrSummary(`/vsizip/${path}`)).toMatch(/Geometry: Point[\s\S]*Feature Count: 3[\s\S]*WGS[ _]84/);
    const features = ogrRead(`/vsizip/${path}`);
    expect(features.map((f) => f.properties['NAME']).sort()).toEqual(LOCATED);
    for (const f of features) expect(f.geometry!.coordinates).toEqual(SITE_COORDS[f.properties['NAME'] as string]);
    expect(features.find((f) => f.properties['NAME'] === TRICKY)!.properties).toMatchObject({
      COUNTY: '源汇区',
      CATEGORY: '砂石料场',
      STATUS: '已取缔',
      SOURCE: '真实',
      NOTE: '群众举报',
      LON: 113.95,
    });
  });

  it('names the file in Chinese (RFC 5987 filename*) with an ASCII fallback; asOf names the date', async () => {
    const { res } = await download('format=csv');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toContain('filename="sansan-sites_2022-12-31.csv"');
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe('三散污染源_2022-12-31.csv');
    const dated = (await download('format=kml&asOf=2021-03-01')).res.headers.get('content-disposition')!;
    expect(dated).toContain('sansan-sites_2021-03-01.kml');
  });

  it('applies the filters of /api/sites: a county, statuses, asOf and source give the same sites', async () => {
    for (const query of [
      'county=411102',
      'status=discovered',
      'county=411102,411103&status=closed,discovered',
      'asOf=2021-03-01',
      'asOf=2021-03-01&status=discovered',
      'source=demo',
      'located=false',
      'q=砂石',
    ]) {
      const list = await h.get<SiteCollection>(`/api/sites?${query}`);
      const ids = list.body.features.map((f) => f.id);
      expect(ids.length, query).toBeGreaterThan(0);
      const features = ogrRead(saveFile((await download(`format=geojson&${query}`)).bytes, 'geojson'));
      expect(
        features.map((f) => f.properties['编号']),
        query,
      ).toEqual(ids);
    }
    // on 2021-03-01 the sand yard was still discovered (closed on 2021-06-01)
    const before = ogrRead(saveFile((await download('format=geojson&asOf=2021-03-01&county=411102')).bytes, 'geojson'));
    expect(before.map((f) => [f.properties['名称'], f.properties['整治状态']])).toEqual([
      ['叶岗村散煤销售点', '已发现'],
      [TRICKY, '已发现'],
    ]);
  });

  it('refuses bad input with a 400 naming the parameter', async () => {
    expect(expectError(await h.get('/api/export?format=pdf'), 400, 'bad_parameter').details.parameter).toBe('format');
    expect(expectError(await h.get('/api/export'), 400, 'bad_parameter').details.parameter).toBe('format');
    expect(expectError(await h.get('/api/export?format=csv&status=gone'), 400, 'bad_parameter').details.parameter).toBe('status');
    expect(expectError(await h.get('/api/export?format=csv&county=999999'), 400, 'bad_parameter').details.parameter).toBe('county');
    expect(expectError(await h.get('/api/export?format=csv&layer=lakes'), 400, 'bad_parameter').details.parameter).toBe('layer');
    expect(expectError(await h.get('/api/export?format=csv&layer=roads&category=sand_yard'), 400, 'bad_parameter').details.parameter).toBe('category');
    expect(expectError(await h.get('/api/export?format=csv&layer=roads&status=closed'), 400, 'bad_parameter').details.parameter).toBe('status');
  });
});

describe('GET /api/export?layer=roads', () => {
  const LINE = [
    [114.15, 33.57],
    [114.17, 33.58],
  ];

  it('CSV and XLSX hold every segment, the line as WKT (empty while undrawn)', async () => {
    const csv = ogrRead(saveFile((await download('format=csv&layer=roads')).bytes, 'csv'));
    expect(csv).toHaveLength(10);
    const drawn = csv.filter((f) => f.geometry);
    expect(drawn.map((f) => [f.properties['道路名称'], f.geometry!.type, f.geometry!.coordinates])).toEqual([['召陵区黄河东路', 'LineString', LINE]]);
    expect(drawn[0]!.properties).toMatchObject({ 破损程度: '严重', 维修状态: '已上报', 所属县区: '召陵区', 是否绘制: '已绘制' });
    expect(csv.filter((f) => f.properties['是否绘制'] === '未绘制')).toHaveLength(9);

    const xlsx = ogrRead(saveFile((await download('format=xlsx&layer=roads')).bytes, 'xlsx'), { layer: '破损道路' });
    expect(xlsx).toHaveLength(10);
    expect(xlsx.find((f) => f.properties['编号'] === roadId)!.properties['WKT']).toBe('LINESTRING (114.15 33.57, 114.17 33.58)');
  });

  it('GeoJSON, KML and Shapefile hold the line; undrawn segments are null in GeoJSON and left out (and counted) in KML and Shapefile', async () => {
    const geojson = ogrRead(saveFile((await download('format=geojson&layer=roads')).bytes, 'geojson'));
    expect(geojson).toHaveLength(10);
    expect(geojson.filter((f) => f.geometry).map((f) => f.geometry!.coordinates)).toEqual([LINE]);

    const kml = await download('format=kml&layer=roads');
    expect(kml.res.headers.get('x-export-omitted')).toBe('9');
    const kmlFeatures = ogrReadLayers(saveFile(kml.bytes, 'kml')).flatMap((l) => l.features);
    expect(kmlFeatures.map((f) => [f.properties['Name'], f.geometry!.type, (f.geometry!.coordinates as number[][]).map((p) => p.slice(0, 2))])).toEqual([
      ['召陵区黄河东路', 'LineString', LINE],
    ]);
    expect(new TextDecoder().decode(kml.bytes)).toContain('<Style id="status-reported">');

    const shp = await download('format=shp&layer=roads');
    expect(shp.res.headers.get('x-export-omitted')).toBe('9');
    expect(shp.res.headers.get('content-disposition')).toContain("filename*=UTF-8''%E7%A0%B4%E6%8D%9F%E9%81%93%E8%B7%AF_2022-12-31.zip"); // 破损道路
    const path = saveFile(shp.bytes, 'zip');
    expect(ogrSummary(`/vsizip/${path}`)).toMatch(/Geometry: Line String[\s\S]*Feature Count: 1/);
    const lines = ogrRead(`/vsizip/${path}`);
    expect(lines.map((f) => [f.properties['ROAD_NAME'], f.properties['SEVERITY'], f.properties['COUNTY'], f.geometry!.coordinates])).toEqual([
      ['召陵区黄河东路', '严重', '召陵区', LINE],
    ]);
  });

  it('filters by county and road status', async () => {
    const zhaoling = ogrRead(saveFile((await download('format=geojson&layer=roads&county=411104')).bytes, 'geojson'));
    expect(zhaoling.map((f) => f.properties['道路名称'])).toContain('召陵区黄河东路');
    expect(zhaoling.every((f) => f.properties['县区代码'] === '411104')).toBe(true);
    const repaired = ogrRead(saveFile((await download('format=geojson&layer=roads&status=repaired')).bytes, 'geojson'));
    expect(repaired).toHaveLength(0);
  });
});
