/**
 * Builds the MapLibre glyph PBFs in geodata/glyphs/ from a TrueType font, so that the map's
 * `glyphs` URL can be served by our own server on a network with no internet.
 *
 *   node --import tsx server/cli/build-glyphs.ts [--font FILE] [--out DIR] [--ranges 0-255,256-511]
 *
 * Chinese characters are not in these files: MapLibre draws CJK ideographs (and full-width forms)
 * in the browser with local fonts (`localIdeographFontFamily`). These files carry Latin letters,
 * digits and punctuation.
 *
 * Output follows the Mapbox glyph protocol as node-fontnik / sdf-glyph-foundry write it:
 * `{out}/{fontstack}/{start}-{end}.pbf`, each file one `glyphs` message holding one `fontstack`
 * (name, range, glyphs). Every glyph is rendered at 24 px with a 3 px buffer around its rounded
 * bounding box; its bitmap is a (width + 6) × (height + 6) signed distance field, one byte per
 * pixel, rows from the top, value 255 − clamp(64 + 32 × signed distance in px) — i.e. radius 8,
 * cutoff 0.25, so 192 marks the outline. The distances are computed exactly from the flattened
 * outline (no raster step), as sdf-glyph-foundry does.
 *
 * Metrics (px at 24 px): `left` = rounded left edge of the outline; `top` = rounded top edge minus
 * BASELINE (the distance from MapLibre's glyph origin down to the baseline); `advance` = the
 * font's advance width, rounded. The output is byte-for-byte deterministic.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import opentype from 'opentype.js';

const SIZE = 24;
const BUFFER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
/**
 * Baseline position below the glyph origin, in px at 24 px. node-fontnik uses FreeType's rounded
 * ascender (26 for Noto Sans); MapLibre places its locally drawn CJK glyphs 27.5 px below the
 * origin (`topAdjustment`), so 27 keeps our Latin within half a pixel of the Chinese baseline.
 */
const BASELINE = 27;
/** Max distance, in px, between a flattened curve and the true one. */
const FLATNESS = 0.01;

const DEFAULT_FONT = '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf';
const DEFAULT_OUT = 'geodata/glyphs';
/**
 * Basic Latin + Latin-1 (· × °), Latin Extended-A/B (pinyin tone marks ā ǎ ǚ), General Punctuation
 * and currency (– — “ ” … ‰ ※ €). Ranges where the font lacks characters a label may use (e.g.
 * 8448-8703 has ℃ but not Ⅰ–Ⅻ) are left out on purpose: for a range with no file MapLibre draws
 * the characters locally, whereas a file without the character makes it vanish.
 */
const DEFAULT_RANGES = '0-255,256-511,8192-8447';

type Pt = { x: number; y: number };
type Ring = Pt[];

interface SdfGlyph {
  id: number;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
  bitmap: Uint8Array | null;
}

/** Outline of a glyph as closed rings of points, in px at SIZE, y up, baseline at y = 0. */
function flatten(glyph: opentype.Glyph, scale: number): Ring[] {
  const rings: Ring[] = [];
  let ring: Ring = [];
  let cur: Pt = { x: 0, y: 0 };
  const close = () => {
    if (ring.length > 1) {
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first.x !== last.x || first.y !== last.y) ring.push({ ...first });
      rings.push(ring);
    }
    ring = [];
  };
  for (const c of glyph.path.commands) {
    switch (c.type) {
      case 'M':
        close();
        cur = { x: c.x * scale, y: c.y * scale };
        ring.push(cur);
        break;
      case 'L':
        cur = { x: c.x * scale, y: c.y * scale };
        ring.push(cur);
        break;
      case 'Q': {
        const p1 = { x: c.x1 * scale, y: c.y1 * scale };
        const p2 = { x: c.x * scale, y: c.y * scale };
        // Chord error of n uniform steps is at most |p0 − 2p1 + p2| / (4n²).
        const dd = Math.hypot(cur.x - 2 * p1.x + p2.x, cur.y - 2 * p1.y + p2.y);
        const n = Math.max(1, Math.ceil(Math.sqrt(dd / (4 * FLATNESS))));
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          ring.push({
            x: u * u * cur.x + 2 * u * t * p1.x + t * t * p2.x,
            y: u * u * cur.y + 2 * u * t * p1.y + t * t * p2.y,
          });
        }
        cur = p2;
        break;
      }
      case 'C': {
        const p1 = { x: c.x1 * scale, y: c.y1 * scale };
        const p2 = { x: c.x2 * scale, y: c.y2 * scale };
        const p3 = { x: c.x * scale, y: c.y * scale };
        const dd = Math.max(Math.hypot(cur.x - 2 * p1.x + p2.x, cur.y - 2 * p1.y + p2.y), Math.hypot(p1.x - 2 * p2.x + p3.x, p1.y - 2 * p2.y + p3.y));
        const n = Math.max(1, Math.ceil(Math.sqrt((3 * dd) / (4 * FLATNESS))));
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          const a = u * u * u;
          const b = 3 * u * u * t;
          const d = 3 * u * t * t;
          const e = t * t * t;
          ring.push({
            x: a * cur.x + b * p1.x + d * p2.x + e * p3.x,
            y: a * cur.y + b * p1.y + d * p2.y + e * p3.y,
          });
        }
        cur = p3;
        break;
      }
      case 'Z':
        close();
        break;
    }
  }
  close();
  return rings;
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / l2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

