// The judge's short cuts for the common ledger cell (issue 18: less garbage on the import thread) give
// the answers of the code they skip: isIsoDate read character by character, parseLedgerDate of text
// already YYYY-MM-DD, parseCoordinate of a plain decimal, normaliseWord with its pattern held once,
// duplicateKey of letters, digits and ideographs only.
// Each is compared with the full path it skips (parseCoordinateSteps, foldWord, duplicateKeySteps; isIsoDate and
// parseLedgerDate as they were, copied here) on random cells made of the characters those functions
// look at, and on the edge cases by hand.
import { describe, expect, it } from 'vitest';
import { parseCoordinate, parseCoordinateSteps } from '../domain/coordinates.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import { foldWord, normaliseWord } from '../domain/ledger-columns.ts';
import { Random } from '../domain/random.ts';
import { duplicateKey, duplicateKeySteps } from '../server/import/name-index.ts';
import { parseLedgerDate } from '../server/import/parse-values.ts';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** isIsoDate before: a pattern and three slices. */
function isIsoDateBefore(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

/** parseLedgerDate before: every cell through the patterns. */
function parseLedgerDateBefore(text: string): string | null {
  const value = text.trim().replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!match) match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return isIsoDateBefore(iso) ? iso : null;
}

/** Random text of `length` characters drawn from `alphabet` (code points, so surrogate pairs stay whole). */
function randomText(random: Random, alphabet: readonly string[], maxLength: number): string {
  const length = Math.floor(random.next() * (maxLength + 1));
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random.next() * alphabet.length)]!;
  return text;
}

const DIGITS = [...'0123456789'];
const DATE_ALPHABET = [...DIGITS, ...DIGITS, ...DIGITS, '-', '-', '/', '.', '年', '月', '日', ' ', 'T', ':', '０', '２', '－', 'Z', '+', '\n', '٣'];
const COORD_ALPHABET = [
  ...DIGITS,
  ...DIGITS,
  '.',
  '.',
  '-',
  '+',
  ' ',
  'E',
  'N',
  'W',
  's',
  '东',
  '西',
  '经',
  '纬',
  '°',
  '′',
  '″',
  '度',
  '分',
  '秒',
  ':',
  "'",
  '１',
  '．',
  'e',
  '\u3000',
  '\n',
];
const WORD_ALPHABET = [
  ...'abcXYZ09 _-·',
  '\u3000',
  '\t',
  'Ａ',
  'ｚ',
  '散',
  '乱',
  '污',
  '鿿',
  '一',
  '〇',
  'É',
  'é',
  'Σ',
  'ß',
  'İ',
  'ǅ',
  '\u00a0',
  '𠀀',
  'Ⅻ',
  'Ⓐ',
  '\u4dff',
  '\ua000',
];

describe('the judge’s short cuts give the answers of the code they skip', () => {
  it('isIsoDate and parseLedgerDate: random date-like cells, and every date of 2023–2024 and their near misses', () => {
    const random = new Random(18_022);
    const cells: string[] = [
      '2024-02-29',
      '2023-02-29',
      '0000-02-29',
      '2023-1-01',
      '2023-01-1 ',
      '20230101',
      '2023-01-01T',
      '２０２３-01-01',
      '2023-01-01\n',
      '١٢٣٤-01-01',
    ];
    for (let day = Date.UTC(2023, 0, 1); day <= Date.UTC(2024, 11, 31); day += 86_400_000) {
      const iso = new Date(day).toISOString().slice(0, 10);
      cells.push(iso, iso.replaceAll('-', '/'), `${iso.slice(0, 8)}3${iso.slice(9)}`, `${iso.slice(0, 5)}1${iso.slice(6)}`);
    }
    for (let i = 0; i < 30_000; i++) cells.push(randomText(random, DATE_ALPHABET, 12));
    // Cells shaped like YYYY-MM-DD with any digits (the short cut's own case).
    for (let i = 0; i < 30_000; i++)
      cells.push(
        `${randomText(random, DIGITS, 4).padStart(4, '9')}-${randomText(random, DIGITS, 2).padStart(2, '0')}-${randomText(random, DIGITS, 2).padStart(2, '3')}`,
      );
    let dates = 0;
    for (const cell of cells) {
      expect(isIsoDate(cell), JSON.stringify(cell)).toBe(isIsoDateBefore(cell));
      const date = parseLedgerDate(cell);
      expect(date, JSON.stringify(cell)).toBe(parseLedgerDateBefore(cell));
      if (date) dates++;
    }
    expect(dates).toBeGreaterThan(2_000);
  });

  it('parseCoordinate: random coordinate-like cells, plain decimals and their near misses', () => {
    const random = new Random(18_023);
    const cells: string[] = [
      '114.025',
      '-33.5',
      '+113',
      '113.',
      '.5',
      '1e2',
      '113.5E',
      'E113.5',
      ' 113.5',
      '113.5 ',
      '１１３.５',
      '113°30′',
      '东经113.5',
      '0',
      '00113.50',
    ];
    for (let i = 0; i < 40_000; i++) cells.push(randomText(random, COORD_ALPHABET, 12));
    for (let i = 0; i < 20_000; i++) cells.push(`${random.next() < 0.2 ? '-' : ''}${(random.next() * 200).toFixed(Math.floor(random.next() * 9))}`);
    // A failure is compared too (seconds without minutes, "6°9秒", threw a TypeError in both before they were read as 6°0′9″).
    const outcome = (parse: (text: string) => number | null, cell: string) => {
      try {
        return parse(cell);
      } catch (error) {
        return (error as Error).name;
      }
    };
    let numbers = 0;
    for (const cell of cells) {
      const value = outcome(parseCoordinate, cell);
      expect(Object.is(value, outcome(parseCoordinateSteps, cell)), JSON.stringify(cell)).toBe(true);
      if (typeof value === 'number') numbers++;
    }
    expect(numbers).toBeGreaterThan(20_000);
  });

  it('normaliseWord: random words of ASCII, CJK, full-width forms, spaces and letters with a lower case outside ASCII', () => {
    const random = new Random(18_024);
    const words = ['散乱污', 'ABC', 'abc', 'É散', 'İ', 'ß', 'ǅ', '鿿', '\u4dff', '𠀀', ''];
    for (let i = 0; i < 50_000; i++) words.push(randomText(random, WORD_ALPHABET, 10));
    for (const word of words) expect(normaliseWord(word), JSON.stringify(word)).toBe(foldWord(word));
  });

  it('duplicateKey: random names and addresses of the same characters and the punctuation it drops', () => {
    const random = new Random(18_025);
    const alphabet = [...WORD_ALPHABET, ...'09azAZ@[`{/:', '（', '】', '，', '。', '“', '’', '—', '路', '号', '村'];
    const texts = ['马坡村亿发养鸡场1号', '郾城区淞江街道马坡村东南约350米', 'ABC厂', 'A-B', '鿿一', '\u4dff', '\ua000', ''];
    // Mostly the short cut's own case (letters, digits, ideographs), then anything.
    for (let i = 0; i < 30_000; i++) texts.push(randomText(random, [...'09azAZ散乱污鿿一路号村'], 16));
    for (let i = 0; i < 30_000; i++) texts.push(randomText(random, alphabet, 16));
    let plain = 0;
    for (const text of texts) {
      const key = duplicateKey(text);
      expect(key, JSON.stringify(text)).toBe(duplicateKeySteps(text));
      if (key === text.toLowerCase()) plain++;
    }
    expect(plain).toBeGreaterThan(30_000);
  });
});
