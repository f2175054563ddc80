// Reading ledger cells: coordinates (decimal and DMS in the ways officials type them), dates, and
// place names against the official lists (short forms accepted, unknown or ambiguous ones not guessed).
import { describe, it, expect, beforeAll } from 'vitest';
import { CONVERSION_EDGE_MARGIN, inChina, looksSwapped, parseCoordinate, toWgs84, toWgs84Many } from '../domain/coordinates.ts';
import { ledgerText, parseLedgerDate } from '../server/import/parse-values.ts';
import { normaliseText, textProblem } from '../domain/text-fields.ts';
import { Random } from '../domain/random.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import { normaliseWord } from '../domain/ledger-columns.ts';
import { PlaceNames } from '../server/import/place-names.ts';
import { placeLists } from '../server/store/county-store.ts';
import { bootTestApp } from './helpers/app.ts';

describe('parseCoordinate', () => {
  it.each([
    ['114.025', 114.025],
    [' 33.5 ', 33.5],
    ['114°01′30″', 114.025],
    ['114°1\'30"', 114.025],
    ['114度01分30秒', 114.025],
    ['114:01:30', 114.025],
    ['114°01.5′', 114.025],
    ['E114°01′30″', 114.025],
    ['东经114.025', 114.025],
    ['33°34′30″N', 33.575],
    ['北纬33度34分30秒', 33.575],
    ['１１４．０２５', 114.025],
    ['W70.5', -70.5],
    // Seconds with no minutes: it threw a TypeError, and the whole preview answered 500.
    ['114°30秒', 114 + 30 / 3600],
    ['33度9秒', 33 + 9 / 3600],
  ])('%s → %d', (text, value) => {
    expect(parseCoordinate(text)).toBeCloseTo(value, 10);
  });

  it.each(['', 'abc', '114°61′', '114°01′75″', '114.0.1', '114°1.5′30″', '114.5°30″', '一百一十四度'])('%s is not a coordinate', (text) => {
    expect(parseCoordinate(text)).toBeNull();
  });

  it('knows China and a swapped pair', () => {
    expect(inChina(113.95, 33.55)).toBe(true);
    expect(inChina(2.35, 48.85)).toBe(false);
    expect(looksSwapped(33.55, 113.95)).toBe(true);
    expect(looksSwapped(113.95, 33.55)).toBe(false);
  });
});

describe('toWgs84Many', () => {
  it('converts a batch to the same doubles as toWgs84 (gcoord) of each point, the edge margin kept, its input untouched', () => {
    let seed = 18;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const points: [number, number][] = [];
    // Luohe and all of China's box, its edges (within the margin: left as they are) and outside it.
    for (let i = 0; i < 5000; i++) points.push([113.5 + random(), 33.2 + random() * 0.8], [72 + random() * 66, 0.8 + random() * 55.1]);
    points.push([72.0041, 30], [72.004 + CONVERSION_EDGE_MARGIN / 2, 40], [137.8347 - CONVERSION_EDGE_MARGIN / 2, 40], [10, 50], [114.02, 33.57]);
    const copy = points.map(([x, y]) => [x, y]);
    for (const crs of ['gcj02', 'bd09', 'wgs84'] as const) {
      const many = toWgs84Many(crs, points);
      expect(many).toHaveLength(points.length);
      points.forEach(([x, y], i) => expect(many[i]).toEqual(toWgs84(crs, x, y)));
      if (crs !== 'wgs84') expect(many.filter((p, i) => p[0] !== points[i]![0]).length).toBeGreaterThan(9000);
    }
    // GCJ-02 is converted without gcoord (the same arithmetic): 100,000 more points over Luohe and China.
    const more: [number, number][] = [];
    for (let i = 0; i < 50_000; i++) more.push([113.2 + random() * 1.3, 33.2 + random()], [72.05 + random() * 65.7, 0.88 + random() * 54.9]);
    const converted = toWgs84Many('gcj02', more);
    expect(converted.filter(([x, y], i) => x !== toWgs84('gcj02', ...more[i]!)[0] || y !== toWgs84('gcj02', ...more[i]!)[1])).toEqual([]);
    expect(points).toEqual(copy);
    expect(toWgs84Many('gcj02', points.slice(-4, -2))).toEqual(points.slice(-4, -2));
  });
});

