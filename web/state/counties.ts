// Counties (outlines with their counts), the page configuration, and a county's official places.
import { api, unwrap } from '../api/client.ts';
import { useApiQuery } from './query.ts';

type CountiesQuery = NonNullable<Parameters<typeof api.api.counties.$get>[0]>['query'];

const loadPlaces = (county: string) => unwrap(api.api.counties[':code'].places.$get({ param: { code: county } }));
export type Places = Awaited<ReturnType<typeof loadPlaces>>;

export const useConfig = () => useApiQuery(['config'], () => unwrap(api.api.config.$get()));
export const useCounties = (query: CountiesQuery) => useApiQuery(['counties', query], () => unwrap(api.api.counties.$get({ query })));

/** The official townships and villages of a county, for the searchable township/village fields. */
export const usePlaces = (county: string | null) => useApiQuery(['places', county], () => loadPlaces(county!), county !== null);

/** Township code → name for these counties (from their official place lists); loaded only when `enabled`. */
export const useTownshipNames = (counties: readonly string[], enabled: boolean) =>
  useApiQuery(
    ['places', 'townships', [...counties].sort()],
    async () => {
      const lists = await Promise.all(counties.map((county) => loadPlaces(county)));
      return Object.fromEntries(lists.flatMap((list) => list.townships.map((township) => [township.code, township.name])));
    },
    enabled && counties.length > 0,
  );
