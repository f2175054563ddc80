// Reading tile archives an operator supplies: PMTiles v3 (read with the `pmtiles` library over a
// file handle) and MBTiles (SQLite, read-only through better-sqlite3; rows are TMS, so y is flipped).
// Raster (PNG/JPEG/WebP) or vector (MVT). Tiles come back as stored, with their encoding.
// Its SQL stays here, outside server/store/: an MBTiles archive IS an SQLite file, read as a tile format, not our database.
import Database from 'better-sqlite3';
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles, TileType, type Source } from 'pmtiles';

export type TileFormat = 'png' | 'jpeg' | 'webp' | 'mvt';

export interface ArchiveInfo {
  format: 'pmtiles' | 'mbtiles';
  tileFormat: TileFormat;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north], WGS84 (as the archive states it). */
  bounds: [number, number, number, number] | null;
  /** Vector tiles: the layer ids the metadata lists. */
  vectorLayers: string[];
  name: string | null;
  attribution: string | null;
}

export interface Tile {
  data: Buffer;
  contentType: string;
  /** 'gzip' when the bytes are gzip-compressed (vector tiles in MBTiles usually are). */
  encoding: 'gzip' | null;
}

export interface TileArchive {
  info(): Promise<ArchiveInfo>;
  /** XYZ tile (y down from the north), or null when the archive has none there. */
  tile(z: number, x: number, y: number): Promise<Tile | null>;
  close(): Promise<void>;
}

export const CONTENT_TYPES: Record<TileFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  mvt: 'application/vnd.mapbox-vector-tile',
};

export class ArchiveError extends Error {}

