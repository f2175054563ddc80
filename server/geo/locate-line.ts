// The county of a road segment: the one holding its midpoint (measured along the line).
import { along, length, lineString } from '@turf/turf';
import type { LineString } from 'geojson';
import type { CountyLocator } from '../../domain/locate-county.ts';

export function countyOfLine(locator: CountyLocator, geometry: LineString): string | null {
  const line = lineString(geometry.coordinates);
  const middle = along(line, length(line) / 2).geometry.coordinates;
  return locator.locate(middle[0]!, middle[1]!);
}
