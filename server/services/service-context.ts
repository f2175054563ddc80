// What every use case is given: the database, the county polygons and today's date (AppContext
// has all of them, so a route passes its context; the CLI and tests can build a smaller one), and
// who is acting. A use case checks, writes through server/store/ and appends its audit record in one
// `db.transaction` — IMMEDIATE, so a busy database fails before anything is written and the app
// answers 503 `database_busy` (server/app.ts `errorResponse`).
import type { Db } from '../db/database.ts';
import type { CountyLocator } from '../../domain/locate-county.ts';
import type { Role } from '../../domain/roles.ts';
import type { AuditActor } from '../auth/audit.ts';

export interface ServiceContext {
  db: Db;
  locator: CountyLocator;
  countyCodes: ReadonlySet<string>;
  /** Today's date for "not in the future" checks; tests fix it. */
  today: () => string;
  /** Where inspection photos are kept. */
  photoDir: string;
}

/** Who is writing: the signed-in user (or an operator at the command line) and from where. */
export interface Actor {
  username: string;
  role: Role;
  /** Assigned counties (county officials and inspectors); empty for the others. */
  counties: readonly string[];
  address: string | null;
}

/** The actor as the audit trail records it. */
export const auditBy = (actor: Actor): AuditActor => ({ actor: actor.username, role: actor.role, address: actor.address });
