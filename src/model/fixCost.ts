/**
 * Expected tokens and cost of a one-rung fix phase (docs/model.md, section 4): one fixer, the classic formulas.
 *
 * Symbols: L1 = prompt + generation (`handoffTokens`), Delta = G + E per attempt
 * (`contextGrowth`). Attempt 1 of a conversation reads L1 new tokens; attempt t >= 2 reads
 * Delta new and L1 + (t-2) Delta cached.
 */
import type { AttemptMoments } from "./attempts.js";
import type { RateAttempts } from "./rates.js";

/** Expected fix-phase token counts, before prices. */
export interface FixTokens {
  /** input tokens new to the cache (paid at the cache-write price) */
  inputNew: number;
  /** input tokens read from the cache (paid at the cache-read price) */
  inputCached: number;
  output: number;
}

/** No tokens: a fresh object each call (callers add into it). */
export const noTokens = (): FixTokens => ({ inputNew: 0, inputCached: 0, output: 0 });

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
 * c x m, where a zero coefficient adds nothing even to an infinite moment: with Delta = 0 the
 * cost needs no second moment of the attempts, which a beta rate with 1 < a <= 2 makes infinite
 * (0 x Infinity would be NaN).
 */
export function times(coefficient: number, moment: number): number {
  return coefficient === 0 ? 0 : coefficient * moment;
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
    inputCached: (I - 1) * L1 + times(contextGrowth, V + I * I - 3 * I + 2) / 2,
    output: shape.meanFixOutput * I,
  };
}

/**
 * One bug in a conversation of its own, fixed with a fixed probability p per attempt and no
 * bound, its k-th error trace scaled by x^(k-1) with x = 1 + g:
 * new = L1 + G (1-p)/p + E S1, cached = L1 (1-p)/p + G (1-p)^2/p^2 + E S1 (1-p)/p, output = G/p,
 * where S1 = E[sum_{k=1}^{N-1} x^(k-1)] = (1-p)/(1 - (1-p) x) = (1-p)/(p - g (1-p)), which is (1-p)/p when g = 0.
 */
export function freshBugTokens(p: number, shape: TokenShape, errorGrowth: number): FixTokens {
  const L1 = shape.handoffTokens;
  // (1-p)/p and 1 - (1-p) x = p - g (1-p), not 1/p - 1 and 1 - (1-p)(1+g): 1 - p is exact, and the
  // differences lost the digits of a p near 1 or a growth near its bound (an audit: 1e-4 and 1e-6)
  const retries = (1 - p) / p;
  const growthSum = errorGrowth === 0 ? retries : (1 - p) / (p - errorGrowth * (1 - p));
  return {
    inputNew: L1 + shape.meanFixOutput * retries + shape.meanErrorTrace * growthSum,
    inputCached: L1 * retries + shape.meanFixOutput * (((1 - p) * (1 - p)) / (p * p)) + shape.meanErrorTrace * growthSum * retries,
    output: shape.meanFixOutput * (1 / p),
  };
}

/**
 * One bug in a conversation of its own from its attempt moments (any rate, bounded or not, no
 * growth): with N attempts, new = L1 + Delta E[N-1], cached = L1 E[N-1] + Delta E[(N-1)(N-2)/2],
 * output = G E[N].
 */
export function freshMomentTokens(n: RateAttempts, shape: TokenShape): FixTokens {
  const L1 = shape.handoffTokens;
  const delta = shape.meanFixOutput + shape.meanErrorTrace;
  const retries = n.mean - 1;
  return { inputNew: L1 + delta * retries, inputCached: L1 * retries + times(delta, n.retryPairs), output: shape.meanFixOutput * n.mean };
}

/** Fresh mode sums its bugs: expected easy bugs x one easy bug + expected hard bugs x one hard bug. */
export function sumBugTokens(easyBugs: number, easy: FixTokens, hardBugs: number, hard: FixTokens): FixTokens {
  // a class with no bugs adds nothing, even where one of its bugs would cost infinitely much
  const term = (bugs: number, x: number) => (bugs === 0 ? 0 : bugs * x);
  const sum = (key: keyof FixTokens) => term(easyBugs, easy[key]) + term(hardBugs, hard[key]);
  return { inputNew: sum("inputNew"), inputCached: sum("inputCached"), output: sum("output") };
}

/** A's tokens + weight x B's. */
export function addTokens(a: FixTokens, b: FixTokens, weight = 1): FixTokens {
  if (weight === 0) return a;
  return { inputNew: a.inputNew + weight * b.inputNew, inputCached: a.inputCached + weight * b.inputCached, output: a.output + weight * b.output };
}

/** The three prices that apply to a fixer's tokens, $ per token. */
export interface TokenPrices {
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

/**
 * Prices tokens: cacheWrite x new + cacheRead_eff x cached + output price x output, where
 * cacheRead_eff = h cacheRead + (1-h) cacheWrite (h = 1 with no cache expiry): the expired share
 * (1-h) of the cached tokens is paid as new input, so the breakdown's "cached" is what was really
 * read from the cache. (cacheRead = alpha c_in and cacheWrite = w c_in by default, section 9.)
 */
export function priceFixTokens(tokens: FixTokens, price: TokenPrices, hitProbability = 1): FixCost {
  return {
    // (free cached reads that always hit leave the cached tokens, which may be infinite, at no cost)
    fixInputNew: price.cacheWrite * (tokens.inputNew + times(1 - hitProbability, tokens.inputCached)),
    fixInputCached: times(hitProbability * price.cacheRead, tokens.inputCached),
    fixOutput: price.output * tokens.output,
  };
}
