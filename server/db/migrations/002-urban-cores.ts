// 002: urban cores that planners draw and save by name, for the siege analysis (工业围城).
// The default core (a 6 km circle round the city government seat) is computed, not stored.
export const sql = /* sql */ `
CREATE TABLE urban_cores (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  geometry TEXT NOT NULL CHECK (json_valid(geometry)),
  note TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
