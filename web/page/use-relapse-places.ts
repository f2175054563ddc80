// What the relapse panel names and checks beside the analysis: township names for its rates (from
// the official place lists) and the county of each site a likely move joins (found from the move's
// line ends with the county polygons, by the server's own rule), so the page needs no site list.
import { useMemo } from 'react';
import type { CountyLocator } from '../../domain/locate-county.ts';
import type { useRelapse } from '../components/RelapsePanel.tsx';
import { useTownshipNames } from '../state/counties.ts';

export function useRelapsePlaces(relapse: ReturnType<typeof useRelapse>, locator: CountyLocator, active: boolean) {
  const result = relapse.result.data;
  const counties = useMemo(() => [...new Set(result?.rates.townships.map((rate) => rate.county) ?? [])], [result]);
  const names = useTownshipNames(counties, active);
  const siteCounties = useMemo(() => {
    const found = new Map<number, string | null>();
    for (const move of result?.moves ?? []) {
      const line = (move.line as unknown as { coordinates: [number, number][] }).coordinates;
      const from = line[0];
      const to = line[line.length - 1];
      if (from) found.set(move.fromId, locator.locate(from[0]!, from[1]!));
      if (to) found.set(move.toId, locator.locate(to[0]!, to[1]!));
    }
    return found;
  }, [result, locator]);
  return { townshipNames: names.data ?? {}, siteCounty: (id: number) => siteCounties.get(id) ?? null };
}
