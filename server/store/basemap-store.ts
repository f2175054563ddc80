// SQL of the registered basemaps (migration 010). The files themselves live in data/basemaps/.
import type { Db } from '../db/database.ts';
import type { TileFormat } from '../basemaps/tile-archive.ts';
import { bboxOf, type Bbox } from '../../domain/bbox.ts';

export interface BasemapRecord {
  id: string;
  name: string;
  /** File name inside the basemaps folder. */
  file: string;
  format: 'pmtiles' | 'mbtiles';
  tileFormat: TileFormat;
  schema: 'protomaps' | 'openmaptiles' | null;
  crs: 'wgs84' | 'gcj02';
  attribution: string;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number] | null;
  bytes: number;
  isDefault: boolean;
  addedBy: string;
  addedAt: string;
}

interface BasemapRow {
  id: string;
  name: string;
  file: string;
  format: BasemapRecord['format'];
  tile_format: TileFormat;
  schema: BasemapRecord['schema'];
  crs: BasemapRecord['crs'];
  attribution: string;
  min_zoom: number;
  max_zoom: number;
  bounds: string | null;
  bytes: number;
  is_default: number;
  added_by: string;
  added_at: string;
}

const toRecord = (row: BasemapRow): BasemapRecord => ({
  id: row.id,
  name: row.name,
  file: row.file,
  format: row.format,
  tileFormat: row.tile_format,
  schema: row.schema,
  crs: row.crs,
  attribution: row.attribution,
  minZoom: row.min_zoom,
  maxZoom: row.max_zoom,
  bounds: row.bounds ? (JSON.parse(row.bounds) as BasemapRecord['bounds']) : null,
  bytes: row.bytes,
  isDefault: row.is_default === 1,
  addedBy: row.added_by,
  addedAt: row.added_at,
});

export function listBasemaps(db: Db): BasemapRecord[] {
  return db.all<BasemapRow>('SELECT * FROM basemaps ORDER BY added_at, id').map(toRecord);
}

export function getBasemap(db: Db, id: string): BasemapRecord | null {
  const row = db.get<BasemapRow>('SELECT * FROM basemaps WHERE id = ?', [id]);
  return row ? toRecord(row) : null;
}

/** Adds a checked basemap's row (its file already in place). The audit record: server/services/basemaps.ts. */
export function insertBasemapRow(db: Db, record: Omit<BasemapRecord, 'isDefault'>): void {
  db.run(
    `INSERT INTO basemaps (id, name, file, format, tile_format, schema, crs, attribution, min_zoom, max_zoom, bounds, bytes, added_by, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      record.id,
      record.name,
      record.file,
      record.format,
      record.tileFormat,
      record.schema,
      record.crs,
      record.attribution,
      record.minZoom,
      record.maxZoom,
      record.bounds ? JSON.stringify(record.bounds) : null,
      record.bytes,
      record.addedBy,
      record.addedAt,
    ],
  );
}

export function deleteBasemapRow(db: Db, id: string): void {
  db.run('DELETE FROM basemaps WHERE id = ?', [id]);
}

/** The basemap the page opens on, or null. */
export function defaultBasemapId(db: Db): string | null {
  return db.get<{ id: string }>('SELECT id FROM basemaps WHERE is_default = 1')?.id ?? null;
}

/** Makes `id` the basemap the page opens on (null: the plain offline map). */
export function setDefaultBasemapRow(db: Db, id: string | null): void {
  db.run('UPDATE basemaps SET is_default = 0 WHERE is_default = 1');
  if (id) db.run('UPDATE basemaps SET is_default = 1 WHERE id = ?', [id]);
}

/** [west, south, east, north] round every county polygon loaded: what a basemap must cover. */
export function cityBounds(db: Db): Bbox {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const row of db.all<{ geometry: string }>('SELECT geometry FROM counties'))
    bboxOf((JSON.parse(row.geometry) as { coordinates: unknown }).coordinates, box);
  return box;
}
