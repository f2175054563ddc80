// Name similarity for "moved and reopened" candidates (改头换面): Chinese firm names compared by
// character bigrams after the parts that say nothing about who runs the place are stripped.
//
// normaliseName, in this order:
// 1. Drop bracketed parts （…）(…)【…】[…] (legal-form notes such as （普通合伙）) and every character
//    that is not a letter or digit (spaces, punctuation, ·); Latin letters are lower-cased.
// 2. Strip leading place names, repeatedly: the site's own county and township names when given,
//    the functional zones (经济技术开发区, 城乡一体化示范区), 河南省, 漯河市, and any leading chunk of
//    2–4 Chinese characters ending in 省/区/县/镇/乡/街道/办事处/社区/村 (源汇区, 问十乡, 空冢郭镇,
//    叶岗村). A 1-character stem is not stripped, so 城乡建材 keeps 城乡; 市 is left out of the
//    pattern so a name like 好又多超市 is not taken for a city.
// 3. Strip trailing suffixes from NAME_SUFFIXES, longest first, repeatedly, until none matches:
//    legal forms (有限责任公司, 有限公司, 公司, 经营部, 门市部), kinds of place (加工厂, 加工点, 料场,
//    厂, 场, 站, 点) and trade words (砂石, 木材, 商砼, 煤炭 …), so 鑫源砂石料场 and 新鑫源砂石厂 become
//    鑫源 and 新鑫源.
// A place name is only stripped while something is left after it; suffixes the same.
//
// nameSimilarity is the Sørensen–Dice coefficient of the two multisets of character bigrams:
// 2·|A ∩ B| / (|A| + |B|) with multiset intersection. A normalised name of one character is its own
// single "bigram". Equal normalised names give 1; if either normalised name is empty the names say
// nothing and the similarity is 0.

/** Trailing words stripped from names (longest first, repeatedly). */
export const NAME_SUFFIXES: readonly string[] = [
  '有限责任公司',
  '股份有限公司',
  '有限公司',
  '分公司',
  '公司',
  '经营部',
  '门市部',
  '销售部',
  '加工厂',
  '加工点',
  '加工场',
  '砂石料场',
  '商砼站',
  '搅拌站',
  '料场',
  '厂',
  '场',
  '站',
  '点',
  '部',
  '店',
  '砂石',
  '沙石',
  '石料',
  '建材',
  '木材',
  '木业',
  '商砼',
  '商混',
  '混凝土',
  '水泥制品',
  '水泥',
  '预制',
  '制品',
  '纸箱',
  '包装',
  '砖瓦',
  '煤炭',
  '散煤',
  '型煤',
  '煤球',
  '烟叶',
  '食用菌',
  '加工',
  '销售',
  '经营',
  '商贸',
].sort((a, b) => b.length - a.length || a.localeCompare(b));

/** NAME_SUFFIXES by their last character, each list in NAME_SUFFIXES' order (the first match wins, as in the whole list). */
const SUFFIXES_BY_LAST = new Map<string, string[]>();
for (const suffix of NAME_SUFFIXES) {
  const last = suffix.at(-1)!;
  const list = SUFFIXES_BY_LAST.get(last);
  if (list) list.push(suffix);
  else SUFFIXES_BY_LAST.set(last, [suffix]);
}
const SUFFIX_SET: ReadonlySet<string> = new Set(NAME_SUFFIXES);
/** Only CJK unified ideographs: NFKC, the brackets' and non-word patterns and lower-casing leave such a name as it is. */
const IDEOGRAPHS_ONLY = /^[\u4e00-\u9fff]*$/u;

const FIXED_PREFIXES: readonly string[] = ['河南省', '漯河市', '经济技术开发区', '城乡一体化示范区'];
const PLACE_PREFIX = /^[\u4e00-\u9fff]{2,4}?(?:省|区|县|镇|乡|街道|办事处|社区|村)/u;
const BRACKETED = /（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]/gu;
const NOT_WORD = /[^\p{L}\p{N}]/gu;

