// A cluster marker: a ring split by the statuses inside it, with the count in the middle.
import { STATUS_CODES } from '../../domain/statuses.ts';
import { STATUS_COLORS } from './colors.ts';

export function clusterElement(statusCounts: readonly number[], count: number, title: string): HTMLElement {
  const size = count >= 1000 ? 64 : count >= 100 ? 54 : count >= 10 ? 44 : 36;
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
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'cluster-marker';
  element.title = title;
  element.setAttribute('aria-label', title);
  element.dataset.count = String(count);
  element.style.width = element.style.height = `${size}px`;
  element.innerHTML = `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true">${paths.join('')}<circle cx="${radius}" cy="${radius}" r="${inner}" fill="#ffffff" fill-opacity="0.92"/></svg><span>${count}</span>`;
  return element;
}
