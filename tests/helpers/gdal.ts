// Reads a downloaded file back with GDAL (apt gdal-bin: ogr2ogr), the way a planner's QGIS/ArcGIS
// would: converted to GeoJSON and parsed, so tests compare counts, coordinates and attributes.
import { execFileSync } from 'node:child_process';
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
