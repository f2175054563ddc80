// 010: roads worked from the page. Status moves keep their evidence (photos as "photo/REF", like
// site_events.evidence), and a road's responsible county changes only through a recorded
// assignment (who, when, from, to): road_assignments is append-only, and a trigger refuses any
// change of road_segments.county_code that is not the last assignment's county.
export const sql = /* sql */ `
ALTER TABLE road_events ADD COLUMN evidence TEXT CHECK (evidence IS NULL OR json_valid(evidence));

CREATE TABLE road_assignments (
  id INTEGER PRIMARY KEY,
  road_id INTEGER NOT NULL REFERENCES road_segments(id),
  from_county TEXT REFERENCES counties(code),
  to_county TEXT NOT NULL REFERENCES counties(code),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  actor TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX road_assignments_road ON road_assignments(road_id, id);
CREATE TRIGGER road_assignments_no_update BEFORE UPDATE ON road_assignments BEGIN
  SELECT RAISE(ABORT, 'road_assignments is append-only');
END;
CREATE TRIGGER road_assignments_no_delete BEFORE DELETE ON road_assignments BEGIN
  SELECT RAISE(ABORT, 'road_assignments is append-only');
END;
CREATE TRIGGER road_county_guard BEFORE UPDATE OF county_code ON road_segments
WHEN NEW.county_code IS NOT OLD.county_code
  AND NEW.county_code IS NOT (SELECT to_county FROM road_assignments WHERE road_id = NEW.id ORDER BY id DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'road_segments.county_code changes only with a road_assignments row: assign the road instead');
END;
`;
