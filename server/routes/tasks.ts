// /api/tasks: the plan's 31 tasks with progress from their linked sites, filters by responsible
// unit, leader and state, progress notes, and sites linked by hand.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { param } from './query-params.ts';
import type { AppContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { getTask, listTasks, type TaskState } from '../store/task-store.ts';
import { addProgressNote, linkTaskSites } from '../services/tasks.ts';
import { actorOf } from './actor.ts';
import { Task, TaskDetail, TaskParam, errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';
import { TASK_STATES } from '../../domain/task-states.ts';

export function taskRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/tasks',
        operationId: 'listTasks',
        tags: ['tasks'],
        summary: 'The plan’s 31 rectification tasks (漯发〔2020〕13号) with progress from linked sites',
        request: {
          query: z.object({
            unit: z.string().max(50).optional().openapi({ description: 'A responsible unit, lead or assisting (part of its name), e.g. 市生态环境局.' }),
            leader: z.string().max(20).optional().openapi({ description: 'A responsible leader’s name, e.g. 高喜东.' }),
            state: param.oneOf(TASK_STATES, { description: TASK_STATES.join(' | ') }),
          }),
        },
        responses: { 200: json(z.array(Task), 'The tasks in order.'), ...errorResponses(400) },
      }),
      (c) => {
        const query = c.req.valid('query');
        if (query.state && !(TASK_STATES as readonly string[]).includes(query.state))
          throw badRequest('bad_parameter', `state: "${query.state}" must be one of ${TASK_STATES.join(', ')}`, {
            parameter: 'state',
            reason: 'not_one_of',
            value: query.state,
            allowed: TASK_STATES,
          });
        return c.json(
          listTasks(ctx.db, {
            unit: query.unit?.trim() || undefined,
            leader: query.leader?.trim() || undefined,
            state: query.state as TaskState | undefined,
            today: ctx.today(),
          }),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/tasks/{number}',
        operationId: 'getTask',
        tags: ['tasks'],
        summary: 'One task with its linked sites, road segments and progress notes',
        request: { params: TaskParam },
        responses: { 200: json(TaskDetail, 'The task.'), ...errorResponses(400, 404) },
      }),
      (c) => c.json(getTask(ctx.db, Number(c.req.valid('param').number), ctx.today()) as z.infer<typeof TaskDetail>, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/tasks/{number}/notes',
        operationId: 'addTaskNote',
        tags: ['tasks'],
        summary: 'Add a progress note to a task (who, when, text)',
        request: {
          params: TaskParam,
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z
                  .object({ text: z.string().trim().min(1).max(4000) })
                  .strict()
                  .openapi('NewTaskNote'),
              },
            },
          },
        },
        responses: { 201: json(TaskDetail, 'The task with its notes.'), ...errorResponses(400, 404, 413, 415) },
      }),
      (c) => {
        const number = Number(c.req.valid('param').number);
        const body = c.req.valid('json');
        addProgressNote(ctx, actorOf(c), number, body.text);
        return c.json(getTask(ctx.db, number, ctx.today()) as z.infer<typeof TaskDetail>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/tasks/{number}/sites',
        operationId: 'setTaskSites',
        tags: ['tasks'],
        summary: 'Set the sites linked to a task by hand (links by category stay)',
        request: {
          params: TaskParam,
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z
                  .object({ siteIds: z.array(z.number().int().positive()).max(10000) })
                  .strict()
                  .openapi('TaskSites'),
              },
            },
          },
        },
        responses: { 200: json(TaskDetail, 'The task with its linked sites.'), ...errorResponses(400, 404, 413, 415) },
      }),
      (c) => {
        const number = Number(c.req.valid('param').number);
        const body = c.req.valid('json');
        linkTaskSites(ctx, actorOf(c), number, body.siteIds);
        return c.json(getTask(ctx.db, number, ctx.today()) as z.infer<typeof TaskDetail>, 200);
      },
    );
}
