// 010: basemaps the operator registered (`npm run basemap -- add`): tile archives kept in
// data/basemaps/ beside the database, checked when added. At most one is the default.
export const sql = /* sql */ `
CREATE TABLE basemaps (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40 AND id NOT GLOB '*[^a-z0-9_-]*'),
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  file TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL CHECK (format IN ('pmtiles', 'mbtiles')),
  tile_format TEXT NOT NULL CHECK (tile_format IN ('png', 'jpeg', 'webp', 'mvt')),
  schema TEXT CHECK (schema IN ('protomaps', 'openmaptiles')),
  crs TEXT NOT NULL CHECK (crs IN ('wgs84', 'gcj02')),
  attribution TEXT NOT NULL,
  min_zoom INTEGER NOT NULL CHECK (min_zoom BETWEEN 0 AND 22),
  max_zoom INTEGER NOT NULL CHECK (max_zoom BETWEEN min_zoom AND 22),
  bounds TEXT CHECK (bounds IS NULL OR json_valid(bounds)),
  bytes INTEGER NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  CHECK ((tile_format = 'mvt') = (schema IS NOT NULL))
);
CREATE UNIQUE INDEX basemaps_one_default ON basemaps(is_default) WHERE is_default = 1;
`;
