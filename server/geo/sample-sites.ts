// Random spot-check sample (随机抽查, issue 7): k sites per county, drawn from a recorded seed so the
// draw can be shown to be random and be reproduced later by anyone with the same site list.
//
// Method (stratified simple random sample without replacement):
// 1. Group the sites by county; take the counties in code order (plain string comparison).
// 2. Within each county, sort the site ids ascending (so the input order does not matter).
// 3. One pseudo-random stream, mulberry32 seeded with `seed` (domain/random.ts `Random`), runs
//    through the counties in that order; each county's ids are shuffled by Fisher–Yates
//    (`Random.shuffle`: for i from last down to 1, swap i with floor(next() × (i + 1))) and its first
//    min(k, size) ids are taken. The result lists them ascending.
import { Random } from '../../domain/random.ts';
import { RouteOptionError } from './route-options.ts';

export interface SampleCandidate {
  id: number;
  /** County code (or name); the stratum. */
  county: string;
}

export interface SiteSample {
  seed: number;
  perCounty: number;
  /** Sampled ids per county, ascending; every county with candidates appears. */
  byCounty: Record<string, number[]>;
  /** All sampled ids, ascending. */
  ids: number[];
  method: string;
}

export const SAMPLE_METHOD =
  'Stratified by county (counties in code order, ids ascending within each); Fisher–Yates shuffle with mulberry32 seeded by `seed`, one stream across counties; first min(k, size) ids of each county.';

export function sampleSites(sites: readonly SampleCandidate[], perCounty: number, seed: number): SiteSample {
  if (!Number.isInteger(perCounty) || perCounty < 1)
    throw new RouteOptionError('perCounty', `sites per county must be a whole number of at least 1, not ${String(perCounty)}`, {
      reason: 'too_small',
      minimum: 1,
      value: perCounty,
    });
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RouteOptionError('seed', `the seed must be a whole number from 0 to 4294967295, not ${String(seed)}`, {
      reason: 'out_of_range',
      minimum: 0,
      maximum: 0xffffffff,
      value: seed,
    });
  const groups = new Map<string, number[]>();
  const seen = new Set<number>();
  for (const site of sites) {
    if (seen.has(site.id)) throw new RouteOptionError('sites', `site ${site.id} appears more than once`, { reason: 'repeated', value: site.id });
    seen.add(site.id);
    const group = groups.get(site.county);
    if (group) group.push(site.id);
    else groups.set(site.county, [site.id]);
  }
  const random = new Random(seed);
  const byCounty: Record<string, number[]> = {};
  const ids: number[] = [];
  for (const county of [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const pool = groups.get(county)!.sort((a, b) => a - b);
    const drawn = random
      .shuffle(pool)
      .slice(0, perCounty)
      .sort((a, b) => a - b);
    byCounty[county] = drawn;
    ids.push(...drawn);
  }
  ids.sort((a, b) => a - b);
  return { seed, perCounty, byCounty, ids, method: SAMPLE_METHOD };
}
