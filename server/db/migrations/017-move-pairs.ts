// 017: the likely-move candidates kept on disk (server/store/relapse-move-pairs.ts), so the first
// relapse call or scorecard after a start reads them instead of searching the province again. One
// state row says which `sites` data version and which search definition (radius, days, k, weights,
// revision) the pairs reflect; a reader trusts them only for that definition, and brings them up to
// date from `site_changes` (015) since that version, which also catches writes made while the server
// was down. A cache: nothing else reads it, no trigger bumps a data version for it, and losing it
// costs one search.
export const sql = /* sql */ `
CREATE TABLE move_pairs (
  to_id           INTEGER NOT NULL,
  from_id         INTEGER NOT NULL,
  closed_on       TEXT NOT NULL,
  days            INTEGER NOT NULL,
  distance_km     REAL NOT NULL,
  name_similarity REAL NOT NULL,
  score           REAL NOT NULL,
  PRIMARY KEY (to_id, from_id)
) WITHOUT ROWID;
CREATE TABLE move_pairs_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  sites_version INTEGER NOT NULL,
  definition    TEXT NOT NULL,
  saved_at      TEXT NOT NULL
);
`;
