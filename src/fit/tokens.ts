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
 * At most `max` values that stand for the sorted sample xs: all of them when there are few, else
 * the order statistics at the mid-quantiles (i + 1/2) / max, scaled so that their mean is the
 * sample's mean exactly (the scale factor differs from 1 by the thinning error only).
 */
export function thinSorted(xs: number[], max: number): number[] {
  if (xs.length <= max) return xs;
  const picked = Array.from({ length: max }, (_, i) => xs[Math.floor(((i + 0.5) / max) * xs.length)]!);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const pickedMean = picked.reduce((a, b) => a + b, 0) / max;
  return pickedMean > 0 ? picked.map((x) => (x * mean) / pickedMean) : picked;
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
