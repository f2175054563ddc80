// The cluster ring's HTML (web/map/cluster-marker.ts), written as text so a view's rings parse once.
import { describe, expect, it } from 'vitest';
import { clusterMarkup, clusterSize } from '../../web/map/cluster-marker.ts';
import { STATUS_COLORS } from '../../web/map/colors.ts';

describe('clusterMarkup', () => {
  it('writes a button sized by its count, with the count, its title and the size the label placement reads', () => {
    const html = clusterMarkup({ statusCounts: [3, 0, 9, 0, 0, 0, 0, 0], count: 12, title: '12 个污染源' });
    expect(clusterSize(12)).toBe(44);
    expect(html).toMatch(
      /^<button type="button" class="cluster-marker" title="12 个污染源" aria-label="12 个污染源" data-count="12" style="width: 44px; height: 44px;">/,
    );
    expect(html).toContain('<svg width="44" height="44" viewBox="0 0 44 44" aria-hidden="true">');
    expect(html).toMatch(/<span>12<\/span><\/button>$/);
  });

  it('draws one arc per status present, in its colour, and a full ring for a single status', () => {
    const mixed = clusterMarkup({ statusCounts: [3, 0, 9, 0, 0, 0, 1, 0], count: 13, title: 't' });
    expect(mixed.match(/<path /g)).toHaveLength(3);
    for (const status of ['discovered', 'closed', 'relapsed'] as const) expect(mixed).toContain(`fill="${STATUS_COLORS[status]}"`);
    expect(mixed).not.toContain(`fill="${STATUS_COLORS.rectifying}"`);
    const single = clusterMarkup({ statusCounts: [0, 0, 0, 0, 0, 0, 0, 1500], count: 1500, title: 't' });
    expect(single).not.toContain('<path ');
    expect(single).toContain(`stroke="${STATUS_COLORS.voided}"`);
    expect(single).toContain('style="width: 64px; height: 64px;"');
  });

  it('keeps a title with quotes, ampersands and angle brackets inside its attributes', () => {
    const html = clusterMarkup({ statusCounts: [1, 0, 0, 0, 0, 0, 0, 0], count: 1, title: 'a "b" & <c>' });
    expect(html).toContain('title="a &quot;b&quot; &amp; &lt;c>" aria-label="a &quot;b&quot; &amp; &lt;c>"');
  });
});
