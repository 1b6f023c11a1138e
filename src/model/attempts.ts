/**
 * How many fix attempts bugs take (docs/model.md, section 3, the regressions row of section 5, and random bug
 * counts of section 10).
 *
 * A bug fixed with probability p per attempt takes N ~ Geometric(p) attempts on {1, 2, ...};
 * rates.ts gives a bug's moments for any rate (fixed or beta, bounded or not) as RateAttempts.
 */
import type { BugCount } from "../scenario/types.js";
import { countMean, countVariance } from "./counts.js";
import type { RateAttempts } from "./rates.js";

/** Mean and variance of the attempts of some bugs. */
export interface AttemptMoments {
  mean: number;
  variance: number;
}

/**
 * One bug, hard with probability phi: mean (1-phi) me + phi mh and, by the law of total variance,
 * (1-phi) ve + phi vh + phi (1-phi) (mh - me)^2.
 */
export function mixtureAttempts(hardFraction: number, easy: RateAttempts, hard: RateAttempts): AttemptMoments {
  // a class that never occurs adds nothing, even where its moments are infinite
  if (hardFraction === 0) return { mean: easy.mean, variance: easy.variance };
  if (hardFraction === 1) return { mean: hard.mean, variance: hard.variance };
  const me = easy.mean;
  const mh = hard.mean;
  const phi = hardFraction;
  return {
    mean: (1 - phi) * me + phi * mh,
    variance: (1 - phi) * easy.variance + phi * hard.variance + phi * (1 - phi) * (mh - me) ** 2,
  };
}

/**
 * The total attempts T of q bugs, a fraction phi hard:
 * I = q((1-phi) me + phi mh) and V = q((1-phi) ve + phi vh) when exactly q*phi are hard;
 * binomial assignment (each bug hard with probability phi) adds the between-class term
 * q phi (1-phi) (mh - me)^2.
 */
export function bugSetAttempts(
  count: number,
  hardFraction: number,
  assignment: "exact" | "binomial",
  easy: RateAttempts,
  hard: RateAttempts,
): AttemptMoments {
  const phi = hardFraction;
  const mix = mixtureAttempts(phi, easy, hard);
  const between = phi === 0 || phi === 1 ? 0 : phi * (1 - phi) * (hard.mean - easy.mean) ** 2;
  return {
    mean: count * mix.mean,
    variance: count * (assignment === "binomial" ? mix.variance : mix.variance - between),
  };
}

/**
 * A random number q of i.i.d. bugs, each with attempts S (compound sum, section 10):
 * E[T] = E[q] E[S], Var(T) = E[q] Var(S) + Var(q) E[S]^2 (Poisson: lambda E[S^2]).
 */
export function compoundAttempts(count: BugCount, perBug: AttemptMoments): AttemptMoments {
  return {
    mean: countMean(count) * perBug.mean,
    variance: countMean(count) * perBug.variance + countVariance(count) * perBug.mean * perBug.mean,
  };
}

/** Mean and variance of R, the number of new bugs that regressions add to a run. */
export interface RegressionMoments {
  expectedNewBugs: number;
  newBugVariance: number;
}

/**
 * Each fixed bug breeds new bugs (r < 1). Bernoulli(r): a bug starts a chain of K ~ Geometric(1-r)
 * bugs, so E[R] = q r/(1-r) and Var(R) = q r/(1-r)^2. Poisson(r): chain sizes are Borel,
 * E[R] = q r/(1-r) and Var(R) = q r/(1-r)^3.
 */
export function regressionMoments(count: number, probability: number, offspring: "bernoulli" | "poisson"): RegressionMoments {
  const r = probability;
  const power = offspring === "bernoulli" ? 2 : 3;
  return { expectedNewBugs: (count * r) / (1 - r), newBugVariance: (count * r) / (1 - r) ** power };
}

/**
 * Attempts with regressions: T = T0 + the attempts M_1..M_R of R new bugs (i.i.d., independent of R):
 * I = I0 + E[R] E[M], V = V0 + E[R] Var(M) + Var(R) E[M]^2.
 */
export function withRegressions(base: AttemptMoments, chain: RegressionMoments, newBug: AttemptMoments): AttemptMoments {
  return {
    mean: base.mean + chain.expectedNewBugs * newBug.mean,
    variance:
      base.variance + chain.expectedNewBugs * newBug.variance + chain.newBugVariance * newBug.mean * newBug.mean,
  };
}
