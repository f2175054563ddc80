// 019: the per-county counts of /api/counties (by status and by category) read from an index alone.
// With (county_code, status) the count looked up every site's row for its category: ~0.7 s at 10^5
// sites, the slowest answer of the map's first view (issue #17). (county_code, status, category)
// covers the count (~10 ms at 10^5) and still serves every query that used (county_code, status).
export const sql = /* sql */ `
CREATE INDEX sites_county_status_category ON sites(county_code, status, category);
DROP INDEX sites_county_status;
`;
