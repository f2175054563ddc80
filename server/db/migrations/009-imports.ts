// 009: ledger imports. A batch is one uploaded file: first a preview (its parsed rows staged in
// import_rows, kept until `expires_at`), then committed (the sites it created or updated carry its
// id) or discarded, and a committed batch can be undone as a whole while none of its sites has
// changed since. Saved column mappings are reused between files of the same shape.
//
// History stays append-only: the one exception is undo, which may delete the events a batch wrote
// (site_events.import_batch = the batch) only while that batch is marked 'undoing' inside the undo
// transaction. After such a delete the site's status follows its last remaining event again.
export const sql = /* sql */ `
CREATE TABLE import_batches (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx', 'geojson', 'kml', 'kmz')),
  options TEXT NOT NULL CHECK (json_valid(options)),
  state TEXT NOT NULL CHECK (state IN ('preview', 'committed', 'undoing', 'undone', 'discarded')),
  counts TEXT NOT NULL CHECK (json_valid(counts)),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  committed_by TEXT,
  committed_at TEXT,
  undone_by TEXT,
  undone_at TEXT
);
CREATE INDEX import_batches_state ON import_batches(state, expires_at);

-- One row of the file as the preview judged it. data: the site it becomes (JSON), or NULL for an
-- error row. After commit: action (created | updated | skipped), site_id, the site's version
-- right after the commit (undo refuses when it moved on) and, for updates, the columns before.
CREATE TABLE import_rows (
  batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
  row INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('new', 'update', 'duplicate', 'error')),
  name TEXT,
  data TEXT CHECK (data IS NULL OR json_valid(data)),
  errors TEXT NOT NULL CHECK (json_valid(errors)),
  warnings TEXT NOT NULL CHECK (json_valid(warnings)),
  duplicate_of TEXT CHECK (duplicate_of IS NULL OR json_valid(duplicate_of)),
  action TEXT CHECK (action IS NULL OR action IN ('created', 'updated', 'skipped')),
  site_id INTEGER, -- no foreign key: after undo it names a site that no longer exists
  site_version INTEGER,
  before TEXT CHECK (before IS NULL OR json_valid(before)),
  PRIMARY KEY (batch_id, row)
) WITHOUT ROWID;

CREATE TABLE import_mappings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  mapping TEXT NOT NULL CHECK (json_valid(mapping)),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

ALTER TABLE sites ADD COLUMN import_batch INTEGER REFERENCES import_batches(id);
ALTER TABLE site_events ADD COLUMN import_batch INTEGER REFERENCES import_batches(id);
CREATE INDEX site_events_import_batch ON site_events(import_batch) WHERE import_batch IS NOT NULL;

DROP TRIGGER site_events_no_delete;
CREATE TRIGGER site_events_no_delete BEFORE DELETE ON site_events
WHEN OLD.import_batch IS NULL
  OR NOT EXISTS (SELECT 1 FROM import_batches WHERE id = OLD.import_batch AND state = 'undoing') BEGIN
  SELECT RAISE(ABORT, 'site_events is append-only');
END;
CREATE TRIGGER site_events_undo_status AFTER DELETE ON site_events
WHEN EXISTS (SELECT 1 FROM site_events WHERE site_id = OLD.site_id) BEGIN
  UPDATE sites SET status = (
    SELECT to_status FROM site_events WHERE site_id = OLD.site_id ORDER BY date DESC, id DESC LIMIT 1
  ) WHERE id = OLD.site_id;
END;
`;
