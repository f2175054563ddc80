// The audit trail: pages of records (newest first) under the filters, and the hash-chain check.
import { api, unwrap } from '../api/client.ts';
import { useApiQuery } from './query.ts';

export type AuditQuery = { action?: string; actor?: string; target?: string; county?: string; from?: string; to?: string; before?: string };

const loadAudit = (query: AuditQuery) => unwrap(api.api.audit.$get({ query }));

/** The first page, and the further pages read so far (each starting `before` a record id). */
export function useAuditPages(query: AuditQuery, pages: string[]) {
  const first = useApiQuery(['audit', query], () => loadAudit(query));
  const more = useApiQuery(['audit', query, pages], () => Promise.all(pages.map((before) => loadAudit({ ...query, before }))));
  return { first, more };
}

/** Recomputes the hash chain on the server. */
export const verifyAudit = () => unwrap(api.api.audit.verify.$get());
