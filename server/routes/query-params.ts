// Turns query-string parameters into typed filters, refusing bad ones with a 400 that names the
// parameter and says why; and the zod schemas of those parameters for the routes' `request.query`,
// which tell OpenAPI what each one is (type, enum, range, format) and refuse a bad one at the edge
// with the same function the handler parses it with, so each rule is written once.
import { z } from '@hono/zod-openapi';
import { isCategory, type CategoryCode } from '../../domain/categories.ts';
import { isStatus, ROAD_STATUS_CODES, type RoadStatusCode, type StatusCode } from '../../domain/statuses.ts';
import type { FieldProblem } from '../../domain/error-codes.ts';
import { AppError, parameterError } from '../errors.ts';
import type { SiteFilters } from '../store/site-filters.ts';
import { isIsoDate } from '../../domain/iso-date.ts';

const bad = (parameter: string, message: string, problem: FieldProblem) => parameterError(parameter, problem, message);

export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A real calendar date YYYY-MM-DD (domain/iso-date.ts, shared with the import's readers). */
export { isIsoDate };

export function parseDate(parameter: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isIsoDate(value)) throw bad(parameter, `"${value}" is not a date YYYY-MM-DD`, { reason: 'bad_date', value });
  return value;
}

export function parseBool(parameter: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw bad(parameter, `"${value}" must be true or false`, { reason: 'not_one_of', value, allowed: ['true', 'false'] });
}

export function parseBbox(value: string | undefined): SiteFilters['bbox'] {
  if (value === undefined || value === '') return undefined;
  const parts = value.split(',');
  if (parts.length !== 4) throw bad('bbox', 'must be four numbers minLon,minLat,maxLon,maxLat', { reason: 'bad_format', value });
  const numbers = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (numbers.some((n) => !Number.isFinite(n))) throw bad('bbox', `"${value}" has a value that is not a number`, { reason: 'not_a_number', value });
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
  for (const [name, n] of [
    ['minLon', minLon],
    ['maxLon', maxLon],
  ] as const)
    if (n < -180 || n > 180) throw bad('bbox', `${name} ${n} is outside −180…180`, { reason: 'out_of_range', value: n, minimum: -180, maximum: 180 });
  for (const [name, n] of [
    ['minLat', minLat],
    ['maxLat', maxLat],
  ] as const)
    if (n < -90 || n > 90) throw bad('bbox', `${name} ${n} is outside −90…90`, { reason: 'out_of_range', value: n, minimum: -90, maximum: 90 });
  if (minLon > maxLon) throw bad('bbox', `minLon ${minLon} is greater than maxLon ${maxLon}`, { reason: 'bad_format', value });
  if (minLat > maxLat) throw bad('bbox', `minLat ${minLat} is greater than maxLat ${maxLat}`, { reason: 'bad_format', value });
  return [minLon, minLat, maxLon, maxLat];
}

export function parseCounties(value: string | undefined, known: ReadonlySet<string>): string[] | undefined {
  const codes = splitList(value);
  for (const code of codes ?? [])
    if (!known.has(code)) throw bad('county', `unknown county code "${code}"; known: ${[...known].join(', ')}`, { reason: 'unknown_county', value: code });
  return codes;
}

export function parseCategories(value: string | undefined): CategoryCode[] | undefined {
  const codes = splitList(value);
  for (const code of codes ?? []) if (!isCategory(code)) throw bad('category', `unknown category "${code}"`, { reason: 'not_one_of', value: code });
  return codes as CategoryCode[] | undefined;
}

export function parseStatuses(value: string | undefined): StatusCode[] | undefined {
  const codes = splitList(value);
  for (const code of codes ?? []) if (!isStatus(code)) throw bad('status', `unknown status "${code}"`, { reason: 'not_one_of', value: code });
  return codes as StatusCode[] | undefined;
}

export function parseRoadStatuses(value: string | undefined): RoadStatusCode[] | undefined {
  const codes = splitList(value);
  for (const code of codes ?? [])
    if (!(ROAD_STATUS_CODES as readonly string[]).includes(code)) throw bad('status', `unknown road status "${code}"`, { reason: 'not_one_of', value: code });
  return codes as RoadStatusCode[] | undefined;
}

export interface SiteQueryInput {
  bbox?: string;
  county?: string;
  category?: string;
  status?: string;
  q?: string;
  asOf?: string;
  source?: string;
  located?: string;
}

/** `real` or `demo` (records of one source only), or undefined for both. */
export function parseSource(value: string | undefined): 'real' | 'demo' | undefined {
  const source = value || undefined;
  if (source !== undefined && source !== 'real' && source !== 'demo')
    throw bad('source', `"${source}" must be real or demo`, { reason: 'not_one_of', value: source, allowed: ['real', 'demo'] });
  return source;
}

export const MAX_QUERY_TEXT = 100;

/** The name/address search text, trimmed; undefined when empty. */
export function parseSearchText(value: string | undefined): string | undefined {
  const q = value?.trim();
  if (q && q.length > MAX_QUERY_TEXT) throw bad('q', `must be at most ${MAX_QUERY_TEXT} characters`, { reason: 'too_long', maximum: MAX_QUERY_TEXT });
  return q || undefined;
}

