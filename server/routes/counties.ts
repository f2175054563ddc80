// /api/counties: the county polygons with site counts under the same filters as /api/sites.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { countSitesByCounty, countyPlaces } from '../store/site-queries.ts';
import { listCountyRows } from '../store/county-store.ts';
import { notFound } from '../errors.ts';
import { parseSiteFilters } from './query-params.ts';
import { CountyCollection, CountyPlaces, CountyQuery, errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';
import { ResponseCache } from '../store/response-cache.ts';
import type { SiteFilters } from '../store/site-filters.ts';
import { cachedJson } from './wire.ts';
import { mapSiteStore } from '../store/map-site-store.ts';
import type { CountyCounts } from '../store/map-index.ts';

export function countyRoutes(ctx: AppContext) {
  // The polygons never change while the server runs and the counts only with the sites: one answer
  // per filter set is built once per sites' data version and kept as bytes (the map's first view
  // asks for it on every page load).
  const cache = new ResponseCache(ctx.db, ['sites']);
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/counties/{code}/places',
        operationId: 'listCountyPlaces',
        tags: ['places'],
        summary: 'The official townships of a county with their villages (NBS 2023), for choosing a site’s place',
        request: { params: z.object({ code: z.string().regex(/^\d{6}$/, 'is not a county code') }) },
        responses: { 200: json(CountyPlaces, 'Townships in code order, each with its villages.'), ...errorResponses(400, 404) },
      }),
      (c) => {
        const code = c.req.valid('param').code;
        if (!ctx.countyCodes.has(code)) throw notFound(`county ${code} is not on the map`, { kind: 'county', id: code });
        return c.json({ county: code, townships: countyPlaces(ctx.db, code) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/counties',
        operationId: 'listCounties',
        tags: ['places'],
        summary: 'County polygons with site counts by status and by category',
        description: 'Takes the same filters as /api/sites, so a choropleth and a scorecard need one call. Boundary data © DataV.GeoAtlas / 高德.',
        request: { query: CountyQuery },
        responses: {
          200: { description: 'A FeatureCollection of county polygons.', content: { 'application/json': { schema: CountyCollection } } },
          ...errorResponses(400),
        },
      }),
      async (c) => {
        const filters = parseSiteFilters(c.req.valid('query'), ctx.countyCodes);
        const key = JSON.stringify(filters);
        // A past date's status reads every site's history (~0.2 s at 10^5 sites) and a text search every
        // name (~0.5 s): counted by the map's store (on its index thread for a database file), not on the
        // request thread, unless the answer is kept or the client holds it.
        let counted: CountyCounts | undefined;
        const version = cache.version();
        if ((filters.asOf || filters.q) && !cache.has(key, version) && c.req.header('if-none-match') !== cache.etag(key, version)) {
          counted = await mapSiteStore(ctx.db).countyCounts(filters);
        }
        // Counts of another version than the answer's (a write came meanwhile) are counted again here.
        const answer = cachedJson(c, cache, key, () => countyCollection(filters, counted?.version === cache.version() ? counted : undefined));
        // The bytes are the schema's JSON; typed as c.json's answer would be.
        return answer as unknown as ReturnType<typeof c.json<z.infer<typeof CountyCollection>, 200>>;
      },
    );

  function countyCollection(filters: SiteFilters, counted?: CountyCounts): string {
    const counts = counted ?? countSitesByCounty(ctx.db, filters);
    const rows = listCountyRows(ctx.db);
    const tally = (list: { county: string; key: string; n: number }[], code: string) =>
      Object.fromEntries(list.filter((r) => r.county === code).map((r) => [r.key, r.n]));
    const features = rows.map((row) => {
      const byStatus = tally(counts.byStatus, row.code);
      return {
        type: 'Feature' as const,
        id: row.code,
        geometry: JSON.parse(row.geometry) as Record<string, unknown>,
        properties: {
          code: row.code,
          name: row.name,
          kind: row.kind,
          areaKm2: row.area_km2,
          seat: row.seat_lon === null || row.seat_lat === null ? null : ([row.seat_lon, row.seat_lat] as [number, number]),
          labelPoint: row.label_lon === null || row.label_lat === null ? null : ([row.label_lon, row.label_lat] as [number, number]),
          sites: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
          byStatus,
          byCategory: tally(counts.byCategory, row.code),
        },
      };
    });
    return JSON.stringify({ type: 'FeatureCollection', features } as z.infer<typeof CountyCollection>);
  }
}
