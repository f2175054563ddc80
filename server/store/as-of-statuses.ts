// Every site's status history in memory, for the map's answers "as of" a past date (the slider). The
// SQL form (`siteFilterSql` with asOf) seeks each site's last event on or before the date in
// `site_events`: ~0.2 s at 10^5 sites and ~2 s at 10^6 for every new date; here a date is one walk
// over typed arrays (as-of-walk.ts). Kept per connection on one map thread (the counts thread).
//
// Built lazily (on the first as-of question) and in slices of ~10 ms scheduled with setImmediate, so
// the thread answers other requests between them; until the arrays are complete and of the data
// version now, `current()` says null and the SQL answers, so no answer waits for the build and every
// answer is exact. After a write, only the sites named in `site_changes` (migration 015) since the
// version held are read again: inline when few, else in slices (SQL answers meanwhile). The build's
// slices each read a range of ids in their own snapshot; the catch-up from the version read before
// the first slice then re-reads every site written since, so the arrays end equal to one snapshot.
//
// Layout: a slot per site id (ids are dense rowids; a sparse file declines). Per slot: county,
// category, source as codes (Uint8), voided today (Uint8), lon/lat (Float64, NaN unlocated),
// discovered day (Int32 yyyymmdd), and its events' start and count in flat `Int32Array` days + `Uint8Array`
// status codes. A site's events are kept as a step function: of its events in (date, id) order, the
// last of each date, and only where the status changes — the same answer for every date as "the
// last event by (date, id) with date <= D" (SQL's subquery), null before the first.
import { VOIDED } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { dataVersion } from './data-version.ts';

/** Sites written since the held version that are read again inline, within the asking request. */
const INLINE_CATCH_UP = 2_000;
/** A slice's target duration (the thread answers other requests between slices). */
const SLICE_MS = 10;
/**
 * yyyymmdd of a YYYY-MM-DD text of digits (what the CHECKs of migration 001 let in, real calendar day
 * or not), -1 otherwise: for such texts numeric order is SQLite's text order, which the SQL compares.
 */
export function dayKey(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Codes are 6 bits (county, status, category packed in one key when counting). */
export const MAX_CODES = 63;

type SiteRow = [id: number, county: string, category: string, source: string, lon: number | null, lat: number | null, discovered: string, status: string];
type EventRow = [siteId: number, date: string, to: string];

const SITE_COLUMNS = 'id, county_code, category, source, lon, lat, discovered_on, status';

type Phase = 'idle' | 'building' | 'catching-up' | 'ready' | 'declined';

function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}

export class AsOfStatuses {
  /** The `sites` data version the arrays hold (when `phase` is ready). */
  version = -1;
  phase: Phase = 'idle';
  /** Sites read by the last refresh step (all of them after a build), for tests and the bench. */
  lastRead = 0;
  /** Milliseconds from the build's first slice to ready, and the slices it took (bench). */
  buildMs: number | null = null;
  slices = 0;
  /** Called with the version held when ready, -1 when not (the counts thread tells the request thread). */
  onPhase: ((readyVersion: number) => void) | null = null;
  /** Whether background slices may run now (false: wait, e.g. an analysis job is in flight). */
  mayRun: () => boolean = () => true;

  readonly strings: string[] = [''];
  private readonly codes = new Map<string, number>();
  // Per slot (site id); county 0: no such site.
  county = new Uint8Array(0);
  category = new Uint8Array(0);
  source = new Uint8Array(0);
  voidedNow = new Uint8Array(0);
  lon = new Float64Array(0);
  lat = new Float64Array(0);
  discovered = new Int32Array(0);
  eventStart = new Int32Array(0);
  eventCount = new Int32Array(0);
  /** Slots in use: ids 0 … slotEnd - 1. */
  slotEnd = 0;
  // Events; superseded ones (of sites read again) stay until compaction.
  eventDay = new Int32Array(0);
  eventStatus = new Uint8Array(0);
  eventEnd = 0;
  private wasted = 0;

