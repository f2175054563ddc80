// The likely-move list's order (listOrder in server/geo/relapse-kept-moves.ts, a radix sort of the scores'
// bits with ties sorted by ids) equals the comparator sort by comparePairs: seeded random pairs with many
// equal scores and ids, scores at 0 and 1, and scores a NaN or -0 would misplace (the comparator's path).
import { describe, expect, it } from 'vitest';
import { Random } from '../../domain/random.ts';
import { listOrder } from '../../server/geo/relapse-kept-moves.ts';

/** The order as the list was sorted before listOrder (an index array sorted by the comparator). */
function comparatorOrder(scores: Float64Array, fromIds: Float64Array, toIds: Float64Array): number[] {
  const order = Uint32Array.from(scores.keys());
  return [...order.sort((a, b) => scores[b]! - scores[a]! || fromIds[a]! - fromIds[b]! || toIds[a]! - toIds[b]!)];
}

function pairs(random: Random, count: number, score: () => number) {
  const scores = new Float64Array(count);
  const fromIds = new Float64Array(count);
  const toIds = new Float64Array(count);
  for (let at = 0; at < count; at++) {
    scores[at] = score();
    fromIds[at] = 1 + Math.floor(random.next() * 50);
    toIds[at] = 1 + Math.floor(random.next() * 50);
  }
  return { scores, fromIds, toIds };
}

describe('the likely-move list order', () => {
  it('equals the comparator sort on seeded random pairs', () => {
    const random = new Random(18);
    const kinds = [
      () => random.next(), // all different
      () => Math.round(random.next() * 20) / 20, // many ties
      () => [0, 1, 0.5][Math.floor(random.next() * 3)]!, // the bounds
      () => random.next() * 1e-300, // tiny: the low words decide
    ];
    for (const score of kinds)
      for (const count of [0, 1, 2, 17, 1000, 20_000]) {
        const { scores, fromIds, toIds } = pairs(random, count, score);
        expect([...listOrder(scores, fromIds, toIds)]).toEqual(comparatorOrder(scores, fromIds, toIds));
      }
  });

  it('takes the comparator for a score it cannot order by bits (NaN, -0, negative)', () => {
    const random = new Random(7);
    for (const odd of [Number.NaN, -0, -0.25]) {
      const { scores, fromIds, toIds } = pairs(random, 500, () => random.next());
      scores[123] = odd;
      scores[321] = 0;
      expect([...listOrder(scores, fromIds, toIds)]).toEqual(comparatorOrder(scores, fromIds, toIds));
    }
  });
});
