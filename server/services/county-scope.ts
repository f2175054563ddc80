// A write that touches rows of many counties (an import's commit or undo) checks each here: county
// officials and inspectors may write only in their own counties (403 `forbidden_county`). The rule
// table (server/auth/rules.ts) checks single-target writes before the handler runs.
import { AppError } from '../errors.ts';
import { COUNTY_SCOPED_ROLES } from '../../domain/roles.ts';
import { countyName } from '../store/county-names.ts';
import type { Actor, ServiceContext } from './service-context.ts';

export function refuseOtherCounties(ctx: Pick<ServiceContext, 'db'>, actor: Actor, counties: readonly (string | null)[]): void {
  if (!COUNTY_SCOPED_ROLES.has(actor.role)) return;
  for (const county of counties) {
    if (county === null || actor.counties.includes(county)) continue;
    const name = countyName(ctx.db, county);
    throw new AppError(
      403,
      'forbidden_county',
      `${actor.username} may write only in ${actor.counties.join(', ')}; this request writes in ${county} (${name})`,
      {
        county,
        countyName: name,
        yourCounties: actor.counties,
        yourCountyNames: actor.counties.map((code) => countyName(ctx.db, code)),
      },
    );
  }
}
