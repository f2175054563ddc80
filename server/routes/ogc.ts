// OGC API – Features, Part 1 (core + GeoJSON) under /api/ogc, so QGIS, ArcGIS Pro and GDAL add the
// sites and road segments as live layers. Same session or bearer token as the rest of /api (the guard
// in server/app.ts), the same filters as /api/sites (parseSiteFilters → siteFilterSql) and /api/roads,
// and the same Chinese attributes as the exports (the columns of server/export/layers.ts).
// Items are paged by id: `limit` (default 1000, larger values are cut to 10000, as the standard asks)
// and a `next` link carrying an opaque cursor. Coordinates are CRS84 (WGS84 longitude, latitude).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { layerFeature } from '../export/geojson.ts';
import { roadLayer, siteLayer, type ExportLayer } from '../export/layers.ts';
import { lineBbox } from '../store/road-store.ts';
import { countSites, listSiteRecords } from '../store/site-queries.ts';
import { listRoadRecords } from './layer-records.ts';
import { encodeCursor, param, parseBbox, parseBool, parseCounties, parseDate, parsePage, parseRoadStatuses, parseSiteFilters } from './query-params.ts';
import { errorResponses, RoadQuery, SiteQuery } from './schemas.ts';
import { validationHook } from './validation.ts';
import { countyPolygons } from '../store/county-store.ts';

export const OGC_DEFAULT_LIMIT = 1000;
export const OGC_MAX_LIMIT = 10_000;

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const CONFORMANCE = ['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'];
const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';

const COLLECTIONS = {
  sites: {
    title: '三散污染源 · Pollution sites',
    description:
      '散乱污企业、砂石料场、商混站、非法加油点、散煤销售点等点位，属性为台账中文表头（名称、地址、整治状态…）。与 /api/sites 相同的筛选：county, category, status, q, asOf, source, located。 Sites with the ledger’s Chinese attributes; filters as /api/sites. Unlocated sites have geometry null (a bbox leaves them out).',
  },
  roads: {
    title: '破损道路 · Damaged road segments',
    description:
      '道路破损路段（线），筛选：county, status（reported, scheduled, repairing, repaired）, asOf, drawn。 Damaged road segments; undrawn ones have geometry null (a bbox leaves them out).',
  },
} as const;
type CollectionId = keyof typeof COLLECTIONS;

const Link = z.object({ href: z.string(), rel: z.string(), type: z.string().optional(), title: z.string().optional() }).openapi('OgcLink');
const Landing = z.object({ title: z.string(), description: z.string(), links: z.array(Link) }).openapi('OgcLandingPage');
const Conformance = z.object({ conformsTo: z.array(z.string()) }).openapi('OgcConformance');
const Collection = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    itemType: z.literal('feature'),
    crs: z.array(z.string()),
    extent: z.object({ spatial: z.object({ bbox: z.array(z.array(z.number())), crs: z.string() }) }),
    links: z.array(Link),
  })
  .openapi('OgcCollection');
const Collections = z.object({ collections: z.array(Collection), links: z.array(Link) }).openapi('OgcCollections');
const Items = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.number(), geometry: z.unknown(), properties: z.record(z.string(), z.unknown()) })),
    numberMatched: z.number().int(),
    numberReturned: z.number().int(),
    timeStamp: z.string(),
    links: z.array(Link),
  })
  .openapi('OgcFeatureCollection');

