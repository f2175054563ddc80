// /api/roads: damaged road segments (lines) and their repair statuses.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { getRoad, listRoads } from '../store/road-store.ts';
import { createRoad, drawRoad, editRoad, moveRoadStatus } from '../services/roads.ts';
import { actorOf } from './actor.ts';
import { parseBool, parseCounties, parseDate, parseRoadStatuses } from './query-params.ts';
import {
  IdParam,
  NewRoadBody,
  NewRoadEventBody,
  RoadCollection,
  RoadDetail,
  RoadGeometryBody,
  RoadPatchBody,
  RoadQuery,
  errorResponses,
  jsonContent as json,
} from './schemas.ts';
import { validationHook } from './validation.ts';

function roadId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id))
    throw badRequest('bad_parameter', `id: "${param}" is not a road segment id`, { parameter: 'id', reason: 'not_whole_number', value: param });
  return id;
}

export function roadRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/roads',
        operationId: 'listRoads',
        tags: ['roads'],
        summary: 'Damaged road segments as GeoJSON LineStrings (geometry null while undrawn)',
        request: { query: RoadQuery },
        responses: { 200: json(RoadCollection, 'A FeatureCollection of road segments.'), ...errorResponses(400) },
      }),
      (c) => {
        const query = c.req.valid('query');
        const features = listRoads(ctx.db, {
          statuses: parseRoadStatuses(query.status),
          counties: parseCounties(query.county, ctx.countyCodes),
          asOf: parseDate('asOf', query.asOf),
          drawn: parseBool('drawn', query.drawn),
        });
        return c.json({ type: 'FeatureCollection' as const, features }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/roads/{id}',
        operationId: 'getRoad',
        tags: ['roads'],
        summary: 'One road segment with its history',
        request: { params: IdParam },
        responses: { 200: json(RoadDetail, 'The segment.'), ...errorResponses(400, 404) },
      }),
      (c) => c.json(getRoad(ctx.db, roadId(c.req.valid('param').id)), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/roads',
        operationId: 'createRoad',
        tags: ['roads'],
        summary: 'Report a damaged road segment',
        description: 'With a geometry the county is the one holding the segment’s midpoint; without one, `county` is required.',
        request: { body: { required: true, content: { 'application/json': { schema: NewRoadBody } } } },
        responses: { 201: json(RoadDetail, 'The created segment.'), ...errorResponses(400, 413, 415, 422) },
      }),
      (c) => {
        const body = c.req.valid('json');
        const id = createRoad(ctx, actorOf(c), body);
        return c.json(getRoad(ctx.db, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/roads/{id}/events',
        operationId: 'recordRoadEvent',
        tags: ['roads'],
        summary: 'Move a road segment’s repair status (reported → scheduled → repairing → repaired)',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewRoadEventBody } } } },
        responses: { 201: json(RoadDetail, 'The segment after the move.'), ...errorResponses(400, 404, 409, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        moveRoadStatus(ctx, actorOf(c), id, body);
        return c.json(getRoad(ctx.db, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/roads/{id}/geometry',
        operationId: 'drawRoad',
        tags: ['roads'],
        summary: 'Draw (or redraw) a road segment as a line',
        description:
          'The segment’s county becomes `county` (the county responsible) or else the county holding the line’s midpoint; when that changes the county (an unassigned segment, or one drawn elsewhere) an assignment is recorded in its history and the audit trail (`road.assign`). County officials may draw only segments of their counties or unassigned ones, only inside their counties, and assign only to their counties.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RoadGeometryBody } } } },
        responses: { 200: json(RoadDetail, 'The drawn segment.'), ...errorResponses(400, 404, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        drawRoad(ctx, actorOf(c), id, body);
        return c.json(getRoad(ctx.db, id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/roads/{id}',
        operationId: 'updateRoad',
        tags: ['roads'],
        summary: 'Edit a road segment’s attributes; needs the version read',
        description:
          'A stale `version` gets 409 `stale_version` with who changed the segment last and when (details.changedBy, details.changedAt); nothing is written. A new `county` is recorded as an assignment. Status moves go through POST /roads/{id}/events and the line through PUT /roads/{id}/geometry.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RoadPatchBody } } } },
        responses: { 200: json(RoadDetail, 'The edited segment.'), ...errorResponses(400, 404, 409, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const { version, ...patch } = c.req.valid('json');
        editRoad(ctx, actorOf(c), id, version, patch);
        return c.json(getRoad(ctx.db, id), 200);
      },
    );
}