/** The part of a name that identifies the firm; see the file comment for the rules. */
export function normaliseName(name: string, places: readonly (string | null | undefined)[] = []): string {
  // At 10^5 sites the normalisation was a tenth of a full move search; most names take the short path.
  let text = IDEOGRAPHS_ONLY.test(name) ? name : name.normalize('NFKC').replace(BRACKETED, '').replace(NOT_WORD, '').toLowerCase();
  const prefixes = [...FIXED_PREFIXES, ...places.filter((place): place is string => typeof place === 'string' && place.length > 0)];
  for (let changed = true; changed;) {
    changed = false;
    for (const prefix of prefixes)
      if (text.startsWith(prefix) && text.length > prefix.length) {
        text = text.slice(prefix.length);
        changed = true;
      }
    const match = PLACE_PREFIX.exec(text);
    if (match && text.length > match[0].length) {
      text = text.slice(match[0].length);
      changed = true;
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of SUFFIXES_BY_LAST.get(text.at(-1) ?? '') ?? [])
      if (text.endsWith(suffix) && text.length > suffix.length) {
        text = text.slice(0, text.length - suffix.length);
        changed = true;
        break;
      }
  }
  // A name that was nothing but a suffix ("砂石料场") identifies nobody.
  if (SUFFIX_SET.has(text)) return '';
  return text;
}

function bigrams(text: string): Map<string, number> {
  const characters = Array.from(text);
  const counts = new Map<string, number>();
  if (characters.length === 1) counts.set(characters[0]!, 1);
  for (let index = 0; index + 1 < characters.length; index++) {
    const gram = characters[index]! + characters[index + 1]!;
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient of the character-bigram multisets of two already-normalised names. */
export function bigramDice(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a === b) return 1;
  const left = bigrams(a);
  const right = bigrams(b);
  let sizeLeft = 0;
  let sizeRight = 0;
  let shared = 0;
  for (const count of left.values()) sizeLeft += count;
  for (const [gram, count] of right) {
    sizeRight += count;
    shared += Math.min(count, left.get(gram) ?? 0);
  }
  return (2 * shared) / (sizeLeft + sizeRight);
}

/**
 * The character bigrams of an already-normalised name as sorted numbers (a bigram of code points
 * a, b is a·0x110001 + b; a lone character c is c·0x110001 + 0x110000, never a bigram's number), so
 * the Dice coefficient of two names is a merge of two short sorted arrays: the likely-move search
 * compares each name with tens of others, and builds these once per site.
 */
export function bigramCodes(text: string): Float64Array {
  const points = Array.from(text, (character) => character.codePointAt(0)!);
  if (points.length === 1) return Float64Array.of(points[0]! * 0x110001 + 0x110000);
  const codes = new Float64Array(Math.max(0, points.length - 1));
  for (let index = 0; index + 1 < points.length; index++) codes[index] = points[index]! * 0x110001 + points[index + 1]!;
  return codes.sort();
}

/** bigramDice on bigramCodes: 2·|A ∩ B| / (|A| + |B|) with multiset intersection; 0 when either is empty. */
export function codesDice(a: Float64Array, b: Float64Array): number {
  return codesDiceIn(a, 0, a.length, b, 0, b.length);
}

/**
 * codesDice on the codes a[aStart..aEnd) and b[bStart..bEnd): the likely-move index keeps every
 * site's codes in one pool, which a search reads far faster than 10^5 small arrays.
 */
export function codesDiceIn(a: Float64Array, aStart: number, aEnd: number, b: Float64Array, bStart: number, bEnd: number): number {
  if (aEnd === aStart || bEnd === bStart) return 0;
  let shared = 0;
  for (let i = aStart, j = bStart; i < aEnd && j < bEnd;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return (2 * shared) / (aEnd - aStart + (bEnd - bStart));
}

/** Similarity 0..1 of two site names (each stripped of its own place names). */
export function nameSimilarity(
  a: string,
  b: string,
  placesA: readonly (string | null | undefined)[] = [],
  placesB: readonly (string | null | undefined)[] = [],
): number {
  return bigramDice(normaliseName(a, placesA), normaliseName(b, placesB));
}