const ogcPaging = {
  limit: param.integer(
    'limit',
    { minimum: 1 },
    { description: `Features per page, 1–${OGC_MAX_LIMIT} (default ${OGC_DEFAULT_LIMIT}; larger values are taken as ${OGC_MAX_LIMIT}).` },
    false,
  ),
  cursor: param.cursor({ description: 'Set by the `next` link; not meant to be written by hand.' }),
  f: z.enum(['json', 'geojson']).optional().openapi({ description: 'Output format: GeoJSON only.' }),
};
const SiteItemsQuery = SiteQuery.extend({
  ...ogcPaging,
  bbox: SiteQuery.shape.bbox.openapi({ description: 'minLon,minLat,maxLon,maxLat (CRS84). Leaves unlocated sites out.' }),
});
const RoadItemsQuery = RoadQuery.extend({
  ...ogcPaging,
  bbox: param.bbox({ description: 'minLon,minLat,maxLon,maxLat (CRS84): segments whose extent meets the box. Leaves undrawn segments out.' }),
});
const FeatureParams = z.object({ featureId: z.string().openapi({ param: { name: 'featureId', in: 'path' }, example: '12' }) });
const CollectionParams = z.object({ collectionId: z.string().openapi({ param: { name: 'collectionId', in: 'path' }, example: 'sites' }) });

/** The standard's `limit`: a whole number ≥ 1; above the maximum it is cut to the maximum, not refused. */
function parseOgcLimit(value: string | undefined): number {
  if (value === undefined || value === '') return OGC_DEFAULT_LIMIT;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw badRequest('bad_parameter', `limit: "${value}" must be a whole number of at least 1`, { parameter: 'limit', reason: 'too_small', minimum: 1, value });
  return Math.min(Number(value), OGC_MAX_LIMIT);
}

/** Query parameters the standard does not define and this API does not know are refused, naming them. */
function refuseUnknown(c: Context, known: z.ZodObject<z.ZodRawShape>): void {
  const allowed = new Set(Object.keys(known.shape));
  for (const name of new URL(c.req.url).searchParams.keys())
    if (!allowed.has(name))
      throw badRequest('bad_parameter', `${name}: not a parameter of this collection; known: ${[...allowed].join(', ')}`, {
        parameter: name,
        reason: 'unknown_keys',
        keys: [name],
      });
}

const geoJson = (c: Context, body: unknown, type = GEOJSON) => c.body(JSON.stringify(body), 200, { 'content-type': `${type}; charset=utf-8` });

