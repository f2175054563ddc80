// 015: which sites changed, and when (in `sites` data versions). The likely-move index and the
// scorecards keep every site's history in memory and, after a write, reload only the sites whose
// row here is at least the `sites` version they last saw (server/store/relapse-store.ts), instead
// of the province. One row per site (replaced on each change), so the table never outgrows `sites`.
// The version read here may be the one before or after this statement's own bump (trigger order is
// not promised): a reader asks for seq >= the version it last saw, which covers both.
const touch = (id: string) =>
  /* sql */ `INSERT OR REPLACE INTO site_changes (site_id, seq) VALUES (${id}, (SELECT version FROM data_versions WHERE topic = 'sites'));`;

export const sql = /* sql */ `
CREATE TABLE site_changes (
  site_id INTEGER PRIMARY KEY,
  seq     INTEGER NOT NULL
);
CREATE INDEX site_changes_seq ON site_changes(seq);
CREATE TRIGGER sites_change_insert AFTER INSERT ON sites BEGIN ${touch('NEW.id')} END;
CREATE TRIGGER sites_change_update AFTER UPDATE OF name, category, lon, lat, county_code, township_code, discovered_on, status, deadline, source ON sites BEGIN
  ${touch('OLD.id')} ${touch('NEW.id')}
END;
CREATE TRIGGER sites_change_delete AFTER DELETE ON sites BEGIN ${touch('OLD.id')} END;
CREATE TRIGGER site_events_change_insert AFTER INSERT ON site_events BEGIN ${touch('NEW.site_id')} END;
CREATE TRIGGER site_events_change_update AFTER UPDATE ON site_events BEGIN ${touch('OLD.site_id')} ${touch('NEW.site_id')} END;
CREATE TRIGGER site_events_change_delete AFTER DELETE ON site_events BEGIN ${touch('OLD.site_id')} END;
`;
