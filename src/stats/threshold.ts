/**
 * Normal and Student's t quantiles: the tail bounds of checks, and the 95% intervals.
 *
 * A family of k checks uses the Bonferroni bound: the |z| whose two-sided normal tail, summed
 * over k checks, equals one check's tail at |z| = 4 (6.3e-5). A suite of 60 checks (|z| <= 4.88)
 * is then as unlikely to raise a false alarm by chance as a single check at 4.
 */
import erfc from "@stdlib/math-base-special-erfc";
import erfcinv from "@stdlib/math-base-special-erfcinv";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
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

/** z_0.975 = 1.959964: the two-sided 95% normal quantile. */
export const Z95 = twoSidedQuantile(0.05);

/**
 * t_0.975(df): the two-sided 95% quantile of Student's t with df degrees of freedom, the half-width
 * of a 95% interval in standard errors when the standard error is itself estimated (12.71 at
 * df = 1, 2.26 at 9, 1.984 at 99, 1.96 as df grows; z_0.975 beyond what the quantile resolves).
 */
export function t95(df: number): number {
  let t = t95Known.get(df);
  if (t === undefined) {
    t = Number.isFinite(df) && df < 1e12 ? tQuantile(0.975, df) : Z95;
    if (t95Known.size >= 256) t95Known.clear();
    t95Known.set(df, t);
  }
  return t;
}

/** t95 by degrees of freedom: a quantile takes 15 us, and a sweep's summaries all share n - 1. */
const t95Known = new Map<number, number>();

/**
 * The Welch-Satterthwaite degrees of freedom of a difference of two independent means whose
 * standard errors a and b come from n_a and n_b values:
 * (a^2 + b^2)^2 / (a^4 / (n_a - 1) + b^4 / (n_b - 1)). A side known exactly (error 0) adds
 * nothing: the other's n - 1.
 */
export function welchDegrees(a: number, nA: number, b: number, nB: number): number {
  // in shares of the total variance, r = a^2 / (a^2 + b^2): 1 / (r^2/(n_a - 1) + (1 - r)^2/(n_b - 1)),
  // the same number without a^4, which underflows or overflows for errors far from 1 (a review)
  const r = a === 0 ? 0 : b === 0 ? 1 : 1 / (1 + (b / a) ** 2);
  return 1 / ((r > 0 ? (r * r) / (nA - 1) : 0) + (r < 1 ? ((1 - r) * (1 - r)) / (nB - 1) : 0));
}