export function ogcRoutes(ctx: AppContext) {
  const root = (c: Context) => `${new URL(c.req.url).origin}/api/ogc`;
  const cityBbox = (() => {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { geometry } of countyPolygons(ctx.db)) {
      const visit = (value: unknown): void => {
        if (Array.isArray(value) && typeof value[0] === 'number') {
          const [lon, lat] = value as number[];
          box[0] = Math.min(box[0]!, lon!);
          box[1] = Math.min(box[1]!, lat!);
          box[2] = Math.max(box[2]!, lon!);
          box[3] = Math.max(box[3]!, lat!);
        } else if (Array.isArray(value)) value.forEach(visit);
      };
      visit(geometry.coordinates);
    }
    return box.map((n) => Math.round(n * 1e6) / 1e6);
  })();

  const collection = (c: Context, id: CollectionId) => {
    const base = `${root(c)}/collections/${id}`;
    return {
      id,
      ...COLLECTIONS[id],
      itemType: 'feature' as const,
      crs: [CRS84],
      extent: { spatial: { bbox: [cityBbox], crs: CRS84 } },
      links: [
        { href: base, rel: 'self', type: JSON_TYPE, title: COLLECTIONS[id].title },
        { href: `${base}/items`, rel: 'items', type: GEOJSON, title: COLLECTIONS[id].title },
      ],
    };
  };

  /** The page's FeatureCollection with self and (when more) next links. */
  const page = <R>(c: Context, layer: ExportLayer<R>, rows: R[], limit: number, matched: number) => {
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const self = new URL(c.req.url);
    const links = [{ href: self.toString(), rel: 'self', type: GEOJSON, title: 'this page' }];
    if (more) {
      const next = new URL(self);
      next.searchParams.set('cursor', encodeCursor(layer.id(shown[shown.length - 1]!)));
      next.searchParams.set('limit', String(limit));
      links.push({ href: next.toString(), rel: 'next', type: GEOJSON, title: 'next page' });
    }
    return geoJson(c, {
      type: 'FeatureCollection',
      features: shown.map((row) => layerFeature(layer, row)),
      numberMatched: matched,
      numberReturned: shown.length,
      timeStamp: new Date().toISOString(),
      links,
    });
  };

  /** One feature with its self and collection links. */
  const single = <R>(c: Context, layer: ExportLayer<R>, row: R) =>
    geoJson(c, {
      ...layerFeature(layer, row),
      links: [
        { href: new URL(c.req.url).toString(), rel: 'self', type: GEOJSON },
        { href: `${root(c)}/collections/${layer.layer}`, rel: 'collection', type: JSON_TYPE },
      ],
    });

  const featureId = (value: string) => {
    if (!/^\d+$/.test(value)) throw notFound(`no feature "${value}": feature ids are whole numbers`, { kind: 'feature', id: value });
    return Number(value);
  };

  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc',
        operationId: 'getOgcLanding',
        tags: ['ogc'],
        summary: 'OGC API – Features landing page (add this URL in QGIS or ArcGIS Pro)',
        responses: {
          200: {
            description: 'Links to the conformance declaration, the collections and this API’s definition.',
            content: { [JSON_TYPE]: { schema: Landing } },
          },
        },
      }),
      (c) =>
        geoJson(
          c,
          {
            title: '三散污染源地图 OGC API – Features',
            description: '漯河市三散污染源整治：污染源点位与破损道路。Luohe’s 三散 pollution sources and damaged road segments.',
            links: [
              { href: root(c), rel: 'self', type: JSON_TYPE, title: 'this document' },
              {
                href: `${new URL(c.req.url).origin}/api/openapi.json`,
                rel: 'service-desc',
                type: 'application/vnd.oai.openapi+json;version=3.1',
                title: 'the API definition',
              },
              { href: `${new URL(c.req.url).origin}/api/docs`, rel: 'service-doc', type: 'text/html', title: 'the API documentation' },
              { href: `${root(c)}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
              { href: `${root(c)}/collections`, rel: 'data', type: JSON_TYPE, title: 'the collections' },
            ],
          },
          JSON_TYPE,
        ) as never,
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/conformance',
        operationId: 'getOgcConformance',
        tags: ['ogc'],
        summary: 'The conformance classes implemented: OGC API – Features Part 1 core and GeoJSON',
        responses: { 200: { description: 'conformsTo', content: { [JSON_TYPE]: { schema: Conformance } } } },
      }),
      (c) => geoJson(c, { conformsTo: CONFORMANCE }, JSON_TYPE) as never,
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections',
        operationId: 'listOgcCollections',
        tags: ['ogc'],
        summary: 'The feature collections: sites and roads',
        responses: { 200: { description: 'The collections.', content: { [JSON_TYPE]: { schema: Collections } } } },
      }),
      (c) =>
        geoJson(
          c,
          {
            collections: [collection(c, 'sites'), collection(c, 'roads')],
            links: [{ href: `${root(c)}/collections`, rel: 'self', type: JSON_TYPE, title: 'this document' }],
          },
          JSON_TYPE,
        ) as never,
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections/sites/items',
        operationId: 'listOgcSiteItems',
        tags: ['ogc'],
        summary: 'Sites as GeoJSON features with Chinese attributes, filtered like /api/sites, paged with next links',
        request: { query: SiteItemsQuery },
        responses: { 200: { description: 'A page of sites.', content: { [GEOJSON]: { schema: Items } } }, ...errorResponses(400) },
      }),
      (c) => {
        refuseUnknown(c, SiteItemsQuery);
        const query = c.req.valid('query');
        const filters = parseSiteFilters(query, ctx.countyCodes);
        const limit = parseOgcLimit(query.limit);
        const { afterId } = parsePage(undefined, query.cursor);
        const rows = listSiteRecords(ctx.db, filters, { afterId, limit: limit + 1 });
        return page(c, siteLayer([]), rows, limit, countSites(ctx.db, filters)) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections/sites/items/{featureId}',
        operationId: 'getOgcSiteItem',
        tags: ['ogc'],
        summary: 'One site as a GeoJSON feature with Chinese attributes',
        request: { params: FeatureParams },
        responses: { 200: { description: 'The site.', content: { [GEOJSON]: { schema: Items.shape.features.element } } }, ...errorResponses(404) },
      }),
      (c) => {
        const id = featureId(c.req.valid('param').featureId);
        const [row] = listSiteRecords(ctx.db, {}, { afterId: id - 1, limit: 1 });
        if (!row || row.id !== id) throw notFound(`site ${id} does not exist`, { kind: 'site', id });
        return single(c, siteLayer([]), row) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections/roads/items',
        operationId: 'listOgcRoadItems',
        tags: ['ogc'],
        summary: 'Damaged road segments as GeoJSON lines with Chinese attributes, filtered like /api/roads, paged with next links',
        request: { query: RoadItemsQuery },
        responses: { 200: { description: 'A page of road segments.', content: { [GEOJSON]: { schema: Items } } }, ...errorResponses(400) },
      }),
      (c) => {
        refuseUnknown(c, RoadItemsQuery);
        const query = c.req.valid('query');
        const limit = parseOgcLimit(query.limit);
        const { afterId } = parsePage(undefined, query.cursor);
        const bbox = parseBbox(query.bbox);
        const drawn = parseBool('drawn', query.drawn);
        if (bbox && drawn === false)
          throw badRequest('bad_parameter', 'drawn: false cannot be combined with bbox: undrawn segments have no line', {
            parameter: 'drawn',
            reason: 'not_combinable',
            other: 'bbox',
          });
        const matching = listRoadRecords(ctx, {
          statuses: parseRoadStatuses(query.status),
          counties: parseCounties(query.county, ctx.countyCodes),
          asOf: parseDate('asOf', query.asOf),
          drawn,
        }).filter((road) => {
          if (!bbox) return true;
          if (!road.geometry) return false;
          const [minLon, minLat, maxLon, maxLat] = lineBbox(road.geometry);
          return minLon <= bbox[2] && maxLon >= bbox[0] && minLat <= bbox[3] && maxLat >= bbox[1];
        });
        const rows = matching.filter((road) => afterId === undefined || road.id > afterId).slice(0, limit + 1);
        return page(c, roadLayer([]), rows, limit, matching.length) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections/roads/items/{featureId}',
        operationId: 'getOgcRoadItem',
        tags: ['ogc'],
        summary: 'One damaged road segment as a GeoJSON feature with Chinese attributes',
        request: { params: FeatureParams },
        responses: { 200: { description: 'The segment.', content: { [GEOJSON]: { schema: Items.shape.features.element } } }, ...errorResponses(404) },
      }),
      (c) => {
        const id = featureId(c.req.valid('param').featureId);
        const row = listRoadRecords(ctx, {}).find((road) => road.id === id);
        if (!row) throw notFound(`road segment ${id} does not exist`, { kind: 'road', id });
        return single(c, roadLayer([]), row) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/ogc/collections/{collectionId}',
        operationId: 'getOgcCollection',
        tags: ['ogc'],
        summary: 'One collection: sites or roads',
        request: { params: CollectionParams },
        responses: { 200: { description: 'The collection.', content: { [JSON_TYPE]: { schema: Collection } } }, ...errorResponses(404) },
      }),
      (c) => {
        const id = c.req.valid('param').collectionId;
        if (!(id in COLLECTIONS)) throw notFound(`no collection "${id}"; collections: ${Object.keys(COLLECTIONS).join(', ')}`, { kind: 'collection', id });
        return geoJson(c, collection(c, id as CollectionId), JSON_TYPE) as never;
      },
    );
}
