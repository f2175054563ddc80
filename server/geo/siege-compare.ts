// Compare two siege results computed with the same core, bands and sectors (say two asOf dates).
import type { SiegePlacement, SiegeResult } from './siege-types.ts';

export interface SiegeCellChange {
  band: number;
  sector: number | null;
  before: number;
  after: number;
  change: number;
}

export interface SiegeComparison {
  cells: SiegeCellChange[];
  sitesBefore: number;
  sitesAfter: number;
  occupancyBefore: number;
  occupancyAfter: number;
  /** Placed in a cell before, in none after: closed, struck off, relocated or moved out of reach. Before placements. */
  closedOrMovedAway: SiegePlacement[];
  /** Placed in a cell after, in none before: newly found, relapsed or moved in. After placements. */
  appeared: SiegePlacement[];
}

function cellKey(band: number, sector: number | null): string {
  return `${band}:${sector ?? '-'}`;
}

export function compareSiege(before: SiegeResult, after: SiegeResult): SiegeComparison {
  const sameLayout =
    before.options.sectors === after.options.sectors &&
    before.options.bandsKm.join(',') === after.options.bandsKm.join(',') &&
    before.core.centroid[0] === after.core.centroid[0] &&
    before.core.centroid[1] === after.core.centroid[1];
  if (!sameLayout) throw new Error('compareSiege: both results must use the same core, bands and sectors');

  const afterCounts = new Map<string, number>();
  for (const cell of after.cells.features) afterCounts.set(cellKey(cell.properties.band, cell.properties.sector), cell.properties.count);
  const cells = before.cells.features.map((cell): SiegeCellChange => {
    const { band, sector, count } = cell.properties;
    const afterCount = afterCounts.get(cellKey(band, sector)) ?? 0;
    return { band, sector, before: count, after: afterCount, change: afterCount - count };
  });

  const beforeIds = new Set(before.placements.map((placement) => placement.id));
  const afterIds = new Set(after.placements.map((placement) => placement.id));
  return {
    cells,
    sitesBefore: before.summary.sites,
    sitesAfter: after.summary.sites,
    occupancyBefore: before.summary.occupancy,
    occupancyAfter: after.summary.occupancy,
    closedOrMovedAway: before.placements.filter((placement) => !afterIds.has(placement.id)),
    appeared: after.placements.filter((placement) => !beforeIds.has(placement.id)),
  };
}
