// An API refusal in the reader's language: the codes a person can meet while editing the map get
// their own sentence (the server's message is English, for scripts); anything else says the code.
import type { MessageKey } from '../i18n/zh.ts';
import { ApiError } from './client.ts';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const BY_CODE: Record<string, MessageKey> = {
  event_date_before_last: 'errDateBeforeLast',
  event_date_in_future: 'errDateInFuture',
  closure_checklist_incomplete: 'errChecklist',
  status_move_not_allowed: 'errMoveNotAllowed',
  forbidden_county: 'errForbiddenCounty',
  forbidden: 'errForbidden',
  outside_counties: 'errOutsideCounties',
  stale_version: 'errStale',
  void_reason_required: 'errVoidReason',
};

export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const key = BY_CODE[error.code];
    if (key) return t(key, { lastEvent: String(error.details.lastEvent ?? ''), missing: String((error.details.missing as string[] | undefined)?.length ?? '') });
    return t('apiError', { message: error.code });
  }
  if (error instanceof Error && error.message === 'Failed to fetch') return t('networkError');
  return t('apiError', { message: error instanceof Error ? error.message : String(error) });
}
