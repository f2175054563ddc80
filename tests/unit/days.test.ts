// Calendar-day arithmetic (domain/days.ts) against day counts known by hand, across month, year and
// leap-year ends and the dates clocks change in Europe and the US (UTC days have no DST hour).
import { describe, expect, it } from 'vitest';
import { addDays, campaignDay, campaignTime, dayIso, dayNumber, daysBetween, daysInMonth, toDay } from '../../domain/days.ts';

describe('day numbers', () => {
  it('counts days since 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    // 30 years of 365 days and the leap days of 1972…1996 (7).
    expect(dayNumber('2000-01-01')).toBe(30 * 365 + 7);
    expect(dayIso(30 * 365 + 7)).toBe('2000-01-01');
    expect(dayIso(-1)).toBe('1969-12-31');
  });

  it('refuses what is not a calendar day', () => {
    for (const bad of ['2021-02-29', '2100-02-29', '2022-13-01', '2022-04-31', '2022-1-01', '20220101', '', '2022-01-01T00:00:00Z'])
      expect(dayNumber(bad), bad).toBeNull();
    expect(dayNumber('2024-02-29')).not.toBeNull();
    expect(dayNumber('2000-02-29')).not.toBeNull();
    expect(() => toDay('2021-02-29')).toThrow(/2021-02-29/);
  });
});

describe('day arithmetic', () => {
  it('steps over month and year ends', () => {
    expect(addDays('2022-01-31', 1)).toBe('2022-02-01');
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(addDays('2023-01-01', -1)).toBe('2022-12-31');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2022-12-03', -90)).toBe('2022-09-04');
    expect(addDays('2020-07-23', 0)).toBe('2020-07-23');
  });

  it('is not moved by daylight-saving dates', () => {
    // Europe 2020-03-29 and 2020-10-25; USA 2020-03-08 and 2020-11-01.
    for (const date of ['2020-03-29', '2020-10-25', '2020-03-08', '2020-11-01']) {
      expect(daysBetween(addDays(date, -1), addDays(date, 1))).toBe(2);
      expect(addDays(addDays(date, 1), -1)).toBe(date);
    }
  });

  it('counts the days between two dates', () => {
    expect(daysBetween('2019-01-01', '2020-01-01')).toBe(365);
    expect(daysBetween('2020-01-01', '2021-01-01')).toBe(366);
    expect(daysBetween('2020-02-28', '2020-03-01')).toBe(2);
    expect(daysBetween('2021-02-28', '2021-03-01')).toBe(1);
    expect(daysBetween('2020-07-23', '2020-07-22')).toBe(-1);
    // A date-time is cut to its day.
    expect(daysBetween('2022-01-01T23:59:59Z', '2022-01-02T00:00:00Z')).toBe(1);
    expect(daysBetween('2022-01-01', 'not a day')).toBeNaN();
  });

  it('knows how long each month is', () => {
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2022, 4)).toBe(30);
    expect(daysInMonth(2022, 12)).toBe(31);
  });

  it("says what day and time it is in Beijing, whatever the machine's zone", () => {
    expect(campaignDay(Date.parse('2026-12-05T15:59:59.999Z'))).toBe('2026-12-05');
    expect(campaignDay(Date.parse('2026-12-05T16:00:00.000Z'))).toBe('2026-12-06');
    expect(campaignDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(campaignTime('2026-12-05T04:04:27.965Z')).toBe('2026-12-05 12:04:27');
    expect(campaignTime('2026-12-31T16:30:00Z', { seconds: false })).toBe('2027-01-01 00:30');
    expect(campaignTime(Date.parse('2024-02-28T16:00:00Z'))).toBe('2024-02-29 00:00:00');
    expect(campaignTime('not a time')).toBe('not a time');
  });
});
