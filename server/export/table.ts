// A table to download: columns that say how to read a value from a row, with a Chinese header (the
// one written to files), an English header, a description for the 说明 sheet or readme, and a short
// ASCII name for formats that need one (Shapefile DBF fields: at most 10 bytes).
// Every export format (CSV, XLSX, GeoJSON, KML, Shapefile) writes from the same column list.

export type Cell = string | number | null;

export interface ExportColumn<R> {
  /** Header written to files (CSV/XLSX headers, GeoJSON property names, KML ExtendedData names). */
  zh: string;
  en: string;
  descriptionZh: string;
  descriptionEn: string;
  /** Short ASCII field name for a DBF (≤ 10 bytes); only the Shapefile writer needs it. */
  dbf?: string;
  /** Number columns are written as numbers (XLSX cells, DBF N fields); the rest as text. */
  type?: 'text' | 'number';
  /** Decimals of a number column in a DBF (default 0). */
  decimals?: number;
  /** Column width in an XLSX sheet, in characters. */
  width?: number;
  value: (row: R) => Cell;
}
