// Status colours, shared by the map, the legend and the cluster rings (defined in domain/ because
// the KML export uses them too).
export { ROAD_STATUS_COLORS, STATUS_BADGE_TEXT, STATUS_COLORS } from '../../domain/status-colors.ts';

/** The siege choropleth: a cell's density as a share of the densest cell outside the core → colour. */
export const SIEGE_RAMP: readonly (readonly [number, string])[] = [
  [0, '#fff7ec'],
  [0.25, '#fdd49e'],
  [0.5, '#fc8d59'],
  [0.75, '#d7301f'],
  [1, '#7f0000'],
];
