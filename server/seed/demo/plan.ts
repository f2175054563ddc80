// The demo's plan model: every site is planned in memory first (its track of status moves and its
// inspections), then written in date order (./write.ts). Also the small geometry it places things with.
import type { CategoryCode, SectorCode } from '../../../domain/categories.ts';
import { STATUS_MOVES, type Precision, type RoadSeverity, type RoadStatusCode, type StatusCode } from '../../../domain/statuses.ts';
import { distanceKm } from '../../geo/sphere.ts';

export type LonLat = [number, number];
const KM_PER_DEG_LAT = 110.574;
const kmPerDegLon = (lat: number): number => 111.32 * Math.cos((lat * Math.PI) / 180);
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function offsetKm(p: readonly [number, number], km: number, bearingDeg: number): LonLat {
  const r = (bearingDeg * Math.PI) / 180;
  return [p[0] + (km * Math.sin(r)) / kmPerDegLon(p[1]), p[1] + (km * Math.cos(r)) / KM_PER_DEG_LAT];
}

const VILLAGE_SUFFIX = /(村民委员会|居民委员会|村民员委会|村民委会|村委会)$/;

/** '黄庄村村民委员会' → '黄庄村', '徐庄村民委员会' → '徐庄村', '滨西社区居民委员会' → '滨西社区'. */
export function villageShort(name: string): string {
  const suffix = VILLAGE_SUFFIX.exec(name)?.[1];
  const short = suffix ? name.slice(0, -suffix.length) : name;
  if (!suffix || /(村|社区)$/.test(short)) return short;
  return short + (suffix === '居民委员会' ? '社区' : '村');
}

export type Group =
  | 'firm2020'
  | 'firm2019'
  | 'firmLater'
  | 'coal45'
  | 'coalUse'
  | 'industry'
  | 'wood'
  | 'fuel'
  | 'barn'
  | 'fungus'
  | 'construction'
  | 'dump'
  | 'move'
  | 'decoy'
  | 'after';
export type Outcome = 'closed' | 'upgraded' | 'relocated';

export interface County {
  code: string;
  name: string;
  seat: LonLat | null;
  bbox: [number, number, number, number];
}
export interface Township {
  code: string;
  name: string;
  kind: string;
  adminCode: string;
}
export interface Village {
  code: string;
  short: string;
}
export interface Located {
  lon: number;
  lat: number;
  county: string;
}
export interface PlanEvent {
  to: StatusCode;
  day: number;
  actor: string;
  note: string;
  /** A relapse found on a re-check: an inspection 'relapsed' is recorded the same day. */
  inspector?: string;
}
export interface PlanInspection {
  day: number;
  inspector: string;
  result: 'operating' | 'closed_as_recorded' | 'relapsed';
  note: string;
}

export class Track {
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

export interface Plan {
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

export interface LifeOptions {
  outcomes: readonly (readonly [Outcome, number])[];
  rectifyChance: number;
  rectifyAfter: readonly [number, number];
  resolveAfter: readonly [number, number];
  relocateAfter?: readonly [number, number];
  verifyChance: number;
  /** Chance the site is still rectifying at the end. */
  openChance?: number;
}

export interface RoadPlan {
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
export function midpoint(line: readonly LonLat[]): LonLat {
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
