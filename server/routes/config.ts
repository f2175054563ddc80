// /api/config: what the web app needs to set itself up — the date range of the history and the
// optional online basemaps an operator configured (none by default: the map works offline).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { registeredBasemaps } from './basemaps.ts';
import { Basemap, type BasemapSource } from '../basemaps/basemap-source.ts';
import { eventDateRange, hasDemoSites } from '../store/site-queries.ts';

export const Config = z
  .object({
    firstEventDate: z.string().nullable(),
    lastEventDate: z.string().nullable(),
    hasDemo: z.boolean().openapi({ description: 'True when generated demo records are in the database.' }),
    basemaps: z.array(Basemap).openapi({ description: 'Registered tile archives (npm run basemap) first, then the online ones of SANSAN_BASEMAPS.' }),
    defaultBasemap: z
      .string()
      .nullable()
      .openapi({ description: 'The basemap the page opens on (npm run basemap -- default ID); null: the plain offline map.' }),
  })
  .openapi('Config');

/** Reads SANSAN_BASEMAPS: a JSON array of {id, name, tiles, attribution, maxZoom?, crs?} raster XYZ (or WMTS KVP) sources. */
export function basemapsFromEnv(value: string | undefined): BasemapSource[] {
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
      const range = eventDateRange(ctx.db);
      const hasDemo = hasDemoSites(ctx.db);
      const registered = registeredBasemaps(ctx);
      return c.json(
        {
          firstEventDate: range.first,
          lastEventDate: range.last,
          hasDemo,
          basemaps: [...registered.basemaps, ...ctx.basemaps],
          defaultBasemap: registered.defaultId,
        },
        200,
      );
    },
  );
}
