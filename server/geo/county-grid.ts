// Point-in-county lookup for many points (a ledger's 10^5 rows): the same answers as CountyLocator
// (domain/locate-county.ts), most of them from a grid over the counties' extent. A cell that no
// county's edge touches lies wholly inside or wholly outside each county, so every point in it gets
// the answer of the first point located there; points in cells an edge touches, or outside the grid,
// are located as CountyLocator locates them (turf's point-in-polygon over the counties in code order).
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
  }

  locate(lon: number, lat: number): string | null {
    const c = this.column(lon);
    const r = this.rowOf(lat);
    if (c < 0 || c >= CELLS || r < 0 || r >= CELLS || Number.isNaN(lon) || Number.isNaN(lat)) return this.exact.locate(lon, lat);
    const i = r * CELLS + c;
    const held = this.cells[i]!;
    if (held === TOUCHED) return this.exact.locate(lon, lat);
    if (held !== UNKNOWN) return held === NONE ? null : this.codes[held - 1]!;
    const code = this.exact.locate(lon, lat);
    let at = code === null ? -1 : this.codes.indexOf(code);
    if (code !== null && at < 0) at = this.codes.push(code) - 1;
    this.cells[i] = code === null ? NONE : at + 1;
    return code;
  }

  private column(lon: number): number {
    return Math.floor((lon - this.minLon) / this.stepLon);
  }

  private rowOf(lat: number): number {
    return Math.floor((lat - this.minLat) / this.stepLat);
  }
}
