// What the map draws, asked per view: the sites' data version and the legend's counts
// (GET /api/map/sites), and the cluster tiles of a view (GET /api/map/sites/{version}/{z}/{x}/{y}),
// each kept by its URL's parts — a tile of one version never changes, so it is fetched once. A write
// marks 'sites' stale (DATA_AFTER), the summary's new version makes new tile URLs.
import type { ClusterFeature } from '../../domain/cluster-index.ts';
import { api, unwrap } from '../api/client.ts';
import { queryClient, useApiQuery } from './query.ts';

type SummaryQuery = NonNullable<Parameters<(typeof api.api.map.sites)['$get']>[0]>['query'];
export type TileQuery = NonNullable<Parameters<(typeof api.api.map.sites)[':version'][':z'][':x'][':y']['$get']>[0]>['query'];

export const useMapSummary = (query: SummaryQuery) => useApiQuery(['sites', 'map', query], () => unwrap(api.api.map.sites.$get({ query })));

/** One tile's clusters and sites (cached for good: its URL names one version of the data). */
export function loadMapTile(version: number, z: number, x: number, y: number, query: TileQuery): Promise<ClusterFeature[]> {
  return queryClient.fetchQuery({
    queryKey: ['sites', 'tile', version, z, x, y, query],
    queryFn: async () => {
      const param = { version: String(version), z: String(z), x: String(x), y: String(y) };
      const tile = await unwrap(api.api.map.sites[':version'][':z'][':x'][':y'].$get({ param, query }));
      return tile.features as ClusterFeature[];
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
  });
}
