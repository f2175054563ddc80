// Writes to sites and their history. Every status change goes through `addSiteEvent`, which checks
// the move against docs/domain.md's lifecycle; the database triggers keep sites.status equal to the last event.
import { campaignDay } from '../../domain/days.ts';
import type { Db } from '../db/database.ts';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import {
  STATUS_MOVES,
  VOIDED,
  closureChecklistFor,
  canMove,
  type ClosureChecklistItem,
  type Precision,
  type RecordSource,
  type StatusCode,
} from '../../domain/statuses.ts';
import { badRequest, conflict, notFound, unprocessable } from '../errors.ts';

export interface NewSite {
  name: string;
  category: CategoryCode;
  sector?: SectorCode | null;
  address?: string | null;
  countyCode: string;
  townshipCode?: string | null;
  villageCode?: string | null;
  managingZone?: string | null;
  lon: number | null;
  lat: number | null;
  precision: Precision;
  source: RecordSource;
  discoveredOn: string;
  deadline?: string | null;
  responsibleUnit?: string | null;
  note?: string | null;
  seedKey?: string | null;
  /** The ledger import batch that created the site (its first event carries it too), for undo. */
  importBatch?: number | null;
  actor: string;
}

export type Checklist = Partial<Record<ClosureChecklistItem, boolean>>;

export interface NewSiteEvent {
  to: StatusCode;
  date: string;
  actor: string;
  note?: string | null;
  checklist?: Checklist | null;
  evidence?: unknown;
}

/** Timestamps for a write; tests and the demo generator pass fixed ones. */
export interface Clock {
  /** ISO timestamp stored as created_at / updated_at. */
  now?: string;
  /** The date after which event dates count as "in the future". */
  today?: string;
}

const nowIso = () => new Date().toISOString();

/** Inserts a site and its first event (→ discovered on `discoveredOn`). Returns the new id. */
export function insertSite(db: Db, site: NewSite, now: string = nowIso()): number {
  return db.transaction(() => writeNewSite(db, site, now));
}

/** The columns a new site is written with, and its values in that order (bulk writers add their own). */
export const NEW_SITE_COLUMNS =
  'name, category, sector, address, county_code, township_code, village_code, managing_zone, lon, lat, precision, source, discovered_on, deadline, responsible_unit, note, seed_key, import_batch, created_at, updated_at';
export function newSiteValues(site: NewSite, now: string): unknown[] {
  return [
    site.name.trim(),
    site.category,
    site.sector ?? null,
    site.address ?? null,
    site.countyCode,
    site.townshipCode ?? null,
    site.villageCode ?? null,
    site.managingZone ?? null,
    site.lon,
    site.lat,
    site.precision,
    site.source,
    site.discoveredOn,
    site.deadline ?? null,
    site.responsibleUnit ?? null,
    site.note ?? null,
    site.seedKey ?? null,
    site.importBatch ?? null,
    now,
    now,
  ];
}

/**
 * insertSite's two statements without a transaction of their own, for bulk writers (a ledger
 * import) that already hold one around many sites.
 */
export function writeNewSite(db: Db, site: NewSite, now: string): number {
  const result = db.run(
    `INSERT INTO sites (${NEW_SITE_COLUMNS}) VALUES (${NEW_SITE_COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`,
    newSiteValues(site, now),
  );
  const id = Number(result.lastInsertRowid);
  db.run(
    `INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, note, import_batch, created_at)
     VALUES (?, 'status', NULL, 'discovered', ?, ?, ?, ?, ?)`,
    [id, site.discoveredOn, site.actor, site.note ?? null, site.importBatch ?? null, now],
  );
  return id;
}

/** What a move to `closed` still lacks: the 两断三清 items, plus tank sealing for fuel points. */
export function missingClosureItems(category: CategoryCode, checklist: Checklist | null | undefined): ClosureChecklistItem[] {
  return closureChecklistFor(category).filter((item) => checklist?.[item] !== true);
}

interface SiteState {
  id: number;
  category: CategoryCode;
  status: StatusCode;
  lastDate: string;
}

function siteState(db: Db, siteId: number): SiteState {
  const row = db.get<SiteState>(
    `SELECT s.id, s.category, s.status, (SELECT max(date) FROM site_events e WHERE e.site_id = s.id) AS lastDate
     FROM sites s WHERE s.id = ?`,
    [siteId],
  );
  if (!row) throw notFound(`site ${siteId} does not exist`, { kind: 'site', id: siteId });
  return row;
}

/**
 * Moves a site's status. Refuses a move docs/domain.md does not allow (409), a closure without the full
 * checklist (422), and a date before the last event or after `today` (422).
 */
