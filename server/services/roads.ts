// Use cases on road segments: report, move the repair status, draw, edit (with assignment to a
// county). Each checks, writes and appends its audit records in one transaction.
import type { LineString } from 'geojson';
import { badRequest, unprocessable } from '../errors.ts';
import type { RecordSource, RoadStatusCode } from '../../domain/statuses.ts';
import { countyOfLine } from '../geo/locate-line.ts';
import { appendAudit } from '../auth/audit.ts';
import { addRoadEvent, getRoad, insertRoad, patchRoad, setRoadGeometry, type NewRoad, type RoadPatch } from '../store/road-store.ts';
import { taskExists } from '../store/task-store.ts';
import { checkPhotos } from './photos.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** A new segment as a caller gives it: with a geometry its county is the one holding the midpoint, else `county` is required. */
export interface NewRoadInput extends Omit<NewRoad, 'countyCode' | 'geometry' | 'source' | 'actor' | 'seedKey'> {
  county?: string | null;
  geometry?: LineString | null;
  source?: RecordSource;
}

export interface RoadStatusMove {
  to: RoadStatusCode;
  date: string;
  note?: string | null;
  evidence?: string[] | null;
}

export interface RoadDrawing {
  geometry: LineString;
  /** The county responsible; default the county holding the line's midpoint. */
  county?: string | null;
  /** Default today. */
  date?: string;
  note?: string | null;
}

/** The county of a line: the one holding its midpoint (along the line); refused when outside every county. */
function countyOfLineOrRefuse(ctx: ServiceContext, geometry: LineString): string {
  const county = countyOfLine(ctx.locator, geometry);
  if (!county) throw unprocessable('outside_counties', 'geometry: the segment’s midpoint is outside every county of the map', { field: 'geometry' });
  return county;
}

/** A county code the map knows, else 422 naming the field. */
function knownCounty(ctx: ServiceContext, county: string): string {
  if (!ctx.countyCodes.has(county)) throw unprocessable('unknown_county', `county: the map has no county ${county}`, { field: 'county', county });
  return county;
}

/** What the audit trail keeps of a road segment: its properties and line, without the history. */
function roadSnapshot(ctx: ServiceContext, id: number) {
  const { properties, geometry } = getRoad(ctx.db, id);
  return { properties, geometry };
}

/** The audit record of an assignment (the responsible county set or changed), beside the write's own. */
function auditAssignment(ctx: ServiceContext, actor: Actor, id: number, before: ReturnType<typeof roadSnapshot>, assignment: number | null) {
  if (assignment === null) return;
  const after = getRoad(ctx.db, id).properties.county;
  appendAudit(ctx.db, {
    ...auditBy(actor),
    action: 'road.assign',
    target: `road:${id}`,
    counties: [before.properties.county, after].filter((code): code is string => code !== null),
    before: { county: before.properties.county },
    after: { county: after, assignment },
  });
}

const distinctCounties = (codes: readonly (string | null)[]) => [...new Set(codes.filter((code): code is string => code !== null))];

/** Reports a damaged segment; returns its id. */
export function createRoad(ctx: ServiceContext, actor: Actor, road: NewRoadInput): number {
  let county: string | null = road.county ?? null;
  if (road.geometry) county = countyOfLineOrRefuse(ctx, road.geometry);
  else if (!county) throw badRequest('bad_field', 'county: required when no geometry is given', { field: 'county', reason: 'required' });
  else if (!ctx.countyCodes.has(county))
    throw badRequest('bad_field', `county: unknown county code "${county}"`, { field: 'county', reason: 'unknown_county', value: county });
  if (road.task != null && !taskExists(ctx.db, road.task))
    throw badRequest('bad_field', `task: the plan has no task ${road.task} (tasks 1–31)`, {
      field: 'task',
      reason: 'out_of_range',
      value: road.task,
      minimum: 1,
      maximum: 31,
    });
  if (road.reportedOn > ctx.today())
    throw unprocessable('event_date_in_future', `reportedOn ${road.reportedOn} is in the future`, {
      field: 'reportedOn',
      date: road.reportedOn,
      today: ctx.today(),
    });
  return ctx.db.transaction(() => {
    const id = insertRoad(ctx.db, {
      roadName: road.roadName,
      fromDesc: road.fromDesc,
      toDesc: road.toDesc,
      severity: road.severity,
      responsibleUnit: road.responsibleUnit,
      deadline: road.deadline,
      countyCode: county,
      geometry: road.geometry ?? null,
      reportedOn: road.reportedOn,
      task: road.task,
      note: road.note,
      source: road.source ?? 'real',
      actor: actor.username,
    });
    appendAudit(ctx.db, { ...auditBy(actor), action: 'road.create', target: `road:${id}`, counties: [county], before: null, after: roadSnapshot(ctx, id) });
    return id;
  });
}

/** Moves a segment's repair status (reported → scheduled → repairing → repaired); cited photos must exist. */
export function moveRoadStatus(ctx: ServiceContext, actor: Actor, id: number, move: RoadStatusMove): void {
  checkPhotos(ctx, move.evidence);
  ctx.db.transaction(() => {
    const before = roadSnapshot(ctx, id);
    addRoadEvent(ctx.db, id, { to: move.to, date: move.date, actor: actor.username, note: move.note, evidence: move.evidence }, { today: ctx.today() });
    const after = roadSnapshot(ctx, id);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'road.status',
      target: `road:${id}`,
      counties: [after.properties.county],
      before,
      after: { ...after, event: move },
    });
  });
}

/** Draws (or redraws) a segment; a change of its county is recorded as an assignment (`road.assign`). */
export function drawRoad(ctx: ServiceContext, actor: Actor, id: number, drawing: RoadDrawing): void {
  const lineCounty = countyOfLineOrRefuse(ctx, drawing.geometry);
  const county = drawing.county ? knownCounty(ctx, drawing.county) : lineCounty;
  ctx.db.transaction(() => {
    const before = roadSnapshot(ctx, id);
    const assignment = setRoadGeometry(
      ctx.db,
      id,
      { geometry: drawing.geometry, countyCode: county, date: drawing.date ?? ctx.today(), actor: actor.username, note: drawing.note },
      { today: ctx.today() },
    );
    const counties = distinctCounties([before.properties.county, lineCounty, county]);
    appendAudit(ctx.db, { ...auditBy(actor), action: 'road.geometry', target: `road:${id}`, counties, before, after: roadSnapshot(ctx, id) });
    auditAssignment(ctx, actor, id, before, assignment);
  });
}

/** Edits a segment's attributes if `version` is still current; a new `county` is recorded as an assignment. */
export function editRoad(ctx: ServiceContext, actor: Actor, id: number, version: number, patch: RoadPatch): void {
  if (patch.county !== undefined) knownCounty(ctx, patch.county);
  ctx.db.transaction(() => {
    const before = roadSnapshot(ctx, id);
    const assignmentsBefore = getRoad(ctx.db, id).events.filter((e) => e.kind === 'assignment').length;
    patchRoad(ctx.db, id, version, patch, actor.username, { today: ctx.today() });
    const after = getRoad(ctx.db, id);
    const assignments = after.events.filter((e) => e.kind === 'assignment');
    const counties = distinctCounties([before.properties.county, after.properties.county]);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'road.edit',
      target: `road:${id}`,
      counties,
      before,
      after: { properties: after.properties, geometry: after.geometry },
    });
    auditAssignment(ctx, actor, id, before, assignments.length > assignmentsBefore ? assignments[assignments.length - 1]!.id : null);
  });
}
