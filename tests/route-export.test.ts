// Taking a route into the field (issue 7): GPX and KML read back by GDAL's ogrinfo, their XML text,
// and the WGS84 ↔ GCJ-02 / BD-09 conversions behind the Amap and Baidu navigation links.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoord from 'gcoord';
import { afterAll, describe, expect, it } from 'vitest';
import { amapNavigateUrl, baiduNavigateUrl, fromBd09, fromGcj02, toBd09, toGcj02 } from '../server/geo/china-coords.ts';
import { planRoute } from '../server/geo/plan-route.ts';
import type { LonLat, PlannedRoute } from '../server/geo/plan-route.ts';
import { routeToGpx, routeToKml, stopDescription } from '../server/geo/route-export.ts';
import type { ExportStopLabel, RouteExportMeta } from '../server/geo/route-export.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

interface FixtureStop extends ExportStopLabel {
  id: number;
  lon: number;
  lat: number;
  name: string;
}

const fixture = deepFreeze(
  JSON.parse(readFileSync(new URL('./fixtures/route-stops.json', import.meta.url), 'utf8')) as { start: LonLat; stops: FixtureStop[] },
);
const labels: Record<number, ExportStopLabel> = Object.fromEntries(fixture.stops.map((stop) => [stop.id, stop]));
const META: RouteExportMeta = deepFreeze({
  name: '源汇区 回头看 <第1组> & "晨查"',
  description: '不发通知、不打招呼，直奔基层、直插现场',
  time: '2024-06-01T06:30:00Z',
  stops: labels,
});

function plan(end: LonLat | 'start' | null): PlannedRoute {
  return planRoute(
    fixture.stops.map(({ id, lon, lat }) => ({ id, lon, lat })),
    { start: [fixture.start[0], fixture.start[1]], end },
  );
}

// ---------------------------------------------------------------------------------------------
// GDAL read-back. ogrinfo must be installed (apt gdal-bin; CI installs it): no skipping.

