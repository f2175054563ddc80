// The plan's 31 tasks and the sites and road segments linked to them.
import { campaignDay } from '../../domain/days.ts';
import type { Db } from '../db/database.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { badRequest, notFound } from '../errors.ts';
import { taskState, type TaskState } from '../../domain/task-states.ts';

export type { TaskState };

interface TaskRow {
  number: number;
  group_number: number;
  group_title: string;
  problem: string;
  target: string;
  measures: string;
  leaders: string;
  lead_units: string;
  assisting_units: string;
  units_text: string;
  deadline_kind: 'immediate' | 'long_term' | 'dated' | 'done';
  deadline_date: string | null;
  deadline_ongoing: number;
  deadline_text: string;
}

interface ProgressRow {
  task_number: number;
  sites: number;
  open: number;
  closed: number;
  relapsed: number;
  verified: number;
}

type Progress = Omit<ProgressRow, 'task_number'> & { roads: number; roadsOpen: number };

function progressByTask(db: Db): Map<number, Progress> {
  const rows = db.all<ProgressRow>(
    `SELECT st.task_number, count(*) AS sites,
       sum(s.status IN ('discovered', 'rectifying', 'relapsed')) AS open,
       sum(s.status IN ('closed', 'upgraded', 'relocated', 'verified')) AS closed,
       sum(s.status = 'relapsed') AS relapsed,
       sum(s.status = 'verified') AS verified
     FROM (SELECT DISTINCT site_id, task_number FROM site_tasks) st JOIN sites s ON s.id = st.site_id
     WHERE s.status <> 'voided'
     GROUP BY st.task_number`,
  );
  const roads = new Map(
    db
      .all<{ task_number: number; roads: number; roadsOpen: number }>(
        "SELECT task_number, count(*) AS roads, sum(status <> 'repaired') AS roadsOpen FROM road_segments WHERE task_number IS NOT NULL GROUP BY task_number",
      )
      .map(({ task_number, ...rest }) => [task_number, rest]),
  );
  const numbers = new Set([...rows.map((row) => row.task_number), ...roads.keys()]);
  const bySite = new Map(rows.map(({ task_number, ...rest }) => [task_number, rest]));
  return new Map(
    [...numbers].map((number) => [
      number,
      { ...(bySite.get(number) ?? { sites: 0, open: 0, closed: 0, relapsed: 0, verified: 0 }), ...(roads.get(number) ?? { roads: 0, roadsOpen: 0 }) },
    ]),
  );
}

function toTask(row: TaskRow, categories: CategoryCode[], progress: Progress | undefined) {
  return {
    number: row.number,
    group: row.group_number,
    groupTitle: row.group_title,
    problem: row.problem,
    target: row.target,
    measures: JSON.parse(row.measures) as string[],
    leaders: JSON.parse(row.leaders) as { name: string; title: string }[],
    leadUnits: JSON.parse(row.lead_units) as string[],
    assistingUnits: JSON.parse(row.assisting_units) as string[],
    unitsText: row.units_text,
    deadline: { kind: row.deadline_kind, date: row.deadline_date, ongoing: row.deadline_ongoing === 1, text: row.deadline_text },
    categories,
    progress: progress ?? { sites: 0, open: 0, closed: 0, relapsed: 0, verified: 0, roads: 0, roadsOpen: 0 },
  };
}

function categoriesByTask(db: Db): Map<number, CategoryCode[]> {
  const map = new Map<number, CategoryCode[]>();
  for (const row of db.all<{ task_number: number; category: CategoryCode }>('SELECT task_number, category FROM category_tasks ORDER BY category'))
    map.set(row.task_number, [...(map.get(row.task_number) ?? []), row.category]);
  return map;
}

export interface TaskFilter {
  /** A responsible unit, lead or assisting (substring, e.g. 市生态环境局). */
  unit?: string;
  /** A responsible leader's name. */
  leader?: string;
  state?: TaskState;
  today: string;
}

export function listTasks(db: Db, filter: TaskFilter = { today: campaignDay() }) {
  const progress = progressByTask(db);
  const categories = categoriesByTask(db);
  return db
    .all<TaskRow>('SELECT * FROM tasks ORDER BY number')
    .map((row) => toTask(row, categories.get(row.number) ?? [], progress.get(row.number)))
    .map((task) => ({ ...task, state: taskState(task, filter.today) }))
    .filter((task) => !filter.unit || [...task.leadUnits, ...task.assistingUnits].some((unit) => unit.includes(filter.unit!)))
    .filter((task) => !filter.leader || task.leaders.some((leader) => leader.name === filter.leader!.replace(/\s/g, '')))
    .filter((task) => !filter.state || task.state === filter.state);
}

export function taskNotes(db: Db, number: number) {
  return db.all<{ id: number; author: string; text: string; createdAt: string }>(
    'SELECT id, author, text, created_at AS createdAt FROM task_notes WHERE task_number = ? ORDER BY id',
    [number],
  );
}

