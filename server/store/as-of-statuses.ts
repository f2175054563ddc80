// Every site's status history in memory, for the map's answers "as of" a past date (the slider): the
// SQL form (`siteFilterSql` with asOf) seeks each site's last event on or before the date in
// `site_events`, ~0.15–0.25 s at 10^5 sites and ~2 s at 10^6 for every new date; here a date is a
// walk over the kept arrays (a few ms at 10^5). Read once per connection, then brought up to date from
// `site_changes` (migration 015: a row per site written, with the `sites` version) — a write touches a
// few sites and re-reads only those, as the relapse state does. Answers exactly what the SQL answers:
// status as of D = `to_status` of the site's last event (any kind) by (date, id) with date ≤ D, null
// when there is none; sites discovered after D left out; voided sites (by their status today) left out
// unless a status filter names them. Dates are compared as numbers yyyymmdd; a date that is not
// YYYY-MM-DD (never written by the app) makes the whole state decline (`usable`), and callers use SQL.
import type { ClusterSite, CountyStatusCount } from '../../domain/cluster-index.ts';
import { VOIDED, type StatusCode } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { dataVersion } from './data-version.ts';
import type { SiteFilters } from './site-filters.ts';

/** Above this many sites written since the last read, everything is read again. */
const RELOAD_ABOVE = 20_000;
const ID_CHUNK = 5_000;

/** yyyymmdd of a YYYY-MM-DD text; NaN otherwise. */
export function dayNumber(text: string): number {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return Number.NaN;
  const n = Number(text.slice(0, 4)) * 10_000 + Number(text.slice(5, 7)) * 100 + Number(text.slice(8, 10));
  return Number.isInteger(n) ? n : Number.NaN;
}

/** A count row as `GROUP BY county, status, category` gives it (status null: no event by the date). */
export interface AsOfCountRow {
  county: string;
  status: StatusCode | null;
  category: string;
  n: number;
}

type SiteRow = [id: number, county: string, category: string, source: string, lon: number | null, lat: number | null, discovered: string, status: string];
type EventRow = [siteId: number, date: string, to: string];

export class AsOfStatuses {
  /** The `sites` data version the arrays hold. */
  version = -1;
  /** False when a stored date is not YYYY-MM-DD: answer with SQL instead. */
  usable = true;
  /** Sites read by the last refresh (all of them on a full read), for tests and the bench. */
  lastRead = 0;
  private readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  private readonly slotOf = new Map<number, number>();
  // Per slot (a site; a deleted site's slot keeps county -1).
  private ids: number[] = [];
  private county: number[] = [];
  private category: number[] = [];
  private source: number[] = [];
  private lon: number[] = [];
  private lat: number[] = [];
  private discovered: number[] = [];
  private voidedNow: boolean[] = [];
  private eventStart: number[] = [];
  private eventCount: number[] = [];
  // Events, each slot's in (date, id) order from eventStart; superseded ones stay until compaction.
  private eventDay: number[] = [];
  private eventStatus: number[] = [];
  private wasted = 0;

  constructor(private readonly db: Db) {}

  /** Brings the arrays up to the data now (in one read transaction with the version); returns that version. */
  refresh(): number {
    const read = () => {
      const now = dataVersion(this.db, ['sites']);
      if (now === this.version) return now;
      const changed =
        this.version < 0
          ? null
          : this.db.all<{ id: number }>('SELECT site_id AS id FROM site_changes WHERE seq >= ?', [this.version]).map((row) => row.id);
      if (changed === null || changed.length > RELOAD_ABOVE) this.readAll();
      else this.readSome(changed);
      this.version = now;
      return now;
    };
    return this.db.raw.inTransaction ? read() : this.db.raw.transaction(read).deferred();
  }

  private code(text: string): number {
    let at = this.codes.get(text);
    if (at === undefined) this.codes.set(text, (at = this.strings.push(text) - 1));
    return at;
  }

