// /api/routes: choose stops (by rule, random sample, polygon or by hand), order them into a short
// route, save and reopen it, download it for the field; /api/inspections records results.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import { STATUS_CODES, type StatusCode } from '../../domain/statuses.ts';
import type { AppContext } from '../context.ts';
import { routeToGpx, routeToKml } from '../geo/route-export.ts';
import { CATEGORY_LABELS } from '../../domain/categories.ts';
import { STATUS_LABELS } from '../../domain/statuses.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { getRoute, INSPECTION_RESULTS } from '../store/route-store.ts';
import { recordInspectionResult, saveInspectionRoute } from '../services/inspections.ts';
import { actorOf } from './actor.ts';
import { answerAnalysis } from './analysis-answer.ts';
import { IdParam, errorResponses, jsonContent as json, textField } from './schemas.ts';
import { validationHook } from './validation.ts';
import { contentDisposition } from '../export/download.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Point = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });
const Filters = {
  statuses: z.array(z.enum(STATUS_CODES)).optional(),
  categories: z.array(z.enum(CATEGORY_CODES)).optional(),
  counties: z.array(z.string().regex(/^\d{6}$/)).optional(),
};
const Rule = z
  .discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('recheck'), olderThanDays: z.number().int().min(0).max(3650).default(90), ...Filters })
      .openapi({ description: '回头看: closed/upgraded/relocated sites (or the given statuses) not inspected for olderThanDays days, or never.' }),
    z
      .object({ kind: z.literal('relapsed'), categories: Filters.categories, counties: Filters.counties })
      .openapi({ description: 'Every site now relapsed (死灰复燃).' }),
    z
      .object({ kind: z.literal('sample'), perCounty: z.number().int().min(1).max(500), seed: z.number().int().min(0).max(0xffffffff).optional(), ...Filters })
      .openapi({
        description:
          'A random spot-check sample (随机抽查): perCounty sites from each county, reproducible from the seed (one is drawn and returned when none is given).',
      }),
  ])
  .openapi('StopRule');

const PlanBody = z
  .object({
    siteIds: z.array(z.number().int().positive()).max(1000).optional().openapi({ description: 'Sites chosen by hand; added to what a rule picks.' }),
    rule: Rule.optional(),
    within: z
      .object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) })
      .optional()
      .openapi({ description: 'Only stops inside this polygon (drawn on the map).' }),
    start: Point,
    end: z
      .union([Point, z.literal('start')])
      .optional()
      .openapi({ description: 'Omit for an open route ending at the last stop; "start" to return.' }),
    options: z.object({ detourFactor: z.number().optional(), speedKmh: z.number().optional(), minutesPerStop: z.number().optional() }).strict().optional(),
  })
  .strict()
  .openapi('RoutePlanRequest');

const PlannedStop = z.object({
  siteId: z.number().int(),
  seq: z.number().int(),
  lon: z.number(),
  lat: z.number(),
  legKm: z.number(),
  name: z.string(),
  address: z.string().nullable(),
  category: z.string(),
  status: z.string(),
  county: z.string(),
  source: z.enum(['real', 'demo']),
  lastInspection: z.string().nullable(),
  navigate: z
    .object({ amap: z.string(), baidu: z.string() })
    .openapi({ description: 'Navigation links with coordinates converted to GCJ-02 (高德) and BD-09 (百度).' }),
});
const Plan = z
  .object({
    stops: z.array(PlannedStop),
    start: z.tuple([z.number(), z.number()]),
    end: z.tuple([z.number(), z.number()]).nullable(),
    endLegKm: z.number(),
    totalKm: z.number(),
    minutes: z.number(),
    distanceModel: z.object({ zh: z.string(), en: z.string(), detourFactor: z.number() }),
    sample: z
      .object({ seed: z.number().int(), perCounty: z.number().int(), byCounty: z.record(z.string(), z.array(z.number().int())), method: z.string() })
      .nullable(),
  })
  .openapi('RoutePlan');
const RecordedStop = z
  .object({
    siteId: z.number().int(),
    result: z.enum(INSPECTION_RESULTS),
    date: isoDate,
    inspector: z.string(),
    at: z.string().openapi({ description: 'When it was recorded (the phone’s time if sent, else the server’s), ISO UTC.' }),
  })
  .openapi('RecordedStop');
const SavedRoute = z
  .object({
    id: z.number().int(),
    name: z.string(),
    plan: Plan,
    createdBy: z.string(),
    createdAt: z.string(),
    recorded: z.array(RecordedStop).openapi({ description: 'Results recorded on this route (routeId), the last per site.' }),
  })
  .openapi('SavedRoute');

const InspectionBody = z
  .object({
    siteId: z.number().int().positive(),
    date: isoDate,
    result: z.enum(INSPECTION_RESULTS),
    note: z.string().max(2000).nullish(),
    photo: z.string().max(500).nullish().openapi({ description: 'A reference to the photo (file name or id).' }),
    lon: z.number().min(-180).max(180).nullish(),
    lat: z.number().min(-90).max(90).nullish(),
    recordedAt: z.string().max(40).nullish().openapi({ description: 'When it was recorded on the phone (ISO time).' }),
    routeId: z.number().int().positive().nullish(),
  })
  .strict()
  .openapi('NewInspection');

