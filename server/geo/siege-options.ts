// Option defaults and validation for the siege analysis, plus the rule for which sites count.
import { INDUSTRIAL_CATEGORIES, isCategory } from '../../domain/categories.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import type { ResolvedSiegeOptions, SiegeOptions, SiegeSite } from './siege-types.ts';
import { OptionError } from './option-error.ts';
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

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function validateCore(core: unknown): void {
  const feature = core as { type?: unknown; geometry?: { type?: unknown } | null } | null | undefined;
  if (!feature || feature.type !== 'Feature' || !feature.geometry)
    throw new SiegeOptionError('core', 'the core must be a GeoJSON Feature with a Polygon or MultiPolygon geometry', { reason: 'bad_polygon' });
  const type = feature.geometry.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon')
    throw new SiegeOptionError('core', `the core must be a Polygon or MultiPolygon, not ${String(type)}`, { reason: 'bad_polygon' });
  // Sizes, closure, self-crossings, holes and parts in n log n (turf's booleanValid + kinks were quadratic).
  const problem = polygonProblem(type, (feature.geometry as { coordinates?: unknown }).coordinates);
  if (problem?.reason === 'too_many')
    throw new SiegeOptionError('core', `the core may have at most ${problem.maximum.toLocaleString('en')} ${problem.what}, not ${problem.count.toLocaleString('en')}; simplify it`, { reason: 'too_many', maximum: problem.maximum, value: problem.count });
  if (problem?.reason === 'self_crossing')
    throw new SiegeOptionError('core', `the core is not a valid polygon: its boundary crosses or touches itself at ${problem.at.join(', ')}`, { reason: 'self_crossing', at: problem.at });
  if (problem)
    throw new SiegeOptionError(
      'core',
      'the core is not a valid polygon (each ring needs at least 4 positions and must be closed, holes inside the shell)',
      { reason: 'bad_polygon', why: problem.why },
    );
}

function validateBands(bandsKm: readonly unknown[]): number[] {
  if (!Array.isArray(bandsKm) || bandsKm.length < 2)
    throw new SiegeOptionError('bands', 'give at least 2 band edges in km, starting at 0 (for example 0,2,5,10,20)', { reason: 'too_few', minimum: 2 });
  const edges: number[] = [];
  for (const edge of bandsKm) {
    if (!isFiniteNumber(edge)) throw new SiegeOptionError('bands', `band edge ${String(edge)} is not a number`, { reason: 'not_a_number', value: String(edge) });
    edges.push(edge);
  }
  if (edges[0] !== 0)
    throw new SiegeOptionError('bands', `band edges must start at 0 (the core's boundary), not ${edges[0]}`, { reason: 'start_at_zero', value: edges[0] });
  for (let index = 1; index < edges.length; index++)
    if (!(edges[index]! > edges[index - 1]!))
      throw new SiegeOptionError(
        'bands',
        `band edges must be strictly increasing: ${edges[index]} follows ${edges[index - 1]}`,
        { reason: 'not_increasing', value: edges[index], previous: edges[index - 1] },
      );
  return edges;
}

/** Fill defaults and check every option; throws SiegeOptionError naming the parameter. */
export function resolveSiegeOptions(options: SiegeOptions): ResolvedSiegeOptions {
  if (!options || typeof options !== 'object') throw new SiegeOptionError('core', 'options with a core are required', { reason: 'required' });
  validateCore(options.core);
  const bandsKm = validateBands(options.bandsKm ?? DEFAULT_BANDS_KM);

  const sectors = options.sectors ?? DEFAULT_SECTORS;
  if (!Number.isInteger(sectors) || sectors < 1 || sectors > MAX_SECTORS)
    throw new SiegeOptionError('sectors', `sectors must be a whole number from 1 to ${MAX_SECTORS}, not ${sectors}`, { reason: 'out_of_range', minimum: 1, maximum: MAX_SECTORS, value: sectors });

  const categories = options.categories ?? [...INDUSTRIAL_CATEGORIES];
  if (!Array.isArray(categories) || categories.length === 0)
    throw new SiegeOptionError('categories', 'name at least one category', { reason: 'required' });
  for (const category of categories)
    if (typeof category !== 'string' || !isCategory(category))
      throw new SiegeOptionError('categories', `unknown category ${String(category)}`, { reason: 'not_one_of', value: category, allowed: [...INDUSTRIAL_CATEGORIES] });

  const openOnly = options.openOnly ?? true;
  if (typeof openOnly !== 'boolean') throw new SiegeOptionError('openOnly', 'openOnly must be true or false', { reason: 'not_one_of', allowed: ['true', 'false'] });

  const minSites = options.minSites ?? DEFAULT_MIN_SITES;
  if (!Number.isInteger(minSites) || minSites < 1)
    throw new SiegeOptionError('minSites', `minSites must be a whole number of at least 1, not ${minSites}`, { reason: 'too_small', minimum: 1, value: minSites });

  const nearKm = options.nearKm ?? DEFAULT_NEAR_KM;
  if (!isFiniteNumber(nearKm) || nearKm <= 0)
    throw new SiegeOptionError('nearKm', `nearKm must be a distance in km greater than 0, not ${nearKm}`, { reason: 'too_small', minimum: 0, exclusive: true, value: nearKm });

  return { bandsKm, sectors, categories: [...new Set(categories)], openOnly, minSites, nearKm };
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
