// Reads a downloaded file back with GDAL (apt gdal-bin: ogr2ogr), the way a planner's QGIS/ArcGIS
// would: converted to GeoJSON and parsed, so tests compare counts, coordinates and attributes.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OgrFeature {
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'sansan-gdal-'));
let n = 0;

/** Saves bytes under a file name ending in `extension` and returns the path. */
export function saveFile(bytes: Uint8Array | string, extension: string): string {
  const path = join(dir, `file-${++n}.${extension}`);
  writeFileSync(path, bytes);
  return path;
}

/** ogr2ogr <source> [layer] → GeoJSON features (WGS84); `open` adds -oo options (e.g. X_POSSIBLE_NAMES=经度). */
export function ogrRead(source: string, options: { layer?: string; open?: string[] } = {}): OgrFeature[] {
  const args = ['-f', 'GeoJSON', '/vsistdout/', source, ...(options.open ?? []).flatMap((o) => ['-oo', o])];
  if (options.layer) args.push(options.layer);
  const text = execFileSync('ogr2ogr', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(text) as { features: OgrFeature[] }).features;
}

/** `ogrinfo -so -al` text (layer names, geometry type, SRS, fields, feature count). */
export function ogrSummary(source: string): string {
  return execFileSync('ogrinfo', ['-so', '-al', source], { encoding: 'utf8' });
}

/** Every layer's features (a KML Folder is a layer to GDAL), layers in file order. */
export function ogrReadLayers(source: string): { layer: string; features: OgrFeature[] }[] {
  const listing = execFileSync('ogrinfo', ['-ro', '-q', source], { encoding: 'utf8' });
  const layers = [...listing.matchAll(/^\d+: (.+?)(?: \([^()]*\))?$/gm)].map((match) => match[1]!);
  return layers.map((layer) => ({ layer, features: ogrRead(source, { layer }) }));
}

/**
 * GDAL run asynchronously, for a server in this same process (a synchronous child would block the
 * event loop the server answers on). `headers` go in GDAL_HTTP_HEADERS (e.g. the bearer token).
 */
export async function gdalAsync(program: 'ogrinfo' | 'ogr2ogr', args: string[], headers?: string): Promise<string> {
  const { stdout } = await promisify(execFile)(program, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...(headers ? { GDAL_HTTP_HEADERS: headers } : {}), CPL_DEBUG: 'OFF' },
  });
  return stdout;
}

/** ogr2ogr of one layer of a live source (OAPIF:…) → GeoJSON features; `open` adds -oo, `spatial` -spat. */
export async function ogrReadLive(
  source: string,
  layer: string,
  options: { headers?: string; open?: string[]; spatial?: [number, number, number, number] } = {},
): Promise<OgrFeature[]> {
  const args = ['-f', 'GeoJSON', '/vsistdout/', source, layer, ...(options.open ?? []).flatMap((o) => ['-oo', o])];
  if (options.spatial) args.push('-spat', ...options.spatial.map(String));
  return (JSON.parse(await gdalAsync('ogr2ogr', args, options.headers)) as { features: OgrFeature[] }).features;
}
