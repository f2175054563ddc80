// A basemap as /api/config lists it and SANSAN_BASEMAPS declares it: tile URL templates, attribution,
// zooms, the system the tiles are drawn in, raster or vector. Below the routes so the context,
// start-up and the environment parsing can use the type without importing a route.
import { z } from '@hono/zod-openapi';

export const Basemap = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    name: z.string(),
    tiles: z.array(z.string()).min(1).openapi({ description: 'Tile URL templates ({z}/{x}/{y}); a path starting with / is served by this server.' }),
    attribution: z.string(),
    minZoom: z.number().int().min(0).max(22).optional(),
    maxZoom: z.number().int().min(0).max(22).optional(),
    crs: z.enum(['wgs84', 'gcj02']).default('wgs84').openapi({
      description: "The system the tiles are drawn in: wgs84 (also 天地图's CGCS2000) or gcj02 (高德, 腾讯). On gcj02 the page draws our data converted.",
    }),
    kind: z.enum(['raster', 'vector']).default('raster'),
    schema: z.enum(['protomaps', 'openmaptiles']).optional().openapi({ description: 'Vector tiles: the layer schema the page styles.' }),
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  })
  .openapi('Basemap');

export type BasemapSource = z.infer<typeof Basemap>;
