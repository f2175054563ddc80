// Option defaults and validation (a zod schema) for the siege analysis, plus the rule for which sites count.
import { INDUSTRIAL_CATEGORIES, isCategory } from '../../domain/categories.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import type { ResolvedSiegeOptions, SiegeOptions, SiegeSite } from './siege-types.ts';
import { z } from 'zod';
import { isFiniteNumber, numberOption, OptionError, parseOptions, refuse } from './option-error.ts';
import { polygonProblem } from './simple-polygon.ts';

export const DEFAULT_BANDS_KM: readonly number[] = [0, 2, 5, 10, 20];
export const DEFAULT_SECTORS = 16;
export const MAX_SECTORS = 64;
export const DEFAULT_MIN_SITES = 1;
export const DEFAULT_NEAR_KM = 5;
/** Concrete plants inside the core or this close to its boundary are listed by name. */
export const CONCRETE_NEAR_KM = 2;

/**
 * Statuses that leave a site out when openOnly is true. The issue defines "open" for the siege as
 * "not closed / verified / relocated": a closed, struck-off or moved-away site no longer stands
 * around the city, while an upgraded firm (已整改提升) is kept and still operates, so discovered,
 * rectifying, upgraded and relapsed all count. This is deliberately wider than OPEN_STATUSES in
 * domain/statuses.ts, which means "still a live problem" and leaves upgraded out.
 */
export const SIEGE_GONE_STATUSES: readonly StatusCode[] = ['closed', 'verified', 'relocated'];

/** A bad option; the API answers it with 400 and this message. */
export class SiegeOptionError extends OptionError {}

/** The core: a valid GeoJSON Polygon/MultiPolygon Feature whose boundary does not cross itself. */
const Core = z.unknown().superRefine((core, ctx) => {
  const feature = core as { type?: unknown; geometry?: { type?: unknown } | null } | null | undefined;
  if (!feature || feature.type !== 'Feature' || !feature.geometry)
    return refuse(ctx, 'core', 'the core must be a GeoJSON Feature with a Polygon or MultiPolygon geometry', { reason: 'bad_polygon' });
  const type = feature.geometry.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon')
    return refuse(ctx, 'core', `the core must be a Polygon or MultiPolygon, not ${String(type)}`, { reason: 'bad_polygon' });
  // Sizes, closure, self-crossings, holes and parts in n log n (turf's booleanValid + kinks were quadratic).
  const problem = polygonProblem(type, (feature.geometry as { coordinates?: unknown }).coordinates);
  if (problem?.reason === 'too_many')
    return refuse(
      ctx,
      'core',
      `the core may have at most ${problem.maximum.toLocaleString('en')} ${problem.what}, not ${problem.count.toLocaleString('en')}; simplify it`,
      {
        reason: 'too_many',
        maximum: problem.maximum,
        value: problem.count,
      },
    );
  if (problem?.reason === 'self_crossing')
    return refuse(ctx, 'core', `the core is not a valid polygon: its boundary crosses or touches itself at ${problem.at.join(', ')}`, {
      reason: 'self_crossing',
      at: problem.at,
    });
  if (problem)
    return refuse(ctx, 'core', 'the core is not a valid polygon (each ring needs at least 4 positions and must be closed, holes inside the shell)', {
      reason: 'bad_polygon',
      why: problem.why,
    });
});

/** Band edges in km: at least 2, from 0, strictly increasing. */
const Bands = z.unknown().transform((value, ctx): number[] => {
  const bandsKm = value ?? DEFAULT_BANDS_KM;
  if (!Array.isArray(bandsKm) || bandsKm.length < 2)
    return refuse(ctx, 'bands', 'give at least 2 band edges in km, starting at 0 (for example 0,2,5,10,20)', { reason: 'too_few', minimum: 2 });
  const edges: number[] = [];
  for (const edge of bandsKm as unknown[]) {
    if (!isFiniteNumber(edge)) return refuse(ctx, 'bands', `band edge ${String(edge)} is not a number`, { reason: 'not_a_number', value: String(edge) });
    edges.push(edge);
  }
  if (edges[0] !== 0)
    return refuse(ctx, 'bands', `band edges must start at 0 (the core's boundary), not ${edges[0]}`, { reason: 'start_at_zero', value: edges[0] });
  for (let index = 1; index < edges.length; index++)
    if (!(edges[index]! > edges[index - 1]!))
      return refuse(ctx, 'bands', `band edges must be strictly increasing: ${edges[index]} follows ${edges[index - 1]}`, {
        reason: 'not_increasing',
        value: edges[index],
        previous: edges[index - 1],
      });
  return edges;
});

