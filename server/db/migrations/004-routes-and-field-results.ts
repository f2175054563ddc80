// 004: saved inspection routes, and what an inspection records in the field (time, the
// inspector's position when the phone gives it, a photo reference, the route it was on).
export const sql = /* sql */ `
CREATE TABLE inspection_routes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  plan TEXT NOT NULL CHECK (json_valid(plan)),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

ALTER TABLE inspections ADD COLUMN recorded_at TEXT;
ALTER TABLE inspections ADD COLUMN lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180);
ALTER TABLE inspections ADD COLUMN lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90);
ALTER TABLE inspections ADD COLUMN photo TEXT;
ALTER TABLE inspections ADD COLUMN route_id INTEGER REFERENCES inspection_routes(id);
`;
