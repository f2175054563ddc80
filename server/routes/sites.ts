// /api/sites: list, detail, create, edit, status moves and placement.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, notFound, unprocessable } from '../errors.ts';
import { roundCoordinate } from '../../domain/error-codes.ts';
import { listSiteFeatures, siteEvents, siteFeatureJson, siteInspections, siteNote, siteTasks } from '../store/site-queries.ts';
import { addSiteEvent, insertSite, patchSite, resolveTownship, resolveVillage, setSiteLocation } from '../store/site-mutations.ts';
import { encodeCursor, parsePage, parseSiteFilters } from './query-params.ts';
import { ResponseCache } from '../store/response-cache.ts';
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
import { appendAudit } from '../auth/audit.ts';
import { listAudit } from '../store/audit-store.ts';
import { refusal } from '../../domain/roles.ts';
import { VOIDED } from '../../domain/statuses.ts';
import { actorName, auditActor } from '../auth/guard.ts';
import { recordProvenance } from '../store/provenance.ts';

type Json<T extends z.ZodType, S extends 200 | 201> = TypedResponse<z.infer<T>, S, 'json'>;

/** Sends JSON text built elsewhere (in SQL) while keeping the route's response type for the client. */
function jsonText<T extends z.ZodType, S extends 200 | 201 = 200>(text: string, status: S = 200 as S): Json<T, S> {
  return new Response(text, { status, headers: { 'content-type': 'application/json; charset=utf-8' } }) as unknown as Json<T, S>;
}


const SiteEventResult = z.object({ event: SiteEvent, site: SiteFeature }).openapi('SiteEventResult');

function siteId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id)) throw badRequest('bad_parameter', `id: "${param}" is not a site id`, { parameter: 'id', reason: 'not_whole_number', value: param });
  return id;
}

function requireSiteFeature(ctx: AppContext, id: number): string {
  const feature = siteFeatureJson(ctx.db, id);
  if (!feature) throw notFound(`site ${id} does not exist`, { kind: 'site', id });
  return feature;
}

/** What the audit trail keeps of a site before and after a write: its feature properties and position. */
function siteSnapshot(ctx: AppContext, id: number): { properties: Record<string, unknown>; geometry: unknown } | null {
  const feature = siteFeatureJson(ctx.db, id);
  if (!feature) return null;
  const { properties, geometry } = JSON.parse(feature) as { properties: Record<string, unknown>; geometry: unknown };
  return { properties, geometry };
}

/**
 * A stale-version 409 that says who changed the site since and when (its newest audit record) and
 * what it holds now, so the page can show both values and nothing is lost silently.
 */
function staleWithChange(ctx: AppContext, id: number, error: AppError): AppError {
  const [last] = listAudit(ctx.db, { target: `site:${id}`, limit: 1 }).records;
  const current = siteSnapshot(ctx, id);
  return new AppError(409, error.code, last ? `${error.message}; last changed by ${last.actor} at ${last.at}` : error.message, {
    ...error.details,
    changedBy: last?.actor ?? null,
    changedAt: last?.at ?? null,
    now: current ? { ...current.properties, note: siteNote(ctx.db, id) } : null,
  });
}

function locateOrRefuse(ctx: AppContext, lon: number, lat: number): string {
  const county = ctx.locator.locate(lon, lat);
  if (!county)
    throw unprocessable('outside_counties', `position ${roundCoordinate(lon)},${roundCoordinate(lat)} is outside every county of the map; check the coordinates and their system (WGS84 expected)`, {
      fields: ['lon', 'lat'],
      lon: roundCoordinate(lon),
      lat: roundCoordinate(lat),
    });
  return county;
}

