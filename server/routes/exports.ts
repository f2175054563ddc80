// /api/export: the sites (or road segments) under the map's filters as CSV, XLSX, GeoJSON, KML, GeoPackage or a
// zipped Shapefile. Sites use the filters of GET /api/sites (parseSiteFilters and the same SQL);
// roads the filters of GET /api/roads.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { EXPORT_CRS } from '../export/crs.ts';
import { EXPORT_FORMATS } from '../export/download.ts';
import type { ExportJob } from '../export/export-job.ts';
import { buildExportFile, streamExportFile } from '../export/export-pool.ts';
import { parseCounties, parseDate, parseRoadStatuses, parseSiteFilters } from './query-params.ts';
import { errorResponses, SiteQuery } from './schemas.ts';
import { validationHook } from './validation.ts';

const ExportQuery = SiteQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMATS).openapi({
    description:
      'csv (UTF-8 with BOM) | xlsx (with a 说明 sheet) | geojson | kml | shp (zipped Shapefile with .cpg) | gpkg (GeoPackage: the sites, with the road segments of the same counties and date as a second layer; with layer=roads the road segments only)',
  }),
  crs: z.enum(EXPORT_CRS).optional().openapi({
    description:
      'wgs84 (default) or cgcs2000 (EPSG:4490): the coordinate system the file is labelled in (.prj, GeoPackage SRS, notes, file name). At map scale CGCS2000 coordinates equal WGS84’s, so the numbers are the same.',
  }),
  layer: z.enum(['sites', 'roads']).optional().openapi({
    description:
      'sites (default) or roads: damaged road segments as lines, filtered by county, asOf and road status (reported, scheduled, repairing, repaired) only.',
  }),
});

/** Site filters that mean nothing for road segments; refused rather than ignored. */
const SITE_ONLY = ['bbox', 'category', 'q', 'source', 'located'] as const;

const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/geo+json',
  'application/vnd.google-earth.kml+xml',
  'application/zip',
  'application/geopackage+sqlite3',
];

export function exportRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(
    createRoute({
      method: 'get',
      path: '/export',
      operationId: 'exportLayer',
      tags: ['export'],
      summary: 'Download the sites (or road segments) under the current filters as CSV, XLSX, GeoJSON, KML or a zipped Shapefile',
      description:
        'Columns carry the ledger’s Chinese headers (名称, 地址, 经度, 纬度, 所属县区, …) plus 编号, 定位精度 and 数据来源 (真实/演示), so a CSV or XLSX imports back. Unlocated sites (undrawn roads) have empty coordinates in CSV/XLSX and geometry null in GeoJSON, and are left out of KML and Shapefile: the header `X-Export-Omitted` says how many, `X-Export-Records` how many the file holds. The file name is in `Content-Disposition` (RFC 5987 `filename*` in Chinese, ASCII `filename`). Coordinates are WGS84 longitude/latitude, labelled WGS84 or (crs=cgcs2000) CGCS2000; `X-Export-CRS` names the EPSG code. A GeoPackage keeps every record (geometry NULL without a position) under the full Chinese field names.',
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
      filters.delete('crs');
      const date = parseDate('asOf', query.asOf) ?? ctx.today();
      const meta = { date, filters: decodeURIComponent(filters.toString()), crs: query.crs };
      let job: ExportJob;
      if (query.layer === 'roads') {
        for (const parameter of SITE_ONLY)
          if (query[parameter] !== undefined && query[parameter] !== '')
            throw badRequest('bad_parameter', `${parameter}: does not apply to layer=roads (roads filter by county, asOf and status)`, {
              parameter,
              reason: 'not_combinable',
              other: 'layer=roads',
            });
        job = {
          layer: 'roads',
          format: query.format,
          meta,
          roads: { statuses: parseRoadStatuses(query.status), counties: parseCounties(query.county, ctx.countyCodes), asOf: parseDate('asOf', query.asOf) },
        };
      } else {
        // A GeoPackage of the sites carries the road segments (of the same counties and date) as a second layer.
        const roads = query.format === 'gpkg' ? { counties: parseCounties(query.county, ctx.countyCodes), asOf: parseDate('asOf', query.asOf) } : undefined;
        job = { layer: 'sites', format: query.format, meta, sites: parseSiteFilters(query, ctx.countyCodes), roads };
      }
      // Written to a temporary file on a worker thread, then streamed out (server/export/export-pool.ts).
      // Content-Length: a download cut short is visibly short. The files are already compressed (zip,
      // XLSX, GeoPackage) or meant to be saved as they are: the wire passes answers with a
      // Content-Disposition through as a stream (server/routes/wire.ts).
      const file = await buildExportFile(ctx.db, job);
      return new Response(streamExportFile(file), {
        headers: { ...file.headers, 'content-length': String(file.bytes) },
      }) as never;
    },
  );
}
