// The answers of the kept histories (as-of-statuses.ts) for a past date: one walk over the typed
// arrays, deciding each site exactly as `siteFilterSql` with asOf does — discovered on or before the
// date, county / category / source in the lists, voided today left out unless a status filter names
// voided, located or not, and the status filter applied to the status on the date (the last event by
// (date, id) with date <= asOf; a site with none has status null and passes no status filter).
import type { ClusterSite, CountyStatusCount } from '../../domain/cluster-index.ts';
import { VOIDED, type StatusCode } from '../../domain/statuses.ts';
import { dayKey, MAX_CODES, type AsOfStatuses } from './as-of-statuses.ts';
import type { SiteFilters } from './site-filters.ts';

/** A count row as `GROUP BY county, status, category` gives it (status null: no event by the date). */
export interface AsOfCountRow {
  county: string;
  status: StatusCode | null;
  category: string;
  n: number;
}

/** Whether the kept histories can answer `filters` (a past date written YYYY-MM-DD, no bbox or text search). */
export const asOfAnswers = (filters: SiteFilters): boolean => Boolean(filters.asOf) && !filters.bbox && !filters.q && dayKey(filters.asOf!) >= 0;

const SIZE = MAX_CODES + 1;

/** A table of the codes a list allows (null: no list, all pass). */
function allowed(kept: AsOfStatuses, list: readonly string[] | undefined): Uint8Array | null {
  if (!list?.length) return null;
  const table = new Uint8Array(SIZE);
  for (const text of list) {
    const code = kept.codeOf(text);
    if (code > 0) table[code] = 1;
  }
  return table;
}

/** Calls `visit(slot, status)` for each site passing `filters` (asOf required), status the code on asOf (0: none). */
function walk(kept: AsOfStatuses, filters: SiteFilters, visit: (slot: number, status: number) => void) {
  const asOf = dayKey(filters.asOf!);
  const counties = allowed(kept, filters.counties);
  const categories = allowed(kept, filters.categories);
  const statuses = allowed(kept, filters.statuses);
  const source = filters.source === undefined ? 0 : kept.codeOf(filters.source);
  if (source < 0) return;
  const voidedToo = Boolean(filters.statuses?.includes(VOIDED));
  const located = filters.located;
  const { county, category, voidedNow, lon, discovered, eventStart, eventCount, eventDay, eventStatus } = kept;
  const sources = kept.source;
  for (let slot = 0, end = kept.slotEnd; slot < end; slot++) {
    const c = county[slot]!;
    if (c === 0 || discovered[slot]! > asOf) continue;
    if (counties && counties[c] === 0) continue;
    if (categories && categories[category[slot]!] === 0) continue;
    if (source !== 0 && sources[slot] !== source) continue;
    if (!voidedToo && voidedNow[slot] === 1) continue;
    if (located !== undefined && Number.isNaN(lon[slot]!) === located) continue;
    let status = 0;
    for (let i = eventStart[slot]!, stop = i + eventCount[slot]!; i < stop && eventDay[i]! <= asOf; i++) status = eventStatus[i]!;
    if (statuses && statuses[status] === 0) continue;
    visit(slot, status);
  }
}

/** SQLite's order of GROUP BY keys: NULL first, then texts by their bytes (the codes are ASCII). */
const order = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** `GROUP BY county, status, category` of the sites passing `filters`, in SQLite's order (null status first). */
export function asOfCountRows(kept: AsOfStatuses, filters: SiteFilters): AsOfCountRow[] {
  const n = new Int32Array(SIZE * SIZE * SIZE);
  walk(kept, filters, (slot, status) => n[(kept.county[slot]! * SIZE + status) * SIZE + kept.category[slot]!]!++);
  const rows: AsOfCountRow[] = [];
  n.forEach((count, key) => {
    if (count === 0) return;
    const status = Math.floor(key / SIZE) % SIZE;
    rows.push({
      county: kept.strings[Math.floor(key / (SIZE * SIZE))]!,
      status: status === 0 ? null : (kept.strings[status] as StatusCode),
      category: kept.strings[key % SIZE]!,
      n: count,
    });
  });
  return rows.sort((a, b) => order(a.county, b.county) || order(a.status, b.status) || order(a.category, b.category));
}

/** One step of SQLite's compensated sum (kahanBabuskaNeumaierStep in func.c): sums[at] the sum, sums[at + 1] the error. */
function addCompensated(sums: Float64Array, at: number, value: number) {
  const sum = sums[at]!;
  const next = sum + value;
  sums[at + 1]! += Math.abs(sum) > Math.abs(value) ? sum - next + value : value - next + sum;
  sums[at] = next;
}

/** Located sites passing `filters` per county and status, with their positions' sums (readMapCounts' rows). */
export function asOfMapCountRows(
  kept: AsOfStatuses,
  filters: SiteFilters,
  ids: { exclude?: readonly number[]; only?: readonly number[] } = {},
): CountyStatusCount[] {
  const exclude = ids.exclude?.length ? new Set(ids.exclude) : null;
  const only = ids.only ? new Set(ids.only) : null;
  const n = new Int32Array(SIZE * SIZE);
  // [sum, error] per key and axis: SQLite's sum() of reals is Kahan–Babuška–Neumaier (3.43+), so the
  // same compensated steps give the same sums whatever order the sites come in (the county clusters'
  // mean positions, written into the tiles, come out equal to SQL's).
  const lon = new Float64Array(SIZE * SIZE * 2);
  const lat = new Float64Array(SIZE * SIZE * 2);
  walk(kept, { ...filters, located: true }, (slot, status) => {
    if ((exclude && exclude.has(slot)) || (only && !only.has(slot))) return;
    const key = kept.county[slot]! * SIZE + status;
    n[key]!++;
    addCompensated(lon, key * 2, kept.lon[slot]!);
    addCompensated(lat, key * 2, kept.lat[slot]!);
  });
  const rows: CountyStatusCount[] = [];
  n.forEach((count, key) => {
    if (count === 0) return;
    const status = key % SIZE;
    rows.push({
      county: kept.strings[Math.floor(key / SIZE)]!,
      status: (status === 0 ? null : kept.strings[status]) as StatusCode,
      n: count,
      lon: lon[key * 2]! + lon[key * 2 + 1]!,
      lat: lat[key * 2]! + lat[key * 2 + 1]!,
    });
  });
  return rows.sort((a, b) => order(a.county, b.county) || order(a.status, b.status));
}

/** Located sites passing `filters` in id order, in the cluster index's form (readMapSites' rows). */
export function asOfSites(kept: AsOfStatuses, filters: SiteFilters): ClusterSite[] {
  const sites: ClusterSite[] = [];
  walk(kept, { ...filters, located: true }, (slot, status) =>
    sites.push({
      id: slot,
      lon: kept.lon[slot]!,
      lat: kept.lat[slot]!,
      county: kept.strings[kept.county[slot]!]!,
      status: (status === 0 ? null : kept.strings[status]) as StatusCode,
      category: kept.strings[kept.category[slot]!]!,
      source: kept.strings[kept.source[slot]!] as ClusterSite['source'],
    }),
  );
  return sites;
}
