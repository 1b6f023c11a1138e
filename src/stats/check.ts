/**
 * Checking a simulation against a closed form (model page, section 6):
 * z = (m - E) / (s / sqrt(n)), relative error = (m - E) / E.
 */

/**
 * |z| <= 4 is `consistent`. Under the null a |z| above 4 has probability 6.3e-5 (normal tails),
 * so a single check almost never fails by chance, while a formula off by a few standard errors
 * at the trial count used is flagged.
 */
export const Z_THRESHOLD = 4;

export type Verdict = "consistent" | "inconsistent" | "no closed form";

export interface Check {
  z: number | null;
  relError: number | null;
  verdict: Verdict;
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

export function relativeError(mean: number, expected: number): number {
  return expected === 0 ? (mean === 0 ? 0 : Infinity) : (mean - expected) / expected;
}

export function checkMean(mean: number, stdError: number, expected: number | null, threshold = Z_THRESHOLD): Check {
  if (expected === null) return { z: null, relError: null, verdict: "no closed form" };
  const z = zScore(mean, stdError, expected);
  return { z, relError: relativeError(mean, expected), verdict: Math.abs(z) <= threshold ? "consistent" : "inconsistent" };
}
