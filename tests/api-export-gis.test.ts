// GET /api/export for GIS desks: the GeoPackage (sites and roads as two layers, full Chinese field
// names, long text whole) read back by GDAL and opened as SQLite, and every format labelled in
// CGCS2000 (crs=cgcs2000): .prj, GeoPackage SRS, GeoJSON crs, the notes and the file name, with the
// same coordinate numbers as WGS84. Fixture: the two real unlocated seed sites (ids 1, 2), two sites
// made here (one with a 300-character note), the nine undrawn seed roads and one drawn road.
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, createSite, expectError, type Harness } from './helpers/app.ts';
import { ogrRead, ogrSummary, saveFile } from './helpers/gdal.ts';

let h: Harness;
const LONG_NOTE = `群众多次举报：${'夜间偷运砂石，扬尘严重；'.repeat(25)}`; // 307 characters, 900+ bytes
const LINE = [
  [114.15, 33.57],
  [114.17, 33.58],
];
const COORDS: Record<string, [number, number]> = { 源汇区黄河路砂石料场: [113.95, 33.55], 临颍县砂石堆场: [113.94, 33.85] };

beforeAll(async () => {
  h = bootTestApp();
  await createSite(h, { name: '源汇区黄河路砂石料场', category: 'sand_yard', lon: 113.95, lat: 33.55, discoveredOn: '2021-01-10', note: LONG_NOTE }, '411102');
  await createSite(h, { name: '临颍县砂石堆场', category: 'sand_yard', lon: 113.94, lat: 33.85, discoveredOn: '2020-06-01', source: 'demo' }, '411122');
  const road = await h.send('POST', '/api/roads', {
    roadName: '召陵区黄河东路',
    severity: 'severe',
    reportedOn: '2021-03-01',
    geometry: { type: 'LineString', coordinates: LINE },
  });
  expect(road.status, road.text).toBe(201);
});

