// KML 2.2 for Google Earth and 奥维互动地图: one Style per status (the web map's colours), one Folder
// per status, a Placemark per located row named after the site. Every attribute is in ExtendedData
// once (a Schema with SchemaData, what GDAL reads); the description is a short HTML table of the
// summary columns (name and status), readable in any viewer; the full table is a
// BalloonStyle template in each status's Style (written once, filled from the SchemaData by Google
// Earth), not repeated per placemark — which had made the file 1.9× the size of GDAL's KML. No icon
// image is named: the viewer's own pin, tinted, works offline. Rows without geometry are left out
// (the caller counts them). Placemarks are written as the rows are read, grouped by status.
import { escapeXml, formatDegrees } from '../geo/route-xml.ts';
import type { FileSink } from './file-sink.ts';
import type { ExportColumn } from './table.ts';
import type { ExportLayer, LayerCounts } from './layers.ts';

/** "#rrggbb" → KML's "aabbggrr". */
export function kmlColor(hex: string, alpha = 'ff'): string {
  const [r, g, b] = [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  return `${alpha}${b}${g}${r}`.toLowerCase();
}

const coordinates = (points: readonly (readonly number[])[]) => points.map(([lon, lat]) => `${formatDegrees(lon!)},${formatDegrees(lat!)}`).join(' ');

export function writeKml<R>(sink: FileSink, layer: ExportLayer<R>, notes: readonly string[], counts: LayerCounts): void {
  sink.text(
    '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n' +
      `<name>${escapeXml(layer.titleZh)}</name>\n<description>${escapeXml(notes.join('\n'))}</description>\n`,
  );
  // The attributes once, under short ASCII names (GDAL's LIBKML driver turns non-ASCII field names
  // into "_"), with the Chinese headers as display names for Google Earth.
  sink.text(`<Schema name="${layer.layer}" id="${layer.layer}">\n`);
  for (const column of layer.columns)
    sink.text(
      `<SimpleField name="${column.dbf!}" type="${column.type === 'number' ? 'double' : 'string'}"><displayName>${escapeXml(column.zh)}</displayName></SimpleField>\n`,
    );
  sink.text('</Schema>\n');
  const balloon = `<BalloonStyle><text><![CDATA[<h3>$[name]</h3><table>${layer.columns
    .map((column) => `<tr><th>$[${layer.layer}/${column.dbf!}/displayName]</th><td>$[${layer.layer}/${column.dbf!}]</td></tr>`)
    .join('')}</table>]]></text></BalloonStyle>`;
  for (const status of layer.statuses) {
    const color = kmlColor(layer.statusColors[status]!);
    sink.text(
      `<Style id="status-${status}">\n<IconStyle><color>${color}</color><scale>1.1</scale></IconStyle>\n` +
        `<LineStyle><color>${color}</color><width>4</width></LineStyle>\n${balloon}\n</Style>\n`,
    );
  }
  const summary = layer.columns.filter((column) => layer.summary.includes(column.dbf!));
  let open: string | null = null;
  for (const row of layer.source.rowsByStatus()) {
    if (!layer.geometry(row)) continue;
    const status = layer.status(row);
    if (status !== open) {
      if (open !== null) sink.text('</Folder>\n');
      open = status;
      sink.text(`<Folder><name>${escapeXml(layer.statusLabels[status] ?? status)}（${counts.locatedByStatus.get(status) ?? 0}）</name>\n`);
    }
    sink.text(placemark(layer, summary, row, status));
  }
  if (open !== null) sink.text('</Folder>\n');
  sink.text('</Document>\n</kml>\n');
}

function placemark<R>(layer: ExportLayer<R>, summary: readonly ExportColumn<R>[], row: R, status: string): string {
  let data = '';
  for (const column of layer.columns) {
    const value = column.value(row);
    if (value !== null && value !== '') data += `<SimpleData name="${column.dbf!}">${escapeXml(String(value))}</SimpleData>`;
  }
  // HTML that Google Earth and 奥维 render, its values escaped; CDATA keeps it readable (an escaped
  // value holds no ">", so it cannot end the CDATA section).
  let html = '';
  for (const column of summary) {
    const value = column.value(row);
    if (value !== null && value !== '') html += `<tr><th>${escapeXml(column.zh)}</th><td>${escapeXml(String(value))}</td></tr>`;
  }
  const geometry = layer.geometry(row)!;
  const shape =
    geometry.type === 'Point'
      ? `<Point><coordinates>${coordinates([geometry.coordinates])}</coordinates></Point>`
      : `<LineString><tessellate>1</tessellate><coordinates>${coordinates(geometry.coordinates)}</coordinates></LineString>`;
  return (
    `<Placemark><name>${escapeXml(layer.name(row))}</name><description><![CDATA[<table>${html}</table>]]></description>` +
    `<styleUrl>#status-${status}</styleUrl><ExtendedData><SchemaData schemaUrl="#${layer.layer}">${data}</SchemaData></ExtendedData>${shape}</Placemark>\n`
  );
}
