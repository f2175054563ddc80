// Use cases on one site: create, edit, move its status, place it. Each checks, writes and appends
// its audit record in one transaction; the routes (server/routes/sites.ts) only parse and answer.
import { AppError, unprocessable } from '../errors.ts';
import { roundCoordinate } from '../../domain/error-codes.ts';
import { refusal } from '../../domain/roles.ts';
import { VOIDED, type RecordSource } from '../../domain/statuses.ts';
import { appendAudit } from '../auth/audit.ts';
import { listAudit } from '../store/audit-store.ts';
import { siteFeatureJson, siteNote } from '../store/site-queries.ts';
import {
  addSiteEvent,
  insertSite,
  patchSite,
  resolveTownship,
  resolveVillage,
  setSiteLocation,
  type NewSite,
  type NewSiteEvent,
  type SitePatch,
} from '../store/site-mutations.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** A new site as a caller gives it: the county comes from the position, township and village by name or code. */
export interface NewSiteInput extends Omit<
  NewSite,
  'countyCode' | 'townshipCode' | 'villageCode' | 'precision' | 'source' | 'actor' | 'lon' | 'lat' | 'seedKey' | 'importBatch'
> {
  lon: number;
  lat: number;
  township?: string | null;
  village?: string | null;
  precision?: 'exact' | 'approximate';
  source?: RecordSource;
}

export type SiteStatusMove = Omit<NewSiteEvent, 'actor'>;

export interface SitePlacement {
  lon: number;
  lat: number;
  precision?: 'exact' | 'approximate';
  /** Default today. */
  date?: string;
  note?: string | null;
}

/** What the audit trail keeps of a site before and after a write: its feature properties and position. */
export function siteSnapshot(ctx: Pick<ServiceContext, 'db'>, id: number): { properties: Record<string, unknown>; geometry: unknown } | null {
  const feature = siteFeatureJson(ctx.db, id);
  if (!feature) return null;
  const { properties, geometry } = JSON.parse(feature) as { properties: Record<string, unknown>; geometry: unknown };
  return { properties, geometry };
}

/** The county holding a position, else 422 `outside_counties` naming lon and lat. */
function locateOrRefuse(ctx: ServiceContext, lon: number, lat: number): string {
  const county = ctx.locator.locate(lon, lat);
  if (!county)
    throw unprocessable(
      'outside_counties',
      `position ${roundCoordinate(lon)},${roundCoordinate(lat)} is outside every county of the map; check the coordinates and their system (WGS84 expected)`,
      {
        fields: ['lon', 'lat'],
        lon: roundCoordinate(lon),
        lat: roundCoordinate(lat),
      },
    );
  return county;
}

/**
 * A stale-version 409 that says who changed the site since and when (its newest audit record) and
 * what it holds now, so the page can show both values and nothing is lost silently.
 */
function staleWithChange(ctx: ServiceContext, id: number, error: AppError): AppError {
  const [last] = listAudit(ctx.db, { target: `site:${id}`, limit: 1 }).records;
  const current = siteSnapshot(ctx, id);
  return new AppError(409, error.code, last ? `${error.message}; last changed by ${last.actor} at ${last.at}` : error.message, {
    ...error.details,
    changedBy: last?.actor ?? null,
    changedAt: last?.at ?? null,
    now: current ? { ...current.properties, note: siteNote(ctx.db, id) } : null,
  });
}

/** Creates a site in the county that holds its position (422 outside every county or discovered in the future). Returns its id. */
export function createSite(ctx: ServiceContext, actor: Actor, site: NewSiteInput): number {
  const county = locateOrRefuse(ctx, site.lon, site.lat);
  if (site.discoveredOn > ctx.today())
    throw unprocessable('event_date_in_future', `discoveredOn ${site.discoveredOn} is in the future`, {
      field: 'discoveredOn',
      date: site.discoveredOn,
      today: ctx.today(),
    });
  return ctx.db.transaction(() => {
    const township = resolveTownship(ctx.db, county, site.township);
    const id = insertSite(ctx.db, {
      name: site.name,
      category: site.category,
      sector: site.sector ?? null,
      address: site.address ?? null,
      countyCode: county,
      townshipCode: township,
      villageCode: resolveVillage(ctx.db, township, site.village),
      managingZone: site.managingZone ?? null,
      lon: site.lon,
      lat: site.lat,
      precision: site.precision ?? 'exact',
      source: site.source ?? 'real',
      discoveredOn: site.discoveredOn,
      deadline: site.deadline ?? null,
      responsibleUnit: site.responsibleUnit ?? null,
      note: site.note ?? null,
      actor: actor.username,
    });
    appendAudit(ctx.db, { ...auditBy(actor), action: 'site.create', target: `site:${id}`, counties: [county], before: null, after: siteSnapshot(ctx, id) });
    return id;
  });
}

/** Edits a site's attributes if `version` is still current; else 409 `stale_version` with who changed it and what it holds now. */
export function editSite(ctx: ServiceContext, actor: Actor, id: number, version: number, patch: SitePatch): void {
  try {
    ctx.db.transaction(() => {
      const before = siteSnapshot(ctx, id);
      patchSite(ctx.db, id, version, patch);
      const after = siteSnapshot(ctx, id);
      appendAudit(ctx.db, { ...auditBy(actor), action: 'site.edit', target: `site:${id}`, counties: [String(after?.properties.county)], before, after });
    });
  } catch (error) {
    throw error instanceof AppError && error.code === 'stale_version' ? staleWithChange(ctx, id, error) : error;
  }
}

/** Moves a site's status (the allowed moves and the closure checklist are checked by `addSiteEvent`; voiding only by admins). Returns the event's id. */
export function moveSiteStatus(ctx: ServiceContext, actor: Actor, id: number, move: SiteStatusMove): number {
  if (move.to === VOIDED && refusal(actor, 'voidSites') !== null)
    throw new AppError(403, 'forbidden', `only an admin may void a site (move it to ${VOIDED}); ${actor.username} is ${actor.role}`, { field: 'to' });
  return ctx.db.transaction(() => {
    const before = siteSnapshot(ctx, id);
    const eventId = addSiteEvent(
      ctx.db,
      id,
      { to: move.to, date: move.date, actor: actor.username, note: move.note ?? null, checklist: move.checklist ?? null, evidence: move.evidence ?? undefined },
      { today: ctx.today() },
    );
    const after = siteSnapshot(ctx, id);
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'site.status',
      target: `site:${id}`,
      counties: [String(after?.properties.county)],
      before,
      after: { ...after, event: move },
    });
    return eventId;
  });
}

/** Places or moves a site; its county becomes the one holding the new position. Returns the county before and after. */
export function placeSite(ctx: ServiceContext, actor: Actor, id: number, place: SitePlacement): { previousCounty: string; county: string } {
  const county = locateOrRefuse(ctx, place.lon, place.lat);
  return ctx.db.transaction(() => {
    const before = siteSnapshot(ctx, id);
    const moved = setSiteLocation(
      ctx.db,
      id,
      {
        lon: place.lon,
        lat: place.lat,
        countyCode: county,
        precision: place.precision ?? 'exact',
        date: place.date ?? ctx.today(),
        actor: actor.username,
        note: place.note ?? null,
      },
      { today: ctx.today() },
    );
    appendAudit(ctx.db, {
      ...auditBy(actor),
      action: 'site.move',
      target: `site:${id}`,
      counties: [moved.previousCounty, county],
      before,
      after: siteSnapshot(ctx, id),
    });
    return { previousCounty: moved.previousCounty, county };
  });
}
