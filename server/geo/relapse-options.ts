// Option defaults and validation for the relapse-hotspot analysis, and the day arithmetic it uses.
import { CATEGORY_CODES, isCategory } from '../../domain/categories.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { dayNumber } from '../../domain/days.ts';
import type { ResolvedRelapseOptions, RelapseOptions } from './relapse-types.ts';
import { OptionError } from './option-error.ts';

export const DEFAULT_RADIUS_KM = 3;
export const MAX_RADIUS_KM = 50;
export const DEFAULT_WITHIN_DAYS = 180;
export const MAX_WITHIN_DAYS = 3650;
export const DEFAULT_CELL_KM = 1;
export const MIN_CELL_KM = 0.1;
export const MAX_CELL_KM = 20;

/**
 * A closure for relapses and rates: the moves after which a site is "dealt with" and from which
 * docs/domain.md allows a relapse (closed, upgraded, relocated). Verified (验收销号) only confirms one of
 * these, so it is not a new closure.
 */
export const CLOSURE_STATUSES: readonly StatusCode[] = ['closed', 'upgraded', 'relocated'];

/**
 * A closure for likely moves: only 已取缔 (closed). A relocated firm (已搬迁入园) has a known, legal
 * new place in a park, and an upgraded one (已整改提升) keeps operating where it is, so a new site
 * nearby is no sign that either moved and reopened.
 */
export const MOVE_CLOSURE_STATUSES: readonly StatusCode[] = ['closed'];

/** A bad option; the API answers it with 400 and this message. */
export class RelapseOptionError extends OptionError {}

function validateDate(parameter: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || dayNumber(value) === null)
    throw new RelapseOptionError(parameter, `${parameter} must be a calendar day written YYYY-MM-DD, not ${String(value)}`, { reason: 'bad_date', value });
  return value;
}

function validateNumber(parameter: string, value: unknown, fallback: number, min: number, max: number, minIncluded: boolean): number {
  const number = value ?? fallback;
  const tooLow = typeof number === 'number' && (minIncluded ? number < min : number <= min);
  if (typeof number !== 'number' || !Number.isFinite(number) || tooLow || number > max)
    throw new RelapseOptionError(
      parameter,
      `${parameter} must be a number ${minIncluded ? 'from' : 'greater than'} ${min} ${minIncluded ? 'to' : 'and at most'} ${max}, not ${String(number)}`,
      minIncluded ? { reason: 'out_of_range', minimum: min, maximum: max, value: number } : { reason: 'out_of_range', minimum: min, maximum: max, exclusive: true, value: number },
    );
  return number;
}

/** Fill defaults and check every option; throws RelapseOptionError naming the parameter. */
export function resolveRelapseOptions(options: RelapseOptions = {}): ResolvedRelapseOptions {
  if (typeof options !== 'object' || options === null) throw new RelapseOptionError('options', 'options must be an object', { reason: 'wrong_type', expected: 'object' });
  const from = validateDate('from', options.from);
  const to = validateDate('to', options.to);
  const asOf = validateDate('asOf', options.asOf);
  if (from !== null && to !== null && from > to) throw new RelapseOptionError('from', `from (${from}) is after to (${to})`, { reason: 'date_order', from, to });

  const categories = options.categories ?? [...CATEGORY_CODES];
  if (!Array.isArray(categories) || categories.length === 0) throw new RelapseOptionError('categories', 'name at least one category', { reason: 'required' });
  for (const category of categories)
    if (typeof category !== 'string' || !isCategory(category))
      throw new RelapseOptionError('categories', `unknown category ${String(category)}`, { reason: 'not_one_of', value: category, allowed: CATEGORY_CODES });

  let counties: string[] | null = null;
  if (options.counties !== undefined && options.counties !== null) {
    if (!Array.isArray(options.counties) || options.counties.length === 0)
      throw new RelapseOptionError('county', 'name at least one county, or leave county out for all', { reason: 'required' });
    for (const county of options.counties)
      if (typeof county !== 'string' || county.trim() === '')
        throw new RelapseOptionError('county', `county must be a non-empty name, not ${String(county)}`, { reason: 'required' });
    counties = [...new Set(options.counties)];
  }

  const radiusKm = validateNumber('radiusKm', options.radiusKm, DEFAULT_RADIUS_KM, 0, MAX_RADIUS_KM, false);
  const withinDays = validateNumber('withinDays', options.withinDays, DEFAULT_WITHIN_DAYS, 1, MAX_WITHIN_DAYS, true);
  if (!Number.isInteger(withinDays))
    throw new RelapseOptionError('withinDays', `withinDays must be a whole number of days, not ${withinDays}`, { reason: 'not_whole_number', value: withinDays });
  const cellKm = validateNumber('cellKm', options.cellKm, DEFAULT_CELL_KM, MIN_CELL_KM, MAX_CELL_KM, true);

  if (options.decisions !== undefined && !(options.decisions instanceof Map))
    throw new RelapseOptionError('decisions', 'decisions must be a Map from move key to confirmed or dismissed', { reason: 'wrong_type', expected: 'Map' });
  for (const [key, decision] of options.decisions ?? [])
    if (decision !== 'confirmed' && decision !== 'dismissed')
      throw new RelapseOptionError('decisions', `decision for ${key} must be confirmed or dismissed, not ${String(decision)}`, { reason: 'not_one_of', value: decision, allowed: ['confirmed', 'dismissed'] });

  const correction = options.correction ?? 'fdr';
  if (correction !== 'fdr' && correction !== 'none')
    throw new RelapseOptionError('correction', `correction must be fdr (Benjamini–Hochberg) or none, not ${String(correction)}`, { reason: 'not_one_of', value: correction, allowed: ['fdr', 'none'] });

  return { from, to, asOf, categories: [...new Set<CategoryCode>(categories)], counties, radiusKm, withinDays, cellKm, correction };
}

/** Whether a day (YYYY-MM-DD) lies in the window [from, to], both ends included and either open. */
export function inWindow(date: string, options: Pick<ResolvedRelapseOptions, 'from' | 'to'>): boolean {
  const day = date.slice(0, 10);
  return (options.from === null || day >= options.from) && (options.to === null || day <= options.to);
}