describe('isIsoDate and normaliseWord', () => {
  it('takes real calendar dates only (leap years as JavaScript Date counts them)', () => {
    for (const good of ['2024-02-29', '2000-02-29', '0000-02-29', '2023-12-31', '9999-01-31', '2023-04-30']) expect(isIsoDate(good), good).toBe(true);
    for (const bad of ['2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-1-01', ' 2023-01-01', '２０２３-01-01'])
      expect(isIsoDate(bad), bad).toBe(false);
  });
  it('folds full-width forms, case and every kind of space', () => {
    expect(normaliseWord(' Ａｂ\u3000c\td ')).toBe('abcd');
    expect(normaliseWord('散乱污ＡＢＣ')).toBe('散乱污abc');
    expect(normaliseWord('É散')).toBe('é散');
    expect(normaliseWord('a\u00a0b')).toBe('ab');
  });
});

describe('parseLedgerDate', () => {
  it.each([
    ['2022-03-05', '2022-03-05'],
    ['2022/3/5', '2022-03-05'],
    ['2022.3.5', '2022-03-05'],
    ['2022年3月5日', '2022-03-05'],
    ['20220305', '2022-03-05'],
    ['2022-03-05 14:30', '2022-03-05'],
    ['２０２２－０３－０５', '2022-03-05'],
  ])('%s → %s', (text, iso) => {
    expect(parseLedgerDate(text)).toBe(iso);
  });

  it.each(['2022-02-30', '2022年13月1日', '年底前', '3/5/2022', '2022-3', ''])('%s is not a date', (text) => {
    expect(parseLedgerDate(text)).toBeNull();
  });
});

describe('PlaceNames', () => {
  let places: PlaceNames;
  beforeAll(() => {
    places = new PlaceNames(placeLists(bootTestApp().db));
  });

  it('matches counties, townships and villages by full name, short name or code', () => {
    expect(places.county('源汇区')).toEqual({ code: '411102' });
    expect(places.county('源汇')).toEqual({ code: '411102' });
    expect(places.county('411121')).toEqual({ code: '411121' });
    expect(places.county('舞阳')).toEqual({ code: '411121' });
    expect(places.township('411102', '空冢郭镇')).toEqual({ code: '411102102' });
    expect(places.township('411102', '空冢郭')).toEqual({ code: '411102102' });
    expect(places.township(null, '空冢郭镇')).toEqual({ code: '411102102' });
    for (const name of ['叶岗村村民委员会', '叶岗村', '叶岗', '411102102219'])
      expect(places.village('411102', '411102102', name), name).toEqual({ code: '411102102219' });
    expect(places.village('411102', null, '叶岗村')).toEqual({ code: '411102102219' });
    expect(places.village('411102', '411102001', '滨西社区')).toEqual({ code: '411102001001' });
  });

  it('does not guess: unknown names are null, names of several villages are ambiguous', () => {
    expect(places.county('郑州')).toBeNull();
    expect(places.township('411103', '空冢郭镇')).toBeNull();
    expect(places.village('411102', '411102102', '不存在村')).toBeNull();
    // 刘庄村 is a village name in more than one township of 舞阳县.
    const match = places.village('411121', null, '刘庄村');
    expect(match && 'ambiguous' in match && match.ambiguous.length).toBeGreaterThan(1);
  });
});

describe('ledgerText', () => {
  it('stores and refuses text cells as normaliseText and textProblem do (plain text without their patterns)', () => {
    const random = new Random(18);
    // Plain characters, those just outside the plain ranges, and the ones the checks look for.
    const alphabet = [
      ...'abcXYZ019 -_.,()#',
      ...'马坡村亿发养鸡场号郾城区一龥',
      '\u4dff',
      '\ua000',
      '\u007f',
      '\u001f',
      '\u0000',
      '\t',
      '\n',
      '\r',
      '\u2028',
      '\u3000',
      '\u200b',
      '\ufeff',
      '\ud800',
      '\udc00',
      '\u0301',
      'e\u0301',
      '\uf900',
      '\uff21',
      '（',
      '，',
    ];
    const cells = ['', ' ', 'a', ' a', 'a ', '\u200b', 'x'.repeat(200), 'x'.repeat(201), '马'.repeat(500), '马'.repeat(501), 'x'.repeat(2001)];
    for (let i = 0; i < 20_000; i++) cells.push(Array.from({ length: random.int(1, 12) }, () => random.pick(alphabet)).join(''));
    for (const field of ['name', 'address', 'responsibleUnit', 'note'] as const)
      for (const cell of cells) {
        const stored = normaliseText(cell);
        expect(ledgerText(field, cell), JSON.stringify(cell)).toEqual({ stored, problem: textProblem(field, stored) });
      }
  });
});
