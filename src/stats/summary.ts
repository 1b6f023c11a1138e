/**
 * Summaries of simulated per-run values.
 *
 * A summary is built from two parts that can be had separately: the moments (mean, central
 * moment sums, extremes), which each chunk of runs computes while its values are at hand and
 * which combine exactly in chunk order (`combineMoments`), and the quantiles, which need all the
 * values at once (quantiles.ts: linear time).
 */
import { summaryQuantiles, type SummaryQuantiles } from "./quantiles.js";
import { t95 } from "./threshold.js";

export { summaryQuantiles };

export interface Summary {
  n: number;
  mean: number;
  stdDev: number;
  /** s / sqrt(n) */
  stdError: number;
  /**
   * mean -/+ t_0.975(n - 1) s/sqrt(n) (Student's t: s is estimated from the same runs), its low
   * end at least 0: the values (costs, seconds) are never negative, so neither is their mean
   */
  ciLow: number;
  ciHigh: number;
  /** m3 / m2^(3/2), the skewness the z-check corrects for; 0 for fewer than 3 values or no spread */
  skewness: number;
  p50: number;
  p90: number;
  p99: number;
  /** the p90's 95% interval, from the order statistics around it (see p90IntervalRanks) */
  p90Low: number;
  p90High: number;
  min: number;
  max: number;
}

/** Of n values: their mean, M2 = sum (x - mean)^2, M3 = sum (x - mean)^3, min and max. */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
  m3: number;
  min: number;
  max: number;
}

const NO_VALUES: Moments = { n: 0, mean: 0, m2: 0, m3: 0, min: Infinity, max: -Infinity };

/**
 * The moments of values, in two passes: the sum and the extremes, then the deviations from the
 * mean. A chunk's values are of one magnitude, so a plain sum loses nothing that matters (n eps
 * relative, 1e-11 for 50,000 runs), and the chunks are combined below.
 *
 * The passes go SLICE values at a time, each total carried in `totals` from slice to slice (the
 * same additions in the same order as one loop). A loop that runs long is compiled by V8 while it
 * runs (on-stack replacement), before the code after it has run once; such code, if it needs type
 * feedback (arithmetic, a property), deoptimizes on the way out, and in a worker thread V8
 * re-entered that stale code at nearly every chunk (401 deoptimizations in a 5,000,000-trial run
 * on two threads). A short loop called often is compiled with the rest of its function, once all
 * of it has run. Passes called once on long arrays instead end with their loop, `return total`
 * needing no feedback (`pairsLess` below, `bucketCounts` in quantiles.ts).
 */
export function momentsOf(values: Float64Array): Moments {
  const n = values.length;
  if (n === 0) return NO_VALUES;
  const totals = new Float64Array(Total.count);
  totals[Total.min] = Infinity;
  totals[Total.max] = -Infinity;
  for (let from = 0; from < n; from += SLICE) addSumAndExtremes(values, from, Math.min(n, from + SLICE), totals);
  const mean = totals[Total.sum]! / n;
  for (let from = 0; from < n; from += SLICE) addDeviations(values, mean, from, Math.min(n, from + SLICE), totals);
  return { n, mean, m2: totals[Total.m2]!, m3: totals[Total.m3]!, min: totals[Total.min]!, max: totals[Total.max]! };
}

/** Values per call of a pass of momentsOf. */
const SLICE = 4096;

/** The running totals of momentsOf: sum x, min x, max x, then sum (x - mean)^2 and sum (x - mean)^3. */
const enum Total {
  sum,
  min,
  max,
  m2,
  m3,
  count,
}

/** Values [from, to) into the sum and the extremes. */
function addSumAndExtremes(values: Float64Array, from: number, to: number, totals: Float64Array): void {
  let sum = totals[Total.sum]!;
  let min = totals[Total.min]!;
  let max = totals[Total.max]!;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  totals[Total.sum] = sum;
  totals[Total.min] = min;
  totals[Total.max] = max;
}

/** Values [from, to) into sum (x - mean)^2 and sum (x - mean)^3. */
function addDeviations(values: Float64Array, mean: number, from: number, to: number, totals: Float64Array): void {
  let m2 = totals[Total.m2]!;
  let m3 = totals[Total.m3]!;
  for (let i = from; i < to; i++) {
    const d = values[i]! - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  totals[Total.m2] = m2;
  totals[Total.m3] = m3;
}

/**
 * The moments of two samples together (Chan, Golub and LeVeque's pairwise update, with Pebay's
 * third moment): with n = na + nb and d = mean_b - mean_a,
 *   mean = mean_a + d nb / n
 *   M2 = M2a + M2b + d^2 na nb / n
 *   M3 = M3a + M3b + d^3 na nb (na - nb) / n^2 + 3 d (na M2b - nb M2a) / n.
 */
export function combineMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (d * b.n) / n,
    m2: a.m2 + b.m2 + (d * d * a.n * b.n) / n,
    m3: a.m3 + b.m3 + (d * d * d * a.n * b.n * (a.n - b.n)) / (n * n) + (3 * d * (a.n * b.m2 - b.n * a.m2)) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** The moments of consecutive parts of one sample, combined in order. */
export function joinMoments(parts: readonly Moments[]): Moments {
  return parts.reduce(combineMoments, NO_VALUES);
}


/**
 * A summary from the moments and the quantiles of n >= 1 values. Values all equal (min = max)
 * have that value as their mean and no spread, exactly: summed in parts, they would leave
 * rounding (a standard error of 1e-18, an interval of -$3e-17 to $3e-17 around a zero difference).
 */
export function summaryOf(m: Moments, [p50, p90, p99, p90Low, p90High]: SummaryQuantiles): Summary {
  const n = m.n;
  const constant = m.min === m.max;
  const mean = constant ? m.min : m.mean;
  const stdDev = n > 1 && !constant ? Math.sqrt(m.m2 / (n - 1)) : 0;
  const stdError = stdDev / Math.sqrt(n);
  const half = stdError > 0 ? t95(n - 1) * stdError : 0;
  return {
    n,
    mean,
    stdDev,
    stdError,
    ciLow: Math.max(0, mean - half),
    ciHigh: mean + half,
    skewness: n >= 3 && stdDev > 0 ? m.m3 / n / (m.m2 / n) ** 1.5 : 0,
    p50,
    p90,
    p99,
    p90Low,
    p90High,
    min: m.min,
    max: m.max,
  };
}

/** Mean, spread, a 95% interval for the mean, and quantiles of n >= 1 values (never negative). */
export function summarize(values: Float64Array): Summary {
  const moments = momentsOf(values);
  return summaryOf(moments, summaryQuantiles(values, moments.min, moments.max));
}

/**
 * The runs in which a is below b, ties counting half (a pass that ends with its loop: see
 * momentsOf). A whole number or a half, so counts of parts add up exactly, in any order.
 */
export function pairsLess(a: Float64Array, b: Float64Array): number {
  let less = 0;
  for (let i = 0; i < a.length; i++) less += a[i]! < b[i]! ? 1 : a[i] === b[i] ? 0.5 : 0;
  return less;
}
