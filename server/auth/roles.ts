// The five roles. Shared by the server's rule table, the users command and (as codes) the page.
export const ROLES = ['admin', 'county', 'inspector', 'planner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose writes are limited to the counties assigned to the user. */
export const COUNTY_SCOPED_ROLES: ReadonlySet<Role> = new Set(['county', 'inspector']);

/** The signed-in user a request acts as. */
export interface Principal {
  id: number;
  username: string;
  role: Role;
  /** Assigned counties (county officials and inspectors); empty for the others. */
  counties: string[];
}
