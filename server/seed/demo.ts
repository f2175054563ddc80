// Deterministic demo dataset for Luohe (source = 'demo'): ~530 sites with 2019–2022 histories
// (continued up to `today` when it is later: new finds, closures, relapses, 回头看 re-checks),
// 回头看 re-checks, likely moves (改头换面转移) with decoys, and drawn road segments. The figures
// follow the 2020 plan (漯发〔2020〕13号): tasks 2/11 (119 found in 2020: 103 closed, 16
// rectifying on 2020-07-23), task 14 (89 found by the inspectors: 68/8/13), task 18 (45 coal points).
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import { CountyLocator } from '../../domain/locate-county.ts';
import { addSiteEvent, insertSite, type Checklist } from '../store/site-mutations.ts';
import { Random } from '../../domain/random.ts';
import { dayIso as toIso, dayNumber, DAY_MS, toDay } from '../../domain/days.ts';
import { distanceKm } from '../geo/sphere.ts';
import { CATEGORY_CODES, type CategoryCode, type SectorCode } from '../../domain/categories.ts';
import {
  CLOSURE_CHECKLIST,
  OPEN_STATUSES,
  ROAD_STATUS_MOVES,
  STATUS_CODES,
  STATUS_MOVES,
  type Precision,
  type RoadSeverity,
  type RoadStatusCode,
  type StatusCode,
} from '../../domain/statuses.ts';

export const DEMO_DEFAULT_SEED = 20200723;
export const DEMO_DEFAULT_TODAY = '2022-12-31';
/**
 * The planned 2019–2022 campaign ends here; with a later `today` the generator continues it day by
 * day up to `today` (re-checks, new finds, relapses, closures), so the data always reaches today.
 */
export const DEMO_CAMPAIGN_END = '2022-12-31';
/** The plan's date: the 2020 figures hold "as of" this day. */
export const DEMO_PLAN_DATE = '2020-07-23';
/** City government seat, centre of the urban core (WGS84). */
export const CITY_SEAT: readonly [number, number] = [114.02047, 33.577333];

export interface DemoOptions {
  seed?: number;
  /** Last day any event may carry (YYYY-MM-DD). */
  today?: string;
}

export interface DemoSummary {
  /** false when demo data already existed and nothing was written. */
  created: boolean;
  seed: number | null;
  sites: number;
  byCategory: Record<CategoryCode, number>;
  byStatus: Record<StatusCode, number>;
  events: number;
  /** Sites with at least one 死灰复燃 event. */
  relapses: number;
  /** Planted likely moves (closed site → similar new site 0.5–3 km away, 20–170 days later). */
  moves: number;
  /** Planted near-misses (too late or too far). */
  decoys: number;
  /** Open sites whose deadline is before `today`. */
  overdue: number;
  roads: number;
  roadEvents: number;
  inspections: number;
}

/** Ground truth of the planted moves, kept in meta 'demo_moves' as seed_key pairs [from, to]. */
export interface DemoMoves {
  moves: [string, string][];
  decoys: [string, string][];
}

// ---------------------------------------------------------------------------------------------
// Dates (whole days since 1970-01-01 UTC) and geometry helpers.


type LonLat = [number, number];
const KM_PER_DEG_LAT = 110.574;
const kmPerDegLon = (lat: number): number => 111.32 * Math.cos((lat * Math.PI) / 180);
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function offsetKm(p: readonly [number, number], km: number, bearingDeg: number): LonLat {
  const r = (bearingDeg * Math.PI) / 180;
  return [p[0] + (km * Math.sin(r)) / kmPerDegLon(p[1]), p[1] + (km * Math.cos(r)) / KM_PER_DEG_LAT];
}


// ---------------------------------------------------------------------------------------------
// Word pools. Names are made up: township + invented shop name + trade suffix.

const SHOP_CHARS = [...'鑫盛宏达顺发兴旺源金恒利福祥瑞泰隆丰裕昌永宝华通成誉凯鸿德嘉润广富聚亿佳明众锦益'];
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁宋谢韩冯'];
const PEOPLE = [
  '张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵强', '黄敏', '周杰', '吴刚',
  '徐丽', '孙浩', '马超', '朱琳', '胡斌', '郭涛', '何平', '高峰', '林霞', '罗军',
];

const SUFFIXES: Partial<Record<CategoryCode, readonly string[]>> = {
  sand_yard: ['砂石料场', '砂石料场', '砂石经营部', '沙场'],
  wood_processing: ['木材加工厂', '木业加工厂', '板材加工厂', '木制品厂'],
  cement_prefab: ['水泥制品厂', '水泥预制构件厂', '预制板厂'],
  concrete_plant: ['商砼站', '混凝土搅拌站', '商品混凝土站'],
  carton_maker: ['纸箱厂', '纸制品包装厂', '纸箱加工点'],
  brick_kiln: ['机砖厂', '砖瓦厂', '轮窑砖厂'],
  fungus_farm: ['食用菌种植基地', '香菇种植大棚', '平菇种植场'],
};
const TRADES: Record<SectorCode, readonly string[]> = {
  industrial: [
    '塑料颗粒加工厂', '废旧塑料加工点', '家具加工厂', '铸造厂', '石材加工厂', '木材加工厂', '砂石料场',
    '水泥制品厂', '金属制品加工厂', '喷漆加工点', '再生胶加工点', '防水材料厂', '耐火材料厂',
    '玻璃钢制品厂', '包装材料厂', '机械配件加工厂', '化纤加工点', '小型印刷厂',
  ],
  agricultural: ['生猪养殖场', '养鸡场', '有机肥加工厂', '粮食烘干点', '饲料加工点', '秸秆加工点', '肉牛养殖场'],
  service: ['汽车修理厂', '汽修喷漆店', '洗车点', '干洗店', '废品收购站', '餐饮店', '轮胎翻新店'],
};
const ROAD_NAMES = ['黄河路', '长江路', '淮河路', '珠江路', '太行山路', '泰山路', '燕山路', '黄山路', '漓江路', '祁山路'];
const CROSS_STREETS = ['交通路', '解放路', '建设路', '五一路', '文化路', '滨河路', '太白山路', '长江路', '黄河路', '泰山路'];

/** Townships assumed to grow tobacco (demo assumption, not an official list). */
const TOBACCO_TOWNSHIPS = new Set(['侯集镇', '姜店乡', '马村乡', '九街镇', '保和乡', '文峰乡', '窝城镇', '王岗镇', '石桥乡', '陈庄乡', '三家店镇']);
const URBAN_DISTRICTS = new Set(['411102', '411103', '411104']);
const VILLAGE_SUFFIX = /(村民委员会|居民委员会|村民员委会|村民委会|村委会)$/;

/** '黄庄村村民委员会' → '黄庄村', '徐庄村民委员会' → '徐庄村', '滨西社区居民委员会' → '滨西社区'. */
function villageShort(name: string): string {
  const suffix = VILLAGE_SUFFIX.exec(name)?.[1];
  const short = suffix ? name.slice(0, -suffix.length) : name;
  if (!suffix || /(村|社区)$/.test(short)) return short;
  return short + (suffix === '居民委员会' ? '社区' : '村');
}

// ---------------------------------------------------------------------------------------------
// Plan model: every site is planned in memory first, then written in date order.

type Group =
  | 'firm2020' | 'firm2019' | 'firmLater' | 'coal45' | 'coalUse' | 'industry' | 'wood'
  | 'fuel' | 'barn' | 'fungus' | 'construction' | 'dump' | 'move' | 'decoy' | 'after';
type Outcome = 'closed' | 'upgraded' | 'relocated';

interface County {
  code: string;
  name: string;
  seat: LonLat | null;
  bbox: [number, number, number, number];
}
interface Township {
  code: string;
  name: string;
  kind: string;
  adminCode: string;
}
interface Village {
  code: string;
  short: string;
}
interface Located {
  lon: number;
  lat: number;
  county: string;
}
interface PlanEvent {
  to: StatusCode;
  day: number;
  actor: string;
  note: string;
  /** A relapse found on a re-check: an inspection 'relapsed' is recorded the same day. */
  inspector?: string;
}
interface PlanInspection {
  day: number;
  inspector: string;
  result: 'operating' | 'closed_as_recorded' | 'relapsed';
  note: string;
}

class Track {
  readonly events: PlanEvent[] = [];
  status: StatusCode = 'discovered';
  last: number;

  constructor(
    readonly discovered: number,
    /** Last day an event may carry; raised when the campaign is continued past 2022. */
    public end: number,
  ) {
    this.last = discovered;
  }

