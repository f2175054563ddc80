// /api/analysis/siege (工业围城): distance bands round the urban core crossed with compass sectors,
// counting industrial sites; and /api/analysis/cores, the cores planners draw and save.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CATEGORY_CODES } from '../../domain/categories.ts';
import type { AppContext } from '../context.ts';
import { listCores, type CoreFeature } from '../store/core-store.ts';
import { saveUrbanCore } from '../services/analysis.ts';
import { actorOf } from './actor.ts';
import { answerAnalysis } from './analysis-answer.ts';
import { param, parseBool, parseCategories, parseDate, parseNumber, splitList } from './query-params.ts';
import { MAX_SECTORS } from '../geo/siege-options.ts';
import { errorResponses, jsonContent as json, Position as WgsPosition, textField } from './schemas.ts';
import { validationHook } from './validation.ts';

const Position = z.tuple([z.number(), z.number()]);
/** A saved core may have at most this many positions in all (its validity check is not linear). */
export const MAX_CORE_VERTICES = 5000;
const Ring = z.array(WgsPosition).min(4);
const PolygonGeometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
  ])
  .superRefine((geometry, ctx) => {
    const vertices = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).flat(1).reduce((sum, ring) => sum + ring.length, 0);
    if (vertices > MAX_CORE_VERTICES) ctx.addIssue({ code: 'custom', message: `has ${vertices} positions; a core may have at most ${MAX_CORE_VERTICES}` });
  })
  .openapi('CoreGeometry', {
    description: `A GeoJSON Polygon or MultiPolygon in WGS84 (numbers, longitude −180…180, latitude −90…90), at most ${MAX_CORE_VERTICES} positions in all.`,
  });

const CoreProperties = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
});
const Core = z.object({ type: z.literal('Feature'), geometry: z.record(z.string(), z.unknown()), properties: CoreProperties }).openapi('UrbanCore');

const Placement = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  category: z.enum(CATEGORY_CODES),
  status: z.string(),
  band: z.number().int(),
  sector: z.number().int().nullable(),
  distanceKm: z.number(),
  bearing: z.number().nullable(),
});

const CellProperties = z.object({
  band: z.number().int().openapi({ description: '0 = inside the core; k = the ring [bands[k-1], bands[k]) km from its boundary (the last ring closed).' }),
  inside: z.boolean(),
  bandFromKm: z.number(),
  bandToKm: z.number(),
  sector: z.number().int().nullable().openapi({ description: 'Compass sector from the core centroid, 0 centred on north, clockwise; null inside the core.' }),
  bearingFrom: z.number().nullable(),
  bearingTo: z.number().nullable(),
  areaKm2: z.number(),
  count: z.number().int(),
  byCategory: z.record(z.string(), z.number().int()),
  density: z.number().openapi({ description: 'Sites per km².' }),
  siteIds: z.array(z.number().int()),
});

const Definition = z.object({ zh: z.string(), en: z.string() });

const SiegeAnalysis = z
  .object({
    core: z.object({ id: z.string(), name: z.string().nullable(), isDefault: z.boolean(), centroid: Position, areaKm2: z.number() }),
    asOf: z.string().nullable(),
    options: z.object({
      bandsKm: z.array(z.number()),
      sectors: z.number().int(),
      categories: z.array(z.string()),
      openOnly: z.boolean(),
      minSites: z.number().int(),
      nearKm: z.number(),
    }),
    cells: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(z.object({ type: z.literal('Feature'), geometry: z.record(z.string(), z.unknown()), properties: CellProperties })),
    }),
    summary: z.object({
      sites: z.number().int(),
      insideCore: z.number().int(),
      occupancy: z.number(),
      occupiedSectors: z.number().int(),
      sectors: z.number().int(),
      nearCountBySector: z.array(z.number().int()),
      nearSites: z.number().int(),
      nearAreaKm2: z.number(),
      nearDensity: z.number(),
      farSites: z.number().int(),
      farAreaKm2: z.number(),
      farDensity: z.number(),
      densityRatio: z.number().nullable(),
      concretePlantsNearCore: z.array(z.object({ id: z.number().int(), name: z.string().nullable(), distanceKm: z.number() })),
    }),
    definitions: z.record(z.string(), Definition).openapi({ description: 'One sentence per figure, in Chinese and English.' }),
    unassigned: z.number().int(),
    placements: z.array(Placement),
    comparison: z
      .object({
        compareTo: z.string(),
        cells: z.array(
          z.object({
            band: z.number().int(),
            sector: z.number().int().nullable(),
            before: z.number().int(),
            after: z.number().int(),
            change: z.number().int(),
          }),
        ),
        sitesBefore: z.number().int(),
        sitesAfter: z.number().int(),
        occupancyBefore: z.number(),
        occupancyAfter: z.number(),
        closedOrMovedAway: z.array(Placement),
        appeared: z.array(Placement),
      })
      .nullable()
      .openapi({ description: 'With compareTo: the analysis on compareTo is "before", on asOf (or now) "after".' }),
  })
  .openapi('SiegeAnalysis');

