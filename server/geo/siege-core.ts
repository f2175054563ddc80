// The default urban core: no built-up-area data ships with the project, so until a planner draws
// one the core is a labelled circle around the city government seat (issue 5).
import { circle } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';

export const DEFAULT_CORE_RADIUS_KM = 6;

export interface DefaultCoreProperties {
  name: string;
  isDefault: true;
}

/** A 128-step geodesic circle of `radiusKm` around the seat ([lon, lat], WGS84). */
export function defaultCore(seat: [number, number], radiusKm = DEFAULT_CORE_RADIUS_KM): Feature<Polygon, DefaultCoreProperties> {
  return circle<DefaultCoreProperties>(seat, radiusKm, {
    steps: 128,
    units: 'kilometers',
    properties: { name: `默认核心区（市政府周边 ${radiusKm} 公里）`, isDefault: true },
  });
}