  private buildFrom = 0;
  private buildVersion = -1;
  private buildStarted = 0;
  private pending: { ids: number[]; at: number; version: number } | null = null;
  private perSlice = 1_000;
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /**
   * This, when it holds the data version now (catching up inline from site_changes when few sites
   * were written); else null, with the build or catch-up started in the background. Call inside the
   * caller's read transaction so the version matches what it reads alongside.
   */
  current(): AsOfStatuses | null {
    if (this.phase === 'declined') return null;
    if (this.phase === 'idle') {
      this.db.readTogether(() => this.startBuild());
      this.schedule();
      return null;
    }
    if (this.phase !== 'ready') return null;
    const ready = this.db.readTogether(() => this.catchUp(INLINE_CATCH_UP));
    if (!ready) this.schedule();
    return ready ? this : null;
  }

  /** Runs the build and catch-up to the end now (tests, bench); returns whether the arrays can answer. */
  finishNow(): boolean {
    if (this.phase === 'idle') this.db.readTogether(() => this.startBuild());
    while (this.phase === 'building' || this.phase === 'catching-up') this.step(Number.POSITIVE_INFINITY);
    return this.current() !== null;
  }

  private setPhase(phase: Phase) {
    this.phase = phase;
    this.onPhase?.(phase === 'ready' ? this.version : -1);
  }

  private decline() {
    this.setPhase('declined');
    // Nothing kept: the SQL answers from now on.
    this.county = this.category = this.source = this.voidedNow = this.eventStatus = new Uint8Array(0);
    this.lon = this.lat = new Float64Array(0);
    this.discovered = this.eventStart = this.eventCount = this.eventDay = new Int32Array(0);
  }

  private code(text: string): number {
    let at = this.codes.get(text);
    if (at === undefined) {
      at = this.strings.push(text) - 1;
      this.codes.set(text, at);
    }
    return at;
  }

  /** The code of `text`, -1 when no site or event holds it. */
  codeOf(text: string): number {
    return this.codes.get(text) ?? -1;
  }

  private startBuild() {
    this.buildVersion = dataVersion(this.db, ['sites']);
    const maxSite = this.db.get<{ n: number | null }>('SELECT max(id) AS n FROM sites')!.n ?? 0;
    const maxEvent = this.db.get<{ n: number | null }>('SELECT max(id) AS n FROM site_events')!.n ?? 0;
    this.ensureSlots(maxSite + 1, true);
    this.eventDay = new Int32Array(Math.max(1024, maxEvent));
    this.eventStatus = new Uint8Array(this.eventDay.length);
    this.buildFrom = 0;
    this.buildStarted = performance.now();
    this.slices = 0;
    this.setPhase('building');
  }

  private ensureSlots(size: number, exact = false) {
    if (size <= this.county.length) {
      this.slotEnd = Math.max(this.slotEnd, size);
      return;
    }
    const capacity = exact ? size : Math.max(size, Math.ceil(this.county.length * 1.25) + 1024);
    this.county = grown(this.county, capacity);
    this.category = grown(this.category, capacity);
    this.source = grown(this.source, capacity);
    this.voidedNow = grown(this.voidedNow, capacity);
    this.lon = grown(this.lon, capacity);
    this.lat = grown(this.lat, capacity);
    this.discovered = grown(this.discovered, capacity);
    this.eventStart = grown(this.eventStart, capacity);
    this.eventCount = grown(this.eventCount, capacity);
    this.slotEnd = Math.max(this.slotEnd, size);
  }

