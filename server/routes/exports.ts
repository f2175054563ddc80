// /api/export: the sites (or road segments) under the map's filters as CSV, XLSX, GeoJSON, KML or a
// zipped Shapefile. Sites use the filters of GET /api/sites (parseSiteFilters and the same SQL);
// roads the filters of GET /api/roads.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { buildExport, EXPORT_FORMATS } from '../export/download.ts';
import { roadLayer, siteLayer } from '../export/layers.ts';
import { listRoads } from '../store/road-store.ts';
import { listSiteRecords } from '../store/site-queries.ts';
import { parseCounties, parseDate, parseRoadStatuses, parseSiteFilters } from './query-params.ts';
import { errorResponses, SiteQuery } from './schemas.ts';
import { validationHook } from './validation.ts';

const ExportQuery = SiteQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMATS).openapi({ description: 'csv (UTF-8 with BOM) | xlsx (with a 说明 sheet) | geojson | kml | shp (zipped Shapefile with .cpg)' }),
  layer: z
    .enum(['sites', 'roads'])
    .optional()
    .openapi({ description: 'sites (default) or roads: damaged road segments as lines, filtered by county, asOf and road status (reported, scheduled, repairing, repaired) only.' }),
});

/** Site filters that mean nothing for road segments; refused rather than ignored. */
const SITE_ONLY = ['bbox', 'category', 'q', 'source', 'located'] as const;

const FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/geo+json', 'application/vnd.google-earth.kml+xml', 'application/zip'];

export function exportRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(
    createRoute({
      method: 'get',
      path: '/export',
      tags: ['export'],
      summary: 'Download the sites (or road segments) under the current filters as CSV, XLSX, GeoJSON, KML or a zipped Shapefile',
      description:
        'Columns carry the ledger’s Chinese headers (名称, 地址, 经度, 纬度, 所属县区, …) plus 编号, 定位精度 and 数据来源 (真实/演示), so a CSV or XLSX imports back. Unlocated sites (undrawn roads) have empty coordinates in CSV/XLSX and geometry null in GeoJSON, and are left out of KML and Shapefile: the header `X-Export-Omitted` says how many, `X-Export-Records` how many the file holds. The file name is in `Content-Disposition` (RFC 5987 `filename*` in Chinese, ASCII `filename`). WGS84 throughout.',
      request: { query: ExportQuery },
      responses: {
        200: { description: 'The file, as an attachment.', content: Object.fromEntries(FILE_TYPES.map((type) => [type, { schema: z.string() }])) },
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const filters = new URL(c.req.url).searchParams;
      filters.delete('format');
      const meta = { date: parseDate('asOf', query.asOf) ?? ctx.today(), filters: decodeURIComponent(filters.toString()) };
      let file;
      if (query.layer === 'roads') {
        for (const parameter of SITE_ONLY)
          if (query[parameter] !== undefined && query[parameter] !== '')
            throw badRequest('bad_parameter', `${parameter}: does not apply to layer=roads (roads filter by county, asOf and status)`, { parameter, reason: 'not_combinable', other: 'layer=roads' });
        const counties = new Map(ctx.db.all<{ code: string; name: string }>('SELECT code, name FROM counties').map((row) => [row.code, row.name]));
        const roads = listRoads(ctx.db, { statuses: parseRoadStatuses(query.status), counties: parseCounties(query.county, ctx.countyCodes), asOf: parseDate('asOf', query.asOf) });
        file = await buildExport(roadLayer(roads.map((road) => ({ ...road, countyName: road.properties.county ? (counties.get(road.properties.county) ?? null) : null }))), query.format, meta);
      } else {
        file = await buildExport(siteLayer(listSiteRecords(ctx.db, parseSiteFilters(query, ctx.countyCodes))), query.format, meta);
      }
      return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), { headers: file.headers }) as never;
    },
  );
}
