/**
 * Normal tail bounds for checks.
 *
 * A family of k checks uses the Bonferroni bound: the |z| whose two-sided normal tail, summed
 * over k checks, equals one check's tail at |z| = 4 (6.3e-5). A suite of 60 checks (|z| <= 4.88)
 * is then as unlikely to raise a false alarm by chance as a single check at 4.
 */
import erfc from "@stdlib/math-base-special-erfc";
import erfcinv from "@stdlib/math-base-special-erfcinv";
import { Z_THRESHOLD } from "./check.js";

/** The z with two-sided tail P(|Z| > z) = tail: sqrt(2) erfcinv(tail). */
export function twoSidedQuantile(tail: number): number {
  return Math.SQRT2 * erfcinv(tail);
}

export function familyThreshold(checks: number): number {
  if (checks <= 1) return Z_THRESHOLD;
  const singleTail = erfc(Z_THRESHOLD / Math.SQRT2);
  return twoSidedQuantile(singleTail / checks);
}
