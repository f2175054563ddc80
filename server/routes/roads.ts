// /api/roads: damaged road segments (lines) and their repair statuses.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { LineString } from 'geojson';
import type { AppContext } from '../context.ts';
import { countyOfLine as lineCounty } from '../geo/locate-line.ts';
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
import { appendAudit } from '../auth/audit.ts';
import { actorName, auditActor } from '../auth/guard.ts';


function roadId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id)) throw badRequest('bad_parameter', `id: "${param}" is not a road segment id`, { parameter: 'id', reason: 'not_whole_number', value: param });
  return id;
}

/** The county of a line: the one holding its midpoint (along the line); refused when outside every county. */
function countyOfLineOrRefuse(ctx: AppContext, geometry: LineString): string {
  const county = lineCounty(ctx.locator, geometry);
  if (!county) throw unprocessable('outside_counties', 'geometry: the segment’s midpoint is outside every county of the map', { field: 'geometry' });
  return county;
}

/** What the audit trail keeps of a road segment: its properties and line, without the history. */
function roadSnapshot(ctx: AppContext, id: number) {
  const { properties, geometry } = getRoad(ctx.db, id);
  return { properties, geometry };
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
        if (body.geometry) county = countyOfLineOrRefuse(ctx, body.geometry);
        else if (!county) throw badRequest('bad_field', 'county: required when no geometry is given', { field: 'county', reason: 'required' });
        else if (!ctx.countyCodes.has(county)) throw badRequest('bad_field', `county: unknown county code "${county}"`, { field: 'county', reason: 'unknown_county', value: county });
        if (body.task != null && !ctx.db.get('SELECT 1 FROM tasks WHERE number = ?', [body.task]))
          throw badRequest('bad_field', `task: the plan has no task ${body.task} (tasks 1–31)`, { field: 'task', reason: 'out_of_range', value: body.task, minimum: 1, maximum: 31 });
        if (body.reportedOn > ctx.today()) throw unprocessable('event_date_in_future', `reportedOn ${body.reportedOn} is in the future`, { field: 'reportedOn', date: body.reportedOn, today: ctx.today() });
        const id = ctx.db.transaction(() => {
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
          actor: actorName(c),
          });
          appendAudit(ctx.db, { ...auditActor(c), action: 'road.create', target: `road:${id}`, counties: [county], before: null, after: roadSnapshot(ctx, id) });
          return id;
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
        ctx.db.transaction(() => {
          const before = roadSnapshot(ctx, id);
          addRoadEvent(ctx.db, id, { to: body.to, date: body.date, actor: actorName(c), note: body.note }, { today: ctx.today() });
          const after = roadSnapshot(ctx, id);
          appendAudit(ctx.db, { ...auditActor(c), action: 'road.status', target: `road:${id}`, counties: [after.properties.county], before, after: { ...after, event: body } });
        });
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
        const county = countyOfLineOrRefuse(ctx, body.geometry);
        ctx.db.transaction(() => {
          const before = roadSnapshot(ctx, id);
          setRoadGeometry(ctx.db, id, { geometry: body.geometry, countyCode: county, date: body.date ?? ctx.today(), actor: actorName(c), note: body.note }, { today: ctx.today() });
          appendAudit(ctx.db, { ...auditActor(c), action: 'road.geometry', target: `road:${id}`, counties: [before.properties.county, county], before, after: roadSnapshot(ctx, id) });
        });
        return c.json(getRoad(ctx.db, id), 200);
      },
    );
}
