// The signed-in user a request acts as; roles and their capabilities are shared with the page (domain/roles.ts).
import type { Role } from '../../domain/roles.ts';

export { COUNTY_SCOPED_ROLES, ROLES, type Role } from '../../domain/roles.ts';

export interface Principal {
  id: number;
  username: string;
  role: Role;
  /** Assigned counties (county officials and inspectors); empty for the others. */
  counties: string[];
}