/** A saved route as GPX 1.1 or KML 2.2 (WGS84, as both formats require). */
export function routeDownload(ctx: AppContext, id: number, format: 'gpx' | 'kml'): Response {
  const saved = getRoute(ctx.db, id);
  const plan = saved.plan as z.infer<typeof Plan>;
  const route = { order: plan.stops.map((s) => ({ id: s.siteId, seq: s.seq, lon: s.lon, lat: s.lat })), start: plan.start, end: plan.end };
  const meta = {
    name: saved.name,
    description: `${plan.distanceModel.zh} ${plan.totalKm.toFixed(1)} km`,
    time: saved.createdAt,
    stops: Object.fromEntries(
      plan.stops.map((s) => [
        s.siteId,
        {
          name: s.name,
          address: s.address,
          category: CATEGORY_LABELS[s.category as CategoryCode] ?? s.category,
          status: STATUS_LABELS[s.status as StatusCode] ?? s.status,
          lastInspection: s.lastInspection,
        },
      ]),
    ),
  };
  const body = format === 'gpx' ? routeToGpx(route, meta) : routeToKml(route, meta);
  return new Response(body, {
    headers: {
      'content-type': format === 'gpx' ? 'application/gpx+xml; charset=utf-8' : 'application/vnd.google-earth.kml+xml; charset=utf-8',
      'content-disposition': contentDisposition(
        `巡查路线_${saved.name}_${saved.createdAt.slice(0, 10)}.${format}`,
        `route-${id}_${saved.createdAt.slice(0, 10)}.${format}`,
      ),
    },
  });
}

export function inspectionRouteRoutes(ctx: AppContext) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // The spelling of the downloads, /api/routes/12.gpx and .kml; before /routes/{id} so it wins.
  app.get('/routes/:file{[0-9]{1,15}\\.(?:gpx|kml)}', (c) => {
    const [id, format] = c.req.param('file').split('.') as [string, 'gpx' | 'kml'];
    return routeDownload(ctx, Number(id), format);
  });
  return app
    .openapi(
      createRoute({
        method: 'post',
        path: '/routes/plan',
        operationId: 'planRoute',
        tags: ['routes'],
        summary: 'Choose stops and order them into a short route',
        description:
          'Stops by rule (回头看 re-checks, relapsed sites, a seeded random sample per county), inside a polygon, or by hand; ordered by a construction heuristic then 2-opt and Or-opt on geodesic distances × a detour factor (no road network).',
        request: { body: { required: true, content: { 'application/json': { schema: PlanBody } } } },
        responses: { 200: json(Plan, 'The ordered stops, total distance and time.'), ...errorResponses(400, 413, 415, 422) },
      }),
      // Chosen and ordered on the analysis thread (services/route-planning.ts).
      (c) => answerAnalysis<z.infer<typeof Plan>>(ctx, { kind: 'routePlan', body: c.req.valid('json'), today: ctx.today() }),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/routes',
        operationId: 'saveRoute',
        tags: ['routes'],
        summary: 'Save a planned route so it can be reopened and shared by URL',
        request: {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z
                  .object({ name: textField('label', true), plan: Plan })
                  .strict()
                  .openapi('NewSavedRoute'),
              },
            },
          },
        },
        responses: { 201: json(SavedRoute, 'The saved route.'), ...errorResponses(400, 413, 415) },
      }),
      (c) => {
        const body = c.req.valid('json');
        const id = saveInspectionRoute(ctx, actorOf(c), body);
        return c.json(getRoute(ctx.db, id) as z.infer<typeof SavedRoute>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/routes/{id}',
        operationId: 'getRoute',
        tags: ['routes'],
        summary: 'A saved route',
        request: { params: IdParam },
        responses: { 200: json(SavedRoute, 'The route.'), ...errorResponses(400, 404) },
      }),
      (c) => c.json(getRoute(ctx.db, Number(c.req.valid('param').id)) as z.infer<typeof SavedRoute>, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/routes/{id}/{format}',
        operationId: 'downloadRoute',
        tags: ['routes'],
        summary: 'Download a saved route as GPX or KML (also at /api/routes/{id}.gpx and .kml)',
        request: { params: IdParam.extend({ format: z.enum(['gpx', 'kml']) }) },
        responses: {
          200: {
            description: 'GPX 1.1 or KML 2.2 in WGS84.',
            content: { 'application/gpx+xml': { schema: z.string() }, 'application/vnd.google-earth.kml+xml': { schema: z.string() } },
          },
          ...errorResponses(400, 404),
        },
      }),
      (c) => {
        const { id, format } = c.req.valid('param');
        return routeDownload(ctx, Number(id), format);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/inspections',
        operationId: 'recordInspection',
        tags: ['routes'],
        summary: 'Record an inspection result; "relapsed" moves the site to relapsed',
        request: { body: { required: true, content: { 'application/json': { schema: InspectionBody } } } },
        responses: {
          201: json(
            z.object({ id: z.number().int(), eventId: z.number().int().nullable() }).openapi('InspectionRecorded'),
            'The inspection (and the relapse event).',
          ),
          ...errorResponses(400, 404, 409, 413, 415, 422),
        },
      }),
      (c) => {
        const body = c.req.valid('json');
        const recorded = recordInspectionResult(ctx, actorOf(c), body);
        return c.json(recorded, 201);
      },
    );
}
