// The default hotspot cell separates on the demo campaign as of a fixed day: significant cells are
// where relapses gather, not a single relapse with the empty ring round it (as 1 km cells gave).
import { describe, it, expect } from 'vitest';
import { bootDatabase } from '../server/bootstrap.ts';
import { createApp } from '../server/app.ts';
import { DEFAULT_CELL_KM } from '../server/geo/relapse-options.ts';
import { signInUser } from './helpers/app.ts';

interface CellProps {
  count: number;
  confidence: number | null;
}

describe('default hotspot cell on the demo data', () => {
  it('marks no empty cell and under half of the occupied cells; the definition says why', async () => {
    const { db, ctx } = bootDatabase(':memory:', { demo: true, today: () => '2026-12-03' });
    const app = createApp(ctx);
    const token = signInUser(db, ctx.countyCodes, 'admin', 'admin', [], ctx.sessions);
    const res = await app.request('/api/analysis/relapse', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      options: { cellKm: number };
      cells: { features: { properties: CellProps }[] };
      definitions: { grid: { zh: string; en: string } };
    };
    expect(body.options.cellKm).toBe(DEFAULT_CELL_KM);
    const cells = body.cells.features.map((f) => f.properties);
    const occupied = cells.filter((c) => c.count > 0);
    const significant = cells.filter((c) => c.confidence !== null);
    expect(significant.length).toBeGreaterThan(0);
    expect(significant.filter((c) => c.count === 0)).toHaveLength(0);
    expect(significant.length).toBeLessThan(occupied.length / 2);
    expect(body.definitions.grid.zh).toContain(`默认格宽 ${DEFAULT_CELL_KM} 公里`);
    expect(body.definitions.grid.en).toContain(`default width is ${DEFAULT_CELL_KM} km`);
  });
});
