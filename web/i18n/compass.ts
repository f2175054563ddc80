// Compass names of the 16 points for a siege sector, from its mid-bearing (degrees from north,
// clockwise): 东北偏东 (ENE) and the like, so a cell reads "5–10 km · 东北偏东 (ENE)".
const POINTS: readonly [string, string][] = [
  ['北', 'N'],
  ['东北偏北', 'NNE'],
  ['东北', 'NE'],
  ['东北偏东', 'ENE'],
  ['东', 'E'],
  ['东南偏东', 'ESE'],
  ['东南', 'SE'],
  ['东南偏南', 'SSE'],
  ['南', 'S'],
  ['西南偏南', 'SSW'],
  ['西南', 'SW'],
  ['西南偏西', 'WSW'],
  ['西', 'W'],
  ['西北偏西', 'WNW'],
  ['西北', 'NW'],
  ['西北偏北', 'NNW'],
];

/** The middle bearing of a sector [from, to), wrapping through north when from > to. */
export function midBearing(from: number, to: number): number {
  const span = (to - from + 360) % 360 || 360;
  return (from + span / 2) % 360;
}

/** 16-point compass name of a bearing: [中文, abbreviation]. */
export function compassPoint(bearing: number): [string, string] {
  return POINTS[Math.round((((bearing % 360) + 360) % 360) / 22.5) % 16]!;
}

/** "5–10 km · 东北偏东 (ENE)"; the core itself and cells without a sector get only the distance words. */
export function siegeCellWords(
  cell: { inside: boolean; bandFromKm: number; bandToKm: number; bearingFrom: number | null; bearingTo: number | null },
  insideWords: string,
): string {
  if (cell.inside) return insideWords;
  const distance = `${cell.bandFromKm}–${cell.bandToKm} km`;
  if (cell.bearingFrom === null || cell.bearingTo === null) return distance;
  const [zh, abbreviation] = compassPoint(midBearing(cell.bearingFrom, cell.bearingTo));
  return `${distance} · ${zh} (${abbreviation})`;
}
