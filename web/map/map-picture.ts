// 导出地图: the current view as a picture for a report. captureMap copies the WebGL canvas inside an
// 'idle' event (the drawing buffer is still whole there, so the map needs no
// preserveDrawingBuffer) and notes the cluster rings (DOM markers), the scale and which data layers
// have features in view. composePicture draws one page at 150 dpi — A4 or A3, landscape or portrait —
// with the title, the map (the whole view, fitted), north arrow, scale bar, legend, dates, data
// source and the demo note. The page turns it into PNG, or PDF through jsPDF.
import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import { LOCAL_IDEOGRAPH_FONTS } from './fonts.ts';

/** Data layers whose presence in view puts an entry in the legend (ids of map-controller.ts). */
const LEGEND_LAYERS = [
  'sites',
  'roads',
  'siege-cells',
  'siege-core',
  'relapse-cells',
  'relapse-points',
  'relapse-moves',
  'route-line',
  'route-stops',
  'highlight-points',
  'highlight-lines',
];

export interface CapturedMap {
  /** The map canvas in device pixels. */
  image: HTMLCanvasElement;
  /** The map's size in CSS pixels. */
  width: number;
  height: number;
  /** Cluster rings in CSS pixels from the map's top left. */
  markers: { x: number; y: number; size: number; svg: string; count: string }[];
  /** Ground metres per CSS pixel at the centre of the view. */
  metresPerPixel: number;
  /** The view's west, south, east, north. */
  bounds: [number, number, number, number];
  /** LEGEND_LAYERS with features in view. */
  shown: Set<string>;
  /** `status` of the road segments in view. */
  roadStatuses: Set<string>;
  /** Whether a single site or road segment drawn in view is a demo record (clusters do not say). */
  demoDrawn: boolean;
}

