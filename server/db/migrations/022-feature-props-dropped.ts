// 022: sites no longer keep their GeoJSON properties as JSON text (006's `feature_props`, kept by two
// triggers); the properties are built as they are read (server/store/site-queries.ts, SITE_PROPERTIES,
// the same json_object and so the same text). Measured at 10^5 sites (bench/README.md, "Ninth pass"):
// the cache was 378 bytes a site, 55% of the sites table and a third of what a ledger's commit
// wrote (127.7 → 82.3 MB of WAL for a 100,000-row ledger, its CPU 2.15 → 1.74 s), and every write of a
// site rebuilt it by trigger; building it on read costs ~1.1 µs a feature (+11 ms on a 10,000-feature
// page of GET /api/sites). Dropping the column rewrites the sites table once.
//
// Also: inspections found by their saved route (GET /api/routes/{id} lists the results recorded on
// it) have an index instead of a scan of every inspection.
export const sql = /* sql */ `
DROP TRIGGER sites_feature_props_insert;
DROP TRIGGER sites_feature_props_update;
ALTER TABLE sites DROP COLUMN feature_props;
CREATE INDEX inspections_route ON inspections(route_id) WHERE route_id IS NOT NULL;
`;
