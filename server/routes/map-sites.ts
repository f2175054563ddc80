// /api/map/sites: what the map draws, per tile. `GET /map/sites` gives the sites' data version and
// the legend's counts; `GET /map/sites/{version}/{z}/{x}/{y}` the county-bounded clusters (with
// their status mix and expansion zoom) and single sites of one 512 px XYZ tile under the filters.
// The version in the path makes a tile URL name one state of the data: answered with that version
// it may be cached for good; a stale version is answered with today's data, uncached. The
// computation sits behind MapSiteStore (server/store/map-index.ts), which a PostGIS store could
// answer with ST_AsMVT over ST_TileEnvelope(z, x, y).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { MAX_MAP_IDS, MAX_TILE_ZOOM } from '../../domain/cluster-index.ts';
import { COUNTED_STATUSES } from '../../domain/statuses.ts';
import type { AppContext } from '../context.ts';
import { parameterError } from '../errors.ts';
import type { MapFilters } from '../store/map-index.ts';
import { mapSiteStore, mapStoreOnThread } from '../store/map-site-store.ts';
import { param, parseSiteFilters } from './query-params.ts';
import { CountyQuery, errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';
import { etagMatches, IMMUTABLE, sendEncoded } from './wire.ts';

type Json<T extends z.ZodType, S extends 200> = TypedResponse<z.infer<T>, S, 'json'>;

function parseIds(name: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text === '' ? [] : text.split(',');
  if (parts.length > MAX_MAP_IDS)
    throw parameterError(name, { reason: 'too_many', maximum: MAX_MAP_IDS, value: parts.length }, `at most ${MAX_MAP_IDS} site ids`);
  return parts.map((part) => {
    if (!/^\d+$/.test(part.trim())) throw parameterError(name, { reason: 'not_whole_number', value: part }, `"${part}" is not a site id`);
    return Number(part);
  });
}

const MapQuery = CountyQuery.pick({ county: true, category: true, status: true, asOf: true, source: true }).extend({
  exclude: param.numbers(
    { description: `Site ids left out of the clusters (the map draws them apart), at most ${MAX_MAP_IDS}.`, example: '12,40' },
    { maxItems: MAX_MAP_IDS },
  ),
  only: param.numbers(
    { description: `Only these site ids (an analysis' sites), at most ${MAX_MAP_IDS}; an empty list: none.`, example: '12,40' },
    { maxItems: MAX_MAP_IDS },
  ),
});

const MapFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: z.object({
      county: z.string(),
      cluster: z.boolean(),
      clusterId: z.number().int().nullable(),
      expansionZoom: z.number().int().nullable().openapi({ description: 'A cluster: the zoom at which it splits.' }),
      count: z.number().int(),
      statusCounts: z.array(z.number().int()).openapi({ description: 'Sites per status, in the order of the status codes.' }),
      siteId: z.number().int().nullable(),
      status: z.string().nullable(),
      category: z.string().nullable(),
      source: z.enum(['real', 'demo']).nullable(),
    }),
  })
  .openapi('MapFeature');

const MapTileAnswer = z
  .object({ version: z.number().int(), z: z.number().int(), x: z.number().int(), y: z.number().int(), features: z.array(MapFeature) })
  .openapi('MapTile');

const MapSummary = z
  .object({
    version: z.number().int().openapi({ description: 'The sites’ data version: put it in tile URLs.' }),
    counts: z.record(z.string(), z.record(z.string(), z.number().int())).openapi({ description: 'Located sites per county and status (status as of asOf).' }),
  })
  .openapi('MapSummary');

const TileParams = z.object({
  version: z.string().regex(/^\d+$/, 'is not a data version'),
  z: z.string().regex(/^\d+$/, 'is not a zoom'),
  x: z.string().regex(/^\d+$/, 'is not a tile column'),
  y: z.string().regex(/^\d+$/, 'is not a tile row'),
});

function tileNumber(name: string, text: string, maximum: number): number {
  const n = Number(text);
  if (n > maximum) throw parameterError(name, { reason: 'out_of_range', value: text, minimum: 0, maximum }, `${name} must be from 0 to ${maximum}`);
  return n;
}

function mapFilters(ctx: AppContext, query: z.infer<typeof MapQuery>): MapFilters {
  const filters = parseSiteFilters(query, ctx.countyCodes);
  const exclude = parseIds('exclude', query.exclude);
  const only = parseIds('only', query.only);
  return {
    ...(filters.asOf ? { asOf: filters.asOf } : {}),
    ...(filters.categories ? { categories: filters.categories } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.statuses ? { statuses: filters.statuses } : {}),
    ...(filters.counties ? { counties: filters.counties } : {}),
    ...(exclude?.length ? { exclude } : {}),
    ...(only ? { only } : {}),
  };
}

/** The page's first view: every counted status, no other filter (warmed at start-up). */
export const DEFAULT_MAP_FILTERS: MapFilters = { statuses: COUNTED_STATUSES };

export function mapSiteRoutes(ctx: AppContext) {
  const store = mapSiteStore(ctx.db);
  // A database file: count the first view's sites and build its index on the map threads now, before
  // anyone asks. A warm-up that fails because the server closed meanwhile (tests) is no failure.
  if (mapStoreOnThread(ctx.db))
    store.warm(DEFAULT_MAP_FILTERS).catch((error: unknown) => {
      if (ctx.db.raw.open) ctx.log.warn({ event: 'map_warm_failed', error: String(error) });
    });
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/map/sites',
        operationId: 'getMapSummary',
        tags: ['map'],
        summary: 'The sites’ data version for tile URLs, and located sites per county and status',
        request: { query: MapQuery.pick({ county: true, category: true, asOf: true, source: true }) },
        responses: { 200: json(MapSummary, 'The version and the counts.'), ...errorResponses(400) },
      }),
      async (c) => {
        const filters = mapFilters(ctx, c.req.valid('query'));
        const { version, counts } = await store.counts(filters);
        c.header('cache-control', 'no-cache');
        return c.json({ version, counts: counts as Record<string, Record<string, number>> }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map/sites/{version}/{z}/{x}/{y}',
        operationId: 'getMapTile',
        tags: ['map'],
        summary: 'Clusters (per county, with their status mix) and single sites of one 512 px XYZ tile',
        description:
          'Each cluster or site lies in exactly one tile of a zoom, so the tiles of a zoom add up to the county counts of /api/counties?located=true under the same filters. The version is that of GET /map/sites; with an older one the answer holds the data as it is now and is not cached.',
        request: { params: TileParams, query: MapQuery },
        responses: { 200: json(MapTileAnswer, 'The tile’s features.'), ...errorResponses(400) },
      }),
      async (c) => {
        const path = c.req.valid('param');
        const zoom = tileNumber('z', path.z, MAX_TILE_ZOOM);
        const x = tileNumber('x', path.x, 2 ** zoom - 1);
        const y = tileNumber('y', path.y, 2 ** zoom - 1);
        const filters = mapFilters(ctx, c.req.valid('query'));
        const tile = await store.tile(filters, zoom, x, y);
        // Answered from the version the URL names: that tile never changes. The store read the version once.
        const cacheControl = String(tile.version) === path.version ? IMMUTABLE : 'no-cache';
        if (etagMatches(c.req.header('if-none-match'), tile.body.etag))
          return c.body(null, 304, { ETag: tile.body.etag, 'Cache-Control': cacheControl }) as unknown as Json<typeof MapTileAnswer, 200>;
        return sendEncoded(c, tile.body, { cacheControl }) as unknown as Json<typeof MapTileAnswer, 200>;
      },
    );
}