export async function captureMap(map: MapLibreMap, markers: readonly Marker[]): Promise<CapturedMap> {
  // 'idle' comes at the end of a frame once every source and tile is loaded, with the frame's
  // drawing buffer still whole.
  const image = await new Promise<HTMLCanvasElement>((resolve) => {
    map.once('idle', () => {
      const source = map.getCanvas();
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      copy.getContext('2d')!.drawImage(source, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
  const layers = LEGEND_LAYERS.filter((id) => map.getLayer(id));
  const rendered = map.queryRenderedFeatures({ layers });
  const container = map.getContainer();
  const center = map.getCenter();
  const bounds = map.getBounds();
  return {
    image,
    width: container.clientWidth,
    height: container.clientHeight,
    markers: markers.map((marker) => {
      const point = map.project(marker.getLngLat());
      const element = marker.getElement();
      const svg = element.querySelector('svg');
      return { x: point.x, y: point.y, size: element.offsetWidth, svg: svg ? svg.outerHTML : '', count: element.dataset.count ?? '' };
    }),
    // Web Mercator with 512-pixel tiles, as MapLibre draws it.
    metresPerPixel: (40_075_016.686 * Math.cos((center.lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom()),
    bounds: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
    shown: new Set(rendered.map((feature) => feature.layer.id)),
    roadStatuses: new Set(rendered.filter((feature) => feature.layer.id === 'roads').map((feature) => String(feature.properties?.status))),
    demoDrawn: rendered.some((feature) => (feature.layer.id === 'roads' || feature.layer.id === 'sites') && feature.properties?.source === 'demo'),
  };
}

export type Paper = 'a4' | 'a3';
export type Orientation = 'landscape' | 'portrait';

/** Paper sizes in millimetres, landscape. */
export const PAPER_MM: Record<Paper, [number, number]> = { a4: [297, 210], a3: [420, 297] };
export const PICTURE_DPI = 150;

export function pageMillimetres(paper: Paper, orientation: Orientation): [number, number] {
  const [long, short] = PAPER_MM[paper];
  return orientation === 'landscape' ? [long, short] : [short, long];
}

export function pagePixels(paper: Paper, orientation: Orientation): [number, number] {
  const [w, h] = pageMillimetres(paper, orientation);
  return [Math.round((w / 25.4) * PICTURE_DPI), Math.round((h / 25.4) * PICTURE_DPI)];
}

export type LegendSymbol =
  | { kind: 'dot'; color: string; ring?: string }
  | { kind: 'line'; color: string; dashed?: boolean; width?: number }
  | { kind: 'box'; colors: string[] }
  | { kind: 'ring'; colors: string[] };

export interface LegendEntry {
  symbol: LegendSymbol;
  label: string;
}

export interface LegendGroup {
  title: string;
  entries: LegendEntry[];
}

export interface PictureText {
  title: string;
  /** Under the title: what is shown and as of when. */
  subtitle: string;
  legendTitle: string;
  north: string;
  /** Formats a scale-bar length in metres, e.g. "5 公里". */
  distance: (metres: number) => string;
  /** Lines under the map: data source, dates. */
  footer: string[];
  /** Said in red under the map when demo records are in view; null when none are. */
  demoNote: string | null;
}

const font = (px: number, weight = 'normal') => `${weight} ${Math.round(px)}px ${LOCAL_IDEOGRAPH_FONTS}`;

/** Splits text into lines no wider than `width` (by character: Chinese has no spaces). */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const character of text) {
    if (line && context.measureText(line + character).width > width) {
      lines.push(line);
      line = character.trimStart();
    } else line += character;
  }
  if (line) lines.push(line);
  return lines;
}

/** 1, 2 or 5 × 10^n metres, the longest not above `metres`. */
function niceLength(metres: number): number {
  const power = 10 ** Math.floor(Math.log10(metres));
  return [5, 2, 1].map((n) => n * power).find((n) => n <= metres) ?? power;
}

const loadImage = (svg: string) =>
  new Promise<HTMLImageElement | null>((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.includes('xmlns=') ? svg : svg.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"'))}`;
  });

function drawSymbol(context: CanvasRenderingContext2D, symbol: LegendSymbol, x: number, y: number, size: number) {
  const cx = x + size / 2;
  const cy = y + size / 2;
  context.save();
  switch (symbol.kind) {
    case 'dot':
      context.beginPath();
      context.arc(cx, cy, size * 0.36, 0, 2 * Math.PI);
      context.fillStyle = symbol.color;
      context.fill();
      context.lineWidth = size * 0.1;
      context.strokeStyle = symbol.ring ?? '#111827';
      context.stroke();
      break;
    case 'line':
      context.beginPath();
      context.moveTo(x, cy);
      context.lineTo(x + size, cy);
      context.lineWidth = (symbol.width ?? 4) * (size / 28);
      context.strokeStyle = symbol.color;
      if (symbol.dashed) context.setLineDash([size / 5, size / 10]);
      context.stroke();
      break;
    case 'box': {
      const gradient = context.createLinearGradient(x, 0, x + size, 0);
      symbol.colors.forEach((color, i) => gradient.addColorStop(symbol.colors.length === 1 ? 0 : i / (symbol.colors.length - 1), color));
      context.fillStyle = gradient;
      context.fillRect(x, y + size * 0.15, size, size * 0.7);
      context.strokeStyle = '#868e96';
      context.lineWidth = 1;
      context.strokeRect(x, y + size * 0.15, size, size * 0.7);
      break;
    }
    case 'ring':
      symbol.colors.forEach((color, i) => {
        context.beginPath();
        const start = -Math.PI / 2 + (2 * Math.PI * i) / symbol.colors.length;
        context.arc(cx, cy, size * 0.38, start, start + (2 * Math.PI) / symbol.colors.length);
        context.lineWidth = size * 0.22;
        context.strokeStyle = color;
        context.stroke();
      });
      break;
  }
  context.restore();
}

/** One page: title, the map fitted in its frame with north arrow and scale bar, legend, footer. */
export async function composePicture(
  captured: CapturedMap,
  paper: Paper,
  orientation: Orientation,
  text: PictureText,
  legend: LegendGroup[],
): Promise<HTMLCanvasElement> {
  const [width, height] = pagePixels(paper, orientation);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const s = Math.min(width, height) / 1240; // type and rules grow with the paper
  const margin = 48 * s;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.textBaseline = 'alphabetic';

  // Title and subtitle.
  context.fillStyle = '#111827';
  context.font = font(40 * s, 'bold');
  context.fillText(text.title, margin, margin + 40 * s, width - 2 * margin);
  context.font = font(20 * s);
  context.fillStyle = '#495057';
  context.fillText(text.subtitle, margin, margin + 74 * s, width - 2 * margin);
  const top = margin + 96 * s;

  // Footer lines (data source, dates, the demo note) measured first so the map takes the rest.
  context.font = font(17 * s);
  const footerWidth = width - 2 * margin;
  const footer = text.footer.flatMap((line) => wrap(context, line, footerWidth));
  const demo = text.demoNote ? wrap(context, text.demoNote, footerWidth) : [];
  const lineHeight = 25 * s;
  const footerHeight = (footer.length + demo.length) * lineHeight + 12 * s;

  const landscape = orientation === 'landscape';
  const legendWidth = landscape ? 400 * s : width - 2 * margin;
  const legendHeight = landscape ? 0 : Math.min(420 * s, 60 * s + legend.reduce((n, group) => n + 40 * s + group.entries.length * 36 * s, 0));
  const frame = {
    x: margin,
    y: top,
    w: landscape ? width - 2 * margin - legendWidth - 24 * s : width - 2 * margin,
    h: height - top - margin - footerHeight - (landscape ? 0 : legendHeight + 20 * s),
  };

  // The map, fitted whole into the frame.
  const k = Math.min(frame.w / captured.width, frame.h / captured.height);
  const mapW = captured.width * k;
  const mapH = captured.height * k;
  const ox = frame.x + (frame.w - mapW) / 2;
  const oy = frame.y + (frame.h - mapH) / 2;
  context.fillStyle = '#f1f3f5';
  context.fillRect(frame.x, frame.y, frame.w, frame.h);
  context.drawImage(captured.image, ox, oy, mapW, mapH);
  for (const marker of captured.markers) {
    if (marker.x < 0 || marker.y < 0 || marker.x > captured.width || marker.y > captured.height) continue;
    const image = marker.svg ? await loadImage(marker.svg) : null;
    const size = marker.size * k;
    const cx = ox + marker.x * k;
    const cy = oy + marker.y * k;
    if (image) context.drawImage(image, cx - size / 2, cy - size / 2, size, size);
    context.fillStyle = '#111827';
    context.font = font(Math.max(11, 12 * k), 'bold');
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(marker.count, cx, cy);
    context.textAlign = 'left';
    context.textBaseline = 'alphabetic';
  }
  context.strokeStyle = '#343a40';
  context.lineWidth = 2 * s;
  context.strokeRect(ox, oy, mapW, mapH);

  // North arrow (the map is never rotated), top right inside the map.
  const ax = ox + mapW - 46 * s;
  const ay = oy + 24 * s;
  context.fillStyle = 'rgba(255,255,255,0.85)';
  context.fillRect(ax - 26 * s, ay - 8 * s, 52 * s, 92 * s);
  context.beginPath();
  context.moveTo(ax, ay);
  context.lineTo(ax + 14 * s, ay + 44 * s);
  context.lineTo(ax, ay + 34 * s);
  context.lineTo(ax - 14 * s, ay + 44 * s);
  context.closePath();
  context.fillStyle = '#111827';
  context.fill();
  context.font = font(22 * s, 'bold');
  context.textAlign = 'center';
  context.fillText(text.north, ax, ay + 74 * s);
  context.textAlign = 'left';

  // Scale bar, bottom left inside the map.
  const metresPerPagePixel = captured.metresPerPixel / k;
  const length = niceLength(metresPerPagePixel * 220 * s);
  const barWidth = length / metresPerPagePixel;
  const bx = ox + 20 * s;
  const by = oy + mapH - 28 * s;
  context.fillStyle = 'rgba(255,255,255,0.85)';
  context.fillRect(bx - 10 * s, by - 40 * s, barWidth + 20 * s + 120 * s, 58 * s);
  context.fillStyle = '#111827';
  context.fillRect(bx, by - 8 * s, barWidth / 2, 8 * s);
  context.strokeStyle = '#111827';
  context.lineWidth = 2 * s;
  context.strokeRect(bx, by - 8 * s, barWidth, 8 * s);
  context.font = font(18 * s);
  context.fillText('0', bx - 4 * s, by - 16 * s);
  context.fillText(text.distance(length), bx + barWidth - 10 * s, by - 16 * s);

  // Legend: beside the map (landscape) or under it (portrait).
  const lx = landscape ? frame.x + frame.w + 24 * s : margin;
  let ly = landscape ? frame.y : frame.y + frame.h + 20 * s;
  const legendBottom = landscape ? frame.y + frame.h : ly + legendHeight;
  context.strokeStyle = '#ced4da';
  context.lineWidth = 1.5 * s;
  context.strokeRect(lx, ly, legendWidth, legendBottom - ly);
  context.fillStyle = '#111827';
  context.font = font(24 * s, 'bold');
  context.fillText(text.legendTitle, lx + 16 * s, ly + 36 * s);
  ly += 52 * s;
  const columns = landscape ? 1 : 2;
  const columnWidth = (legendWidth - 32 * s) / columns;
  let column = 0;
  let columnTop = ly;
  for (const group of legend) {
    const needed = 40 * s + group.entries.length * 36 * s;
    if (!landscape && ly + needed > legendBottom && column < columns - 1) {
      column++;
      ly = columnTop;
    }
    const x = lx + 16 * s + column * columnWidth;
    context.fillStyle = '#343a40';
    context.font = font(19 * s, 'bold');
    context.fillText(group.title, x, ly + 20 * s);
    ly += 32 * s;
    context.font = font(18 * s);
    for (const entry of group.entries) {
      if (ly + 30 * s > legendBottom) break;
      drawSymbol(context, entry.symbol, x, ly, 28 * s);
      context.fillStyle = '#212529';
      context.fillText(entry.label, x + 40 * s, ly + 21 * s, columnWidth - 48 * s);
      ly += 36 * s;
    }
    ly += 8 * s;
    if (landscape) columnTop = ly;
  }

  // Footer.
  let fy = height - margin - footerHeight + lineHeight;
  context.font = font(17 * s);
  context.fillStyle = '#495057';
  for (const line of footer) {
    context.fillText(line, margin, fy);
    fy += lineHeight;
  }
  context.fillStyle = '#c92a2a';
  context.font = font(17 * s, 'bold');
  for (const line of demo) {
    context.fillText(line, margin, fy);
    fy += lineHeight;
  }
  return canvas;
}

/** The page as a PDF of exactly the paper's size (jsPDF, loaded only when asked for). */
export async function pictureToPdf(canvas: HTMLCanvasElement, paper: Paper, orientation: Orientation, title: string): Promise<Blob> {
  const { jsPDF } = await import('jspdf');
  const [w, h] = pageMillimetres(paper, orientation);
  const pdf = new jsPDF({ orientation, unit: 'mm', format: paper, compress: true });
  pdf.setProperties({ title, creator: 'Sansan Map' });
  pdf.addImage(canvas.toDataURL('image/jpeg', 0.92), 'JPEG', 0, 0, w, h);
  return pdf.output('blob');
}
