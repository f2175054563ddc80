// Great-circle distances for route planning: haversine on a sphere of the IUGG mean radius.

/** Mean Earth radius R1 = (2a + b) / 3 of WGS84, in km (the radius turf.distance uses). */
export const EARTH_RADIUS_KM = 6371.0088;

const RADIANS = Math.PI / 180;

export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sinHalfLat = Math.sin(((lat2 - lat1) * RADIANS) / 2);
  const sinHalfLon = Math.sin(((lon2 - lon1) * RADIANS) / 2);
  const a = sinHalfLat * sinHalfLat + Math.cos(lat1 * RADIANS) * Math.cos(lat2 * RADIANS) * sinHalfLon * sinHalfLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

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
      const sinHalfLat = Math.sin(((lats[column]! - lat1) * RADIANS) / 2);
      const sinHalfLon = Math.sin(((lon2 - lon1) * RADIANS) / 2);
      const a = sinHalfLat * sinHalfLat + cosLat[row]! * cosLat[column]! * sinHalfLon * sinHalfLon;
      const km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
      matrix[row * size + column] = km;
      matrix[column * size + row] = km;
    }
  }
  return matrix;
}
