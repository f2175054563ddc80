// Category symbols drawn at run time with the browser's own fonts (no sprite download needed):
// one white character per category, placed over a circle coloured by status.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CATEGORY_GLYPH } from '../i18n/code-labels.ts';
import { LOCAL_IDEOGRAPH_FONTS } from './fonts.ts';

export const iconName = (category: string) => `cat-${category}`;

export function addCategoryIcons(map: MapLibreMap): void {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  const size = Math.round(16 * ratio);
  for (const [category, glyph] of Object.entries(CATEGORY_GLYPH)) {
    if (map.hasImage(iconName(category))) continue;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.font = `bold ${Math.round(12 * ratio)}px ${LOCAL_IDEOGRAPH_FONTS}`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(glyph, size / 2, size / 2 + ratio);
    const image = context.getImageData(0, 0, size, size);
    map.addImage(iconName(category), { width: size, height: size, data: new Uint8Array(image.data.buffer) }, { pixelRatio: ratio });
  }
}
