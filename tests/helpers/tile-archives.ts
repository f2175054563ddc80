// Small basemap archives made on the spot from the shipped county polygons and a few seeded lines:
// raster tiles drawn with pngjs, vector tiles cut with geojson-vt and encoded with vt-pbf, written
// as MBTiles (SQLite, TMS rows) or PMTiles v3 (written here: header, gzip directories with leaves).
// Used by the tests and the bench; nothing here ships.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { PNG } from 'pngjs';
import { zxyToTileId } from 'pmtiles';
import { Random } from '../../domain/random.ts';
import { tileAt } from '../../server/basemaps/check-archive.ts';

export interface TileBytes {
  z: number;
  x: number;
  y: number;
  data: Buffer;
}

export type ArchiveTileFormat = 'png' | 'jpeg' | 'webp' | 'mvt';

export interface ArchiveSpec {
  format: ArchiveTileFormat;
  tiles: TileBytes[];
  name: string;
  bounds: [number, number, number, number];
  /** Vector layers listed in the metadata (MVT). */
  vectorLayers?: string[];
  attribution?: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

export interface CountyShape {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export function shippedCounties(): CountyShape[] {
  const collection = JSON.parse(readFileSync(resolve(ROOT, 'geodata/counties.geojson'), 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    { adcode: string; name: string }
  >;
  return collection.features.map((f) => ({ code: f.properties.adcode, name: f.properties.name, geometry: f.geometry }));
}

export const LUOHE_BOUNDS: [number, number, number, number] = [113.4, 33.3, 114.4, 33.9];

/** A few straight "roads" across the city, the same for a seed. */
export function seededRoads(seed: number, count = 12): Feature<LineString, { name: string; kind: string }>[] {
  const random = new Random(seed);
  const [w, s, e, n] = LUOHE_BOUNDS;
  return Array.from({ length: count }, (_, i) => ({
    type: 'Feature',
    properties: { name: `测试路${i + 1}`, kind: i % 3 === 0 ? 'major_road' : 'minor_road' },
    geometry: { type: 'LineString', coordinates: Array.from({ length: 4 }, () => [random.range(w, e), random.range(s, n)]) },
  }));
}

// ---- raster tiles ------------------------------------------------------------------------------

/** Pixel position (floating, within the z tile grid × 256) of a lon/lat. */
export function worldPixel(lon: number, lat: number, z: number): [number, number] {
  const size = 256 * 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * size, ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * size];
}

type Rgb = [number, number, number];

class Canvas {
  readonly png = new PNG({ width: 256, height: 256 });
  constructor(background: Rgb) {
    const row = Buffer.alloc(256 * 4);
    for (let i = 0; i < 256; i++) row.set([...background, 255], i * 4);
    for (let y = 0; y < 256; y++) row.copy(this.png.data, y * 256 * 4);
  }
  dot(x: number, y: number, color: Rgb, width = 1) {
    for (let dx = -width + 1; dx < width; dx++)
      for (let dy = -width + 1; dy < width; dy++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= 256 || py >= 256) continue;
        const at = (py * 256 + px) * 4;
        this.png.data[at] = color[0];
        this.png.data[at + 1] = color[1];
        this.png.data[at + 2] = color[2];
      }
  }
  line(a: [number, number], b: [number, number], color: Rgb, width = 1) {
    const steps = Math.ceil(Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]))) + 1;
    if (steps > 20_000) return;
    for (let i = 0; i <= steps; i++) this.dot(a[0] + ((b[0] - a[0]) * i) / steps, a[1] + ((b[1] - a[1]) * i) / steps, color, width);
  }
  encode(): Buffer {
    return PNG.sync.write(this.png, { deflateLevel: 1, filterType: 0 });
  }
}

export interface RasterOptions {
  minZoom: number;
  maxZoom: number;
  /** Shifts every drawn position (e.g. WGS84 → GCJ-02 for a GCJ-02 basemap). */
  shift?: (position: [number, number]) => [number, number];
  /** A magenta square marking this (already shifted) position, on tiles from `markZoom` up. */
  mark?: { at: [number, number]; fromZoom: number; toZoom: number };
  seed?: number;
}

