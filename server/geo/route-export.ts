// Route downloads for the field (issue 7): GPX 1.1 and KML 2.2, both WGS84 by their specifications
// (no GCJ-02/BD-09 here; only the navigation links convert). Pure: route and labels in, UTF-8 text out.
import type { LonLat } from './route-types.ts';
import { escapeXml, formatDegrees, xmlElement } from './route-xml.ts';

/** The part of a planned (or saved) route an export needs. */
export interface ExportableRoute {
  order: readonly { id: number; seq: number; lon: number; lat: number }[];
  start?: LonLat | null;
  /** The end point (the start again for a closed route); null or missing for an open route. */
  end?: LonLat | null;
}

/** What a person reads about a stop; category and status as display labels (e.g. 散煤销售点, 已取缔). */
export interface ExportStopLabel {
  name?: string | null;
  address?: string | null;
  category?: string | null;
  status?: string | null;
  lastInspection?: string | null;
}

export interface RouteExportMeta {
  name: string;
  description?: string | null;
  /** ISO 8601 time the route was planned; written to GPX metadata. */
  time?: string | null;
  /** Labels by stop id; a stop without one is called "#id". */
  stops?: Readonly<Record<number, ExportStopLabel>>;
}

const CREATOR = 'Sansan Map 三散污染源地图';

function stopName(meta: RouteExportMeta, stop: { id: number; seq: number }): string {
  const name = meta.stops?.[stop.id]?.name?.trim();
  return `${stop.seq}. ${name ? name : `#${stop.id}`}`;
}

/** "地址 …；类别 …；状态 …；上次检查 …", leaving out what is unknown. */
export function stopDescription(label: ExportStopLabel | undefined): string {
  if (!label) return '';
  const parts: string[] = [];
  if (label.address) parts.push(`地址 ${label.address}`);
  if (label.category) parts.push(`类别 ${label.category}`);
  if (label.status) parts.push(`状态 ${label.status}`);
  if (label.lastInspection) parts.push(`上次检查 ${label.lastInspection}`);
  return parts.join('；');
}

/** GPX 1.1: a <wpt> per stop (name, desc) and one <rte> with an <rtept> per stop in visiting order. */
export function routeToGpx(route: ExportableRoute, meta: RouteExportMeta): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<gpx version="1.1" creator="${escapeXml(CREATOR)}" xmlns="http://www.topografix.com/GPX/1/1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">\n`,
    '  <metadata>\n',
    xmlElement('name', meta.name, '    '),
    xmlElement('desc', meta.description, '    '),
    xmlElement('time', meta.time, '    '),
    '  </metadata>\n',
  ];
  for (const stop of route.order) {
    const label = meta.stops?.[stop.id];
    lines.push(
      `  <wpt lat="${formatDegrees(stop.lat)}" lon="${formatDegrees(stop.lon)}">\n`,
      xmlElement('name', stopName(meta, stop), '    '),
      xmlElement('desc', stopDescription(label), '    '),
      xmlElement('type', label?.category, '    '),
      '  </wpt>\n',
    );
  }
  lines.push('  <rte>\n', xmlElement('name', meta.name, '    '), xmlElement('desc', meta.description, '    '));
  for (const stop of route.order)
    lines.push(
      `    <rtept lat="${formatDegrees(stop.lat)}" lon="${formatDegrees(stop.lon)}">\n`,
      xmlElement('name', stopName(meta, stop), '      '),
      '    </rtept>\n',
    );
  lines.push('  </rte>\n', '</gpx>\n');
  return lines.join('');
}

function kmlCoordinates(lon: number, lat: number): string {
  return `${formatDegrees(lon)},${formatDegrees(lat)}`;
}

/** The KML folder (layer) names: Chinese, as Google Earth, 奥维 and GDAL list them. */
export const ROUTE_KML_FOLDERS = { stops: '巡查点位', path: '巡查路线' } as const;

/**
 * KML 2.2: a folder of stops (a Point Placemark each, numbered, with description and site id) and a
 * folder with the path as one LineString Placemark: start → stops in order → end (when there is one).
 */
export function routeToKml(route: ExportableRoute, meta: RouteExportMeta): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<kml xmlns="http://www.opengis.net/kml/2.2">\n',
    '<Document>\n',
    xmlElement('name', meta.name, '  '),
    xmlElement('description', meta.description, '  '),
    '  <Folder>\n',
    `    <name>${ROUTE_KML_FOLDERS.stops}</name>\n`,
  ];
  for (const stop of route.order) {
    lines.push(
      '    <Placemark>\n',
      xmlElement('name', stopName(meta, stop), '      '),
      xmlElement('description', stopDescription(meta.stops?.[stop.id]), '      '),
      '      <ExtendedData>\n',
      `        <Data name="siteId"><value>${stop.id}</value></Data>\n`,
      `        <Data name="seq"><value>${stop.seq}</value></Data>\n`,
      '      </ExtendedData>\n',
      `      <Point><coordinates>${kmlCoordinates(stop.lon, stop.lat)}</coordinates></Point>\n`,
      '    </Placemark>\n',
    );
  }
  const path: string[] = [];
  if (route.start) path.push(kmlCoordinates(route.start[0], route.start[1]));
  for (const stop of route.order) path.push(kmlCoordinates(stop.lon, stop.lat));
  if (route.end) path.push(kmlCoordinates(route.end[0], route.end[1]));
  lines.push('  </Folder>\n', '  <Folder>\n', `    <name>${ROUTE_KML_FOLDERS.path}</name>\n`);
  if (path.length >= 2)
    lines.push(
      '    <Placemark>\n',
      xmlElement('name', meta.name, '      '),
      `      <LineString><tessellate>1</tessellate><coordinates>${path.join(' ')}</coordinates></LineString>\n`,
      '    </Placemark>\n',
    );
  lines.push('  </Folder>\n', '</Document>\n', '</kml>\n');
  return lines.join('');
}
