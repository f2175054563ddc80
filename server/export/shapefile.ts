// A zipped Shapefile: .shp/.shx (points or polylines), .dbf (UTF-8, see dbf.ts), .prj (WGS84 or CGCS2000),
// .cpg ("UTF-8", so QGIS/ArcGIS/GDAL read the Chinese), and a readme naming what the short DBF field
// names stand for. Rows without geometry are left out (a Shapefile point layer has no empty points).
// The zip is written by fflate's streaming Zip (synchronous: it runs on the export's worker thread),
// its entries deflated at level 1 by Node's zlib as their bytes come.
import { Zip, ZipPassThrough } from 'fflate';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { CRS_LABELS, type ExportCrs } from './crs.ts';
import { DBF_END, DbfWriter } from './dbf.ts';
import { FileSink } from './file-sink.ts';
import type { ExportLayer } from './layers.ts';

const SHAPE_TYPE = { Point: 1, LineString: 3 } as const;

type Coordinates = readonly (readonly number[])[];
type ShapeType = 'Point' | 'LineString';

const contentBytes = (type: ShapeType, points: Coordinates) => (type === 'Point' ? 20 : 4 + 32 + 4 + 4 + 4 + 16 * points.length);

/** The 100-byte header of a .shp or .shx: file code, length, version, shape type, bounding box. */
function shapeHeader(type: ShapeType, fileBytes: number, box: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(100));
  view.setInt32(0, 9994); // big-endian file code
  view.setInt32(24, fileBytes / 2); // length in 16-bit words
  view.setInt32(28, 1000, true);
  view.setInt32(32, SHAPE_TYPE[type], true);
  box.forEach((value, i) => view.setFloat64(36 + 8 * i, value, true));
  return new Uint8Array(view.buffer);
}

/** One .shp record (record header + content): a point, or a polyline of one part. */
function shapeRecord(type: ShapeType, number: number, points: Coordinates): Uint8Array {
  const content = contentBytes(type, points);
  const view = new DataView(new ArrayBuffer(8 + content));
  view.setInt32(0, number);
  view.setInt32(4, content / 2);
  view.setInt32(8, SHAPE_TYPE[type], true);
  if (type === 'Point') {
    view.setFloat64(12, points[0]![0]!, true);
    view.setFloat64(20, points[0]![1]!, true);
  } else {
    const box = boxOf(points);
    [box[0], box[1], box[2], box[3]].forEach((value, k) => view.setFloat64(12 + 8 * k, value!, true));
    view.setInt32(44, 1, true); // one part
    view.setInt32(48, points.length, true);
    view.setInt32(52, 0, true); // the part starts at point 0
    points.forEach((p, k) => {
      view.setFloat64(56 + 16 * k, p[0]!, true);
      view.setFloat64(64 + 16 * k, p[1]!, true);
    });
  }
  return new Uint8Array(view.buffer);
}

/** The bounding box [minX, minY, maxX, maxY] grown by `points` (all zeros for nothing). */
function boxOf(points: Coordinates, box = [Infinity, Infinity, -Infinity, -Infinity]): number[] {
  for (const [x, y] of points) {
    if (x! < box[0]!) box[0] = x!;
    if (y! < box[1]!) box[1] = y!;
    if (x! > box[2]!) box[2] = x!;
    if (y! > box[3]!) box[3] = y!;
  }
  return box;
}
const finiteBox = (box: number[]) => (Number.isFinite(box[0]) ? box : [0, 0, 0, 0]);

/** .shp and .shx for points (one coordinate each) or polylines (one part each), whole, in memory (tests). */
export function writeShp(type: ShapeType, shapes: readonly Coordinates[]): { shp: Uint8Array; shx: Uint8Array } {
  const box = finiteBox(shapes.reduce((grown, points) => boxOf(points, grown), [Infinity, Infinity, -Infinity, -Infinity]));
  const records = shapes.map((points, i) => shapeRecord(type, i + 1, points));
  const shpBytes = 100 + records.reduce((sum, record) => sum + record.length, 0);
  const shx = Buffer.alloc(100 + 8 * shapes.length);
  shx.set(shapeHeader(type, shx.length, box));
  let at = 100;
  records.forEach((record, i) => {
    shx.writeInt32BE(at / 2, 100 + 8 * i);
    shx.writeInt32BE((record.length - 8) / 2, 104 + 8 * i);
    at += record.length;
  });
  return { shp: Buffer.concat([shapeHeader(type, shpBytes, box), ...records]), shx };
}

/**
 * A zip entry deflated by Node's zlib (native, several times fflate's JavaScript deflate): each chunk
 * compressed on its own and sync-flushed (so the pieces join into one DEFLATE stream), then a final
 * empty block. fflate's documented way to plug in another compressor: subclass ZipPassThrough.
 */
