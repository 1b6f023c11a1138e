/**
 * The number of bugs a generator leaves (sections 7 and 10): a whole number, or a count drawn per
 * run — Poisson(lambda), or negative binomial with mean mu and variance v > mu (size
 * r = mu^2 / (v - mu), so that v = mu + mu^2 / r).
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import type { BugCount, ModelSpec } from "../scenario/types.js";

/**
 * The generator's bugs by class where the split is fixed: a whole count under exact assignment
 * has round(q phi) hard bugs and the rest easy. Null for binomial assignment or a random count.
 */
export function exactClasses(generator: ModelSpec): { easy: number; hard: number } | null {
  const count = generator.bugs;
  if (count.kind !== "fixed" || generator.assignment !== "exact") return null;
  const hard = Math.round(count.count * generator.hardFraction);
  return { easy: count.count - hard, hard };
}

/** E[q] */
export function countMean(c: BugCount): number {
  return c.kind === "fixed" ? c.count : c.mean;
}

/** Var(q): 0, lambda, or v. */
export function countVariance(c: BugCount): number {
  return c.kind === "fixed" ? 0 : c.kind === "poisson" ? c.mean : c.variance;
}

/** r = mu^2 / (v - mu) of a negative binomial count. */
export function negbinSize(mean: number, variance: number): number {
  return (mean * mean) / (variance - mean);
}

/**
 * The probability generating function E[z^q]: z^q; e^(-lambda (1 - z)); (r / (r + mu (1 - z)))^r.
 * E[z^q] at z = P(a bug is fixed) is the chance that every bug of a run is fixed.
 */
export function countPgf(c: BugCount, z: number): number {
  switch (c.kind) {
    case "fixed":
      return Math.pow(z, c.count);
    case "poisson":
      return Math.exp(-c.mean * (1 - z));
    case "negbinomial": {
      // as exp(-r ln(1 + mu (1 - z) / r)): a power of a rounded base kept 8 digits where r is 1e9
      const r = negbinSize(c.mean, c.variance);
      return Math.exp(-r * Math.log1p((c.mean * (1 - z)) / r));
    }
  }
}

/** P(q = 0) = E[0^q]. */
export function probabilityNoBugs(c: BugCount): number {
  return countPgf(c, 0);
}

/**
 * A fixed count that is no whole number has no distribution to sum over: the base model of a
 * random count whose mean is not a whole number (extensions.ts) puts that mean in its place, which
 * the closed forms that are polynomials in the count take, and those that sum over the count's
 * distribution (a ladder in shared context, a window's or tier's reach) cannot. (A typed array
 * given 5.5 as an index wrote nothing: every probability was 0, and such a ladder's base formula
 * $0.14 where 5 and 6 bugs give $0.23 and $0.27: a review.)
 */
export class FractionalCount extends Error {
  override name = "FractionalCount";
  constructor(readonly count: number) {
    super(`a fixed count of ${count} bugs has no distribution`);
  }
}

/**
 * Probabilities beyond the point where the rest sums to less than this are dropped (here, and
 * from a bug's request distribution in pmf.ts).
 */
export const TAIL = 1e-17;

/**
 * P(q = n) for n = 0, 1, ... until the rest of the mass is below 1e-17: [1 at count] for a fixed
 * count; Poisson: p_0 = e^-lambda, p_{n+1} = p_n lambda / (n + 1); negative binomial:
 * p_0 = (r/(r+mu))^r, p_{n+1} = p_n (n + r)/(n + 1) x mu/(r + mu). Past the mode the ratio
 * rho_n = p_{n+1}/p_n bounds every later ratio (it falls for Poisson and for r >= 1, and stays
 * below mu/(r+mu) for r < 1), so the rest is at most p_n rho / (1 - rho).
 */
export function countPmf(c: BugCount): Float64Array {
  if (c.kind === "fixed") {
    if (!Number.isInteger(c.count)) throw new FractionalCount(c.count);
    const pmf = new Float64Array(c.count + 1);
    pmf[c.count] = 1;
    return pmf;
  }
  const r = c.kind === "negbinomial" ? negbinSize(c.mean, c.variance) : 0;
  const x = c.kind === "negbinomial" ? c.mean / (r + c.mean) : 0;
  const ratio = (n: number) => (c.kind === "poisson" ? c.mean / (n + 1) : ((n + r) / (n + 1)) * x);
  const bound = (n: number) => (c.kind === "poisson" || r >= 1 ? ratio(n) : x);
  // From logs, so that a large mean does not underflow p_0 and every later term with it. The
  // negative binomial's go by the ratio from ln p_0 = -r ln(1 + mu / r): gammaln(n + r) - gammaln(r)
  // keeps few digits where r is large (1e9 for a variance a millionth above the mean: 7e-8 off).
  let logNegbin = -r * Math.log1p(c.mean / r);
  const logPmf = (n: number) => (c.kind === "poisson" ? -c.mean + n * Math.log(c.mean) - gammaln(n + 1) : logNegbin);
  const values: number[] = [];
  for (let n = 0; ; n++) {
    const p = Math.exp(logPmf(n));
    logNegbin += Math.log(ratio(n));
    values.push(p);
    const rho = bound(n);
    if (n >= c.mean && rho < 1 && (p * rho) / (1 - rho) < TAIL) break;
  }
  return Float64Array.from(values);
}
