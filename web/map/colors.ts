// Status colours, shared by the map, the legend and the cluster rings (defined in domain/ because
// the KML export uses them too).
export { ROAD_STATUS_COLORS, STATUS_BADGE_TEXT, STATUS_COLORS } from '../../domain/status-colors.ts';
