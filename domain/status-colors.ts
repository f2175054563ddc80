// Status colours, shared by the web map (legend, points, cluster rings, road lines) and the KML
// export, so a site looks the same on the page, in Google Earth and in 奥维互动地图.
import type { RoadStatusCode, StatusCode } from './statuses.ts';

export const STATUS_COLORS: Record<StatusCode, string> = {
  discovered: '#e8590c',
  rectifying: '#f59f00',
  closed: '#2b8a3e',
  upgraded: '#1c7ed6',
  relocated: '#7048e8',
  verified: '#868e96',
  relapsed: '#c92a2a',
  voided: '#495057',
};

export const ROAD_STATUS_COLORS: Record<RoadStatusCode, string> = {
  reported: '#c92a2a',
  scheduled: '#f59f00',
  repairing: '#1c7ed6',
  repaired: '#2b8a3e',
};

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Text on a status badge: white or black, whichever contrasts more with the status colour. */
export const STATUS_BADGE_TEXT: Record<StatusCode, string> = Object.fromEntries(
  Object.entries(STATUS_COLORS).map(([status, color]) => [status, contrastRatio(color, '#ffffff') >= contrastRatio(color, '#000000') ? '#ffffff' : '#000000']),
) as Record<StatusCode, string>;
