// /api/sites: list, detail, create, edit, status moves and placement (the writes are server/services/sites.ts).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import type { Db } from '../db/database.ts';
import type { SiteFilters } from '../store/site-filters.ts';
import { listSiteFeatures, siteEvents, siteFeatureJson, siteInspections, siteNote, siteTasks, type Page } from '../store/site-queries.ts';
import { createSite, editSite, moveSiteStatus, placeSite } from '../services/sites.ts';
import { actorOf } from './actor.ts';
import { encodeCursor, parsePage, parseSiteFilters } from './query-params.ts';
import { ResponseCache } from '../store/response-cache.ts';
import { cachedJson } from './wire.ts';
import {
  IdParam,
  LocationBody,
  LocationResult,
  NewEventBody,
  NewSiteBody,
  SiteCollection,
  SiteDetail,
  SiteEvent,
  SiteFeature,
  SitePatchBody,
  SiteQuery,
  errorResponses,
  jsonContent as json,
} from './schemas.ts';
import { validationHook } from './validation.ts';
import { recordProvenance } from '../store/provenance.ts';

type Json<T extends z.ZodType, S extends 200 | 201> = TypedResponse<z.infer<T>, S, 'json'>;

/** Sends JSON text built elsewhere (in SQL) while keeping the route's response type for the client. */
function jsonText<T extends z.ZodType, S extends 200 | 201 = 200>(text: string, status: S = 200 as S): Json<T, S> {
  return new Response(text, { status, headers: { 'content-type': 'application/json; charset=utf-8' } }) as unknown as Json<T, S>;
}

const SiteEventResult = z.object({ event: SiteEvent, site: SiteFeature }).openapi('SiteEventResult');

/**
 * The most sites one answer of GET /api/sites holds (~6 MB of JSON): without `limit`, or with a larger
 * one, a page of this many and `nextCursor`. No request builds an answer the size of the database.
 */
export const SITES_PAGE_MAX = 10_000;

/** The body of GET /api/sites: one page of the filtered sites as a FeatureCollection, with the cursor to the next. */
export function sitesPageText(db: Db, filters: SiteFilters, page: Page): string {
  const result = listSiteFeatures(db, filters, page);
  const cursor = result.nextAfterId === null ? 'null' : JSON.stringify(encodeCursor(result.nextAfterId));
  return `{"type":"FeatureCollection","features":[${result.features.join(',')}],"nextCursor":${cursor}}`;
}

function siteId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id))
    throw badRequest('bad_parameter', `id: "${param}" is not a site id`, { parameter: 'id', reason: 'not_whole_number', value: param });
  return id;
}

function requireSiteFeature(ctx: AppContext, id: number): string {
  const feature = siteFeatureJson(ctx.db, id);
  if (!feature) throw notFound(`site ${id} does not exist`, { kind: 'site', id });
  return feature;
}

