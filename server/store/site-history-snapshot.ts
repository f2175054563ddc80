// The site histories the relapse analysis and the scorecards keep in memory (RelapseState), saved in
// the database (migration 019) as one compact blob per `sites` data version, so the first call after a
// start reads one row instead of every site and status event (at 10^5 sites the read took ~0.55 s CPU
// of that call; the blob is read back in about a fifth). A cache: a reader trusts it only for its own
// format and a version no later than the data's, and brings it up to date from `site_changes` (015)
// since that version, as it does the saved move candidates (017) — so a write made after the save,
// by this server or while it was down, is read again, never served stale.
//
// The blob: a little-endian u32 length, then a JSON header ({ strings, names }) in UTF-16 (read back ~5× faster than UTF-8 for Chinese names), padded to 8 bytes, then
// per site 3 float64 (id, lon, lat; NaN for null), per site 7 int32 (category, county, township,
// discovered, deadline, source: indices into `strings`, -1 for null; then its number of events), and
// per status event 3 int32 (to, date, initial). The strings are few (codes and days), the names one JSON array.
import type { Db } from '../db/database.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { writeCache } from './relapse-move-pairs.ts';
import type { RelapseInputSite } from './relapse-store.ts';

/** Raised when the blob's layout or what it holds changes: a snapshot of another format is not read. */
export const SNAPSHOT_FORMAT = 'site-history-2';

const SITE_INTS = 7;
const EVENT_INTS = 3;

/** The snapshot of `sites` (in id order), or null when an id is not a safe integer (it is then not saved). */
export function encodeHistories(sites: readonly RelapseInputSite[]): Buffer | null {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const code = (text: string | null): number => {
    if (text === null) return -1;
    let at = index.get(text);
    if (at === undefined) index.set(text, (at = strings.push(text) - 1));
    return at;
  };
  let events = 0;
  for (const site of sites) events += site.events.length;
  const places = new Float64Array(sites.length * 3);
  const ints = new Int32Array(sites.length * SITE_INTS + events * EVENT_INTS);
  const names = new Array<string>(sites.length);
  let e = sites.length * SITE_INTS;
  for (let n = 0; n < sites.length; n++) {
    const site = sites[n]!;
    if (!Number.isSafeInteger(site.id)) return null;
    places[n * 3] = site.id;
    places[n * 3 + 1] = site.lon ?? Number.NaN;
    places[n * 3 + 2] = site.lat ?? Number.NaN;
    names[n] = site.name;
    const at = n * SITE_INTS;
    ints[at] = code(site.category);
    ints[at + 1] = code(site.county);
    ints[at + 2] = code(site.township);
    ints[at + 3] = code(site.discoveredOn);
    ints[at + 4] = code(site.deadline);
    ints[at + 5] = code(site.source);
    ints[at + 6] = site.events.length;
    for (const event of site.events) {
      ints[e++] = code(event.to);
      ints[e++] = code(event.date);
      ints[e++] = event.initial ? 1 : 0;
    }
  }
  const header = Buffer.from(JSON.stringify({ sites: sites.length, events, strings, names }), 'utf16le');
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const blob = Buffer.alloc(start + places.byteLength + ints.byteLength);
  blob.writeUInt32LE(header.length, 0);
  header.copy(blob, 4);
  Buffer.from(places.buffer).copy(blob, start);
  Buffer.from(ints.buffer).copy(blob, start + places.byteLength);
  return blob;
}

/** The sites of a snapshot, as readSites makes them (same fields in the same order). */
export function decodeHistories(blob: Uint8Array): RelapseInputSite[] {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const length = bytes.readUInt32LE(0);
  const {
    sites: count,
    events,
    strings,
    names,
  } = JSON.parse(bytes.toString('utf16le', 4, 4 + length)) as {
    sites: number;
    events: number;
    strings: string[];
    names: string[];
  };
  const start = Math.ceil((4 + length) / 8) * 8;
  // Copied into one aligned buffer (a blob's bytes need not be aligned for typed-array views).
  const numbers = new Uint8Array(count * 24 + (count * SITE_INTS + events * EVENT_INTS) * 4);
  numbers.set(bytes.subarray(start, start + numbers.byteLength));
  if (bytes.byteLength - start !== numbers.byteLength) throw new Error('site history snapshot: wrong length');
  const places = new Float64Array(numbers.buffer, 0, count * 3);
  const ints = new Int32Array(numbers.buffer, count * 24);
  const text = (at: number): string | null => (at < 0 ? null : strings[at]!);
  const event = (e: number): RelapseInputSite['events'][number] => ({
    to: strings[ints[e]!] as StatusCode,
    date: strings[ints[e + 1]!]!,
    initial: ints[e + 2] === 1,
  });
  // A site's events as an array of its own length: pushed one by one into [], each array took a
  // backing store of 17 slots at the first push (V8's growth), ~14 MB more at 10^5 sites for the young
  // generation to copy and the old one to keep.
  const eventsAt = (count: number, e: number): RelapseInputSite['events'] => {
    if (count === 1) return [event(e)];
    if (count === 2) return [event(e), event(e + EVENT_INTS)];
    if (count === 3) return [event(e), event(e + EVENT_INTS), event(e + 2 * EVENT_INTS)];
    const list: RelapseInputSite['events'] = [];
    for (let k = 0; k < count; k++) list.push(event(e + k * EVENT_INTS));
    return list;
  };
  const sites = new Array<RelapseInputSite>(count);
  let e = count * SITE_INTS;
  for (let n = 0; n < count; n++) {
    const at = n * SITE_INTS;
    const lon = places[n * 3 + 1]!;
    const lat = places[n * 3 + 2]!;
    const site: RelapseInputSite = {
      id: places[n * 3]!,
      name: names[n]!,
      category: strings[ints[at]!] as RelapseInputSite['category'],
      lon: Number.isNaN(lon) ? null : lon,
      lat: Number.isNaN(lat) ? null : lat,
      county: strings[ints[at + 1]!]!,
      township: text(ints[at + 2]!),
      discoveredOn: strings[ints[at + 3]!]!,
      deadline: text(ints[at + 4]!),
      source: strings[ints[at + 5]!]!,
      events: eventsAt(ints[at + 6]!, e),
    };
    e += ints[at + 6]! * EVENT_INTS;
    sites[n] = site;
  }
  return sites;
}

/** The saved histories and the `sites` version they reflect (null: none saved in this format). */
export function readHistorySnapshot(db: Db): { version: number; sites: RelapseInputSite[] } | null {
  // A file not yet migrated to 019 (a read-only copy) has none.
  if (!db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'site_history_snapshot'")) return null;
  const row = db.get<{ version: number; format: string; data: Buffer }>(
    'SELECT sites_version AS version, format, data FROM site_history_snapshot WHERE id = 1',
  );
  if (!row || row.format !== SNAPSHOT_FORMAT) return null;
  return { version: row.version, sites: decodeHistories(row.data) };
}

/** Saves the histories as the data at `version` (in place of any earlier snapshot). Returns whether it was written. */
export function saveHistorySnapshot(db: Db, version: number, sites: readonly RelapseInputSite[]): boolean {
  const blob = encodeHistories(sites);
  if (!blob) return false;
  return writeCache(db, (writer) => {
    if (!writer.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'site_history_snapshot'")) return false;
    writer.run('INSERT OR REPLACE INTO site_history_snapshot (id, sites_version, format, saved_at, data) VALUES (1, ?, ?, ?, ?)', [
      version,
      SNAPSHOT_FORMAT,
      new Date().toISOString(),
      blob,
    ]);
    return true;
  });
}
