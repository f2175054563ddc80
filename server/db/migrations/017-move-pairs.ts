// 017: the likely-move candidates kept on disk (server/store/relapse-move-pairs.ts), so the first
// relapse call or scorecard after a start reads them instead of searching the province again. One
// state row says which `sites` data version and which search definition (radius, days, k, weights,
// revision) the pairs reflect; a reader trusts them only for that definition, and brings them up to
// date from `site_changes` (015) since that version, which also catches writes made while the server
// was down. A cache: nothing else reads it, no trigger bumps a data version for it, and losing it
// costs one search. The pairs are packed per 256 new-site ids: read back in a few hundred rows, and a
// write rewrites only the chunks of the new sites searched again.
export const sql = /* sql */ `
CREATE TABLE move_pair_chunks (
  chunk INTEGER PRIMARY KEY,  -- the new sites' ids >> 8
  pairs BLOB NOT NULL         -- float64 little-endian, per pair: new id, old id, days, distance km, name similarity, score
);
CREATE TABLE move_pairs_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  sites_version INTEGER NOT NULL,
  definition    TEXT NOT NULL,
  saved_at      TEXT NOT NULL
);
`;