  /** Appends a move on `day` (never before the last event). Returns false, adding nothing, past the end. */
  go(to: StatusCode, day: number, actor: string, note: string, inspector?: string): boolean {
    const d = Math.max(day, this.last);
    if (d > this.end) return false;
    if (!STATUS_MOVES[this.status].includes(to)) throw new Error(`demo plan bug: ${this.status} → ${to}`);
    this.events.push({ to, day: d, actor, note, ...(inspector ? { inspector } : {}) });
    this.status = to;
    this.last = d;
    return true;
  }

  /** Drops events on or after `day` (used to put a relapse before a planned verification). */
  truncateFrom(day: number): void {
    while (this.events.length && this.events[this.events.length - 1]!.day >= day) this.events.pop();
    const last = this.events[this.events.length - 1];
    this.status = last?.to ?? 'discovered';
    this.last = last?.day ?? this.discovered;
  }

  has(status: StatusCode): boolean {
    return this.events.some((e) => e.to === status);
  }

  firstDay(status: StatusCode): number | undefined {
    return this.events.find((e) => e.to === status)?.day;
  }
}

interface Plan {
  group: Group;
  category: CategoryCode;
  sector: SectorCode | null;
  name: string;
  stem: string;
  county: County;
  township: Township;
  village: Village;
  lon: number | null;
  lat: number | null;
  precision: Precision;
  address: string;
  discoveredBy: string;
  note: string;
  track: Track;
  /** First closure / upgrade / relocation day. */
  resolvedDay?: number;
  deadline: string | null;
  /** Deadline of a site deliberately left open. */
  openDeadline?: string;
  /** The plan's own deadline (task 14: end of August 2020), kept once resolved. */
  planDeadline?: string;
  responsibleUnit: string;
  inspections: PlanInspection[];
  /** Part of a planted move or decoy: keeps its exact position. */
  pinned: boolean;
  key: string;
}

interface LifeOptions {
  outcomes: readonly (readonly [Outcome, number])[];
  rectifyChance: number;
  rectifyAfter: readonly [number, number];
  resolveAfter: readonly [number, number];
  relocateAfter?: readonly [number, number];
  verifyChance: number;
  /** Chance the site is still rectifying at the end. */
  openChance?: number;
}

const STANDARD_LIFE: LifeOptions = {
  outcomes: [['closed', 0.55], ['upgraded', 0.3], ['relocated', 0.15]],
  rectifyChance: 0.6,
  rectifyAfter: [1, 20],
  resolveAfter: [15, 200],
  relocateAfter: [90, 420],
  verifyChance: 0.75,
  openChance: 0.05,
};

const LIFE: Partial<Record<CategoryCode, LifeOptions>> = {
  sand_yard: STANDARD_LIFE,
  concrete_plant: {
    outcomes: [['relocated', 0.4], ['upgraded', 0.35], ['closed', 0.25]],
    rectifyChance: 0.85, rectifyAfter: [1, 30], resolveAfter: [30, 240], relocateAfter: [180, 640], verifyChance: 0.7,
  },
  cement_prefab: { ...STANDARD_LIFE, outcomes: [['closed', 0.5], ['upgraded', 0.4], ['relocated', 0.1]] },
  carton_maker: { ...STANDARD_LIFE, outcomes: [['closed', 0.5], ['upgraded', 0.5]] },
  brick_kiln: { ...STANDARD_LIFE, outcomes: [['closed', 0.75], ['upgraded', 0.25]], rectifyChance: 0.7, resolveAfter: [20, 200] },
  wood_processing: {
    outcomes: [['relocated', 0.45], ['upgraded', 0.3], ['closed', 0.25]],
    rectifyChance: 0.8, rectifyAfter: [3, 30], resolveAfter: [20, 300], relocateAfter: [90, 450], verifyChance: 0.75, openChance: 0.04,
  },
  fuel_point: { outcomes: [['closed', 1]], rectifyChance: 0.2, rectifyAfter: [0, 5], resolveAfter: [0, 20], verifyChance: 0.6 },
  fungus_farm: { outcomes: [['closed', 0.4], ['upgraded', 0.6]], rectifyChance: 0.8, rectifyAfter: [3, 20], resolveAfter: [30, 200], verifyChance: 0.6 },
  construction_site: {
    outcomes: [['upgraded', 0.85], ['closed', 0.15]],
    rectifyChance: 0.9, rectifyAfter: [0, 3], resolveAfter: [7, 60], verifyChance: 0.5, openChance: 0.05,
  },
  dump_site: { outcomes: [['closed', 0.9], ['upgraded', 0.1]], rectifyChance: 0.8, rectifyAfter: [1, 10], resolveAfter: [5, 90], verifyChance: 0.7 },
  scattered_firm: { ...STANDARD_LIFE, verifyChance: 0.7, openChance: 0.08 },
};

const OUTCOME_NOTES: Record<Outcome, readonly string[]> = {
  closed: ['两断三清到位,依法取缔', '断水断电,原料设备产品清理完毕,予以取缔', '联合执法取缔,两断三清落实到位'],
  upgraded: ['完成整改提升,手续完善,治污设施到位', '场地硬化、车间密闭、围挡到位,整改提升完成'],
  relocated: ['搬迁入园,原址清理完毕', '整体搬迁至产业集聚区,原址两断三清'],
};

/** How much longer than the city's 45–200 days each county takes between 回头看 re-checks after 2022 (demo assumption). */
const COUNTY_RECHECK_PACE: Record<string, number> = { '411102': 0.9, '411103': 1, '411104': 1.15, '411121': 1.6, '411122': 1.25 };

const CHECKLIST: Checklist = Object.fromEntries(CLOSURE_CHECKLIST.map((item) => [item, true]));
const FUEL_CHECKLIST: Checklist = { ...CHECKLIST, tanksSealed: true };

// ---------------------------------------------------------------------------------------------

class DemoBuilder {
  readonly plans: Plan[] = [];
  readonly moves: [Plan, Plan][] = [];
  readonly decoys: [Plan, Plan][] = [];
  private readonly rng: Random;
  private readonly locator: CountyLocator;
  private readonly counties = new Map<string, County>();
  private readonly townships = new Map<string, Township[]>();
  private readonly villages = new Map<string, Village[]>();
  private readonly names = new Set<string>();
  /** Last day of the phase being generated: min(today, campaign end), then today. */
  private T: number;
  private readonly today: number;
  private readonly campaignEnd: number;
  private readonly P = toDay(DEMO_PLAN_DATE);
  private readonly verifyFrom = toDay('2020-08-01');

  constructor(db: Db, seed: number, today: string) {
    this.rng = new Random(seed);
    this.today = toDay(today);
    this.campaignEnd = Math.min(this.today, toDay(DEMO_CAMPAIGN_END));
    this.T = this.campaignEnd;
    const rows = db.all<{ code: string; name: string; geometry: string; seat_lon: number | null; seat_lat: number | null;
      min_lon: number; min_lat: number; max_lon: number; max_lat: number }>(
      'SELECT code, name, geometry, seat_lon, seat_lat, min_lon, min_lat, max_lon, max_lat FROM counties ORDER BY code',
    );
    if (!rows.length) throw new Error('generateDemo needs the county polygons: run migrate() and loadGeodata() first');
    this.locator = new CountyLocator(rows.map((r) => ({ code: r.code, geometry: JSON.parse(r.geometry) as Polygon | MultiPolygon })));
    for (const r of rows)
      this.counties.set(r.code, {
        code: r.code, name: r.name, seat: r.seat_lon === null || r.seat_lat === null ? null : [r.seat_lon, r.seat_lat],
        bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
      });
    for (const t of db.all<Township & { countyCode: string }>(
      'SELECT code, name, kind, admin_code AS adminCode, county_code AS countyCode FROM townships ORDER BY code',
    )) {
      const list = this.townships.get(t.countyCode) ?? [];
      list.push({ code: t.code, name: t.name, kind: t.kind, adminCode: t.adminCode });
      this.townships.set(t.countyCode, list);
    }
    for (const v of db.all<{ code: string; name: string; township: string }>(
      'SELECT code, name, township_code AS township FROM villages ORDER BY code',
    )) {
      const list = this.villages.get(v.township) ?? [];
      list.push({ code: v.code, short: villageShort(v.name) });
      this.villages.set(v.township, list);
    }
  }

  // --- random helpers ------------------------------------------------------------------------

  private int(range: readonly [number, number]): number {
    return this.rng.int(range[0], range[1]);
  }

