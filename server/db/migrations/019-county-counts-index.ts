// 019: the map's first view read from indexes, not from every site's row (issue #17; at 10^5 sites
// each of these scanned the 130 MB table).
// - The per-county counts of /api/counties (by status and by category): with (county_code, status)
//   the count looked up every site's row for its category, ~0.7 s at 10^5 sites, the slowest answer
//   of the first view. (county_code, status, category) covers the count (~10 ms) and still serves
//   every query that used (county_code, status).
// - The unlocated records (`located=false`: the list beside the map and its count): a partial index
//   of the sites without a position, in id order, instead of a scan for `lon IS NULL`.
export const sql = /* sql */ `
CREATE INDEX sites_county_status_category ON sites(county_code, status, category);
DROP INDEX sites_county_status;
CREATE INDEX sites_unlocated ON sites(id) WHERE lon IS NULL;
`;
