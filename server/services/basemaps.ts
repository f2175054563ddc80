// Basemap changes made with `npm run basemap` (server/cli/basemap.ts): add a checked archive,
// remove one, choose the default. Each row change and its audit record are one transaction.
import type { Db } from '../db/database.ts';
import { appendAudit, type AuditActor } from '../auth/audit.ts';
import { defaultBasemapId, deleteBasemapRow, getBasemap, insertBasemapRow, setDefaultBasemapRow, type BasemapRecord } from '../store/basemap-store.ts';

/** Adds a checked basemap (its file already in place) with its audit record. */
export function insertBasemap(db: Db, record: Omit<BasemapRecord, 'isDefault'>, actor: AuditActor): void {
  db.transaction(() => {
    insertBasemapRow(db, record);
    appendAudit(db, { ...actor, action: 'basemap.add', target: `basemap:${record.id}`, before: null, after: { ...record } });
  });
}

/** Removes a basemap's row (null when there is none); the caller removes the file. */
export function deleteBasemap(db: Db, id: string, actor: AuditActor): BasemapRecord | null {
  return db.transaction(() => {
    const before = getBasemap(db, id);
    if (!before) return null;
    deleteBasemapRow(db, id);
    appendAudit(db, { ...actor, action: 'basemap.remove', target: `basemap:${id}`, before, after: null });
    return before;
  });
}

/** Makes `id` the basemap the page opens on (null: the plain offline map). */
export function setDefaultBasemap(db: Db, id: string | null, actor: AuditActor): void {
  db.transaction(() => {
    const before = defaultBasemapId(db);
    setDefaultBasemapRow(db, id);
    appendAudit(db, { ...actor, action: 'basemap.default', target: id ? `basemap:${id}` : null, before: { default: before }, after: { default: id } });
  });
}
