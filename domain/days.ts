// Calendar days as the campaign counts them: YYYY-MM-DD labels, computed on in UTC so a day is
// always 86,400,000 ms (no daylight-saving hours) and day numbers are whole. The one place the
// server, the page, the demo generator and the bench do day arithmetic — and say what day it is:
// the campaign's day is Beijing's (UTC+8), whatever zone the server's machine or the browser is in.

export const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayNumbers = new Map<string, number | null>();

/** Days since 1970-01-01 of a YYYY-MM-DD day (UTC), or null when it is not a real calendar day (2021-02-29). */
export function dayNumber(date: string): number | null {
  let day = dayNumbers.get(date);
  if (day === undefined) {
    // A campaign spans a few thousand distinct days: remember them (bounded, in case of junk input).
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(date, (day = parseDay(date)));
  }
  return day;
}

function parseDay(date: string): number | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return time / DAY_MS;
}

/** The day number of a YYYY-MM-DD day; throws on anything else (for dates the code itself wrote). */
export function toDay(date: string): number {
  const day = dayNumber(date);
  if (day === null) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${date}`);
  return day;
}

/** The YYYY-MM-DD of a day number. */
export const dayIso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The day `days` after `date` (before, when negative); YYYY-MM-DD in and out. */
export const addDays = (date: string, days: number): string => dayIso(toDay(date) + days);

/** Whole days from `earlier` to `later` (both YYYY-MM-DD; a date-time is cut to its day); NaN for a non-day. */
export function daysBetween(earlier: string, later: string): number {
  const from = dayNumber(earlier.slice(0, 10));
  const to = dayNumber(later.slice(0, 10));
  if (from === null || to === null) return Number.NaN;
  return to - from;
}

/** The last day (28–31) of a month (1–12) of a year. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** China's one time zone, UTC+8 all year (no daylight saving since 1991): the campaign's clock. */
export const CAMPAIGN_UTC_OFFSET_MS = 8 * 3_600_000;

/**
 * The campaign's date at `at` (default now): YYYY-MM-DD in Beijing time. A move recorded in Luohe at
 * 07:00 is dated that day; the UTC date would still be the day before until 08:00.
 */
export const campaignDay = (at: Date | number = Date.now()): string => dayIso(Math.floor((+at + CAMPAIGN_UTC_OFFSET_MS) / DAY_MS));

/** A moment (ISO text, e.g. a record's createdAt) as Beijing's clock showed it: `2026-12-05 12:04:27`, or to the minute. */
export function campaignTime(iso: string | number, { seconds = true }: { seconds?: boolean } = {}): string {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const text = new Date(ms + CAMPAIGN_UTC_OFFSET_MS).toISOString().replace('T', ' ');
  return text.slice(0, seconds ? 19 : 16);
}
