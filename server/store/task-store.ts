// The plan's 31 tasks and the sites and road segments linked to them.
import type { Db } from '../db/database.ts';
import type { CategoryCode } from '../../domain/categories.ts';
import { notFound } from '../errors.ts';

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

function progressByTask(db: Db): Map<number, Omit<ProgressRow, 'task_number'>> {
  const rows = db.all<ProgressRow>(
    `SELECT st.task_number, count(*) AS sites,
       sum(s.status IN ('discovered', 'rectifying', 'relapsed')) AS open,
       sum(s.status IN ('closed', 'upgraded', 'relocated', 'verified')) AS closed,
       sum(s.status = 'relapsed') AS relapsed,
       sum(s.status = 'verified') AS verified
     FROM (SELECT DISTINCT site_id, task_number FROM site_tasks) st JOIN sites s ON s.id = st.site_id
     GROUP BY st.task_number`,
  );
  return new Map(rows.map(({ task_number, ...rest }) => [task_number, rest]));
}

function toTask(row: TaskRow, categories: CategoryCode[], progress: Omit<ProgressRow, 'task_number'> | undefined) {
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
    progress: progress ?? { sites: 0, open: 0, closed: 0, relapsed: 0, verified: 0 },
  };
}

function categoriesByTask(db: Db): Map<number, CategoryCode[]> {
  const map = new Map<number, CategoryCode[]>();
  for (const row of db.all<{ task_number: number; category: CategoryCode }>('SELECT task_number, category FROM category_tasks ORDER BY category'))
    map.set(row.task_number, [...(map.get(row.task_number) ?? []), row.category]);
  return map;
}

export function listTasks(db: Db) {
  const progress = progressByTask(db);
  const categories = categoriesByTask(db);
  return db.all<TaskRow>('SELECT * FROM tasks ORDER BY number').map((row) => toTask(row, categories.get(row.number) ?? [], progress.get(row.number)));
}

export function getTask(db: Db, number: number) {
  const row = db.get<TaskRow>('SELECT * FROM tasks WHERE number = ?', [number]);
  if (!row) throw notFound(`task ${number} does not exist; the plan has tasks 1–31`, { number });
  const task = toTask(row, categoriesByTask(db).get(number) ?? [], progressByTask(db).get(number));
  const sites = db.all<{ id: number; name: string; category: CategoryCode; status: string; county: string; source: string; link: 'category' | 'manual' }>(
    `SELECT s.id, s.name, s.category, s.status, s.county_code AS county, s.source, min(st.link) AS link
     FROM site_tasks st JOIN sites s ON s.id = st.site_id WHERE st.task_number = ? GROUP BY s.id ORDER BY s.id`,
    [number],
  );
  const roads = db.all<{ id: number; roadName: string; status: string; source: string }>(
    'SELECT id, road_name AS roadName, status, source FROM road_segments WHERE task_number = ? ORDER BY id',
    [number],
  );
  return { ...task, sites, roads };
}
