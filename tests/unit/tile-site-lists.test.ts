// The tile query's site lists (web/map/tile-site-lists.ts): a list within MAX_MAP_IDS travels in
// the tile URL; a longer one is left out and named, for the page to say so instead of failing.
import { describe, expect, it } from 'vitest';
import { MAX_MAP_IDS } from '../../domain/cluster-index.ts';
import { tileSiteLists } from '../../web/map/tile-site-lists.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('tile site lists', () => {
  it('sends lists up to the limit, an empty "only" included (no site at all)', () => {
    expect(tileSiteLists([3, 4], null)).toEqual({ query: { exclude: '3,4' }, tooMany: null });
    expect(tileSiteLists([], [])).toEqual({ query: { only: '' }, tooMany: null });
    expect(tileSiteLists(ids(MAX_MAP_IDS), ids(2)).query.exclude!.split(',')).toHaveLength(MAX_MAP_IDS);
  });

  it('leaves out a longer list and names it with its size', () => {
    expect(tileSiteLists(ids(MAX_MAP_IDS + 1), [7])).toEqual({
      query: { only: '7' },
      tooMany: { list: 'exclude', count: MAX_MAP_IDS + 1, maximum: MAX_MAP_IDS },
    });
    expect(tileSiteLists([1], ids(5000))).toEqual({ query: { exclude: '1' }, tooMany: { list: 'only', count: 5000, maximum: MAX_MAP_IDS } });
  });
});