export function siteRoutes(ctx: AppContext) {
  const cache = new ResponseCache(ctx.db);
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/sites',
        operationId: 'listSites',
        tags: ['sites'],
        summary: 'List sites as GeoJSON points',
        description:
          'All filters combine. Unlocated sites have geometry null; a bbox leaves them out and located=false lists only them. Ordered by id; with `limit`, page on with `cursor`.',
        request: { query: SiteQuery },
        responses: { 200: json(SiteCollection, 'A FeatureCollection of sites.'), ...errorResponses(400) },
      }),
      (c) => {
        const query = c.req.valid('query');
        const filters = parseSiteFilters(query, ctx.countyCodes);
        const page = parsePage(query.limit, query.cursor);
        const text = cache.get(JSON.stringify([filters, page]), () => {
          const result = listSiteFeatures(ctx.db, filters, page);
          const cursor = result.nextAfterId === null ? 'null' : JSON.stringify(encodeCursor(result.nextAfterId));
          return `{"type":"FeatureCollection","features":[${result.features.join(',')}],"nextCursor":${cursor}}`;
        });
        return jsonText<typeof SiteCollection>(text);
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
        const detail = { ...feature, note: siteNote(ctx.db, id), provenance: recordProvenance(ctx.db, 'sites', id), events: siteEvents(ctx.db, id), inspections: siteInspections(ctx.db, id), tasks: siteTasks(ctx.db, id) };
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
        const county = locateOrRefuse(ctx, body.lon, body.lat);
        if (body.discoveredOn > ctx.today())
          throw unprocessable('event_date_in_future', `discoveredOn ${body.discoveredOn} is in the future`, { field: 'discoveredOn', date: body.discoveredOn, today: ctx.today() });
        const id = ctx.db.transaction(() => {
          const township = resolveTownship(ctx.db, county, body.township);
          const id = insertSite(ctx.db, {
            name: body.name,
            category: body.category,
            sector: body.sector ?? null,
            address: body.address ?? null,
            countyCode: county,
            townshipCode: township,
            villageCode: resolveVillage(ctx.db, township, body.village),
            managingZone: body.managingZone ?? null,
            lon: body.lon,
            lat: body.lat,
            precision: body.precision ?? 'exact',
            source: body.source ?? 'real',
            discoveredOn: body.discoveredOn,
            deadline: body.deadline ?? null,
            responsibleUnit: body.responsibleUnit ?? null,
            note: body.note ?? null,
            actor: actorName(c),
          });
          appendAudit(ctx.db, { ...auditActor(c), action: 'site.create', target: `site:${id}`, counties: [county], before: null, after: siteSnapshot(ctx, id) });
          return id;
        });
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
        if (version === undefined)
          throw badRequest('version_required', 'version: send the version you read, in the body or as If-Match', { field: 'version' });
        try {
          ctx.db.transaction(() => {
            const before = siteSnapshot(ctx, id);
            patchSite(ctx.db, id, version, patch);
            const after = siteSnapshot(ctx, id);
            appendAudit(ctx.db, { ...auditActor(c), action: 'site.edit', target: `site:${id}`, counties: [String(after?.properties.county)], before, after });
          });
        } catch (error) {
          throw error instanceof AppError && error.code === 'stale_version' ? staleWithChange(ctx, id, error) : error;
        }
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
        const principal = c.get('principal');
        if (body.to === VOIDED && refusal(principal, 'voidSites') !== null)
          throw new AppError(403, 'forbidden', `only an admin may void a site (move it to ${VOIDED}); ${principal.username} is ${principal.role}`, { field: 'to' });
        const eventId = ctx.db.transaction(() => {
          const before = siteSnapshot(ctx, id);
          const eventId = addSiteEvent(
            ctx.db,
            id,
            { to: body.to, date: body.date, actor: actorName(c), note: body.note ?? null, checklist: body.checklist ?? null, evidence: body.evidence ?? undefined },
            { today: ctx.today() },
          );
          const after = siteSnapshot(ctx, id);
          appendAudit(ctx.db, { ...auditActor(c), action: 'site.status', target: `site:${id}`, counties: [String(after?.properties.county)], before, after: { ...after, event: body } });
          return eventId;
        });
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
        const county = locateOrRefuse(ctx, body.lon, body.lat);
        const { previousCounty } = ctx.db.transaction(() => {
          const before = siteSnapshot(ctx, id);
          const moved = setSiteLocation(
            ctx.db,
            id,
            { lon: body.lon, lat: body.lat, countyCode: county, precision: body.precision ?? 'exact', date: body.date ?? ctx.today(), actor: actorName(c), note: body.note ?? null },
            { today: ctx.today() },
          );
          appendAudit(ctx.db, { ...auditActor(c), action: 'site.move', target: `site:${id}`, counties: [moved.previousCounty, county], before, after: siteSnapshot(ctx, id) });
          return moved;
        });
        const result = {
          site: JSON.parse(requireSiteFeature(ctx, id)),
          countyChanged: previousCounty === county ? null : { from: previousCounty, to: county },
        };
        return c.json(result as z.infer<typeof LocationResult>, 200);
      },
    );
}
