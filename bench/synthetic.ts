// Seeded synthetic sites for the benchmarks: N sites (10^4 … 10^6) inside Luohe's county polygons,
// with a realistic mix of categories and statuses, and a bulk loader into a migrated database.
// Same seed, same sites. Everything is marked source 'demo'.
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { CATEGORY_LABELS, type CategoryCode, type SectorCode } from '../domain/categories.ts';
import { CLOSURE_CHECKLIST, STATUS_LABELS, type StatusCode } from '../domain/statuses.ts';
import { toGcj02 } from '../server/geo/china-coords.ts';
import type { Db } from '../server/db/database.ts';
import { CITY_SEAT } from '../server/seed/demo.ts';
import { Random } from '../domain/random.ts';
import type { ClusterSite } from '../domain/cluster-index.ts';
import { dayIso, toDay } from '../domain/days.ts';

export const SYNTHETIC_SEED = 4_2020_0723;

// ---------------------------------------------------------------------------------------------
// Geography: what the generator needs from a migrated database.

export interface CountyArea {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
  seat: [number, number] | null;
}

export interface Geography {
  counties: CountyArea[];
  /** Townships of each county (by the polygon that holds them), each with its villages' names. */
  townships: Map<string, { code: string; name: string; villages: { code: string; name: string }[] }[]>;
}

export function readGeography(db: Db): Geography {
  const counties = db
    .all<{ code: string; name: string; geometry: string; seat_lon: number | null; seat_lat: number | null }>(
      'SELECT code, name, geometry, seat_lon, seat_lat FROM counties ORDER BY code',
    )
    .map((row) => ({
      code: row.code,
      name: row.name,
      geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon,
      seat: row.seat_lon === null || row.seat_lat === null ? null : ([row.seat_lon, row.seat_lat] as [number, number]),
    }));
  const townships: Geography['townships'] = new Map(counties.map((county) => [county.code, []]));
  const villages = new Map<string, { code: string; name: string }[]>();
  for (const village of db.all<{ code: string; name: string; township_code: string }>('SELECT code, name, township_code FROM villages ORDER BY code')) {
    let list = villages.get(village.township_code);
    if (!list) villages.set(village.township_code, (list = []));
    list.push({ code: village.code, name: villageShort(village.name) });
  }
  for (const township of db.all<{ code: string; name: string; county_code: string }>('SELECT code, name, county_code FROM townships ORDER BY code'))
    townships.get(township.county_code)?.push({ code: township.code, name: township.name, villages: villages.get(township.code) ?? [] });
  return { counties, townships };
}

/** '黄庄村村民委员会' → '黄庄村', '滨西社区居民委员会' → '滨西社区'. */
function villageShort(name: string): string {
  const short = name.replace(/(村民委员会|居民委员会|村民员委会|村民委会|村委会)$/, '');
  return /(村|社区)$/.test(short) ? short : `${short}村`;
}

// ---------------------------------------------------------------------------------------------
// Point-in-county on a grid: cells no polygon edge touches take their centre's county once;
// only points in edge cells are tested against the polygons (first county in code order wins,
// as in domain/locate-county.ts).

type Ring = number[][];

