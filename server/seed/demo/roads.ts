// Road segments of the demo: drawn near the seat, with lawful status histories.
import { dayIso as toIso } from '../../../domain/days.ts';
import type { RoadSeverity, RoadStatusCode } from '../../../domain/statuses.ts';
import { CITY_SEAT } from './constants.ts';
import { midpoint, offsetKm, round6, type LonLat, type RoadPlan } from './plan.ts';
import { CROSS_STREETS, ROAD_DAMAGE_NOTES, ROAD_NAMES } from './words.ts';
import type { DemoWorld } from './world.ts';

/** Eight drawn segments near the seat (those reported after `today` left out). */
export function roads(w: DemoWorld): RoadPlan[] {
  const names = w.rng.shuffle([...ROAD_NAMES]).slice(0, 8);
  const roads = names.map((roadName, i): RoadPlan => {
    let line: LonLat[] = [];
    let county = '';
    for (let attempt = 0; attempt < 1000 && !county; attempt++) {
      const center = offsetKm(CITY_SEAT, w.rng.range(0.5, 5), w.rng.range(0, 360));
      const eastWest = w.rng.chance(0.5);
      const length = w.rng.range(0.6, 2.5);
      const n = w.rng.int(2, 6);
      line = [];
      for (let k = 0; k < n; k++) {
        const along = -length / 2 + (length * k) / (n - 1);
        const wiggle = k === 0 || k === n - 1 ? 0 : w.rng.range(-0.04, 0.04);
        const p = offsetKm(offsetKm(center, along, eastWest ? 90 : 0), wiggle, eastWest ? 0 : 90);
        line.push([round6(p[0]), round6(p[1])]);
      }
      const mid = midpoint(line);
      county = w.locator.locate(mid[0], mid[1]) ?? '';
    }
    if (!county) throw new Error('generateDemo: could not place a road segment');
    const [from, to] = w.rng.shuffle(CROSS_STREETS.filter((s) => s !== roadName)).slice(0, 2) as [string, string];
    const reported = i < 6 ? w.dayIn('2020-03-01', '2021-10-31') : w.dayIn('2022-03-01', '2022-09-30');
    const events: { to: RoadStatusCode; day: number; actor: string; note: string }[] = [];
    const countyName = w.county(county).name;
    let day = reported;
    const skipSchedule = w.rng.chance(0.15);
    const steps: [RoadStatusCode, [number, number], string][] = [
      ['scheduled', [10, 60], '列入道路维修计划'],
      ['repairing', [15, 120], '开始维修施工'],
      ['repaired', [10, 90], '维修完成,路面恢复'],
    ];
    const stopAfter = i === 6 ? 'scheduled' : i === 7 ? 'repairing' : null;
    for (const [status, gap, note] of steps) {
      if (status === 'scheduled' && skipSchedule && stopAfter === null) continue;
      day += w.int(gap);
      if (day > w.T) break;
      events.push({ to: status, day, actor: w.rng.chance(0.5) ? `${countyName}人民政府` : '市城市管理局', note });
      if (status === stopAfter) break;
    }
    return {
      roadName,
      fromDesc: from,
      toDesc: to,
      severity: w.weighted<RoadSeverity>([
        ['minor', 0.3],
        ['moderate', 0.5],
        ['severe', 0.2],
      ]),
      responsibleUnit: w.rng.chance(0.6) ? `${countyName}人民政府` : '市住房和城乡建设局',
      deadline: toIso(reported + w.rng.int(90, 240)),
      county,
      line,
      reported,
      events,
      note: w.rng.pick(ROAD_DAMAGE_NOTES),
    };
  });
  return roads.filter((r) => r.reported <= w.T);
}
