// Inspection photos: stored under their SHA-256 in the photo folder, each upload an audit record.
// Moves that cite photos check here that each was uploaded first.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unprocessable } from '../errors.ts';
import { appendAudit } from '../auth/audit.ts';
import { auditBy, type Actor, type ServiceContext } from './service-context.ts';

/** The file name extension of each accepted image type. */
export const PHOTO_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** Stores a checked image (the route checked its type and size) and records the upload; returns its reference. */
export function storePhoto(ctx: ServiceContext, actor: Actor, bytes: Uint8Array, type: string): string {
  const ref = `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${PHOTO_TYPES[type]}`;
  mkdirSync(ctx.photoDir, { recursive: true });
  const file = join(ctx.photoDir, ref);
  if (!existsSync(file)) writeFileSync(file, bytes);
  appendAudit(ctx.db, { ...auditBy(actor), action: 'photo.upload', target: `photo:${ref}`, before: null, after: { ref, bytes: bytes.length, type } });
  return ref;
}

/** Every photo of a move must have been uploaded (POST /api/photos) before it is referenced, else 422 naming the entry. */
export function checkPhotos(ctx: Pick<ServiceContext, 'photoDir'>, evidence: readonly string[] | null | undefined): void {
  (evidence ?? []).forEach((entry, index) => {
    const ref = entry.slice('photo/'.length);
    if (!existsSync(join(ctx.photoDir, ref)))
      throw unprocessable('unknown_photo', `evidence[${index}]: no photo ${ref} was uploaded`, { field: 'evidence', index, ref });
  });
}
