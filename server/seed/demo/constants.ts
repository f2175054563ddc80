// The demo's fixed dates and places (re-exported by server/seed/demo.ts).

export const DEMO_DEFAULT_SEED = 20200723;
export const DEMO_DEFAULT_TODAY = '2022-12-31';
/**
 * The planned 2019–2022 campaign ends here; with a later `today` the generator continues it day by
 * day up to `today` (re-checks, new finds, relapses, closures), so the data always reaches today.
 */
export const DEMO_CAMPAIGN_END = '2022-12-31';
/** The plan's date: the 2020 figures hold "as of" this day. */
export const DEMO_PLAN_DATE = '2020-07-23';
/** City government seat, centre of the urban core (WGS84). */
export const CITY_SEAT: readonly [number, number] = [114.02047, 33.577333];
