// Checks a county boundary file before it may replace what the database holds.
// Pure: parsed JSON in, county records out, or an error naming the file, feature and reason.
import { area, booleanValid, kinks } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { geometryBbox } from '../../domain/locate-county.ts';

export interface CountyRecord {
  code: string;
  name: string;
  kind: 'district' | 'county';
  geometry: Polygon | MultiPolygon;
  areaKm2: number;
  bbox: [number, number, number, number];
  seat: [number, number] | null;
  labelPoint: [number, number] | null;
}

export class GeodataError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'GeodataError';
  }
}

const isPosition = (value: unknown): value is [number, number] =>
  Array.isArray(value) && value.length >= 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));

/** GB/T 2260: the last two digits 01–20 are districts (市辖区), 21 and above counties and county-level cities. */
function kindOf(code: string): 'district' | 'county' {
  return Number(code.slice(4)) <= 20 ? 'district' : 'county';
}

export function validateCountyCollection(json: unknown, file: string): CountyRecord[] {
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== 'FeatureCollection')
    throw new GeodataError(file, 'not a GeoJSON FeatureCollection');
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features) || features.length === 0) throw new GeodataError(file, 'has no features');
  const seen = new Set<string>();
  return features.map((raw: unknown, index) => {
    const feature = raw as Feature;
    const where = `feature ${index + 1}`;
    const properties = (feature?.properties ?? {}) as Record<string, unknown>;
    const code = String(properties.adcode ?? properties.code ?? '');
    const name = String(properties.name ?? '').trim();
    if (!/^\d{6}$/.test(code)) throw new GeodataError(file, `${where}: property "adcode" (or "code") must be a 6-digit county code, got "${code}"`);
    if (!name) throw new GeodataError(file, `${where} (${code}): property "name" is missing`);
    if (seen.has(code)) throw new GeodataError(file, `${where}: county code ${code} appears twice`);
    seen.add(code);
    const geometry = feature?.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon'))
      throw new GeodataError(file, `${where} (${code} ${name}): geometry must be Polygon or MultiPolygon, got ${geometry?.type ?? 'none'}`);
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons)
      for (const ring of polygon) {
        if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition))
          throw new GeodataError(file, `${where} (${code} ${name}): a ring has fewer than 4 valid positions`);
        const first = ring[0]!;
        const last = ring[ring.length - 1]!;
        if (first[0] !== last[0] || first[1] !== last[1])
          throw new GeodataError(file, `${where} (${code} ${name}): a ring is not closed`);
        for (const [lon, lat] of ring)
          if (lon < 73 || lon > 136 || lat < 3 || lat > 54)
            throw new GeodataError(file, `${where} (${code} ${name}): position ${lon},${lat} is outside China in WGS84 longitude/latitude`);
      }
    const asFeature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry };
    if (!booleanValid(asFeature) || kinks(asFeature).features.length > 0)
      throw new GeodataError(file, `${where} (${code} ${name}): polygon is not valid (self-intersecting or malformed)`);
    return {
      code,
      name,
      kind: kindOf(code),
      geometry,
      areaKm2: Math.round((area(asFeature) / 1e6) * 100) / 100,
      bbox: geometryBbox(geometry),
      seat: isPosition(properties.seat) ? [properties.seat[0], properties.seat[1]] : null,
      labelPoint: isPosition(properties.label_point) ? [properties.label_point[0], properties.label_point[1]] : null,
    };
  });
}