export function addTaskNote(db: Db, number: number, author: string, text: string) {
  if (!db.get('SELECT 1 FROM tasks WHERE number = ?', [number]))
    throw notFound(`task ${number} does not exist; the plan has tasks 1–31`, { kind: 'task', id: number, number });
  const result = db.run('INSERT INTO task_notes (task_number, author, text, created_at) VALUES (?, ?, ?, ?)', [
    number,
    author,
    text.trim(),
    new Date().toISOString(),
  ]);
  return { id: Number(result.lastInsertRowid), author, text: text.trim() };
}

/** Replaces the sites linked to a task by hand (links by category stay). All or nothing. */
export function setTaskSites(db: Db, number: number, siteIds: readonly number[], actor: string): void {
  db.transaction(() => {
    if (!db.get('SELECT 1 FROM tasks WHERE number = ?', [number]))
      throw notFound(`task ${number} does not exist; the plan has tasks 1–31`, { kind: 'task', id: number, number });
    const unique = [...new Set(siteIds)];
    const known = new Set(
      unique.length ? db.all<{ id: number }>(`SELECT id FROM sites WHERE id IN (${unique.map(() => '?').join(', ')})`, unique).map((r) => r.id) : [],
    );
    const missing = unique.filter((id) => !known.has(id));
    if (missing.length)
      throw badRequest('bad_field', `siteIds: no site ${missing.join(', ')}`, { field: 'siteIds', reason: 'unknown_ref', value: missing, missing });
    db.run('DELETE FROM task_sites WHERE task_number = ?', [number]);
    const now = new Date().toISOString();
    for (const id of unique) db.run('INSERT INTO task_sites (task_number, site_id, linked_by, linked_at) VALUES (?, ?, ?, ?)', [number, id, actor, now]);
  });
}

export function getTask(db: Db, number: number, today: string = campaignDay()) {
  const row = db.get<TaskRow>('SELECT * FROM tasks WHERE number = ?', [number]);
  if (!row) throw notFound(`task ${number} does not exist; the plan has tasks 1–31`, { kind: 'task', id: number, number });
  const task = toTask(row, categoriesByTask(db).get(number) ?? [], progressByTask(db).get(number));
  const notes = taskNotes(db, number);
  const sites = db.all<{ id: number; name: string; category: CategoryCode; status: string; county: string; source: string; link: 'category' | 'manual' }>(
    `SELECT s.id, s.name, s.category, s.status, s.county_code AS county, s.source, min(st.link) AS link
     FROM site_tasks st JOIN sites s ON s.id = st.site_id WHERE st.task_number = ? AND s.status <> 'voided' GROUP BY s.id ORDER BY s.id`,
    [number],
  );
  const roads = db.all<{ id: number; roadName: string; status: string; source: string }>(
    'SELECT id, road_name AS roadName, status, source FROM road_segments WHERE task_number = ? ORDER BY id',
    [number],
  );
  return { ...task, state: taskState(task, today), sites, roads, notes };
}

/** True when the plan has task `number`. */
export function taskExists(db: Db, number: number): boolean {
  return db.get('SELECT 1 FROM tasks WHERE number = ?', [number]) !== undefined;
}

/** The ids of the sites linked to a task by hand, in order. */
export function taskSiteIds(db: Db, number: number): number[] {
  return db.all<{ id: number }>('SELECT site_id AS id FROM task_sites WHERE task_number = ? ORDER BY site_id', [number]).map((row) => row.id);
}

/** A task as the plan states it (server/seed/parse-plan.ts's PlanTask has this shape). */
export interface PlanTaskInput {
  number: number;
  group: number;
  groupTitle: string;
  problem: string;
  target: string;
  measures: readonly string[];
  leaders: readonly { name: string; title: string }[];
  units: { lead: readonly string[]; assisting: readonly string[] };
  unitsText: string;
  deadline: { kind: TaskRow['deadline_kind']; date: string | null; ongoing: boolean; text: string };
}

/** Writes a plan task, replacing what an earlier load wrote for its number. */
export function upsertPlanTask(db: Db, task: PlanTaskInput): void {
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
      task.number,
      task.group,
      task.groupTitle,
      task.problem,
      task.target,
      JSON.stringify(task.measures),
      JSON.stringify(task.leaders),
      JSON.stringify(task.units.lead),
      JSON.stringify(task.units.assisting),
      task.unitsText,
      task.deadline.kind,
      task.deadline.date,
      task.deadline.ongoing ? 1 : 0,
      task.deadline.text,
    ],
  );
}

/** Links a seeded site to the task that names it (kept if already linked). */
export function linkSeededTaskSite(db: Db, taskNumber: number, siteId: number, now: string): void {
  db.run(`INSERT OR IGNORE INTO task_sites (task_number, site_id, linked_by, linked_at) VALUES (?, ?, 'seed', ?)`, [taskNumber, siteId, now]);
}
