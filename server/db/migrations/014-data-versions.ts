// 014: a version number per kind of data, raised by every insert, update or delete of its tables,
// whoever writes (the server, an import, the command-line tools). A cache or an index keyed on the
// versions of the data it was built from stays valid across writes to anything else: a sign-in,
// a session touch or an audit record no longer empties the map's caches (issue #17).
// The numbers only grow; a reader compares them, never does arithmetic on their meaning.
export const DATA_TOPICS = {
  /** What the map, the county counts and the analyses read: sites and their status histories. */
  sites: ['sites', 'site_events'],
  inspections: ['inspections'],
  tasks: ['tasks', 'task_sites', 'category_tasks', 'task_notes'],
  moves: ['move_decisions'],
  roads: ['road_segments', 'road_events', 'road_assignments'],
  cores: ['urban_cores'],
  routes: ['inspection_routes'],
  users: ['users', 'user_counties'],
  basemaps: ['basemaps'],
  imports: ['import_batches', 'import_mappings'],
} as const;

export type DataTopic = keyof typeof DATA_TOPICS;

const triggers = (topic: string, table: string) =>
  (['INSERT', 'UPDATE', 'DELETE'] as const)
    .map(
      (op) => /* sql */ `
CREATE TRIGGER ${table}_version_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
  UPDATE data_versions SET version = version + 1 WHERE topic = '${topic}';
END;`,
    )
    .join('');

export const sql =
  /* sql */ `
CREATE TABLE data_versions (
  topic   TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
` +
  Object.entries(DATA_TOPICS)
    .map(([topic, tables]) => `INSERT INTO data_versions (topic) VALUES ('${topic}');` + tables.map((table) => triggers(topic, table)).join(''))
    .join('\n');
