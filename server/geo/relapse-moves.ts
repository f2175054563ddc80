// Likely moves (改头换面转移): a new site discovered soon after, and near, the closure of a site of
// the same category. New sites are bucketed by category in a lon/lat grid at least radiusKm wide
// (in every direction, at the highest latitude present), each bucket sorted by discovery day, so a
// closure looks at 3 × 3 buckets and only the days in range: no pass over all pairs.
import { EARTH_RADIUS_KM, haversineKm, RADIANS } from './sphere.ts';
import { normaliseName, bigramDice } from './relapse-names.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { MoveCandidate, MoveDecision, ResolvedRelapseOptions } from './relapse-types.ts';

/** Weights of the move score: distance, time, name. They add up to 1. */
export const MOVE_SCORE_WEIGHTS = { distance: 0.35, time: 0.25, name: 0.4 } as const;

/** The key of a candidate pair, old site first: `${oldId}-${newId}`. */
export function moveKey(oldId: number, newId: number): string {
  return `${oldId}-${newId}`;
}

/** What both sides of a likely move carry. */
interface LocatedSite {
  id: number;
  name: string;
  category: CategoryCode;
  lon: number;
  lat: number;
  county: string;
  township: string | null;
}

/** A located site with its move closures (days, ascending) — the old side of a pair. */
export interface ClosedSite extends LocatedSite {
  /** Days of moves to closed, with the day strings, ascending. */
  closures: { day: number; date: string }[];
}

/** A located site discovered in the window — the new side of a pair. */
export interface NewSite extends LocatedSite {
  day: number;
  discoveredOn: string;
}

/** Score 0..1 of a pair; see MOVE_SCORE_WEIGHTS. */
export function moveScore(distanceKm: number, days: number, similarity: number, radiusKm: number, withinDays: number): number {
  const score =
    MOVE_SCORE_WEIGHTS.distance * (1 - distanceKm / radiusKm) + MOVE_SCORE_WEIGHTS.time * (1 - days / withinDays) + MOVE_SCORE_WEIGHTS.name * similarity;
  return Math.min(1, Math.max(0, score));
}

interface Bucket {
  sites: NewSite[];
  days: Float64Array;
}

function lowerBound(days: Float64Array, day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (days[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function findMoves(
  closedSites: readonly ClosedSite[],
  newSites: readonly NewSite[],
  options: Pick<ResolvedRelapseOptions, 'radiusKm' | 'withinDays'>,
  decisions: ReadonlyMap<string, MoveDecision> | undefined,
): MoveCandidate[] {
  const { radiusKm, withinDays } = options;
  if (closedSites.length === 0 || newSites.length === 0) return [];
  let maxAbsLat = 0;
  for (const site of newSites) maxAbsLat = Math.max(maxAbsLat, Math.abs(site.lat));
  for (const site of closedSites) maxAbsLat = Math.max(maxAbsLat, Math.abs(site.lat));
  const kmPerDegree = EARTH_RADIUS_KM * RADIANS;
  // 1% wider than the radius so rounding never hides a pair at the edge; capped near the poles.
  const latStep = (1.01 * radiusKm) / kmPerDegree;
  const lonStep = Math.min(360, (1.01 * radiusKm) / (kmPerDegree * Math.max(Math.cos(Math.min(maxAbsLat + latStep, 89.9) * RADIANS), 1e-6)));

  // Per category, buckets keyed by column·span + row counted from the south-west of all sites (a
  // small integer, cheap to hash), each sorted by discovery day with the days in a typed array.
  let minColumn = Infinity;
  let minRow = Infinity;
  let maxRow = -Infinity;
  for (const sites of [newSites, closedSites])
    for (const site of sites) {
      const column = Math.floor(site.lon / lonStep);
      const row = Math.floor(site.lat / latStep);
      if (column < minColumn) minColumn = column;
      if (row < minRow) minRow = row;
      if (row > maxRow) maxRow = row;
    }
  const span = maxRow - minRow + 3;
  const packed = (column: number, row: number): number => (column - minColumn + 1) * span + (row - minRow + 1);
  const lists = new Map<CategoryCode, Map<number, NewSite[]>>();
  // Sorted once by discovery day, so every bucket is filled in day order.
  const byDay = [...newSites].sort((a, b) => a.day - b.day || a.id - b.id);
  for (const site of byDay) {
    let byCell = lists.get(site.category);
    if (!byCell) lists.set(site.category, (byCell = new Map()));
    const key = packed(Math.floor(site.lon / lonStep), Math.floor(site.lat / latStep));
    let bucket = byCell.get(key);
    if (!bucket) byCell.set(key, (bucket = []));
    bucket.push(site);
  }
  const buckets = new Map<CategoryCode, Map<number, Bucket>>();
  for (const [category, byCell] of lists) {
    const sorted = new Map<number, Bucket>();
    for (const [key, sites] of byCell) {
      const days = new Float64Array(sites.length);
      for (let index = 0; index < sites.length; index++) days[index] = sites[index]!.day;
      sorted.set(key, { sites, days });
    }
    buckets.set(category, sorted);
  }

  const normalised = new Map<number, string>();
  const normalisedName = (site: ClosedSite | NewSite): string => {
    let text = normalised.get(site.id);
    if (text === undefined) normalised.set(site.id, (text = normaliseName(site.name, [site.county, site.township])));
    return text;
  };

  const pairs = new Map<string, MoveCandidate>();
  for (const old of closedSites) {
    const byCell = buckets.get(old.category);
    if (!byCell) continue;
    const column = Math.floor(old.lon / lonStep);
    const row = Math.floor(old.lat / latStep);
    for (let dc = -1; dc <= 1; dc++)
      for (let dr = -1; dr <= 1; dr++) {
        const bucket = byCell.get(packed(column + dc, row + dr));
        if (!bucket) continue;
        const { sites, days: bucketDays } = bucket;
        for (const closure of old.closures)
          for (let index = lowerBound(bucketDays, closure.day + 1); index < sites.length; index++) {
            const site = sites[index]!;
            const days = site.day - closure.day;
            if (days > withinDays) break;
            if (site.id === old.id) continue;
            const key = moveKey(old.id, site.id);
            const existing = pairs.get(key);
            // Several closures of the same old site: the latest one before the discovery counts.
            if (existing && existing.days <= days) continue;
            const distanceKm = haversineKm(old.lon, old.lat, site.lon, site.lat);
            if (distanceKm > radiusKm) continue;
            const similarity = bigramDice(normalisedName(old), normalisedName(site));
            pairs.set(key, {
              key,
              fromId: old.id,
              toId: site.id,
              fromName: old.name,
              toName: site.name,
              category: old.category,
              closedOn: closure.date,
              discoveredOn: site.discoveredOn,
              distanceKm,
              days,
              nameSimilarity: similarity,
              score: moveScore(distanceKm, days, similarity, radiusKm, withinDays),
              decision: decisions?.get(key) ?? null,
              county: site.county,
              township: site.township,
              line: {
                type: 'LineString',
                coordinates: [
                  [old.lon, old.lat],
                  [site.lon, site.lat],
                ],
              },
            });
          }
      }
  }
  return [...pairs.values()].sort((a, b) => b.score - a.score || a.fromId - b.fromId || a.toId - b.toId);
}
