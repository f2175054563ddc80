// What the browser tests and the benchmark read off the page: the clusters last drawn and timings.
// Plain data on window.__sansan; nothing reads it in normal use.
import { useSyncExternalStore } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ClusterFeature } from '../../domain/cluster-index.ts';

interface DebugState {
  map: MapLibreMap | null;
  clusters: ClusterFeature[];
  renders: number;
  firstClusterRenderMs: number | null;
  lastBuildMs: number | null;
  lastQueryMs: number | null;
  /** Ids of the sites and roads the scorecard highlight shows. */
  highlight: number[];
  recordClusters(features: ClusterFeature[], buildMs: number | null, queryMs: number): void;
  /** Makes the page's next render throw (a browser test checks what a render error shows). */
  breakRender(): void;
}

let renderBroken = false;
const renderListeners = new Set<() => void>();

export const debugState: DebugState = {
  map: null,
  clusters: [],
  renders: 0,
  firstClusterRenderMs: null,
  lastBuildMs: null,
  lastQueryMs: null,
  highlight: [],
  recordClusters(features, buildMs, queryMs) {
    this.clusters = features;
    this.renders++;
    if (buildMs !== null) this.lastBuildMs = buildMs;
    this.lastQueryMs = queryMs;
    if (this.firstClusterRenderMs === null && features.length > 0) this.firstClusterRenderMs = performance.now();
  },
  breakRender() {
    renderBroken = true;
    for (const listener of renderListeners) listener();
  },
};

/** Rendered inside the page: throws once `breakRender()` was called. */
export function RenderTrap(): null {
  const broken = useSyncExternalStore(
    (listener) => {
      renderListeners.add(listener);
      return () => renderListeners.delete(listener);
    },
    () => renderBroken,
  );
  if (broken) throw new Error('render error provoked by window.__sansan.breakRender()');
  return null;
}

(window as unknown as { __sansan: DebugState }).__sansan = debugState;
