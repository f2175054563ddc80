// County names on the map, kept clear of the cluster rings. The rings are HTML markers above the
// map's canvas, so MapLibre's own label collision cannot see them: at the city view a county's one
// ring sits near the middle of the county, where its name is written, and used to cover it. Each
// label that a ring would cover is moved up or down (away from the ring's centre) until it clears
// every ring, and stays at its place otherwise.

/** Pixel size of the county label's text (`text-size` of the `county-label` layer). */
export const COUNTY_LABEL_SIZE = 15;
/** Room kept between a ring and a label's box, in pixels. */
const MARGIN = 3;
/** Height of a one-line label box (text plus halo), in pixels. */
const LABEL_HEIGHT = COUNTY_LABEL_SIZE + 5;

export interface Ring {
  /** Centre on screen, pixels. */
  x: number;
  y: number;
  radius: number;
}

/** A label's width on screen: CJK characters are one em wide, others about half. */
export function labelWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? COUNTY_LABEL_SIZE : COUNTY_LABEL_SIZE * 0.55;
  return width + 4;
}

function covers(ring: Ring, x: number, y: number, width: number): boolean {
  const nearestX = Math.max(x - width / 2, Math.min(ring.x, x + width / 2));
  const nearestY = Math.max(y - LABEL_HEIGHT / 2, Math.min(ring.y, y + LABEL_HEIGHT / 2));
  return Math.hypot(ring.x - nearestX, ring.y - nearestY) < ring.radius + MARGIN;
}

/**
 * How far (pixels, down positive) to move a label drawn centred at (x, y) so that no ring covers it;
 * 0 when none does. A covered label goes to just above or below the ring that covers it, on the
 * side of its own centre, and further the same way past any ring it then meets.
 */
export function labelShift(text: string, x: number, y: number, rings: readonly Ring[]): number {
  const width = labelWidth(text);
  let shifted = y;
  let up: boolean | null = null;
  for (let pass = 0; pass <= rings.length; pass++) {
    const ring = rings.find((r) => covers(r, x, shifted, width));
    if (!ring) return shifted - y;
    up ??= shifted <= ring.y;
    shifted = up ? ring.y - ring.radius - MARGIN - LABEL_HEIGHT / 2 : ring.y + ring.radius + MARGIN + LABEL_HEIGHT / 2;
  }
  return shifted - y;
}
