// 巡查路线 on the page: the start (the city seat or a clicked point), sites added by hand, the polygon
// the stops must lie in, the plan just made or the saved one the URL names, and its map layer.
import { useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { useSavedRoute, type RoutePlan } from '../state/routes.ts';
import type { UrlState } from '../state/url-state.ts';

/** 漯河市人民政府 (geodata/city-outline.geojson `seat`): the default start of a route. */
const CITY_SEAT: [number, number] = [114.02047, 33.577333];

export function useRoutePlanning(state: UrlState, update: (patch: Partial<UrlState>) => void) {
  const [start, setStart] = useState<[number, number]>(CITY_SEAT);
  const [pickingStart, setPickingStart] = useState(false);
  const [handPicked, setHandPicked] = useState<number[]>([]);
  const [within, setWithin] = useState<[number, number][] | null>(null);
  const [plan, setPlan] = useState<RoutePlan | null>(null);
  const saved = useSavedRoute(state.route);
  const shownPlan = plan ?? (saved.data?.plan as RoutePlan | undefined) ?? null;
  const layer = useMemo((): FeatureCollection | null => {
    if (state.panel !== 'routes') return null;
    const features = [
      ...(shownPlan ? routeFeatures(shownPlan).features : []),
      ...(within ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: within } }] : []),
    ];
    return features.length ? { type: 'FeatureCollection', features } : null;
  }, [state.panel, shownPlan, within]);

  return {
    start,
    pickingStart,
    setPickingStart,
    /** The map click that sets the start, when picking it. */
    pickStart: (at: [number, number]) => {
      setStart(at);
      setPickingStart(false);
    },
    handPicked,
    setHandPicked,
    addToRoute: (id: number) => setHandPicked((ids) => (ids.includes(id) ? ids : [...ids, id])),
    within,
    setWithin,
    shownPlan,
    savedId: plan ? (state.route ?? null) : state.route,
    /** The results recorded on the saved route shown, so a reopened route (another phone, a reload) shows what is done. */
    recordedOnRoute: state.route !== null && saved.data?.id === state.route ? saved.data.recorded : [],
    onPlan: (next: RoutePlan | null, savedId: number | null) => {
      setPlan(next);
      update({ route: savedId });
    },
    layer,
  };
}

export type RoutePlanning = ReturnType<typeof useRoutePlanning>;

function routeFeatures(plan: RoutePlan): FeatureCollection {
  const path: [number, number][] = [plan.start, ...plan.stops.map((s) => [s.lon, s.lat] as [number, number]), ...(plan.end ? [plan.end] : [])];
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: path } },
      ...plan.stops.map((s) => ({
        type: 'Feature' as const,
        properties: { seq: s.seq, siteId: s.siteId },
        geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
      })),
    ],
  };
}
