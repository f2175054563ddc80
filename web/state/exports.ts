// Download links of GET /api/export (the typed client builds the address; nothing is fetched here).
import { api } from '../api/client.ts';

export function exportHref(query: Record<string, string>): string {
  const url = api.api.export.$url({ query: query as { format: 'csv' } });
  return `${url.pathname}${url.search}`;
}