function polygonsOf(geometry: Polygon | MultiPolygon): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export class GridLocator {
  readonly bbox: [number, number, number, number];
  private readonly cellWidth: number;
  private readonly cellHeight: number;
  /** Per cell: index of the county + 1 when the whole cell is inside it, 0 outside, -1 on an edge. */
  private readonly cells: Int8Array;
  private readonly features: { code: string; bbox: number[]; feature: Feature<Polygon | MultiPolygon> }[];

  constructor(
    counties: readonly CountyArea[],
    private readonly size = 256,
  ) {
    const sorted = [...counties].sort((a, b) => a.code.localeCompare(b.code));
    let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    this.features = sorted.map((county) => {
      const box = [Infinity, Infinity, -Infinity, -Infinity];
      for (const polygon of polygonsOf(county.geometry))
        for (const ring of polygon)
          for (const [lon, lat] of ring as [number, number][]) {
            box[0] = Math.min(box[0]!, lon);
            box[1] = Math.min(box[1]!, lat);
            box[2] = Math.max(box[2]!, lon);
            box[3] = Math.max(box[3]!, lat);
          }
      minLon = Math.min(minLon, box[0]!);
      minLat = Math.min(minLat, box[1]!);
      maxLon = Math.max(maxLon, box[2]!);
      maxLat = Math.max(maxLat, box[3]!);
      return { code: county.code, bbox: box, feature: { type: 'Feature', properties: {}, geometry: county.geometry } };
    });
    this.bbox = [minLon, minLat, maxLon, maxLat];
    this.cellWidth = (maxLon - minLon) / size;
    this.cellHeight = (maxLat - minLat) / size;
    this.cells = new Int8Array(size * size);
    // Mark every cell an edge's bounding box touches.
    for (const { feature } of this.features)
      for (const polygon of polygonsOf(feature.geometry))
        for (const ring of polygon)
          for (let i = 1; i < ring.length; i++) {
            const [x1, y1] = ring[i - 1] as [number, number];
            const [x2, y2] = ring[i] as [number, number];
            const [c1, r1] = this.cellOf(Math.min(x1, x2), Math.min(y1, y2));
            const [c2, r2] = this.cellOf(Math.max(x1, x2), Math.max(y1, y2));
            for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) this.cells[r * size + c] = -1;
          }
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) {
        const k = r * size + c;
        if (this.cells[k] === -1) continue;
        const index = this.exact(minLon + (c + 0.5) * this.cellWidth, minLat + (r + 0.5) * this.cellHeight);
        this.cells[k] = index + 1;
      }
  }

  private cellOf(lon: number, lat: number): [number, number] {
    const clamp = (v: number) => Math.min(this.size - 1, Math.max(0, v));
    return [clamp(Math.floor((lon - this.bbox[0]) / this.cellWidth)), clamp(Math.floor((lat - this.bbox[1]) / this.cellHeight))];
  }

  /** Index (code order) of the first county whose polygon holds the point, or -1. */
  private exact(lon: number, lat: number): number {
    for (let i = 0; i < this.features.length; i++) {
      const { bbox, feature } = this.features[i]!;
      if (lon < bbox[0]! || lon > bbox[2]! || lat < bbox[1]! || lat > bbox[3]!) continue;
      if (booleanPointInPolygon([lon, lat], feature)) return i;
    }
    return -1;
  }

  locate(lon: number, lat: number): string | null {
    const [minLon, minLat, maxLon, maxLat] = this.bbox;
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return null;
    const [c, r] = this.cellOf(lon, lat);
    const cell = this.cells[r * this.size + c]!;
    const index = cell === -1 ? this.exact(lon, lat) : cell - 1;
    return index < 0 ? null : this.features[index]!.code;
  }
}

// ---------------------------------------------------------------------------------------------
// The sites.

export interface SyntheticEvent {
  from: StatusCode | null;
  to: StatusCode;
  date: string;
  /** JSON text of the 两断三清 checklist for a closure. */
  checklist: string | null;
}

export interface SyntheticSite {
  name: string;
  category: CategoryCode;
  sector: SectorCode | null;
  address: string;
  county: string;
  township: string | null;
  village: string | null;
  lon: number;
  lat: number;
  precision: 'exact' | 'approximate';
  discoveredOn: string;
  /** The first is always → discovered on discoveredOn; dates never go back. */
  events: SyntheticEvent[];
}

type Weights<T extends string> = readonly (readonly [T, number])[];

/** Where a site is: the urban fringe, around a county seat, in a hotspot cluster, or anywhere. */
type Zone = 'fringe' | 'seat' | 'hotspot' | 'anywhere';
const ZONES: Weights<Zone> = [
  ['fringe', 0.3],
  ['seat', 0.2],
  ['hotspot', 0.3],
  ['anywhere', 0.2],
];

