// The cluster rings on the map: one HTML marker per cluster of the view's tiles, kept while the
// next view has the same cluster (county, id and count), made for the new ones in one parse
// (web/map/cluster-marker.ts) and removed for the rest. Positions are WGS84; `screen` turns them
// into the basemap's system.
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import type { ClusterFeature } from '../../domain/cluster-index.ts';
import { clusterElements } from './cluster-marker.ts';
import type { Ring } from './county-labels.ts';
import type { ScreenCrs } from './screen-crs.ts';

const ringKey = (feature: ClusterFeature) => `${feature.properties.county}:${feature.properties.clusterId}:${feature.properties.count}`;

export class ClusterRings {
  private readonly markers = new Map<string, { marker: Marker; at: [number, number]; radius: number }>();

  constructor(
    private readonly map: MapLibreMap,
    private readonly screen: () => ScreenCrs,
    /** A ring was clicked (the event stops there). */
    private readonly onClick: (feature: ClusterFeature) => void,
  ) {}

  /** Draws the clusters among `features` (single sites are skipped); `scope`: counties shown in full (null: all). */
  set(features: readonly ClusterFeature[], title: (count: number) => string, scope: readonly string[] | null) {
    const keep = new Set<string>();
    const added: ClusterFeature[] = [];
    for (const feature of features) {
      if (!feature.properties.cluster) continue;
      const key = ringKey(feature);
      if (keep.has(key)) continue;
      keep.add(key);
      if (!this.markers.has(key)) added.push(feature);
    }
    for (const [key, { marker }] of this.markers)
      if (!keep.has(key)) {
        marker.remove();
        this.markers.delete(key);
      }
    const elements = clusterElements(
      added.map((f) => ({ statusCounts: f.properties.statusCounts, count: f.properties.count, title: title(f.properties.count) })),
    );
    added.forEach((feature, index) => {
      const element = elements[index]!;
      element.dataset.county = feature.properties.county;
      element.classList.toggle('outside-scope', scope !== null && !scope.includes(feature.properties.county));
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        this.onClick(feature);
      });
      const at = feature.geometry.coordinates;
      const marker = new Marker({ element }).setLngLat(this.screen().toScreen(at)).addTo(this.map);
      // The ring's size as cluster-marker.ts set it (reading offsetWidth would force a layout).
      this.markers.set(ringKey(feature), { marker, at, radius: parseFloat(element.style.width) / 2 });
    });
  }

  /** Dims the rings outside these counties (null: none dimmed). */
  setScope(scope: readonly string[] | null) {
    for (const { marker } of this.markers.values()) {
      const element = marker.getElement();
      element.classList.toggle('outside-scope', scope !== null && !scope.includes(element.dataset.county ?? ''));
    }
  }

  /** Puts every ring back at its place in the current basemap's system (after a basemap switch). */
  reposition() {
    for (const { marker, at } of this.markers.values()) marker.setLngLat(this.screen().toScreen(at));
  }

  /** The rings on screen now (pixels), for the county names' placement. */
  onScreen(): Ring[] {
    return [...this.markers.values()].map(({ marker, radius }) => {
      const { x, y } = this.map.project(marker.getLngLat());
      return { x, y, radius };
    });
  }

  list(): Marker[] {
    return [...this.markers.values()].map(({ marker }) => marker);
  }

  remove() {
    for (const { marker } of this.markers.values()) marker.remove();
    this.markers.clear();
  }
}
