// KML 2.2 for Google Earth and 奥维互动地图: one Style per status (the web map's colours), one Folder
// per status, a Placemark per located row named after the site, its details as an HTML table in the
// description and as ExtendedData (a Schema with SchemaData). No icon image is named: the viewer's
// own pin, tinted, works offline. Rows without geometry are left out (the caller counts them).
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
  // The attributes once, under short ASCII names (GDAL's LIBKML driver turns non-ASCII field names
  // into "_"), with the Chinese headers as display names for Google Earth.
  out.push(`  <Schema name="${layer.layer}" id="${layer.layer}">\n`);
  for (const column of layer.columns)
    out.push(
      `    <SimpleField name="${column.dbf!}" type="${column.type === 'number' ? 'double' : 'string'}"><displayName>${escapeXml(column.zh)}</displayName></SimpleField>\n`,
    );
  out.push('  </Schema>\n');
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
  // The description is HTML that Google Earth and 奥维 render, its values escaped; CDATA keeps it
  // readable (an escaped value holds no ">", so it cannot end the CDATA section).
  const html = `<table>${cells.map(([column, value]) => `<tr><th>${escapeXml(column.zh)}</th><td>${escapeXml(String(value))}</td></tr>`).join('')}</table>`;
  const data = cells.map(([column, value]) => `<SimpleData name="${column.dbf!}">${escapeXml(String(value))}</SimpleData>`).join('');
  const geometry = layer.geometry(row)!;
  const shape =
    geometry.type === 'Point'
      ? `<Point><coordinates>${coordinates([geometry.coordinates])}</coordinates></Point>`
      : `<LineString><tessellate>1</tessellate><coordinates>${coordinates(geometry.coordinates)}</coordinates></LineString>`;
  return [
    '    <Placemark>\n',
    `      <name>${escapeXml(layer.name(row))}</name>\n`,
    `      <description><![CDATA[${html}]]></description>\n`,
    `      <styleUrl>#status-${status}</styleUrl>\n`,
    `      <ExtendedData><SchemaData schemaUrl="#${layer.layer}">${data}</SchemaData></ExtendedData>\n`,
    `      ${shape}\n`,
    '    </Placemark>\n',
  ].join('');
}
