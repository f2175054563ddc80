// The Shapefile's DBF writer (server/export/dbf.ts): UTF-8 text sized in bytes, cut at 254 bytes on
// a character boundary, numbers and nulls — read back by GDAL through a minimal Shapefile.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { DBF_MAX_TEXT_BYTES, utf8Prefix, writeDbf } from '../server/export/dbf.ts';
import { writeShp } from '../server/export/shapefile.ts';
import { CRS_LABELS } from '../server/export/crs.ts';
import { ogrRead, saveFile } from './helpers/gdal.ts';

describe('DBF writer', () => {
  it('cuts UTF-8 text on a character boundary', () => {
    // 汉 is 3 bytes: 4 bytes of "汉汉" hold one character, never half of the second
    expect(new TextDecoder().decode(utf8Prefix('汉汉', 4))).toBe('汉');
    expect(new TextDecoder().decode(utf8Prefix('a汉', 4))).toBe('a汉');
    expect(utf8Prefix('汉'.repeat(100), DBF_MAX_TEXT_BYTES).length).toBe(252);
  });

  it('writes Chinese, numbers and nulls that GDAL reads back (with a .cpg)', async () => {
    const long = '漯'.repeat(100); // 300 bytes: kept to 84 characters (252 bytes)
    const dbf = writeDbf(
      [
        { name: 'NAME', type: 'C' },
        { name: 'LON', type: 'N', decimals: 7 },
        { name: 'ID', type: 'N' },
      ],
      [
        ['源汇区<砂石>&料场', 113.9512345, 1],
        [long, null, 22],
        [null, -0.5, null],
      ],
    );
    const { shp, shx } = writeShp('Point', [[[113.9, 33.5]], [[114, 33.6]], [[114.1, 33.7]]]);
    const zip = new JSZip();
    for (const [ext, data] of [
      ['shp', shp],
      ['shx', shx],
      ['dbf', dbf],
      ['prj', CRS_LABELS.wgs84.prj],
      ['cpg', 'UTF-8'],
    ] as const)
      zip.file(`t.${ext}`, data);
    const path = saveFile(await zip.generateAsync({ type: 'uint8array' }), 'zip');
    const features = ogrRead(`/vsizip/${path}`);
    expect(features.map((f) => [f.properties['NAME'] ?? null, f.properties['LON'] ?? null, f.properties['ID'] ?? null, f.geometry!.coordinates])).toEqual([
      ['源汇区<砂石>&料场', 113.9512345, 1, [113.9, 33.5]],
      ['漯'.repeat(84), null, 22, [114, 33.6]],
      [null, -0.5, null, [114.1, 33.7]],
    ]);
  });

  it('refuses a field name a DBF cannot hold', () => {
    expect(() => writeDbf([{ name: 'RESPONSIBLE_UNIT', type: 'C' }], [])).toThrow(/at most 10 bytes/);
    expect(() => writeDbf([{ name: '名称', type: 'C' }], [])).toThrow(/ASCII/);
  });
});
