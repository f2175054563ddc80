// What a site's text fields may hold, for every way in: the API's schemas (server/routes/schemas.ts)
// and the ledger import (server/import/judge-rows.ts) both read these limits and this check, so a
// 5 MB name is refused through a ledger exactly as through POST /api/sites.

/** Longest text per field, in UTF-16 code units (what JavaScript's length counts); `label`: a saved core's or route's name. */
export const TEXT_LIMITS = { name: 200, address: 500, responsibleUnit: 200, note: 2000, roadName: 100, label: 100 } as const;
export type LimitedTextField = keyof typeof TEXT_LIMITS;

/** Fields of one line (names): no line breaks or tabs either. */
const ONE_LINE = new Set<LimitedTextField>(['name', 'roadName', 'responsibleUnit', 'address', 'label']);

/** Control characters other than tab, newline and carriage return (NUL among them). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
/** A surrogate not in a pair: with the u flag a lone one is a code point of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Format characters (zero-width space, joiners, direction marks, BOM…) and spaces. */
const INVISIBLE = /[\p{Cf}\p{Z}\s]/gu;

/**
 * Why a text cannot be stored, or null when it can: lone surrogates (not well-formed Unicode), NUL
 * and other control characters, line breaks in one-line fields, text made only of zero-width and
 * format characters, text over the field's limit. Check the NFC form (normaliseText) of the value.
 */
export function textProblem(field: LimitedTextField, value: string, check: { length: boolean } = { length: true }): { code: string; message: string } | null {
  if (LONE_SURROGATE.test(value)) return { code: 'bad_text', message: 'contains a lone surrogate (not valid Unicode text)' };
  if (CONTROL.test(value)) return { code: 'bad_text', message: 'contains a control character (such as NUL)' };
  if (ONE_LINE.has(field) && LINE_BREAK.test(value)) return { code: 'bad_text', message: 'must be one line (no line breaks or tabs)' };
  if (value !== '' && value.replace(INVISIBLE, '') === '')
    return { code: 'bad_text', message: 'has only invisible characters (zero-width or format characters, spaces)' };
  if (check.length && value.length > TEXT_LIMITS[field])
    return { code: 'too_long', message: `is ${value.length} characters long; at most ${TEXT_LIMITS[field]}` };
  return null;
}

/** The form text is stored in: trimmed and NFC-normalised (one code point sequence per character). */
export const normaliseText = (value: string): string => value.normalize('NFC').trim();