// Category mixes per zone, after the demo data (itself after the plan's figures): sand yards,
// concrete and cement plants crowd the urban fringe; wood and small firms cluster; coal points,
// curing barns and fungus farms are rural.
const CATEGORY_MIX: Record<Zone, Weights<CategoryCode>> = {
  fringe: [
    ['scattered_firm', 0.3],
    ['sand_yard', 0.16],
    ['concrete_plant', 0.07],
    ['cement_prefab', 0.08],
    ['construction_site', 0.08],
    ['wood_processing', 0.08],
    ['carton_maker', 0.05],
    ['dump_site', 0.04],
    ['coal_point', 0.06],
    ['fuel_point', 0.04],
    ['brick_kiln', 0.04],
  ],
  seat: [
    ['scattered_firm', 0.4],
    ['sand_yard', 0.1],
    ['wood_processing', 0.1],
    ['coal_point', 0.12],
    ['fuel_point', 0.05],
    ['construction_site', 0.05],
    ['cement_prefab', 0.05],
    ['carton_maker', 0.04],
    ['concrete_plant', 0.03],
    ['dump_site', 0.03],
    ['brick_kiln', 0.03],
  ],
  hotspot: [
    ['scattered_firm', 0.55],
    ['wood_processing', 0.2],
    ['sand_yard', 0.08],
    ['cement_prefab', 0.05],
    ['carton_maker', 0.05],
    ['coal_point', 0.07],
  ],
  anywhere: [
    ['scattered_firm', 0.3],
    ['coal_point', 0.25],
    ['curing_barn', 0.16],
    ['fungus_farm', 0.04],
    ['sand_yard', 0.06],
    ['brick_kiln', 0.05],
    ['fuel_point', 0.05],
    ['dump_site', 0.05],
    ['wood_processing', 0.04],
  ],
};
const FIRM_SECTORS: Weights<SectorCode> = [
  ['industrial', 0.76],
  ['agricultural', 0.1],
  ['service', 0.14],
];

const TRADE_NAMES: Record<CategoryCode, readonly string[]> = {
  scattered_firm: ['塑料颗粒加工厂', '家具加工厂', '铸造厂', '石材加工厂', '金属制品加工厂', '喷漆加工点', '再生胶加工点', '防水材料厂'],
  sand_yard: ['砂石料场', '砂石经营部', '沙场'],
  wood_processing: ['木材加工厂', '木业加工厂', '板材加工厂'],
  cement_prefab: ['水泥制品厂', '水泥预制构件厂', '预制板厂'],
  carton_maker: ['纸箱厂', '纸制品包装厂'],
  concrete_plant: ['商砼站', '混凝土搅拌站'],
  brick_kiln: ['机砖厂', '砖瓦厂'],
  fuel_point: ['流动加油点', '加油点'],
  coal_point: ['散煤销售点', '蜂窝煤销售点'],
  curing_barn: ['烟叶烤房'],
  fungus_farm: ['食用菌种植基地', '香菇种植大棚'],
  construction_site: ['建筑工地', '安置房工地'],
  dump_site: ['垃圾堆放点'],
};
const SERVICE_TRADES = ['汽车修理厂', '洗车点', '废品收购站', '轮胎翻新店'];
const FARM_TRADES = ['养鸡场', '有机肥加工厂', '饲料加工点'];
const SHOP_CHARS = [...'鑫盛宏达顺发兴旺源金恒利福祥瑞泰隆丰裕昌永宝华通成誉凯鸿德嘉润广富聚亿佳明众锦益'];
const DIRECTIONS = ['东', '西', '南', '北', '东南', '西北'];

// Status lifecycle (moves allowed by domain/statuses.ts): most sites get a second event, some a third.
const SECOND_MOVE: Weights<StatusCode> = [
  ['rectifying', 0.22],
  ['closed', 0.5],
  ['upgraded', 0.18],
  ['relocated', 0.1],
];
const SECOND_EVENT_SHARE = 0.72;
const THIRD_EVENT_SHARE = 0.3;

const FIRST_DAY = toDay('2019-09-01');
const LAST_DISCOVERY = toDay('2022-09-30');
const TODAY = toDay('2022-12-31');
export const SYNTHETIC_NOW = '2022-12-31T00:00:00.000Z';

// Dates are looked up, not formatted, per event.
const ISO_DAYS: string[] = [];
for (let day = FIRST_DAY; day <= TODAY; day++) ISO_DAYS.push(dayIso(day));
const isoOf = (day: number) => ISO_DAYS[day - FIRST_DAY]!;

function checklistFor(category: CategoryCode): string {
  const items: Record<string, boolean> = Object.fromEntries(CLOSURE_CHECKLIST.map((item) => [item, true]));
  if (category === 'fuel_point') items.tanksSealed = true;
  return JSON.stringify(items);
}
const CHECKLISTS = { plain: checklistFor('scattered_firm'), fuel: checklistFor('fuel_point') };

const KM_PER_DEG_LAT = 110.574;

/** Picks values by weight in one pass over precomputed cumulative weights. */
class Picker<T> {
  private readonly values: T[];
  private readonly cumulative: Float64Array;

  constructor(weights: readonly (readonly [T, number])[]) {
    this.values = weights.map(([value]) => value);
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach(([, weight], i) => (this.cumulative[i] = sum += weight));
  }

