// 018: what a commit did with each staged row — created (with the new site's id), updated (with the
// site's columns before, for undo) or skipped, and the site's version after the commit — kept in a
// narrow table of its own instead of rewriting every staged row of import_rows (its JSON and issues)
// to mark it: the commit inserts 10^5 small rows in one statement. Rows with errors get none.
// import_rows keeps its old action/site_id/site_version/before columns, no longer written; a committed
// batch's marks move here.
export const sql = /* sql */ `
CREATE TABLE import_results (
  batch_id     INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
  row          INTEGER NOT NULL,
  action       TEXT NOT NULL CHECK (action IN ('created', 'updated', 'skipped')),
  site_id      INTEGER, -- no foreign key: after undo it names a site that no longer exists
  site_version INTEGER,
  before       TEXT CHECK (before IS NULL OR json_valid(before)),
  PRIMARY KEY (batch_id, row)
) WITHOUT ROWID;

INSERT INTO import_results (batch_id, row, action, site_id, site_version, before)
  SELECT batch_id, row, action, site_id, site_version, before FROM import_rows WHERE action IS NOT NULL;
UPDATE import_rows SET action = NULL, site_id = NULL, site_version = NULL, before = NULL WHERE action IS NOT NULL OR site_id IS NOT NULL;
`;
