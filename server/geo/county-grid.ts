// Point-in-county lookup for many points (a ledger's 10^5 rows): the same answers as CountyLocator
// (domain/locate-county.ts), most of them from a grid over the counties' extent. A cell that no
// county's edge touches lies wholly inside or wholly outside each county, and so does a run of such
// cells side by side (no edge passes between them): every point in it gets the answer of one point
// located when the grid is built; points in cells an edge touches, or outside the grid, are located as
// CountyLocator locates them (turf's point-in-polygon over the counties in code order).
import type { MultiPolygon, Polygon } from 'geojson';
import { CountyLocator, geometryBbox, type CountyShape } from '../../domain/locate-county.ts';

/** Cells along each side of the grid. */
const CELLS = 256;
/** A cell counts as touched by an edge passing within this many degrees of it (~1 mm): rounding never decides a cell. */
const MARGIN = 1e-8;
const TOUCHED = -1;
const UNKNOWN = 0;
/** A cell's answer: 1 + the index of its county in `codes`, or NONE (in no county). */
const NONE = 0x7fff;

export interface CountyLookup {
  locate(lon: number, lat: number): string | null;
}

function* rings(geometry: Polygon | MultiPolygon): Generator<number[][]> {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) for (const ring of polygon) yield ring;
}

export class CountyGrid implements CountyLookup {
  private readonly exact: CountyLocator;
  private readonly codes: string[] = [];
  private readonly cells = new Int16Array(CELLS * CELLS);
  private readonly minLon: number;
  private readonly minLat: number;
  private readonly stepLon: number;
  private readonly stepLat: number;

  constructor(counties: readonly CountyShape[]) {
    this.exact = new CountyLocator(counties);
    let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const county of counties) {
      const [a, b, c, d] = geometryBbox(county.geometry);
      [minLon, minLat, maxLon, maxLat] = [Math.min(minLon, a), Math.min(minLat, b), Math.max(maxLon, c), Math.max(maxLat, d)];
    }
    this.minLon = minLon;
    this.minLat = minLat;
    this.stepLon = counties.length ? (maxLon - minLon) / CELLS : 1;
    this.stepLat = counties.length ? (maxLat - minLat) / CELLS : 1;
    // Every cell an edge's bounding box (widened by MARGIN) overlaps is touched: more cells than the
    // edge crosses, never fewer.
    for (const county of counties)
      for (const ring of rings(county.geometry))
        for (let i = 1; i < ring.length; i++) {
          const [x0, y0] = ring[i - 1]!;
          const [x1, y1] = ring[i]!;
          const c0 = this.column(Math.min(x0!, x1!) - MARGIN);
          const c1 = this.column(Math.max(x0!, x1!) + MARGIN);
          const r0 = this.rowOf(Math.min(y0!, y1!) - MARGIN);
          const r1 = this.rowOf(Math.max(y0!, y1!) + MARGIN);
          for (let r = Math.max(0, r0); r <= Math.min(CELLS - 1, r1); r++)
            for (let c = Math.max(0, c0); c <= Math.min(CELLS - 1, c1); c++) this.cells[r * CELLS + c] = TOUCHED;
        }
    this.answerRuns();
  }

  /** Each run of untouched cells joined side by side (a flood fill) gets the answer of its first cell's centre. */
  private answerRuns(): void {
    const queue = new Int32Array(CELLS * CELLS);
    for (let start = 0; start < this.cells.length; start++) {
      if (this.cells[start] !== UNKNOWN) continue;
      const code = this.exact.locate(this.minLon + ((start % CELLS) + 0.5) * this.stepLon, this.minLat + (Math.floor(start / CELLS) + 0.5) * this.stepLat);
      let at = code === null ? -1 : this.codes.indexOf(code);
      if (code !== null && at < 0) at = this.codes.push(code) - 1;
      const answer = code === null ? NONE : at + 1;
      let tail = 0;
      const reach = (j: number) => {
        if (this.cells[j] !== UNKNOWN) return;
        this.cells[j] = answer;
        queue[tail++] = j;
      };
      reach(start);
      for (let head = 0; head < tail; head++) {
        const i = queue[head]!;
        const c = i % CELLS;
        if (c > 0) reach(i - 1);
        if (c < CELLS - 1) reach(i + 1);
        if (i >= CELLS) reach(i - CELLS);
        if (i < CELLS * (CELLS - 1)) reach(i + CELLS);
      }
    }
  }

  locate(lon: number, lat: number): string | null {
    const c = this.column(lon);
    const r = this.rowOf(lat);
    if (c < 0 || c >= CELLS || r < 0 || r >= CELLS || Number.isNaN(lon) || Number.isNaN(lat)) return this.exact.locate(lon, lat);
    const i = r * CELLS + c;
    const held = this.cells[i]!;
    if (held === TOUCHED) return this.exact.locate(lon, lat);
    return held === NONE ? null : this.codes[held - 1]!;
  }

  private column(lon: number): number {
    return Math.floor((lon - this.minLon) / this.stepLon);
  }

  private rowOf(lat: number): number {
    return Math.floor((lat - this.minLat) / this.stepLat);
  }
}
