// Turns an API error (code + details) into a sentence of the reader's language from the message
// files: `error.<code>`, or `reason.<reason>` for a refused field, filled from the details. The
// server's English `message` is never shown.
import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.ts';
import type { ErrorCode, FieldReason } from '../../domain/error-codes.ts';
import { LEDGER_COLUMNS } from '../../domain/ledger-columns.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import {
  CLOSURE_CHECKLIST_LABELS,
  ROAD_STATUS_CODES,
  STATUS_CODES,
  type ClosureChecklistItem,
  type RoadStatusCode,
  type StatusCode,
} from '../../domain/statuses.ts';
import { categoryLabel, countyLabel, roadStatusLabel, statusLabel, type Language } from './code-labels.ts';
import { MESSAGES } from './i18n.tsx';
import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';

// Every catalogued code and reason has a sentence in both files (tests/error-messages.test.ts walks them too).
type ErrorKey = `error.${ErrorCode}` | `reason.${FieldReason}`;
export const ZH_ERRORS: Record<ErrorKey, string> = zh;
export const EN_ERRORS: Record<ErrorKey, string> = en;

/** What the page knows of a refusal: the API's code and details (see ApiError in api/client.ts). */
export interface ErrorLike {
  code: string;
  details: Record<string, unknown>;
  status?: number;
}

const CLOSURE_EN: Record<ClosureChecklistItem, string> = {
  cutWater: 'water cut off',
  cutPower: 'power cut off',
  clearMaterials: 'raw materials cleared',
  clearEquipment: 'equipment cleared',
  clearProducts: 'products cleared',
  tanksSealed: 'tanks sealed with cement or removed',
};
const ROLE_KEYS: Record<Role, MessageKey> = {
  admin: 'roleAdmin',
  county: 'roleCounty',
  inspector: 'roleInspector',
  planner: 'rolePlanner',
  viewer: 'roleViewer',
};

const has = (lang: Language, key: string): key is MessageKey => key in MESSAGES[lang];

/** The words for a code a detail holds: a status, category, role, checklist item or ledger field; else the text itself. */
function codeWords(value: string, lang: Language): string {
  if ((STATUS_CODES as readonly string[]).includes(value)) return statusLabel(value as StatusCode, lang);
  if ((ROAD_STATUS_CODES as readonly string[]).includes(value)) return roadStatusLabel(value as RoadStatusCode, lang);
  if ((CATEGORY_CODES as readonly string[]).includes(value)) return categoryLabel(value as CategoryCode, lang);
  if ((ROLES as readonly string[]).includes(value)) return MESSAGES[lang][ROLE_KEYS[value as Role]];
  if (value in CLOSURE_CHECKLIST_LABELS)
    return lang === 'zh' ? CLOSURE_CHECKLIST_LABELS[value as ClosureChecklistItem] : CLOSURE_EN[value as ClosureChecklistItem];
  const column = LEDGER_COLUMNS.find((c) => c.field === value);
  if (column) return lang === 'zh' ? column.zh : column.en;
  return value;
}

const LIST_SEPARATOR: Record<Language, string> = { zh: '、', en: ', ' };

/** A field path (`rule.olderThanDays`, `options.mapping`, `rows.12`) in words. */
export function fieldWords(path: string | undefined, lang: Language): string {
  if (!path) return MESSAGES[lang]['field.request'];
  const parts = path.split('.');
  for (let start = 0; start < parts.length; start++) {
    const key = `field.${parts.slice(start).join('.')}`;
    if (has(lang, key)) return MESSAGES[lang][key];
  }
  // A path ending in an index (stops.3, bands.0) is named by its list.
  const named = [...parts].reverse().find((part) => has(lang, `field.${part}`));
  return named ? MESSAGES[lang][`field.${named}` as MessageKey] : path;
}

function formatValue(name: string, value: unknown, lang: Language): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const numbers = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en');
  if (Array.isArray(value))
    return value.length === 0
      ? undefined
      : value
          .map((item) => formatValue(name, item, lang))
          .filter((item) => item !== undefined)
          .join(LIST_SEPARATOR[lang]);
  if (typeof value === 'number') {
    if (name === 'limit' && value >= 1024 * 1024) return `${numbers.format(value / 1024 / 1024)} MB`;
    // Ids, codes, years and coordinates are written as they are; amounts get grouping.
    return ['minimum', 'maximum', 'limit', 'count', 'changed'].includes(name) ? numbers.format(value) : String(value);
  }
  if (typeof value === 'string') return codeWords(value, lang);
  return JSON.stringify(value);
}

/** Fills {name} placeholders; a [bracketed] part is left out when a placeholder in it has no value. */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  const optional = template.replace(/\[([^\]]*)\]/g, (_, inner: string) => {
    const names = [...inner.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    return names.every((name) => values[name] !== undefined) ? fill(inner) : '';
  });
  return fill(optional);
}

/** The message key for an error: its reason when it refuses a field, else its code. */
export function errorKey(error: ErrorLike, lang: Language = 'zh'): MessageKey | null {
  const reason = typeof error.details.reason === 'string' ? error.details.reason : null;
  if (reason) {
    const exclusive = error.details.exclusive === true ? `reason.${reason}.exclusive` : null;
    if (exclusive && has(lang, exclusive)) return exclusive;
    if (has(lang, `reason.${reason}`)) return `reason.${reason}` as MessageKey;
  }
  return has(lang, `error.${error.code}`) ? (`error.${error.code}` as MessageKey) : null;
}

/** The field or parameter an error names (its path as the API spells it), or null. */
export function errorField(error: unknown): string | null {
  if (!isErrorLike(error)) return null;
  const field = error.details.field ?? error.details.parameter;
  return typeof field === 'string' ? field : null;
}

export function isErrorLike(error: unknown): error is ErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as ErrorLike).code === 'string' && typeof (error as ErrorLike).details === 'object';
}

/** One sentence for any error the page meets, in `lang`. */
export function describeError(error: unknown, lang: Language): string {
  const text = MESSAGES[lang];
  if (!isErrorLike(error)) return error instanceof TypeError ? text.networkError : text['error.internal'];
  const details = error.details;
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(details)) values[name] = formatValue(name, value, lang);
  values.field = fieldWords(errorField(error) ?? undefined, lang);
  if (typeof details.retryAfter === 'number') values.minutes = String(Math.max(1, Math.ceil(details.retryAfter / 60)));
  if (typeof details.county === 'string') values.countyName = countyLabel(details.county, String(details.countyName ?? details.county), lang);
  if (Array.isArray(details.yourCounties))
    values.yourCountyNames = (details.yourCounties as string[])
      .map((code, index) => countyLabel(code, String((details.yourCountyNames as string[] | undefined)?.[index] ?? code), lang))
      .join(LIST_SEPARATOR[lang]);
  if (typeof details.kind === 'string')
    values.record = has(lang, `record.${details.kind}`) ? text[`record.${details.kind}` as MessageKey] : text['record.thing'];
  else values.record = text['record.thing'];
  if (typeof details.expected === 'string' && has(lang, `file.${details.expected}`)) values.expected = text[`file.${details.expected}` as MessageKey];
  if (typeof details.found === 'string' && has(lang, `file.${details.found}`)) values.found = text[`file.${details.found}` as MessageKey];
  if (error.status !== undefined) values.status = String(error.status);
  const key = errorKey(error, lang);
  return fillTemplate(key ? text[key] : text['error.http_error'], values);
}
