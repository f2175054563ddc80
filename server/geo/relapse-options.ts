// Option defaults and validation (a zod schema) for the relapse-hotspot analysis, and the day arithmetic it uses.
import { CATEGORY_CODES, isCategory } from '../../domain/categories.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';
import { dayNumber } from '../../domain/days.ts';
import type { ResolvedRelapseOptions, RelapseOptions } from './relapse-types.ts';
import { z } from 'zod';
import { numberOption, OptionError, parseOptions, refuse } from './option-error.ts';

export const DEFAULT_RADIUS_KM = 3;
export const MAX_RADIUS_KM = 50;
export const DEFAULT_WITHIN_DAYS = 180;
export const MAX_WITHIN_DAYS = 3650;
/**
 * 3 km, not finer: with the campaign's few hundred relapses over the city's ~2,600 km², 1 km cells
 * average under 0.1 relapse each, so one relapse makes its cell and the empty ring round it "hot at
 * 99%" (the demo data as of 2026-12: 85 of 174 significant cells empty); at 3 km a cell averages about
 * one, its neighbourhood (7 cells, ~55 km², about a township) several, and hot cells are where
 * relapses gather (36 significant, none empty). Said in the grid definition.
 */
export const DEFAULT_CELL_KM = 3;
export const MIN_CELL_KM = 0.1;
/** Likely moves per page of the API's list by default, and at most. */
export const DEFAULT_MOVES_PAGE = 50;
export const MAX_MOVES_PAGE = 1000;
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

/** A calendar day YYYY-MM-DD, or null when left out. */
const day = (parameter: string) =>
  z.unknown().transform((value, ctx): string | null => {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || dayNumber(value) === null)
      return refuse(ctx, parameter, `${parameter} must be a calendar day written YYYY-MM-DD, not ${String(value)}`, { reason: 'bad_date', value });
    return value;
  });

/** A number from `min` (included or not) to `max`, its default when left out. */
const range = (parameter: string, fallback: number, min: number, max: number, minIncluded: boolean) =>
  numberOption(
    parameter,
    fallback,
    (n) => (minIncluded ? n >= min : n > min) && n <= max,
    (n) => [
      `${parameter} must be a number ${minIncluded ? 'from' : 'greater than'} ${min} ${minIncluded ? 'to' : 'and at most'} ${max}, not ${String(n)}`,
      minIncluded
        ? { reason: 'out_of_range', minimum: min, maximum: max, value: n }
        : { reason: 'out_of_range', minimum: min, maximum: max, exclusive: true, value: n },
    ],
  );

const RelapseOptionsSchema = z
  .object({
    from: day('from'),
    to: day('to'),
    asOf: day('asOf'),
    categories: z.unknown().transform((value, ctx): CategoryCode[] => {
      const categories = value ?? [...CATEGORY_CODES];
      if (!Array.isArray(categories) || categories.length === 0) return refuse(ctx, 'categories', 'name at least one category', { reason: 'required' });
      for (const category of categories as unknown[])
        if (typeof category !== 'string' || !isCategory(category))
          return refuse(ctx, 'categories', `unknown category ${String(category)}`, { reason: 'not_one_of', value: category, allowed: CATEGORY_CODES });
      return [...new Set(categories as CategoryCode[])];
    }),
    counties: z.unknown().transform((value, ctx): string[] | null => {
      if (value === undefined || value === null) return null;
      if (!Array.isArray(value) || value.length === 0)
        return refuse(ctx, 'county', 'name at least one county, or leave county out for all', { reason: 'required' });
      for (const county of value as unknown[])
        if (typeof county !== 'string' || county.trim() === '')
          return refuse(ctx, 'county', `county must be a non-empty name, not ${String(county)}`, { reason: 'required' });
      return [...new Set(value as string[])];
    }),
    radiusKm: range('radiusKm', DEFAULT_RADIUS_KM, 0, MAX_RADIUS_KM, false),
    withinDays: range('withinDays', DEFAULT_WITHIN_DAYS, 1, MAX_WITHIN_DAYS, true).transform((withinDays, ctx) =>
      Number.isInteger(withinDays)
        ? withinDays
        : refuse(ctx, 'withinDays', `withinDays must be a whole number of days, not ${withinDays}`, { reason: 'not_whole_number', value: withinDays }),
    ),
    cellKm: range('cellKm', DEFAULT_CELL_KM, MIN_CELL_KM, MAX_CELL_KM, true),
    decisions: z.unknown().superRefine((decisions, ctx) => {
      if (decisions === undefined) return;
      if (!(decisions instanceof Map))
        return refuse(ctx, 'decisions', 'decisions must be a Map from move key to confirmed or dismissed', { reason: 'wrong_type', expected: 'Map' });
      for (const [key, decision] of decisions as Map<string, unknown>)
        if (decision !== 'confirmed' && decision !== 'dismissed')
          return refuse(ctx, 'decisions', `decision for ${key} must be confirmed or dismissed, not ${String(decision)}`, {
            reason: 'not_one_of',
            value: decision,
            allowed: ['confirmed', 'dismissed'],
          });
    }),
    correction: z.unknown().transform((value, ctx): 'fdr' | 'none' => {
      const correction = value ?? 'fdr';
      if (correction !== 'fdr' && correction !== 'none')
        return refuse(ctx, 'correction', `correction must be fdr (Benjamini–Hochberg) or none, not ${String(correction)}`, {
          reason: 'not_one_of',
          value: correction,
          allowed: ['fdr', 'none'],
        });
      return correction;
    }),
  })
  .superRefine(({ from, to }, ctx) => {
    if (from !== null && to !== null && from > to) refuse(ctx, 'from', `from (${from}) is after to (${to})`, { reason: 'date_order', from, to });
  });

/** Fill defaults and check every option; throws RelapseOptionError naming the parameter. */
export function resolveRelapseOptions(options: RelapseOptions = {}): ResolvedRelapseOptions {
  if (typeof options !== 'object' || options === null)
    throw new RelapseOptionError('options', 'options must be an object', { reason: 'wrong_type', expected: 'object' });
  const { decisions: _decisions, ...resolved } = parseOptions(RelapseOptionsSchema, options, RelapseOptionError);
  return resolved;
}

/** Whether a day (YYYY-MM-DD) lies in the window [from, to], both ends included and either open. */
export function inWindow(date: string, options: Pick<ResolvedRelapseOptions, 'from' | 'to'>): boolean {
  const day = date.slice(0, 10);
  return (options.from === null || day >= options.from) && (options.to === null || day <= options.to);
}
