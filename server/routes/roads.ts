// /api/roads: damaged road segments (lines) and their repair statuses.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { along, length, lineString } from '@turf/turf';
import type { LineString } from 'geojson';
import type { AppContext } from '../context.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { addRoadEvent, getRoad, insertRoad, listRoads, setRoadGeometry } from '../store/road-store.ts';
import { parseBool, parseCounties, parseDate, parseRoadStatuses } from './query-params.ts';
import {
  IdParam,
  NewRoadBody,
  NewRoadEventBody,
  RoadCollection,
  RoadDetail,
  RoadGeometryBody,
  RoadQuery,
  errorResponses,
  jsonContent as json,
} from './schemas.ts';
import { validationHook } from './validation.ts';


function roadId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id)) throw badRequest('bad_parameter', `id: "${param}" is not a road segment id`, { parameter: 'id' });
  return id;
}

/** The county of a line: the one holding its midpoint (along the line); refused when outside every county. */
function countyOfLine(ctx: AppContext, geometry: LineString): string {
  const line = lineString(geometry.coordinates);
  const middle = along(line, length(line) / 2).geometry.coordinates;
  const county = ctx.locator.locate(middle[0]!, middle[1]!);
  if (!county) throw unprocessable('outside_counties', 'geometry: the segment’s midpoint is outside every county of the map', { field: 'geometry' });
  return county;
}

export function roadRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/roads',
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
        tags: ['roads'],
        summary: 'Report a damaged road segment',
        description: 'With a geometry the county is the one holding the segment’s midpoint; without one, `county` is required.',
        request: { body: { required: true, content: { 'application/json': { schema: NewRoadBody } } } },
        responses: { 201: json(RoadDetail, 'The created segment.'), ...errorResponses(400, 413, 415, 422) },
      }),
      (c) => {
        const body = c.req.valid('json');
        let county: string | null = body.county ?? null;
        if (body.geometry) county = countyOfLine(ctx, body.geometry);
        else if (!county) throw badRequest('bad_field', 'county: required when no geometry is given', { field: 'county' });
        else if (!ctx.countyCodes.has(county)) throw badRequest('bad_field', `county: unknown county code "${county}"`, { field: 'county' });
        if (body.task != null && !ctx.db.get('SELECT 1 FROM tasks WHERE number = ?', [body.task]))
          throw badRequest('bad_field', `task: the plan has no task ${body.task} (tasks 1–31)`, { field: 'task' });
        if (body.reportedOn > ctx.today()) throw unprocessable('event_date_in_future', `reportedOn ${body.reportedOn} is in the future`, { field: 'reportedOn' });
        const id = insertRoad(ctx.db, {
          roadName: body.roadName,
          fromDesc: body.fromDesc,
          toDesc: body.toDesc,
          severity: body.severity,
          responsibleUnit: body.responsibleUnit,
          deadline: body.deadline,
          countyCode: county,
          geometry: body.geometry ?? null,
          reportedOn: body.reportedOn,
          task: body.task,
          note: body.note,
          source: body.source ?? 'real',
          actor: body.actor ?? 'api',
        });
        return c.json(getRoad(ctx.db, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/roads/{id}/events',
        tags: ['roads'],
        summary: 'Move a road segment’s repair status (reported → scheduled → repairing → repaired)',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewRoadEventBody } } } },
        responses: { 201: json(RoadDetail, 'The segment after the move.'), ...errorResponses(400, 404, 409, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        addRoadEvent(ctx.db, id, { to: body.to, date: body.date, actor: body.actor ?? 'api', note: body.note }, { today: ctx.today() });
        return c.json(getRoad(ctx.db, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/roads/{id}/geometry',
        tags: ['roads'],
        summary: 'Draw (or redraw) a road segment as a line',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RoadGeometryBody } } } },
        responses: { 200: json(RoadDetail, 'The drawn segment.'), ...errorResponses(400, 404, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        setRoadGeometry(
          ctx.db,
          id,
          { geometry: body.geometry, countyCode: countyOfLine(ctx, body.geometry), date: body.date ?? ctx.today(), actor: body.actor ?? 'api', note: body.note },
          { today: ctx.today() },
        );
        return c.json(getRoad(ctx.db, id), 200);
      },
    );
}
