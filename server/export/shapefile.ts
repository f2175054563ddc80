// A zipped Shapefile: .shp/.shx (points or polylines), .dbf (UTF-8, see dbf.ts), .prj (WGS84 or CGCS2000),
// .cpg ("UTF-8", so QGIS/ArcGIS/GDAL read the Chinese), and a readme naming what the short DBF field
// names stand for. Rows without geometry are left out (a Shapefile point layer has no empty points).
import JSZip from 'jszip';
import { CRS_LABELS, type ExportCrs } from './crs.ts';
import { writeDbf, type DbfField } from './dbf.ts';
import type { ExportLayer } from './layers.ts';

const SHAPE_TYPE = { Point: 1, LineString: 3 } as const;

type Coordinates = readonly (readonly number[])[];

/** .shp and .shx for points (one coordinate each) or polylines (one part each). */
export function writeShp(type: 'Point' | 'LineString', shapes: readonly Coordinates[]): { shp: Uint8Array; shx: Uint8Array } {
  const contentBytes = (points: Coordinates) => (type === 'Point' ? 20 : 4 + 32 + 4 + 4 + 4 + 16 * points.length);
  const shpLength = 100 + shapes.reduce((sum, points) => sum + 8 + contentBytes(points), 0);
  const shxLength = 100 + 8 * shapes.length;
  const shp = new DataView(new ArrayBuffer(shpLength));
  const shx = new DataView(new ArrayBuffer(shxLength));

  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const points of shapes)
    for (const [x, y] of points) {
      box[0] = Math.min(box[0]!, x!);
      box[1] = Math.min(box[1]!, y!);
      box[2] = Math.max(box[2]!, x!);
      box[3] = Math.max(box[3]!, y!);
    }
  if (!shapes.length) box.fill(0);
  for (const [view, length] of [
    [shp, shpLength],
    [shx, shxLength],
  ] as const) {
    view.setInt32(0, 9994); // big-endian file code
    view.setInt32(24, length / 2); // length in 16-bit words
    view.setInt32(28, 1000, true);
    view.setInt32(32, SHAPE_TYPE[type], true);
    box.forEach((value, i) => view.setFloat64(36 + 8 * i, value!, true));
  }

  let at = 100;
  shapes.forEach((points, i) => {
    const content = contentBytes(points);
    shx.setInt32(100 + 8 * i, at / 2);
    shx.setInt32(104 + 8 * i, content / 2);
    shp.setInt32(at, i + 1);
    shp.setInt32(at + 4, content / 2);
    at += 8;
    shp.setInt32(at, SHAPE_TYPE[type], true);
    if (type === 'Point') {
      shp.setFloat64(at + 4, points[0]![0]!, true);
      shp.setFloat64(at + 12, points[0]![1]!, true);
    } else {
      const xs = points.map((p) => p[0]!);
      const ys = points.map((p) => p[1]!);
      [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((value, k) => shp.setFloat64(at + 4 + 8 * k, value, true));
      shp.setInt32(at + 36, 1, true); // one part
      shp.setInt32(at + 40, points.length, true);
      shp.setInt32(at + 44, 0, true); // the part starts at point 0
      points.forEach((p, k) => {
        shp.setFloat64(at + 48 + 16 * k, p[0]!, true);
        shp.setFloat64(at + 56 + 16 * k, p[1]!, true);
      });
    }
    at += content;
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

/** The zip: <stem>.shp/.shx/.dbf/.prj/.cpg and readme.txt (ASCII names inside, for every unzip tool). */
export async function toShapefileZip<R>(layer: ExportLayer<R>, stem: string, notes: readonly string[], crs: ExportCrs = 'wgs84'): Promise<Buffer> {
  const located = layer.rows.filter((row) => layer.geometry(row) !== null);
  const shapes = located.map((row) => {
    const geometry = layer.geometry(row)!;
    return geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
  });
  const { shp, shx } = writeShp(layer.geometryType, shapes);
  const fields: DbfField[] = layer.columns.map((column) => ({ name: column.dbf!, type: column.type === 'number' ? 'N' : 'C', decimals: column.decimals }));
  const dbf = writeDbf(
    fields,
    located.map((row) => layer.columns.map((column) => column.value(row))),
  );

  const readme = [
    ...notes,
    '',
    `文件：.shp/.shx 几何，.dbf 属性（UTF-8 编码，见 .cpg），.prj 坐标系 ${CRS_LABELS[crs].name}（EPSG:${CRS_LABELS[crs].epsg}）经纬度。`,
    `Files: .shp/.shx geometry, .dbf attributes (UTF-8, named in .cpg), .prj ${CRS_LABELS[crs].name} (EPSG:${CRS_LABELS[crs].epsg}) longitude/latitude.`,
    `DBF 字段名最长 10 个字节，故用英文缩写；文字超过 254 个字节的部分被截去。对照表 / Field names (at most 10 bytes; text cut at 254 bytes):`,
    ...layer.columns.map((column) => `${column.dbf!.padEnd(10)}  ${column.zh}  ${column.en} — ${column.descriptionZh}`),
    '',
  ].join('\r\n');

  const zip = new JSZip();
  zip.file(`${stem}.shp`, shp);
  zip.file(`${stem}.shx`, shx);
  zip.file(`${stem}.dbf`, dbf);
  zip.file(`${stem}.prj`, CRS_LABELS[crs].prj);
  zip.file(`${stem}.cpg`, 'UTF-8');
  zip.file('readme.txt', `\ufeff${readme}`);
  // Level 1: JSZip deflates in JavaScript; at 10^5 sites level 6 takes three times as long for a few per cent.
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}
