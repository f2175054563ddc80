// /api/photos: inspection photos taken in the field. The body is the image itself (JPEG, PNG or
// WebP, at most 8 MB); it is stored under its SHA-256 and the returned `ref` goes into the
// inspection's `photo`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { errorResponses, jsonContent as json } from './schemas.ts';
import { PHOTO_TYPES as TYPES, storePhoto } from '../services/photos.ts';
import { actorOf } from './actor.ts';

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

const MIME = Object.fromEntries(Object.entries(TYPES).map(([mime, ext]) => [ext, mime]));

/** The magic bytes of each accepted format, so a file is what it says it is. */
function sniff(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (String.fromCharCode(...bytes.slice(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.slice(8, 12)) === 'WEBP') return 'image/webp';
  return null;
}

export function photoRoutes(ctx: AppContext) {
  return new OpenAPIHono()
    .openapi(
      createRoute({
        method: 'post',
        path: '/photos',
        operationId: 'uploadPhoto',
        tags: ['routes'],
        summary: 'Upload an inspection photo (the body is the image); returns the reference to put in `photo`',
        request: {
          body: {
            required: true,
            content: {
              'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
              'image/png': { schema: z.string().openapi({ format: 'binary' }) },
              'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
            },
          },
        },
        responses: { 201: json(z.object({ ref: z.string(), bytes: z.number().int() }).openapi('PhotoStored'), 'Stored.'), ...errorResponses(400, 413, 415) },
      }),
      async (c) => {
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
        if (!TYPES[type]) throw new AppError(415, 'unsupported_media_type', `send a JPEG, PNG or WebP image as the body (content-type ${type || 'missing'})`);
        const declared = Number(c.req.header('content-length') ?? 0);
        if (declared > MAX_PHOTO_BYTES) throw new AppError(413, 'body_too_large', `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`);
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (bytes.length > MAX_PHOTO_BYTES) throw new AppError(413, 'body_too_large', `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`);
        if (bytes.length === 0) throw badRequest('bad_body', 'the photo is empty', { reason: 'required' });
        if (sniff(bytes) !== type) throw badRequest('bad_body', `the body is not a ${type} image`, { reason: 'wrong_content', expected: type });
        const ref = storePhoto(ctx, actorOf(c), bytes, type);
        return c.json({ ref, bytes: bytes.length }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/photos/{ref}',
        operationId: 'getPhoto',
        tags: ['routes'],
        summary: 'An inspection photo',
        request: { params: z.object({ ref: z.string().regex(/^[0-9a-f]{32}\.(jpg|png|webp)$/, 'is not a photo reference') }) },
        responses: {
          200: { description: 'The image.', content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } } },
          ...errorResponses(400, 404),
        },
      }),
      (c) => {
        const ref = c.req.param('ref')!;
        if (!/^[0-9a-f]{32}\.(jpg|png|webp)$/.test(ref))
          throw badRequest('bad_parameter', 'ref: is not a photo reference', { parameter: 'ref', reason: 'bad_format', value: ref });
        const file = join(ctx.photoDir, ref);
        if (!existsSync(file)) throw notFound(`no photo ${ref}`, { kind: 'photo', id: ref, parameter: 'ref' });
        return new Response(readFileSync(file), {
          headers: { 'content-type': MIME[ref.split('.')[1]!]!, 'cache-control': 'private, max-age=31536000, immutable' },
        });
      },
    );
}
