// The audit view when the newest records were removed behind the server's back: the chain that is
// left links up, but it contradicts the anchor written outside the database, and the page says so.
import { describe, expect, it } from 'vitest';
import { campaignTime } from '../../domain/days.ts';
import { anchorAuditHead } from '../../server/auth/audit-seal.ts';
import { zh } from '../../web/i18n/zh.ts';
import { useMapDriver } from '../helpers/browser.ts';

describe('the audit view and the anchors outside the database', () => {
  const driver = useMapDriver();

  it('verifies against the anchors, and names the truncation', async () => {
    await driver.openMap('?v=113.88000,33.70000,8.90&panel=audit');
    const panel = driver.page.getByTestId('audit-panel');
    await panel.getByTestId('audit-verify').click();
    await expect.poll(() => panel.getByTestId('audit-verification').textContent()).toMatch(/^校验通过：\d+ 条记录，首尾相连，无改动，与 \d+ 个库外锚点一致。$/);
    await driver.screenshot('audit-verified-with-anchors');

    const db = driver.database;
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log')!.n).toBeGreaterThan(0);
    // Each record's time as Beijing's clock showed it (the record keeps UTC): 04:04 UTC reads 12:04.
    const newest = db.get<{ id: number; at: string }>('SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1')!;
    const shown = await panel.locator(`[data-audit="${newest.id}"]`).getByTestId('audit-at').textContent();
    expect(shown).toBe(campaignTime(newest.at));
    expect(shown).not.toBe(newest.at.replace('T', ' ').slice(0, 19));
    const anchor = anchorAuditHead(db, 'daily');
    const guard = db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'")!.sql;
    db.raw.exec('DROP TRIGGER audit_log_no_delete');
    db.run('DELETE FROM audit_log WHERE id = ?', [anchor.records]);
    db.raw.exec(guard);
    await panel.getByTestId('audit-verify').click();
    const reason = zh.auditBreakTruncated
      .replace('{at}', campaignTime(anchor.at, { seconds: false }))
      .replace('{records}', String(anchor.records))
      .replace('{have}', String(anchor.records - 1));
    await expect.poll(() => panel.getByTestId('audit-verification').textContent()).toBe(`校验未通过：第 ${anchor.records} 条记录不符（${reason}）。`);
    await driver.screenshot('audit-truncation-named');
  });
});
