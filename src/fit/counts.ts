/**
 * Bugs per generation: mean, spread, and whether a Poisson count fits.
 *
 * The test is the dispersion (variance) test: for n counts with mean m and sample variance s^2,
 * the dispersion index is D = s^2 / m, and under a Poisson law (n - 1) D is approximately
 * chi-square with n - 1 degrees of freedom. The two-sided p-value is 2 min(F(T), 1 - F(T)) with
 * T = (n - 1) D and F the chi-square CDF. D > 1 with a small p: overdispersed (a negative binomial
 * fits better); D < 1 with a small p: underdispersed (a constant count, as under exact assignment,
 * gives D = 0).
 */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { groupDigits } from "../text.js";

/** A Poisson law is rejected below this p-value. */
export const POISSON_ALPHA = 0.05;

export interface CountSummary {
  generator: string;
  runs: number;
  mean: number;
  /** sample variance (n - 1 in the denominator); 0 for a single run */
  variance: number;
  min: number;
  max: number;
  /** D = variance / mean; null when the mean is 0 */
  dispersion: number | null;
  /** two-sided p of the dispersion test; null when it cannot be computed (mean 0, a single run, a constant count) */
  pValue: number | null;
  /** how the count is written in a scenario */
  form: CountForm;
}

/** constant: every run had the same count; else the random law that the test picks. */
export type CountForm = "constant" | "poisson" | "negbinomial" | "underdispersed";

/** T = (n - 1) s^2 / m and its two-sided p-value under chi-square(n - 1). */
export function dispersionTest(n: number, mean: number, variance: number): number {
  const t = ((n - 1) * variance) / mean;
  const f = chisquareCdf(t, n - 1);
  return Math.min(1, 2 * Math.min(f, 1 - f));
}

/** The summary of one generator's counts. */
export function summarizeCounts(generator: string, counts: number[]): CountSummary {
  const n = counts.length;
  const mean = counts.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? counts.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const constant = min === max;
  const dispersion = mean > 0 ? variance / mean : null;
  const pValue = constant || n < 2 || dispersion === null ? null : dispersionTest(n, mean, variance);
  const form: CountForm =
    constant ? "constant"
    : pValue === null || pValue >= POISSON_ALPHA ? "poisson"
    : dispersion! > 1 ? "negbinomial"
    : "underdispersed";
  return { generator, runs: n, mean, variance, min, max, dispersion, pValue, form };
}

/** One sentence for people: "3 bugs in each" (a constant count), "Poisson fits (D = 1.04, p = 0.41)", ... */
export function describeCountForm(c: CountSummary): string {
  const test = c.pValue === null ? "" : ` (D = ${c.dispersion!.toFixed(3)}, p = ${c.pValue.toPrecision(2)})`;
  switch (c.form) {
    case "constant":
      return `${groupDigits(c.mean)} bug${c.mean === 1 ? "" : "s"} in each`;
    case "poisson":
      return `Poisson fits${test}`;
    case "negbinomial":
      return `overdispersed, not Poisson${test}`;
    case "underdispersed":
      return `underdispersed, not Poisson${test}`;
  }
}