async function download(query: string) {
  const res = await h.request(`/api/export?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('GET /api/export?format=gpkg', () => {
  it('is a GeoPackage 1.3 (application_id GPKG, user_version 10300) with the required tables and two feature layers', async () => {
    const { res, bytes } = await download('format=gpkg');
    expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
    expect(res.headers.get('content-disposition')).toContain('filename="sansan-sites_2022-12-31.gpkg"');
    expect(res.headers.get('x-export-records')).toBe('14'); // 4 sites + 10 road segments
    const db = new Database(saveFile(bytes, 'gpkg'), { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
      expect(db.pragma('user_version', { simple: true })).toBe(10300);
      expect(db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').pluck().all()).toEqual([-1, 0, 4326]);
      expect(db.prepare('SELECT table_name, data_type, identifier, srs_id FROM gpkg_contents ORDER BY table_name').raw().all()).toEqual([
        ['roads', 'features', '破损道路', 4326],
        ['sites', 'features', '三散污染源', 4326],
      ]);
      expect(db.prepare('SELECT table_name, column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name').raw().all()).toEqual(
        [
          ['roads', 'geom', 'LINESTRING', 4326, 0, 0],
          ['sites', 'geom', 'POINT', 4326, 0, 0],
        ],
      );
      const blob = db.prepare('SELECT geom FROM sites WHERE geom IS NOT NULL ORDER BY fid LIMIT 1').pluck().get() as Buffer;
      expect([blob.toString('ascii', 0, 2), blob[2], blob[3], blob.readInt32LE(4)]).toEqual(['GP', 0, 1, 4326]); // little-endian, no envelope
      expect([blob[8], blob.readUInt32LE(9), blob.readDoubleLE(13), blob.readDoubleLE(21)]).toEqual([1, 1, 113.95, 33.55]); // WKB point
    } finally {
      db.close();
    }
    expect(ogrSummary(saveFile(bytes, 'gpkg'))).not.toMatch(/ERROR|Warning/);
  });

  it('GDAL reads both layers: every record (unlocated ones with no geometry), coordinates, full Chinese field names, long text whole, WGS84', async () => {
    const path = saveFile((await download('format=gpkg')).bytes, 'gpkg');
    const summary = ogrSummary(path);
    expect(summary).toMatch(/Layer name: sites[\s\S]*Geometry: Point[\s\S]*Feature Count: 4[\s\S]*GEOGCRS\["WGS 84"/);
    expect(summary).toMatch(/Layer name: roads[\s\S]*Geometry: Line String[\s\S]*Feature Count: 10/);
    for (const field of ['乡镇/街道', '整改时限', '责任单位', '定位精度', '数据来源', '县区代码']) expect(summary).toContain(`${field}: String`);

    const sites = ogrRead(path, { layer: 'sites' });
    expect(sites.map((f) => f.properties['名称']).sort()).toEqual([...Object.keys(COORDS), '叶岗村散煤销售点', '郾襄路车管所停车场加油点'].sort());
    for (const f of sites) {
      const name = f.properties['名称'] as string;
      if (COORDS[name]) expect(f.geometry!.coordinates).toEqual(COORDS[name]);
      else expect([f.geometry, f.properties['定位精度']]).toEqual([null, '未定位']);
    }
    const yard = sites.find((f) => f.properties['名称'] === '源汇区黄河路砂石料场')!.properties;
    expect(yard).toMatchObject({ 所属县区: '源汇区', 类别: '砂石料场', 整治状态: '已发现', 数据来源: '真实', 县区代码: '411102' });
    expect(yard['备注']).toBe(LONG_NOTE); // no 254-byte cut
    expect(sites.find((f) => f.properties['名称'] === '临颍县砂石堆场')!.properties['数据来源']).toBe('演示');

    const roads = ogrRead(path, { layer: 'roads' });
    expect(roads).toHaveLength(10);
    expect(
      roads.filter((f) => f.geometry).map((f) => [f.properties['道路名称'], f.properties['破损程度'], f.properties['所属县区'], f.geometry!.coordinates]),
    ).toEqual([['召陵区黄河东路', '严重', '召陵区', LINE]]);
  });

  it('applies the site filters to the sites and county/date to the roads; layer=roads gives the roads alone', async () => {
    const path = saveFile((await download('format=gpkg&county=411102&status=discovered')).bytes, 'gpkg');
    expect(
      ogrRead(path, { layer: 'sites' })
        .map((f) => f.properties['名称'])
        .sort(),
    ).toEqual(['叶岗村散煤销售点', '源汇区黄河路砂石料场']);
    expect(ogrRead(path, { layer: 'roads' }).every((f) => f.properties['县区代码'] === '411102')).toBe(true);
    const roadsOnly = saveFile((await download('format=gpkg&layer=roads&county=411104')).bytes, 'gpkg');
    const summary = ogrSummary(roadsOnly);
    expect(summary).not.toContain('Layer name: sites');
    expect(ogrRead(roadsOnly, { layer: 'roads' }).map((f) => f.properties['道路名称'])).toContain('召陵区黄河东路');
  });
});

describe('crs=cgcs2000', () => {
  it('GeoPackage: the layers’ SRS is EPSG:4490 (CGCS2000) with the same coordinates; the notes say so', async () => {
    const { res, bytes } = await download('format=gpkg&crs=cgcs2000');
    expect(res.headers.get('x-export-crs')).toBe('EPSG:4490');
    expect(res.headers.get('content-disposition')).toContain('filename="sansan-sites_2022-12-31_CGCS2000.gpkg"');
    const path = saveFile(bytes, 'gpkg');
    const summary = ogrSummary(path);
    expect(summary).toMatch(/GEOGCRS\["China Geodetic Coordinate System 2000"[\s\S]*ID\["EPSG",4490\]/);
    expect(summary).not.toContain('GEOGCRS["WGS 84"');
    expect(summary).toContain('坐标系 CGCS2000（2000国家大地坐标系，EPSG:4490）');
    expect(summary).toContain('仅坐标系标注不同');
    const sites = ogrRead(path, { layer: 'sites' });
    expect(sites.find((f) => f.properties['名称'] === '源汇区黄河路砂石料场')!.geometry!.coordinates).toEqual([113.95, 33.55]);
  });

  it('Shapefile: the .prj is CGCS2000 (GDAL reads EPSG:4490) and the readme says so; WGS84 stays the default', async () => {
    const { bytes } = await download('format=shp&crs=cgcs2000');
    const zip = await JSZip.loadAsync(bytes);
    const stem = 'sansan-sites_2022-12-31_CGCS2000';
    expect(await zip.file(`${stem}.prj`)!.async('string')).toContain('GCS_China_Geodetic_Coordinate_System_2000');
    expect(await zip.file('readme.txt')!.async('string')).toContain('.prj 坐标系 CGCS2000（EPSG:4490）');
    const path = saveFile(bytes, 'zip');
    expect(ogrSummary(`/vsizip/${path}`)).toMatch(/China Geodetic Coordinate System 2000[\s\S]*ID\["EPSG",4490\]/);
    expect(
      ogrRead(`/vsizip/${path}`)
        .map((f) => f.geometry!.coordinates)
        .sort(),
    ).toEqual(Object.values(COORDS).sort());

    const wgs = await JSZip.loadAsync((await download('format=shp')).bytes);
    expect(await wgs.file('sansan-sites_2022-12-31.prj')!.async('string')).toContain('GCS_WGS_1984');
  });

  it('GeoJSON names EPSG:4490 in its crs member and notes; KML and XLSX notes and every file name say CGCS2000', async () => {
    const geojson = await download('format=geojson&crs=cgcs2000');
    const path = saveFile(geojson.bytes, 'geojson');
    expect(ogrSummary(path)).toMatch(/ID\["EPSG",4490\]/);
    expect(
      ogrRead(path)
        .filter((f) => f.geometry)
        .map((f) => f.geometry!.coordinates)
        .sort(),
    ).toEqual(Object.values(COORDS).sort());
    expect(JSON.parse(new TextDecoder().decode(geojson.bytes)).description).toContain('EPSG:4490');
    expect(JSON.parse(new TextDecoder().decode((await download('format=geojson')).bytes)).description).toContain('WGS84（EPSG:4326）');

    const kml = new TextDecoder().decode((await download('format=kml&crs=cgcs2000')).bytes);
    expect(kml).toContain('坐标系 CGCS2000（2000国家大地坐标系，EPSG:4490）');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download('format=xlsx&crs=cgcs2000')).bytes.buffer as ArrayBuffer);
    const notes: string[] = [];
    book.getWorksheet('说明')!.eachRow((row) => notes.push(String(row.getCell(1).value)));
    expect(notes.some((note) => note.includes('EPSG:4490') && note.includes('仅坐标系标注不同'))).toBe(true);

    for (const format of ['csv', 'xlsx', 'kml', 'geojson']) {
      const { res } = await download(`format=${format}&crs=cgcs2000&layer=roads`);
      expect(res.headers.get('content-disposition'), format).toContain(`sansan-roads_2022-12-31_CGCS2000.`);
      expect(res.headers.get('x-export-crs'), format).toBe('EPSG:4490');
    }
  });

  it('refuses an unknown crs naming the parameter', async () => {
    expect(expectError(await h.get('/api/export?format=shp&crs=gcj02'), 400, 'bad_parameter').details.parameter).toBe('crs');
  });
});
