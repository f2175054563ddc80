// Loads the plan's tasks and the real places it names (seeds/). Idempotent: tasks are upserted,
// real records are inserted once (keyed by seed_key) and never duplicated.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../db/database.ts';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import type { RoadSeverity } from '../../domain/statuses.ts';
import { insertSite } from '../store/site-mutations.ts';
import { insertRoad } from '../store/road-store.ts';
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
  task: number;
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
    for (const task of tasks)
      db.run(
        `INSERT INTO tasks (number, group_number, group_title, problem, target, measures, leaders, lead_units, assisting_units,
           units_text, deadline_kind, deadline_date, deadline_ongoing, deadline_text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (number) DO UPDATE SET group_number = excluded.group_number, group_title = excluded.group_title,
           problem = excluded.problem, target = excluded.target, measures = excluded.measures, leaders = excluded.leaders,
           lead_units = excluded.lead_units, assisting_units = excluded.assisting_units, units_text = excluded.units_text,
           deadline_kind = excluded.deadline_kind, deadline_date = excluded.deadline_date,
           deadline_ongoing = excluded.deadline_ongoing, deadline_text = excluded.deadline_text`,
        [
          task.number, task.group, task.groupTitle, task.problem, task.target, JSON.stringify(task.measures),
          JSON.stringify(task.leaders), JSON.stringify(task.units.lead), JSON.stringify(task.units.assisting), task.unitsText,
          task.deadline.kind, task.deadline.date, task.deadline.ongoing ? 1 : 0, task.deadline.text,
        ],
      );
  });
  return tasks.length;
}

/** The plan's named places as real, unlocated sites and undrawn road segments. Returns how many were new. */
export function seedNamedPlaces(db: Db, file = resolve(SEEDS_DIR, 'named-places.json')): number {
  const places = readJson<{ sites: NamedSite[]; roadSegments: NamedRoad[] }>(file);
  const now = `${PLAN_DATE}T00:00:00.000Z`;
  let added = 0;
  db.transaction(() => {
    for (const site of places.sites) {
      if (db.get('SELECT 1 FROM sites WHERE seed_key = ?', [site.key])) continue;
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
          note: `${site.note}\n原文 As written: ${site.asWritten}（漯发〔2020〕13号 任务${site.task}）。发现日期取督察进驻期末 ${INSPECTION_END}：the plan gives only the inspection period.`,
          seedKey: site.key,
          actor: '省委“三散”污染治理专项督察组',
        },
        now,
      );
      db.run(`INSERT OR IGNORE INTO task_sites (task_number, site_id, linked_by, linked_at) VALUES (?, ?, 'seed', ?)`, [site.task, id, now]);
      added++;
    }
    for (const road of places.roadSegments) {
      if (db.get('SELECT 1 FROM road_segments WHERE seed_key = ?', [road.key])) continue;
      insertRoad(
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
          note: `${road.note}\n原文 As written: ${road.asWritten}`,
          source: 'real',
          seedKey: road.key,
          actor: '省委“三散”污染治理专项督察组',
        },
        { now },
      );
      added++;
    }
  });
  return added;
}
