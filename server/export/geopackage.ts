// GeoPackage 1.3 (OGC 12-128r18), written with better-sqlite3 straight into the export's file (the
// rows inserted as they are read, in one transaction, no journal: a failed export's file is deleted): application_id "GPKG" and user_version 10300, the required gpkg_spatial_ref_sys rows
// (EPSG:4326, −1 and 0 undefined) plus the export's SRS when it is another (CGCS2000, EPSG:4490),
// gpkg_contents and gpkg_geometry_columns, one feature table per layer (`sites`, `roads`) whose
// columns carry the Chinese headers in full — no 10-byte names, no 254-byte cut — and whose
// geometries are GeoPackage binary: the "GP" header (little-endian, an xy envelope for lines) and
// the WKB. Records without a position stay in with geometry NULL. The notes go in each table's
// gpkg_contents.description.
// Its SQL stays here, outside server/store/: a GeoPackage IS an SQLite file, written as an export format, not our database.
import Database from 'better-sqlite3';
import type { LineString, Point } from 'geojson';
import { CRS_LABELS, type ExportCrs } from './crs.ts';
import type { ExportLayer } from './layers.ts';
import type { Cell } from './table.ts';

/** "GPKG" as a 32-bit big-endian integer (PRAGMA application_id). */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.3.0 (PRAGMA user_version). */
export const GPKG_USER_VERSION = 10300;

/** A layer with its cells read, ready for a table. */
export interface GpkgTable {
  table: string;
  identifier: string;
  description: string;
  geometryType: 'POINT' | 'LINESTRING';
  columns: { name: string; type: 'INTEGER' | 'REAL' | 'TEXT' }[];
  /** Read once, as the table is written. */
  rows: () => Iterable<{ fid: number; geometry: Point | LineString | null; cells: Cell[] }>;
}

export function gpkgTable<R>(layer: ExportLayer<R>, description: string): GpkgTable {
  return {
    table: layer.layer,
    identifier: layer.titleZh,
    description,
    geometryType: layer.geometryType === 'Point' ? 'POINT' : 'LINESTRING',
    columns: layer.columns.map((column) => ({ name: column.zh, type: column.type !== 'number' ? 'TEXT' : column.decimals ? 'REAL' : 'INTEGER' })),
    rows: function* () {
      for (const row of layer.source.rows())
        yield { fid: layer.id(row), geometry: layer.geometry(row), cells: layer.columns.map((column) => column.value(row)) };
    },
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** GeoPackage binary: "GP", version 0, flags (little-endian; envelope for lines), srs_id, [envelope], WKB. */
export function gpkgGeometry(geometry: Point | LineString, srsId: number): Buffer {
  const points = geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
  const envelope = geometry.type === 'Point' ? 0 : 1; // a point is its own envelope
  const header = Buffer.alloc(8 + envelope * 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b1 | (envelope << 1), 3);
  header.writeInt32LE(srsId, 4);
  if (envelope) {
    const xs = points.map((p) => p[0]!);
    const ys = points.map((p) => p[1]!);
    [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)].forEach((value, i) => header.writeDoubleLE(value, 8 + 8 * i));
  }
  const wkb = Buffer.alloc(geometry.type === 'Point' ? 21 : 9 + 16 * points.length);
  wkb.writeUInt8(1, 0); // little-endian
  wkb.writeUInt32LE(geometry.type === 'Point' ? 1 : 2, 1);
  let at = 5;
  if (geometry.type === 'LineString') {
    wkb.writeUInt32LE(points.length, at);
    at += 4;
  }
  for (const [x, y] of points) {
    wkb.writeDoubleLE(x!, at);
    wkb.writeDoubleLE(y!, at + 8);
    at += 16;
  }
  return Buffer.concat([header, wkb]);
}

const SRS_ROWS = [
  {
    name: 'Undefined cartesian SRS',
    id: -1,
    organization: 'NONE',
    code: -1,
    definition: 'undefined',
    description: 'undefined cartesian coordinate reference system',
  },
  {
    name: 'Undefined geographic SRS',
    id: 0,
    organization: 'NONE',
    code: 0,
    definition: 'undefined',
    description: 'undefined geographic coordinate reference system',
  },
];

/** Writes the GeoPackage to `path` (a new file). */
export function writeGeoPackage(tables: readonly GpkgTable[], crs: ExportCrs, path: string): void {
  const label = CRS_LABELS[crs];
  const db = new Database(path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
    db.pragma(`user_version = ${GPKG_USER_VERSION}`);
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    const wgs84 = CRS_LABELS.wgs84;
    for (const row of [
      {
        name: 'WGS 84 geodetic',
        id: 4326,
        organization: 'EPSG',
        code: 4326,
        definition: wgs84.wkt,
        description: 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
      },
      ...SRS_ROWS,
      ...(label.epsg === 4326
        ? []
        : [
            {
              name: 'China Geodetic Coordinate System 2000',
              id: label.epsg,
              organization: 'EPSG',
              code: label.epsg,
              definition: label.wkt,
              description: '2000国家大地坐标系 CGCS2000 longitude/latitude',
            },
          ]),
    ])
      srs.run(row.name, row.id, row.organization, row.code, row.definition, row.description);

    db.transaction(() => {
      for (const table of tables) {
        const columns = table.columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ');
        db.exec(
          `CREATE TABLE ${quote(table.table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${table.geometryType}${columns ? `, ${columns}` : ''})`,
        );
        const insert = db.prepare(`INSERT INTO ${quote(table.table)} VALUES (${['?', '?', ...table.columns.map(() => '?')].join(', ')})`);
        const box = [Infinity, Infinity, -Infinity, -Infinity];
        for (const row of table.rows()) {
          if (row.geometry) {
            const points = row.geometry.type === 'Point' ? [row.geometry.coordinates] : row.geometry.coordinates;
            for (const [x, y] of points) {
              box[0] = Math.min(box[0]!, x!);
              box[1] = Math.min(box[1]!, y!);
              box[2] = Math.max(box[2]!, x!);
              box[3] = Math.max(box[3]!, y!);
            }
          }
          insert.run(row.fid, row.geometry ? gpkgGeometry(row.geometry, label.epsg) : null, ...row.cells);
        }
        const bounds = Number.isFinite(box[0]) ? box : [null, null, null, null];
        db.prepare(
          'INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(table.table, 'features', table.identifier, table.description, ...bounds, label.epsg);
        db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(table.table, 'geom', table.geometryType, label.epsg);
      }
    })();
  } finally {
    db.close();
  }
}
