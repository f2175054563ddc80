// What the map and the layer panel draw: configuration, counties, the sites' data version and legend
// counts (the clusters themselves come per view from the server: MapView), the unlocated real
// records (a page at a time), road segments under the URL's date and filters, and the figures derived from them
// (counts, legend, choropleth, the county locator). Nothing here downloads every site.
import { useMemo } from 'react';
import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { OPEN_STATUSES, RESOLVED_STATUSES, STATUS_CODES, type RoadStatusCode, type StatusCode } from '../../domain/statuses.ts';
import { CountyLocator } from '../../domain/locate-county.ts';
import { choroplethColors } from '../map/choropleth.ts';
import type { CountyFeatureCollection } from '../map/map-controller.ts';
import { useConfig, useCounties } from '../state/counties.ts';
import { useRoads } from '../state/roads.ts';
import { useMapSummary } from '../state/map.ts';
import { useSitePages, useSitePosition } from '../state/sites.ts';
import type { UrlState } from '../state/url-state.ts';

/** Unlocated records per page of the list. */
export const UNLOCATED_PAGE = 50;

/** `scope`: the counties counted in the legend and header (a county official's own; null: the city). */
export function useMapData(state: UrlState, scope: readonly string[] | null) {
  const asOfQuery = state.asOf ? { asOf: state.asOf } : {};
  const filterQuery = {
    ...asOfQuery,
    ...(state.categories.length ? { category: state.categories.join(',') } : {}),
    ...(state.source ? { source: state.source } : {}),
  };
  // The sites' data version (tile URLs carry it) and the legend's counts, under the map's filters:
  // asked first, as the first view's tiles wait for it (the server answers requests in arrival order).
  const sites = useMapSummary(filterQuery);
  const config = useConfig();
  const counties = useCounties(filterQuery);
  const unlocated = useSitePages({ located: 'false', source: 'real' }, UNLOCATED_PAGE);
  const roads = useRoads(asOfQuery);
  const selectedSite = useSitePosition(state.site);

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
    for (const [county, byStatus] of Object.entries(sites.data?.counts ?? {})) {
      if (scope && !scope.includes(county)) continue;
      for (const [status, n] of Object.entries(byStatus)) totals[status as StatusCode] = (totals[status as StatusCode] ?? 0) + n;
    }
    return totals;
  }, [sites.data, scope]);
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
    selectedSite,
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
