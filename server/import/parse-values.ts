// Reading the dates of a ledger cell (2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日, 20220305);
// coordinates are read by domain/coordinates.ts, which the page shares. Pure: text in, value or null out.
import { isIsoDate } from '../../domain/iso-date.ts';

/** A calendar date as YYYY-MM-DD, or null when the text is not one. */
export function parseLedgerDate(text: string): string | null {
  const value = text.trim().replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!match) match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}
