// Status badges (white or dark text on the status colour) meet WCAG AA for normal text: 4.5:1.
import { describe, expect, it } from 'vitest';
import { contrastRatio, STATUS_BADGE_TEXT, STATUS_COLORS } from '../../domain/status-colors.ts';
import { STATUS_CODES } from '../../domain/statuses.ts';

describe('status badge contrast', () => {
  it('computes WCAG ratios: black on white is 21:1, white on white 1:1, #777 on white 4.48:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    // White on 整改中 orange, as the badge was drawn before: 2.13:1.
    expect(contrastRatio('#ffffff', STATUS_COLORS.rectifying)).toBeCloseTo(2.13, 2);
  });

  it.each(STATUS_CODES)('%s: badge text meets 4.5:1', (status) => {
    expect(contrastRatio(STATUS_BADGE_TEXT[status], STATUS_COLORS[status])).toBeGreaterThanOrEqual(4.5);
  });
});
