// /api/config: what the web app needs to set itself up — the date range of the history and the
// optional online basemaps an operator configured (none by default: the map works offline).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { registeredBasemaps } from './basemaps.ts';

export const Basemap = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    name: z.string(),
    tiles: z.array(z.string()).min(1).openapi({ description: 'Tile URL templates ({z}/{x}/{y}); a path starting with / is served by this server.' }),
    attribution: z.string(),
    minZoom: z.number().int().min(0).max(22).optional(),
    maxZoom: z.number().int().min(0).max(22).optional(),
    crs: z.enum(['wgs84', 'gcj02']).default('wgs84').openapi({ description: 'The system the tiles are drawn in: wgs84 (also 天地图\'s CGCS2000) or gcj02 (高德, 腾讯). On gcj02 the page draws our data converted.' }),
    kind: z.enum(['raster', 'vector']).default('raster'),
    schema: z.enum(['protomaps', 'openmaptiles']).optional().openapi({ description: 'Vector tiles: the layer schema the page styles.' }),
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  })
  .openapi('Basemap');

export const Config = z
  .object({
    firstEventDate: z.string().nullable(),
    lastEventDate: z.string().nullable(),
    hasDemo: z.boolean().openapi({ description: 'True when generated demo records are in the database.' }),
    basemaps: z.array(Basemap).openapi({ description: 'Registered tile archives (npm run basemap) first, then the online ones of SANSAN_BASEMAPS.' }),
    defaultBasemap: z.string().nullable().openapi({ description: 'The basemap the page opens on (npm run basemap -- default ID); null: the plain offline map.' }),
  })
  .openapi('Config');

/** Reads SANSAN_BASEMAPS: a JSON array of {id, name, tiles, attribution, maxZoom?, crs?} raster XYZ (or WMTS KVP) sources. */
export function basemapsFromEnv(value: string | undefined): z.infer<typeof Basemap>[] {
  if (!value) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`SANSAN_BASEMAPS is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = z.array(Basemap).safeParse(parsed);
  if (!result.success) throw new Error(`SANSAN_BASEMAPS: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export function configRoutes(ctx: AppContext) {
  return new OpenAPIHono().openapi(
    createRoute({
      method: 'get',
      path: '/config',
      operationId: 'getConfig',
      tags: ['meta'],
      summary: 'Date range of the status history and the configured basemaps',
      responses: { 200: { description: 'Configuration for the web app.', content: { 'application/json': { schema: Config } } } },
    }),
    (c) => {
      const range = ctx.db.get<{ first: string | null; last: string | null }>('SELECT min(date) AS first, max(date) AS last FROM site_events')!;
      const hasDemo = ctx.db.get("SELECT 1 FROM sites WHERE source = 'demo' LIMIT 1") !== undefined;
      const registered = registeredBasemaps(ctx);
      return c.json({ firstEventDate: range.first, lastEventDate: range.last, hasDemo, basemaps: [...registered.basemaps, ...ctx.basemaps], defaultBasemap: registered.defaultId }, 200);
    },
  );
}
