// 001: the first schema — reference places, sites with their append-only status history,
// road segments, inspections and the plan's tasks.
import { CATEGORY_CODES, CATEGORY_TASKS, SECTOR_CODES } from '../../../domain/categories.ts';
import { PRECISIONS, ROAD_SEVERITIES, ROAD_STATUS_CODES, SOURCES, STATUS_CODES } from '../../../domain/statuses.ts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

const categoryTaskRows = Object.entries(CATEGORY_TASKS)
  .flatMap(([category, tasks]) => tasks.map((task) => `('${category}', ${task})`))
  .join(',\n  ');

export const sql = /* sql */ `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- County-level units (GB/T 2260). Geometry is GeoJSON (Polygon | MultiPolygon) in WGS84.
CREATE TABLE counties (
  code TEXT PRIMARY KEY CHECK (length(code) = 6),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('district', 'county', 'city')),
  geometry TEXT NOT NULL,
  area_km2 REAL NOT NULL,
  min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
  seat_lon REAL, seat_lat REAL,
  label_lon REAL, label_lat REAL
);

-- Official 2023 township and village lists (NBS codes). No coordinates exist for them.
-- county_code is the unit whose polygon holds the township; admin_code the NBS parent code
-- (411171 经开区 townships lie inside 召陵区's polygon).
CREATE TABLE townships (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  admin_code TEXT NOT NULL,
  admin_name TEXT NOT NULL,
  county_code TEXT NOT NULL REFERENCES counties(code)
);
CREATE INDEX townships_county ON townships(county_code);

CREATE TABLE villages (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  township_code TEXT NOT NULL REFERENCES townships(code)
);
CREATE INDEX villages_township ON villages(township_code);

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  category TEXT NOT NULL CHECK (category IN (${list(CATEGORY_CODES)})),
  sector TEXT CHECK (sector IS NULL OR sector IN (${list(SECTOR_CODES)})),
  address TEXT,
  county_code TEXT NOT NULL REFERENCES counties(code),
  township_code TEXT REFERENCES townships(code),
  village_code TEXT REFERENCES villages(code),
  managing_zone TEXT CHECK (managing_zone IS NULL OR managing_zone IN ('经济技术开发区', '城乡一体化示范区', '西城区')),
  lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
  lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  precision TEXT NOT NULL CHECK (precision IN (${list(PRECISIONS)})),
  source TEXT NOT NULL CHECK (source IN (${list(SOURCES)})),
  -- Kept equal to the last site_events row by the triggers below; never set directly.
  status TEXT NOT NULL DEFAULT 'discovered' CHECK (status IN (${list(STATUS_CODES)})),
  discovered_on TEXT NOT NULL CHECK (discovered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  deadline TEXT,
  responsible_unit TEXT,
  note TEXT,
  seed_key TEXT UNIQUE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((precision = 'unlocated') = (lon IS NULL)),
  CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX sites_county_status ON sites(county_code, status);
CREATE INDEX sites_category ON sites(category);

-- Spatial index for bbox filters; kept in step with sites by triggers.
CREATE VIRTUAL TABLE sites_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat);

CREATE TRIGGER sites_rtree_insert AFTER INSERT ON sites WHEN NEW.lon IS NOT NULL BEGIN
  INSERT INTO sites_rtree VALUES (NEW.id, NEW.lon, NEW.lon, NEW.lat, NEW.lat);
END;
CREATE TRIGGER sites_rtree_update AFTER UPDATE OF lon, lat ON sites BEGIN
  DELETE FROM sites_rtree WHERE id = OLD.id;
  INSERT INTO sites_rtree SELECT NEW.id, NEW.lon, NEW.lon, NEW.lat, NEW.lat WHERE NEW.lon IS NOT NULL;
END;
CREATE TRIGGER sites_rtree_delete AFTER DELETE ON sites BEGIN
  DELETE FROM sites_rtree WHERE id = OLD.id;
END;

-- Append-only history. kind 'status' moves the status; kind 'location' records a placement
-- (from_status = to_status). A site's status on a date is its last event on or before it.
CREATE TABLE site_events (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'location')),
  from_status TEXT CHECK (from_status IS NULL OR from_status IN (${list(STATUS_CODES)})),
  to_status TEXT NOT NULL CHECK (to_status IN (${list(STATUS_CODES)})),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  actor TEXT NOT NULL,
  note TEXT,
  checklist TEXT CHECK (checklist IS NULL OR json_valid(checklist)),
  evidence TEXT CHECK (evidence IS NULL OR json_valid(evidence)),
  details TEXT CHECK (details IS NULL OR json_valid(details)),
  created_at TEXT NOT NULL
);
CREATE INDEX site_events_site_date ON site_events(site_id, date, id);
CREATE INDEX site_events_date ON site_events(date);

-- The one place that keeps sites.status equal to the last event.
CREATE TRIGGER site_events_set_status AFTER INSERT ON site_events BEGIN
  UPDATE sites SET status = (
    SELECT to_status FROM site_events WHERE site_id = NEW.site_id ORDER BY date DESC, id DESC LIMIT 1
  ) WHERE id = NEW.site_id;
END;
CREATE TRIGGER sites_status_guard BEFORE UPDATE OF status ON sites
WHEN NEW.status IS NOT (
  SELECT to_status FROM site_events WHERE site_id = NEW.id ORDER BY date DESC, id DESC LIMIT 1
) BEGIN
  SELECT RAISE(ABORT, 'sites.status must equal the last site_events row: add an event instead');
END;
CREATE TRIGGER site_events_no_update BEFORE UPDATE ON site_events BEGIN
  SELECT RAISE(ABORT, 'site_events is append-only');
END;
CREATE TRIGGER site_events_no_delete BEFORE DELETE ON site_events BEGIN
  SELECT RAISE(ABORT, 'site_events is append-only');
END;

CREATE TABLE road_segments (
  id INTEGER PRIMARY KEY,
  road_name TEXT NOT NULL CHECK (length(trim(road_name)) > 0),
  from_desc TEXT,
  to_desc TEXT,
  severity TEXT NOT NULL CHECK (severity IN (${list(ROAD_SEVERITIES)})),
  responsible_unit TEXT,
  deadline TEXT,
  county_code TEXT REFERENCES counties(code),
  -- GeoJSON LineString in WGS84; NULL while the segment is not yet drawn.
  geometry TEXT CHECK (geometry IS NULL OR json_valid(geometry)),
  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
  status TEXT NOT NULL DEFAULT 'reported' CHECK (status IN (${list(ROAD_STATUS_CODES)})),
  source TEXT NOT NULL CHECK (source IN (${list(SOURCES)})),
  task_number INTEGER REFERENCES tasks(number),
  reported_on TEXT NOT NULL,
  note TEXT,
  seed_key TEXT UNIQUE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE road_events (
  id INTEGER PRIMARY KEY,
  road_id INTEGER NOT NULL REFERENCES road_segments(id),
  kind TEXT NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'geometry')),
  from_status TEXT CHECK (from_status IS NULL OR from_status IN (${list(ROAD_STATUS_CODES)})),
  to_status TEXT NOT NULL CHECK (to_status IN (${list(ROAD_STATUS_CODES)})),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  actor TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX road_events_road_date ON road_events(road_id, date, id);

CREATE TRIGGER road_events_set_status AFTER INSERT ON road_events BEGIN
  UPDATE road_segments SET status = (
    SELECT to_status FROM road_events WHERE road_id = NEW.road_id ORDER BY date DESC, id DESC LIMIT 1
  ) WHERE id = NEW.road_id;
END;
CREATE TRIGGER road_status_guard BEFORE UPDATE OF status ON road_segments
WHEN NEW.status IS NOT (
  SELECT to_status FROM road_events WHERE road_id = NEW.id ORDER BY date DESC, id DESC LIMIT 1
) BEGIN
  SELECT RAISE(ABORT, 'road_segments.status must equal the last road_events row: add an event instead');
END;
CREATE TRIGGER road_events_no_update BEFORE UPDATE ON road_events BEGIN
  SELECT RAISE(ABORT, 'road_events is append-only');
END;
CREATE TRIGGER road_events_no_delete BEFORE DELETE ON road_events BEGIN
  SELECT RAISE(ABORT, 'road_events is append-only');
END;

CREATE TABLE inspections (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  inspector TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('operating', 'closed_as_recorded', 'relapsed', 'not_found', 'other')),
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX inspections_site_date ON inspections(site_id, date);

-- The plan's 31 tasks (漯发〔2020〕13号), loaded from seeds/plan-tasks.json.
CREATE TABLE tasks (
  number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
  group_number INTEGER NOT NULL,
  group_title TEXT NOT NULL,
  problem TEXT NOT NULL,
  target TEXT NOT NULL,
  measures TEXT NOT NULL CHECK (json_valid(measures)),
  leaders TEXT NOT NULL CHECK (json_valid(leaders)),
  lead_units TEXT NOT NULL CHECK (json_valid(lead_units)),
  assisting_units TEXT NOT NULL CHECK (json_valid(assisting_units)),
  units_text TEXT NOT NULL,
  deadline_kind TEXT NOT NULL CHECK (deadline_kind IN ('immediate', 'long_term', 'dated', 'done')),
  deadline_date TEXT,
  deadline_ongoing INTEGER NOT NULL CHECK (deadline_ongoing IN (0, 1)),
  deadline_text TEXT NOT NULL
);

-- Sites link to tasks by category (this table) and by hand (task_sites).
CREATE TABLE category_tasks (
  category TEXT NOT NULL,
  task_number INTEGER NOT NULL,
  PRIMARY KEY (category, task_number)
);
INSERT INTO category_tasks (category, task_number) VALUES
  ${categoryTaskRows};

CREATE TABLE task_sites (
  task_number INTEGER NOT NULL REFERENCES tasks(number),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  linked_by TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (task_number, site_id)
);
CREATE INDEX task_sites_site ON task_sites(site_id);

CREATE VIEW site_tasks AS
  SELECT s.id AS site_id, ct.task_number, 'category' AS link FROM sites s JOIN category_tasks ct ON ct.category = s.category
  UNION
  SELECT ts.site_id, ts.task_number, 'manual' AS link FROM task_sites ts;
`;
