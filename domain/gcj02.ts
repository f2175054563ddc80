// GCJ-02 → WGS84 exactly as gcoord 1.0.7 computes it (its GCJ02ToWGS84, MIT, © Jiulong Hu): the same
// constants, formulas and iteration, so the same doubles (tests/gcj02.test.ts compares them with
// gcoord.transform). Called directly because gcoord's public `transform` checks and copies its input on
// every call (GeoJSON or position, strings parsed), ~5 µs a point: a tenth of a 10^5-row ledger's preview.
// Like gcoord's, the iteration does not end for a point just inside the box's western or southern
// edge (e.g. 72.0041, 30: it steps out of the box and back); no position in Luohe comes near them.
const { sin, cos, sqrt, abs, PI } = Math;
const A = 6378245;
const EE = 0.006693421622965823;

const inChinaBox = (lon: number, lat: number) => lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;

function transformLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  ret += ((20 * sin(y * PI) + 40 * sin((y / 3) * PI)) * 2) / 3;
  ret += ((160 * sin((y / 12) * PI) + 320 * sin((y * PI) / 30)) * 2) / 3;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  ret += ((20 * sin(x * PI) + 40 * sin((x / 3) * PI)) * 2) / 3;
  ret += ((150 * sin((x / 12) * PI) + 300 * sin((x / 30) * PI)) * 2) / 3;
  return ret;
}

/** WGS84 → GCJ-02 (gcoord's WGS84ToGCJ02): the offset Amap's maps apply; unchanged outside China's box. */
function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let dLon = transformLon(lon - 105, lat - 35);
  let dLat = transformLat(lon - 105, lat - 35);
  const radLat = (lat / 180) * PI;
  let magic = sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = sqrt(magic);
  dLon = (dLon * 180) / ((A / sqrtMagic) * cos(radLat) * PI);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 → WGS84 (gcoord's GCJ02ToWGS84): iterated until the forward offset is within 1e-6°. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!inChinaBox(lon, lat)) return [lon, lat];
  let wgsLon = lon;
  let wgsLat = lat;
  let temp = wgs84ToGcj02(wgsLon, wgsLat);
  let dx = temp[0] - lon;
  let dy = temp[1] - lat;
  while (abs(dx) > 1e-6 || abs(dy) > 1e-6) {
    wgsLon -= dx;
    wgsLat -= dy;
    temp = wgs84ToGcj02(wgsLon, wgsLat);
    dx = temp[0] - lon;
    dy = temp[1] - lat;
  }
  return [wgsLon, wgsLat];
}
