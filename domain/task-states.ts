// A plan task's state on a day, shared by the API (GET /api/tasks) and the task board.
import { addDays } from './days.ts';
export const TASK_STATES = ['overdue', 'cannot_judge', 'due_soon', 'on_time', 'done'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskStateInput {
  deadline: { kind: string; date: string | null };
  /** From linked sites and road segments: how many, and how many still open (sites discovered/rectifying/relapsed, roads not repaired). */
  progress: { sites: number; open: number; roads: number; roadsOpen: number };
}

/**
 * done when the plan records it done; cannot_judge when its deadline has passed and nothing is
 * linked to it (no site, no road segment), so the map has nothing to judge by; overdue when the
 * deadline has passed and linked records are still open; due_soon when that deadline is within 30
 * days; else on_time.
 */
export function taskState(task: TaskStateInput, today: string): TaskState {
  if (task.deadline.kind === 'done') return 'done';
  const date = task.deadline.date;
  if (!date) return 'on_time';
  if (date < today && task.progress.sites + task.progress.roads === 0) return 'cannot_judge';
  if (task.progress.open + task.progress.roadsOpen === 0) return 'on_time';
  if (date < today) return 'overdue';
  const soon = addDays(today, 30);
  return date <= soon ? 'due_soon' : 'on_time';
}
