// What is stored is always WGS84. On a GCJ-02 basemap (高德/腾讯 tiles and office exports of them)
// the page draws everything converted to GCJ-02 and converts every position read off the screen
// (a click, a drawn vertex, the view) back to WGS84, with domain/coordinates.ts (gcoord) as the
// ledger import and the 新增点位 form do.
import { fromWgs84, toWgs84 } from '../../domain/coordinates.ts';
import type { FeatureCollection } from 'geojson';
import type { BasemapCrs } from './basemap-style.ts';

export type LngLat = [number, number];

export class ScreenCrs {
  private readonly converted = new WeakMap<FeatureCollection, FeatureCollection>();

  constructor(readonly crs: BasemapCrs) {}

  /** A stored (WGS84) position as drawn. */
  toScreen(position: readonly [number, number]): LngLat {
    if (this.crs === 'wgs84') return [position[0], position[1]];
    return fromWgs84('gcj02', position[0], position[1]);
  }

  /** A position read off the map (click, drawing, view) as stored: WGS84. */
  fromScreen(position: readonly [number, number]): LngLat {
    if (this.crs === 'wgs84') return [position[0], position[1]];
    return toWgs84('gcj02', position[0], position[1]);
  }

  /** A bbox read off the map, as WGS84 (each corner converted, then the box around them). */
  bboxFromScreen([west, south, east, north]: readonly [number, number, number, number]): [number, number, number, number] {
    if (this.crs === 'wgs84') return [west, south, east, north];
    const corners = [this.fromScreen([west, south]), this.fromScreen([east, north]), this.fromScreen([west, north]), this.fromScreen([east, south])];
    return [
      Math.min(...corners.map((c) => c[0])),
      Math.min(...corners.map((c) => c[1])),
      Math.max(...corners.map((c) => c[0])),
      Math.max(...corners.map((c) => c[1])),
    ];
  }

  /** A collection as drawn: every coordinate converted (kept per input, so replays cost nothing). */
  collection(data: FeatureCollection): FeatureCollection {
    if (this.crs === 'wgs84') return data;
    let done = this.converted.get(data);
    if (!done) {
      done = {
        ...data,
        features: data.features.map((f) => (f.geometry ? { ...f, geometry: { ...f.geometry, ...convertGeometry(f.geometry, (p) => this.toScreen(p)) } } : f)),
      } as FeatureCollection;
      this.converted.set(data, done);
    }
    return done;
  }
}

function convertCoordinates(value: unknown, convert: (p: [number, number]) => LngLat): unknown {
  if (Array.isArray(value) && typeof value[0] === 'number') return convert(value as [number, number]);
  if (Array.isArray(value)) return value.map((part) => convertCoordinates(part, convert));
  return value;
}

function convertGeometry(geometry: object, convert: (p: [number, number]) => LngLat): object {
  if ('coordinates' in geometry) return { coordinates: convertCoordinates(geometry.coordinates, convert) };
  if ('geometries' in geometry && Array.isArray(geometry.geometries))
    return { geometries: geometry.geometries.map((g: object) => ({ ...g, ...convertGeometry(g, convert) })) };
  return {};
}
