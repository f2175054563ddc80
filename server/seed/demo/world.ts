// The demo generator's state and its building blocks: the seeded random stream, the counties with
// their townships and villages, positions inside a county, names, and one site's life (rectify,
// resolve, verify). The phases (./campaign.ts, ./relapses.ts, ./to-today.ts, ./finishing.ts,
// ./roads.ts) each take the world and add to its plans.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../../db/database.ts';
import { CountyLocator } from '../../../domain/locate-county.ts';
import { Random } from '../../../domain/random.ts';
import { toDay } from '../../../domain/days.ts';
import type { CategoryCode, SectorCode } from '../../../domain/categories.ts';
import { distanceKm } from '../../geo/sphere.ts';
import { demoPlaces } from '../../store/demo-store.ts';
import { CITY_SEAT, DEMO_CAMPAIGN_END, DEMO_PLAN_DATE } from './constants.ts';
import {
  offsetKm,
  round6,
  Track,
  villageShort,
  type County,
  type Group,
  type LifeOptions,
  type LonLat,
  type Located,
  type Outcome,
  type Plan,
  type Township,
  type Village,
} from './plan.ts';
import {
  BARN_SUFFIXES,
  BREAKFAST_SHOPS,
  COAL_SELLER_SUFFIXES,
  DIRECTIONS,
  DISTANCES,
  DUMP_PLACES,
  FUEL_SUFFIXES,
  NEIGHBOURHOODS,
  OUTCOME_NOTES,
  PEOPLE,
  PROJECT_NAMES,
  PROJECT_PHASES,
  RECTIFY_NOTES,
  SHOP_CHARS,
  SUFFIXES,
  SURNAMES,
  TRADES,
  URBAN_DISTRICTS,
} from './words.ts';
export class DemoWorld {
  readonly plans: Plan[] = [];
  readonly moves: [Plan, Plan][] = [];
  readonly decoys: [Plan, Plan][] = [];
  readonly rng: Random;
  readonly locator: CountyLocator;
  readonly counties = new Map<string, County>();
  readonly townships = new Map<string, Township[]>();
  readonly villages = new Map<string, Village[]>();
  readonly names = new Set<string>();
  /** Last day of the phase being generated: min(today, campaign end), then today. */
  T: number;
  readonly today: number;
  readonly campaignEnd: number;
  readonly P = toDay(DEMO_PLAN_DATE);
  readonly verifyFrom = toDay('2020-08-01');

  constructor(db: Db, seed: number, today: string) {
    this.rng = new Random(seed);
    this.today = toDay(today);
    this.campaignEnd = Math.min(this.today, toDay(DEMO_CAMPAIGN_END));
    this.T = this.campaignEnd;
    const places = demoPlaces(db);
    const rows = places.counties;
    if (!rows.length) throw new Error('generateDemo needs the county polygons: run migrate() and loadGeodata() first');
    this.locator = new CountyLocator(rows.map((r) => ({ code: r.code, geometry: JSON.parse(r.geometry) as Polygon | MultiPolygon })));
    for (const r of rows)
      this.counties.set(r.code, {
        code: r.code,
        name: r.name,
        seat: r.seat_lon === null || r.seat_lat === null ? null : [r.seat_lon, r.seat_lat],
        bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
      });
    for (const t of places.townships) {
      const list = this.townships.get(t.countyCode) ?? [];
      list.push({ code: t.code, name: t.name, kind: t.kind, adminCode: t.adminCode });
      this.townships.set(t.countyCode, list);
    }
    for (const v of places.villages) {
      const list = this.villages.get(v.township) ?? [];
      list.push({ code: v.code, short: villageShort(v.name) });
      this.villages.set(v.township, list);
    }
  }

  // --- random helpers ------------------------------------------------------------------------