  private readAll() {
    this.slotOf.clear();
    for (const list of [this.ids, this.county, this.category, this.source, this.lon, this.lat, this.discovered, this.voidedNow, this.eventStart, this.eventCount, this.eventDay, this.eventStatus])
      list.length = 0;
    this.wasted = 0;
    this.usable = true;
    const sites = this.db.raw.prepare('SELECT id, county_code, category, source, lon, lat, discovered_on, status FROM sites ORDER BY id').raw();
    for (const row of sites.iterate() as IterableIterator<SiteRow>) this.putSite(row);
    const events = this.db.raw.prepare('SELECT site_id, date, to_status FROM site_events ORDER BY site_id, date, id').raw();
    let slot = -1;
    let siteId = Number.NaN;
    for (const [id, date, to] of events.iterate() as IterableIterator<EventRow>) {
      if (id !== siteId) {
        siteId = id;
        slot = this.slotOf.get(id) ?? -1;
        if (slot >= 0) this.eventStart[slot] = this.eventDay.length;
      }
      if (slot >= 0) this.pushEvent(slot, date, to);
    }
    this.lastRead = this.ids.length;
  }

  private readSome(ids: readonly number[]) {
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) {
        this.county[slot] = -1; // gone unless read again below
        this.wasted += this.eventCount[slot]!;
        this.eventCount[slot] = 0;
      }
    }
    for (let at = 0; at < ids.length; at += ID_CHUNK) {
      const chunk = ids.slice(at, at + ID_CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const sites = this.db.raw.prepare(`SELECT id, county_code, category, source, lon, lat, discovered_on, status FROM sites WHERE id IN (${marks})`).raw();
      for (const row of sites.iterate(...chunk) as IterableIterator<SiteRow>) this.putSite(row);
      const events = this.db.raw.prepare(`SELECT site_id, date, to_status FROM site_events WHERE site_id IN (${marks}) ORDER BY site_id, date, id`).raw();
      let siteId = Number.NaN;
      let slot = -1;
      for (const [id, date, to] of events.iterate(...chunk) as IterableIterator<EventRow>) {
        if (id !== siteId) {
          siteId = id;
          slot = this.slotOf.get(id) ?? -1;
          if (slot >= 0) this.eventStart[slot] = this.eventDay.length;
        }
        if (slot >= 0) this.pushEvent(slot, date, to);
      }
    }
    this.lastRead = ids.length;
    if (this.wasted > this.eventDay.length / 2) this.compact();
  }

  private putSite([id, county, category, source, lon, lat, discovered, status]: SiteRow) {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.push(id) - 1;
      this.slotOf.set(id, slot);
    }
    this.county[slot] = this.code(county);
    this.category[slot] = this.code(category);
    this.source[slot] = this.code(source);
    this.lon[slot] = lon ?? Number.NaN;
    this.lat[slot] = lat ?? Number.NaN;
    const day = dayNumber(discovered);
    if (Number.isNaN(day)) this.usable = false;
    this.discovered[slot] = day;
    this.voidedNow[slot] = status === VOIDED;
    this.eventStart[slot] = this.eventDay.length;
    this.eventCount[slot] = 0;
  }

  private pushEvent(slot: number, date: string, to: string) {
    const day = dayNumber(date);
    if (Number.isNaN(day)) this.usable = false;
    this.eventDay.push(day);
    this.eventStatus.push(this.code(to));
    this.eventCount[slot]!++;
  }

  /** Drops superseded events (each slot's events moved together again). */
  private compact() {
    const day: number[] = [];
    const status: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      const from = this.eventStart[slot]!;
      this.eventStart[slot] = day.length;
      for (let i = from; i < from + this.eventCount[slot]!; i++) {
        day.push(this.eventDay[i]!);
        status.push(this.eventStatus[i]!);
      }
    }
    this.eventDay = day;
    this.eventStatus = status;
    this.wasted = 0;
  }

  /**
   * Visits each site passing `filters` (asOf required; bbox and q not taken: use SQL for those) with
   * its status code on asOf (-1: none).
   */
  private each(filters: SiteFilters, visit: (slot: number, status: number) => void) {
    const asOf = dayNumber(filters.asOf!);
    const set = (list: readonly string[] | undefined) => (list?.length ? new Set(list.map((text) => this.codes.get(text) ?? -2)) : null);
    const counties = set(filters.counties);
    const categories = set(filters.categories);
    const statuses = set(filters.statuses);
    const source = filters.source === undefined ? null : (this.codes.get(filters.source) ?? -2);
    const voidedToo = Boolean(filters.statuses?.includes(VOIDED));
    const located = filters.located;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const county = this.county[slot]!;
      if (county < 0 || !(this.discovered[slot]! <= asOf)) continue;
      if (counties && !counties.has(county)) continue;
      if (categories && !categories.has(this.category[slot]!)) continue;
      if (source !== null && this.source[slot] !== source) continue;
      if (!voidedToo && this.voidedNow[slot]) continue;
      if (located !== undefined && Number.isNaN(this.lon[slot]!) === located) continue;
      let status = -1;
      const from = this.eventStart[slot]!;
      for (let i = from, end = from + this.eventCount[slot]!; i < end && this.eventDay[i]! <= asOf; i++) status = this.eventStatus[i]!;
      if (statuses && !statuses.has(status)) continue;
      visit(slot, status);
    }
  }

  /** `GROUP BY county, status, category` of the sites passing `filters`, in SQLite's order (null status first). */
  countRows(filters: SiteFilters): AsOfCountRow[] {
    const n = new Map<string, AsOfCountRow>();
    this.each(filters, (slot, status) => {
      const key = `${this.county[slot]},${status},${this.category[slot]}`;
      const row = n.get(key);
      if (row) row.n++;
      else
        n.set(key, {
          county: this.strings[this.county[slot]!]!,
          status: status < 0 ? null : (this.strings[status] as StatusCode),
          category: this.strings[this.category[slot]!]!,
          n: 1,
        });
    });
    return [...n.values()].sort((a, b) => order(a.county, b.county) || order(a.status, b.status) || order(a.category, b.category));
  }

  /** Located sites passing `filters` per county and status, with their positions' sums (readMapCounts' rows). */
  mapCountRows(filters: SiteFilters, ids: { exclude?: readonly number[]; only?: readonly number[] } = {}): CountyStatusCount[] {
    const exclude = ids.exclude?.length ? new Set(ids.exclude) : null;
    const only = ids.only ? new Set(ids.only) : null;
    const rows = new Map<string, CountyStatusCount>();
    this.each({ ...filters, located: true }, (slot, status) => {
      const id = this.ids[slot]!;
      if ((exclude && exclude.has(id)) || (only && !only.has(id))) return;
      const key = `${this.county[slot]},${status}`;
      const row = rows.get(key);
      if (row) {
        row.n++;
        row.lon += this.lon[slot]!;
        row.lat += this.lat[slot]!;
      } else
        rows.set(key, {
          county: this.strings[this.county[slot]!]!,
          status: (status < 0 ? null : this.strings[status]) as StatusCode,
          n: 1,
          lon: this.lon[slot]!,
          lat: this.lat[slot]!,
        });
    });
    return [...rows.values()].sort((a, b) => order(a.county, b.county) || order(a.status, b.status));
  }

  /** Located sites passing `filters` in id order, in the cluster index's form (readMapSites' rows). */
  sites(filters: SiteFilters): ClusterSite[] {
    const sites: ClusterSite[] = [];
    this.each({ ...filters, located: true }, (slot, status) =>
      sites.push({
        id: this.ids[slot]!,
        lon: this.lon[slot]!,
        lat: this.lat[slot]!,
        county: this.strings[this.county[slot]!]!,
        status: (status < 0 ? null : this.strings[status]) as StatusCode,
        category: this.strings[this.category[slot]!]!,
        source: this.strings[this.source[slot]!] as ClusterSite['source'],
      }),
    );
    return sites.sort((a, b) => a.id - b.id);
  }
}

/** SQLite's order of GROUP BY keys: NULL first, then texts by their bytes (the codes are ASCII). */
const order = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** Whether the kept histories can answer `filters` (a past date, no bbox or text search). */
export const asOfAnswers = (filters: SiteFilters): boolean => Boolean(filters.asOf) && !filters.bbox && !filters.q && dayNumber(filters.asOf!) > 0;