export const MARK_COLOR: Rgb = [255, 0, 255];

/** PNG tiles over Luohe: county outlines and seeded roads on a pale ground, and an optional mark. */
export function rasterTiles(options: RasterOptions): TileBytes[] {
  const shift = options.shift ?? ((p: [number, number]) => p);
  const lines: { points: [number, number][]; color: Rgb; width: number }[] = [];
  for (const county of shippedCounties()) {
    const polygons = county.geometry.type === 'Polygon' ? [county.geometry.coordinates] : county.geometry.coordinates;
    for (const polygon of polygons) for (const ring of polygon) lines.push({ points: ring.map((p) => shift([p[0]!, p[1]!])), color: [90, 100, 120], width: 1 });
  }
  for (const road of seededRoads(options.seed ?? 7))
    lines.push({ points: road.geometry.coordinates.map((p) => shift([p[0]!, p[1]!])), color: [230, 150, 60], width: 2 });
  const tiles: TileBytes[] = [];
  for (let z = options.minZoom; z <= options.maxZoom; z++) {
    const [x0, y0] = tileAt(LUOHE_BOUNDS[0], LUOHE_BOUNDS[3], z);
    const [x1, y1] = tileAt(LUOHE_BOUNDS[2], LUOHE_BOUNDS[1], z);
    // Each segment is drawn on the tiles it crosses (one pass over the segments per zoom).
    const canvases = new Map<string, Canvas>();
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) canvases.set(`${x}/${y}`, new Canvas([246, 242, 232]));
    for (const line of lines) {
      const points = line.points.map((p) => worldPixel(p[0], p[1], z));
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!;
        const b = points[i]!;
        for (let x = Math.floor((Math.min(a[0], b[0]) - 4) / 256); x <= Math.floor((Math.max(a[0], b[0]) + 4) / 256); x++)
          for (let y = Math.floor((Math.min(a[1], b[1]) - 4) / 256); y <= Math.floor((Math.max(a[1], b[1]) + 4) / 256); y++)
            canvases.get(`${x}/${y}`)?.line([a[0] - x * 256, a[1] - y * 256], [b[0] - x * 256, b[1] - y * 256], line.color, line.width);
      }
    }
    for (const [key, canvas] of canvases) {
      const [x, y] = key.split('/').map(Number) as [number, number];
      tiles.push({ z, x, y, data: canvas.encode() });
    }
  }
  if (options.mark) tiles.push(...markTiles(options.mark, tiles));
  return tiles;
}

/** Tiles round the mark at each zoom of its range (replacing any there): a 6 px magenta square on its exact pixel. */
function markTiles(mark: NonNullable<RasterOptions['mark']>, existing: TileBytes[]): TileBytes[] {
  const out: TileBytes[] = [];
  for (let z = mark.fromZoom; z <= mark.toZoom; z++) {
    const [px, py] = worldPixel(mark.at[0], mark.at[1], z);
    const tx = Math.floor(px / 256);
    const ty = Math.floor(py / 256);
    for (let x = tx - 1; x <= tx + 1; x++)
      for (let y = ty - 1; y <= ty + 1; y++) {
        const index = existing.findIndex((t) => t.z === z && t.x === x && t.y === y);
        if (index >= 0) existing.splice(index, 1);
        const canvas = new Canvas([246, 242, 232]);
        // A faint grid so the tile is visibly there; the mark covers pixels whose centres lie within 3 px.
        for (let i = 0; i < 256; i += 32) {
          canvas.line([i, 0], [i, 255], [220, 214, 200]);
          canvas.line([0, i], [255, i], [220, 214, 200]);
        }
        const lx = px - x * 256;
        const ly = py - y * 256;
        for (let cx = Math.floor(lx - 3); cx <= Math.ceil(lx + 3); cx++)
          for (let cy = Math.floor(ly - 3); cy <= Math.ceil(ly + 3); cy++)
            if (Math.abs(cx + 0.5 - lx) <= 3 && Math.abs(cy + 0.5 - ly) <= 3 && cx >= 0 && cy >= 0 && cx < 256 && cy < 256)
              canvas.png.data.set([...MARK_COLOR, 255], (cy * 256 + cx) * 4);
        out.push({ z, x, y, data: canvas.encode() });
      }
  }
  return out;
}

