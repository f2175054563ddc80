// Coordinates as officials type or paste them (docs/domain.md "Places and codes"): decimal degrees or
// degrees-minutes-seconds, in WGS84 (GPS), GCJ-02 (高德, 腾讯) or BD-09 (百度), converted to the
// WGS84 we store. Shared by the ledger import and the page's 新增点位 form. Conversion is gcoord's
// (maintained, tested; outside China's box it leaves a point unchanged, as the apps do; GCJ-02 →
// WGS84 is iterative and stops within 1e-6°).
import gcoord from 'gcoord';

export const CRS_CODES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_CODES)[number];
export const CRS_NAMES: Record<Crs, string> = { wgs84: 'WGS84', gcj02: 'GCJ-02', bd09: 'BD-09' };

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * How far inside China's box (inChina) a GCJ-02 or BD-09 position must lie to be converted. gcoord's
 * GCJ-02 → WGS84 iteration never ends for some points within about 0.01° of the box's edges (72.0041°E,
 * 30°N is one): one such row would hold an import's thread for ever. Points this near the edges lie
 * in the mountains and seas at China's far borders, over 1,000 km from any place the product maps; they
 * are left unchanged, as gcoord leaves every point outside its box. 0.05° is past every point that
 * loops in a scan of the four edges at 0.02° and more inside.
 */
export const CONVERSION_EDGE_MARGIN = 0.05;

const convertible = (lon: number, lat: number) =>
  lon >= 72.004 + CONVERSION_EDGE_MARGIN &&
  lon <= 137.8347 - CONVERSION_EDGE_MARGIN &&
  lat >= 0.8293 + CONVERSION_EDGE_MARGIN &&
  lat <= 55.8271 - CONVERSION_EDGE_MARGIN;

/** A position in `crs` as WGS84 longitude/latitude. */
export function toWgs84(crs: Crs, lon: number, lat: number): [number, number] {
  if (crs === 'wgs84' || !convertible(lon, lat)) return [lon, lat];
  const [x, y] = gcoord.transform<[number, number]>([lon, lat], GCOORD_CRS[crs], gcoord.WGS84);
  return [x, y];
}

// GCJ-02 → WGS84 as gcoord 1.0.7 computes it (dist/gcoord.cjs.js: transformLat, transformLon, delta,
// WGS84ToGCJ02, GCJ02ToWGS84): the same operations in the same order, so the same doubles, on numbers
// instead of a new array at every step (gcoord made ~0.7 KB of arrays a point: ~75 MB for a 10^5-row
// ledger). tests/import-values.test.ts compares it with gcoord's toWgs84 point by point. The arithmetic
// is gcoord's (MIT License, Copyright (c) 2018-present, Jiulong Hu), itself the published GCJ-02 offset.
const GCJ_A = 6378245;
const GCJ_EE = 0.006693421622965823;
function gcjLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  ret += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return ret;
}
function gcjLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  ret += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return ret;
}
/** WGS84ToGCJ02's result, written to gcj[0], gcj[1]. */
const gcj = new Float64Array(2);
function wgs84ToGcj02(lon: number, lat: number): void {
  if (!inChina(lon, lat)) {
    gcj[0] = lon;
    gcj[1] = lat;
    return;
  }
  let dLon = gcjLon(lon - 105, lat - 35);
  let dLat = gcjLat(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - GCJ_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLon = (dLon * 180) / ((GCJ_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  dLat = (dLat * 180) / (((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtMagic)) * Math.PI);
  gcj[0] = lon + dLon;
  gcj[1] = lat + dLat;
}
function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!inChina(lon, lat)) return [lon, lat];
  let wgsLon = lon;
  let wgsLat = lat;
  wgs84ToGcj02(wgsLon, wgsLat);
  let dx = gcj[0]! - lon;
  let dy = gcj[1]! - lat;
  while (Math.abs(dx) > 1e-6 || Math.abs(dy) > 1e-6) {
    wgsLon -= dx;
    wgsLat -= dy;
    wgs84ToGcj02(wgsLon, wgsLat);
    dx = gcj[0]! - lon;
    dy = gcj[1]! - lat;
  }
  return [wgsLon, wgsLat];
}

/**
 * Many positions in `crs` as WGS84, the same doubles as toWgs84 of each (the same margin at the
 * edges). GCJ-02 (the common ledger) by gcj02ToWgs84 above; BD-09 by one gcoord call on a MultiPoint,
 * which converts each point as it converts a single one without checking and copying it again.
 */
export function toWgs84Many(crs: Crs, points: readonly (readonly [number, number])[]): [number, number][] {
  if (crs === 'gcj02') return points.map(([lon, lat]) => (convertible(lon, lat) ? gcj02ToWgs84(lon, lat) : [lon, lat]));
  const out = points.map(([lon, lat]): [number, number] => [lon, lat]);
  if (crs === 'wgs84') return out;
  const converted = out.filter(([lon, lat]) => convertible(lon, lat));
  // gcoord converts a GeoJSON geometry's coordinates in place (the copies above).
  if (converted.length) gcoord.transform({ type: 'MultiPoint', coordinates: converted }, GCOORD_CRS[crs], gcoord.WGS84);
  return out;
}

/** A WGS84 position in `crs` (for navigation apps and basemaps in GCJ-02 or BD-09). */
export function fromWgs84(crs: Crs, lon: number, lat: number): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform<[number, number]>([lon, lat], gcoord.WGS84, GCOORD_CRS[crs]);
  return [x, y];
}

