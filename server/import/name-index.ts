// The duplicate search of a ledger: the key a name or address is compared by, and the memory of the
// rows (or the database's sites) seen so far by that key, each with its position and address, so a
// later row is flagged as the same site.
import { normaliseWord } from '../../domain/ledger-columns.ts';
import { haversineKm } from '../geo/sphere.ts';

const PUNCTUATION = /[()（）[\]【】《》<>·.,，、。:：;；\-—_"'“”‘’/\\]/g;
/** Names and addresses compare without case, spaces, full-width forms and punctuation. */
export const duplicateKey = (text: string) => (lettersOnly(text) ? text.toLowerCase() : duplicateKeySteps(text));

/** duplicateKey without its short cut: every text through normaliseWord and the punctuation. */
export const duplicateKeySteps = (text: string) => normaliseWord(text).replace(PUNCTUATION, '');

/**
 * Text of ASCII letters and digits and CJK unified ideographs only (most names and addresses): nothing
 * for normaliseWord or the punctuation to fold or drop, so its key is its lower case (two patterns fewer).
 */
function lettersOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 ? c > 0x9fff : c > 0x7a || c < 0x30 || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61)) return false;
  }
  return true;
}

/** Two rows with the same normalised name this close (metres) are the same site. */
export const DUPLICATE_DISTANCE_M = 200;

/** A 52-bit hash of a normalised address (-1 for none): two FNV-style passes, compared among rows of one name only. */
function addressHash(text: string): number {
  if (text === '') return -1;
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0) * 2 ** 20 + (b >>> 12);
}

/** A row's (or site's) place for the search: its normalised address ('' for none) and position. */
interface Place {
  address: string;
  lon: number | null;
  lat: number | null;
}

/** An entry added: the row or site id, the name as written, and its place. */
interface Entry extends Place {
  id: number;
  name: string;
}

interface Match {
  /** The file's row, or the site's id. */
  id: number;
  name: string;
  reason: 'near' | 'same_address';
  distanceM?: number;
}

/**
 * The rows (or sites) seen so far for the duplicate search, by normalised name, held compactly: one
 * map entry per name and typed arrays per row (position, address hash, the row or site id, the entry
 * before it of the same name) instead of an object with its strings per row — a 200,000-row ledger's
 * index is about a quarter of the size, so it fits the import thread's heap.
 */
export class NameIndex {
  private readonly last = new Map<string, number>();
  private prev = new Int32Array(1024);
  private ids = new Int32Array(1024);
  private lon = new Float64Array(1024);
  private lat = new Float64Array(1024);
  private address = new Float64Array(1024);
  /** The name as written, where it differs from its normalised key. */
  private readonly names: (string | null)[] = [];
  private size = 0;

  add(key: string, entry: Entry): void {
    this.append(key, this.last.get(key) ?? -1, entry);
  }

  /** The first entry of the same name within DUPLICATE_DISTANCE_M, or with the same address, in the order added. */
  match(key: string, me: Place): Match | null {
    const last = this.last.get(key);
    return last === undefined ? null : this.firstMatch(last, key, me);
  }

  /** match(key, entry) when `search` (else null), then add(key, entry): one lookup of the name fewer. */
  matchAndAdd(key: string, entry: Entry, search: boolean): Match | null {
    const last = this.last.get(key);
    const found = search && last !== undefined ? this.firstMatch(last, key, entry) : null;
    this.append(key, last ?? -1, entry);
    return found;
  }

  /** Adds an entry after `last`, the last entry of its name (-1: none). */
  private append(key: string, last: number, entry: Entry): void {
    if (this.size === this.ids.length) this.grow();
    const i = this.size++;
    this.prev[i] = last;
    this.last.set(key, i);
    this.ids[i] = entry.id;
    this.lon[i] = entry.lon ?? NaN;
    this.lat[i] = entry.lat ?? NaN;
    this.address[i] = addressHash(entry.address);
    this.names.push(entry.name === key ? null : entry.name);
  }

  /** match among the entries of a name, the last of them `last`. */
  private firstMatch(last: number, key: string, me: Place): Match | null {
    const chain: number[] = [];
    for (let i = last; i >= 0; i = this.prev[i]!) chain.push(i);
    const address = addressHash(me.address);
    for (let k = chain.length - 1; k >= 0; k--) {
      const i = chain[k]!;
      const name = this.names[i] ?? key;
      if (me.lon !== null && !Number.isNaN(this.lon[i])) {
        const distanceM = haversineKm(me.lon, me.lat!, this.lon[i]!, this.lat[i]!) * 1000;
        if (distanceM <= DUPLICATE_DISTANCE_M) return { id: this.ids[i]!, name, reason: 'near', distanceM: Math.round(distanceM) };
      }
      if (address !== -1 && address === this.address[i]) return { id: this.ids[i]!, name, reason: 'same_address' };
    }
    return null;
  }

  private grow(): void {
    const larger = <T extends Int32Array | Float64Array>(array: T): T => {
      const next = new (array.constructor as new (n: number) => T)(array.length * 2);
      next.set(array);
      return next;
    };
    this.prev = larger(this.prev);
    this.ids = larger(this.ids);
    this.lon = larger(this.lon);
    this.lat = larger(this.lat);
    this.address = larger(this.address);
  }
}
