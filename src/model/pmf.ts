/**
 * Distributions of counts of a run (fix attempts, requests) below a limit: where the closed forms
 * need P(T = t) for small t only (a long-context tier's threshold, a context window), the PMF of
 * a sum of independent counts is their convolution, and everything at or above the limit can be
 * dropped exactly.
 */
import type { BugCount, ModelSpec } from "../scenario/types.js";
import { countPmf, exactClasses } from "./counts.js";

/** (a * b)(t) for t < limit. */
export function convolve(a: Float64Array, b: Float64Array, limit: number): Float64Array {
  const out = new Float64Array(Math.min(limit, a.length + b.length - 1));
  for (let i = 0; i < a.length && i < out.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; j < b.length && i + j < out.length; j++) out[i + j] += ai * b[j]!;
  }
  return out;
}

/** a^{*k}, the PMF of a sum of k independent copies, for t < limit (binary powers). */
export function convolutionPower(a: Float64Array, k: number, limit: number): Float64Array {
  let result: Float64Array = Float64Array.of(1);
  let power = a.length > limit ? a.subarray(0, limit) : a;
  for (let n = k; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) result = convolve(result, power, limit);
    if (n > 1) power = convolve(power, power, limit);
  }
  return result;
}

/** P(X = i) = P(X >= i) - P(X >= i + 1) from a count's survival P(X >= i), i = 1..limit (index i - 1). */
export function pmfFromSurvival(atLeast: Float64Array): Float64Array {
  const pmf = new Float64Array(atLeast.length + 1);
  pmf[0] = 1 - (atLeast[0] ?? 0);
  for (let i = 1; i <= atLeast.length; i++) pmf[i] = atLeast[i - 1]! - (atLeast[i] ?? 0);
  return pmf.subarray(0, atLeast.length);
}

/**
 * The PMF below `limit` of a run's total over its bugs, each bug's count having PMF `easy` or
 * `hard` by its class: exact assignment, easy^{*e} * hard^{*h}; binomial, the mixture to the
 * q-th power; a random count, the mixture's powers weighted by P(q).
 */
export function runPmf(generator: ModelSpec, easy: Float64Array, hard: Float64Array, limit: number): Float64Array {
  const phi = generator.hardFraction;
  const count: BugCount = generator.bugs;
  const exact = exactClasses(generator);
  if (exact) return convolve(convolutionPower(easy, exact.easy, limit), convolutionPower(hard, exact.hard, limit), limit);
  const mix = new Float64Array(Math.min(limit, Math.max(easy.length, hard.length)));
  for (let i = 0; i < mix.length; i++) mix[i] = (1 - phi) * (easy[i] ?? 0) + phi * (hard[i] ?? 0);
  if (count.kind === "fixed") return convolutionPower(mix, count.count, limit);
  const weights = countPmf(count);
  const out = new Float64Array(limit);
  let power: Float64Array = Float64Array.of(1);
  for (let q = 0; q < weights.length; q++) {
    for (let i = 0; i < power.length; i++) out[i] += weights[q]! * power[i]!;
    power = convolve(power, mix, limit);
  }
  return out;
}

/** P(total >= limit) = 1 - sum_{t < limit} P(t). */
export function probabilityAtLeast(pmfBelow: Float64Array): number {
  let mass = 0;
  for (const p of pmfBelow) mass += p;
  return Math.max(0, 1 - mass);
}
