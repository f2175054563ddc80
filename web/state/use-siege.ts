// The industrial-siege analysis the page shows: its parameters, the API call, and the cells shaded
// for the map. Runs only while the siege panel is open.
import { useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { useCores, useSiegeAnalysis } from './analyses.ts';

export interface SiegeParams {
  bands: string;
  sectors: string;
  nearKm: string;
  minSites: string;
  compareTo: string;
}

export const DEFAULT_SIEGE_PARAMS: SiegeParams = { bands: '0,2,5,10,20', sectors: '16', nearKm: '5', minSites: '1', compareTo: '' };

export function siegeQuery(core: string, asOf: string | null, params: SiegeParams) {
  return {
    core,
    bands: params.bands,
    sectors: params.sectors,
    nearKm: params.nearKm,
    minSites: params.minSites,
    ...(asOf ? { asOf } : {}),
    ...(params.compareTo ? { compareTo: params.compareTo } : {}),
  };
}

export function useSiege(active: boolean, core: string, asOf: string | null) {
  const [params, setParams] = useState<SiegeParams>(DEFAULT_SIEGE_PARAMS);
  const query = siegeQuery(core, asOf, params);
  const result = useSiegeAnalysis(query, active);
  const cores = useCores();

  const layer = useMemo(() => {
    const data = active ? result.data : null;
    if (!data) return null;
    const outside = data.cells.features.filter((f) => !f.properties.inside);
    const max = Math.max(0, ...outside.map((f) => f.properties.density));
    const cells = {
      type: 'FeatureCollection',
      features: data.cells.features
        .filter((f) => !f.properties.inside)
        .map((f) => ({ ...f, properties: { ...f.properties, shade: max > 0 ? f.properties.density / max : 0 } })),
    } as unknown as FeatureCollection;
    const coreFeature = cores.data?.features.find((f) => f.properties.id === data.core.id);
    const coreCollection = {
      type: 'FeatureCollection',
      features: coreFeature ? [{ ...coreFeature, properties: { label: data.core.name ?? '' } }] : [],
    } as unknown as FeatureCollection;
    return { cells, core: coreCollection, maxDensity: max, counted: data.placements.map((p) => p.id) };
  }, [active, result.data, cores.data]);

  return { params, setParams, result, cores, layer, query };
}
