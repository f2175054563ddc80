// Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights, the cell itself included.
//
// For cell i with neighbour set N(i) ∪ {i} (w_ij = 1 there, 0 elsewhere), over all n cells:
//   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · √[(n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)])
// with X̄ = Σx / n and S = √(Σx² / n − X̄²). Gi* is itself a z-score. When S = 0 (all counts
// equal), n < 2, or the denominator is 0 (a cell whose neighbourhood is the whole grid), z = 0.
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

export function kindOf(z: number, confidence: HotspotConfidence | null): 'hot' | 'cold' | null {
  if (confidence === null) return null;
  return z > 0 ? 'hot' : 'cold';
}
