/**
 * Checking a simulation against a closed form (docs/model.md, section 6):
 * z = (m - E) / (s / sqrt(n)), relative error = (m - E) / E, and a verdict.
 *
 * The verdict does not read z against the normal distribution directly. Costs are skewed (the
 * shared cost is quadratic in a sum of geometric counts), and with skewed runs the studentized
 * mean's tails are uneven at moderate n: on the default scenario's shared context at 2,000 runs,
 * |z| > 4 came up 82 times in 800,000 checks of correct closed forms, 1.6 times the normal
 * tail's 50.7, and 67 of them below -4. The verdict therefore reads Hall's skewness-corrected
 * statistic (`hallZ`), which came up 61 times in the same checks, 31 below and 30 above
 * (bench/false-alarms.ts; docs/model.md, section 6).
 *
 * Even so the normal approximation needs enough runs: a check is made only when
 * n >= MIN_CHECK_RUNS and n >= SKEW_CHECK_RUNS x skewness^2, and is "too few runs" otherwise.
 */

/**
 * |z| <= 4 is `consistent`. Under the null a |z| above 4 has probability 6.3e-5 (normal tails),
 * so a single check almost never fails by chance, while a formula off by a few standard errors
 * at the trial count used is flagged.
 */
export const Z_THRESHOLD = 4;

/**
 * Runs a check needs at least: with n = 1000, Student's t with 999 degrees of freedom puts
 * 6.8e-5 beyond +/-4, within 8% of the normal 6.3e-5 (at n = 100 it is twice as much).
 */
export const MIN_CHECK_RUNS = 1000;

/**
 * Runs a check needs per unit of squared skewness: the corrected statistic was measured to keep
 * its nominal false-alarm rate at n / skewness^2 down to 310 (2,000 runs of skewness 2.54).
 */
export const SKEW_CHECK_RUNS = 300;

export type Verdict = "consistent" | "inconsistent" | "too few runs" | "no closed form" | "infinite variance" | "infinite mean";

export interface Check {
  /** (m - E) / (s / sqrt(n)); null without a closed form or without spread */
  z: number | null;
  /** Hall's skewness-corrected z, which the verdict reads; null where z is */
  zCorrected: number | null;
  relError: number | null;
  verdict: Verdict;
}

/** What a check needs of a simulated sample. */
export interface Sample {
  n: number;
  mean: number;
  /** s / sqrt(n) */
  stdError: number;
  /** m3 / m2^(3/2) of the runs */
  skewness: number;
}

/**
 * z-score of a simulated mean against E. A difference within rounding (1e-12 relative) is 0:
 * runs that all cost the same amount have a spread of rounding noise, which would make any
 * last-digit difference look like a thousand standard errors. With zero spread and a larger
 * difference it is +/-Infinity.
 */
export function zScore(mean: number, stdError: number, expected: number): number {
  const diff = mean - expected;
  if (Math.abs(diff) <= 1e-12 * Math.abs(expected)) return 0;
  if (stdError > 0) return diff / stdError;
  return Math.sign(diff) * Infinity;
}

/**
 * Hall's transformation of the studentized mean (Hall 1992, "On the removal of skewness by
 * transformation"): with A = z / sqrt(n) and skewness g,
 *   sqrt(n) (A + g A^2 / 3 + g^2 A^3 / 27 + g / (6 n)),
 * monotone in z and normal to order 1/n rather than 1/sqrt(n).
 */
export function hallZ(z: number, n: number, skewness: number): number {
  const a = z / Math.sqrt(n);
  const g = skewness;
  return Math.sqrt(n) * (a + (g * a * a) / 3 + (g * g * a * a * a) / 27 + g / (6 * n));
}

/** Runs needed for a check of a sample of this skewness. */
export function runsNeeded(skewness: number): number {
  return Math.max(MIN_CHECK_RUNS, Math.ceil(SKEW_CHECK_RUNS * skewness * skewness));
}

export function relativeError(mean: number, expected: number): number {
  return expected === 0 ? (mean === 0 ? 0 : Infinity) : (mean - expected) / expected;
}

/**
 * The verdict on a simulated mean against its closed form. `infiniteVariance`: the cost's variance
 * is infinite (a heavy-tailed beta rate, or error growth), so the standard error estimates nothing
 * and there is no check, only z and the relative error to look at (none without a closed form).
 */
export function checkMean(sample: Sample, expected: number | null, threshold = Z_THRESHOLD, infiniteVariance = false): Check {
  // without a closed form there is no check; where the variance is infinite that is what the
  // verdict says, as it explains why the runs' interval is missing too
  if (expected === null) return { z: null, zCorrected: null, relError: null, verdict: infiniteVariance ? "infinite variance" : "no closed form" };
  const relError = relativeError(sample.mean, expected);
  const z = zScore(sample.mean, sample.stdError, expected);
  if (infiniteVariance) return { z, zCorrected: null, relError, verdict: "infinite variance" };
  // The closed form to rounding: consistent, however few the runs.
  if (z === 0) return { z: 0, zCorrected: 0, relError, verdict: "consistent" };
  const enough = sample.n >= runsNeeded(sample.skewness);
  if (sample.stdError === 0) {
    // Every run cost the same, and not the closed form. However many runs, that rules nothing out:
    // a cost that varies only in a rare run (a fix rate of 0.9999: 2,000 runs all alike 82% of the
    // time) shows no spread to judge by, and a sample of one value says nothing of how far the
    // others lie (it was "inconsistent" from 1,000 runs, a false alarm). More runs will show the
    // spread. z is infinite, and reported as null.
    return { z: null, zCorrected: null, relError, verdict: "too few runs" };
  }
  if (!enough) return { z, zCorrected: null, relError, verdict: "too few runs" };
  const zCorrected = hallZ(z, sample.n, sample.skewness);
  return { z, zCorrected, relError, verdict: Math.abs(zCorrected) <= threshold ? "consistent" : "inconsistent" };
}
