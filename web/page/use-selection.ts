// Where the map looks and what it singles out: the first fit (whole city, the linked site or the
// user's own county), opening a site or a county, and the scorecard figure whose sites it highlights.
import { useEffect, useMemo, useState } from 'react';
import type { FeatureCollection, LineString } from 'geojson';
import { bboxOf as bboxOfCoordinates } from '../../domain/bbox.ts';
import { useFigureList } from '../state/scorecards.ts';
import { fetchSitePosition } from '../state/sites.ts';
import type { UrlState } from '../state/url-state.ts';
import type { MapData } from './use-map-data.ts';

export type FlyTarget =
  { center: [number, number]; zoom: number; padding?: { bottom: number } } | { bounds: [number, number, number, number]; top?: number } | null;

/** On a phone the site detail is a sheet over the lower 60% of the map: keep the site above it. */
const sheetPadding = () => (window.innerWidth <= 760 ? { bottom: Math.round(window.innerHeight * 0.6) } : undefined);

export function bboxOf(geometry: { coordinates: unknown }): [number, number, number, number] {
  return bboxOfCoordinates(geometry.coordinates);
}

export function useSelection(state: UrlState, update: (patch: Partial<UrlState>) => void, data: MapData, userCounties: readonly string[]) {
  const { counties, sites, roads, selectedSite } = data;
  const [flyTo, setFlyTo] = useState<FlyTarget>(null);
  // A link without a view (`v=`) opens on the whole city, or on the site it names.
  const [initialFit, setInitialFit] = useState(() => !new URLSearchParams(window.location.search).has('v'));

  useEffect(() => {
    if (!initialFit || !counties.data || !sites.data || selectedSite.loading) return;
    setInitialFit(false);
    const site = state.site ? selectedSite.position : null;
    // County officials and inspectors start on their own county.
    const own = !state.county && userCounties.length ? counties.data.features.find((f) => f.properties.code === userCounties[0]) : undefined;
    if (site) setFlyTo({ center: site, zoom: 14, padding: sheetPadding() });
    else if (own) {
      update({ county: own.properties.code });
      setFlyTo({ bounds: bboxOf(own.geometry as unknown as { coordinates: unknown }) });
    } else setFlyTo({ bounds: bboxOf({ coordinates: counties.data.features.map((f) => (f.geometry as unknown as { coordinates: unknown }).coordinates) }) });
  }, [initialFit, counties.data, sites.data, selectedSite.loading, selectedSite.position, state.site, state.county, userCounties, update]);

  // The scorecard figure whose sites (or roads) the map highlights.
  const scorecardQuery = { ...(state.asOf ? { asOf: state.asOf } : {}), ...(state.source ? { source: state.source } : {}) };
  const figureShown = state.panel === 'scorecard' && state.county && state.figure ? { county: state.county, figure: state.figure } : null;
  const figureList = useFigureList(figureShown, scorecardQuery);
  const highlight = useMemo((): FeatureCollection | null => {
    const list = figureList.data;
    if (!list) return null;
    const roadIds = new Set(list.roads.map((r) => r.id));
    return {
      type: 'FeatureCollection',
      features: [
        // Each site carries what the map draws it with: highlighted sites leave the clusters and are drawn on top.
        ...list.sites
          .filter((s) => s.lon !== null && s.lat !== null)
          .map((s) => ({
            type: 'Feature' as const,
            properties: { id: s.id, status: s.status, category: s.category, source: s.source },
            geometry: { type: 'Point' as const, coordinates: [s.lon!, s.lat!] },
          })),
        ...(roads.data?.features ?? [])
          .filter((f) => roadIds.has(f.properties.id) && f.geometry)
          .map((f) => ({ type: 'Feature' as const, properties: { id: f.properties.id }, geometry: f.geometry as unknown as LineString })),
      ],
    };
  }, [figureList.data, roads.data]);
  useEffect(() => {
    if (highlight?.features.length)
      setFlyTo({ bounds: bboxOf({ coordinates: highlight.features.map((f) => (f.geometry as unknown as { coordinates: unknown }).coordinates) }) });
  }, [highlight]);
  // Highlighted sites are drawn on their own above the clusters, so none hides inside one.
  const highlighted = useMemo(() => highlight?.features.filter((f) => f.geometry.type === 'Point').map((f) => Number(f.properties?.id)) ?? [], [highlight]);

  const openSite = (id: number, position: [number, number] | null) => {
    update({ site: id, road: null });
    if (position) setFlyTo({ center: position, zoom: Math.max(14, state.zoom), padding: sheetPadding() });
  };
  /** Opens a site from a list: flies to it when it is on the map (its position asked of the server). */
  const openListed = (id: number) => {
    update({ site: id, road: null });
    fetchSitePosition(id).then(
      (position) => position && openSite(id, position),
      () => undefined, // the site panel shows the refusal
    );
  };
  const pickCounty = (code: string | null) => {
    update({ county: code });
    const feature = counties.data?.features.find((f) => f.properties.code === code);
    if (feature) setFlyTo({ bounds: bboxOf(feature.geometry as unknown as { coordinates: unknown }) });
  };
  const showRoad = (id: number) => {
    const road = roads.data?.features.find((f) => f.properties.id === id);
    if (road?.geometry) setFlyTo({ bounds: bboxOf(road.geometry as unknown as { coordinates: unknown }) });
  };

  return { flyTo, setFlyTo, scorecardQuery, figureList, highlight, highlighted, openSite, openListed, pickCounty, showRoad };
}

export type Selection = ReturnType<typeof useSelection>;
