// Which county polygon holds a point. Pure: county features in, a code (or null) out.
// The one turf function, from its own package (the one @turf/turf re-exports, at the same version):
// importing @turf/turf loads every turf module, ~0.4 s of CPU on the analysis thread's first job.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export interface CountyShape {
  code: string;
  geometry: Polygon | MultiPolygon;
}

interface IndexedShape extends CountyShape {
  bbox: [number, number, number, number];
}

export function geometryBbox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (const position of ring) {
        const lon = position[0]!;
        const lat = position[1]!;
        if (lon < minLon) minLon = lon;
        if (lat < minLat) minLat = lat;
        if (lon > maxLon) maxLon = lon;
        if (lat > maxLat) maxLat = lat;
      }
  return [minLon, minLat, maxLon, maxLat];
}

/**
 * Point-in-county lookup. Counties are tried in code order and the first polygon that holds the
 * point (boundary included) wins, so a point on an edge two counties share goes to exactly one.
 */
export class CountyLocator {
  private readonly shapes: IndexedShape[];

  constructor(counties: readonly CountyShape[]) {
    this.shapes = [...counties].sort((a, b) => a.code.localeCompare(b.code)).map((county) => ({ ...county, bbox: geometryBbox(county.geometry) }));
  }

  locate(lon: number, lat: number): string | null {
    for (const shape of this.shapes) {
      const [minLon, minLat, maxLon, maxLat] = shape.bbox;
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
      const feature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: shape.geometry };
      if (booleanPointInPolygon([lon, lat], feature)) return shape.code;
    }
    return null;
  }

  codes(): string[] {
    return this.shapes.map((shape) => shape.code);
  }
}