export function siteRoutes(ctx: AppContext) {
  const cache = new ResponseCache(ctx.db, ['sites']);
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/sites',
        operationId: 'listSites',
        tags: ['sites'],
        summary: 'List sites as GeoJSON points',
        description: `All filters combine. Unlocated sites have geometry null; a bbox leaves them out and located=false lists only them. Ordered by id, at most ${SITES_PAGE_MAX} per page (also without \`limit\`, or with a larger one); page on with \`cursor\` = \`nextCursor\`.`,
        request: { query: SiteQuery },
        responses: { 200: json(SiteCollection, 'A FeatureCollection of sites.'), ...errorResponses(400) },
      }),
      (c) => {
        const query = c.req.valid('query');
        const filters = parseSiteFilters(query, ctx.countyCodes);
        const asked = parsePage(query.limit, query.cursor);
        const page = { ...asked, limit: Math.min(asked.limit ?? SITES_PAGE_MAX, SITES_PAGE_MAX) };
        const answer = cachedJson(c, cache, JSON.stringify([filters, page]), () => sitesPageText(ctx.db, filters, page));
        return answer as unknown as Json<typeof SiteCollection, 200>;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/sites/{id}',
        operationId: 'getSite',
        tags: ['sites'],
        summary: 'One site with its full status history, inspections and linked plan tasks',
        request: { params: IdParam },
        responses: { 200: json(SiteDetail, 'The site.'), ...errorResponses(400, 404) },
      }),
      (c) => {
        const id = siteId(c.req.valid('param').id);
        const feature = JSON.parse(requireSiteFeature(ctx, id));
        const detail = {
          ...feature,
          note: siteNote(ctx.db, id),
          provenance: recordProvenance(ctx.db, 'sites', id),
          events: siteEvents(ctx.db, id),
          inspections: siteInspections(ctx.db, id),
          tasks: siteTasks(ctx.db, id),
        };
        return c.json(detail as z.infer<typeof SiteDetail>, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/sites',
        operationId: 'createSite',
        tags: ['sites'],
        summary: 'Create a site; its county is the polygon that holds its position',
        request: { body: { required: true, content: { 'application/json': { schema: NewSiteBody } } } },
        responses: { 201: json(SiteFeature, 'The created site.'), ...errorResponses(400, 413, 415, 422) },
      }),
      (c) => {
        const body = c.req.valid('json');
        const id = createSite(ctx, actorOf(c), body);
        return jsonText<typeof SiteFeature, 201>(requireSiteFeature(ctx, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/sites/{id}',
        operationId: 'updateSite',
        tags: ['sites'],
        summary: 'Edit a site’s attributes; needs the version read (body or If-Match)',
        description: 'Status moves go through POST /sites/{id}/events and positions through PUT /sites/{id}/location.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: SitePatchBody } } } },
        responses: { 200: json(SiteFeature, 'The edited site.'), ...errorResponses(400, 404, 409, 413, 415) },
      }),
      (c) => {
        const id = siteId(c.req.valid('param').id);
        const { version: bodyVersion, ...patch } = c.req.valid('json');
        const header = c.req.header('If-Match')?.replace(/^W\//, '').replace(/"/g, '').trim();
        const version = bodyVersion ?? (header && /^\d+$/.test(header) ? Number(header) : undefined);
        if (version === undefined) throw badRequest('version_required', 'version: send the version you read, in the body or as If-Match', { field: 'version' });
        editSite(ctx, actorOf(c), id, version, patch);
        return jsonText<typeof SiteFeature>(requireSiteFeature(ctx, id));
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/sites/{id}/events',
        operationId: 'recordSiteEvent',
        tags: ['sites'],
        summary: 'Move a site’s status',
        description:
          'Allowed moves: discovered → rectifying|closed|upgraded|relocated; rectifying → closed|upgraded|relocated; closed|upgraded|relocated → verified|relapsed; verified → relapsed; relapsed → rectifying|closed; and from any of these → voided (已撤销（误录）, admins only, 403 otherwise, with the reason in `note`, else 422; terminal). Others get 409. A move to closed needs the whole 两断三清 checklist (fuel points also tanksSealed), else 422. The date may not precede the last event nor lie in the future (422).',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewEventBody } } } },
        responses: {
          201: json(SiteEventResult, 'The event and the site after it.'),
          ...errorResponses(400, 404, 409, 413, 415, 422),
        },
      }),
      (c) => {
        const id = siteId(c.req.valid('param').id);
        const body = c.req.valid('json');
        const eventId = moveSiteStatus(ctx, actorOf(c), id, body);
        const event = siteEvents(ctx.db, id).find((e) => e.id === eventId)!;
        return c.json({ event, site: JSON.parse(requireSiteFeature(ctx, id)) } as z.infer<typeof SiteEventResult>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/sites/{id}/location',
        operationId: 'placeSite',
        tags: ['sites'],
        summary: 'Place or move a site on the map',
        description: 'The county is recomputed from the new position; `countyChanged` says when it changed. The move is recorded in the site’s history.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: LocationBody } } } },
        responses: { 200: json(LocationResult, 'The placed site.'), ...errorResponses(400, 404, 413, 415, 422) },
      }),
      (c) => {
        const id = siteId(c.req.valid('param').id);
        const body = c.req.valid('json');
        const { previousCounty, county } = placeSite(ctx, actorOf(c), id, body);
        const result = {
          site: JSON.parse(requireSiteFeature(ctx, id)),
          countyChanged: previousCounty === county ? null : { from: previousCounty, to: county },
        };
        return c.json(result as z.infer<typeof LocationResult>, 200);
      },
    );
}
