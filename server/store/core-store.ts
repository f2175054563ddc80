// Urban cores for the siege analysis: the computed default (a 6 km circle round the city
// government seat) and the polygons planners draw and save by name.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/database.ts';
import { GEODATA_DIR } from '../geodata/geodata-dir.ts';
import { defaultCore } from '../geo/analyze-siege.ts';
import { conflict, notFound } from '../errors.ts';

export const DEFAULT_CORE_ID = 'default';

export interface CoreProperties {
  id: string;
  name: string;
  isDefault: boolean;
  note: string | null;
  createdBy: string | null;
  createdAt: string | null;
}

export type CoreFeature = Feature<Polygon | MultiPolygon, CoreProperties>;

/** The city government seat (漯河市人民政府) from the city outline's `seat`. */
export function citySeat(file = resolve(GEODATA_DIR, 'city-outline.geojson')): [number, number] {
  const outline = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: { seat?: [number, number] } }[] };
  const seat = outline.features[0]?.properties.seat;
  if (!seat) throw new Error(`${file}: the city outline has no "seat" property`);
  return seat;
}

export function defaultCoreFeature(): CoreFeature {
  const circle = defaultCore(citySeat());
  return {
    type: 'Feature',
    geometry: circle.geometry,
    properties: {
      id: DEFAULT_CORE_ID,
      name: circle.properties.name,
      isDefault: true,
      note: '默认值：无建成区数据，取市政府周边 6 公里圆形 (default: no built-up-area data ships; a 6 km circle round the city government seat)',
      createdBy: null,
      createdAt: null,
    },
  };
}

interface CoreRow {
  id: number;
  name: string;
  geometry: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

const toFeature = (row: CoreRow): CoreFeature => ({
  type: 'Feature',
  geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon,
  properties: { id: String(row.id), name: row.name, isDefault: false, note: row.note, createdBy: row.created_by, createdAt: row.created_at },
});

export function listCores(db: Db): CoreFeature[] {
  return [defaultCoreFeature(), ...db.all<CoreRow>('SELECT * FROM urban_cores ORDER BY id').map(toFeature)];
}

export function getCore(db: Db, id: string): CoreFeature {
  if (id === DEFAULT_CORE_ID || id === '') return defaultCoreFeature();
  const row = /^\d+$/.test(id) ? db.get<CoreRow>('SELECT * FROM urban_cores WHERE id = ?', [Number(id)]) : undefined;
  if (!row) throw notFound(`urban core "${id}" does not exist; GET /api/analysis/cores lists them`, { kind: 'core', id, parameter: 'core' });
  return toFeature(row);
}

export function saveCore(db: Db, core: { name: string; geometry: Polygon | MultiPolygon; note?: string | null; actor: string }): CoreFeature {
  return db.transaction(() => {
    if (db.get('SELECT 1 FROM urban_cores WHERE name = ?', [core.name.trim()]))
      throw conflict('name_taken', `an urban core named "${core.name.trim()}" already exists`, { field: 'name' });
    const result = db.run('INSERT INTO urban_cores (name, geometry, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [
      core.name.trim(),
      JSON.stringify(core.geometry),
      core.note ?? null,
      core.actor,
      new Date().toISOString(),
    ]);
    return getCore(db, String(result.lastInsertRowid));
  });
}
