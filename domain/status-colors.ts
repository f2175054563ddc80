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
