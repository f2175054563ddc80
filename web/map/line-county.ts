// Where a drawn road line lies, for the form before it is saved: the county holding its midpoint
// (along the line, as the server decides: server/geo/locate-line.ts) and the county of each vertex.
// Counties are tried in code order, so a point on a shared edge goes to one, as on the server.
import { along, booleanPointInPolygon, length, lineString } from '@turf/turf';
import type { CountyFeatureCollection } from './map-controller.ts';

export function countyAt(counties: CountyFeatureCollection, point: [number, number]): string | null {
  const sorted = [...counties.features].sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  return sorted.find((f) => booleanPointInPolygon(point, f.geometry))?.properties.code ?? null;
}

export function lineCounties(counties: CountyFeatureCollection, line: [number, number][]): { midpoint: string | null; vertices: (string | null)[] } {
  const path = lineString(line);
  const middle = along(path, length(path) / 2).geometry.coordinates as [number, number];
  return { midpoint: countyAt(counties, middle), vertices: line.map((p) => countyAt(counties, p)) };
}