  private weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let x = this.rng.next() * total;
    for (const [value, w] of options) if ((x -= w) < 0) return value;
    return options[options.length - 1]![0];
  }

  private dayIn(from: string, to: string): number {
    return this.rng.int(toDay(from), toDay(to));
  }

  private county(code: string): County {
    const county = this.counties.get(code);
    if (!county) throw new Error(`generateDemo: county ${code} is missing from the counties table`);
    return county;
  }

  private countySeat(code: string): LonLat {
    return this.county(code).seat ?? [...CITY_SEAT];
  }

  // --- positions (always inside a county polygon; resampled until so) -------------------------

  private at(p: LonLat, county?: string): Located | null {
    const lon = round6(p[0]);
    const lat = round6(p[1]);
    const code = this.locator.locate(lon, lat);
    if (!code || (county !== undefined && code !== county)) return null;
    return { lon, lat, county: code };
  }

  private sample(what: string, draw: () => Located | null): Located {
    for (let i = 0; i < 5000; i++) {
      const found = draw();
      if (found) return found;
    }
    throw new Error(`generateDemo: could not place ${what} inside a county`);
  }

  /** A point minKm–maxKm from `center`, inside any county (or the given one). */
  private ring(center: readonly [number, number], minKm: number, maxKm: number, county?: string): Located {
    return this.sample('a ring point', () => this.at(offsetKm(center, this.rng.range(minKm, maxKm), this.rng.range(0, 360)), county));
  }

  /** A uniform point in a county, optionally kept away from the city seat and the county seat. */
  private inCounty(code: string, awayFromCityKm = 0, awayFromSeatKm = 0): Located {
    const [minLon, minLat, maxLon, maxLat] = this.county(code).bbox;
    const seat = this.countySeat(code);
    return this.sample(`a point in ${code}`, () => {
      const p: LonLat = [this.rng.range(minLon, maxLon), this.rng.range(minLat, maxLat)];
      if (distanceKm(p, CITY_SEAT) < awayFromCityKm || distanceKm(p, seat) < awayFromSeatKm) return null;
      return this.at(p, code);
    });
  }

  /** A normally scattered point around `center` (cluster members). */
  private near(center: readonly [number, number], sdKm: number, county?: string): Located {
    return this.sample('a cluster point', () =>
      this.at(offsetKm(center, Math.abs(this.rng.normal(0, sdKm)), this.rng.range(0, 360)), county),
    );
  }

  private aroundCountySeat(minKm: number, maxKm: number): Located {
    const code = this.rng.pick(['411121', '411122']);
    return this.ring(this.countySeat(code), minKm, maxKm, code);
  }

  // --- places and names ----------------------------------------------------------------------

  private pickTownship(countyCode: string, position: LonLat | null, filter?: (t: Township) => boolean): Township {
    const all = this.townships.get(countyCode);
    if (!all?.length) throw new Error(`generateDemo: no townships for county ${countyCode}`);
    if (filter) {
      const chosen = all.filter(filter);
      if (chosen.length) return this.rng.pick(chosen);
    }
    const urban = (t: Township) => t.kind === '街道' || t.name === '舞泉镇';
    let nearCore = false;
    if (position)
      nearCore = URBAN_DISTRICTS.has(countyCode)
        ? distanceKm(position, CITY_SEAT) < 4.5
        : distanceKm(position, this.countySeat(countyCode)) < 3;
    const preferred = all.filter((t) => urban(t) === nearCore);
    return this.rng.pick(preferred.length ? preferred : all);
  }

  private newStem(): string {
    const a = this.rng.pick(SHOP_CHARS);
    let b = this.rng.pick(SHOP_CHARS);
    while (b === a) b = this.rng.pick(SHOP_CHARS);
    return a + b;
  }

  /** A stem sharing at least one character with `stem`. */
  private similarStem(stem: string): string {
    const [a, b] = [...stem] as [string, string];
    const fresh = this.rng.pick(SHOP_CHARS.filter((c) => c !== a && c !== b));
    return this.rng.pick([b + a, a + fresh, fresh + b, a + b]);
  }

  private unique(make: () => string): string {
    let name = make();
    for (let i = 0; i < 30 && this.names.has(name); i++) name = make();
    for (let n = 2; this.names.has(name); n++) if (!this.names.has(`${name}(${n})`)) name = `${name}(${n})`;
    this.names.add(name);
    return name;
  }

  private siteName(category: CategoryCode, sector: SectorCode | null, county: County, township: Township, village: Village, stem: string): string {
    const rng = this.rng;
    switch (category) {
      case 'scattered_firm':
        return `${county.name}${township.name}${stem}${rng.pick(TRADES[sector ?? 'industrial'])}`;
      case 'coal_point':
      case 'curing_barn':
      case 'fuel_point': {
        const suffix =
          category === 'coal_point' ? rng.pick(['散煤销售点', '煤炭经营部', '蜂窝煤销售点'])
          : category === 'curing_barn' ? rng.pick(['烟叶烤房', '烤烟房群'])
          : rng.pick(['加油点', '流动加油车', '油品经营点']);
        return `${township.name}${village.short}${stem}${suffix}`;
      }
      case 'construction_site':
        return `${county.name}${stem}${rng.pick(['华府', '花园', '名苑', '新城', '御园', '家园', '广场'])}${rng.pick(['项目工地', '二期项目工地', '三期项目工地', '安置房项目工地'])}`;
      case 'dump_site':
        return `${township.name}${village.short}${rng.pick(['东', '西', '南', '北', '东头坑塘', '西头沟渠'])}垃圾堆放点`;
      default:
        return `${county.name}${township.name}${stem}${rng.pick(SUFFIXES[category] ?? ['加工点'])}`;
    }
  }

  private address(county: County, township: Township, village: Village): string {
    const place = village.short.endsWith('村')
      ? `${village.short}${this.rng.pick(['东', '西', '南', '北'])}${this.rng.pick(['', '约200米', '约300米', '约500米', '路口'])}`
      : `${village.short}${this.rng.pick(['辖区', '沿街', '附近'])}`;
    return `${county.name}${township.name}${place}`;
  }

  private personStem(): string {
    return `${this.rng.pick(SURNAMES)}某${this.rng.chance(0.5) ? '某' : ''}`;
  }

  // --- plans -----------------------------------------------------------------------------------

  private epb(plan: Plan): string {
    return `${plan.county.name}生态环境分局`;
  }

  private gov(plan: Plan): string {
    return plan.township.adminCode === '411171' ? '经济技术开发区管委会' : `${plan.county.name}人民政府`;
  }

  private inspector(plan: Plan): string {
    const unit =
      plan.category === 'coal_point' && this.rng.chance(0.4) ? '市散烧办'
      : plan.category === 'fuel_point' && this.rng.chance(0.4) ? '市商务局'
      : this.rng.chance(0.55) ? this.epb(plan) : '市生态环境局';
    return `${unit} ${this.rng.pick(PEOPLE)}`;
  }

  private responsibleUnit(plan: Plan): string {
    switch (plan.category) {
      case 'fuel_point':
        return '市商务局';
      case 'coal_point':
        return this.rng.chance(0.5) ? '市市场监督管理局' : this.gov(plan);
      case 'curing_barn':
        return this.rng.chance(0.5) ? '市烟草专卖局' : this.gov(plan);
      case 'fungus_farm':
        return '市农业农村局';
      case 'construction_site':
        return '市住房和城乡建设局';
      case 'concrete_plant':
        return this.rng.chance(0.3) ? '市发展改革委' : this.gov(plan);
      default:
        return this.rng.chance(0.2) ? '市生态环境局' : this.gov(plan);
    }
  }

  private addPlan(spec: {
    group: Group;
    category: CategoryCode;
    sector?: SectorCode | null;
    at: Located;
    discovered: number;
    discoveredBy?: string;
    note: string;
    stem?: string;
    township?: (t: Township) => boolean;
  }): Plan {
    const county = this.county(spec.at.county);
    const township = this.pickTownship(county.code, [spec.at.lon, spec.at.lat], spec.township);
    const village = this.rng.pick(this.villages.get(township.code) ?? []);
    const personal = spec.category === 'coal_point' || spec.category === 'curing_barn' || spec.category === 'fuel_point';
    let stem = spec.stem ?? (personal ? this.personStem() : this.newStem());
    const sector = spec.sector ?? null;
    const name = this.unique(() => {
      const n = this.siteName(spec.category, sector, county, township, village, stem);
      if (this.names.has(n) && !spec.stem) stem = personal ? this.personStem() : this.newStem();
      return n;
    });
    const plan: Plan = {
      group: spec.group, category: spec.category, sector, name, stem, county, township, village,
      lon: spec.at.lon, lat: spec.at.lat, precision: 'exact', address: this.address(county, township, village),
      discoveredBy: '', note: spec.note, track: new Track(spec.discovered, this.T), deadline: null,
      responsibleUnit: '', inspections: [], pinned: false, key: '',
    };
    plan.discoveredBy = spec.discoveredBy ?? this.epb(plan);
    plan.responsibleUnit = this.responsibleUnit(plan);
    this.plans.push(plan);
    return plan;
  }

  private resolve(plan: Plan, outcome: Outcome, day: number): boolean {
    const note =
      plan.category === 'curing_barn' && outcome === 'upgraded' ? '完成烟叶烤房电代煤改造'
      : plan.category === 'coal_point' && outcome === 'upgraded' ? '停用散煤,改用电、天然气等清洁能源'
      : plan.category === 'construction_site' && outcome === 'upgraded' ? '落实“六个百分之百”扬尘防控措施,整改达标'
      : plan.category === 'construction_site' && outcome === 'closed' ? '责令停工整治,现场清理完毕'
      : plan.category === 'dump_site' && outcome === 'closed' ? '垃圾清运完毕,场地平整'
      : plan.category === 'wood_processing' && outcome === 'relocated' ? '搬迁入木业产业园,原址清理完毕'
      : plan.category === 'fuel_point' ? '两断三清到位,油罐水泥封盖或清除'
      : plan.category === 'coal_point' ? '剩余散煤处置到位,设备清除,营业执照注销'
      : this.rng.pick(OUTCOME_NOTES[outcome]);
    const actor = outcome === 'closed' && this.rng.chance(0.5) ? this.gov(plan) : this.epb(plan);
    if (!plan.track.go(outcome, day, actor, note)) return false;
    plan.resolvedDay ??= plan.track.last;
    return true;
  }

  private rectify(plan: Plan, day: number): boolean {
    const note =
      plan.category === 'curing_barn' ? '纳入电代煤改造计划'
      : this.rng.pick(['下达限期整改通知', '责令停产整治', '纳入整治清单,限期整改', '先停后治,限期完成整改']);
    return plan.track.go('rectifying', day, this.epb(plan), note);
  }

  private verify(plan: Plan, chance: number): void {
    if (!this.rng.chance(chance)) return;
    const day = Math.max(plan.track.last + this.rng.int(20, 150), this.verifyFrom + this.rng.int(0, 150));
    plan.track.go('verified', day, this.rng.chance(0.5) ? '市生态环境局' : '市污染防治攻坚办', '验收合格,挂账销号');
  }

  private life(plan: Plan, o: LifeOptions): void {
    const start = plan.track.discovered;
    // Found in the last weeks: often not handled yet.
    if (this.T - start < 45 && this.rng.chance(0.6)) return;
    if (this.rng.chance(o.openChance ?? 0)) {
      this.rectify(plan, start + this.int(o.rectifyAfter));
      return;
    }
    const outcome = this.weighted(o.outcomes);
    let day = start;
    if (this.rng.chance(o.rectifyChance)) {
      day += this.int(o.rectifyAfter);
      if (!this.rectify(plan, day)) return;
    }
    day += this.int(outcome === 'relocated' && o.relocateAfter ? o.relocateAfter : o.resolveAfter);
    if (this.resolve(plan, outcome, day)) this.verify(plan, o.verifyChance);
  }

  // --- groups ----------------------------------------------------------------------------------

  private firmPosition(): Located {
    const r = this.rng.next();
    if (r < 0.45) return this.ring(CITY_SEAT, 1.5, 14);
    if (r < 0.7) return this.aroundCountySeat(1, 7);
    return this.inCounty(this.rng.pick([...this.counties.keys()]));
  }

  private sector2020(): SectorCode {
    return this.weighted<SectorCode>([['industrial', 0.8], ['agricultural', 0.08], ['service', 0.12]]);
  }

  /** Tasks 2/11: 119 found in 2020; on 2020-07-23, 103 closed and 16 rectifying. */
  private firms2020(): void {
    const P = this.P;
    const lateOutcomes: Outcome[] = [...Array<Outcome>(10).fill('closed'), ...Array<Outcome>(4).fill('upgraded'), 'relocated', 'relocated'];
    for (let i = 0; i < 119; i++) {
      const disc = this.dayIn('2020-01-06', '2020-07-10');
      const plan = this.addPlan({
        group: 'firm2020', category: 'scattered_firm', sector: this.sector2020(), at: this.firmPosition(), discovered: disc,
        discoveredBy: this.rng.chance(0.3) ? '市生态环境局' : undefined, note: '2020年“散乱污”企业专项排查发现',
      });
      if (i < 103) {
        const close = Math.max(disc, Math.min(disc + this.rng.int(5, 90), P - this.rng.int(0, 6)));
        if (close - disc >= 2 && this.rng.chance(0.6)) this.rectify(plan, disc + this.rng.int(1, close - disc - 1));
        this.resolve(plan, 'closed', close);
        this.verify(plan, 0.88);
      } else {
        this.rectify(plan, Math.min(disc + this.rng.int(1, 30), P));
        const outcome = lateOutcomes[i - 103]!;
        const day = outcome === 'relocated' ? P + this.rng.int(60, 330) : P + this.rng.int(8, 130);
        if (this.resolve(plan, outcome, day)) this.verify(plan, 0.85);
      }
    }
  }

  /** Task 14: 89 found by the provincial inspectors on 2019-12-12..27 (68 industrial, 8 agricultural, 13 service). */
  private firms2019(): void {
    const sectors = this.rng.shuffle<SectorCode>([
      ...Array<SectorCode>(68).fill('industrial'), ...Array<SectorCode>(8).fill('agricultural'), ...Array<SectorCode>(13).fill('service'),
    ]);
    for (const sector of sectors) {
      const disc = this.dayIn('2019-12-12', '2019-12-27');
      const plan = this.addPlan({
        group: 'firm2019', category: 'scattered_firm', sector, at: this.firmPosition(), discovered: disc,
        discoveredBy: '省委第六“三散”污染治理专项督察组', note: '省委“三散”污染治理专项督察组进驻期间新发现',
      });
      plan.planDeadline = '2020-08-31';
      const outcome = this.weighted<Outcome>([['closed', 0.55], ['upgraded', 0.3], ['relocated', 0.15]]);
      const late = this.rng.chance(0.12);
      if (late || this.rng.chance(0.7)) this.rectify(plan, this.dayIn('2020-01-02', '2020-04-20'));
      const day = late ? this.dayIn('2020-09-01', '2021-06-30') : Math.max(plan.track.last + 10, this.dayIn('2020-02-15', '2020-08-21'));
      if (this.resolve(plan, outcome, day)) this.verify(plan, 0.85);
    }
  }

  /** 动态清零: a trickle of new scattered firms in 2021–2022. */
  private firmsLater(): void {
    for (let i = 0; i < 16; i++) {
      const plan = this.addPlan({
        group: 'firmLater', category: 'scattered_firm', sector: this.sector2020(), at: this.firmPosition(),
        discovered: this.dayIn('2021-01-05', '2022-12-10'), note: this.rng.pick(['动态清零排查发现', '群众举报核实', '暗访发现']),
      });
      this.life(plan, LIFE.scattered_firm!);
    }
  }

  /** Task 18: 45 loose-coal sales points closed before mid-2020; tasks 16: breakfast shops found by 晨查夜查. */
  private coal(): void {
    const lastClose = toDay('2020-06-28');
    for (let i = 0; i < 45; i++) {
      const disc = this.dayIn('2019-09-16', '2020-04-13');
      const at = this.rng.chance(0.5) ? this.ring(CITY_SEAT, 3, 25) : this.inCounty(this.rng.pick([...this.counties.keys()]));
      const plan = this.addPlan({
        group: 'coal45', category: 'coal_point', at, discovered: disc,
        discoveredBy: this.rng.chance(0.5) ? '市散烧办' : undefined, note: '散煤销售网点排查发现',
      });
      this.resolve(plan, 'closed', Math.min(disc + this.rng.int(0, 30), lastClose));
      this.verify(plan, 0.55);
    }
    const winters: [string, string, number][] = [
      ['2020-11-15', '2021-02-28', 12], ['2021-11-15', '2022-02-28', 10], ['2022-11-15', '2022-12-25', 4],
    ];
    for (const [from, to, count] of winters)
      for (let i = 0; i < count; i++) {
        const at = this.rng.chance(0.6) ? this.ring(CITY_SEAT, 1.5, 8) : this.aroundCountySeat(0.5, 4);
        const plan = this.addPlan({
          group: 'coalUse', category: 'coal_point', at, discovered: this.dayIn(from, to), note: '晨查夜查发现早餐店违规使用散煤',
        });
        plan.name = this.unique(() => `${plan.township.name}${plan.village.short}${plan.stem}${this.rng.pick(['早餐店', '烧饼店', '羊肉汤馆', '胡辣汤店'])}散煤使用点`);
        this.life(plan, {
          outcomes: [['upgraded', 0.6], ['closed', 0.4]], rectifyChance: 0.3, rectifyAfter: [0, 3], resolveAfter: [1, 20], verifyChance: 0.4,
        });
      }
  }

  /** Tasks 2/14/25: sand yards, concrete plants, cement prefab, cartons and brick kilns around the core. */
  private industry(): void {
    for (let i = 0; i < 42; i++) {
      const r = this.rng.next();
      const at = r < 0.75 ? this.ring(CITY_SEAT, 2, 10) : r < 0.9 ? this.aroundCountySeat(1.5, 6) : this.inCounty(this.rng.pick([...this.counties.keys()]), 5);
      const y = this.rng.next();
      const disc = y < 0.8 ? this.dayIn('2020-03-01', '2020-10-31') : y < 0.95 ? this.dayIn('2021-01-04', '2021-12-20') : this.dayIn('2022-01-04', '2022-11-30');
      this.life(this.addPlan({ group: 'industry', category: 'sand_yard', at, discovered: disc, note: '砂石料场综合整治排查发现' }), LIFE.sand_yard!);
    }
    // Concrete plants: a few inside 6 km of the seat, three of them still not relocated at the end.
    const openDeadlines = ['2022-06-30', '2022-09-30', '2023-06-30'];
    for (let i = 0; i < 14; i++) {
      const at = i < 5 ? this.ring(CITY_SEAT, 1.5, 6) : i < 12 ? this.ring(CITY_SEAT, 6, 12) : this.aroundCountySeat(1.5, 5);
      const plan = this.addPlan({ group: 'industry', category: 'concrete_plant', at, discovered: this.dayIn('2020-06-01', '2020-12-18'), note: '“工业围城”商混站摸排' });
      if (i < openDeadlines.length) {
        if (plan.track.go('rectifying', plan.track.discovered + this.rng.int(5, 40), this.epb(plan), '列入搬迁计划,限期搬迁入园'))
          plan.openDeadline = openDeadlines[i]!;
      } else this.life(plan, LIFE.concrete_plant!);
    }
    for (let i = 0; i < 18; i++) {
      const at = this.rng.chance(0.8) ? this.ring(CITY_SEAT, 2, 10) : this.aroundCountySeat(1.5, 6);
      this.life(this.addPlan({ group: 'industry', category: 'cement_prefab', at, discovered: this.dayIn('2020-03-01', '2021-06-30'), note: '水泥预制行业排查发现' }), LIFE.cement_prefab!);
    }
    for (let i = 0; i < 10; i++)
      this.life(this.addPlan({ group: 'industry', category: 'carton_maker', at: this.ring(CITY_SEAT, 2, 8), discovered: this.dayIn('2020-04-01', '2021-12-15'), note: '纸箱制作作坊排查发现' }), LIFE.carton_maker!);
    for (let i = 0; i < 8; i++) {
      const at = i < 4 ? this.inCounty('411104', 5) : this.inCounty('411122', 0, 3);
      this.life(this.addPlan({ group: 'industry', category: 'brick_kiln', at, discovered: this.dayIn('2020-03-01', '2020-09-30'), note: '砖瓦窑产业集群整治排查', township: (t) => t.kind !== '街道' }), LIFE.brick_kiln!);
    }
  }

  /** Tasks 12/14: wood processing in tight clusters (召陵区, 临颍县, 郾城区), each found in one sweep. */
  private wood(): void {
    const clusters: { center: Located; sd: number; count: number; sweep: number }[] = [
      { center: this.ring(CITY_SEAT, 6, 10, '411104'), sd: 0.45, count: 16, sweep: this.dayIn('2020-04-08', '2020-04-20') },
      { center: this.ring(this.countySeat('411122'), 4, 9, '411122'), sd: 0.4, count: 14, sweep: this.dayIn('2020-05-11', '2020-05-20') },
      { center: this.ring(CITY_SEAT, 4, 8, '411103'), sd: 0.3, count: 8, sweep: this.dayIn('2020-09-07', '2020-09-14') },
    ];
    for (const c of clusters)
      for (let i = 0; i < c.count; i++) {
        const at = this.near([c.center.lon, c.center.lat], c.sd, c.center.county);
        this.life(this.addPlan({ group: 'wood', category: 'wood_processing', at, discovered: c.sweep + this.rng.int(0, 14), note: '木业产业集群综合整治排查' }), LIFE.wood_processing!);
      }
    for (let i = 0; i < 6; i++)
      this.life(this.addPlan({ group: 'wood', category: 'wood_processing', at: this.ring(CITY_SEAT, 2, 12), discovered: this.dayIn('2020-03-01', '2021-09-30'), note: '木材加工企业排查发现' }), LIFE.wood_processing!);
  }

  /** Tasks 8/15: black fuel points and mobile tankers. */
  private fuel(): void {
    for (let i = 0; i < 14; i++) {
      const r = this.rng.next();
      const at = r < 0.5 ? this.ring(CITY_SEAT, 2, 15) : r < 0.75 ? this.aroundCountySeat(1, 6) : this.inCounty(this.rng.pick([...this.counties.keys()]));
      const plan = this.addPlan({
        group: 'fuel', category: 'fuel_point', at, discovered: this.dayIn('2019-12-15', '2022-10-10'),
        discoveredBy: this.rng.chance(0.4) ? '市商务局' : undefined, note: '打击黑加油站点联合检查发现',
      });
      this.life(plan, LIFE.fuel_point!);
    }
  }

  /** Task 17: coal-fired tobacco curing barns (电代煤 2020–2022) and coal-fired fungus farms. */
  private agriculture(): void {
    for (let i = 0; i < 30; i++) {
      const urban = i < 5;
      const code = urban ? this.rng.pick(['411102', '411103', '411104']) : i < 19 ? '411121' : '411122';
      const at = urban ? this.inCounty(code, 8) : this.inCounty(code, 0, 5);
      const plan = this.addPlan({
        group: 'barn', category: 'curing_barn', at, discovered: this.dayIn('2020-04-01', '2020-06-15'), note: '烟叶烤房燃煤情况摸底',
        township: urban ? (t) => t.kind !== '街道' : (t) => TOBACCO_TOWNSHIPS.has(t.name),
      });
      this.rectify(plan, this.dayIn('2020-06-16', '2020-09-20'));
      if (!urban && (i === 19 || i === 29)) {
        plan.openDeadline = '2022-10-31';
        continue;
      }
      const day = urban ? this.dayIn('2020-09-21', '2020-12-20') : this.rng.chance(0.82) ? this.dayIn('2021-03-01', '2021-12-15') : this.dayIn('2022-03-01', '2022-11-30');
      if (this.resolve(plan, 'upgraded', day)) this.verify(plan, 0.65);
    }
    for (let i = 0; i < 5; i++) {
      const at = this.inCounty(this.rng.pick([...this.counties.keys()]), 6);
      this.life(this.addPlan({ group: 'fungus', category: 'fungus_farm', at, discovered: this.dayIn('2020-05-01', '2021-03-31'), note: '食用菌生产用煤排查', township: (t) => t.kind !== '街道' }), LIFE.fungus_farm!);
    }
  }

  /** Tasks 19/21: construction sites in the city, open-air dumps at the fringe. */
  private dust(): void {
    for (let i = 0; i < 16; i++)
      this.life(this.addPlan({ group: 'construction', category: 'construction_site', at: this.ring(CITY_SEAT, 0.8, 7), discovered: this.dayIn('2020-03-01', '2022-11-16'), note: '扬尘污染专项检查发现' }), LIFE.construction_site!);
    for (let i = 0; i < 10; i++) {
      const at = this.rng.chance(0.6) ? this.ring(CITY_SEAT, 3, 15) : this.inCounty(this.rng.pick([...this.counties.keys()]), 5);
      this.life(this.addPlan({ group: 'dump', category: 'dump_site', at, discovered: this.dayIn('2020-04-01', '2022-10-31'), note: '农村垃圾露天堆放排查发现' }), LIFE.dump_site!);
    }
  }

  // --- relapses, moves, decoys -------------------------------------------------------------------

  /** 死灰复燃: about 10% of the sites ever closed or upgraded, after 2020-07. */
  private relapses(): void {
    const resolved = this.plans.filter((p) => p.track.has('closed') || p.track.has('upgraded'));
    const target = Math.round(resolved.length * 0.1);
    const candidates = this.plans
      .filter((p) => p.resolvedDay !== undefined && Math.max(p.resolvedDay + 45, this.verifyFrom) + 30 <= this.T)
      .map((p) => {
        const weight =
          ['fuel_point', 'coal_point', 'sand_yard', 'scattered_firm'].includes(p.category) ? 1.5
          : p.category === 'construction_site' ? 0.7
          : p.track.has('relocated') ? 0.3 : 1;
        return { p, key: this.rng.next() / weight };
      })
      .sort((a, b) => a.key - b.key)
      .slice(0, target);
    for (const { p } of candidates) {
      const lo = Math.max(p.resolvedDay! + 45, this.verifyFrom);
      const day = this.rng.int(lo, Math.min(this.T, lo + 600));
      p.track.truncateFrom(day);
      const byInspection = this.rng.chance(0.75);
      const note =
        p.category === 'coal_point' ? '复查发现复烧、复售散煤'
        : p.category === 'fuel_point' ? '复查发现恢复经营加油'
        : byInspection ? '回头看发现死灰复燃,擅自恢复生产' : '群众举报,核实已恢复生产';
      const inspector = byInspection ? this.inspector(p) : undefined;
      p.track.go('relapsed', day, inspector?.split(' ')[0] ?? this.epb(p), note, inspector);
      const next = this.rng.next();
      if (next < 0.55) {
        if (p.track.go('closed', day + this.rng.int(3, 45), this.gov(p), '再次取缔,两断三清到位')) this.verify(p, 0.5);
      } else if (next < 0.75) {
        if (this.rectify(p, day + this.rng.int(3, 30)) && this.rng.chance(0.5))
          this.resolve(p, this.rng.chance(0.5) ? 'closed' : 'upgraded', p.track.last + this.rng.int(20, 150));
      }
    }
  }

  /** 改头换面转移: a closed site's operator reopens nearby under a similar name. */
  private movesAndDecoys(): void {
    const quota: [CategoryCode, number][] = [
      ['sand_yard', 9], ['wood_processing', 5], ['cement_prefab', 2], ['carton_maker', 2], ['brick_kiln', 1], ['concrete_plant', 1],
    ];
    const used = new Set<Plan>();
    const origins = (category: CategoryCode, minDays: number) =>
      this.rng.shuffle(
        this.plans.filter(
          (p) => p.category === category && !used.has(p) && p.group !== 'move' && p.group !== 'decoy' &&
            p.track.has('closed') && !p.track.has('relapsed') && p.track.firstDay('closed')! + minDays <= this.T,
        ),
      );
    const spawn = (origin: Plan, at: Located, discovered: number, group: 'move' | 'decoy', similar: boolean): Plan => {
      const plan = this.addPlan({
        group, category: origin.category, at, discovered, note: this.rng.pick(['排查新发现', '群众举报核实', '暗访发现']),
        stem: similar ? this.similarStem(origin.stem) : undefined,
      });
      plan.pinned = true;
      origin.pinned = true;
      used.add(origin);
      this.life(plan, { ...(LIFE[origin.category] ?? STANDARD_LIFE), openChance: 0.1 });
      return plan;
    };
    for (const [category, count] of quota)
      for (const origin of origins(category, 25).slice(0, count)) {
        const closed = origin.track.firstDay('closed')!;
        const at = this.ring([origin.lon!, origin.lat!], 0.6, 2.8);
        const day = closed + this.rng.int(20, Math.min(170, this.T - closed));
        this.moves.push([origin, spawn(origin, at, day, 'move', true)]);
      }
    // Decoys: same kind nearby but too late, or in time but far away.
    for (let i = 0; i < 6; i++) {
      const late = i < 3;
      const category = this.rng.pick<CategoryCode>(['sand_yard', 'wood_processing', 'cement_prefab']);
      const origin = origins(category, late ? 220 : 25)[0];
      if (!origin) continue;
      const closed = origin.track.firstDay('closed')!;
      const center: LonLat = [origin.lon!, origin.lat!];
      const at = late ? this.ring(center, 0.6, 2.8) : this.ring(center, 6, 12);
      const day = late ? closed + this.rng.int(200, Math.min(420, this.T - closed)) : closed + this.rng.int(20, Math.min(170, this.T - closed));
      this.decoys.push([origin, spawn(origin, at, day, 'decoy', !late)]);
    }
  }

  // --- finishing: precision, inspections, deadlines -------------------------------------------

  private precision(): void {
    const free = this.plans.filter((p) => !p.pinned);
    const unlocated = this.rng
      .shuffle(free.filter((p) => p.group === 'firm2019' || p.group === 'coal45' || p.group === 'fuel'))
      .slice(0, 5);
    for (const p of unlocated) {
      p.lon = null;
      p.lat = null;
      p.precision = 'unlocated';
    }
    for (const p of free) {
      if (p.precision !== 'exact' || !this.rng.chance(0.1)) continue;
      const code = p.county.code;
      for (let i = 0; i < 50; i++) {
        const moved = this.at(offsetKm([p.lon!, p.lat!], this.rng.range(0.15, 0.6), this.rng.range(0, 360)), code);
        if (!moved) continue;
        p.lon = moved.lon;
        p.lat = moved.lat;
        p.precision = 'approximate';
        p.note = `${p.note};位置仅知到村(${p.village.short})`;
        break;
      }
    }
  }

  private inspections(p: Plan): void {
    const timeline = [{ to: 'discovered' as StatusCode, day: p.track.discovered }, ...p.track.events];
    timeline.forEach((cur, i) => {
      const next = timeline[i + 1];
      const from = cur.day + 10;
      const end = (next ? next.day : this.T + 1) - 1;
      const to = Math.min(end, this.campaignEnd);
      const resolvedState = cur.to === 'closed' || cur.to === 'verified' || cur.to === 'relocated';
      if (end > this.campaignEnd) this.rechecksAfterCampaign(p, cur.to, Math.max(from, this.campaignEnd + 1), end);
      if (to < from) return;
      const chance = resolvedState ? 0.5 : cur.to === 'upgraded' ? 0.3 : cur.to === 'rectifying' ? 0.2 : 0;
      if (!this.rng.chance(chance)) return;
      const count = this.rng.int(1, Math.min(3, 1 + Math.floor((to - from) / 120)));
      const days = new Set<number>();
      for (let k = 0; k < count; k++) days.add(this.rng.int(from, to));
      for (const day of [...days].sort((a, b) => a - b))
        p.inspections.push({ day, inspector: this.inspector(p), result: resolvedState ? 'closed_as_recorded' : 'operating', note: this.inspectionNote(cur.to) });
    });
    for (const e of p.track.events)
      if (e.inspector) p.inspections.push({ day: e.day, inspector: e.inspector, result: 'relapsed', note: e.note });
    p.inspections.sort((a, b) => a.day - b.day);
  }

  private inspectionNote(state: StatusCode): string {
    if (state === 'closed' || state === 'verified' || state === 'relocated')
      return this.rng.pick(['回头看:两断三清到位,未发现复产', '回头看:现场无生产迹象', '暗访复查:设备已清除,未恢复生产']);
    return state === 'upgraded' ? '复查:整改提升后正常生产,治污设施运行正常' : '督导检查:整改进行中,督促按期完成';
  }

  /**
   * After 2022 the 回头看 re-checks run on a cycle: a dealt-with site is visited every 45–200 days
   * (upgraded ones less often), stretched by its county's pace, so some counties fall behind; a site
   * being rectified gets a supervision visit every 60–180 days.
   */
  private rechecksAfterCampaign(p: Plan, state: StatusCode, from: number, to: number): void {
    if (to < from || state === 'discovered' || state === 'relapsed') return;
    const resolvedState = state === 'closed' || state === 'verified' || state === 'relocated';
    const pace = (COUNTY_RECHECK_PACE[p.county.code] ?? 1) * (state === 'upgraded' ? 1.4 : 1);
    const gap: [number, number] = state === 'rectifying' ? [60, 180] : [45, 200];
    for (let day = from + Math.round(this.rng.int(0, 120) * pace); day <= to; day += Math.round(this.int(gap) * pace))
      p.inspections.push({ day, inspector: this.inspector(p), result: resolvedState ? 'closed_as_recorded' : 'operating', note: this.inspectionNote(state) });
  }

  private deadline(p: Plan): void {
    const open = (OPEN_STATUSES as readonly StatusCode[]).includes(p.track.status);
    if (open && p.openDeadline) {
      p.deadline = p.openDeadline;
    } else if (open) {
      // Set after the last event; deadlines gone by more than a year were extended (延期) to 9
      // months before to 6 months after today.
      const due = p.track.last + this.rng.int(30, 240);
      p.deadline = toIso(due < this.T - 364 ? this.rng.int(this.T - 275, this.T + 181) : due);
    } else if (p.planDeadline) {
      p.deadline = p.planDeadline;
    } else {
      const rectified = p.track.firstDay('rectifying');
      p.deadline = rectified === undefined ? null : toIso(rectified + this.rng.int(30, 180));
    }
  }

  // --- after the planned campaign: continued day by day up to today ----------------------------

  /**
   * Continues the campaign from 2023 to `today`: open sites are dealt with (a few stay open),
   * new sites are found at the 2021–2022 pace (动态清零), dealt-with sites relapse at about 4.5% a
   * year (fuel, coal, sand and scattered firms more, relocated ones less) and are closed again.
   */
  private continueCampaign(): void {
    if (this.today <= this.campaignEnd) return;
    const start = this.campaignEnd + 1;
    this.T = this.today;
    for (const p of this.plans) p.track.end = this.today;
    for (const p of this.plans) this.carryOn(p, start);
    const years = (this.today - start + 1) / 365.25;
    const finds: [CategoryCode, number][] = [
      ['scattered_firm', 18], ['construction_site', 6], ['dump_site', 4], ['fuel_point', 3], ['sand_yard', 3], ['wood_processing', 2],
    ];
    for (const [category, perYear] of finds) {
      const count = Math.round(perYear * years);
      for (let i = 0; i < count; i++) {
        const discovered = this.rng.int(start, this.today);
        const plan = this.addPlan({
          group: 'after', category, sector: category === 'scattered_firm' ? this.sector2020() : null, at: this.findPosition(category), discovered,
          note: this.rng.pick(['动态清零排查发现', '群众举报核实', '暗访发现', '网格员巡查发现']),
        });
        this.carryOn(plan, discovered);
      }
    }
    // 晨查夜查: breakfast shops burning loose coal, found each winter.
    for (let year = new Date(start * DAY_MS).getUTCFullYear(); ; year++) {
      const from = Math.max(start, toDay(`${year - 1}-11-15`));
      const to = Math.min(this.today, toDay(`${year}-02-28`));
      if (from > this.today) break;
      for (let i = 0; from <= to && i < 6; i++) {
        const at = this.rng.chance(0.6) ? this.ring(CITY_SEAT, 1.5, 8) : this.aroundCountySeat(0.5, 4);
        const plan = this.addPlan({ group: 'after', category: 'coal_point', at, discovered: this.rng.int(from, to), note: '晨查夜查发现早餐店违规使用散煤' });
        plan.name = this.unique(() => `${plan.township.name}${plan.village.short}${plan.stem}${this.rng.pick(['早餐店', '烧饼店', '羊肉汤馆', '胡辣汤店'])}散煤使用点`);
        this.carryOn(plan, plan.track.discovered);
      }
    }
  }

  private findPosition(category: CategoryCode): Located {
    if (category === 'scattered_firm') return this.firmPosition();
    if (category === 'construction_site') return this.ring(CITY_SEAT, 0.8, 7);
    if (category === 'sand_yard' || category === 'wood_processing') return this.ring(CITY_SEAT, 2, 12);
    return this.rng.chance(0.5) ? this.ring(CITY_SEAT, 2, 15) : this.inCounty(this.rng.pick([...this.counties.keys()]), 5);
  }

  /** One site's life from `from` to today: dealt with when open, re-verified, relapsing and closed again. */
  private carryOn(p: Plan, from: number): void {
    const life = LIFE[p.category] ?? STANDARD_LIFE;
    const weight =
      ['fuel_point', 'coal_point', 'sand_yard', 'scattered_firm'].includes(p.category) ? 1.5
      : p.category === 'construction_site' ? 0.7 : 1;
    for (let round = 0; round < 20 && p.track.last <= this.today; round++) {
      const status = p.track.status;
      if ((OPEN_STATUSES as readonly StatusCode[]).includes(status)) {
        // Most open sites are dealt with within a year; some drag on past their deadline.
        if (p.openDeadline ? !this.rng.chance(0.6) : this.rng.chance(0.1)) return;
        const base = Math.max(from, p.track.last, p.openDeadline ? toDay(p.openDeadline) : 0);
        if (status !== 'rectifying' && this.rng.chance(status === 'relapsed' ? 0.4 : 0.6)) {
          if (!this.rectify(p, base + this.rng.int(1, 30))) return;
        }
        const outcome = status === 'relapsed' && p.track.status === 'relapsed' ? 'closed' : this.weighted(life.outcomes);
        const day = p.track.last + this.int(outcome === 'relocated' && life.relocateAfter ? life.relocateAfter : life.resolveAfter);
        if (!this.resolve(p, outcome, day)) return;
        p.openDeadline = undefined;
        this.verify(p, life.verifyChance);
        continue;
      }
      // Dealt with: the next relapse comes after an exponential wait (4.5% a year, weighted).
      const rate = (0.045 * (p.track.has('relocated') ? 0.3 : weight)) / 365.25;
      const day = Math.max(from, p.track.last) + 45 + Math.round(-Math.log(1 - this.rng.next()) / rate);
      if (day > this.today) return;
      const byInspection = this.rng.chance(0.75);
      const inspector = byInspection ? this.inspector(p) : undefined;
      const note = byInspection ? '回头看发现死灰复燃,擅自恢复生产' : '群众举报,核实已恢复生产';
      if (!p.track.go('relapsed', day, inspector?.split(' ')[0] ?? this.epb(p), note, inspector)) return;
    }
  }

  build(): void {
    this.firms2020();
    this.firms2019();
    this.firmsLater();
    this.coal();
    this.industry();
    this.wood();
    this.fuel();
    this.agriculture();
    this.dust();
    this.relapses();
    this.movesAndDecoys();
    this.continueCampaign();
    // With an early `today`, sites not yet found are left out.
    const found = this.plans.filter((p) => p.track.discovered <= this.T);
    this.plans.splice(0, this.plans.length, ...found);
    this.precision();
    for (const p of this.plans) {
      this.inspections(p);
      this.deadline(p);
    }
  }

  // --- roads -------------------------------------------------------------------------------------

  /** Eight drawn segments near the seat (those reported after `today` left out). */
  roads(): RoadPlan[] {
    const names = this.rng.shuffle([...ROAD_NAMES]).slice(0, 8);
    const roads = names.map((roadName, i): RoadPlan => {
      let line: LonLat[] = [];
      let county = '';
      for (let attempt = 0; attempt < 1000 && !county; attempt++) {
        const center = offsetKm(CITY_SEAT, this.rng.range(0.5, 5), this.rng.range(0, 360));
        const eastWest = this.rng.chance(0.5);
        const length = this.rng.range(0.6, 2.5);
        const n = this.rng.int(2, 6);
        line = [];
        for (let k = 0; k < n; k++) {
          const along = -length / 2 + (length * k) / (n - 1);
          const wiggle = k === 0 || k === n - 1 ? 0 : this.rng.range(-0.04, 0.04);
          const p = offsetKm(offsetKm(center, along, eastWest ? 90 : 0), wiggle, eastWest ? 0 : 90);
          line.push([round6(p[0]), round6(p[1])]);
        }
        const mid = midpoint(line);
        county = this.locator.locate(mid[0], mid[1]) ?? '';
      }
      if (!county) throw new Error('generateDemo: could not place a road segment');
      const [from, to] = this.rng.shuffle(CROSS_STREETS.filter((s) => s !== roadName)).slice(0, 2) as [string, string];
      const reported = i < 6 ? this.dayIn('2020-03-01', '2021-10-31') : this.dayIn('2022-03-01', '2022-09-30');
      const events: { to: RoadStatusCode; day: number; actor: string; note: string }[] = [];
      const countyName = this.county(county).name;
      let day = reported;
      const skipSchedule = this.rng.chance(0.15);
      const steps: [RoadStatusCode, [number, number], string][] = [
        ['scheduled', [10, 60], '列入道路维修计划'],
        ['repairing', [15, 120], '开始维修施工'],
        ['repaired', [10, 90], '维修完成,路面恢复'],
      ];
      const stopAfter = i === 6 ? 'scheduled' : i === 7 ? 'repairing' : null;
      for (const [status, gap, note] of steps) {
        if (status === 'scheduled' && skipSchedule && stopAfter === null) continue;
        day += this.int(gap);
        if (day > this.T) break;
        events.push({ to: status, day, actor: this.rng.chance(0.5) ? `${countyName}人民政府` : '市城市管理局', note });
        if (status === stopAfter) break;
      }
      return {
        roadName, fromDesc: from, toDesc: to,
        severity: this.weighted<RoadSeverity>([['minor', 0.3], ['moderate', 0.5], ['severe', 0.2]]),
        responsibleUnit: this.rng.chance(0.6) ? `${countyName}人民政府` : '市住房和城乡建设局',
        deadline: toIso(reported + this.rng.int(90, 240)), county, line, reported, events,
        note: this.rng.pick(['路面坑槽、破损,车辆通行扬尘', '路面破损,沥青剥落', '人行道及路缘石损坏,积尘明显']),
      };
    });
    return roads.filter((r) => r.reported <= this.T);
  }
}

