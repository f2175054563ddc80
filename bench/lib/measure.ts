// Timing helpers and the one table the benchmark prints.

export interface Row {
  figure: string;
  size: string;
  median: string;
  runs: string;
  target: string;
  met: string;
  notes: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** 0.42 ms, 12.3 ms, 456 ms, 1.23 s */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** 12,345 */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 10^4, 10^5 … for powers of ten, else the number. */
export function formatSize(sites: number): string {
  const exponent = Math.log10(sites);
  return Number.isInteger(exponent) && exponent >= 3 ? `10^${exponent} sites` : `${formatCount(sites)} sites`;
}

export const NO_TARGET = '—';

export function verdict(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : '**no**';
}

/** A row of timings in ms; `target` holds its text and the test of the median. */
export function timingRow(options: {
  figure: string;
  size: string;
  samples: readonly number[];
  target?: { text: string; met: (medianMs: number) => boolean };
  notes?: string;
}): Row {
  const value = median(options.samples);
  return {
    figure: options.figure,
    size: options.size,
    median: formatMs(value),
    runs: String(options.samples.length),
    target: options.target?.text ?? NO_TARGET,
    met: verdict(options.target ? options.target.met(value) : null),
    notes: options.notes ?? '',
  };
}

export function failedRow(figure: string, size: string, error: unknown): Row {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
  return { figure, size, median: 'failed', runs: '0', target: NO_TARGET, met: '—', notes: `failed: ${message}` };
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['figure', 'size', 'median', 'runs', 'target', 'met?', 'notes'];
  const cells = rows.map((row) => [row.figure, row.size, row.median, row.runs, row.target, row.met, row.notes].map((cell) => cell.replace(/\|/g, '\\|')));
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 2 || i === 3 ? '---:' : '---')).join('|')}|`];
  for (const row of cells) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Wall time of a synchronous call, in ms. */
export function timeSync<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
