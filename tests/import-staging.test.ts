// Staging a preview's rows (server/store/import-store.ts stageRows) writes a plain new row — a new
// site with no issue and no duplicate — in a statement with its outcome, issue lists and duplicate
// written out instead of bound, and such a row without township, village, zone, deadline, unit and note
// with those written as NULL (issue 18: fewer values bound per row). The staged table is compared
// with the same rows staged through the full path (every value bound) on random rows of every kind.
import { describe, expect, it } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';
import { Random } from '../domain/random.ts';
import type { JudgedRow, RowIssue, StagedSite } from '../server/import/judge-rows.ts';
import { FULL_STAGE, openStaging, plainNew, stageAs, stageRows } from '../server/store/import-store.ts';

function randomRows(random: Random, count: number, first = 2): JudgedRow[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random.next() * values.length)]!;
  const maybe = <T>(value: T): T | null => (random.next() < 0.5 ? value : null);
  const issue = (): RowIssue => ({
    column: maybe('经度'),
    code: pick(['bad_date', 'no_date', 'swapped_fixed']),
    message: 'm',
    ...(random.next() < 0.5 ? { value: 'v' } : {}),
  });
  const issues = (chance: number): RowIssue[] => (random.next() < chance ? [issue(), ...(random.next() < 0.3 ? [issue()] : [])] : []);
  const rows: JudgedRow[] = [];
  for (let row = first; rows.length < count; row += 1 + Math.floor(random.next() * 3)) {
    const outcome = random.next() < 0.7 ? 'new' : pick(['new', 'update', 'duplicate', 'error'] as const);
    const errors = outcome === 'error' ? [issue(), ...issues(0.3)] : [];
    // Some rows without any of the fields many ledgers have no column for (staged by the bare shape).
    const bare = random.next() < 0.3;
    const sometimes = <T>(value: T): T | null => (bare ? null : maybe(value));
    const site: StagedSite | null =
      outcome === 'error'
        ? null
        : {
            name: `厂${row}`,
            category: pick(['scattered_firm', 'sand_yard'] as const),
            address: maybe(`路${row}号`),
            countyCode: pick(['411102', '411103']),
            townshipCode: sometimes('411102001'),
            villageCode: sometimes('411102001001'),
            managingZone: sometimes('示范区'),
            lon: maybe(114 + random.next()),
            lat: maybe(33 + random.next()),
            precision: pick(['exact', 'unlocated'] as const),
            discoveredOn: '2024-03-05',
            deadline: sometimes('2025-01-01'),
            responsibleUnit: sometimes('环保局'),
            note: sometimes('备注'),
            status: pick(['discovered', 'rectifying'] as const),
            statusWord: maybe('整改中'),
          };
    const duplicateOf =
      outcome !== 'error' && (outcome !== 'new' || random.next() < 0.1) ? { row: 2, name: '厂2', reason: 'near' as const, distanceM: 12 } : null;
    rows.push({ row, outcome, name: maybe(`厂${row}`) ?? (outcome === 'error' ? null : `厂${row}`), site, errors, warnings: issues(0.1), duplicateOf });
  }
  return rows;
}

describe('stageRows', () => {
  it('stages plain new rows as the full path stages them', () => {
    const { db } = bootDatabase(':memory:', { demo: false });
    const preview = { fileName: 'l.csv', format: 'csv' as const, options: {} };
    const [fast, full] = [openStaging(db, preview, 'admin'), openStaging(db, preview, 'admin')];
    const random = new Random(20261205);
    let next = 2;
    for (const size of [1, 37, 500, 1234, 501, 2000]) {
      // Batches of one row, of fewer rows than an INSERT holds, and of more.
      const rows = randomRows(random, size, next);
      next = rows.at(-1)!.row + 1;
      stageRows(db, fast, rows);
      db.transaction(() => stageAs(db, FULL_STAGE, full, rows));
    }
    const staged = (id: number) =>
      db.all<Record<string, unknown>>('SELECT * FROM import_rows WHERE batch_id = ? ORDER BY row', [id]).map(({ batch_id: _, ...row }) => row);
    const rows = staged(fast);
    expect(rows.length).toBe(4273);
    const plain = rows.filter((row) => row.outcome === 'new' && row.errors === '[]' && row.warnings === '[]' && row.duplicate_of === null);
    expect(plain.length).toBeGreaterThan(2000);
    const empty = ['township_code', 'village_code', 'managing_zone', 'deadline', 'responsible_unit', 'note'];
    expect(plain.filter((row) => empty.every((column) => row[column] === null)).length).toBeGreaterThan(500);
    expect(plain.filter((row) => empty.filter((column) => row[column] === null).length === 5).length).toBeGreaterThan(50);
    expect(rows).toEqual(staged(full));
    db.close();
  });

  it('takes the plain path only for a new site without issues or duplicate', () => {
    const site = randomRows(new Random(1), 40).find((row) => row.site)!.site;
    const plain: JudgedRow = { row: 2, outcome: 'new', name: 'a', site, errors: [], warnings: [], duplicateOf: null };
    expect(plainNew(plain)).toBe(true);
    const issue = { column: null, code: 'c', message: 'm' };
    expect(plainNew({ ...plain, outcome: 'update' })).toBe(false);
    expect(plainNew({ ...plain, warnings: [issue] })).toBe(false);
    expect(plainNew({ ...plain, errors: [issue] })).toBe(false);
    expect(plainNew({ ...plain, duplicateOf: { row: 1, name: 'a', reason: 'near' } })).toBe(false);
    expect(plainNew({ ...plain, site: null })).toBe(false);
  });
});