function renderGlyph(font: opentype.Font, id: number, glyphIndex: number): SdfGlyph {
  const glyph = font.glyphs.get(glyphIndex);
  const scale = SIZE / font.unitsPerEm;
  const advance = Math.round((glyph.advanceWidth ?? 0) * scale);
  const empty: SdfGlyph = { id, width: 0, height: 0, left: 0, top: -BASELINE, advance, bitmap: null };

  const rings = flatten(glyph, scale);
  if (rings.length === 0) return empty;

  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const ring of rings) {
    for (const p of ring) {
      if (p.x < xmin) xmin = p.x;
      if (p.x > xmax) xmax = p.x;
      if (p.y < ymin) ymin = p.y;
      if (p.y > ymax) ymax = p.y;
    }
  }
  xmin = Math.round(xmin);
  ymin = Math.round(ymin);
  xmax = Math.round(xmax);
  ymax = Math.round(ymax);
  const width = xmax - xmin;
  const height = ymax - ymin;
  if (width <= 0 || height <= 0) return empty;

  // Segments as flat arrays, shifted so the buffered box starts at (0, 0).
  const segs: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const from = ring[i]!;
      const to = ring[i + 1]!;
      segs.push(from.x - xmin + BUFFER, from.y - ymin + BUFFER, to.x - xmin + BUFFER, to.y - ymin + BUFFER);
    }
  }

  const bw = width + 2 * BUFFER;
  const bh = height + 2 * BUFFER;
  const bitmap = new Uint8Array(bw * bh);
  const r2 = RADIUS * RADIUS;
  for (let y = 0; y < bh; y++) {
    const py = y + 0.5;
    for (let x = 0; x < bw; x++) {
      const px = x + 0.5;
      let best = r2;
      let winding = 0;
      for (let s = 0; s < segs.length; s += 4) {
        const ax = segs[s]!;
        const ay = segs[s + 1]!;
        const bx = segs[s + 2]!;
        const by = segs[s + 3]!;
        // Non-zero winding (the TrueType fill rule), so overlapping contours stay filled.
        if (ay <= py) {
          if (by > py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) > 0) winding++;
        } else if (by <= py && (bx - ax) * (py - ay) - (px - ax) * (by - ay) < 0) {
          winding--;
        }
        const d2 = segmentDistance2(px, py, ax, ay, bx, by);
        if (d2 < best) best = d2;
      }
      let d = Math.sqrt(best) * (256 / RADIUS);
      if (winding !== 0) d = -d;
      d += CUTOFF * 256;
      const n = d > 255 ? 255 : d < 0 ? 0 : Math.trunc(d);
      // Row 0 of the bitmap is the top of the glyph.
      bitmap[(bh - 1 - y) * bw + x] = 255 - n;
    }
  }

  return { id, width, height, left: xmin, top: ymax - BASELINE, advance, bitmap };
}

/** Minimal protobuf writer for the glyphs.proto messages. */
class ProtoWriter {
  private bytes: number[] = [];

  private varint(v: number): void {
    let n = v;
    while (n > 0x7f) {
      this.bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
  }

  uint(field: number, v: number): this {
    this.varint(field << 3);
    this.varint(v);
    return this;
  }

  sint(field: number, v: number): this {
    return this.uint(field, v < 0 ? -2 * v - 1 : 2 * v);
  }

  bytesField(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function encodeRange(fontstack: string, range: string, glyphs: SdfGlyph[]): Uint8Array {
  const stack = new ProtoWriter().string(1, fontstack).string(2, range);
  for (const g of glyphs) {
    const w = new ProtoWriter().uint(1, g.id);
    if (g.bitmap) w.bytesField(2, g.bitmap);
    w.uint(3, g.width).uint(4, g.height).sint(5, g.left).sint(6, g.top).uint(7, g.advance);
    stack.bytesField(3, w.finish());
  }
  return new ProtoWriter().bytesField(1, stack.finish()).finish();
}

function parseRanges(spec: string): Array<[number, number]> {
  return spec.split(',').map((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`bad range "${part}", expected e.g. 0-255`);
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (start % 256 !== 0 || end !== start + 255 || end > 65535) {
      throw new Error(`bad range "${part}": must be 256 codepoints starting at a multiple of 256`);
    }
    return [start, end];
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      font: { type: 'string', default: DEFAULT_FONT },
      out: { type: 'string', default: DEFAULT_OUT },
      ranges: { type: 'string', default: DEFAULT_RANGES },
    },
  });
  const fontPath = resolve(values.font);
  const data = readFileSync(fontPath);
  const font = opentype.parse(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  // node-fontnik names a fontstack "<family> <style>", e.g. "Noto Sans Regular".
  const fontstack = `${font.names.fontFamily.en} ${font.names.fontSubfamily.en}`;
  const sha = createHash('sha256').update(data).digest('hex');
  console.log(`font ${fontPath} (${(font.names.version.en ?? '').split(';')[0]}, sha256 ${sha})`);

  const dir = join(resolve(values.out), fontstack);
  mkdirSync(dir, { recursive: true });
  for (const [start, end] of parseRanges(values.ranges)) {
    const glyphs: SdfGlyph[] = [];
    for (let cp = start; cp <= end; cp++) {
      const index = font.charToGlyphIndex(String.fromCodePoint(cp));
      if (index > 0) glyphs.push(renderGlyph(font, cp, index));
    }
    const range = `${start}-${end}`;
    const pbf = encodeRange(fontstack, range, glyphs);
    writeFileSync(join(dir, `${range}.pbf`), pbf);
    console.log(`${fontstack}/${range}.pbf: ${glyphs.length} glyphs, ${pbf.length} bytes`);
  }
}

main();
