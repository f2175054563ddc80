// The plan's tasks: the board (filtered), one task with its linked sites and notes, and its writes.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

export type TasksQuery = { unit?: string; leader?: string; state?: string };

const loadTasks = (query: TasksQuery) => unwrap(api.api.tasks.$get({ query }));
const loadTask = (number: number) => unwrap(api.api.tasks[':number'].$get({ param: { number: String(number) } }));

export type TaskJson = Awaited<ReturnType<typeof loadTasks>>[number];
export type TaskDetailJson = Awaited<ReturnType<typeof loadTask>>;

export const useTasks = (query: TasksQuery) => useApiQuery(['tasks', query], () => loadTasks(query));
export const useTask = (number: number) => useApiQuery(['task', number], () => loadTask(number));

export const useLinkTaskSites = (number: number) =>
  useWrite((siteIds: number[]) => unwrap(api.api.tasks[':number'].sites.$put({ param: { number: String(number) }, json: { siteIds } })), DATA_AFTER.task);
export const useAddTaskNote = (number: number) =>
  useWrite((text: string) => unwrap(api.api.tasks[':number'].notes.$post({ param: { number: String(number) }, json: { text } })), DATA_AFTER.task);