interface RoadPlan {
  roadName: string;
  fromDesc: string;
  toDesc: string;
  severity: RoadSeverity;
  responsibleUnit: string;
  deadline: string;
  county: string;
  line: LonLat[];
  reported: number;
  events: { to: RoadStatusCode; day: number; actor: string; note: string }[];
  note: string;
}

/** The point halfway along a polyline. */
function midpoint(line: readonly LonLat[]): LonLat {
  const lengths = line.slice(1).map((p, i) => distanceKm(line[i]!, p));
  let half = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!;
    if (half <= len && len > 0) {
      const t = half / len;
      const [a, b] = [line[i]!, line[i + 1]!];
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    }
    half -= len;
  }
  return line[line.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Writing and counting.

/** A fixed timestamp for a day: office hours in Beijing, varied by a counter so rows differ. */
const stamp = (day: number, n: number): string =>
  `${toIso(day)}T${String(1 + (n % 8)).padStart(2, '0')}:${String((n * 7) % 60).padStart(2, '0')}:00.000Z`;

type Action =
  | { day: number; plan: number; order: number; kind: 'site' }
  | { day: number; plan: number; order: number; kind: 'event'; event: PlanEvent }
  | { day: number; plan: number; order: number; kind: 'inspection'; inspection: PlanInspection };

function write(db: Db, builder: DemoBuilder, roads: RoadPlan[], seed: number, today: string): void {
  const plans = builder.plans;
  // Sites get ids in discovery order; every row is written in date order.
  const order = plans.map((_, i) => i).sort((a, b) => plans[a]!.track.discovered - plans[b]!.track.discovered || a - b);
  order.forEach((planIndex, rank) => (plans[planIndex]!.key = `demo:${String(rank + 1).padStart(4, '0')}`));
  const actions: Action[] = [];
  plans.forEach((p, i) => {
    actions.push({ day: p.track.discovered, plan: i, order: -1, kind: 'site' });
    p.track.events.forEach((event, k) => actions.push({ day: event.day, plan: i, order: k, kind: 'event', event }));
    p.inspections.forEach((inspection, k) =>
      actions.push({ day: inspection.day, plan: i, order: 1000 + k, kind: 'inspection', inspection }),
    );
  });
  const rank = new Map(order.map((planIndex, r) => [planIndex, r]));
  actions.sort((a, b) => a.day - b.day || rank.get(a.plan)! - rank.get(b.plan)! || a.order - b.order);

  const ids = new Map<number, number>();
  actions.forEach((action, n) => {
    const p = plans[action.plan]!;
    const now = stamp(action.day, n);
    if (action.kind === 'site') {
      ids.set(action.plan, insertSite(db, {
        name: p.name, category: p.category, sector: p.sector, address: p.address, countyCode: p.county.code,
        townshipCode: p.township.code, villageCode: p.village.code,
        managingZone: p.township.adminCode === '411171' ? '经济技术开发区' : null,
        lon: p.lon, lat: p.lat, precision: p.precision, source: 'demo', discoveredOn: toIso(p.track.discovered),
        deadline: p.deadline, responsibleUnit: p.responsibleUnit, note: p.note, seedKey: p.key, actor: p.discoveredBy,
      }, now));
    } else if (action.kind === 'event') {
      const e = action.event;
      addSiteEvent(db, ids.get(action.plan)!, {
        to: e.to, date: toIso(e.day), actor: e.actor, note: e.note,
        checklist: e.to === 'closed' ? (p.category === 'fuel_point' ? FUEL_CHECKLIST : CHECKLIST) : null,
      }, { now, today });
    } else {
      const i = action.inspection;
      db.run('INSERT INTO inspections (site_id, date, inspector, result, note, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        ids.get(action.plan)!, toIso(i.day), i.inspector, i.result, i.note, now,
      ]);
    }
  });

  const taskRow = db.get<{ number: number }>('SELECT number FROM tasks WHERE number = 19');
  roads.forEach((r, i) => {
    const now = stamp(r.reported, i);
    const lons = r.line.map((p) => p[0]);
    const lats = r.line.map((p) => p[1]);
    const id = Number(db.run(
      `INSERT INTO road_segments (road_name, from_desc, to_desc, severity, responsible_unit, deadline, county_code, geometry,
         min_lon, min_lat, max_lon, max_lat, status, source, task_number, reported_on, note, seed_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', 'demo', ?, ?, ?, ?, ?, ?)`,
      [
        r.roadName, r.fromDesc, r.toDesc, r.severity, r.responsibleUnit, r.deadline, r.county,
        JSON.stringify({ type: 'LineString', coordinates: r.line }), Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats),
        taskRow ? 19 : null, toIso(r.reported), r.note, `demo:road:${i + 1}`, now, now,
      ],
    ).lastInsertRowid);
    db.run(
      "INSERT INTO road_events (road_id, kind, from_status, to_status, date, actor, note, created_at) VALUES (?, 'status', NULL, 'reported', ?, ?, ?, ?)",
      [id, toIso(r.reported), '市城市管理局', '巡查上报道路破损', now],
    );
    let status: RoadStatusCode = 'reported';
    r.events.forEach((e, k) => {
      if (!ROAD_STATUS_MOVES[status].includes(e.to)) throw new Error(`demo road plan bug: ${status} → ${e.to}`);
      const at = stamp(e.day, i + k + 1);
      db.run(
        "INSERT INTO road_events (road_id, kind, from_status, to_status, date, actor, note, created_at) VALUES (?, 'status', ?, ?, ?, ?, ?, ?)",
        [id, status, e.to, toIso(e.day), e.actor, e.note, at],
      );
      db.run('UPDATE road_segments SET version = version + 1, updated_at = ? WHERE id = ?', [at, id]);
      status = e.to;
    });
  });

  const moves: DemoMoves = {
    moves: builder.moves.map(([a, b]) => [a.key, b.key]),
    decoys: builder.decoys.map(([a, b]) => [a.key, b.key]),
  };
  db.run("INSERT INTO meta (key, value) VALUES ('demo_seed', ?)", [String(seed)]);
  db.run("INSERT INTO meta (key, value) VALUES ('demo_moves', ?)", [JSON.stringify(moves)]);
}

