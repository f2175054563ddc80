// A cluster marker: a ring split by the statuses inside it, with the count in the middle. A view's
// new rings are written as one HTML text and parsed once (clusterElements): parsing each ring's SVG
// apart took ~0.1 ms a ring, 20–100 ms for a view's 200 rings on a loaded machine, between the
// tiles' arrival and their hand-over to the map.
import { STATUS_CODES } from '../../domain/statuses.ts';
import { STATUS_COLORS } from './colors.ts';

export interface ClusterRing {
  statusCounts: readonly number[];
  count: number;
  /** Tooltip and accessible name. */
  title: string;
}

/** Pixel size of a ring of `count` sites (its element's width and height). */
export function clusterSize(count: number): number {
  return count >= 1000 ? 64 : count >= 100 ? 54 : count >= 10 ? 44 : 36;
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The HTML of one ring: a `button.cluster-marker` with its SVG and count. */
export function clusterMarkup({ statusCounts, count, title }: ClusterRing): string {
  const size = clusterSize(count);
  const radius = size / 2;
  const inner = radius * 0.62;
  const total = statusCounts.reduce((sum, n) => sum + n, 0) || 1;
  let angle = -Math.PI / 2;
  const paths: string[] = [];
  statusCounts.forEach((n, index) => {
    if (n === 0) return;
    const color = STATUS_COLORS[STATUS_CODES[index]!];
    if (n === total) {
      paths.push(`<circle cx="${radius}" cy="${radius}" r="${(radius + inner) / 2}" fill="none" stroke="${color}" stroke-width="${radius - inner}"/>`);
      return;
    }
    const next = angle + (2 * Math.PI * n) / total;
    const large = next - angle > Math.PI ? 1 : 0;
    const point = (r: number, a: number) => `${radius + r * Math.cos(a)} ${radius + r * Math.sin(a)}`;
    paths.push(
      `<path d="M ${point(radius, angle)} A ${radius} ${radius} 0 ${large} 1 ${point(radius, next)} L ${point(inner, next)} A ${inner} ${inner} 0 ${large} 0 ${point(inner, angle)} Z" fill="${color}"/>`,
    );
    angle = next;
  });
  const name = escapeAttribute(title);
  return (
    `<button type="button" class="cluster-marker" title="${name}" aria-label="${name}" data-count="${count}" style="width: ${size}px; height: ${size}px;">` +
    `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${paths.join('')}<circle cx="${radius}" cy="${radius}" r="${inner}" fill="#ffffff" fill-opacity="0.92"/></svg>` +
    `<span>${count}</span></button>`
  );
}

/** The rings' elements, in order, from one parse of their HTML. */
export function clusterElements(rings: readonly ClusterRing[]): HTMLElement[] {
  if (rings.length === 0) return [];
  // Parsed in a detached element of the page's own document: no adoption when a marker is added.
  const holder = document.createElement('div');
  holder.innerHTML = rings.map(clusterMarkup).join('');
  return Array.from(holder.children) as HTMLElement[];
}
