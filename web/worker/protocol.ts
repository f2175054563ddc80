// Messages between the page and the cluster worker.
import type { ClusterFeature, ClusterFilters, ClusterSite } from './cluster-index.ts';

export type WorkerRequest =
  | { type: 'load'; requestId: number; sites: ClusterSite[] }
  | { type: 'query'; requestId: number; bbox: [number, number, number, number]; zoom: number; filters: ClusterFilters }
  | { type: 'expansionZoom'; requestId: number; county: string; clusterId: number; filters: ClusterFilters };

export type WorkerResponse =
  | { type: 'loaded'; requestId: number; count: number }
  | { type: 'clusters'; requestId: number; features: ClusterFeature[]; total: number; buildMs: number | null; queryMs: number }
  | { type: 'expansionZoom'; requestId: number; zoom: number }
  | { type: 'error'; requestId: number; message: string };
