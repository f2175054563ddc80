// Matching a ledger's place names against the official lists (geodata/: counties, townships,
// villages). Ledgers shorten names: 源汇 for 源汇区, 空冢郭 for 空冢郭镇, 叶岗村 or 叶岗 for
// 叶岗村村民委员会, so both sides are compared without their administrative suffixes. A name that
// matches nothing, or more than one place, is not guessed.
import { normaliseWord } from '../../domain/ledger-columns.ts';

/** The functional zones of docs/domain.md: they manage land inside a county but have no boundary of their own. */
export const MANAGING_ZONES: Record<string, string> = {
  经济技术开发区: '经济技术开发区',
  经开区: '经济技术开发区',
  漯河经济技术开发区: '经济技术开发区',
  城乡一体化示范区: '城乡一体化示范区',
  示范区: '城乡一体化示范区',
  西城区: '西城区',
};

const countyKey = (name: string) => normaliseWord(name).replace(/(市辖区|区|县|市)$/, '');
const townshipKey = (name: string) => normaliseWord(name).replace(/(街道办事处|办事处|街道|镇|乡)$/, '');
const villageKey = (name: string) =>
  normaliseWord(name)
    .replace(/(村民委员会|居民委员会|村委会|村委|民委员会|民员委会|村民委会|委员会|居委会)$/, '')
    .replace(/(村|社区|居委)$/, '');

export type PlaceMatch = { code: string } | { ambiguous: string[] } | null;

/** The official lists (server/store/county-store.ts `placeLists` reads them from the database). */
export interface PlaceLists {
  counties: readonly { code: string; name: string }[];
  townships: readonly { code: string; name: string; county_code: string }[];
  villages: readonly { code: string; name: string; township_code: string }[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pick(codes: string[] | undefined): PlaceMatch {
  if (!codes || codes.length === 0) return null;
  const unique = [...new Set(codes)];
  return unique.length === 1 ? { code: unique[0]! } : { ambiguous: unique };
}

export class PlaceNames {
  private readonly counties = new Map<string, string[]>();
  private readonly townships = new Map<string, string[]>(); // key: county|name
  private readonly townshipsAnywhere = new Map<string, string[]>();
  private readonly townshipCounty = new Map<string, string>();
  private readonly villagesInTownship = new Map<string, string[]>(); // key: township|name
  private readonly villagesInCounty = new Map<string, string[]>(); // key: county|name
  private readonly villageTownship = new Map<string, string>();

  constructor(lists: PlaceLists) {
    for (const c of lists.counties) {
      push(this.counties, c.code, c.code);
      push(this.counties, normaliseWord(c.name), c.code);
      push(this.counties, countyKey(c.name), c.code);
    }
    for (const t of lists.townships) {
      this.townshipCounty.set(t.code, t.county_code);
      for (const key of new Set([t.code, normaliseWord(t.name), townshipKey(t.name)])) {
        push(this.townships, `${t.county_code}|${key}`, t.code);
        push(this.townshipsAnywhere, key, t.code);
      }
    }
    for (const v of lists.villages) {
      const county = this.townshipCounty.get(v.township_code)!;
      this.villageTownship.set(v.code, v.township_code);
      for (const key of new Set([v.code, normaliseWord(v.name), villageKey(v.name)])) {
        push(this.villagesInTownship, `${v.township_code}|${key}`, v.code);
        push(this.villagesInCounty, `${county}|${key}`, v.code);
      }
    }
  }

  /** A county-level unit by code, full name or short name (源汇区, 源汇, 411102). */
  county(text: string): PlaceMatch {
    const value = normaliseWord(text);
    return pick(this.counties.get(value) ?? this.counties.get(countyKey(value)));
  }

  /** A township of a county (or of the whole city when the county is not known), by code or name. */
  township(countyCode: string | null, text: string): PlaceMatch {
    const value = normaliseWord(text);
    if (countyCode === null) return pick(this.townshipsAnywhere.get(value) ?? this.townshipsAnywhere.get(townshipKey(value)));
    return pick(this.townships.get(`${countyCode}|${value}`) ?? this.townships.get(`${countyCode}|${townshipKey(value)}`));
  }

  /** A village of a township, or of a county when the township is not given, by code or name. */
  village(countyCode: string, townshipCode: string | null, text: string): PlaceMatch {
    const value = normaliseWord(text);
    const [map, scope] = townshipCode === null ? [this.villagesInCounty, countyCode] : [this.villagesInTownship, townshipCode];
    return pick(map.get(`${scope}|${value}`) ?? map.get(`${scope}|${villageKey(value)}`));
  }

  countyOfTownship(townshipCode: string): string {
    return this.townshipCounty.get(townshipCode)!;
  }

  townshipOfVillage(villageCode: string): string {
    return this.villageTownship.get(villageCode)!;
  }
}
