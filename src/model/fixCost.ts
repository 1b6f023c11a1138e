/**
 * Expected tokens and cost of the fix phase (docs/model.md, section 4).
 *
 * Symbols: L1 = prompt + generation (`handoffTokens`), Delta = G + E per attempt
 * (`contextGrowth`), alpha the cache-read multiplier, w the cache-write multiplier.
 * Attempt 1 of a conversation reads L1 new tokens; attempt t >= 2 reads Delta new and
 * L1 + (t-2) Delta cached.
 */
import { expectedAttempts, expectedRetryPairs, type AttemptMoments } from "./attempts.js";

/** Expected fix-phase token counts, before prices. */
export interface FixTokens {
  /** input tokens new to the cache (paid at w) */
  inputNew: number;
  /** input tokens read from the cache (paid at alpha) */
  inputCached: number;
  output: number;
}

/** Expected fix-phase cost in $, split as the breakdown reports it. */
export interface FixCost {
  fixInputNew: number;
  fixInputCached: number;
  fixOutput: number;
}

export interface TokenShape {
  /** L1 */
  handoffTokens: number;
  /** E[G] */
  meanFixOutput: number;
  /** E[E] */
  meanErrorTrace: number;
}

/**
 * One conversation over all attempts, T of them with E[T] = I and Var(T) = V (T >= 1):
 * new = L1 + (I-1) Delta, cached = (I-1) L1 + Delta (V + I^2 - 3I + 2)/2, output = G I.
 * The I^2 term is the cross-bug context growth penalty.
 */
export function sharedFixTokens(attempts: AttemptMoments, shape: TokenShape): FixTokens {
  const I = attempts.mean;
  const V = attempts.variance;
  const L1 = shape.handoffTokens;
  const contextGrowth = shape.meanFixOutput + shape.meanErrorTrace;
  return {
    inputNew: L1 + (I - 1) * contextGrowth,
    inputCached: (I - 1) * L1 + (contextGrowth * (V + I * I - 3 * I + 2)) / 2,
    output: shape.meanFixOutput * I,
  };
}

/**
 * One bug in a conversation of its own, fixed with probability p per attempt, its k-th
 * error trace scaled by x^(k-1) with x = 1 + g:
 * new = L1 + G (1-p)/p + E S1, cached = L1 (1-p)/p + G (1-p)^2/p^2 + E S1 (1-p)/p, output = G/p,
 * where S1 = E[sum_{k=1}^{N-1} x^(k-1)] = (1-p)/(1 - (1-p) x), which is (1-p)/p when g = 0.
 */
export function freshBugTokens(p: number, shape: TokenShape, errorGrowth: number): FixTokens {
  const L1 = shape.handoffTokens;
  const retries = expectedAttempts(p) - 1;
  const growthSum = errorGrowth === 0 ? retries : (1 - p) / (1 - (1 - p) * (1 + errorGrowth));
  return {
    inputNew: L1 + shape.meanFixOutput * retries + shape.meanErrorTrace * growthSum,
    inputCached: L1 * retries + shape.meanFixOutput * expectedRetryPairs(p) + shape.meanErrorTrace * growthSum * retries,
    output: shape.meanFixOutput * expectedAttempts(p),
  };
}

/** Fresh mode sums its bugs: expected easy bugs x one easy bug + expected hard bugs x one hard bug. */
export function freshFixTokens(
  expectedEasyBugs: number,
  expectedHardBugs: number,
  fixEasy: number,
  fixHard: number,
  shape: TokenShape,
  errorGrowth: number,
): FixTokens {
  const easy = freshBugTokens(fixEasy, shape, errorGrowth);
  const hard = freshBugTokens(fixHard, shape, errorGrowth);
  const sum = (key: keyof FixTokens) => expectedEasyBugs * easy[key] + expectedHardBugs * hard[key];
  return { inputNew: sum("inputNew"), inputCached: sum("inputCached"), output: sum("output") };
}

/**
 * Prices tokens: c_in w new + c_in alpha_eff cached + c_out output, where alpha_eff = h alpha + (1-h) w
 * (h = 1 with no cache expiry). The expired share (1-h) of the cached tokens is paid as new input,
 * so the breakdown's "cached" is what was really read from the cache.
 */
export function priceFixTokens(
  tokens: FixTokens,
  inputPrice: number,
  outputPrice: number,
  readMultiplier: number,
  writeMultiplier: number,
  hitProbability = 1,
): FixCost {
  return {
    fixInputNew: writeMultiplier * inputPrice * (tokens.inputNew + (1 - hitProbability) * tokens.inputCached),
    fixInputCached: hitProbability * readMultiplier * inputPrice * tokens.inputCached,
    fixOutput: outputPrice * tokens.output,
  };
}
