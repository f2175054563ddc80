// The server's configuration: every environment variable it reads, checked by one zod schema before
// anything happens (no build, no database file, no password printed). A bad value stops start-up
// with one line per variable: its name, what it must be and what it was.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Level } from 'pino';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './auth/passwords.ts';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from './auth/sessions.ts';
import type { CappedPool } from './db/threads.ts';
import type { BackupSchedule } from './ops/schedule.ts';
import { basemapsFromEnv } from './routes/config.ts';

/** A variable left empty counts as not set. */
const unset = (value: unknown) => (value === '' ? undefined : value);

/** A number written in the variable, with the product's words when it is not one. */
const numberText = (what: string, check: (n: number) => boolean) =>
  z.preprocess(
    unset,
    z
      .string()
      .refine((text) => text.trim() !== '' && check(Number(text)), { error: (issue) => `must be ${what}, not "${String(issue.input)}"` })
      .transform(Number)
      .optional(),
  );

/** A worker thread's heap cap in MB (server/db/threads.ts); 0 leaves V8's default. */
const heapMb = numberText('a whole number of MB, 0 (no cap) or from 32', (n) => Number.isInteger(n) && (n === 0 || n >= 32));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const Environment = z.object({
  PORT: numberText('a port number, a whole number from 0 to 65535', (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
  HOST: z.preprocess(unset, z.string().optional()),
  SANSAN_DB: z.preprocess(unset, z.string().optional()),
  SANSAN_DEMO: z.preprocess(unset, z.enum(['0', '1'], { error: (issue) => `must be 0 (no demo data) or 1, not "${String(issue.input)}"` }).optional()),
  SANSAN_LOG_LEVEL: z.preprocess(
    unset,
    z.enum(LOG_LEVELS, { error: (issue) => `must be one of ${LOG_LEVELS.join(', ')}, not "${String(issue.input)}"` }).optional(),
  ),
  SANSAN_ADMIN_PASSWORD: z.preprocess(
    unset,
    z
      .string()
      .refine((password) => passwordProblem(password) === null, {
        error: (issue) => `${passwordProblem(String(issue.input)) ?? ''} (at least ${MIN_PASSWORD_LENGTH})`,
      })
      .optional(),
  ),
  SANSAN_BASEMAPS: z.preprocess(
    unset,
    z
      .string()
      .transform((text, ctx) => {
        try {
          return basemapsFromEnv(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^SANSAN_BASEMAPS:? ?/, '') });
          return z.NEVER;
        }
      })
      .optional(),
  ),
  SANSAN_SESSION_IDLE_MINUTES: numberText('a positive number of minutes', (n) => n > 0),
  SANSAN_SESSION_MAX_HOURS: numberText('a positive number of hours', (n) => n > 0),
  SANSAN_BACKUP_DIR: z.preprocess(unset, z.string().optional()),
  SANSAN_BACKUP_EVERY_HOURS: numberText('a positive number of hours', (n) => n > 0),
  SANSAN_BACKUP_KEEP: numberText('a whole number of backups, at least 1', (n) => Number.isInteger(n) && n >= 1),
  SANSAN_AUDIT_KEY: z.preprocess(
    unset,
    z
      .string()
      .refine((text) => /^[0-9a-fA-F]{64,}$/.test(text.trim()) || text.trim().length >= 32, {
        error: 'is too short: give 64 hex digits (or at least 32 characters)',
      })
      .optional(),
  ),
  SANSAN_AUDIT_ANCHORS: z.preprocess(unset, z.string().optional()),
  SANSAN_ANALYSIS_HEAP_MB: heapMb,
  SANSAN_EXPORT_HEAP_MB: heapMb,
  SANSAN_IMPORT_HEAP_MB: heapMb,
  SANSAN_TRUSTED_PROXIES: z.preprocess(
    unset,
    z
      .string()
      .refine(
        (text) =>
          text
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
            .every((part) => isIP(part) !== 0),
        {
          error: (issue) => `must be comma-separated IP addresses, not "${String(issue.input)}"`,
        },
      )
      .optional(),
  ),
});

export interface ServerConfig {
  port: number;
  host: string | undefined;
  /** Absolute path of the database file. */
  dbPath: string;
  demo: boolean;
  logLevel: Level | 'silent';
  adminPassword: string | undefined;
  basemaps: ReturnType<typeof basemapsFromEnv>;
  sessions: SessionSettings;
  backups: BackupSchedule | null;
  /** Heap caps of the worker threads in MB (null: V8's default); unset ones keep DEFAULT_THREAD_HEAP_MB. */
  threadHeapMb: Partial<Record<CappedPool, number | null>>;
}

/** A configuration that cannot be used; its message names each variable and why. */
export class ConfigError extends Error {}

/** The configuration from `env`, or ConfigError listing every bad variable. `root` anchors SANSAN_DB. */
export function parseConfig(env: NodeJS.ProcessEnv, root: string): ServerConfig {
  const result = Environment.safeParse(env);
  if (!result.success) throw new ConfigError(`configuration: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const e = result.data;
  return {
    port: e.PORT ?? 8080,
    host: e.HOST,
    dbPath: resolve(root, e.SANSAN_DB ?? 'data/sansan.db'),
    demo: e.SANSAN_DEMO !== '0',
    logLevel: e.SANSAN_LOG_LEVEL ?? 'info',
    adminPassword: e.SANSAN_ADMIN_PASSWORD,
    basemaps: e.SANSAN_BASEMAPS ?? [],
    sessions: {
      ...DEFAULT_SESSION_SETTINGS,
      idleMinutes: e.SANSAN_SESSION_IDLE_MINUTES ?? DEFAULT_SESSION_SETTINGS.idleMinutes,
      maxHours: e.SANSAN_SESSION_MAX_HOURS ?? DEFAULT_SESSION_SETTINGS.maxHours,
    },
    backups: e.SANSAN_BACKUP_DIR ? { dir: e.SANSAN_BACKUP_DIR, everyHours: e.SANSAN_BACKUP_EVERY_HOURS ?? 24, keep: e.SANSAN_BACKUP_KEEP ?? 14 } : null,
    threadHeapMb: Object.fromEntries(
      (
        [
          ['analysis', e.SANSAN_ANALYSIS_HEAP_MB],
          ['export', e.SANSAN_EXPORT_HEAP_MB],
          ['import', e.SANSAN_IMPORT_HEAP_MB],
        ] as const
      )
        .filter(([, mb]) => mb !== undefined)
        .map(([pool, mb]) => [pool, mb || null]),
    ),
  };
}
