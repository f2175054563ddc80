// KML 2.2 for Google Earth and 奥维互动地图: one Style per status (the web map's colours), one Folder
// per status, a Placemark per located row named after the site, its details as an HTML table in the
// description and as ExtendedData. No icon image is named: the viewer's own pin, tinted, works offline. Rows without geometry are left out (the caller counts them).
import { escapeXml, formatDegrees } from '../geo/route-xml.ts';
import type { ExportLayer } from './layers.ts';

/** "#rrggbb" → KML's "aabbggrr". */
export function kmlColor(hex: string, alpha = 'ff'): string {
  const [r, g, b] = [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  return `${alpha}${b}${g}${r}`.toLowerCase();
}

const coordinates = (points: readonly (readonly number[])[]) => points.map(([lon, lat]) => `${formatDegrees(lon!)},${formatDegrees(lat!)}`).join(' ');

export function toKml<R>(layer: ExportLayer<R>, notes: readonly string[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n',
    `  <name>${escapeXml(layer.titleZh)}</name>\n`,
    `  <description>${escapeXml(notes.join('\n'))}</description>\n`,
  ];
  for (const status of layer.statuses) {
    const color = kmlColor(layer.statusColors[status]!);
    out.push(
      `  <Style id="status-${status}">\n`,
      `    <IconStyle><color>${color}</color><scale>1.1</scale></IconStyle>\n`,
      `    <LineStyle><color>${color}</color><width>4</width></LineStyle>\n`,
      '  </Style>\n',
    );
  }
  const byStatus = new Map<string, R[]>();
  for (const row of layer.rows) {
    if (!layer.geometry(row)) continue;
    const status = layer.status(row);
    const rows = byStatus.get(status);
    if (rows) rows.push(row);
    else byStatus.set(status, [row]);
  }
  for (const status of layer.statuses) {
    const rows = byStatus.get(status);
    if (!rows) continue;
    out.push(`  <Folder>\n    <name>${escapeXml(layer.statusLabels[status] ?? status)}（${rows.length}）</name>\n`);
    for (const row of rows) out.push(placemark(layer, row, status));
    out.push('  </Folder>\n');
  }
  out.push('</Document>\n</kml>\n');
  return out.join('');
}

function placemark<R>(layer: ExportLayer<R>, row: R, status: string): string {
  const cells = layer.columns.map((column) => [column, column.value(row)] as const).filter(([, value]) => value !== null && value !== '');
  // The description is HTML (Google Earth and 奥维 render it); escaped once for HTML, once more as XML text.
  const html = `<table>${cells.map(([column, value]) => `<tr><th align="left">${escapeXml(column.zh)}</th><td>${escapeXml(String(value))}</td></tr>`).join('')}</table>`;
  // Data names are the short ASCII field names (GDAL's LIBKML driver turns non-ASCII names into "_"); viewers show displayName.
  const data = cells
    .map(([column, value]) => `<Data name="${column.dbf!}"><displayName>${escapeXml(column.zh)}</displayName><value>${escapeXml(String(value))}</value></Data>`)
    .join('');
  const geometry = layer.geometry(row)!;
  const shape =
    geometry.type === 'Point'
      ? `<Point><coordinates>${coordinates([geometry.coordinates])}</coordinates></Point>`
      : `<LineString><tessellate>1</tessellate><coordinates>${coordinates(geometry.coordinates)}</coordinates></LineString>`;
  return [
    '    <Placemark>\n',
    `      <name>${escapeXml(layer.name(row))}</name>\n`,
    `      <description>${escapeXml(html)}</description>\n`,
    `      <styleUrl>#status-${status}</styleUrl>\n`,
    `      <ExtendedData>${data}</ExtendedData>\n`,
    `      ${shape}\n`,
    '    </Placemark>\n',
  ].join('');
}
