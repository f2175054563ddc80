// What the browser tests and the benchmark read off the page: the clusters last drawn and timings.
// Plain data on window.__sansan; nothing reads it in normal use.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ClusterFeature } from '../worker/cluster-index.ts';

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
}

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
};

(window as unknown as { __sansan: DebugState }).__sansan = debugState;
