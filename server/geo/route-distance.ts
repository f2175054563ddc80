// Great-circle distances for route planning (haversine from ./sphere.ts).
import { haversineKmWithCos, RADIANS } from './sphere.ts';

/**
 * Symmetric size × size matrix (row-major) of great-circle km between the points, given as
 * parallel longitude/latitude arrays. A point whose longitude is NaN stands for "anywhere": its
 * distance to every point is 0 (the free end of an open route).
 */
export function distanceMatrix(lons: Float64Array, lats: Float64Array): Float64Array {
  const size = lons.length;
  const matrix = new Float64Array(size * size);
  const cosLat = new Float64Array(size);
  for (let index = 0; index < size; index++) cosLat[index] = Math.cos(lats[index]! * RADIANS);
  for (let row = 0; row < size; row++) {
    const lon1 = lons[row]!;
    if (Number.isNaN(lon1)) continue;
    const lat1 = lats[row]!;
    for (let column = row + 1; column < size; column++) {
      const lon2 = lons[column]!;
      if (Number.isNaN(lon2)) continue;
      const km = haversineKmWithCos(lon1, lat1, cosLat[row]!, lon2, lats[column]!, cosLat[column]!);
      matrix[row * size + column] = km;
      matrix[column * size + row] = km;
    }
  }
  return matrix;
}
