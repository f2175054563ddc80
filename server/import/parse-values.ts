// Reading the values of one ledger cell: coordinates (decimal degrees or degrees-minutes-seconds, as
// officials type them: 114°01′30″, 114度01分30秒, E114.025) and dates (2022-03-05, 2022/3/5,
// 2022.3.5, 2022年3月5日, 20220305). Pure functions: text in, value or null out.
import { isIsoDate } from '../routes/query-params.ts';

const HEMISPHERE = /^([NSEWnsew东西南北])|([NSEWnsew东西南北])$/;
const NEGATIVE_HEMISPHERES = new Set(['S', 's', 'W', 'w', '南', '西']);

/**
 * A coordinate in decimal degrees, or null when the text is not one. Accepts a decimal number, or
 * degrees with optional minutes and seconds marked by °/度, ′/'/分, ″/"/秒 (full-width marks too),
 * or separated by colons, with an optional hemisphere letter (N/S/E/W, 北/南/东/西) before or after.
 */
export function parseCoordinate(text: string): number | null {
  let value = text
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/^(东经|北纬|西经|南纬)/, (word) => word[1] === '经' ? (word[0] === '东' ? 'E' : 'W') : (word[0] === '北' ? 'N' : 'S'));
  let sign = 1;
  const hemisphere = HEMISPHERE.exec(value);
  if (hemisphere) {
    const letter = hemisphere[1] ?? hemisphere[2]!;
    if (NEGATIVE_HEMISPHERES.has(letter)) sign = -1;
    value = value.replace(HEMISPHERE, '');
  }
  if (/^[-+]?\d+(\.\d+)?$/.test(value)) return sign * Number(value);
  const dms =
    /^([-+]?)(\d+(?:\.\d+)?)(?:[°º˚度:])(?:(\d+(?:\.\d+)?)(?:['′’分:])?)?(?:(\d+(?:\.\d+)?)(?:["″”秒]|''|′′)?)?$/.exec(value);
  if (!dms) return null;
  const degrees = Number(dms[2]);
  const minutes = dms[3] === undefined ? 0 : Number(dms[3]);
  const seconds = dms[4] === undefined ? 0 : Number(dms[4]);
  if (minutes >= 60 || seconds >= 60) return null;
  if (dms[3] !== undefined && dms[2]!.includes('.')) return null;
  if (dms[4] !== undefined && dms[3]!.includes('.')) return null;
  return (dms[1] === '-' ? -1 : 1) * sign * (degrees + minutes / 60 + seconds / 3600);
}

/** China's extent (the box navigation apps use to decide whether to offset): lon 72.004–137.8347, lat 0.8293–55.8271. */
export function inChina(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/** A longitude/latitude pair that only makes sense in China the other way round. */
export function looksSwapped(lng: number, lat: number): boolean {
  return !inChina(lng, lat) && inChina(lat, lng);
}

/** A calendar date as YYYY-MM-DD, or null when the text is not one. */
export function parseLedgerDate(text: string): string | null {
  const value = text.trim().replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!match) match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}
