/**
 * Token sizes as a scenario writes them: a constant when every observed value is the same, else
 * the observed values as an empirical distribution (`{dist: empirical, values}`).
 *
 * Why empirical rather than a lognormal by mean and cv: the closed forms read only the mean, which
 * the empirical law keeps exactly, and the simulator then draws the sizes the logs show, with
 * their real skew and bounds, instead of a shape that fits the first two moments only.
 */

/** The most values an empirical distribution keeps: a scenario file stays readable. */
export const MAX_EMPIRICAL_VALUES = 1000;

export interface TokenSummary {
  /** observed values */
  count: number;
  mean: number;
  /** coefficient of variation (0 for a constant) */
  cv: number;
  /** the sorted values an empirical law keeps, or null for a constant */
  values: number[] | null;
}

/**
 * At most `max` values that stand for the sorted sample xs of n values: all of them when there are
 * few, else the means of its `max` equal slices, value i the mean of xs over [i w, (i + 1) w) with
 * w = n / max (a value cut by a slice's end counts in both by its share). The values are sorted,
 * within [min, max] of the sample, and their mean is the sample's: the slices' sums add up to
 * its sum. (Order statistics picked at the mid-quantiles, rescaled to the mean, lost it where the
 * mass sits in the few largest values: 3,000 zeros and one 1,000,000 gave 1,000 zeros.)
 */
export function thinSorted(xs: number[], max: number): number[] {
  const n = xs.length;
  if (n <= max) return xs;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + xs[k]!;
  // the sum of the first x values, x fractional: the whole ones and the share of the next
  const sumUpTo = (x: number) => {
    const k = Math.floor(x);
    return prefix[k]! + (k < n ? (x - k) * xs[k]! : 0);
  };
  const w = n / max;
  return Array.from({ length: max }, (_, i) => (sumUpTo(Math.min(n, (i + 1) * w)) - sumUpTo(i * w)) / w);
}

/** The summary of observed token sizes; null when there are none. */
export function summarizeTokens(values: number[]): TokenSummary | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
  const constant = values.every((v) => v === values[0]);
  return {
    count: n,
    mean,
    cv: mean > 0 ? sd / mean : 0,
    values: constant ? null : thinSorted([...values].sort((a, b) => a - b), MAX_EMPIRICAL_VALUES),
  };
}

/**
 * The scenario value for a token size whose mean is `mean`: the constant, or the summary's
 * empirical values scaled to that mean (a bootstrap replicate moves the mean, not the shape).
 */
export function tokenValue(summary: TokenSummary, mean: number): number | { dist: "empirical"; values: number[] } {
  if (summary.values === null || summary.mean === 0) return mean;
  if (mean === summary.mean) return { dist: "empirical", values: summary.values };
  return { dist: "empirical", values: summary.values.map((v) => (v * mean) / summary.mean) };
}
