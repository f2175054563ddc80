// The Web Worker that owns the cluster indexes. The page sends sites once per data load, then
// {bbox, zoom, filters} per view; indexes are rebuilt only when the filters change.
/// <reference lib="webworker" />
import { CountyClusterIndex, type ClusterFilters, type ClusterSite } from './cluster-index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

let sites: ClusterSite[] = [];
let index: CountyClusterIndex | null = null;
let indexFilters = '';

function indexFor(filters: ClusterFilters): { index: CountyClusterIndex; buildMs: number | null } {
  const key = JSON.stringify(filters);
  if (index && key === indexFilters) return { index, buildMs: null };
  const started = performance.now();
  index = new CountyClusterIndex(sites, filters);
  indexFilters = key;
  return { index, buildMs: performance.now() - started };
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  let response: WorkerResponse;
  try {
    if (request.type === 'load') {
      sites = request.sites;
      index = null;
      response = { type: 'loaded', requestId: request.requestId, count: sites.length };
    } else if (request.type === 'query') {
      const { index: current, buildMs } = indexFor(request.filters);
      const started = performance.now();
      const features = current.query({ bbox: request.bbox, zoom: request.zoom });
      response = { type: 'clusters', requestId: request.requestId, features, total: current.size, buildMs, queryMs: performance.now() - started };
    } else {
      const { index: current } = indexFor(request.filters);
      response = { type: 'expansionZoom', requestId: request.requestId, zoom: current.expansionZoom(request.county, request.clusterId) };
    }
  } catch (error) {
    response = { type: 'error', requestId: request.requestId, message: (error as Error).message };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(response);
};
