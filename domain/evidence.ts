// What a status move keeps as evidence (site_events.evidence, a list of strings): photos uploaded
// through POST /api/photos, each either for the move as a whole ("photo/REF") or for one item of
// the 两断三清 checklist ("photo/cutWater/REF"); any other string is a reference given by an API
// client (a document number, a URL) and is shown as it is.
import type { ClosureChecklistItem } from './statuses.ts';

const PHOTO_REF = /^[0-9a-f]{32}\.(jpg|png|webp)$/;

export interface EvidencePhoto {
  ref: string;
  /** The checklist item the photo proves, or null for the move as a whole. */
  item: ClosureChecklistItem | null;
}

/** The evidence strings for photos of a move. */
export function photoEvidence(photos: readonly EvidencePhoto[]): string[] {
  return photos.map((photo) => (photo.item ? `photo/${photo.item}/${photo.ref}` : `photo/${photo.ref}`));
}

/** Reads stored evidence back into photos and other references. */
export function readEvidence(evidence: unknown): { photos: EvidencePhoto[]; references: string[] } {
  const photos: EvidencePhoto[] = [];
  const references: string[] = [];
  if (!Array.isArray(evidence)) return { photos, references };
  for (const entry of evidence) {
    if (typeof entry !== 'string') continue;
    const parts = entry.split('/');
    const ref = parts[parts.length - 1]!;
    if (parts[0] === 'photo' && PHOTO_REF.test(ref) && (parts.length === 2 || parts.length === 3))
      photos.push({ ref, item: parts.length === 3 ? (parts[1] as ClosureChecklistItem) : null });
    else references.push(entry);
  }
  return { photos, references };
}
