// Distances on the sphere: the one haversine of the server (routes, siege, relapse moves, import
// duplicates, the demo generator). A sphere of the IUGG mean radius, as turf.distance uses.

/** Mean Earth radius R1 = (2a + b) / 3 of WGS84, in km (the radius turf.distance uses). */
export const EARTH_RADIUS_KM = 6371.0088;

export const RADIANS = Math.PI / 180;

/**
 * Great-circle km between two points given with the cosines of their latitudes (callers that
 * measure one point against many keep the cosines; `haversineKm` computes them).
 */
export function haversineKmWithCos(lon1: number, lat1: number, cosLat1: number, lon2: number, lat2: number, cosLat2: number): number {
  const sinHalfLat = Math.sin(((lat2 - lat1) * RADIANS) / 2);
  const sinHalfLon = Math.sin(((lon2 - lon1) * RADIANS) / 2);
  const a = sinHalfLat * sinHalfLat + cosLat1 * cosLat2 * sinHalfLon * sinHalfLon;
  // atan2 rather than asin: as turf.distance, and exact to the last digits near antipodes too.
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(Math.max(0, 1 - a)));
}

/** Great-circle (haversine) distance in km between two WGS84 positions. */
export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversineKmWithCos(lon1, lat1, Math.cos(lat1 * RADIANS), lon2, lat2, Math.cos(lat2 * RADIANS));
}

/** The same, for [lon, lat] pairs. */
export const distanceKm = (a: readonly [number, number], b: readonly [number, number]): number => haversineKm(a[0], a[1], b[0], b[1]);
