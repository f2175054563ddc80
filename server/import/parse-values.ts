// Reading the dates of a ledger cell (2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日, 20220305);
// text cells as stored; coordinates are read by domain/coordinates.ts, which the page shares. Pure: text in, value or null out.
import { isIsoDate } from '../../domain/iso-date.ts';
import { normaliseText, textProblem, TEXT_LIMITS, type LimitedTextField } from '../../domain/text-fields.ts';

/** A calendar date as YYYY-MM-DD, or null when the text is not one. */
export function parseLedgerDate(text: string): string | null {
  // Most ledgers write YYYY-MM-DD already: the patterns below would give the same text back (or null).
  return isIsoDate(text) ? text : parseWritten(text);
}

/** parseLedgerDate of any written form. */
function parseWritten(text: string): string | null {
  const value = text.trim().replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!match) match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * Text of printable ASCII and CJK unified ideographs only, not starting or ending with a space: NFC and
 * trimming leave it as it is, and it holds none of the characters textProblem refuses (most ledger cells).
 */
function plain(text: string): boolean {
  if (text.charCodeAt(0) === 0x20 || text.charCodeAt(text.length - 1) === 0x20) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 ? c > 0x9fff : c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** A cell ledgerText stores as it is without a problem (plain text within the field's limit): most cells, checked without making an answer. */
export const storedAsIs = (field: LimitedTextField, cell: string): boolean => plain(cell) && cell.length <= TEXT_LIMITS[field];

/** A text cell as stored (normaliseText) and why it cannot be (textProblem, or null): the same answers, without NFC and the checks' patterns for plain text. */
export function ledgerText(field: LimitedTextField, cell: string): { stored: string; problem: ReturnType<typeof textProblem> } {
  if (storedAsIs(field, cell)) return { stored: cell, problem: null };
  const stored = normaliseText(cell);
  return { stored, problem: textProblem(field, stored) };
}

/** Memoised by the word (a column's few distinct words, asked once per row). */
export function memo<T>(lookup: (word: string) => T): (word: string) => T {
  const held = new Map<string, T>();
  return (word) => {
    if (held.has(word)) return held.get(word)!;
    const value = lookup(word);
    if (held.size < 10_000) held.set(word, value);
    return value;
  };
}