  private schedule() {
    if (this.scheduled || !(this.phase === 'building' || this.phase === 'catching-up')) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      if (!this.db.raw.open) return;
      if (!this.mayRun()) {
        this.scheduled = true;
        setTimeout(run, 20).unref();
        return;
      }
      try {
        this.step(SLICE_MS);
      } catch (error) {
        // The connection closed under a slice (tests, shutdown) or a read failed: the SQL answers.
        if (this.db.raw.open) console.warn('as-of histories declined:', error);
        this.decline();
        return;
      }
      this.schedule();
    };
    // Not unref'd: an unref'd immediate lets the loop block in its poll until some other event, so the
    // slices would wait for requests (the build ends or declines, so the chain ends).
    setImmediate(run);
  }

  /** One slice of the build or the catch-up, of about `budgetMs` (adapts the rows per slice). */
  private step(budgetMs: number) {
    const started = performance.now();
    this.slices++;
    const count = Number.isFinite(budgetMs) ? this.perSlice : Number.MAX_SAFE_INTEGER;
    if (this.phase === 'building') this.db.readTogether(() => this.buildSlice(count));
    else if (this.pending) this.db.readTogether(() => this.pendingSlice(count));
    else if (this.db.readTogether(() => this.catchUp(INLINE_CATCH_UP)) && this.buildMs === null) this.buildMs = performance.now() - this.buildStarted;
    if (!Number.isFinite(budgetMs)) return;
    const took = Math.max(0.1, performance.now() - started);
    this.perSlice = Math.round(Math.min(200_000, Math.max(200, (this.perSlice * budgetMs) / took)));
  }

  private buildSlice(count: number) {
    const sites = this.db.raw.prepare(`SELECT ${SITE_COLUMNS} FROM sites WHERE id > ? ORDER BY id LIMIT ?`).raw();
    let last = this.buildFrom;
    let read = 0;
    for (const row of sites.iterate(this.buildFrom, Math.min(count, 2 ** 31 - 1)) as IterableIterator<SiteRow>) {
      this.putSite(row);
      last = row[0];
      read++;
    }
    if (read > 0) {
      const events = this.db.raw
        .prepare('SELECT site_id, date, to_status FROM site_events WHERE site_id > ? AND site_id <= ? ORDER BY site_id, date, id')
        .raw();
      this.readEvents(events.iterate(this.buildFrom, last) as IterableIterator<EventRow>);
    }
    this.buildFrom = last;
    if (this.phase === 'declined') return;
    if (read < count) {
      // Every id read: now catch up from the version read before the first slice.
      const sitesRead = this.countSites();
      if (this.slotEnd > 2 * sitesRead + 65_536) return this.decline(); // ids too sparse for a slot per id
      this.version = this.buildVersion;
      this.lastRead = sitesRead;
      this.setPhase('catching-up');
    }
  }

  private countSites(): number {
    let n = 0;
    for (let slot = 0; slot < this.slotEnd; slot++) if (this.county[slot] !== 0) n++;
    return n;
  }

  /**
   * Brings the arrays to the version now when at most `inlineMax` sites were written since the one
   * held (true), else starts a sliced catch-up (false). Inside a read transaction.
   */
  private catchUp(inlineMax: number): boolean {
    const now = dataVersion(this.db, ['sites']);
    if (now === this.version && this.phase === 'ready') return true;
    const ids =
      now === this.version
        ? []
        : this.db.raw
            .prepare('SELECT site_id FROM site_changes WHERE seq >= ? ORDER BY site_id')
            .pluck()
            .all(this.version)
            .map((id) => id as number);
    if (ids.length > inlineMax) {
      this.pending = { ids, at: 0, version: now };
      if (this.phase !== 'catching-up') this.setPhase('catching-up');
      return false;
    }
    this.readSome(ids);
    this.version = now;
    if (this.phase !== 'declined') this.setPhase('ready');
    return this.phase === 'ready';
  }

  private pendingSlice(count: number) {
    const pending = this.pending!;
    const ids = pending.ids.slice(pending.at, pending.at + Math.max(1, count));
    this.readSome(ids);
    pending.at += ids.length;
    if (pending.at >= pending.ids.length) {
      // Read at snapshots of `pending.version` or later: the next catch-up re-reads what changed since.
      this.version = pending.version;
      this.pending = null;
    }
  }

  /** Reads the sites `ids` (ascending) and their events again; a site no longer there is dropped. */
  private readSome(ids: readonly number[]) {
    if (ids.length === 0) return;
    this.lastRead = ids.length;
    for (const id of ids) {
      if (id < this.slotEnd && this.county[id] !== 0) {
        this.county[id] = 0;
        this.wasted += this.eventCount[id]!;
        this.eventCount[id] = 0;
      }
    }
    const list = JSON.stringify(ids);
    const sites = this.db.raw.prepare(`SELECT ${SITE_COLUMNS} FROM sites WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).raw();
    for (const row of sites.iterate(list) as IterableIterator<SiteRow>) this.putSite(row);
    const events = this.db.raw
      .prepare('SELECT site_id, date, to_status FROM site_events WHERE site_id IN (SELECT value FROM json_each(?)) ORDER BY site_id, date, id')
      .raw();
    this.readEvents(events.iterate(list) as IterableIterator<EventRow>);
    if (this.wasted > this.eventEnd / 2 && this.wasted > 4096) this.compact();
  }

  private putSite([id, county, category, source, lon, lat, discovered, status]: SiteRow) {
    if (this.phase === 'declined') return;
    const day = dayKey(discovered);
    if (day < 0 || !Number.isSafeInteger(id) || id <= 0) return this.decline();
    this.ensureSlots(id + 1);
    this.county[id] = this.code(county);
    this.category[id] = this.code(category);
    this.source[id] = this.code(source);
    this.voidedNow[id] = status === VOIDED ? 1 : 0;
    this.lon[id] = lon ?? Number.NaN;
    this.lat[id] = lat ?? Number.NaN;
    this.discovered[id] = day;
    this.eventStart[id] = this.eventEnd;
    this.eventCount[id] = 0;
    if (this.strings.length > MAX_CODES) this.decline();
  }

  /** Appends each site's events (rows in site, date, id order) as its step function. */
  private readEvents(rows: IterableIterator<EventRow>) {
    let siteId = -1;
    let skip = true;
    for (const [id, date, to] of rows) {
      if (this.phase === 'declined') return;
      if (id !== siteId) {
        siteId = id;
        // An event of a site not read (none: same snapshot) is skipped.
        skip = id >= this.slotEnd || this.county[id] === 0;
        if (!skip) this.eventStart[id] = this.eventEnd;
      }
      if (skip) continue;
      const day = dayKey(date);
      if (day < 0) return this.decline();
      const status = this.code(to);
      const start = this.eventStart[id]!;
      let n = this.eventCount[id]!;
      // This event is the last one for every date from `day` on: drop kept steps of the same day,
      // then keep it only if the status changes.
      while (n > 0 && this.eventDay[start + n - 1] === day) n--;
      if (n === 0 || this.eventStatus[start + n - 1] !== status) {
        if (start + n >= this.eventDay.length) {
          const size = Math.ceil(this.eventDay.length * 1.25) + 1024;
          this.eventDay = grown(this.eventDay, size);
          this.eventStatus = grown(this.eventStatus, size);
        }
        this.eventDay[start + n] = day;
        this.eventStatus[start + n] = status;
        n++;
      }
      this.eventCount[id] = n;
      this.eventEnd = start + n;
    }
    if (this.strings.length > MAX_CODES) this.decline();
  }

  /** Drops superseded events (each slot's events moved together again, in slot order). */
  private compact() {
    const size = this.eventEnd - this.wasted + 1024;
    const day = new Int32Array(size);
    const status = new Uint8Array(size);
    let end = 0;
    for (let slot = 0; slot < this.slotEnd; slot++) {
      const from = this.eventStart[slot]!;
      const n = this.eventCount[slot]!;
      this.eventStart[slot] = end;
      day.set(this.eventDay.subarray(from, from + n), end);
      status.set(this.eventStatus.subarray(from, from + n), end);
      end += n;
    }
    this.eventDay = day;
    this.eventStatus = status;
    this.eventEnd = end;
    this.wasted = 0;
  }

  /** Bytes the arrays hold (bench). */
  bytes(): number {
    const arrays = [
      this.county,
      this.category,
      this.source,
      this.voidedNow,
      this.lon,
      this.lat,
      this.discovered,
      this.eventStart,
      this.eventCount,
      this.eventDay,
      this.eventStatus,
    ];
    return arrays.reduce((sum, array) => sum + array.byteLength, 0);
  }
}