export function parseSiteFilters(query: SiteQueryInput, knownCounties: ReadonlySet<string>): SiteFilters {
  const source = parseSource(query.source);
  const q = parseSearchText(query.q);
  const located = parseBool('located', query.located);
  const bbox = parseBbox(query.bbox);
  if (bbox && located === false)
    throw bad('located', 'false cannot be combined with bbox: unlocated sites have no position', { reason: 'not_combinable', other: 'bbox' });
  return {
    bbox,
    counties: parseCounties(query.county, knownCounties),
    categories: parseCategories(query.category),
    statuses: parseStatuses(query.status),
    q,
    asOf: parseDate('asOf', query.asOf),
    source,
    located,
  };
}

export const MAX_LIMIT = 200_000;

export function parsePage(limit: string | undefined, cursor: string | undefined): { limit?: number; afterId?: number } {
  const page: { limit?: number; afterId?: number } = {};
  if (limit !== undefined && limit !== '') {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)
      throw bad('limit', `"${limit}" must be a whole number from 1 to ${MAX_LIMIT}`, { reason: 'out_of_range', value: limit, minimum: 1, maximum: MAX_LIMIT });
    page.limit = Number(limit);
  }
  if (cursor !== undefined && cursor !== '') page.afterId = decodeCursor(cursor);
  return page;
}

export function encodeCursor(afterId: number): string {
  return Buffer.from(`site:${afterId}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^site:(\d+)$/.exec(text);
  if (!match) throw bad('cursor', 'is not a cursor this API returned', { reason: 'bad_format' });
  return Number(match[1]);
}

export function parseNumber(parameter: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw bad(parameter, `"${value}" is not ${integer ? 'a whole number' : 'a number'}`, {
      reason: integer && Number.isFinite(n) ? 'not_whole_number' : 'not_a_number',
      value,
    });
  return n;
}

// ---- The parameters' schemas -------------------------------------------------------------------

/** What OpenAPI says a parameter is (its JSON Schema, and `param` for list style). */
type ParamSchema = Record<string, unknown>;
interface ParamDoc {
  description?: string;
  example?: string;
}

/**
 * A query parameter: text on the wire (the handler parses it), described to OpenAPI by `schema`, and
 * — when `check` (one of the parse functions above) is given — refused at the edge with its
 * AppError; routes/validation.ts answers that issue exactly as the handler would have.
 */
function queryParam(schema: ParamSchema, doc: ParamDoc, check?: (text: string) => unknown) {
  const text = check
    ? z.string().superRefine((value, ctx) => {
        try {
          check(value);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          ctx.addIssue({ code: 'custom', message: error.message, params: { appError: { status: error.status, code: error.code, details: error.details } } });
        }
      })
    : z.string();
  return text.optional().openapi({ ...schema, ...doc });
}

const commaList = (items: ParamSchema, extra: ParamSchema = {}): ParamSchema => ({ type: 'array', items, ...extra, param: { style: 'form', explode: false } });

/** The parameters' schemas by kind; each names the parameter it checks. */
export const param = {
  /** YYYY-MM-DD, a real calendar day. */
  date: (name: string, doc: ParamDoc) => queryParam({ type: 'string', format: 'date' }, doc, (text) => parseDate(name, text)),
  /** true/false (or 1/0). */
  boolean: (name: string, doc: ParamDoc) => queryParam({ type: 'boolean' }, doc, (text) => parseBool(name, text)),
  /** A whole number; `check` false when the handler words its own refusal (the range lives with the analysis). */
  integer: (name: string, range: { minimum?: number; maximum?: number }, doc: ParamDoc, check = true) =>
    queryParam({ type: 'integer', ...range }, doc, check ? (text) => parseNumber(name, text, true) : undefined),
  /** A number (its range is checked by the analysis' own options, which give it its words). */
  number: (name: string, range: { minimum?: number; maximum?: number; exclusiveMinimum?: number }, doc: ParamDoc) =>
    queryParam({ type: 'number', ...range }, doc, (text) => parseNumber(name, text)),
  /** One of a few words. */
  oneOf: (values: readonly string[], doc: ParamDoc, check?: (text: string) => unknown) => queryParam({ type: 'string', enum: [...values] }, doc, check),
  /** A comma-separated list of words from `values`. */
  listOf: (values: readonly string[], doc: ParamDoc, check?: (text: string) => unknown) =>
    queryParam(commaList({ type: 'string', enum: [...values] }), doc, check),
  /** A comma-separated list of 6-digit county codes (which exist: the handler checks). */
  counties: (doc: ParamDoc) => queryParam(commaList({ type: 'string', pattern: '^\\d{6}$' }), doc),
  /** A comma-separated list of numbers. */
  numbers: (doc: ParamDoc, extra: ParamSchema = {}) => queryParam(commaList({ type: 'number' }, extra), doc),
  /** minLon,minLat,maxLon,maxLat in degrees. */
  bbox: (doc: ParamDoc, check = true) => queryParam(commaList({ type: 'number' }, { minItems: 4, maxItems: 4 }), doc, check ? parseBbox : undefined),
  /** real or demo. */
  source: (doc: ParamDoc) => queryParam({ type: 'string', enum: ['real', 'demo'] }, doc, parseSource),
  /** The name/address search text. */
  search: (doc: ParamDoc) => queryParam({ type: 'string', maxLength: MAX_QUERY_TEXT }, doc, parseSearchText),
  /** The sites' page size. */
  limit: (doc: ParamDoc) => queryParam({ type: 'integer', minimum: 1, maximum: MAX_LIMIT }, doc, (text) => parsePage(text, undefined)),
  /** An opaque cursor this API returned. */
  cursor: (doc: ParamDoc) => queryParam({ type: 'string' }, doc, (text) => parsePage(undefined, text)),
};
