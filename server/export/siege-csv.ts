// The siege (工业围城) cell table as a download: Chinese headers, with the English names in a second
// header row (one file a spreadsheet user reads column by column; a machine reader skips row 2, e.g.
// pandas `skiprows=[1]`), and a file name carrying the core and the date.
import { stringify } from 'csv-stringify/sync';
import { CATEGORY_LABELS, type CategoryCode } from '../../domain/categories.ts';
import type { SiegeResult } from '../geo/analyze-siege.ts';
import { neutraliseFormula } from './csv.ts';
import { contentDisposition } from './download.ts';

/** [Chinese header, English header] of the fixed columns, in file order. */
export const SIEGE_CSV_COLUMNS: readonly (readonly [string, string])[] = [
  ['核心区', 'core'],
  ['状态日期', 'as of'],
  ['距离带', 'band'],
  ['起点距离（千米）', 'from (km)'],
  ['终点距离（千米）', 'to (km)'],
  ['扇区', 'sector'],
  ['起始方位（度）', 'bearing from (°)'],
  ['终止方位（度）', 'bearing to (°)'],
  ['面积（平方千米）', 'area (km²)'],
  ['点位数', 'sites'],
  ['密度（个/平方千米）', 'density (per km²)'],
];

/** What the band column says of the cell inside the core. */
export const INSIDE_CORE = '核心区内';

export function siegeCsv(result: SiegeResult, core: { name: string }, date: string): string {
  const categories = result.options.categories as readonly CategoryCode[];
  const zh = [...SIEGE_CSV_COLUMNS.map(([name]) => name), ...categories.map((category) => CATEGORY_LABELS[category] ?? category)];
  const en = [...SIEGE_CSV_COLUMNS.map(([, name]) => name), ...categories];
  const rows = result.cells.features.map(({ properties: p }) => [
    core.name,
    date,
    p.inside ? INSIDE_CORE : p.band,
    p.bandFromKm,
    p.bandToKm,
    p.sector,
    p.bearingFrom,
    p.bearingTo,
    p.areaKm2.toFixed(3),
    p.count,
    p.density.toFixed(4),
    ...categories.map((category) => p.byCategory[category] ?? 0),
  ]);
  // A BOM so Excel and WPS read UTF-8; CRLF and formula-neutral text as the other CSV exports.
  return stringify([zh, en, ...rows], { bom: true, record_delimiter: 'windows', cast: { string: neutraliseFormula } });
}

/** 工业围城_<core>_<date>.<ext>, with an ASCII fallback naming the core by its id. */
export function siegeDownloadName(core: { id: string | number; name: string }, date: string, extension: 'csv' | 'geojson'): string {
  return contentDisposition(`工业围城_${core.name}_${date}.${extension}`, `siege-cells_core-${core.id}_${date}.${extension}`);
}
