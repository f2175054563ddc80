// Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights, the cell itself included.
//
// For cell i with neighbour set N(i) ∪ {i} (w_ij = 1 there, 0 elsewhere), over all n cells:
//   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · √[(n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)])
// with X̄ = Σx / n and S = √(Σx² / n − X̄²). Gi* is itself a z-score. When S = 0 (all counts
// equal), n < 2, or the denominator is 0 (a cell whose neighbourhood is the whole grid), z = 0.
//
// Multiple testing (one test per cell): with `correction: 'fdr'` (the default, as ArcGIS's Hot Spot
// Analysis does), each confidence level's p-value cutoff is the Benjamini–Hochberg one over all
// cells: sort the two-sided p-values, find the largest k with p_(k) ≤ α·k/m, and mark the cells with
// p ≤ p_(k); a cell's confidence is the highest level (α = 0.01, 0.05, 0.10) it passes.
import erfc from '@stdlib/math-base-special-erfc';
import type { HotspotConfidence } from './relapse-types.ts';

/** Two-sided critical values of the standard normal for each confidence level, highest first. */
export const CONFIDENCE_THRESHOLDS: readonly { confidence: HotspotConfidence; z: number }[] = [
  { confidence: 99, z: 2.576 },
  { confidence: 95, z: 1.96 },
  { confidence: 90, z: 1.645 },
];

/** z-scores per cell; `neighbours[i]` lists the cells next to i, without i itself. */
export function giStar(values: readonly number[], neighbours: readonly (readonly number[])[]): number[] {
  const n = values.length;
  const z = new Array<number>(n).fill(0);
  if (n < 2) return z;
  let sum = 0;
  let sumSquares = 0;
  for (const value of values) {
    sum += value;
    sumSquares += value * value;
  }
  const mean = sum / n;
  const variance = sumSquares / n - mean * mean;
  // Relative guard: counts are whole numbers, so a real spread is never this small.
  if (!(variance > 1e-12 * Math.max(1, mean * mean))) return z;
  const deviation = Math.sqrt(variance);
  for (let i = 0; i < n; i++) {
    const around = neighbours[i]!;
    let local = values[i]!;
    for (const j of around) local += values[j]!;
    const weights = around.length + 1; // Σ w_ij = Σ w_ij², binary weights with the cell itself
    const spread = (n * weights - weights * weights) / (n - 1);
    if (spread <= 0) continue;
    z[i] = (local - mean * weights) / (deviation * Math.sqrt(spread));
  }
  return z;
}

/** 99, 95 or 90 when |z| reaches 2.576, 1.960 or 1.645; otherwise null. */
export function confidenceOf(z: number): HotspotConfidence | null {
  const size = Math.abs(z);
  for (const { confidence, z: threshold } of CONFIDENCE_THRESHOLDS) if (size >= threshold) return confidence;
  return null;
}

/** Two-sided p-value of a standard-normal z-score: erfc(|z|/√2). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** The Benjamini–Hochberg cutoff at level alpha: the largest p_(k) ≤ alpha·k/m, or 0 when none is. */
export function fdrCutoff(sortedP: readonly number[], alpha: number): number {
  const m = sortedP.length;
  for (let k = m; k >= 1; k--) if (sortedP[k - 1]! <= (alpha * k) / m) return sortedP[k - 1]!;
  return 0;
}

export interface FdrResult {
  confidence: (HotspotConfidence | null)[];
  /** The p-value a cell must reach for each confidence level after correction (0: no cell does). */
  cutoffs: Record<HotspotConfidence, number>;
}

/** Confidence per cell after the Benjamini–Hochberg correction of the two-sided p-values. */
export function fdrConfidences(z: readonly number[]): FdrResult {
  const p = z.map(twoSidedP);
  const sorted = [...p].sort((a, b) => a - b);
  const cutoffs: Record<HotspotConfidence, number> = { 99: fdrCutoff(sorted, 0.01), 95: fdrCutoff(sorted, 0.05), 90: fdrCutoff(sorted, 0.1) };
  const confidence = p.map((value): HotspotConfidence | null =>
    value <= cutoffs[99] && cutoffs[99] > 0 ? 99 : value <= cutoffs[95] && cutoffs[95] > 0 ? 95 : value <= cutoffs[90] && cutoffs[90] > 0 ? 90 : null,
  );
  return { confidence, cutoffs };
}

export function kindOf(z: number, confidence: HotspotConfidence | null): 'hot' | 'cold' | null {
  if (confidence === null) return null;
  return z > 0 ? 'hot' : 'cold';
}
