// Is this archive a basemap we can use for Luohe? Readable, tiles present over the city, bounds
// overlapping it, a zoom range that reaches street level, tiles of the format it claims, and (for
// vector tiles) a layer schema we have a style for. Every refusal says why, in Chinese and English.
import { ArchiveError, openArchive, type ArchiveInfo, type TileFormat } from './tile-archive.ts';

export type Bounds = [number, number, number, number];

export interface CheckedArchive extends ArchiveInfo {
  kind: 'raster' | 'vector';
  schema: 'protomaps' | 'openmaptiles' | null;
}

/** A basemap must reach this zoom: the streets and villages one places a site by. */
export const MIN_USEFUL_MAX_ZOOM = 12;

/** The vector layer schema from the layer ids: Protomaps' basemap or OpenMapTiles (planetiler). */
export function vectorSchema(layers: readonly string[]): 'protomaps' | 'openmaptiles' | null {
  const has = (id: string) => layers.includes(id);
  if (has('roads') && has('places') && (has('earth') || has('water'))) return 'protomaps';
  if (has('transportation') && (has('place') || has('water'))) return 'openmaptiles';
  return null;
}

const MAGIC: Record<Exclude<TileFormat, 'mvt'>, (b: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8,
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** The XYZ tile holding a WGS84 position. */
export function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}

export async function checkArchive(path: string, city: Bounds): Promise<CheckedArchive> {
  const archive = await openArchive(path);
  try {
    const info = await archive.info();
    const { minZoom, maxZoom } = info;
    if (!Number.isInteger(minZoom) || !Number.isInteger(maxZoom) || minZoom < 0 || maxZoom > 22 || minZoom > maxZoom)
      throw new ArchiveError(
        `缩放级别范围无效（${minZoom}–${maxZoom}），或文件中没有瓦片 the zoom range ${minZoom}–${maxZoom} is invalid, or the file holds no tiles`,
      );
    if (maxZoom < MIN_USEFUL_MAX_ZOOM)
      throw new ArchiveError(
        `最大缩放级别只有 ${maxZoom}，至少需要 ${MIN_USEFUL_MAX_ZOOM} 才能看清街道 the deepest zoom is ${maxZoom}; at least ${MIN_USEFUL_MAX_ZOOM} is needed to see streets`,
      );
    if (info.bounds) {
      const [w, s, e, n] = info.bounds;
      if (e < city[0] || w > city[2] || n < city[1] || s > city[3])
        throw new ArchiveError(
          `范围 ${info.bounds.map((v) => v.toFixed(3)).join(',')} 不覆盖漯河市（${city.map((v) => v.toFixed(3)).join(',')}） its bounds ${info.bounds.map((v) => v.toFixed(3)).join(',')} do not overlap Luohe (${city.map((v) => v.toFixed(3)).join(',')})`,
        );
    }
    // A tile over the city, at some zoom of the archive, that is what the archive says it is.
    const centre: [number, number] = [(city[0] + city[2]) / 2, (city[1] + city[3]) / 2];
    let found = null;
    for (let z = Math.min(maxZoom, Math.max(minZoom, 12)); z >= minZoom && !found; z--) found = await archive.tile(z, ...tileAt(centre[0], centre[1], z));
    for (let z = Math.min(maxZoom, 12) + 1; z <= maxZoom && !found; z++) found = await archive.tile(z, ...tileAt(centre[0], centre[1], z));
    if (!found) throw new ArchiveError('文件中没有漯河市中心的瓦片 the file holds no tile over the centre of Luohe at any of its zoom levels');
    if (info.tileFormat !== 'mvt' && !MAGIC[info.tileFormat](found.data))
      throw new ArchiveError(
        `瓦片内容不是所声明的 ${info.tileFormat.toUpperCase()} 图像 a tile is not the ${info.tileFormat.toUpperCase()} image the file declares`,
      );
    if (info.tileFormat !== 'mvt') return { ...info, kind: 'raster', schema: null };
    const schema = vectorSchema(info.vectorLayers);
    if (!schema)
      throw new ArchiveError(
        `矢量瓦片的图层（${info.vectorLayers.join(', ') || '元数据未列出'}）既不是 Protomaps 也不是 OpenMapTiles 结构 the vector layers (${info.vectorLayers.join(', ') || 'none listed in the metadata'}) are neither the Protomaps nor the OpenMapTiles schema`,
      );
    return { ...info, kind: 'vector', schema };
  } finally {
    await archive.close();
  }
}
