// What the map and the layer panel draw: configuration, counties, located and unlocated sites and
// road segments under the URL's date and filters, and the figures derived from them (counts, legend,
// choropleth, the county locator).
import { useMemo } from 'react';
import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { OPEN_STATUSES, RESOLVED_STATUSES, STATUS_CODES, type RoadStatusCode, type StatusCode } from '../../domain/statuses.ts';
import { CountyLocator } from '../../domain/locate-county.ts';
import { choroplethColors } from '../map/choropleth.ts';
import type { CountyFeatureCollection } from '../map/map-controller.ts';
import { useConfig, useCounties } from '../state/counties.ts';
import { useRoads } from '../state/roads.ts';
import { useSites } from '../state/sites.ts';
import type { UrlState } from '../state/url-state.ts';
import type { ClusterSite } from '../../domain/cluster-index.ts';

/** `scope`: the counties counted in the legend and header (a county official's own; null: the city). */
export function useMapData(state: UrlState, scope: readonly string[] | null) {
  const asOfQuery = state.asOf ? { asOf: state.asOf } : {};
  const filterQuery = {
    ...asOfQuery,
    ...(state.categories.length ? { category: state.categories.join(',') } : {}),
    ...(state.source ? { source: state.source } : {}),
  };
  const config = useConfig();
  const counties = useCounties(filterQuery);
  const sites = useSites({ ...asOfQuery, located: 'true' });
  const unlocated = useSites({ located: 'false', source: 'real' });
  const roads = useRoads(asOfQuery);

  const clusterSites = useMemo<ClusterSite[] | null>(
    () =>
      sites.data?.features
        .filter((f) => f.geometry)
        .map((f) => ({
          id: f.properties.id,
          lon: f.geometry!.coordinates[0],
          lat: f.geometry!.coordinates[1],
          county: f.properties.county,
          status: f.properties.status as StatusCode,
          category: f.properties.category,
          source: f.properties.source,
        })) ?? null,
    [sites.data],
  );
  const positions = useMemo(() => new Map(clusterSites?.map((s) => [s.id, [s.lon, s.lat] as [number, number]])), [clusterSites]);
  const siteCounties = useMemo(() => new Map(clusterSites?.map((s) => [s.id, s.county])), [clusterSites]);
  // Township names for the relapse rates, from the sites loaded (the official list has no other API yet).
  const townshipNames = useMemo(
    () =>
      Object.fromEntries(
        (sites.data?.features ?? [])
          .filter((f) => f.properties.township)
          .map((f) => [f.properties.township!, f.properties.townshipName ?? f.properties.township!]),
      ),
    [sites.data],
  );

  const countyList = useMemo(() => counties.data?.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) ?? [], [counties.data]);
  const countyNames = useMemo(() => Object.fromEntries(countyList.map((c) => [c.code, c.name])), [countyList]);
  const countyGeo = useMemo(() => (counties.data ? (counties.data as unknown as CountyFeatureCollection) : null), [counties.data]);
  // The county of a position, as the server will find it (same polygons, same rule).
  const locator = useMemo(
    () =>
      new CountyLocator((counties.data?.features ?? []).map((f) => ({ code: f.properties.code, geometry: f.geometry as unknown as Polygon | MultiPolygon }))),
    [counties.data],
  );
  // Legend and header count what the map can draw: located sites under the category and source filters.
  const statusCounts = useMemo(() => {
    const totals: Partial<Record<StatusCode, number>> = {};
    const categories = state.categories.length ? new Set(state.categories) : null;
    const inScope = scope ? new Set(scope) : null;
    for (const site of clusterSites ?? []) {
      if (inScope && !inScope.has(site.county)) continue;
      if (categories && !categories.has(site.category)) continue;
      if (state.source && site.source !== state.source) continue;
      totals[site.status] = (totals[site.status] ?? 0) + 1;
    }
    return totals;
  }, [clusterSites, state.categories, state.source, scope]);
  const shown = STATUS_CODES.filter((s) => state.statuses.includes(s)).reduce((sum, s) => sum + (statusCounts[s] ?? 0), 0);
  // Road segments on the map: those drawn, with the statuses the road legend switches on.
  const roadCounts = useMemo(() => {
    const drawn: Partial<Record<RoadStatusCode, number>> = {};
    let undrawn = 0;
    for (const f of roads.data?.features ?? []) {
      if (!f.geometry) undrawn += 1;
      else drawn[f.properties.status] = (drawn[f.properties.status] ?? 0) + 1;
    }
    return { drawn, undrawn };
  }, [roads.data]);
  const roadsShown = useMemo(
    () =>
      roads.data
        ? ({
            ...roads.data,
            features: roads.data.features.filter((f) => state.roadStatuses.includes(f.properties.status)),
          } as unknown as FeatureCollection<LineString | null>)
        : null,
    [roads.data, state.roadStatuses],
  );
  const choropleth = useMemo(
    () =>
      state.choropleth === 'none' || !counties.data
        ? null
        : choroplethColors(
            counties.data.features.map((f) => f.properties),
            state.choropleth,
            OPEN_STATUSES,
            RESOLVED_STATUSES,
          ),
    [state.choropleth, counties.data],
  );
  // The URL's basemap, else the one the operator made the default ('none': the plain offline map).
  const basemapId = state.basemap === 'none' ? null : (state.basemap ?? config.data?.defaultBasemap ?? null);
  const basemap = config.data?.basemaps.find((b) => b.id === basemapId) ?? null;

  const all = [config, counties, sites, roads, unlocated];
  const loadError = config.error ?? counties.error ?? sites.error ?? roads.error ?? unlocated.error;
  const reload = () => all.forEach((l) => l.reload());

  return {
    config,
    counties,
    sites,
    unlocated,
    roads,
    clusterSites,
    positions,
    siteCounties,
    townshipNames,
    countyList,
    countyNames,
    countyGeo,
    locator,
    statusCounts,
    shown,
    roadCounts,
    roadsShown,
    choropleth,
    basemap,
    loadError,
    reload,
  };
}

export type MapData = ReturnType<typeof useMapData>;
