// The official townships and villages of a county (GET /api/counties/{code}/places), for the
// searchable township/village fields of the site forms.
import { api, unwrap } from '../api/client.ts';
import { useLoad } from './use-data.ts';

export type Places = Awaited<ReturnType<typeof loadPlaces>>;

const loadPlaces = (county: string) => unwrap(api.api.counties[':code'].places.$get({ param: { code: county } }));

export function usePlaces(county: string | null) {
  return useLoad(`places:${county}`, () => (county ? loadPlaces(county) : Promise.resolve(null)));
}
