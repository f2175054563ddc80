// /api/basemaps: the tile archives an operator registered (npm run basemap), served by this server
// itself — every archive as XYZ tiles, a PMTiles file also whole by HTTP range requests (for QGIS
// and other PMTiles readers). Registered archives do not change under their id, so responses carry
// an ETag and may be cached.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { getBasemap, listBasemaps, type BasemapRecord } from '../store/basemap-store.ts';
import { errorResponses } from './schemas.ts';
import type { BasemapSource } from '../basemaps/basemap-source.ts';

const CACHE = 'private, max-age=86400';
const binary = (type: string) => ({ [type]: { schema: z.string().openapi({ format: 'binary' }) } });
const BasemapId = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'is not a basemap id');

/** The registered archives as /api/config lists them (tiles served here), and which is the default. */
export function registeredBasemaps(ctx: AppContext): { basemaps: BasemapSource[]; defaultId: string | null } {
  const records = listBasemaps(ctx.db);
  return {
    basemaps: records.map((r) => ({
      id: r.id,
      name: r.name,
      tiles: [`/api/basemaps/${r.id}/tiles/{z}/{x}/{y}`],
      attribution: r.attribution,
      minZoom: r.minZoom,
      maxZoom: r.maxZoom,
      crs: r.crs,
      kind: r.tileFormat === 'mvt' ? ('vector' as const) : ('raster' as const),
      ...(r.schema ? { schema: r.schema } : {}),
      ...(r.bounds ? { bounds: r.bounds } : {}),
    })),
    defaultId: records.find((r) => r.isDefault)?.id ?? null,
  };
}

function record(ctx: AppContext, id: string): BasemapRecord {
  const found = getBasemap(ctx.db, id);
  if (!found) throw notFound(`no basemap ${id}`, { kind: 'basemap', id });
  return found;
}

/** The archive's version: its file, size and when it was registered. */
const archiveTag = (r: BasemapRecord) => `${r.id}-${r.bytes.toString(36)}-${Date.parse(r.addedAt).toString(36)}`;

function notModified(c: Context, etag: string): boolean {
  const match = c.req.header('if-none-match');
  return match !== undefined && match.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`);
}

export function basemapRoutes(ctx: AppContext) {
  return new OpenAPIHono()
    .openapi(
      createRoute({
        method: 'get',
        path: '/basemaps/{id}/tiles/{z}/{x}/{y}',
        operationId: 'getBasemapTile',
        tags: ['meta'],
        summary: 'One tile of a registered basemap (XYZ, y from the north); 204 where the archive has none',
        request: {
          params: z.object({
            id: BasemapId,
            z: z.string().regex(/^\d{1,2}$/, 'is not a zoom level'),
            x: z.string().regex(/^\d{1,8}$/, 'is not a tile column'),
            y: z.string().regex(/^\d{1,8}$/, 'is not a tile row'),
          }),
        },
        responses: {
          200: {
            description: 'The tile as stored (vector tiles may be gzip-encoded).',
            content: { ...binary('image/png'), ...binary('image/jpeg'), ...binary('image/webp'), ...binary('application/vnd.mapbox-vector-tile') },
          },
          204: { description: 'The archive has no tile here.' },
          304: { description: 'Not modified (If-None-Match).' },
          ...errorResponses(400, 404),
        },
      }),
      async (c) => {
        const params = c.req.valid('param');
        const [zoom, x, y] = [Number(params.z), Number(params.x), Number(params.y)];
        const r = record(ctx, params.id);
        if (zoom > 22) throw new AppError(400, 'bad_parameter', 'z: at most 22', { parameter: 'z' });
        if (x >= 2 ** zoom || y >= 2 ** zoom)
          throw new AppError(400, 'bad_parameter', `x and y must be below 2^z = ${2 ** zoom}`, { parameter: x >= 2 ** zoom ? 'x' : 'y' });
        const etag = `"${archiveTag(r)}-${zoom}-${x}-${y}"`;
        const headers: Record<string, string> = { etag, 'cache-control': CACHE };
        if (notModified(c, etag)) return c.body(null, 304, headers);
        const tile = await (await ctx.archives.get(r)).tile(zoom, x, y);
        if (!tile) return c.body(null, 204, headers);
        headers['content-type'] = tile.contentType;
        if (tile.encoding) headers['content-encoding'] = tile.encoding;
        return c.body(new Uint8Array(tile.data.buffer as ArrayBuffer, tile.data.byteOffset, tile.data.byteLength), 200, headers);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/basemaps/{id}/archive.pmtiles',
        operationId: 'getBasemapArchive',
        tags: ['meta'],
        summary: 'A registered PMTiles archive whole, with HTTP range requests (for PMTiles readers)',
        request: { params: z.object({ id: BasemapId }) },
        responses: {
          200: { description: 'The whole file.', content: binary('application/vnd.pmtiles') },
          206: { description: 'The byte range asked for (Range: bytes=a-b).', content: binary('application/vnd.pmtiles') },
          304: { description: 'Not modified (If-None-Match).' },
          ...errorResponses(404),
          416: { description: 'The range lies outside the file.' },
        },
      }),
      (c) => {
        const r = record(ctx, c.req.valid('param').id);
        if (r.format !== 'pmtiles')
          throw notFound(`basemap ${r.id} is an MBTiles archive: it is served as tiles only (/api/basemaps/${r.id}/tiles/{z}/{x}/{y})`, {
            kind: 'basemap',
            id: r.id,
          });
        const file = join(ctx.archives.folder, r.file);
        const size = statSync(file).size;
        const etag = `"${archiveTag(r)}"`;
        const headers: Record<string, string> = { etag, 'cache-control': CACHE, 'accept-ranges': 'bytes', 'content-type': 'application/vnd.pmtiles' };
        if (notModified(c, etag)) return c.body(null, 304, headers);
        const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
        let start = 0;
        let end = size - 1;
        if (range && (range[1] || range[2])) {
          if (range[1]) {
            start = Number(range[1]);
            if (range[2]) end = Math.min(size - 1, Number(range[2]));
          } else start = Math.max(0, size - Number(range[2]));
          if (start > end || start >= size) return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` });
          headers['content-range'] = `bytes ${start}-${end}/${size}`;
        }
        headers['content-length'] = String(end - start + 1);
        const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream;
        return c.body(stream, headers['content-range'] ? 206 : 200, headers);
      },
    );
}
