// What the server does on a clock: scheduled backups with retention (SANSAN_BACKUP_DIR +
// SANSAN_BACKUP_EVERY_HOURS, keeping SANSAN_BACKUP_KEEP, default 14) and the daily anchor of the
// audit chain's head. Each check runs hourly; a failure is logged and retried at the next check.
import { anchorAuditHead, lastAnchorAt } from '../auth/audit-seal.ts';
import type { Db } from '../db/database.ts';
import { backupDatabase, lastBackup, pruneBackups } from './backup.ts';
import type { Logger } from './log.ts';

export interface BackupSchedule {
  dir: string;
  everyHours: number;
  keep: number;
}

const HOUR = 3_600_000;

/** The schedule from the environment, or null when SANSAN_BACKUP_DIR is not set. */
export function backupScheduleFromEnv(env: NodeJS.ProcessEnv): BackupSchedule | null {
  if (!env.SANSAN_BACKUP_DIR) return null;
  const everyHours = Number(env.SANSAN_BACKUP_EVERY_HOURS ?? 24);
  const keep = Number(env.SANSAN_BACKUP_KEEP ?? 14);
  if (!(everyHours > 0)) throw new Error(`SANSAN_BACKUP_EVERY_HOURS must be a positive number of hours (got ${env.SANSAN_BACKUP_EVERY_HOURS})`);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`SANSAN_BACKUP_KEEP must be a whole number of backups, at least 1 (got ${env.SANSAN_BACKUP_KEEP})`);
  return { dir: env.SANSAN_BACKUP_DIR, everyHours, keep };
}

/** One check: a backup if one is due (then the oldest beyond `keep` go), an anchor if a day has passed. */
export async function runDueWork(db: Db, dbPath: string, appVersion: string, schedule: BackupSchedule | null, log: Logger, now = Date.now()): Promise<void> {
  if (schedule) {
    const last = lastBackup(db);
    if (!last || now - Date.parse(last.at) >= schedule.everyHours * HOUR) {
      try {
        const { dir, manifest } = await backupDatabase(db, dbPath, schedule.dir, appVersion);
        const removed = pruneBackups(schedule.dir, schedule.keep);
        log.info({ event: 'backup', dir, sites: manifest.counts.sites, auditRecords: manifest.audit.records, removed });
      } catch (error) {
        log.error({ event: 'backup_failed', error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  const anchored = lastAnchorAt(db);
  if (!anchored || now - Date.parse(anchored) >= 24 * HOUR) anchorAuditHead(db, 'daily');
}

/** Runs runDueWork now and every hour; returns the stop function. */
export function startSchedule(db: Db, dbPath: string, appVersion: string, schedule: BackupSchedule | null, log: Logger): () => void {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= runDueWork(db, dbPath, appVersion, schedule, log).finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