// ---- vector tiles ------------------------------------------------------------------------------

/** MVT tiles of the counties (as land), their names (as places) and seeded roads, in a schema. */
export function vectorTiles(
  schema: 'protomaps' | 'openmaptiles' | 'other',
  minZoom: number,
  maxZoom: number,
  seed = 7,
): { tiles: TileBytes[]; layers: string[] } {
  const counties = shippedCounties();
  const roads = seededRoads(seed);
  const land: Feature[] = counties.map((c) => ({ type: 'Feature', properties: { kind: 'farmland', name: c.name, 'name:zh': c.name }, geometry: c.geometry }));
  const places: Feature[] = counties.map((c) => {
    const ring = (c.geometry.type === 'Polygon' ? c.geometry.coordinates[0] : c.geometry.coordinates[0]![0])!;
    const centre = ring.reduce((sum: Position, p) => [sum[0]! + p[0]! / ring.length, sum[1]! + p[1]! / ring.length], [0, 0]);
    return {
      type: 'Feature',
      properties: { kind: 'locality', class: 'town', name: c.name, 'name:zh': c.name, 'name:en': c.code, min_zoom: 0 },
      geometry: { type: 'Point', coordinates: centre },
    };
  });
  const lines: Feature[] = roads.map((r) => ({
    ...r,
    properties: { ...r.properties, 'name:zh': r.properties.name, class: r.properties.kind === 'major_road' ? 'primary' : 'minor' },
  }));
  const byLayer: Record<string, Feature[]> =
    schema === 'protomaps'
      ? { earth: land, landuse: land, roads: lines, places }
      : schema === 'openmaptiles'
        ? { landuse: land, transportation: lines, transportation_name: lines, place: places }
        : { parcels: land, streets: lines };
  const indexes = Object.fromEntries(
    Object.entries(byLayer).map(([layer, features]) => [
      layer,
      new GeoJSONVT({ type: 'FeatureCollection', features } as FeatureCollection, { maxZoom, indexMaxZoom: maxZoom, buffer: 64 }),
    ]),
  );
  const tiles: TileBytes[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const [x0, y0] = tileAt(LUOHE_BOUNDS[0], LUOHE_BOUNDS[3], z);
    const [x1, y1] = tileAt(LUOHE_BOUNDS[2], LUOHE_BOUNDS[1], z);
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) {
        const layers: Record<string, unknown> = {};
        for (const [layer, index] of Object.entries(indexes)) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length) layers[layer] = tile;
        }
        if (!Object.keys(layers).length) continue;
        tiles.push({ z, x, y, data: Buffer.from(vtpbf.fromGeojsonVt(layers, { version: 2 })) });
      }
  }
  return { tiles, layers: Object.keys(byLayer) };
}

// ---- writers -----------------------------------------------------------------------------------

const zoomRange = (tiles: readonly TileBytes[]) => [Math.min(...tiles.map((t) => t.z)), Math.max(...tiles.map((t) => t.z))] as const;

/** An MBTiles file (rows in TMS order; vector tiles gzip-compressed, as GDAL and tippecanoe write them). */
export function writeMbtiles(path: string, spec: ArchiveSpec): void {
  const db = new Database(path);
  try {
    db.exec(
      'CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);',
    );
    const [minZoom, maxZoom] = zoomRange(spec.tiles);
    const metadata: Record<string, string> = {
      name: spec.name,
      format: spec.format === 'mvt' ? 'pbf' : spec.format === 'jpeg' ? 'jpg' : spec.format,
      bounds: spec.bounds.join(','),
      minzoom: String(minZoom),
      maxzoom: String(maxZoom),
      ...(spec.attribution ? { attribution: spec.attribution } : {}),
      ...(spec.vectorLayers ? { json: JSON.stringify({ vector_layers: spec.vectorLayers.map((id) => ({ id, fields: {} })) }) } : {}),
    };
    const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
    const tile = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const [name, value] of Object.entries(metadata)) meta.run(name, value);
      for (const t of spec.tiles) tile.run(t.z, t.x, (1 << t.z) - 1 - t.y, spec.format === 'mvt' ? gzipSync(t.data) : t.data);
    })();
  } finally {
    db.close();
  }
}

