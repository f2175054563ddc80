// The clusters' filters, sent with each tile (MapView): the URL's statuses, categories, source and
// date, the sites drawn apart (a figure's highlight) and, while the siege panel is open, only the
// sites it counts; no status switched on shows no site at all. A site list too long for a tile URL
// is not sent (web/map/tile-site-lists.ts), and the page says so once per list and size.
import { useMemo, useState } from 'react';
import type { I18n } from '../i18n/i18n.tsx';
import { tileSiteLists } from '../map/tile-site-lists.ts';
import type { TileQuery } from '../state/map.ts';
import type { UrlState } from '../state/url-state.ts';

const NO_SITES: readonly number[] = [];

export function useTileQuery(
  state: UrlState,
  highlighted: readonly number[],
  siegeCounted: readonly number[] | null,
  t: I18n['t'],
  say: (message: string) => void,
): TileQuery {
  const only = siegeCounted ?? (!state.statuses.length ? NO_SITES : null);
  const siteLists = useMemo(() => tileSiteLists(highlighted, only), [highlighted, only]);
  const tooMany = siteLists.tooMany;
  // State adjusted while rendering, as React advises over an effect that sets state.
  const tooManyKey = tooMany ? `${tooMany.list}:${tooMany.count}` : null;
  const [told, setTold] = useState<string | null>(null);
  if (tooManyKey !== told) {
    setTold(tooManyKey);
    if (tooMany) say(t(tooMany.list === 'exclude' ? 'mapHighlightTooMany' : 'mapOnlyTooMany', { n: tooMany.count, max: tooMany.maximum }));
  }
  return useMemo(
    () => ({
      status: state.statuses.join(','),
      ...(state.categories.length ? { category: state.categories.join(',') } : {}),
      ...(state.source ? { source: state.source } : {}),
      ...(state.asOf ? { asOf: state.asOf } : {}),
      ...siteLists.query,
    }),
    [state.statuses, state.categories, state.source, state.asOf, siteLists],
  );
}
