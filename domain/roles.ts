// Roles and which kinds of writes each may make. The server's rule table (server/auth/rules.ts)
// enforces these on every route; the page uses the same sets to hide or disable what a role may not do.
export const ROLES = ['admin', 'county', 'inspector', 'planner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose writes are limited to the counties assigned to the user. */
export const COUNTY_SCOPED_ROLES: ReadonlySet<Role> = new Set(['county', 'inspector']);

/** Who may do what (county officials and inspectors only in their counties, where a county applies). */
export const CAN = {
  /** Create, edit, place sites; report and draw roads; imports. */
  writeSites: ['admin', 'county'],
  /** Status moves of sites and roads, inspections, photos, relapse decisions, task notes. */
  recordField: ['admin', 'county', 'inspector'],
  /** Plan and save inspection routes. */
  planRoutes: ['admin', 'county', 'inspector', 'planner'],
  /** Save urban cores for the siege analysis. */
  saveCores: ['admin', 'planner'],
  /** Read the audit trail (county officials: their counties). */
  readAudit: ['admin', 'county'],
  /** Move a site entered by mistake to 已撤销（误录） (voided). */
  voidSites: ['admin'],
  /** Accounts, and links between tasks and sites. */
  administer: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAN;

/**
 * Why `user` may not do `capability` (in `counties`, when given): 'role' or 'county', or null when
 * allowed.
 */
export function refusal(
  user: { role: Role; counties: readonly string[] },
  capability: Capability,
  counties: readonly (string | null)[] = [],
): 'role' | 'county' | null {
  if (!(CAN[capability] as readonly Role[]).includes(user.role)) return 'role';
  if (COUNTY_SCOPED_ROLES.has(user.role) && counties.some((county) => county !== null && !user.counties.includes(county))) return 'county';
  return null;
}

/** The signed-in user a request acts as. */
export interface Principal {
  id: number;
  username: string;
  role: Role;
  /** Assigned counties (county officials and inspectors); empty for the others. */
  counties: string[];
}
