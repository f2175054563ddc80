// The catalogue of every error the API can answer: `{ error: { code, message, details } }`.
// `code` is stable and is what the page turns into a sentence (web/i18n/zh.ts and en.ts, keys
// `error.<code>`); `message` is English for scripts and logs only. A refusal of one field or query
// parameter (`bad_field`, `bad_parameter`, `bad_body`) also carries `details.reason`, one of
// FIELD_REASONS (keys `reason.<reason>`), with the field in `details.field` or `details.parameter`
// and the values the sentence needs (`value`, `minimum`, `maximum`, `allowed`…).
//
// Adding an error: add its code here (the server's AppError only accepts codes from this list) and
// its sentence in both message files; tests/error-messages.test.ts fails for a code without both.

/** code → what it means (for developers; users read the message files). */
export const ERROR_CODES = {
  // sign-in and permissions
  unauthenticated: 'no session, or the session ended',
  bad_credentials: 'wrong username or password, or the account is disabled',
  too_many_attempts: 'too many failed sign-ins; details.retryAfter seconds',
  csrf_failed: 'a cookie-signed write without the CSRF token',
  forbidden: 'the role may not do this; details.role, details.allowed',
  forbidden_county: 'outside the user’s counties; details.county, countyName, yourCounties, yourCountyNames',
  no_permission_rule: 'a route without a permission rule (a server bug)',
  last_admin: 'the last active admin cannot be demoted or disabled',
  user_exists: 'the username is taken; details.field',
  weak_password: 'the password is too weak; details.field, details.minimum',
  // requests
  bad_field: 'a body field is refused; details.field and details.reason',
  bad_parameter: 'a query or path parameter is refused; details.parameter and details.reason',
  bad_body: 'the body as a whole is refused (not JSON, empty photo…); details.reason',
  body_too_large: 'the body is larger than allowed; details.limit (bytes)',
  unsupported_media_type: 'the body’s content type is not accepted',
  not_found: 'the record does not exist; details.kind and details.id',
  version_required: 'an edit without the version read; details.field',
  stale_version: 'the record changed since it was read; details.version, details.current',
  // sites, roads, history
  outside_counties: 'a position outside every county; details.lon, details.lat (6 decimals) or details.field',
  event_date_before_last: 'a date before the record’s last event; details.date, details.lastEvent',
  event_date_in_future: 'a date after today; details.date, details.today',
  status_move_not_allowed: 'the status move is not allowed; details.from, details.to, details.allowed',
  closure_checklist_incomplete: 'closing without the whole 两断三清 checklist; details.missing',
  name_taken: 'the name is taken; details.field, details.name',
  void_reason_required: 'voiding a site needs the reason in note; details.field',
  unknown_county: 'the map has no such county; details.field, details.county',
  unknown_photo: 'a photo referenced that was never uploaded; details.field, details.ref',
  unknown_task: 'the plan has no such task; details.field, details.task',
  no_stops: 'the route rule chose no sites',
  too_many_stops: 'the route rule chose more sites than one route holds; details.field, count, maximum, workdays (at the minutes per stop, 8 h a day)',
  // ledger import
  unsupported_file: 'not a CSV, XLSX, GeoJSON, KML or KMZ file; details.fileName',
  file_not_as_named: 'the content is not what the file name says; details.fileName, expected, found',
  empty_file: 'the file is empty or has no header; details.fileName',
  too_many_rows: 'more data rows than allowed; details.limit, details.count',
  archive_too_large: 'an xlsx/kmz with more entries or more uncompressed bytes than allowed; details.what (entries|bytes), limit, found',
  too_deep: 'a GeoJSON whose arrays and objects nest deeper than allowed; details.limit',
  bad_csv: 'the CSV cannot be read; details.fileName, details.line',
  unknown_sheet: 'no sheet of that name; details.sheet, details.sheets',
  unknown_column: 'the mapping names a column the file lacks; details.column, details.headers',
  mapping_conflict: 'two columns stand for one field; details.columns, details.target',
  mapping_incomplete: 'required fields have no column; details.missing, details.headers',
  unknown_mapping: 'no saved mapping of that name; details.name',
  import_not_preview: 'the import is not a preview waiting for its commit; details.state',
  preview_expired: 'the preview expired; upload again',
  preview_stale: 'a site the preview would update is gone; details.siteId',
  import_not_committed: 'only a committed import can be undone; details.state',
  import_changed_since: 'sites of the import changed since; details.changed, siteId, row',
  import_commit_failed: 'the commit failed and wrote nothing',
  // operations
  too_busy: 'too many heavy requests (imports, exports, analyses) at once, the user’s or the server’s; details.scope (user|server), limit, retryAfterSeconds',
  database_busy: 'another write held the database past the busy timeout; nothing saved; details.retryAfterSeconds',
  memory_limit: 'the export, analysis or import needed more memory than its thread may use; nothing changed; details.thread, limitMb, retryAfterSeconds',
  // anything else
  http_error: 'an HTTP error without a more exact code',
  internal: 'a server fault; the server log has the details',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Why one field or parameter is refused (`details.reason`), with the values its sentence uses. */
export const FIELD_REASONS = {
  required: 'missing or empty',
  invalid: 'not valid (no more exact reason)',
  wrong_type: 'not of the expected kind; details.expected',
  not_a_number: 'not a number; details.value',
  not_whole_number: 'not a whole number; details.value',
  too_small: 'below details.minimum (inclusive unless details.exclusive)',
  too_big: 'above details.maximum (inclusive unless details.exclusive)',
  out_of_range: 'not from details.minimum to details.maximum; details.value',
  too_short: 'text shorter than details.minimum characters',
  too_long: 'text longer than details.maximum characters',
  too_few: 'fewer than details.minimum items',
  too_many: 'more than details.maximum items',
  not_one_of: 'not one of details.allowed; details.value',
  unknown_keys: 'fields the request may not have; details.keys',
  bad_date: 'not a calendar day YYYY-MM-DD; details.value',
  date_order: 'details.from is after details.to',
  bad_format: 'not in the expected format; details.value',
  repeated: 'details.value appears more than once',
  unknown_ref: 'refers to a record that does not exist; details.value',
  unknown_county: 'not a county code; details.value',
  not_combinable: 'cannot be combined with details.other',
  not_increasing: 'band edges must increase: details.value follows details.previous',
  start_at_zero: 'the first band edge must be 0; details.value',
  bad_polygon: 'not a valid polygon',
  self_crossing: 'the polygon’s boundary crosses itself; details.crossings',
  outside_china: 'a position outside China; details.value',
  not_json: 'not valid JSON',
  wrong_content: 'the body is not what its content type says',
  date_in_future: 'a date after today; details.value, details.today',
  no_county_scope: 'only county and inspector users have counties; details.role',
  needs_county: 'a county or inspector user needs a county',
  village_needs_township: 'a village needs its township first; details.value',
  village_not_in_township: 'not a village of details.township in the official list; details.value',
  township_not_in_county: 'not a township of details.county in the official list; details.value',
  not_a_duplicate: 'row details.row is not a flagged duplicate of this import',
  repeats_row: 'row details.row repeats row details.other of the file; it can be skipped or kept',
  choose_stops: 'choose stops by hand or by a rule',
  unlocated_stop: 'sites details.value have no position yet; place them before routing',
  different_categories: 'the two sites are of different categories',
} as const satisfies Record<string, string>;

export type FieldReason = keyof typeof FIELD_REASONS;
export const FIELD_REASON_LIST = Object.keys(FIELD_REASONS) as FieldReason[];

/** What a refusal of one field says: its reason and the values its sentence uses. */
export type FieldProblem = { reason: FieldReason } & Record<string, unknown>;

/** Coordinates in messages and details: 6 decimals (about 0.1 m). */
export const roundCoordinate = (value: number): number => Math.round(value * 1e6) / 1e6;
