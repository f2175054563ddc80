// The site lists a cluster tile request carries (web/state/map.ts asks the tiles with them).
import { MAX_MAP_IDS } from '../../domain/cluster-index.ts';

/** A site list too long for a tile URL: which one, and how many sites it names. */
export interface TooManySites {
  list: 'exclude' | 'only';
  count: number;
  maximum: number;
}

/**
 * The tile query's site lists: the sites drawn apart (a figure's highlight) and the only sites shown
 * (an analysis'). A list longer than MAX_MAP_IDS is not sent — the clusters then hold those sites as
 * usual (a highlight is still drawn above them; an analysis' map shows every site) — and `tooMany` says
 * so, for the page to tell the user rather than fail.
 */
export function tileSiteLists(
  exclude: readonly number[],
  only: readonly number[] | null,
): { query: { exclude?: string; only?: string }; tooMany: TooManySites | null } {
  const query: { exclude?: string; only?: string } = {};
  let tooMany: TooManySites | null = null;
  if (exclude.length > MAX_MAP_IDS) tooMany = { list: 'exclude', count: exclude.length, maximum: MAX_MAP_IDS };
  else if (exclude.length) query.exclude = exclude.join(',');
  if (only && only.length > MAX_MAP_IDS) tooMany = { list: 'only', count: only.length, maximum: MAX_MAP_IDS };
  else if (only) query.only = only.join(',');
  return { query, tooMany };
}
