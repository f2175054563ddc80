// Coordinates in China (see docs/domain.md "Places and codes"): we store WGS84; Amap/Tencent use GCJ-02 (国测局 "Mars"
// coordinates) and Baidu uses BD-09 (GCJ-02 offset again). The offsets are 300–700 m, so every
// link into a navigation app converts first (domain/coordinates.ts, gcoord).
import { fromWgs84, toWgs84 } from '../../domain/coordinates.ts';
import type { LonLat } from './route-types.ts';

/** WGS84 → GCJ-02 (Amap, Tencent). */
export const toGcj02 = (point: readonly [number, number]): LonLat => fromWgs84('gcj02', point[0], point[1]);

/** WGS84 → BD-09 longitude/latitude (Baidu, "bd09ll"). */
export const toBd09 = (point: readonly [number, number]): LonLat => fromWgs84('bd09', point[0], point[1]);

/** GCJ-02 → WGS84, for coordinates copied from Amap or Tencent. */
export const fromGcj02 = (point: readonly [number, number]): LonLat => toWgs84('gcj02', point[0], point[1]);

/** BD-09 → WGS84, for coordinates copied from Baidu. */
export const fromBd09 = (point: readonly [number, number]): LonLat => toWgs84('bd09', point[0], point[1]);

/** A stop to navigate to: WGS84 coordinates and an optional name. */
export interface NavigationTarget {
  lon: number;
  lat: number;
  name?: string | null;
}

const FALLBACK_NAME = '目的地';

function targetName(target: NavigationTarget): string {
  const name = target.name?.trim();
  return encodeURIComponent(name ? name : FALLBACK_NAME);
}

/** Opens driving navigation in Amap (高德) — the app when installed, else the web page — in GCJ-02. */
export function amapNavigateUrl(target: NavigationTarget): string {
  const [lon, lat] = toGcj02([target.lon, target.lat]);
  return `https://uri.amap.com/navigation?to=${lon.toFixed(6)},${lat.toFixed(6)},${targetName(target)}&mode=car&coordinate=gaode&callnative=1`;
}

/** Opens driving directions in Baidu Maps (百度) in BD-09 (coord_type=bd09ll). */
export function baiduNavigateUrl(target: NavigationTarget): string {
  const [lon, lat] = toBd09([target.lon, target.lat]);
  return `https://api.map.baidu.com/direction?destination=latlng:${lat.toFixed(6)},${lon.toFixed(6)}|name:${targetName(target)}&mode=driving&coord_type=bd09ll&output=html&src=sansan-map`;
}
