// The task board's API: filters by responsible unit, leader and state (checked against the plan's
// text for sample tasks), progress notes, and sites linked by hand.
import { beforeEach, describe, expect, it } from 'vitest';
import { bootTestApp, expectError, TODAY, type Harness } from './helpers/app.ts';

interface TaskJson {
  number: number;
  leadUnits: string[];
  assistingUnits: string[];
  leaders: { name: string }[];
  state: string;
  deadline: { kind: string; date: string | null };
  progress: { open: number; sites: number; roads: number; roadsOpen: number };
  sites: { id: number; link: string }[];
  notes: { author: string; text: string; createdAt: string }[];
}

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});

describe('GET /api/tasks filters', () => {
  it('by responsible unit: what does 市商务局 lead or assist? (tasks 8, 15, 29, 30, 31 per the plan)', async () => {
    const tasks = (await h.get<TaskJson[]>(`/api/tasks?unit=${encodeURIComponent('市商务局')}`)).body;
    expect(tasks.map((t) => t.number)).toEqual(expect.arrayContaining([8, 15, 29, 30, 31]));
    for (const task of tasks) expect([...task.leadUnits, ...task.assistingUnits].some((u) => u.includes('市商务局'))).toBe(true);
  });

  it('by leader: 高喜东 leads task 2 and 15 among others; 蒿慧杰 task 1', async () => {
    const gao = (await h.get<TaskJson[]>(`/api/tasks?leader=${encodeURIComponent('高喜东')}`)).body.map((t) => t.number);
    expect(gao).toEqual(expect.arrayContaining([2, 15]));
    expect(gao).not.toContain(3);
    const hao = (await h.get<TaskJson[]>(`/api/tasks?leader=${encodeURIComponent('蒿慧杰')}`)).body.map((t) => t.number);
    expect(hao).toContain(1);
  });

  it('by state: with no open sites linked nothing is overdue; an open fuel point makes tasks 8 and 15 overdue', async () => {
    // Demo data is off: only the plan's two real, unlocated records exist — a fuel point (tasks 8, 15) and a coal point (16, 18), both discovered.
    const overdue = (await h.get<TaskJson[]>('/api/tasks?state=overdue')).body.map((t) => t.number);
    expect(overdue).toEqual(expect.arrayContaining([8, 15, 16, 18]));
    for (const task of (await h.get<TaskJson[]>('/api/tasks')).body) {
      const linked = task.progress.sites + task.progress.roads;
      if (task.deadline.kind === 'done') expect(task.state).toBe('done');
      else if (task.deadline.date !== null && task.deadline.date < TODAY && linked === 0) expect(task.state, `task ${task.number}`).toBe('cannot_judge');
      else if (task.progress.open + task.progress.roadsOpen === 0) expect(task.state, `task ${task.number}`).toBe('on_time');
    }
    expect(expectError(await h.get('/api/tasks?state=late'), 400).details.parameter).toBe('state');
  });

  it('by state: a task past its deadline with nothing linked cannot be judged (无法判断), never on time', async () => {
    const tasks = (await h.get<TaskJson[]>('/api/tasks')).body;
    const unlinked = tasks.filter(
      (t) => t.deadline.kind !== 'done' && t.deadline.date !== null && t.deadline.date < TODAY && t.progress.sites + t.progress.roads === 0,
    );
    expect(unlinked.length).toBeGreaterThan(0);
    for (const task of unlinked) expect(task.state, `task ${task.number}`).toBe('cannot_judge');
    const listed = (await h.get<TaskJson[]>('/api/tasks?state=cannot_judge')).body.map((t) => t.number);
    expect(listed).toEqual(unlinked.map((t) => t.number));
    const one = (await h.get<TaskJson>(`/api/tasks/${unlinked[0]!.number}`)).body;
    expect(one.state).toBe('cannot_judge');
    // Linking a site makes it judgeable: an open one makes it overdue.
    const site = await h.send<{ id: number }>('POST', '/api/sites', {
      name: '关联后可判断的料场',
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2021-01-10',
    });
    expect((await h.send<TaskJson>('PUT', `/api/tasks/${unlinked[0]!.number}/sites`, { siteIds: [site.body.id] })).body.state).toBe('overdue');
  });
});

describe('notes and hand-made links', () => {
  it('adds a progress note with who and when', async () => {
    const res = await h.send<TaskJson>('POST', '/api/tasks/19/notes', { text: '金江路已列入维修计划' });
    expect(res.status).toBe(201);
    expect(res.body.notes).toEqual([
      { id: expect.any(Number), author: 'admin', text: '金江路已列入维修计划', createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    ]);
    expect((await h.get<TaskJson>('/api/tasks/19')).body.notes).toHaveLength(1);
    expectError(await h.send('POST', '/api/tasks/99/notes', { text: 'x' }), 404);
    expectError(await h.send('POST', '/api/tasks/19/notes', { text: '   ' }), 400);
  });

  it('links sites by hand, keeps category links, and refuses unknown sites without changing anything', async () => {
    const site = await h.send<{ id: number }>('POST', '/api/sites', {
      name: '手动关联料场',
      category: 'sand_yard',
      lon: 113.95,
      lat: 33.55,
      discoveredOn: '2021-01-10',
    });
    const linked = await h.send<TaskJson>('PUT', '/api/tasks/25/sites', { siteIds: [site.body.id] });
    expect(linked.status).toBe(200);
    expect(linked.body.sites).toEqual([expect.objectContaining({ id: site.body.id, link: 'manual' })]);
    expect(expectError(await h.send('PUT', '/api/tasks/25/sites', { siteIds: [site.body.id, 99999] }), 400).message).toMatch(/no site 99999/);
    expect((await h.get<TaskJson>('/api/tasks/25')).body.sites.map((s) => s.id)).toEqual([site.body.id]);
    // Category links stay whatever the hand-made list says (sand yards belong to tasks 2 and 14).
    expect((await h.send<TaskJson>('PUT', '/api/tasks/2/sites', { siteIds: [] })).body.sites.map((s) => [s.id, s.link])).toEqual([[site.body.id, 'category']]);
  });
});
