// The signed-in user a request acts as; roles and their capabilities are shared with the page (domain/roles.ts).

export { COUNTY_SCOPED_ROLES, ROLES, type Principal, type Role } from '../../domain/roles.ts';
