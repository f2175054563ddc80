// A ledger upload streamed to a temporary file (issue 18): the multipart body is parsed as it arrives
// (@fastify/busboy) and the file part written to disk, so the request thread never holds the body,
// a parsed FormData and a copy of the file at once. The route's form validator then reads a FormData
// whose `file` is backed by that file (fs.openAsBlob); the file is removed once the answer is made.
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Busboy } from '@fastify/busboy';
import type { MiddlewareHandler } from 'hono';
import { AppError, badRequest } from '../errors.ts';
import { MAX_IMPORT_BYTES } from '../import/read-table.ts';

/** Where each received file lies (for the preview to read it on the import thread), while its request lasts. */
const paths = new WeakMap<File, string>();
export const uploadedPath = (file: File): string | undefined => paths.get(file);

/** The options field is small JSON (a column mapping at most). */
const MAX_FIELD_BYTES = 256 * 1024;
/** The whole body: the file and its multipart framing. */
export const MAX_UPLOAD_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

/** The body's bytes, refused past MAX_UPLOAD_BYTES (a body sent without its length is counted as it arrives). */
async function* bounded(body: ReadableStream<Uint8Array>, tooLarge: () => Error): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of Readable.fromWeb(body as WebReadableStream<Uint8Array>)) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_UPLOAD_BYTES) throw tooLarge();
    yield chunk as Uint8Array;
  }
}

const malformed = (why: string) =>
  badRequest('bad_field', `file: the upload is not a complete multipart form (${why}); send it again`, { field: 'file', reason: 'invalid' });

/** Reads a multipart body: its text fields, and the part named `file` written to `path` (others dropped). */
async function receive(body: ReadableStream<Uint8Array>, contentType: string, path: string, tooLarge: () => Error): Promise<FormData> {
  const form = new FormData();
  let written: Promise<{ name: string; type: string }> | null = null;
  const parser = Busboy({
    headers: { 'content-type': contentType },
    defCharset: 'utf8',
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 8, fieldSize: MAX_FIELD_BYTES },
  });
  let failure: Error | null = null;
  parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
    if (valueTruncated)
      failure ??= badRequest('bad_field', `${name}: longer than ${MAX_FIELD_BYTES} bytes`, { field: name, reason: 'too_long', maximum: MAX_FIELD_BYTES });
    else form.append(name, value);
  });
  parser.on('file', (name: string, stream: Readable, fileName: string, _encoding: string, type: string) => {
    if (name !== 'file' || written) {
      stream.resume();
      return;
    }
    stream.on('limit', () => {
      failure ??= tooLarge();
      stream.resume();
    });
    written = pipeline(stream, createWriteStream(path)).then(() => ({ name: fileName, type }));
  });
  try {
    await pipeline(bounded(body, tooLarge), parser);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw failure ?? malformed((error as Error).message);
  }
  const file = await (written as Promise<{ name: string; type: string }> | null);
  if (failure) throw failure;
  if (file) {
    const received = new File([await openAsBlob(path)], file.name, { type: file.type });
    paths.set(received, path);
    form.append('file', received);
  }
  return form;
}

/**
 * Route middleware before the form validator: streams a multipart body to a temporary folder and
 * hands the validator the parsed form (Hono's own parse would buffer the whole body, then copy it).
 */
export function streamedUpload(tooLarge: () => Error): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    const body = c.req.raw.body;
    if (!body || !type.toLowerCase().startsWith('multipart/form-data')) return next();
    if (Number(c.req.header('content-length') ?? 0) > MAX_UPLOAD_BYTES) throw tooLarge();
    const dir = await mkdtemp(join(tmpdir(), 'sansan-upload-'));
    try {
      const form = await receive(body, type, join(dir, 'file'), tooLarge);
      c.req.bodyCache.formData = form;
      await next();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
