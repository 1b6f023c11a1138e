/** Summaries of simulated per-run values (simple-statistics does the arithmetic). */
import { max, mean, min, quantile, sampleSkewness, sampleStandardDeviation } from "simple-statistics";
import { twoSidedQuantile } from "./threshold.js";

export interface Summary {
  n: number;
  mean: number;
  stdDev: number;
  /** s / sqrt(n) */
  stdError: number;
  /** mean -/+ z_0.975 s/sqrt(n) */
  ciLow: number;
  ciHigh: number;
  /** m3 / m2^(3/2), the skewness the z-check corrects for; 0 for fewer than 3 values or no spread */
  skewness: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

/** z_0.975 = 1.959964: the two-sided 95% normal quantile. */
export const Z95 = twoSidedQuantile(0.05);

const asArray = (x: Float64Array) => x as unknown as number[];

/** Mean, spread, a 95% interval for the mean, and quantiles of n >= 1 values. */
export function summarize(values: Float64Array): Summary {
  const n = values.length;
  const m = mean(asArray(values));
  const stdDev = n > 1 ? sampleStandardDeviation(asArray(values)) : 0;
  const stdError = stdDev / Math.sqrt(n);
  const skewness = n >= 3 && stdDev > 0 ? sampleSkewness(asArray(values), true) : 0;
  // quickselect on a copy: linear time, where a full sort of a million runs is not
  const [p50, p90, p99] = quantile(asArray(values), [0.5, 0.9, 0.99]) as number[];
  return {
    n,
    mean: m,
    stdDev,
    stdError,
    ciLow: m - Z95 * stdError,
    ciHigh: m + Z95 * stdError,
    skewness,
    p50: p50!,
    p90: p90!,
    p99: p99!,
    min: min(asArray(values)),
    max: max(asArray(values)),
  };
}

/** The share of runs in which a is below b (ties count half): P(C_a < C_b) for paired runs. */
export function probabilityLess(a: Float64Array, b: Float64Array): number {
  let less = 0;
  for (let i = 0; i < a.length; i++) less += a[i]! < b[i]! ? 1 : a[i] === b[i] ? 0.5 : 0;
  return less / a.length;
}
