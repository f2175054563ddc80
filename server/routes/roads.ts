// /api/roads: damaged road segments (lines) and their repair statuses.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { LineString } from 'geojson';
import type { AppContext } from '../context.ts';
import { countyOfLine as lineCounty } from '../geo/locate-line.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addRoadEvent, getRoad, insertRoad, listRoads, patchRoad, setRoadGeometry } from '../store/road-store.ts';
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

/** A county code the map knows, else 422 naming the field. */
function knownCounty(ctx: AppContext, county: string): string {
  if (!ctx.countyCodes.has(county)) throw unprocessable('unknown_county', `county: the map has no county ${county}`, { field: 'county', county });
  return county;
}

/** Every photo of a move must have been uploaded (POST /api/photos) before it is referenced. */
function checkPhotos(ctx: AppContext, evidence: readonly string[] | null | undefined) {
  (evidence ?? []).forEach((entry, index) => {
    const ref = entry.slice('photo/'.length);
    if (!existsSync(join(ctx.photoDir, ref))) throw unprocessable('unknown_photo', `evidence[${index}]: no photo ${ref} was uploaded`, { field: 'evidence', index, ref });
  });
}

/** The audit record of an assignment (the responsible county set or changed), beside the write's own. */
function auditAssignment(ctx: AppContext, c: Parameters<typeof auditActor>[0], id: number, before: ReturnType<typeof roadSnapshot>, assignment: number | null) {
  if (assignment === null) return;
  const after = getRoad(ctx.db, id).properties.county;
  appendAudit(ctx.db, {
    ...auditActor(c),
    action: 'road.assign',
    target: `road:${id}`,
    counties: [before.properties.county, after].filter((code): code is string => code !== null),
    before: { county: before.properties.county },
    after: { county: after, assignment },
  });
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
        operationId: 'recordRoadEvent',
        tags: ['roads'],
        summary: 'Move a road segment’s repair status (reported → scheduled → repairing → repaired)',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewRoadEventBody } } } },
        responses: { 201: json(RoadDetail, 'The segment after the move.'), ...errorResponses(400, 404, 409, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        checkPhotos(ctx, body.evidence);
        ctx.db.transaction(() => {
          const before = roadSnapshot(ctx, id);
          addRoadEvent(ctx.db, id, { to: body.to, date: body.date, actor: actorName(c), note: body.note, evidence: body.evidence }, { today: ctx.today() });
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
        operationId: 'drawRoad',
        tags: ['roads'],
        summary: 'Draw (or redraw) a road segment as a line',
        description: 'The segment’s county becomes `county` (the county responsible) or else the county holding the line’s midpoint; when that changes the county (an unassigned segment, or one drawn elsewhere) an assignment is recorded in its history and the audit trail (`road.assign`). County officials may draw only segments of their counties or unassigned ones, only inside their counties, and assign only to their counties.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RoadGeometryBody } } } },
        responses: { 200: json(RoadDetail, 'The drawn segment.'), ...errorResponses(400, 404, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const body = c.req.valid('json');
        const lineCounty = countyOfLineOrRefuse(ctx, body.geometry);
        const county = body.county ? knownCounty(ctx, body.county) : lineCounty;
        ctx.db.transaction(() => {
          const before = roadSnapshot(ctx, id);
          const assignment = setRoadGeometry(ctx.db, id, { geometry: body.geometry, countyCode: county, date: body.date ?? ctx.today(), actor: actorName(c), note: body.note }, { today: ctx.today() });
          const counties = [...new Set([before.properties.county, lineCounty, county].filter((code): code is string => code !== null))];
          appendAudit(ctx.db, { ...auditActor(c), action: 'road.geometry', target: `road:${id}`, counties, before, after: roadSnapshot(ctx, id) });
          auditAssignment(ctx, c, id, before, assignment);
        });
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
        description: 'A stale `version` gets 409 `stale_version` with who changed the segment last and when (details.changedBy, details.changedAt); nothing is written. A new `county` is recorded as an assignment. Status moves go through POST /roads/{id}/events and the line through PUT /roads/{id}/geometry.',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: RoadPatchBody } } } },
        responses: { 200: json(RoadDetail, 'The edited segment.'), ...errorResponses(400, 404, 409, 413, 415, 422) },
      }),
      (c) => {
        const id = roadId(c.req.valid('param').id);
        const { version, ...patch } = c.req.valid('json');
        if (patch.county !== undefined) knownCounty(ctx, patch.county);
        ctx.db.transaction(() => {
          const before = roadSnapshot(ctx, id);
          const assignmentsBefore = getRoad(ctx.db, id).events.filter((e) => e.kind === 'assignment').length;
          patchRoad(ctx.db, id, version, patch, actorName(c), { today: ctx.today() });
          const after = getRoad(ctx.db, id);
          const assignments = after.events.filter((e) => e.kind === 'assignment');
          const counties = [...new Set([before.properties.county, after.properties.county].filter((code): code is string => code !== null))];
          appendAudit(ctx.db, { ...auditActor(c), action: 'road.edit', target: `road:${id}`, counties, before, after: { properties: after.properties, geometry: after.geometry } });
          auditAssignment(ctx, c, id, before, assignments.length > assignmentsBefore ? assignments[assignments.length - 1]!.id : null);
        });
        return c.json(getRoad(ctx.db, id), 200);
      },
    );
}
