// 020: the map's first view read from indexes, not from every site's row (issue #17; at 10^5 sites
// each of these read the 130 MB sites table).
// - The per-county counts, of /api/counties (by status and by category) and of the map's summary
//   (located sites per county and status, with the sums of their positions): with (county_code,
//   status) each count looked up every site's row, ~0.7 s and ~0.3 s at 10^5 sites, the slowest
//   answers of the first view. sites_county_counts holds every column they filter on or count, so
//   both read it alone (~10–25 ms), and it still serves every query that used (county_code, status).
// - The unlocated records (`located=false`: the list beside the map and its count): a partial index
//   of the sites without a position, in id order, instead of a scan for `lon IS NULL`.
export const sql = /* sql */ `
CREATE INDEX sites_county_counts ON sites(county_code, status, category, source, lon, lat);
DROP INDEX sites_county_status;
CREATE INDEX sites_unlocated ON sites(id) WHERE lon IS NULL;
`;
