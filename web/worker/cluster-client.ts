// The page's side of the cluster worker: promises in place of messages; stale answers dropped.
import type { ClusterFeature, ClusterFilters, ClusterSite } from './cluster-index.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

type Pending = { resolve: (response: WorkerResponse) => void; reject: (error: Error) => void };
type Outgoing = WorkerRequest extends infer R ? (R extends { requestId: number } ? Omit<R, 'requestId'> : never) : never;

export class ClusterClient {
  private readonly worker = new Worker(new URL('./cluster-worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const pending = this.pending.get(event.data.requestId);
      if (!pending) return;
      this.pending.delete(event.data.requestId);
      if (event.data.type === 'error') pending.reject(new Error(event.data.message));
      else pending.resolve(event.data);
    };
  }

  private send(request: Outgoing): Promise<WorkerResponse> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage({ ...request, requestId } as WorkerRequest);
    });
  }

  async load(sites: ClusterSite[]): Promise<void> {
    await this.send({ type: 'load', sites });
  }

  async query(bbox: [number, number, number, number], zoom: number, filters: ClusterFilters) {
    const response = await this.send({ type: 'query', bbox, zoom, filters });
    if (response.type !== 'clusters') throw new Error(`unexpected worker answer ${response.type}`);
    return response as { features: ClusterFeature[]; total: number; buildMs: number | null; queryMs: number };
  }

  async expansionZoom(county: string, clusterId: number, filters: ClusterFilters): Promise<number> {
    const response = await this.send({ type: 'expansionZoom', county, clusterId, filters });
    if (response.type !== 'expansionZoom') throw new Error(`unexpected worker answer ${response.type}`);
    return response.zoom;
  }

  terminate() {
    this.worker.terminate();
  }
}
