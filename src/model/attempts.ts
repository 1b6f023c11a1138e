/**
 * How many fix attempts bugs take (docs/model.md, section 3, and the regressions row of section 5).
 *
 * A bug fixed with probability p per attempt takes N ~ Geometric(p) attempts on {1, 2, ...}.
 */

/** E[N] = 1/p */
export function expectedAttempts(p: number): number {
  return 1 / p;
}

/** Var(N) = (1-p)/p^2 */
export function attemptVariance(p: number): number {
  return (1 - p) / (p * p);
}

/** E[(N-1)(N-2)/2] = (1-p)^2/p^2: the context increments a bug's own retries read from cache. */
export function expectedRetryPairs(p: number): number {
  return ((1 - p) * (1 - p)) / (p * p);
}

/** Mean and variance of the attempts of one bug that is hard with probability hardFraction. */
export interface AttemptMoments {
  mean: number;
  variance: number;
}

/**
 * One bug, hard with probability phi: mean (1-phi) me + phi mh and, by the law of total variance,
 * (1-phi) ve + phi vh + phi (1-phi) (mh - me)^2, with m = 1/p and v = (1-p)/p^2.
 */
export function mixtureAttempts(hardFraction: number, fixEasy: number, fixHard: number): AttemptMoments {
  const me = expectedAttempts(fixEasy);
  const mh = expectedAttempts(fixHard);
  const phi = hardFraction;
  return {
    mean: (1 - phi) * me + phi * mh,
    variance:
      (1 - phi) * attemptVariance(fixEasy) + phi * attemptVariance(fixHard) + phi * (1 - phi) * (mh - me) ** 2,
  };
}

/**
 * The total attempts T of q bugs, a fraction phi hard:
 * I = q((1-phi)/pe + phi/ph) and V = q((1-phi) ve + phi vh) when exactly q*phi are hard;
 * binomial assignment (each bug hard with probability phi) adds the between-class term
 * q phi (1-phi) (mh - me)^2.
 */
export function bugSetAttempts(
  count: number,
  hardFraction: number,
  assignment: "exact" | "binomial",
  fixEasy: number,
  fixHard: number,
): AttemptMoments {
  const phi = hardFraction;
  const mix = mixtureAttempts(phi, fixEasy, fixHard);
  const between = phi * (1 - phi) * (expectedAttempts(fixHard) - expectedAttempts(fixEasy)) ** 2;
  return {
    mean: count * mix.mean,
    variance: count * (assignment === "binomial" ? mix.variance : mix.variance - between),
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