export function addSiteEvent(db: Db, siteId: number, event: NewSiteEvent, clock: Clock = {}): number {
  const now = clock.now ?? nowIso();
  const today = clock.today ?? campaignDay(Date.parse(now));
  return db.transaction(() => {
    const site = siteState(db, siteId);
    if (!canMove(site.status, event.to)) {
      const allowed = STATUS_MOVES[site.status];
      throw conflict(
        'status_move_not_allowed',
        `site ${siteId} cannot move from ${site.status} to ${event.to}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
        { from: site.status, to: event.to, allowed },
      );
    }
    if (event.to === VOIDED && !event.note?.trim())
      throw unprocessable('void_reason_required', 'voiding a site needs the reason in `note` (why it was entered by mistake)', { field: 'note' });
    if (event.to === 'closed') {
      const missing = missingClosureItems(site.category, event.checklist);
      if (missing.length)
        throw unprocessable('closure_checklist_incomplete', `closing needs the full 两断三清 checklist; missing: ${missing.join(', ')}`, {
          missing,
        });
    }
    if (event.date < site.lastDate)
      throw unprocessable('event_date_before_last', `date ${event.date} is before the site's last event (${site.lastDate})`, {
        field: 'date',
        date: event.date,
        lastEvent: site.lastDate,
      });
    if (event.date > today)
      throw unprocessable('event_date_in_future', `date ${event.date} is in the future (today is ${today})`, { field: 'date', date: event.date, today });
    const result = db.run(
      `INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, note, checklist, evidence, created_at)
       VALUES (?, 'status', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        siteId,
        site.status,
        event.to,
        event.date,
        event.actor,
        event.note ?? null,
        event.checklist ? JSON.stringify(event.checklist) : null,
        event.evidence === undefined ? null : JSON.stringify(event.evidence),
        now,
      ],
    );
    db.run('UPDATE sites SET version = version + 1, updated_at = ? WHERE id = ?', [now, siteId]);
    return Number(result.lastInsertRowid);
  });
}

/** A township given by code or name, checked against the official list of the county. */
export function resolveTownship(db: Db, countyCode: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const text = value.trim();
  const row = db.get<{ code: string }>(
    "SELECT code FROM townships WHERE county_code = ? AND (code = ? OR name = ? OR name = ? || '镇' OR name = ? || '乡' OR name = ? || '街道')",
    [countyCode, text, text, text, text, text],
  );
  if (!row) {
    const county = db.get<{ name: string }>('SELECT name FROM counties WHERE code = ?', [countyCode])?.name ?? countyCode;
    throw badRequest('bad_field', `township: "${text}" is not a township of ${county} (${countyCode}) in the official list`, {
      field: 'township',
      reason: 'township_not_in_county',
      value: text,
      county: countyCode,
      countyName: county,
    });
  }
  return row.code;
}

/** A village given by code or name, checked against the official list of its township. */
export function resolveVillage(db: Db, townshipCode: string | null, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const text = value.trim();
  if (!townshipCode) throw badRequest('bad_field', `village: "${text}" needs a township`, { field: 'village', reason: 'village_needs_township', value: text });
  // The official names are the committees' (叶岗村村民委员会, 滨西社区居民委员会); people write 叶岗村 or 叶岗.
  const row = db.get<{ code: string }>(
    "SELECT code FROM villages WHERE township_code = ? AND (code = ? OR name = ? OR name = ? || '村民委员会' OR name = ? || '居民委员会' OR name = ? || '村村民委员会') ORDER BY code LIMIT 1",
    [townshipCode, text, text, text, text, text],
  );
  if (!row)
    throw badRequest('bad_field', `village: "${text}" is not a village of township ${townshipCode} in the official list`, {
      field: 'village',
      reason: 'village_not_in_township',
      value: text,
      township: townshipCode,
    });
  return row.code;
}

export interface SitePatch {
  name?: string;
  category?: CategoryCode;
  sector?: SectorCode | null;
  address?: string | null;
  township?: string | null;
  village?: string | null;
  managingZone?: string | null;
  deadline?: string | null;
  responsibleUnit?: string | null;
  note?: string | null;
}

const PATCH_COLUMNS: Record<Exclude<keyof SitePatch, 'township' | 'village'>, string> = {
  name: 'name',
  category: 'category',
  sector: 'sector',
  address: 'address',
  managingZone: 'managing_zone',
  deadline: 'deadline',
  responsibleUnit: 'responsible_unit',
  note: 'note',
};

/** Edits attributes if `version` is still current (else 409, nothing changed). */
export function patchSite(db: Db, id: number, version: number, patch: SitePatch, clock: Clock = {}): void {
  db.transaction(() => {
    const site = db.get<{ version: number; county_code: string; township_code: string | null }>(
      'SELECT version, county_code, township_code FROM sites WHERE id = ?',
      [id],
    );
    if (!site) throw notFound(`site ${id} does not exist`, { kind: 'site', id });
    if (site.version !== version)
      throw conflict('stale_version', `site ${id} has changed since version ${version} was read (now version ${site.version}); reload and retry`, {
        expected: version,
        current: site.version,
      });
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
      if (patch[key] === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(typeof patch[key] === 'string' ? (patch[key] as string).trim() : patch[key]);
    }
    const township = patch.township === undefined ? site.township_code : resolveTownship(db, site.county_code, patch.township);
    if (patch.township !== undefined) {
      sets.push('township_code = ?');
      params.push(township);
    }
    if (patch.village !== undefined) {
      sets.push('village_code = ?');
      params.push(resolveVillage(db, township, patch.village));
    } else if (patch.township !== undefined) {
      // Another township: its villages are others, so the old village goes.
      sets.push('village_code = CASE WHEN township_code IS ? THEN village_code ELSE NULL END');
      params.push(township);
    }
    sets.push('version = version + 1', 'updated_at = ?');
    params.push(clock.now ?? nowIso(), id);
    db.run(`UPDATE sites SET ${sets.join(', ')} WHERE id = ?`, params);
  });
}

export interface NewLocation {
  lon: number;
  lat: number;
  countyCode: string;
  precision: 'exact' | 'approximate';
  date: string;
  actor: string;
  note?: string | null;
  /** The ledger import batch that made this move, for undo. */
  importBatch?: number | null;
}

/**
 * Places or moves a site. Its county becomes `countyCode`; a township that belongs to another
 * county is cleared. The move is recorded as a location event. Returns the previous county.
 */
export function setSiteLocation(db: Db, id: number, location: NewLocation, clock: Clock = {}): { previousCounty: string } {
  const now = clock.now ?? nowIso();
  const today = clock.today ?? campaignDay(Date.parse(now));
  return db.transaction(() => {
    const site = db.get<{ status: StatusCode; county_code: string; lon: number | null; lat: number | null; precision: string; township_code: string | null }>(
      'SELECT status, county_code, lon, lat, precision, township_code FROM sites WHERE id = ?',
      [id],
    );
    if (!site) throw notFound(`site ${id} does not exist`, { kind: 'site', id });
    const lastDate = db.get<{ d: string }>('SELECT max(date) AS d FROM site_events WHERE site_id = ?', [id])!.d;
    if (location.date < lastDate)
      throw unprocessable('event_date_before_last', `date ${location.date} is before the site's last event (${lastDate})`, {
        field: 'date',
        date: location.date,
        lastEvent: lastDate,
      });
    if (location.date > today)
      throw unprocessable('event_date_in_future', `date ${location.date} is in the future (today is ${today})`, { field: 'date', date: location.date, today });
    const countyChanged = site.county_code !== location.countyCode;
    db.run(
      `UPDATE sites SET lon = ?, lat = ?, precision = ?, county_code = ?,
         township_code = CASE WHEN ? THEN NULL ELSE township_code END,
         village_code = CASE WHEN ? THEN NULL ELSE village_code END,
         version = version + 1, updated_at = ? WHERE id = ?`,
      [location.lon, location.lat, location.precision, location.countyCode, countyChanged ? 1 : 0, countyChanged ? 1 : 0, now, id],
    );
    db.run(
      `INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, note, details, import_batch, created_at)
       VALUES (?, 'location', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        site.status,
        site.status,
        location.date,
        location.actor,
        location.note ?? null,
        JSON.stringify({
          from: site.lon === null ? null : { lon: site.lon, lat: site.lat, precision: site.precision, county: site.county_code },
          to: { lon: location.lon, lat: location.lat, precision: location.precision, county: location.countyCode },
        }),
        location.importBatch ?? null,
        now,
      ],
    );
    return { previousCounty: site.county_code };
  });
}

export interface LedgerStatement {
  to: StatusCode;
  date: string;
  actor: string;
  importBatch: number;
  /** Which ledger said so: file, batch, row and the ledger's own word. */
  note: string;
  details: Record<string, unknown>;
}

/**
 * Records the status a ledger states for a site, as one event marked as such (`details.source =
 * 'ledger'`, the import batch). It is not a checked move: the lifecycle and the 两断三清 checklist
 * are not applied, no intermediate moves are made up and no checklist is filled in — the history
 * shows "按台账记载（…）" / "As stated in the ledger (…)" from its details, distinguishable from a move checked in the app.
 */
export function recordLedgerStatus(db: Db, siteId: number, statement: LedgerStatement, now: string = nowIso()): void {
  db.run(
    `INSERT INTO site_events (site_id, kind, from_status, to_status, date, actor, note, details, import_batch, created_at)
     SELECT id, 'status', status, ?, ?, ?, ?, ?, ?, ? FROM sites WHERE id = ?`,
    [
      statement.to,
      statement.date,
      statement.actor,
      statement.note,
      JSON.stringify({ source: 'ledger', ...statement.details }),
      statement.importBatch,
      now,
      siteId,
    ],
  );
}

/** After new county boundaries load, a site whose polygon changed follows it (start-up; no history event). */
export function followCountyBoundary(db: Db, id: number, countyCode: string): void {
  db.run('UPDATE sites SET county_code = ? WHERE id = ?', [countyCode, id]);
}