const SiegeQuery = z.object({
  core: z
    .string()
    .optional()
    .openapi({ description: '"default" (a 6 km circle round the city government seat) or the id of a saved core.', example: 'default' }),
  bands: param.numbers({ description: 'Band edges in km from the core boundary, strictly increasing from 0.', example: '0,2,5,10,20' }, { minItems: 2 }),
  sectors: param.integer('sectors', { minimum: 1, maximum: MAX_SECTORS }, { description: 'Compass sectors, 1–64.', example: '16' }),
  categories: param.listOf(
    CATEGORY_CODES,
    { description: 'Categories counted; default the industrial ones.', example: 'sand_yard,concrete_plant' },
    parseCategories,
  ),
  openOnly: param.boolean('openOnly', { description: 'Default true: closed, verified and relocated sites are left out.' }),
  minSites: param.integer('minSites', { minimum: 1 }, { description: 'Sites a sector needs within nearKm to count as occupied; default 1.' }),
  nearKm: param.number('nearKm', { exclusiveMinimum: 0 }, { description: 'Reach of "near the core" in km from its boundary; default 5.' }),
  asOf: param.date('asOf', { description: 'YYYY-MM-DD: sites in their status on that date.' }),
  compareTo: param.date('compareTo', { description: 'YYYY-MM-DD: a second date to compare with.' }),
  format: z
    .enum(['json', 'geojson', 'csv'])
    .optional()
    .openapi({ description: 'json (default); geojson: the cells only, as a download; csv: the cell table.' }),
});

export function siegeRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/analysis/cores',
        operationId: 'listCores',
        tags: ['analysis'],
        summary: 'Urban cores: the default 6 km circle and the ones planners saved',
        responses: { 200: json(z.object({ type: z.literal('FeatureCollection'), features: z.array(Core) }), 'The cores, default first.') },
      }),
      (c) => c.json({ type: 'FeatureCollection' as const, features: listCores(ctx.db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/analysis/cores',
        operationId: 'createCore',
        tags: ['analysis'],
        summary: 'Save an urban core drawn on the map',
        request: {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z
                  .object({ name: textField('label', true), geometry: PolygonGeometry, note: textField('note').nullish() })
                  .strict()
                  .openapi('NewUrbanCore'),
              },
            },
          },
        },
        responses: { 201: json(Core, 'The saved core.'), ...errorResponses(400, 409, 413, 415) },
      }),
      (c) => {
        const body = c.req.valid('json');
        const saved = saveUrbanCore(ctx, actorOf(c), { name: body.name, geometry: body.geometry as CoreFeature['geometry'], note: body.note });
        return c.json(saved, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/analysis/siege',
        operationId: 'analyzeSiege',
        tags: ['analysis'],
        summary: 'Industrial siege (工业围城): industrial sites by distance band and compass sector round the urban core',
        description:
          'Occupancy: the share of sectors holding at least minSites counted sites outside the core within nearKm of its boundary. Density ratio: sites per km² in the bands up to nearKm divided by sites per km² in the farthest band. Concrete plants near the core: concrete plants inside the core or within 2 km of its boundary. Every result names the core it used.',
        request: { query: SiegeQuery },
        responses: { 200: json(SiegeAnalysis, 'The cells and the summary figures.'), ...errorResponses(400, 404) },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const asOf = parseDate('asOf', query.asOf);
        const compareTo = parseDate('compareTo', query.compareTo);
        const options = {
          bandsKm: splitList(query.bands)?.map((edge) => parseNumber('bands', edge)!),
          sectors: parseNumber('sectors', query.sectors, true),
          categories: parseCategories(query.categories),
          openOnly: parseBool('openOnly', query.openOnly),
          minSites: parseNumber('minSites', query.minSites, true),
          nearKm: parseNumber('nearKm', query.nearKm),
        };
        // Computed on the analysis thread; downloads (format geojson or csv) come back as their files.
        return answerAnalysis<z.infer<typeof SiegeAnalysis>>(ctx, {
          kind: 'siege',
          core: query.core ?? 'default',
          asOf,
          compareTo,
          options,
          format: query.format ?? 'json',
          today: ctx.today(),
        });
      },
    );
}
