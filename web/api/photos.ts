// Photo upload: the body is the image itself (not JSON), so it goes through apiFetch rather than the
// typed client. Returns the reference that inspections and status moves keep.
import { ApiError, apiFetch } from './client.ts';

export async function uploadPhoto(file: File): Promise<string> {
  const response = await apiFetch('/api/photos', { method: 'POST', headers: { 'content-type': file.type }, body: file });
  const body = (await response.json()) as { ref?: string; error?: { code: string; message: string; details?: Record<string, unknown> } };
  if (!response.ok || !body.ref)
    throw new ApiError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? `HTTP ${response.status}`, body.error?.details ?? {});
  return body.ref;
}

/** Where the page shows a stored photo (full size). */
export const photoUrl = (ref: string) => `/api/photos/${ref}`;
