// The contract of sign-in, users and the audit trail.
import { z } from '@hono/zod-openapi';
import { param } from './query-params.ts';
import { ROLES } from '../auth/roles.ts';

export const Role = z.enum(ROLES).openapi('Role');
const CountyCode = z.string().regex(/^\d{6}$/, 'must be a six-digit county code');

export const SessionUser = z
  .object({ username: z.string(), role: Role, counties: z.array(z.string()).openapi({ description: 'Assigned counties (county officials and inspectors).' }) })
  .openapi('SessionUser');

export const SessionInfo = z
  .object({
    user: SessionUser,
    csrfToken: z
      .string()
      .openapi({ description: 'Send as X-CSRF-Token on POST/PUT/PATCH/DELETE made with the session cookie (not needed with a bearer token).' }),
    expiresAt: z.string(),
  })
  .openapi('Session');

export const SignInBody = z
  .object({ username: z.string().trim().min(1).max(50), password: z.string().min(1).max(200) })
  .strict()
  .openapi('SignIn');

export const SignedIn = SessionInfo.extend({ token: z.string().openapi({ description: 'Send as Authorization: Bearer TOKEN.' }) }).openapi('SignedIn');

export const User = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: Role,
    counties: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const NewUserBody = z
  .object({ username: z.string().trim().min(2).max(50), role: Role, counties: z.array(CountyCode).max(10).optional(), password: z.string().max(200) })
  .strict()
  .openapi('NewUser');

export const UserPatchBody = z
  .object({
    role: Role.optional(),
    counties: z.array(CountyCode).max(10).optional(),
    disabled: z.boolean().optional(),
    password: z.string().max(200).optional(),
  })
  .strict()
  .openapi('UserPatch');

export const AuditRecord = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().nullable(),
    role: z.string().nullable(),
    address: z.string().nullable(),
    action: z.string().openapi({ example: 'site.status' }),
    target: z.string().nullable().openapi({ example: 'site:12' }),
    counties: z.array(z.string()),
    before: z.unknown(),
    after: z.unknown(),
    hash: z.string(),
  })
  .openapi('AuditRecord');

export const AuditPage = z.object({ records: z.array(AuditRecord), nextBefore: z.number().int().nullable() }).openapi('AuditPage');

export const AuditQuery = z.object({
  action: z.string().max(50).optional().openapi({ description: 'An action (site.status) or a group (site).' }),
  actor: z.string().max(50).optional(),
  target: z.string().max(60).optional().openapi({ description: 'e.g. site:12, road:3, user:admin' }),
  county: param.counties({ description: 'Only records touching this county.' }),
  from: param.date('from', { description: 'From this date (YYYY-MM-DD), inclusive.' }),
  to: param.date('to', { description: 'Up to this date (YYYY-MM-DD), inclusive.' }),
  before: param.integer('before', { minimum: 1 }, { description: 'Records older than this id (paging; newest first).' }),
  limit: param.integer('limit', { minimum: 1, maximum: 500 }, { description: '1–500, default 100.' }),
});

export const AuditAnchor = z
  .object({
    at: z.string(),
    reason: z.string().openapi({ description: 'key_started, start, backup, daily or shutdown.' }),
    records: z.number().int(),
    hash: z.string(),
    keyedFrom: z.number().int(),
  })
  .openapi('AuditAnchor', { description: 'The chain’s head (count and last hash) as written to the anchor file outside the database.' });

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    records: z.number().int(),
    keyedFrom: z
      .number()
      .int()
      .openapi({ description: 'The first record signed with the audit key (HMAC); earlier records were hashed before the key existed.' }),
    anchors: z.number().int().openapi({ description: 'How many anchors outside the database the chain was checked against.' }),
    firstBad: z
      .object({
        id: z.number().int(),
        code: z.enum(['missing', 'prev_hash', 'hash', 'truncated', 'anchor']).openapi({
          description:
            'missing: a record before this one is gone; prev_hash: it does not follow the record before it; hash: its contents were changed or it was forged without the key; truncated: records an anchor counted (this one and after) are gone; anchor: it differs from what an anchor wrote down (the chain was rewritten).',
        }),
        missing: z.number().int().nullable().openapi({ description: 'For code missing: the id of the record that is gone.' }),
        reason: z.string(),
        anchor: AuditAnchor.nullable().openapi({ description: 'For truncated and anchor: the anchor the database contradicts.' }),
      })
      .nullable(),
    lastHash: z.string(),
  })
  .openapi('AuditVerification');