/** Opens a .pmtiles or .mbtiles file by its first bytes (not its name). */
export async function openArchive(path: string): Promise<TileArchive> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ArchiveError(`无法读取文件 cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const head = Buffer.alloc(16);
  await handle.read(head, 0, 16, 0);
  if (head.subarray(0, 7).toString('latin1') === 'PMTiles') {
    if (head[7] !== 3) {
      await handle.close();
      throw new ArchiveError(`PMTiles 版本 ${head[7]} 不受支持（需要 v3） PMTiles version ${head[7]} is not supported (v3 needed)`);
    }
    return new PmtilesArchive(handle, path);
  }
  await handle.close();
  if (head.toString('latin1') === 'SQLite format 3\0') return MbtilesArchive.open(path);
  throw new ArchiveError('不是 PMTiles 或 MBTiles 文件 not a PMTiles or MBTiles file (its first bytes are neither)');
}

const PM_TILE_TYPES: Partial<Record<TileType, TileFormat>> = { [TileType.Mvt]: 'mvt', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpeg', [TileType.Webp]: 'webp' };

class FileHandleSource implements Source {
  constructor(
    private readonly handle: FileHandle,
    private readonly key: string,
  ) {}
  async getBytes(offset: number, length: number) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
  }
  getKey() {
    return this.key;
  }
}

class PmtilesArchive implements TileArchive {
  private readonly pmtiles: PMTiles;
  constructor(
    private readonly handle: FileHandle,
    path: string,
  ) {
    // Directories and tiles are decompressed here (Node's zlib), so tiles are served as plain bytes.
    this.pmtiles = new PMTiles(new FileHandleSource(handle, path), undefined, async (data, compression) => {
      if (compression === Compression.None || compression === Compression.Unknown) return data;
      if (compression !== Compression.Gzip)
        throw new ArchiveError(`压缩方式 ${Compression[compression]} 不受支持 compression ${Compression[compression]} is not supported (gzip or none)`);
      const out = gunzipSync(new Uint8Array(data));
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
    });
  }

  async info(): Promise<ArchiveInfo> {
    let header;
    try {
      header = await this.pmtiles.getHeader();
    } catch (error) {
      throw new ArchiveError(`PMTiles 头部损坏 the PMTiles header is broken: ${(error as Error).message}`, { cause: error });
    }
    const tileFormat = PM_TILE_TYPES[header.tileType];
    if (!tileFormat)
      throw new ArchiveError(
        `瓦片类型 ${TileType[header.tileType] ?? header.tileType} 不受支持 tile type ${TileType[header.tileType] ?? header.tileType} is not supported (PNG, JPEG, WebP or MVT)`,
      );
    const metadata = ((await this.pmtiles.getMetadata().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    return {
      format: 'pmtiles',
      tileFormat,
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      vectorLayers: vectorLayerIds(metadata.vector_layers),
      name: typeof metadata.name === 'string' ? metadata.name : null,
      attribution: typeof metadata.attribution === 'string' ? metadata.attribution : null,
    };
  }

  async tile(z: number, x: number, y: number): Promise<Tile | null> {
    const header = await this.pmtiles.getHeader();
    const found = await this.pmtiles.getZxy(z, x, y);
    if (!found) return null;
    const format = PM_TILE_TYPES[header.tileType]!;
    return { data: Buffer.from(found.data), contentType: CONTENT_TYPES[format], encoding: null };
  }

  close() {
    return this.handle.close();
  }
}

function vectorLayerIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map((layer) => (layer as { id?: unknown }).id).filter((id): id is string => typeof id === 'string') : [];
}

const MB_FORMATS: Record<string, TileFormat> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp', pbf: 'mvt', mvt: 'mvt' };

class MbtilesArchive implements TileArchive {
  private readonly select: Database.Statement<[number, number, number], { tile_data: Buffer }>;
  private constructor(
    private readonly db: Database.Database,
    private readonly format: TileFormat,
    private readonly metadata: Map<string, string>,
  ) {
    this.select = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  }

  static open(path: string): MbtilesArchive {
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const metadata = new Map(
        db
          .prepare('SELECT name, value FROM metadata')
          .all()
          .map((row) => [String((row as { name: string }).name), String((row as { value: unknown }).value)]),
      );
      const stated = metadata.get('format')?.toLowerCase();
      const format = stated ? MB_FORMATS[stated] : undefined;
      if (!format)
        throw new ArchiveError(
          `MBTiles 的 format 为“${stated ?? '（空）'}”，不受支持 MBTiles format "${stated ?? '(none)'}" is not supported (png, jpg, webp or pbf)`,
        );
      return new MbtilesArchive(db, format, metadata);
    } catch (error) {
      db?.close();
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(
        `不是可读的 MBTiles（SQLite 中缺少 metadata 或 tiles 表） not a readable MBTiles (SQLite without metadata or tiles): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async info(): Promise<ArchiveInfo> {
    const zooms = this.db.prepare('SELECT min(zoom_level) AS min, max(zoom_level) AS max FROM tiles').get() as { min: number | null; max: number | null };
    const bounds = this.metadata.get('bounds')?.split(',').map(Number);
    let vectorLayers: string[] = [];
    const json = this.metadata.get('json');
    if (json) {
      try {
        vectorLayers = vectorLayerIds((JSON.parse(json) as { vector_layers?: unknown }).vector_layers);
      } catch {
        throw new ArchiveError('MBTiles 元数据 json 不是有效的 JSON MBTiles metadata "json" is not valid JSON');
      }
    }
    return {
      format: 'mbtiles',
      tileFormat: this.format,
      minZoom: zooms.min ?? Number(this.metadata.get('minzoom') ?? NaN),
      maxZoom: zooms.max ?? Number(this.metadata.get('maxzoom') ?? NaN),
      bounds: bounds && bounds.length === 4 && bounds.every(Number.isFinite) ? (bounds as [number, number, number, number]) : null,
      vectorLayers,
      name: this.metadata.get('name') ?? null,
      attribution: this.metadata.get('attribution') ?? null,
    };
  }

  async tile(z: number, x: number, y: number): Promise<Tile | null> {
    const row = this.select.get(z, x, (1 << z) - 1 - y);
    if (!row) return null;
    const data = row.tile_data;
    const gzip = data[0] === 0x1f && data[1] === 0x8b;
    return { data, contentType: CONTENT_TYPES[this.format], encoding: gzip ? 'gzip' : null };
  }

  async close() {
    this.db.close();
  }
}
