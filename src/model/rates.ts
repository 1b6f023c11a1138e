/**
 * Fix rates as the closed forms use them (sections 3 and 10): everything about a bug's attempts
 * is a combination of
 *
 *   M(n, k) = E[(1 - p)^n / p^k],  n >= 0, k in {0, 1, 2},
 *
 * over the bug's p. M(n, 0) is the chance that the first n attempts all fail, and the sums of an
 * unbounded run of attempts are M(n, 1) and M(n, 2) (see `tailSum`). For a fixed p,
 * M(n, k) = (1 - p)^n / p^k. For p ~ Beta(a, b),
 *
 *   M(n, k) = B(a - k, b + n) / B(a, b) = prod_{j<n} (b + j)/(a + b - k + j) x prod_{i=1..k} (a + b - i)/(a - i),
 *
 * finite only for a > k: E[1/p] needs a > 1 and E[1/p^2] needs a > 2.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import type { FixRate } from "../scenario/types.js";

/**
 * Products longer than this are taken through log-gamma. A product of n terms is good to about
 * sqrt(n) rounding errors (2n at worst: 4e-11 here); the log-gamma difference only to about 1e-16
 * of log Gamma(a + b + n), 1e-9 where a + b is 1e6 (an audit found the switch at 2,000 terms, where
 * a bug's attempts reach: a ladder's first rung of 2,001 attempts). Past 100,000 terms only a
 * window's first crossing reads it, against a bound of 1e-6.
 */
const PRODUCT_TERMS = 100_000;

/** M(n, k) = E[(1 - p)^n / p^k]; Infinity where the moment diverges. */
export function rateMoment(rate: FixRate, n: number, k: number): number {
  if (rate.kind === "fixed") return Math.pow(1 - rate.p, n) / Math.pow(rate.p, k);
  const { a, b } = rate;
  if (a <= k) return Infinity;
  let inverse = 1; // prod_{i=1..k} (a + b - i)/(a - i) = Gamma(a-k) Gamma(a+b) / (Gamma(a) Gamma(a+b-k))
  for (let i = 1; i <= k; i++) inverse *= (a + b - i) / (a - i);
  if (n > PRODUCT_TERMS) {
    return inverse * Math.exp(gammaln(b + n) - gammaln(b) + gammaln(a + b - k) - gammaln(a + b - k + n));
  }
  let survive = 1;
  for (let j = 0; j < n; j++) survive *= (b + j) / (a + b - k + j);
  return inverse * survive;
}

/** M(n + 1, 0) from s = M(n, 0): x (1 - p) for a fixed p, x (b + n)/(a + b + n) for a beta one. */
export function nextSurvival(rate: FixRate, n: number, s: number): number {
  return rate.kind === "fixed" ? s * (1 - rate.p) : (s * (rate.b + n)) / (rate.a + rate.b + n);
}

/**
 * Sum over t >= first of P(attempt t is made) (A + B t), for a run of attempts at one rate that
 * has already failed `failed` times before t = 1 (so attempt t is made when the first
 * failed + t - 1 fail):
 *
 *   sum_{t >= a} M(failed + t - 1, 0) (A + B t) = (A + B (a - 1)) M(failed + a - 1, 1) + B M(failed + a - 1, 2)
 *
 * (substitute t = a - 1 + u and use sum_{u>=1} x^{u-1} = 1/p, sum_{u>=1} u x^{u-1} = 1/p^2, x = 1 - p).
 * A term whose coefficient is 0 is left out, so a linear sum needs only E[1/p].
 */
export function tailSum(rate: FixRate, failed: number, first: number, A: number, B: number): number {
  const n = failed + first - 1;
  const constant = A + B * (first - 1);
  return (constant === 0 ? 0 : constant * rateMoment(rate, n, 1)) + (B === 0 ? 0 : B * rateMoment(rate, n, 2));
}

/** Attempt moments of one bug at one rate: E[N], Var(N) and E[(N-1)(N-2)/2] (the retry pairs of section 4). */
export interface RateAttempts {
  mean: number;
  variance: number;
  retryPairs: number;
}

/**
 * N ~ Geometric(p) attempts, unbounded. Fixed p: E[N] = 1/p, Var(N) = (1-p)/p^2,
 * E[(N-1)(N-2)/2] = (1-p)^2/p^2. Beta p (section 10): E[N] = E[1/p] = M(0,1),
 * E[N^2] = 2 E[1/p^2] - E[1/p], E[(N-1)(N-2)/2] = E[1/p^2] - 2 E[1/p] + 1.
 */
export function unboundedAttempts(rate: FixRate): RateAttempts {
  if (rate.kind === "fixed") {
    const p = rate.p;
    return { mean: 1 / p, variance: (1 - p) / (p * p), retryPairs: ((1 - p) * (1 - p)) / (p * p) };
  }
  const m1 = rateMoment(rate, 0, 1);
  const m2 = rateMoment(rate, 0, 2);
  return { mean: m1, variance: 2 * m2 - m1 - m1 * m1, retryPairs: m2 - 2 * m1 + 1 };
}

/**
 * N' = min(N, k) attempts of a bounded rung: with S_t = P(N >= t) = M(t-1, 0),
 * E[N'] = sum_{t=1..k} S_t, E[N'(N'-1)/2] = sum_t (t-1) S_t, E[(N'-1)(N'-2)/2] = sum_t (t-2)^+ S_t.
 */
export function boundedAttempts(rate: FixRate, k: number): RateAttempts {
  let mean = 0;
  let pairs = 0;
  let retryPairs = 0;
  for (let t = 1, s = 1; t <= k; s = nextSurvival(rate, t - 1, s), t++) {
    mean += s;
    pairs += (t - 1) * s;
    if (t > 2) retryPairs += (t - 2) * s;
  }
  return { mean, variance: 2 * pairs + mean - mean * mean, retryPairs };
}
