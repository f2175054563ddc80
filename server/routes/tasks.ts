// /api/tasks: the plan's 31 tasks with progress from their linked sites.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { getTask, listTasks } from '../store/task-store.ts';
import { Task, TaskDetail, TaskParam, errorResponses } from './schemas.ts';
import { validationHook } from './validation.ts';

export function taskRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/tasks',
        tags: ['tasks'],
        summary: 'The plan’s 31 rectification tasks (漯发〔2020〕13号) with progress from linked sites',
        responses: { 200: { description: 'The tasks in order.', content: { 'application/json': { schema: z.array(Task) } } } },
      }),
      (c) => c.json(listTasks(ctx.db), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/tasks/{number}',
        tags: ['tasks'],
        summary: 'One task with its linked sites and road segments',
        request: { params: TaskParam },
        responses: { 200: { description: 'The task.', content: { 'application/json': { schema: TaskDetail } } }, ...errorResponses(400, 404) },
      }),
      (c) => c.json(getTask(ctx.db, Number(c.req.valid('param').number)) as z.infer<typeof TaskDetail>, 200),
    );
}
