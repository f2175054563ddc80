// One random status move of one of the given sites, dated after its last event and by `today`: the
// seeded write series of the kept-index and kept-scorecard property tests.
import type { Random } from '../../domain/random.ts';
import type { Db } from '../../server/db/database.ts';
import { addSiteEvent } from '../../server/store/site-mutations.ts';
import { FULL_CHECKLIST } from './app.ts';

const NEXT: Record<string, string[]> = {
  discovered: ['closed', 'closed', 'rectifying', 'upgraded'],
  rectifying: ['closed'],
  closed: ['relapsed', 'verified'],
  upgraded: ['relapsed'],
  verified: ['relapsed'],
  relapsed: ['closed', 'rectifying'],
};

/** Days are counted from 2024-01-01; events fall within 2024 (day 0..364). */
export function randomStatusMove(db: Db, random: Random, ids: readonly number[], today: string): void {
  const id = random.pick(ids);
  const site = db.get<{ status: string; last: string }>(
    'SELECT s.status, (SELECT max(date) FROM site_events WHERE site_id = s.id) AS last FROM sites s WHERE s.id = ?',
    [id],
  )!;
  const choices = NEXT[site.status];
  if (!choices) return;
  const to = random.pick(choices) as 'closed';
  const lastDay = (Date.parse(site.last) - Date.UTC(2024, 0, 1)) / 86_400_000;
  if (lastDay >= 364) return;
  const date = new Date(Date.UTC(2024, 0, 1) + random.int(lastDay, Math.min(364, lastDay + 60)) * 86_400_000).toISOString().slice(0, 10);
  addSiteEvent(db, id, { to, date, actor: 'test', checklist: to === 'closed' ? { ...FULL_CHECKLIST, tanksSealed: true } : undefined }, { today });
}
