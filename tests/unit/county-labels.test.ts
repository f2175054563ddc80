// County names moved clear of the cluster rings (web/map/county-labels.ts), on rings placed by hand.
import { describe, expect, it } from 'vitest';
import { labelShift, labelWidth } from '../../web/map/county-labels.ts';

describe('labelShift', () => {
  it('leaves a label no ring touches where it is', () => {
    expect(labelShift('临颍县', 100, 100, [{ x: 200, y: 100, radius: 27 }])).toBe(0);
  });

  it('moves a covered label just past the ring, on the side of its own centre', () => {
    // 临颍县 is 49 px wide and 20 px tall; a 27 px ring 10 px below its centre covers it.
    expect(labelWidth('临颍县')).toBe(49);
    const up = labelShift('临颍县', 100, 100, [{ x: 100, y: 110, radius: 27 }]);
    expect(100 + up).toBe(110 - 27 - 3 - 10);
    const down = labelShift('临颍县', 100, 100, [{ x: 100, y: 90, radius: 27 }]);
    expect(100 + down).toBe(90 + 27 + 3 + 10);
  });

  it('keeps going the same way past a second ring it is pushed onto', () => {
    const rings = [
      { x: 100, y: 110, radius: 27 },
      { x: 110, y: 55, radius: 22 },
    ];
    const y = 100 + labelShift('临颍县', 100, 100, rings);
    expect(y).toBe(55 - 22 - 3 - 10);
  });

  it('sees a ring beside the label only when it reaches the label’s box', () => {
    // Box spans x 75.5…124.5; a ring of radius 20 whose centre is 22 px right of the box's edge is clear.
    expect(labelShift('临颍县', 100, 100, [{ x: 124.5 + 23.5, y: 100, radius: 20 }])).toBe(0);
    expect(labelShift('临颍县', 100, 100, [{ x: 124.5 + 22, y: 100, radius: 20 }])).not.toBe(0);
  });
});