/** The categories counted: at least one, each known; default the industrial ones. */
const Categories = z.unknown().transform((value, ctx): CategoryCode[] => {
  const categories = value ?? [...INDUSTRIAL_CATEGORIES];
  if (!Array.isArray(categories) || categories.length === 0) return refuse(ctx, 'categories', 'name at least one category', { reason: 'required' });
  for (const category of categories as unknown[])
    if (typeof category !== 'string' || !isCategory(category))
      return refuse(ctx, 'categories', `unknown category ${String(category)}`, { reason: 'not_one_of', value: category, allowed: [...INDUSTRIAL_CATEGORIES] });
  return [...new Set(categories as CategoryCode[])];
});

const SiegeOptionsSchema = z.object({
  core: Core,
  bandsKm: Bands,
  sectors: z.unknown().transform((value, ctx): number => {
    const sectors = value ?? DEFAULT_SECTORS;
    if (!Number.isInteger(sectors) || (sectors as number) < 1 || (sectors as number) > MAX_SECTORS)
      return refuse(ctx, 'sectors', `sectors must be a whole number from 1 to ${MAX_SECTORS}, not ${String(sectors)}`, {
        reason: 'out_of_range',
        minimum: 1,
        maximum: MAX_SECTORS,
        value: sectors,
      });
    return sectors as number;
  }),
  categories: Categories,
  openOnly: z.unknown().transform((value, ctx): boolean => {
    const openOnly = value ?? true;
    if (typeof openOnly !== 'boolean') return refuse(ctx, 'openOnly', 'openOnly must be true or false', { reason: 'not_one_of', allowed: ['true', 'false'] });
    return openOnly;
  }),
  minSites: z.unknown().transform((value, ctx): number => {
    const minSites = value ?? DEFAULT_MIN_SITES;
    if (!Number.isInteger(minSites) || (minSites as number) < 1)
      return refuse(ctx, 'minSites', `minSites must be a whole number of at least 1, not ${String(minSites)}`, {
        reason: 'too_small',
        minimum: 1,
        value: minSites,
      });
    return minSites as number;
  }),
  nearKm: numberOption(
    'nearKm',
    DEFAULT_NEAR_KM,
    (n) => n > 0,
    (n) => [`nearKm must be a distance in km greater than 0, not ${String(n)}`, { reason: 'too_small', minimum: 0, exclusive: true, value: n }],
  ),
});

/** Fill defaults and check every option; throws SiegeOptionError naming the parameter. */
export function resolveSiegeOptions(options: SiegeOptions): ResolvedSiegeOptions {
  if (!options || typeof options !== 'object') throw new SiegeOptionError('core', 'options with a core are required', { reason: 'required' });
  const { core: _core, ...resolved } = parseOptions(SiegeOptionsSchema, options, SiegeOptionError);
  return resolved;
}

/**
 * Whether a site is counted. A scattered firm (散乱污企业) is industry only when its sector is
 * 'industrial' or not recorded (null/undefined: the plan's 119 firms are industrial unless it says
 * otherwise); agricultural and service firms are left out.
 */
export function makeSiteFilter(options: ResolvedSiegeOptions): (site: SiegeSite) => boolean {
  const categories = new Set<CategoryCode>(options.categories);
  const gone = new Set<StatusCode>(options.openOnly ? SIEGE_GONE_STATUSES : []);
  return (site) => {
    if (!categories.has(site.category)) return false;
    if (gone.has(site.status)) return false;
    if (site.category === 'scattered_firm' && site.sector != null && site.sector !== 'industrial') return false;
    return true;
  };
}
