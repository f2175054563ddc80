// A calendar date as the API, the ledgers and the page write it: YYYY-MM-DD.

/** A real calendar date YYYY-MM-DD (not 2024-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