function writeVarint(out: number[], value: number) {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

interface DirEntry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

function serializeDirectory(entries: readonly DirEntry[]): Buffer {
  const out: number[] = [];
  writeVarint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    writeVarint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) writeVarint(out, e.runLength);
  for (const e of entries) writeVarint(out, e.length);
  entries.forEach((e, i) => writeVarint(out, i > 0 && e.offset === entries[i - 1]!.offset + entries[i - 1]!.length ? 0 : e.offset + 1));
  return gzipSync(Buffer.from(out));
}

const PM_TYPES: Record<ArchiveTileFormat, number> = { mvt: 1, png: 2, jpeg: 3, webp: 4 };

/** A PMTiles v3 file: gzip directories (leaf directories when the root would pass 16 KiB), MVT tiles gzip-compressed. */
export function writePmtiles(path: string, spec: ArchiveSpec): void {
  const sorted = spec.tiles.map((t) => ({ ...t, tileId: zxyToTileId(t.z, t.x, t.y) })).sort((a, b) => a.tileId - b.tileId);
  const data: Buffer[] = [];
  const entries: DirEntry[] = [];
  let offset = 0;
  for (const t of sorted) {
    const bytes = spec.format === 'mvt' ? gzipSync(t.data) : t.data;
    entries.push({ tileId: t.tileId, offset, length: bytes.length, runLength: 1 });
    data.push(bytes);
    offset += bytes.length;
  }
  let root = serializeDirectory(entries);
  let leaves = Buffer.alloc(0);
  if (127 + root.length > 16_384) {
    const leafParts: Buffer[] = [];
    const rootEntries: DirEntry[] = [];
    let leafOffset = 0;
    for (let i = 0; i < entries.length; i += 4096) {
      const chunk = entries.slice(i, i + 4096);
      const leaf = serializeDirectory(chunk);
      rootEntries.push({ tileId: chunk[0]!.tileId, offset: leafOffset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      leafOffset += leaf.length;
    }
    root = serializeDirectory(rootEntries);
    leaves = Buffer.concat(leafParts);
  }
  const metadata = gzipSync(
    Buffer.from(
      JSON.stringify({
        name: spec.name,
        ...(spec.attribution ? { attribution: spec.attribution } : {}),
        ...(spec.vectorLayers ? { vector_layers: spec.vectorLayers.map((id) => ({ id, fields: {} })) } : {}),
      }),
    ),
  );
  const tileData = Buffer.concat(data);
  const [minZoom, maxZoom] = zoomRange(spec.tiles);
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header[7] = 3;
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset + leaves.length;
  const u64 = (value: number, at: number) => header.writeBigUInt64LE(BigInt(value), at);
  u64(rootOffset, 8);
  u64(root.length, 16);
  u64(metadataOffset, 24);
  u64(metadata.length, 32);
  u64(leafOffset, 40);
  u64(leaves.length, 48);
  u64(dataOffset, 56);
  u64(tileData.length, 64);
  u64(entries.length, 72);
  u64(entries.length, 80);
  u64(entries.length, 88);
  header[96] = 1; // clustered: tiles are in tile-id order
  header[97] = 2; // internal compression: gzip
  header[98] = spec.format === 'mvt' ? 2 : 1;
  header[99] = PM_TYPES[spec.format];
  header[100] = minZoom;
  header[101] = maxZoom;
  const e7 = (value: number, at: number) => header.writeInt32LE(Math.round(value * 1e7), at);
  e7(spec.bounds[0], 102);
  e7(spec.bounds[1], 106);
  e7(spec.bounds[2], 110);
  e7(spec.bounds[3], 114);
  header[118] = minZoom;
  e7((spec.bounds[0] + spec.bounds[2]) / 2, 119);
  e7((spec.bounds[1] + spec.bounds[3]) / 2, 123);
  writeFileSync(path, Buffer.concat([header, root, metadata, leaves, tileData]));
}