const directory = mkdtempSync(join(tmpdir(), 'route-export-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface OgrFeature {
  layer: string;
  fields: Record<string, string>;
  geometry: string;
}

function ogrinfo(args: string[]): string {
  const result = spawnSync('ogrinfo', args, { encoding: 'utf8' });
  if (result.error || result.status !== 0)
    throw new Error(
      `ogrinfo failed (${result.error?.message ?? `exit ${result.status}: ${result.stderr}`}). ` +
        'These tests need GDAL: apt-get install -y gdal-bin (CI installs it in .ci/run).',
    );
  return result.stdout;
}

function readBack(fileName: string, text: string): { counts: Record<string, number>; features: OgrFeature[] } {
  const path = join(directory, fileName);
  writeFileSync(path, text, 'utf8');
  const counts: Record<string, number> = {};
  let layer = '';
  for (const line of ogrinfo(['-ro', '-al', '-so', path]).split('\n')) {
    const name = /^Layer name: (.*)$/.exec(line);
    if (name) layer = name[1]!;
    const count = /^Feature Count: (\d+)$/.exec(line);
    if (count) counts[layer] = Number(count[1]);
  }
  const features: OgrFeature[] = [];
  for (const line of ogrinfo(['-ro', '-al', path]).split('\n')) {
    const start = /^OGRFeature\((.*)\):\d+$/.exec(line);
    if (start) features.push({ layer: start[1]!, fields: {}, geometry: '' });
    const current = features[features.length - 1];
    if (!current) continue;
    const field = /^ {2}(\w+) \(\w+\) = (.*)$/.exec(line);
    if (field) current.fields[field[1]!] = field[2]!;
    const geometry = /^ {2}((?:POINT|LINESTRING) .*)$/.exec(line);
    if (geometry) current.geometry = geometry[1]!;
  }
  return { counts, features };
}

/** The [lon, lat] pairs of a WKT POINT or LINESTRING. */
function wktPositions(wkt: string): [number, number][] {
  const inner = /\((.*)\)/.exec(wkt)?.[1] ?? '';
  return inner.split(',').map((pair) => {
    const [lon, lat] = pair.trim().split(/\s+/).map(Number);
    return [lon!, lat!];
  });
}

function expectNear(actual: [number, number], expected: readonly [number, number], tolerance: number): void {
  expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(tolerance);
}

/** Runs ogrinfo once per file, on first use inside a test (so a failure is that test's failure). */
function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

describe('GPX 1.1 read back by ogrinfo', () => {
  const route = plan('start');
  const gpx = lazily(() => readBack('route.gpx', routeToGpx(route, META)));

  it('has one waypoint per stop, one route, one route point per stop', () => {
    expect(gpx().counts).toMatchObject({ waypoints: 6, routes: 1, route_points: 6 });
  });

  it('has the stops in route order with WGS84 coordinates within 1e-6° and Chinese names intact', () => {
    const { features } = gpx();
    for (const layerName of ['waypoints', 'route_points']) {
      const points = features.filter((feature) => feature.layer === layerName);
      expect(points).toHaveLength(route.order.length);
      route.order.forEach((stop, index) => {
        const point = points[index]!;
        expect(point.fields['name']).toBe(`${stop.seq}. ${labels[stop.id]!.name}`);
        expectNear(wktPositions(point.geometry)[0]!, [stop.lon, stop.lat], 1e-6);
      });
    }
    const waypoint = features.find((feature) => feature.layer === 'waypoints' && feature.fields['name']?.includes('河沙堆场'))!;
    expect(waypoint.fields['name']).toMatch(/^\d\. 河沙堆场 <A&B>$/);
    expect(waypoint.fields['desc']).toBe('地址 召陵区沙河南岸；类别 散乱污企业；状态 整改中');
    const routeFeature = features.find((feature) => feature.layer === 'routes')!;
    expect(routeFeature.fields['name']).toBe(META.name);
  });
});

describe('KML 2.2 read back by ogrinfo', () => {
  const route = plan([114.05, 33.62]);
  const kml = lazily(() => readBack('route.kml', routeToKml(route, META)).features);
  const points = (): OgrFeature[] => kml().filter((feature) => feature.geometry.startsWith('POINT'));
  const lines = (): OgrFeature[] => kml().filter((feature) => feature.geometry.startsWith('LINESTRING'));
  // The KML driver names the field "Name", the LIBKML driver "name"; accept either.
  const nameOf = (feature: OgrFeature): string | undefined => feature.fields['Name'] ?? feature.fields['name'];

  it('has a Point placemark per stop, in order, with names and coordinates intact', () => {
    const stops = points();
    expect(stops).toHaveLength(6);
    route.order.forEach((stop, index) => {
      expect(nameOf(stops[index]!)).toBe(`${stop.seq}. ${labels[stop.id]!.name}`);
      expectNear(wktPositions(stops[index]!.geometry)[0]!, [stop.lon, stop.lat], 1e-6);
    });
    expect(stops.map(nameOf)).toContain(`${route.order.find((stop) => stop.id === 103)!.seq}. "老张" 燃煤小锅炉`);
  });

  it('has one LineString placemark: start, the stops in order, then the end', () => {
    const path = lines();
    expect(path).toHaveLength(1);
    expect(nameOf(path[0]!)).toBe(META.name);
    const expected: [number, number][] = [route.start, ...route.order.map((stop): [number, number] => [stop.lon, stop.lat]), route.end!];
    const positions = wktPositions(path[0]!.geometry);
    expect(positions).toHaveLength(expected.length);
    positions.forEach((position, index) => expectNear(position, expected[index]!, 1e-6));
  });

  it('an open route’s path ends at the last stop', () => {
    const open = plan(null);
    const path = readBack('open.kml', routeToKml(open, META)).features.find((feature) => feature.geometry.startsWith('LINESTRING'))!;
    const positions = wktPositions(path.geometry);
    expect(positions).toHaveLength(open.order.length + 1);
    const last = open.order[open.order.length - 1]!;
    expectNear(positions[positions.length - 1]!, [last.lon, last.lat], 1e-6);
  });
});

describe('GPX and KML text', () => {
  const route = plan('start');
  const gpx = routeToGpx(route, META);
  const kml = routeToKml(route, META);

  it('declares UTF-8 and the right namespaces, and writes WGS84 coordinates unconverted', () => {
    expect(gpx.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator=')).toBe(true);
    expect(gpx).toContain('xmlns="http://www.topografix.com/GPX/1/1"');
    expect(kml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">')).toBe(true);
    const first = route.order[0]!;
    expect(gpx).toContain(`<wpt lat="${first.lat.toFixed(7)}" lon="${first.lon.toFixed(7)}">`);
    expect(kml).toContain(`<coordinates>${first.lon.toFixed(7)},${first.lat.toFixed(7)}</coordinates>`);
    expect(gpx.match(/<wpt /g)).toHaveLength(6);
    expect(gpx.match(/<rtept /g)).toHaveLength(6);
    expect(gpx.match(/<rte>/g)).toHaveLength(1);
    expect(kml.match(/<Placemark>/g)).toHaveLength(7);
  });

  it('escapes markup in names and drops characters XML forbids', () => {
    expect(gpx).toContain('<name>源汇区 回头看 &lt;第1组&gt; &amp; &quot;晨查&quot;</name>');
    expect(gpx).toContain('河沙堆场 &lt;A&amp;B&gt;');
    expect(kml).toContain('建材加工点 &apos;B&apos;');
    expect(gpx).not.toMatch(/<A&B>/);
    const dirty = routeToGpx(route, { name: 'bad\u0001name\u0008 ok', stops: {} });
    expect(dirty).toContain('<name>badname ok</name>');
    expect(dirty).toContain(`<name>1. #${route.order[0]!.id}</name>`);
  });

  it('describes a stop by address, category and status, leaving out what is missing', () => {
    expect(stopDescription(labels[106])).toBe('类别 燃煤小锅炉；状态 已取缔');
    expect(stopDescription({ lastInspection: '2024-05-30' })).toBe('上次检查 2024-05-30');
    expect(stopDescription(undefined)).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// Coordinates in China.

describe('WGS84 ↔ GCJ-02 / BD-09', () => {
  // Luohe city government seat (漯河市人民政府): DataV/Amap gives GCJ-02 [114.026405, 33.575855].
  const LUOHE_WGS84: LonLat = [114.02047, 33.577333];
  const LUOHE_GCJ02: LonLat = [114.026405, 33.575855];

  /** The published GCJ-02 → BD-09 formula (Baidu's bd_encrypt), written out independently of gcoord. */
  function bdEncrypt([lon, lat]: LonLat): LonLat {
    const xPi = (Math.PI * 3000) / 180;
    const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * xPi);
    const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * xPi);
    return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
  }

  it('converts the Luohe government seat to GCJ-02 as Amap shows it', () => {
    expectNear(toGcj02(LUOHE_WGS84), LUOHE_GCJ02, 1e-5);
    expectNear(fromGcj02(LUOHE_GCJ02), LUOHE_WGS84, 1e-5);
  });

  it('round-trips WGS84 → GCJ-02 → WGS84 within 1e-6° across Luohe', () => {
    for (const point of [LUOHE_WGS84, [113.7, 33.4], [114.3, 33.8], [113.95, 33.61]] as LonLat[]) expectNear(fromGcj02(toGcj02(point)), point, 1e-6);
  });

  it('BD-09 is GCJ-02 shifted by the published formula (Baidu offset ≈ +0.0065°, +0.006°)', () => {
    // Amap's 天安门 GCJ-02 [116.397428, 39.90923]: the formula gives BD-09 [116.403801, 39.915573].
    const tiananmen: LonLat = [116.397428, 39.90923];
    expectNear(gcoord.transform<[number, number]>([...tiananmen], gcoord.GCJ02, gcoord.BD09), bdEncrypt(tiananmen), 1e-9);
    expectNear(bdEncrypt(tiananmen), [116.403801, 39.915573], 1e-6);
    // Baidu's own demo centre for 天安门 is [116.404, 39.915] (3 decimals).
    expectNear(bdEncrypt(tiananmen), [116.404, 39.915], 1e-3);
    // Through our wrapper: WGS84 → BD-09 equals the formula applied to the GCJ-02 point.
    expectNear(toBd09(LUOHE_WGS84), bdEncrypt(toGcj02(LUOHE_WGS84)), 1e-9);
    // BD-09 → WGS84 inverts it to within 2e-6° (Baidu's inverse formula is itself approximate).
    expectNear(fromBd09(toBd09(LUOHE_WGS84)), LUOHE_WGS84, 2e-6);
  });

  it('leaves points outside China unchanged', () => {
    expect(toGcj02([2.35, 48.86])).toEqual([2.35, 48.86]);
  });
});

describe('navigation links', () => {
  const stop = { lon: 114.02047, lat: 33.577333, name: '王记早餐店（散煤）& 2号' };

  it('opens Amap at the GCJ-02 point with an encoded name', () => {
    const url = new URL(amapNavigateUrl(stop));
    expect(`${url.origin}${url.pathname}`).toBe('https://uri.amap.com/navigation');
    const [gcjLon, gcjLat] = toGcj02([stop.lon, stop.lat]);
    expect(url.searchParams.get('to')).toBe(`${gcjLon.toFixed(6)},${gcjLat.toFixed(6)},${stop.name}`);
    expect(url.searchParams.get('to')!.startsWith('114.026405,33.575855,')).toBe(true);
    expect(url.searchParams.get('mode')).toBe('car');
    expect(url.searchParams.get('coordinate')).toBe('gaode');
    expect(url.searchParams.get('callnative')).toBe('1');
  });

  it('opens Baidu at the BD-09 point, latitude first, with an encoded name', () => {
    const url = new URL(baiduNavigateUrl(stop));
    expect(`${url.origin}${url.pathname}`).toBe('https://api.map.baidu.com/direction');
    const [bdLon, bdLat] = toBd09([stop.lon, stop.lat]);
    expect(url.searchParams.get('destination')).toBe(`latlng:${bdLat.toFixed(6)},${bdLon.toFixed(6)}|name:${stop.name}`);
    expect(url.searchParams.get('coord_type')).toBe('bd09ll');
    expect(url.searchParams.get('mode')).toBe('driving');
    expect(url.searchParams.get('output')).toBe('html');
    expect(url.searchParams.get('src')).toBe('sansan-map');
  });

  it('names an unnamed stop 目的地', () => {
    expect(new URL(amapNavigateUrl({ lon: 114, lat: 33.5 })).searchParams.get('to')).toMatch(/,目的地$/);
    expect(new URL(baiduNavigateUrl({ lon: 114, lat: 33.5, name: ' ' })).searchParams.get('destination')).toMatch(/\|name:目的地$/);
  });
});