const PLAIN_DECIMAL = /^[-+]?\d+(\.\d+)?$/;
const HEMISPHERE = /^([NSEWnsew东西南北])|([NSEWnsew东西南北])$/;
const NEGATIVE_HEMISPHERES = new Set(['S', 's', 'W', 'w', '南', '西']);

/** Full-width ASCII (what a Chinese IME types: １１４．０２，) as half-width. */
const halfWidth = (text: string) => text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

/**
 * A coordinate in decimal degrees, or null when the text is not one. Accepts a decimal number, or
 * degrees with optional minutes and seconds marked by °/度, ′/'/分, ″/"/秒 (full-width marks too),
 * or separated by colons, with an optional hemisphere letter (N/S/E/W, 北/南/东/西) before or after.
 */
export function parseCoordinate(text: string): number | null {
  // A plain decimal (most cells) reads the same through the steps, which would only copy it.
  return PLAIN_DECIMAL.test(text) ? Number(text) : parseCoordinateSteps(text);
}

/** parseCoordinate without its short cut for a plain decimal: every cell through every step. */
export function parseCoordinateSteps(text: string): number | null {
  let value = halfWidth(text)
    .replace(/\s+/g, '')
    .replace(/^(东经|北纬|西经|南纬)/, (word) => (word[1] === '经' ? (word[0] === '东' ? 'E' : 'W') : word[0] === '北' ? 'N' : 'S'));
  let sign = 1;
  const hemisphere = HEMISPHERE.exec(value);
  if (hemisphere) {
    const letter = hemisphere[1] ?? hemisphere[2]!;
    if (NEGATIVE_HEMISPHERES.has(letter)) sign = -1;
    value = value.replace(HEMISPHERE, '');
  }
  if (PLAIN_DECIMAL.test(value)) return sign * Number(value);
  // Minutes end at their mark or at the end: unmarked minutes before seconds split one run of digits
  // (114°30秒 read as 114°3′0″).
  const dms = /^([-+]?)(\d+(?:\.\d+)?)(?:[°º˚度:])(?:(\d+(?:\.\d+)?)(?:['′’分:]|$))?(?:(\d+(?:\.\d+)?)(?:["″”秒]|''|′′)?)?$/.exec(value);
  if (!dms) return null;
  const degrees = Number(dms[2]);
  const minutes = dms[3] === undefined ? 0 : Number(dms[3]);
  const seconds = dms[4] === undefined ? 0 : Number(dms[4]);
  if (minutes >= 60 || seconds >= 60) return null;
  if (dms[3] !== undefined && dms[2]!.includes('.')) return null;
  // Seconds after a decimal: 114°1.5′30″, or with no minutes 114.5°30″. Seconds with no minutes (6°9秒) are 6°0′9″.
  if (dms[4] !== undefined && (dms[3] ?? dms[2])!.includes('.')) return null;
  return (dms[1] === '-' ? -1 : 1) * sign * (degrees + minutes / 60 + seconds / 3600);
}

/** China's extent (the box navigation apps use to decide whether to offset): lon 72.004–137.8347, lat 0.8293–55.8271. */
export function inChina(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/** A longitude/latitude pair that only makes sense in China the other way round. */
export function looksSwapped(lng: number, lat: number): boolean {
  return !inChina(lng, lat) && inChina(lat, lng);
}

export type PositionParse =
  { ok: true; lon: number; lat: number; swapped: boolean } | { ok: false; reason: 'not_two_numbers' | 'not_a_coordinate' | 'outside_china' };

/**
 * A pasted position: two coordinates separated by a comma (either width), a semicolon, a slash or
 * spaces — "114.0231,33.5812" as 高德 copies it, "33.5812, 114.0231" as 百度/腾讯 and phone apps
 * often show it (latitude first), or "北纬33°34′52″ 东经114°01′23″". The order is taken from the
 * hemisphere words when given, else from which way round lies in China.
 */
export function parsePosition(text: string): PositionParse {
  const parts = halfWidth(text)
    .trim()
    .split(/\s*[,;，；/、]\s*|\s+(?=[-+]?\d|[NSEWnsew东西南北])/)
    .filter((part) => part !== '');
  if (parts.length !== 2) return { ok: false, reason: 'not_two_numbers' };
  const [a, b] = parts.map(parseCoordinate) as [number | null, number | null];
  if (a === null || b === null) return { ok: false, reason: 'not_a_coordinate' };
  const latitudeFirst = /^(北纬|南纬|[NSns])|[NSns]$/.test(parts[0]!.replace(/\s+/g, ''));
  const longitudeFirst = /^(东经|西经|[EWew])|[EWew]$/.test(parts[0]!.replace(/\s+/g, ''));
  if (latitudeFirst) return inChina(b, a) ? { ok: true, lon: b, lat: a, swapped: true } : { ok: false, reason: 'outside_china' };
  if (longitudeFirst || inChina(a, b)) return inChina(a, b) ? { ok: true, lon: a, lat: b, swapped: false } : { ok: false, reason: 'outside_china' };
  if (looksSwapped(a, b)) return { ok: true, lon: b, lat: a, swapped: true };
  return { ok: false, reason: 'outside_china' };
}
