// Loads the plan's tasks and the real places it names (seeds/). Idempotent: tasks are upserted,
// real records are inserted once (keyed by seed_key) and never duplicated. Where a record comes from
// (the plan, its task, the plan's sentence) goes to the provenance columns (migration 013); the note
// holds only what the user reads, in Chinese. The JSON's `comment` is for developers and not loaded.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../db/database.ts';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import type { RoadSeverity } from '../../domain/statuses.ts';
import { insertSite } from '../store/site-mutations.ts';
import { insertRoad } from '../store/road-store.ts';
import { hasSeedKey, replaceSeededNote, seededRecord, setProvenance, type Provenance, type ProvenanceTable } from '../store/provenance.ts';
import { linkSeededTaskSite, upsertPlanTask } from '../store/task-store.ts';
import type { PlanTask } from './parse-plan.ts';

export const SEEDS_DIR = resolve(import.meta.dirname, '../../seeds');

/** The plan was issued on this date; records it names were reported to the city by then. */
export const PLAN_DATE = '2020-07-23';
/** The provincial inspection sat 2019-12-12…27; places it found are dated to its last day. */
export const INSPECTION_END = '2019-12-27';

interface NamedSite {
  key: string;
  name: string;
  category: CategoryCode;
  sector: SectorCode | null;
  county: string;
  townshipCode: string | null;
  villageCode: string | null;
  address: string;
  asWritten: string;
  /** The plan's sentence naming the place, verbatim. */
  quote: string;
  task: number;
  /** What the user reads: Chinese only. */
  note: string;
}

interface NamedRoad {
  key: string;
  roadName: string;
  fromDesc: string | null;
  toDesc: string | null;
  asWritten: string;
  severity: RoadSeverity;
  county: string | null;
  responsibleUnit: string | null;
  dueDate: string | null;
  quote: string;
  task: number;
  note: string;
}

export class SeedError extends Error {}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new SeedError(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
}

export function seedPlanTasks(db: Db, file = resolve(SEEDS_DIR, 'plan-tasks.json')): number {
  const tasks = readJson<PlanTask[]>(file);
  db.transaction(() => {
    for (const task of tasks) upsertPlanTask(db, task);
  });
  return tasks.length;
}

/** The note a seeded site carries: the plan's facts in Chinese, and why its discovery date is what it is. */
const siteNote = (site: NamedSite) => `${site.note}\n发现日期取督察进驻期末（${INSPECTION_END}）：方案只写明督察进驻期间。`;

/** Notes written by earlier seeds carried this marker and developer English; they are replaced once. */
const OLD_NOTE_MARKER = '原文 As written:';

/**
 * A record seeded before migration 013 gets its provenance, and its old mixed-language note is replaced
 * by the Chinese one (a note a user has since edited no longer carries the marker and is kept). Its
 * history events are append-only and keep what they said.
 */
function backfill(db: Db, table: ProvenanceTable, key: string, provenance: Provenance, note: string): void {
  const row = seededRecord(db, table, key);
  if (!row) return;
  if (row.document === null) setProvenance(db, table, row.id, provenance);
  if (row.note?.includes(OLD_NOTE_MARKER)) replaceSeededNote(db, table, row.id, note);
}

/** The plan's named places as real, unlocated sites and undrawn road segments. Returns how many were new. */
export function seedNamedPlaces(db: Db, file = resolve(SEEDS_DIR, 'named-places.json')): number {
  const places = readJson<{ document: string; sites: NamedSite[]; roadSegments: NamedRoad[] }>(file);
  const now = `${PLAN_DATE}T00:00:00.000Z`;
  const provenance = (place: NamedSite | NamedRoad): Provenance => ({ document: places.document, task: place.task, quote: place.quote });
  let added = 0;
  db.transaction(() => {
    for (const site of places.sites) {
      if (hasSeedKey(db, 'sites', site.key)) {
        backfill(db, 'sites', site.key, provenance(site), siteNote(site));
        continue;
      }
      const id = insertSite(
        db,
        {
          name: site.name,
          category: site.category,
          sector: site.sector,
          address: site.address,
          countyCode: site.county,
          townshipCode: site.townshipCode,
          villageCode: site.villageCode,
          lon: null,
          lat: null,
          precision: 'unlocated',
          source: 'real',
          discoveredOn: INSPECTION_END,
          note: siteNote(site),
          seedKey: site.key,
          actor: '省委“三散”污染治理专项督察组',
        },
        now,
      );
      setProvenance(db, 'sites', id, provenance(site));
      linkSeededTaskSite(db, site.task, id, now);
      added++;
    }
    for (const road of places.roadSegments) {
      if (hasSeedKey(db, 'road_segments', road.key)) {
        backfill(db, 'road_segments', road.key, provenance(road), road.note);
        continue;
      }
      const id = insertRoad(
        db,
        {
          roadName: road.roadName,
          fromDesc: road.fromDesc,
          toDesc: road.toDesc,
          severity: road.severity,
          responsibleUnit: road.responsibleUnit,
          deadline: road.dueDate,
          countyCode: road.county,
          geometry: null,
          reportedOn: INSPECTION_END,
          task: road.task,
          note: road.note,
          source: 'real',
          seedKey: road.key,
          actor: '省委“三散”污染治理专项督察组',
        },
        { now },
      );
      setProvenance(db, 'road_segments', id, provenance(road));
      added++;
    }
  });
  return added;
}
