// 019: the site histories kept in memory by the relapse analysis and the scorecards, saved as one
// compact blob (server/store/site-history-snapshot.ts), so the first call after a start reads one row
// instead of every site and status event. The row says which `sites` data version it reflects and in
// which format; a reader trusts it only for its own format and a version no later than the data's, and
// reads again the sites in `site_changes` (015) since that version — writes made after the save, also
// while the server was down. A cache, as the saved move candidates (017): nothing else reads it, no
// trigger bumps a data version for it, and losing it costs one full read. A later migration that
// rewrites `sites` or `site_events` without their triggers must delete this row (and 017's state).
export const sql = /* sql */ `
CREATE TABLE site_history_snapshot (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  sites_version INTEGER NOT NULL,
  format        TEXT NOT NULL,
  saved_at      TEXT NOT NULL,
  data          BLOB NOT NULL
);
`;
