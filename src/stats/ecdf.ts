/**
 * The empirical distribution of per-run values, for drawing: points (q(p), p) of its quantile
 * function on a grid of probabilities. The empirical CDF F(x) = share of runs <= x passes through
 * every such point, and q is the quantile of `summarize` (simple-statistics), so a p90 marked on
 * the curve is the p90 of the tables.
 */
import { quantileSorted } from "simple-statistics";
import { linearQuantiles } from "./quantiles.js";

export interface EcdfPoint {
  /** q(p): the smallest value with at least a share p of the runs at or below it */
  value: number;
  share: number;
}

/** A sorted copy (the runs' own order is left alone). */
export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

/** q(p) of values sorted ascending, as `summarize` computes p50, p90, p99. */
export function sortedQuantile(sorted: Float64Array, p: number): number {
  return quantileSorted(sorted as unknown as number[], p);
}

/** p = 0, 1/steps, 2/steps, ... while p <= upTo, and p = upTo itself. */
function ecdfShares(steps: number, upTo: number): number[] {
  const shares: number[] = [];
  for (let k = 0; k <= steps && k / steps <= upTo; k++) shares.push(k / steps);
  if (shares[shares.length - 1]! < upTo) shares.push(upTo);
  return shares;
}

/**
 * (q(p), p) for p = 0, 1/steps, 2/steps, ... while p <= upTo, and p = upTo itself: the curve up to
 * the upTo-quantile (the far tail of a skewed cost would squeeze everything else into a corner).
 */
export function ecdfPoints(sorted: Float64Array, steps: number, upTo = 1): EcdfPoint[] {
  if (sorted.length === 0) return [];
  return ecdfShares(steps, upTo).map((share) => ({ value: sortedQuantile(sorted, share), share }));
}

/**
 * ecdfPoints of values in any order, the same numbers in linear time: only the order statistics
 * the quantiles read are found (linearQuantiles, as a summary's p50, p90 and p99 are), not the
 * whole sort, which took the report's main thread most of a second per job of 5,000,000 runs, deaf
 * to Ctrl-C meanwhile.
 */
export function ecdfPointsOf(values: Float64Array, steps: number, upTo = 1): EcdfPoint[] {
  const n = values.length;
  if (n === 0) return [];
  let [min, max] = [Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const shares = ecdfShares(steps, upTo);
  const { quantiles } = linearQuantiles(values, min, max, shares);
  return shares.map((share, i) => ({ value: quantiles[i]!, share }));
}
