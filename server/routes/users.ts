// /api/users: accounts, for admins (the rule table allows no one else). The same store functions
// serve `npm run users`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { auditActor } from '../auth/guard.ts';
import { createUser, updateUser } from '../auth/accounts.ts';
import { listUsers } from '../store/user-store.ts';
import { NewUserBody, User, UserPatchBody } from './auth-schemas.ts';
import { SignInLock, signInLocks, Unlocked, unlockUser } from '../ops/sign-in-locks.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { validationHook } from './validation.ts';

export function userRoutes(ctx: AppContext) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/users',
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'Every account (admins only)',
        responses: { 200: json(z.array(User), 'The accounts.'), ...errorResponses(401, 403) },
      }),
      (c) => c.json(listUsers(ctx.db), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/users',
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Create an account (admins only); county officials and inspectors need counties',
        request: { body: { required: true, content: { 'application/json': { schema: NewUserBody } } } },
        responses: { 201: json(User, 'The account.'), ...errorResponses(400, 401, 403, 409, 413, 415) },
      }),
      (c) => c.json(createUser(ctx.db, ctx.countyCodes, c.req.valid('json'), auditActor(c)), 201),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/users/{username}',
        operationId: 'updateUser',
        tags: ['users'],
        summary: 'Change an account’s role, counties, password or disable it (ends its sessions)',
        request: { params: z.object({ username: z.string().max(50) }), body: { required: true, content: { 'application/json': { schema: UserPatchBody } } } },
        responses: { 200: json(User, 'The account.'), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      }),
      (c) => c.json(updateUser(ctx.db, ctx.countyCodes, c.req.valid('param').username, c.req.valid('json'), auditActor(c)), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/users/locks',
        operationId: 'listSignInLocks',
        tags: ['users'],
        summary: 'Accounts locked out of signing in now, per address (admins only)',
        responses: { 200: json(z.array(SignInLock), 'The locks.'), ...errorResponses(401, 403) },
      }),
      (c) => c.json(signInLocks(ctx.db, ctx.sessions.now()), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/users/{username}/unlock',
        operationId: 'unlockUser',
        tags: ['users'],
        summary: 'Lift an account’s sign-in locks (admins only; recorded in the audit trail)',
        request: { params: z.object({ username: z.string().max(50) }) },
        responses: { 200: json(Unlocked, 'The locks were lifted.'), ...errorResponses(401, 403, 404) },
      }),
      (c) => c.json(unlockUser(ctx.db, c.req.valid('param').username, auditActor(c), ctx.sessions.now()), 200),
    );
}
