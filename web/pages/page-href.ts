// Links to the pages beside the map (?page=scorecard, ?page=tasks): they keep the language and the date.
export function pageHref(page: 'scorecard' | 'tasks', params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams({ page });
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  return `/?${search.toString()}`;
}
