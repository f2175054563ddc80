// The duplicate search's memory (server/import/name-index.ts) on its own: rows added by normalised
// name, a later row matched to the first earlier one of the same name that lies within 200 m or has
// the same address, as the per-row objects it replaced did. Answers worked out by hand.
import { describe, expect, it } from 'vitest';
import { Random } from '../../domain/random.ts';
import { NameIndex } from '../../server/import/name-index.ts';

describe('NameIndex', () => {
  const index = new NameIndex();
  // Same key 甲砂场: three rows far apart (about 1.1 km per 0.01° of latitude), the second and third sharing an address.
  index.add('甲砂场', { id: 2, name: '甲砂场', address: '', lon: 113.95, lat: 33.55 });
  index.add('甲砂场', { id: 3, name: '甲 砂场', address: '源汇路1号', lon: 113.95, lat: 33.6 });
  index.add('甲砂场', { id: 4, name: '甲砂场', address: '源汇路1号', lon: 113.95, lat: 33.65 });
  index.add('乙商砼站', { id: 5, name: '乙商砼站', address: '', lon: null, lat: null });

  it('finds the first earlier entry within 200 m, with its distance in whole metres', () => {
    // 0.001° of latitude ≈ 111 m north of row 4.
    expect(index.match('甲砂场', { address: '', lon: 113.95, lat: 33.651 })).toEqual({ id: 4, name: '甲砂场', reason: 'near', distanceM: 111 });
    expect(index.match('甲砂场', { address: '', lon: 113.95, lat: 33.555 })).toBeNull();
  });

  it('matches the same address with the first entry holding it, giving the name as written there', () => {
    expect(index.match('甲砂场', { address: '源汇路1号', lon: null, lat: null })).toEqual({ id: 3, name: '甲 砂场', reason: 'same_address' });
    expect(index.match('甲砂场', { address: '源汇路2号', lon: null, lat: null })).toBeNull();
    // An empty address matches nothing, not even entries without one.
    expect(index.match('乙商砼站', { address: '', lon: null, lat: null })).toBeNull();
  });

  it('looks only among entries of the same name, and grows past its first arrays', () => {
    expect(index.match('丙木材厂', { address: '源汇路1号', lon: 113.95, lat: 33.55 })).toBeNull();
    const big = new NameIndex();
    for (let i = 0; i < 5000; i++) big.add(`厂${i}`, { id: i + 2, name: `厂${i}`, address: `路${i}号`, lon: 114 + i * 0.01, lat: 33.5 });
    expect(big.match('厂4321', { address: '路4321号', lon: null, lat: null })).toEqual({ id: 4323, name: '厂4321', reason: 'same_address' });
    expect(big.match('厂4321', { address: '', lon: 114 + 4321 * 0.01, lat: 33.5 })).toMatchObject({ id: 4323, reason: 'near', distanceM: 0 });
  });

  it('matchAndAdd answers as match then add, on random rows of few names', () => {
    const [short, full] = [new NameIndex(), new NameIndex()];
    const random = new Random(20261205);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random.next() * values.length)]!;
    const [shortAnswers, fullAnswers] = [[] as unknown[], [] as unknown[]];
    for (let id = 2; id < 20_000; id++) {
      const key = pick(['甲', '乙', '丙', '丁', `厂${id}`]);
      const located = random.next() < 0.8;
      const entry = {
        id,
        name: pick([key, `${key} `]),
        address: pick(['', '路1号', '路2号']),
        lon: located ? 114 + random.next() * 0.02 : null,
        lat: located ? 33.5 : null,
      };
      const search = random.next() < 0.9;
      shortAnswers.push(short.matchAndAdd(key, entry, search));
      fullAnswers.push(search ? full.match(key, entry) : null);
      full.add(key, entry);
    }
    expect(shortAnswers.filter((answer) => answer !== null).length).toBeGreaterThan(10_000);
    expect(shortAnswers).toEqual(fullAnswers);
  });
});
