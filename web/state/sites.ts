// Sites: the located and unlocated lists, one site's detail, search, and the writes on a site.
import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite, type Loadable } from './query.ts';

type SitesQuery = NonNullable<Parameters<typeof api.api.sites.$get>[0]>['query'];
type SiteArgs<M extends (args: never) => unknown> = Parameters<M>[0];

const loadSites = (query: SitesQuery) => unwrap(api.api.sites.$get({ query }));
const loadSite = (id: number) => unwrap(api.api.sites[':id'].$get({ param: { id: String(id) } }));

export type SiteDetail = Awaited<ReturnType<typeof loadSite>>;

export const useSites = (query: SitesQuery, enabled = true) => useApiQuery(['sites', query], () => loadSites(query), enabled);
/** A list a person reads, one page at a time: `page.next`/`previous` move along the server's cursors (null at an end). */
export function useSitePages(query: SitesQuery, pageSize: number) {
  // The cursors of the pages opened so far (the first page has none): back is one pop.
  const [cursors, setCursors] = useState<string[]>([]);
  const [shownDepth, setShownDepth] = useState(0);
  const cursor = cursors.at(-1);
  const list = useSites({ ...query, limit: String(pageSize), ...(cursor ? { cursor } : {}) });
  // While the next page loads the one before stays shown: number its rows as that page, and move on only from an arrived page.
  if (!list.loading && list.data && shownDepth !== cursors.length) setShownDepth(cursors.length);
  const settled = shownDepth === cursors.length;
  const nextCursor = list.data?.nextCursor ?? null;
  const page = {
    first: shownDepth * pageSize + 1,
    next: settled && nextCursor ? () => setCursors([...cursors, nextCursor]) : null,
    previous: settled && cursors.length > 0 ? () => setCursors(cursors.slice(0, -1)) : null,
  };
  return { ...list, page };
}

/**
 * One site's detail. Queries keep the previous answer while the next loads (query.ts); for a detail that
 * would be another site's under this one's buttons (加入巡查路线 added the site shown before), so only
 * this site's own answer is given.
 */
export const useSite = (id: number): Loadable<SiteDetail> => {
  const detail = useApiQuery(['site', id], () => loadSite(id));
  return detail.data && detail.data.id !== id ? { ...detail, data: null, stale: false } : detail;
};

const positionOf = (site: SiteDetail): [number, number] | null => (site.geometry ? [site.geometry.coordinates[0]!, site.geometry.coordinates[1]!] : null);

/** Where a site is (null: unlocated, or no site); shares the detail's query with the site panel. */
export function useSitePosition(id: number | null): { position: [number, number] | null; loading: boolean } {
  const site = useApiQuery(['site', id], () => loadSite(id!), id !== null);
  return { position: site.data ? positionOf(site.data) : null, loading: site.loading };
}

/** Where a site is, asked once (opening a site from a list flies to it). */
export const fetchSitePosition = (id: number) => loadSite(id).then(positionOf);

/** How many sites the query finds without a position (the export menu's note); 0 when `enabled` is false. */
export const useUnlocatedCount = (query: SitesQuery, enabled: boolean) =>
  useApiQuery(['exportCounts', 'sites', query, enabled], () =>
    enabled ? loadSites({ ...query, located: 'false' }).then((c) => c.features.length) : Promise.resolve(0),
  );

/** Sites by name or address (the search box): called per keystroke pause, the newest answer wins there. */
export const searchSites = (query: SitesQuery) => loadSites(query);

/** Whether any site passes `query` (the map picture asks about demo records in view). */
export const anySite = (query: SitesQuery) => loadSites({ ...query, limit: '1' }).then((page) => page.features.length > 0);

export const useCreateSite = () => useWrite((args: SiteArgs<typeof api.api.sites.$post>) => unwrap(api.api.sites.$post(args)), DATA_AFTER.site);
export const useEditSite = () =>
  useWrite((args: SiteArgs<(typeof api.api.sites)[':id']['$patch']>) => unwrap(api.api.sites[':id'].$patch(args)), DATA_AFTER.site);
export const useMoveSite = () =>
  useWrite((args: SiteArgs<(typeof api.api.sites)[':id']['events']['$post']>) => unwrap(api.api.sites[':id'].events.$post(args)), DATA_AFTER.site);
export const usePlaceSite = () =>
  useWrite((args: SiteArgs<(typeof api.api.sites)[':id']['location']['$put']>) => unwrap(api.api.sites[':id'].location.$put(args)), DATA_AFTER.site);
