// 005: officials' decisions on likely moves (改头换面转移): confirmed or dismissed, by whom and when.
// The latest decision on a pair counts; earlier ones stay as the record.
export const sql = /* sql */ `
CREATE TABLE move_decisions (
  id INTEGER PRIMARY KEY,
  move_key TEXT NOT NULL,
  from_site INTEGER NOT NULL REFERENCES sites(id),
  to_site INTEGER NOT NULL REFERENCES sites(id),
  decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
  note TEXT,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX move_decisions_key ON move_decisions(move_key, id);
`;