  pick(random: Random): T {
    const r = random.next() * this.cumulative[this.cumulative.length - 1]!;
    for (let i = 0; i < this.cumulative.length; i++) if (r < this.cumulative[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
}

/**
 * `count` synthetic sites, deterministic for a seed. Positions come from a mixture (urban fringe,
 * county seats, ~60 hotspot clusters, uniform) kept only when inside a county polygon.
 */
export function* generateSites(geography: Geography, count: number, seed = SYNTHETIC_SEED): Generator<SyntheticSite> {
  const random = new Random(seed);
  const locator = new GridLocator(geography.counties);
  const [minLon, minLat, maxLon, maxLat] = locator.bbox;
  const countyByCode = new Map(geography.counties.map((county) => [county.code, county]));
  const seats = geography.counties.map((county) => county.seat).filter((seat): seat is [number, number] => seat !== null);
  const kmPerDegLon = 111.32 * Math.cos((CITY_SEAT[1] * Math.PI) / 180);

  const uniform = (): [number, number] => [random.range(minLon, maxLon), random.range(minLat, maxLat)];
  const around = (center: readonly [number, number], sdKm: number): [number, number] => [
    center[0] + random.normal(0, sdKm) / kmPerDegLon,
    center[1] + random.normal(0, sdKm) / KM_PER_DEG_LAT,
  ];
  const ring = (center: readonly [number, number], innerKm: number, outerKm: number): [number, number] => {
    const km = random.range(innerKm, outerKm);
    const angle = random.range(0, 2 * Math.PI);
    return [center[0] + (km * Math.sin(angle)) / kmPerDegLon, center[1] + (km * Math.cos(angle)) / KM_PER_DEG_LAT];
  };
  const hotspots: { center: [number, number]; sdKm: number; weight: number }[] = [];
  while (hotspots.length < 60) {
    const center = uniform();
    if (locator.locate(center[0], center[1])) hotspots.push({ center, sdKm: random.range(0.3, 2), weight: -Math.log(1 - random.next()) });
  }
  const hotspotPicker = new Picker(hotspots.map((hotspot) => [hotspot, hotspot.weight] as const));
  const zonePicker = new Picker(ZONES);
  const categoryPickers = Object.fromEntries(Object.entries(CATEGORY_MIX).map(([zone, mix]) => [zone, new Picker(mix)])) as Record<Zone, Picker<CategoryCode>>;
  const sectorPicker = new Picker(FIRM_SECTORS);
  const movePicker = new Picker(SECOND_MOVE);

  for (let n = 0; n < count; n++) {
    const zone = zonePicker.pick(random);
    let lon = 0;
    let lat = 0;
    let county: string | null = null;
    for (let attempt = 0; county === null; attempt++) {
      if (attempt > 1000) throw new Error('synthetic sites: no point inside the counties after 1000 tries');
      const hotspot = zone === 'hotspot' ? hotspotPicker.pick(random) : null;
      [lon, lat] =
        zone === 'fringe'
          ? ring(CITY_SEAT, 1.5, 14)
          : zone === 'seat'
            ? around(random.pick(seats), 3)
            : hotspot
              ? around(hotspot.center, hotspot.sdKm)
              : uniform();
      lon = Math.round(lon * 1e6) / 1e6;
      lat = Math.round(lat * 1e6) / 1e6;
      county = locator.locate(lon, lat);
    }
    const category = categoryPickers[zone].pick(random);
    const sector = category === 'scattered_firm' ? sectorPicker.pick(random) : null;
    const countyArea = countyByCode.get(county)!;
    const townships = geography.townships.get(county) ?? [];
    const township = townships.length ? random.pick(townships) : null;
    const village = township?.villages.length ? random.pick(township.villages) : null;
    const trade =
      sector === 'service' ? random.pick(SERVICE_TRADES) : sector === 'agricultural' ? random.pick(FARM_TRADES) : random.pick(TRADE_NAMES[category]);
    const place = village?.name ?? township?.name ?? countyArea.name;
    const name = `${place}${random.pick(SHOP_CHARS)}${random.pick(SHOP_CHARS)}${trade}`;
    const address = `${countyArea.name}${township?.name ?? ''}${village?.name ?? ''}${random.pick(DIRECTIONS)}约${random.int(1, 20) * 50}米`;

    const discovered = random.int(FIRST_DAY, LAST_DISCOVERY);
    const events: SyntheticEvent[] = [{ from: null, to: 'discovered', date: isoOf(discovered), checklist: null }];
    if (random.chance(SECOND_EVENT_SHARE)) {
      let day = Math.min(TODAY, discovered + random.int(7, 240));
      const status = movePicker.pick(random);
      const closure = category === 'fuel_point' ? CHECKLISTS.fuel : CHECKLISTS.plain;
      events.push({ from: 'discovered', to: status, date: isoOf(day), checklist: status === 'closed' ? closure : null });
      if (random.chance(THIRD_EVENT_SHARE)) {
        day = Math.min(TODAY, day + random.int(20, 365));
        const next: StatusCode = status === 'rectifying' ? (random.chance(0.7) ? 'closed' : 'upgraded') : random.chance(0.75) ? 'verified' : 'relapsed';
        events.push({ from: status, to: next, date: isoOf(day), checklist: next === 'closed' ? closure : null });
      }
    }
    yield {
      name,
      category,
      sector,
      address,
      county,
      township: township?.code ?? null,
      village: village?.code ?? null,
      lon,
      lat,
      precision: random.chance(0.9) ? 'exact' : 'approximate',
      discoveredOn: isoOf(discovered),
      events,
    };
  }
}

/** The compact form the cluster worker keeps (ids 1…N, as they would be in an empty database). */
export function toClusterSites(sites: Iterable<SyntheticSite>): ClusterSite[] {
  const result: ClusterSite[] = [];
  let id = 1;
  for (const site of sites)
    result.push({
      id: id++,
      lon: site.lon,
      lat: site.lat,
      county: site.county,
      status: site.events[site.events.length - 1]!.to,
      category: site.category,
      source: 'demo',
    });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bulk loader: one transaction, two prepared statements. The schema's triggers still run: each
// event sets sites.status (site_events_set_status) and each site enters the R*Tree.

export interface LoadResult {
  sites: number;
  events: number;
}

export function loadSites(db: Db, sites: Iterable<SyntheticSite>, actor = '“三散”排查（基准测试）'): LoadResult {
  const insertSite = db.raw.prepare(
    `INSERT INTO sites (name, category, sector, address, county_code, township_code, village_code, lon, lat, precision, source,
       discovered_on, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'demo', ?, ?, ?, ?)`,
  );
  const insertEvent = db.raw.prepare(
    `INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, checklist, created_at)
     VALUES (?, 'status', ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction(() => {
    let siteCount = 0;
    let eventCount = 0;
    for (const site of sites) {
      const last = site.events[site.events.length - 1]!;
      const id = insertSite.run(
        site.name,
        site.category,
        site.sector,
        site.address,
        site.county,
        site.township,
        site.village,
        site.lon,
        site.lat,
        site.precision,
        site.discoveredOn,
        site.events.length,
        SYNTHETIC_NOW,
        `${last.date}T00:00:00.000Z`,
      ).lastInsertRowid;
      for (const event of site.events) insertEvent.run(id, event.from, event.to, event.date, actor, event.checklist, SYNTHETIC_NOW);
      siteCount++;
      eventCount += site.events.length;
    }
    return { sites: siteCount, events: eventCount };
  });
}

/**
 * A ledger as a county office keeps it, as CSV bytes (UTF-8 with BOM): Chinese headers, positions
 * copied from Amap (GCJ-02; or WGS84 with `crs: 'wgs84'`), the status as a word, and names numbered so
 * every row is its own site (the duplicate search still runs over every name). `pad` lengthens each
 * address by that many characters, for a file of a given size.
 */
export function ledgerCsv(geography: Geography, rows: number, options: { crs?: 'gcj02' | 'wgs84'; pad?: number } = {}): Buffer {
  const countyNames = new Map(geography.counties.map((c) => [c.code, c.name]));
  const lines = ['企业名称,详细地址,经度,纬度,所属县区,类别,整治状态,排查时间'];
  const pad = '路'.repeat(options.pad ?? 0);
  let i = 0;
  for (const site of generateSites(geography, rows)) {
    const [lon, lat] = options.crs === 'wgs84' ? [site.lon, site.lat] : toGcj02([site.lon, site.lat]);
    const status = site.events[site.events.length - 1]!.to;
    lines.push(
      [
        `${site.name}${++i}号`,
        `${site.address}${pad}`,
        lon.toFixed(6),
        lat.toFixed(6),
        countyNames.get(site.county),
        CATEGORY_LABELS[site.category],
        STATUS_LABELS[status],
        site.discoveredOn,
      ].join(','),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}