/** Counts of the demo records now in the database. */
export function summarizeDemo(db: Db, today: string = DEMO_DEFAULT_TODAY, created = false): DemoSummary {
  const byCategory = Object.fromEntries(CATEGORY_CODES.map((c) => [c, 0])) as Record<CategoryCode, number>;
  for (const r of db.all<{ category: CategoryCode; n: number }>("SELECT category, count(*) AS n FROM sites WHERE source = 'demo' GROUP BY category"))
    byCategory[r.category] = r.n;
  const byStatus = Object.fromEntries(STATUS_CODES.map((s) => [s, 0])) as Record<StatusCode, number>;
  for (const r of db.all<{ status: StatusCode; n: number }>("SELECT status, count(*) AS n FROM sites WHERE source = 'demo' GROUP BY status"))
    byStatus[r.status] = r.n;
  const count = (sql: string, params: unknown[] = []) => db.get<{ n: number }>(sql, params)?.n ?? 0;
  const seed = db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'demo_seed'")?.value;
  const movesText = db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'demo_moves'")?.value;
  const moves = movesText ? (JSON.parse(movesText) as DemoMoves) : { moves: [], decoys: [] };
  const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
  return {
    created,
    seed: seed === undefined ? null : Number(seed),
    sites: Object.values(byCategory).reduce((a, b) => a + b, 0),
    byCategory,
    byStatus,
    events: count("SELECT count(*) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.source = 'demo'"),
    relapses: count(
      "SELECT count(DISTINCT e.site_id) AS n FROM site_events e JOIN sites s ON s.id = e.site_id WHERE s.source = 'demo' AND e.to_status = 'relapsed'",
    ),
    moves: moves.moves.length,
    decoys: moves.decoys.length,
    overdue: count(`SELECT count(*) AS n FROM sites WHERE source = 'demo' AND status IN (${open}) AND deadline < ?`, [today]),
    roads: count("SELECT count(*) AS n FROM road_segments WHERE source = 'demo'"),
    roadEvents: count("SELECT count(*) AS n FROM road_events e JOIN road_segments r ON r.id = e.road_id WHERE r.source = 'demo'"),
    inspections: count("SELECT count(*) AS n FROM inspections i JOIN sites s ON s.id = i.site_id WHERE s.source = 'demo'"),
  };
}

/**
 * Fills a migrated database (with geodata loaded) with the demo dataset, in one transaction.
 * Does nothing when demo data is already there (meta 'demo_seed' or any demo site).
 */
export function generateDemo(db: Db, options: DemoOptions = {}): DemoSummary {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const today = options.today ?? DEMO_DEFAULT_TODAY;
  if (!Number.isInteger(seed)) throw new Error(`generateDemo: seed must be an integer, got ${seed}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || dayNumber(today) === null) throw new Error(`generateDemo: today must be YYYY-MM-DD, got ${today}`);
  const existing =
    db.get("SELECT 1 AS x FROM meta WHERE key = 'demo_seed'") ?? db.get("SELECT 1 AS x FROM sites WHERE source = 'demo' LIMIT 1");
  if (existing) return summarizeDemo(db, today, false);
  const builder = new DemoBuilder(db, seed, today);
  builder.build();
  const roads = builder.roads();
  db.transaction(() => write(db, builder, roads, seed, today));
  return summarizeDemo(db, today, true);
}
