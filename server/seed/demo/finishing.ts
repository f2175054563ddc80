// Finishing each planned site: precision (unlocated, approximate), inspections and deadlines.
import { dayIso as toIso } from '../../../domain/days.ts';
import { OPEN_STATUSES, type StatusCode } from '../../../domain/statuses.ts';
import { COUNTY_RECHECK_PACE } from './lives.ts';
import { offsetKm, type Plan } from './plan.ts';
import type { DemoWorld } from './world.ts';
import { RECHECK_CLOSED_NOTES } from './words.ts';

// --- finishing: precision, inspections, deadlines -------------------------------------------

export function precision(w: DemoWorld): void {
  const free = w.plans.filter((p) => !p.pinned);
  const unlocated = w.rng.shuffle(free.filter((p) => p.group === 'firm2019' || p.group === 'coal45' || p.group === 'fuel')).slice(0, 5);
  for (const p of unlocated) {
    p.lon = null;
    p.lat = null;
    p.precision = 'unlocated';
  }
  for (const p of free) {
    if (p.precision !== 'exact' || !w.rng.chance(0.1)) continue;
    const code = p.county.code;
    for (let i = 0; i < 50; i++) {
      const moved = w.at(offsetKm([p.lon!, p.lat!], w.rng.range(0.15, 0.6), w.rng.range(0, 360)), code);
      if (!moved) continue;
      p.lon = moved.lon;
      p.lat = moved.lat;
      p.precision = 'approximate';
      p.note = `${p.note};位置仅知到村(${p.village.short})`;
      break;
    }
  }
}

export function inspections(w: DemoWorld, p: Plan): void {
  const timeline = [{ to: 'discovered' as StatusCode, day: p.track.discovered }, ...p.track.events];
  timeline.forEach((cur, i) => {
    const next = timeline[i + 1];
    const from = cur.day + 10;
    const end = (next ? next.day : w.T + 1) - 1;
    const to = Math.min(end, w.campaignEnd);
    const resolvedState = cur.to === 'closed' || cur.to === 'verified' || cur.to === 'relocated';
    if (end > w.campaignEnd) rechecksAfterCampaign(w, p, cur.to, Math.max(from, w.campaignEnd + 1), end);
    if (to < from) return;
    const chance = resolvedState ? 0.5 : cur.to === 'upgraded' ? 0.3 : cur.to === 'rectifying' ? 0.2 : 0;
    if (!w.rng.chance(chance)) return;
    const count = w.rng.int(1, Math.min(3, 1 + Math.floor((to - from) / 120)));
    const days = new Set<number>();
    for (let k = 0; k < count; k++) days.add(w.rng.int(from, to));
    for (const day of [...days].sort((a, b) => a - b))
      p.inspections.push({ day, inspector: w.inspector(p), result: resolvedState ? 'closed_as_recorded' : 'operating', note: inspectionNote(w, cur.to) });
  });
  for (const e of p.track.events) if (e.inspector) p.inspections.push({ day: e.day, inspector: e.inspector, result: 'relapsed', note: e.note });
  p.inspections.sort((a, b) => a.day - b.day);
}

function inspectionNote(w: DemoWorld, state: StatusCode): string {
  if (state === 'closed' || state === 'verified' || state === 'relocated') return w.rng.pick(RECHECK_CLOSED_NOTES);
  return state === 'upgraded' ? '复查:整改提升后正常生产,治污设施运行正常' : '督导检查:整改进行中,督促按期完成';
}

/**
 * After 2022 the 回头看 re-checks run on a cycle: a dealt-with site is visited every 45–200 days
 * (upgraded ones less often), stretched by its county's pace, so some counties fall behind; a site
 * being rectified gets a supervision visit every 60–180 days.
 */
function rechecksAfterCampaign(w: DemoWorld, p: Plan, state: StatusCode, from: number, to: number): void {
  if (to < from || state === 'discovered' || state === 'relapsed') return;
  const resolvedState = state === 'closed' || state === 'verified' || state === 'relocated';
  const pace = (COUNTY_RECHECK_PACE[p.county.code] ?? 1) * (state === 'upgraded' ? 1.4 : 1);
  const gap: [number, number] = state === 'rectifying' ? [60, 180] : [45, 200];
  for (let day = from + Math.round(w.rng.int(0, 120) * pace); day <= to; day += Math.round(w.int(gap) * pace))
    p.inspections.push({ day, inspector: w.inspector(p), result: resolvedState ? 'closed_as_recorded' : 'operating', note: inspectionNote(w, state) });
}

export function deadline(w: DemoWorld, p: Plan): void {
  const open = (OPEN_STATUSES as readonly StatusCode[]).includes(p.track.status);
  if (open && p.openDeadline) {
    p.deadline = p.openDeadline;
  } else if (open) {
    // Set after the last event; deadlines gone by more than a year were extended (延期) to 9
    // months before to 6 months after today.
    const due = p.track.last + w.rng.int(30, 240);
    p.deadline = toIso(due < w.T - 364 ? w.rng.int(w.T - 275, w.T + 181) : due);
  } else if (p.planDeadline) {
    p.deadline = p.planDeadline;
  } else {
    const rectified = p.track.firstDay('rectifying');
    p.deadline = rectified === undefined ? null : toIso(rectified + w.rng.int(30, 180));
  }
}