  int(range: readonly [number, number]): number {
    return this.rng.int(range[0], range[1]);
  }

  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let x = this.rng.next() * total;
    for (const [value, w] of options) if ((x -= w) < 0) return value;
    return options[options.length - 1]![0];
  }

  dayIn(from: string, to: string): number {
    return this.rng.int(toDay(from), toDay(to));
  }

  county(code: string): County {
    const county = this.counties.get(code);
    if (!county) throw new Error(`generateDemo: county ${code} is missing from the counties table`);
    return county;
  }

  countySeat(code: string): LonLat {
    return this.county(code).seat ?? [...CITY_SEAT];
  }

  // --- positions (always inside a county polygon; resampled until so) -------------------------

  at(p: LonLat, county?: string): Located | null {
    const lon = round6(p[0]);
    const lat = round6(p[1]);
    const code = this.locator.locate(lon, lat);
    if (!code || (county !== undefined && code !== county)) return null;
    return { lon, lat, county: code };
  }

  sample(what: string, draw: () => Located | null): Located {
    for (let i = 0; i < 5000; i++) {
      const found = draw();
      if (found) return found;
    }
    throw new Error(`generateDemo: could not place ${what} inside a county`);
  }

  /** A point minKm–maxKm from `center`, inside any county (or the given one). */
  ring(center: readonly [number, number], minKm: number, maxKm: number, county?: string): Located {
    return this.sample('a ring point', () => this.at(offsetKm(center, this.rng.range(minKm, maxKm), this.rng.range(0, 360)), county));
  }

  /** A uniform point in a county, optionally kept away from the city seat and the county seat. */
  inCounty(code: string, awayFromCityKm = 0, awayFromSeatKm = 0): Located {
    const [minLon, minLat, maxLon, maxLat] = this.county(code).bbox;
    const seat = this.countySeat(code);
    return this.sample(`a point in ${code}`, () => {
      const p: LonLat = [this.rng.range(minLon, maxLon), this.rng.range(minLat, maxLat)];
      if (distanceKm(p, CITY_SEAT) < awayFromCityKm || distanceKm(p, seat) < awayFromSeatKm) return null;
      return this.at(p, code);
    });
  }

  /** A normally scattered point around `center` (cluster members). */
  near(center: readonly [number, number], sdKm: number, county?: string): Located {
    return this.sample('a cluster point', () => this.at(offsetKm(center, Math.abs(this.rng.normal(0, sdKm)), this.rng.range(0, 360)), county));
  }

  aroundCountySeat(minKm: number, maxKm: number): Located {
    const code = this.rng.pick(['411121', '411122']);
    return this.ring(this.countySeat(code), minKm, maxKm, code);
  }

  // --- places and names ----------------------------------------------------------------------

  pickTownship(countyCode: string, position: LonLat | null, filter?: (t: Township) => boolean): Township {
    const all = this.townships.get(countyCode);
    if (!all?.length) throw new Error(`generateDemo: no townships for county ${countyCode}`);
    if (filter) {
      const chosen = all.filter(filter);
      if (chosen.length) return this.rng.pick(chosen);
    }
    const urban = (t: Township) => t.kind === '街道' || t.name === '舞泉镇';
    let nearCore = false;
    if (position) nearCore = URBAN_DISTRICTS.has(countyCode) ? distanceKm(position, CITY_SEAT) < 4.5 : distanceKm(position, this.countySeat(countyCode)) < 3;
    const preferred = all.filter((t) => urban(t) === nearCore);
    return this.rng.pick(preferred.length ? preferred : all);
  }

  newStem(): string {
    const a = this.rng.pick(SHOP_CHARS);
    let b = this.rng.pick(SHOP_CHARS);
    while (b === a) b = this.rng.pick(SHOP_CHARS);
    return a + b;
  }

  /** A stem sharing at least one character with `stem`. */
  similarStem(stem: string): string {
    const [a, b] = [...stem] as [string, string];
    const fresh = this.rng.pick(SHOP_CHARS.filter((c) => c !== a && c !== b));
    return this.rng.pick([b + a, a + fresh, fresh + b, a + b]);
  }

  unique(make: () => string): string {
    let name = make();
    for (let i = 0; i < 30 && this.names.has(name); i++) name = make();
    for (let n = 2; this.names.has(name); n++) if (!this.names.has(`${name}(${n})`)) name = `${name}(${n})`;
    this.names.add(name);
    return name;
  }

  siteName(category: CategoryCode, sector: SectorCode | null, county: County, township: Township, village: Village, stem: string): string {
    const rng = this.rng;
    switch (category) {
      case 'scattered_firm':
        return `${county.name}${township.name}${stem}${rng.pick(TRADES[sector ?? 'industrial'])}`;
      case 'coal_point':
      case 'curing_barn':
      case 'fuel_point': {
        const suffix =
          category === 'coal_point' ? rng.pick(COAL_SELLER_SUFFIXES) : category === 'curing_barn' ? rng.pick(BARN_SUFFIXES) : rng.pick(FUEL_SUFFIXES);
        return `${township.name}${village.short}${stem}${suffix}`;
      }
      case 'construction_site':
        return `${county.name}${stem}${rng.pick(PROJECT_NAMES)}${rng.pick(PROJECT_PHASES)}`;
      case 'dump_site':
        return `${township.name}${village.short}${rng.pick(DUMP_PLACES)}垃圾堆放点`;
      default:
        return `${county.name}${township.name}${stem}${rng.pick(SUFFIXES[category] ?? ['加工点'])}`;
    }
  }

  address(county: County, township: Township, village: Village): string {
    const place = village.short.endsWith('村')
      ? `${village.short}${this.rng.pick(DIRECTIONS)}${this.rng.pick(DISTANCES)}`
      : `${village.short}${this.rng.pick(NEIGHBOURHOODS)}`;
    return `${county.name}${township.name}${place}`;
  }

  /** A breakfast shop found burning loose coal (晨查夜查): township, village, owner and shop. */
  nameBreakfastShop(plan: Plan): void {
    plan.name = this.unique(() => `${plan.township.name}${plan.village.short}${plan.stem}${this.rng.pick(BREAKFAST_SHOPS)}散煤使用点`);
  }

  personStem(): string {
    return `${this.rng.pick(SURNAMES)}某${this.rng.chance(0.5) ? '某' : ''}`;
  }

  // --- plans -----------------------------------------------------------------------------------

  epb(plan: Plan): string {
    return `${plan.county.name}生态环境分局`;
  }

  gov(plan: Plan): string {
    return plan.township.adminCode === '411171' ? '经济技术开发区管委会' : `${plan.county.name}人民政府`;
  }

  inspector(plan: Plan): string {
    const unit =
      plan.category === 'coal_point' && this.rng.chance(0.4)
        ? '市散烧办'
        : plan.category === 'fuel_point' && this.rng.chance(0.4)
          ? '市商务局'
          : this.rng.chance(0.55)
            ? this.epb(plan)
            : '市生态环境局';
    return `${unit} ${this.rng.pick(PEOPLE)}`;
  }

  responsibleUnit(plan: Plan): string {
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

  addPlan(spec: {
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
      group: spec.group,
      category: spec.category,
      sector,
      name,
      stem,
      county,
      township,
      village,
      lon: spec.at.lon,
      lat: spec.at.lat,
      precision: 'exact',
      address: this.address(county, township, village),
      discoveredBy: '',
      note: spec.note,
      track: new Track(spec.discovered, this.T),
      deadline: null,
      responsibleUnit: '',
      inspections: [],
      pinned: false,
      key: '',
    };
    plan.discoveredBy = spec.discoveredBy ?? this.epb(plan);
    plan.responsibleUnit = this.responsibleUnit(plan);
    this.plans.push(plan);
    return plan;
  }

  resolve(plan: Plan, outcome: Outcome, day: number): boolean {
    const note =
      plan.category === 'curing_barn' && outcome === 'upgraded'
        ? '完成烟叶烤房电代煤改造'
        : plan.category === 'coal_point' && outcome === 'upgraded'
          ? '停用散煤,改用电、天然气等清洁能源'
          : plan.category === 'construction_site' && outcome === 'upgraded'
            ? '落实“六个百分之百”扬尘防控措施,整改达标'
            : plan.category === 'construction_site' && outcome === 'closed'
              ? '责令停工整治,现场清理完毕'
              : plan.category === 'dump_site' && outcome === 'closed'
                ? '垃圾清运完毕,场地平整'
                : plan.category === 'wood_processing' && outcome === 'relocated'
                  ? '搬迁入木业产业园,原址清理完毕'
                  : plan.category === 'fuel_point'
                    ? '两断三清到位,油罐水泥封盖或清除'
                    : plan.category === 'coal_point'
                      ? '剩余散煤处置到位,设备清除,营业执照注销'
                      : this.rng.pick(OUTCOME_NOTES[outcome]);
    const actor = outcome === 'closed' && this.rng.chance(0.5) ? this.gov(plan) : this.epb(plan);
    if (!plan.track.go(outcome, day, actor, note)) return false;
    plan.resolvedDay ??= plan.track.last;
    return true;
  }

  rectify(plan: Plan, day: number): boolean {
    const note = plan.category === 'curing_barn' ? '纳入电代煤改造计划' : this.rng.pick(RECTIFY_NOTES);
    return plan.track.go('rectifying', day, this.epb(plan), note);
  }

  verify(plan: Plan, chance: number): void {
    if (!this.rng.chance(chance)) return;
    const day = Math.max(plan.track.last + this.rng.int(20, 150), this.verifyFrom + this.rng.int(0, 150));
    plan.track.go('verified', day, this.rng.chance(0.5) ? '市生态环境局' : '市污染防治攻坚办', '验收合格,挂账销号');
  }

  life(plan: Plan, o: LifeOptions): void {
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

  firmPosition(): Located {
    const r = this.rng.next();
    if (r < 0.45) return this.ring(CITY_SEAT, 1.5, 14);
    if (r < 0.7) return this.aroundCountySeat(1, 7);
    return this.inCounty(this.rng.pick([...this.counties.keys()]));
  }

  sector2020(): SectorCode {
    return this.weighted<SectorCode>([
      ['industrial', 0.8],
      ['agricultural', 0.08],
      ['service', 0.12],
    ]);
  }
}