class NativeZipDeflate extends ZipPassThrough {
  constructor(filename: string) {
    super(filename);
    this.compression = 8;
  }

  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    const body = chunk.length ? deflateRawSync(chunk, { level: 1, finishFlush: zlibConstants.Z_SYNC_FLUSH }) : Buffer.alloc(0);
    this.ondata(null, final ? Buffer.concat([body, FINAL_BLOCK]) : body, final);
  }
}
const FINAL_BLOCK = deflateRawSync(Buffer.alloc(0));

/** A zip entry fed in chunks of about 1 MB, deflated as it goes. */
function zipEntry(zip: Zip, name: string, produce: (push: (chunk: Uint8Array) => void) => void): void {
  const file = new NativeZipDeflate(name);
  zip.add(file);
  let pending: Uint8Array[] = [];
  let size = 0;
  produce((chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      file.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
  });
  file.push(Buffer.concat(pending), true);
}

/**
 * The zip: <stem>.dbf/.shp/.shx/.prj/.cpg and readme.txt (ASCII names inside, for every unzip tool),
 * streamed to `sink`. A first pass over the rows measures what the headers hold (count, bounding box,
 * .shp length, DBF field widths); the second writes the .dbf entry a record at a time and the .shp
 * records to a file beside the export (then copied into its entry), keeping 4 bytes a record for the .shx.
 */
export function writeShapefileZip<R>(sink: FileSink, layer: ExportLayer<R>, stem: string, notes: readonly string[], crs: ExportCrs = 'wgs84'): void {
  const type = layer.geometryType;
  const shapeOf = (row: R): Coordinates | null => {
    const geometry = layer.geometry(row);
    return geometry === null ? null : geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates;
  };
  const dbf = new DbfWriter(layer.columns.map((column) => ({ name: column.dbf!, type: column.type === 'number' ? 'N' : 'C', decimals: column.decimals })));
  const cells = (row: R) => layer.columns.map((column) => column.value(row));
  let box = [Infinity, Infinity, -Infinity, -Infinity];
  let shpBytes = 100;
  for (const row of layer.source.rows()) {
    const points = shapeOf(row);
    if (!points) continue;
    box = boxOf(points, box);
    shpBytes += 8 + contentBytes(type, points);
    dbf.measure(cells(row));
  }
  box = finiteBox(box);

  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    sink.binary(chunk);
  });
  const lengths: number[] = [];
  const records = new FileSink(`${sink.path}.shp-records`);
  try {
    zipEntry(zip, `${stem}.dbf`, (push) => {
      push(dbf.header());
      for (const row of layer.source.rows()) {
        const points = shapeOf(row);
        if (!points) continue;
        const record = shapeRecord(type, lengths.length + 1, points);
        lengths.push(record.length);
        records.binary(record);
        push(dbf.record(cells(row)));
      }
      push(DBF_END);
    });
  } finally {
    records.close();
  }
  zipEntry(zip, `${stem}.shp`, (push) => {
    push(shapeHeader(type, shpBytes, box));
    const fd = openSync(records.path, 'r');
    try {
      for (;;) {
        const chunk = Buffer.allocUnsafe(1 << 20);
        const read = readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) break;
        push(chunk.subarray(0, read));
      }
    } finally {
      closeSync(fd);
      rmSync(records.path);
    }
  });
  zipEntry(zip, `${stem}.shx`, (push) => {
    push(shapeHeader(type, 100 + 8 * lengths.length, box));
    let at = 100;
    for (let start = 0; start < lengths.length; start += 8192) {
      const batch = lengths.slice(start, start + 8192);
      const index = Buffer.alloc(8 * batch.length);
      batch.forEach((length, i) => {
        index.writeInt32BE(at / 2, 8 * i);
        index.writeInt32BE((length - 8) / 2, 8 * i + 4);
        at += length;
      });
      push(index);
    }
  });

  const readme = [
    ...notes,
    '',
    `文件：.shp/.shx 几何，.dbf 属性（UTF-8 编码，见 .cpg），.prj 坐标系 ${CRS_LABELS[crs].name}（EPSG:${CRS_LABELS[crs].epsg}）经纬度。`,
    `Files: .shp/.shx geometry, .dbf attributes (UTF-8, named in .cpg), .prj ${CRS_LABELS[crs].name} (EPSG:${CRS_LABELS[crs].epsg}) longitude/latitude.`,
    `DBF 字段名最长 10 个字节，故用英文缩写；文字超过 254 个字节的部分被截去。对照表 / Field names (at most 10 bytes; text cut at 254 bytes):`,
    ...layer.columns.map((column) => `${column.dbf!.padEnd(10)}  ${column.zh}  ${column.en} — ${column.descriptionZh}`),
    '',
  ].join('\r\n');
  for (const [name, text] of [
    [`${stem}.prj`, CRS_LABELS[crs].prj],
    [`${stem}.cpg`, 'UTF-8'],
    ['readme.txt', `\ufeff${readme}`],
  ] as const)
    zipEntry(zip, name, (push) => push(Buffer.from(text, 'utf8')));
  zip.end();
}
