/**
 * Distributions of counts of a run (fix attempts, requests) below a limit: where the closed forms
 * need P(T = t) for small t only (a long-context tier's threshold, a context window), the PMF of
 * a sum of independent counts is their convolution, and everything at or above the limit can be
 * dropped exactly.
 */
import type { BugCount, ModelSpec } from "../scenario/types.js";
import { countPmf, exactClasses, TAIL } from "./counts.js";

/**
 * (a * b)(t) for t < limit. Trailing zeros (a PMF's tail that underflowed, or a count that cannot
 * reach them) are left out: they add nothing, and the result is as long as what it can hold.
 */
export function convolve(a: Float64Array, b: Float64Array, limit: number): Float64Array {
  const [x, y] = [support(a), support(b)];
  const out = new Float64Array(Math.max(0, Math.min(limit, x.length + y.length - 1)));
  for (let i = 0; i < x.length && i < out.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const n = Math.min(y.length, out.length - i); // the j with i + j < out.length
    for (let j = 0; j < n; j++) out[i + j] += xi * y[j]!;
    multiplyAdds += n;
  }
  for (let k = 0; k < out.length; k++) if (out[k]! < NEGLIGIBLE) out[k] = 0;
  return out;
}

/**
 * Probabilities below this are set to 0 in a convolution's result: the product of two of them
 * would fall into the subnormal range, whose arithmetic is tens of times slower, and all of them
 * together add less than 1e-140 to any sum a closed form takes.
 */
const NEGLIGIBLE = 1e-154;

/** Multiply-adds done by `convolve` on this thread since it started (see convolutionWork). */
let multiplyAdds = 0;

/**
 * The multiply-adds `convolve` has done on this thread so far: the measure of the closed forms'
 * work that varies most (a context window's check can take a second), by which a scan of many
 * closed forms bounds its time (model/crossover.ts). A count, not a clock: the same scan stops at
 * the same point on every machine.
 */
export function convolutionWork(): number {
  return multiplyAdds;
}

/** A PMF without its trailing zeros. */
function support(a: Float64Array): Float64Array {
  let n = a.length;
  while (n > 0 && a[n - 1] === 0) n--;
  return n === a.length ? a : a.subarray(0, n);
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

/**
 * P(X = i) = P(X >= i) - P(X >= i + 1) from a count's survival P(X >= i), i = 1..limit (index
 * i - 1), for i < limit, up to the first i with P(X > i) < TAIL (1e-17): the rest is dropped, as
 * from a bug count's distribution (counts.ts). What a long tail's values would add is below any
 * digit shown, and products of such values fall into the subnormal range, where arithmetic is
 * tens of times slower. The mass dropped only lowers P(R < n) below its true value, so
 * probabilityAtLeast stays an upper bound.
 */
export function pmfFromSurvival(atLeast: Float64Array): Float64Array {
  let n = 0; // P(X = i) for i < n is kept
  while (n < atLeast.length && (n === 0 || atLeast[n - 1]! >= TAIL)) n++;
  const pmf = new Float64Array(n);
  for (let i = 0; i < n; i++) pmf[i] = (i === 0 ? 1 : atLeast[i - 1]!) - (atLeast[i] ?? 0);
  return pmf;
}

/**
 * The PMF below `limit` of a run's total over its bugs, each bug's count having PMF `easy` or
 * `hard` by its class: exact assignment, easy^{*e} * hard^{*h}; binomial, the mixture to the
 * q-th power; a random count, the mixture's powers weighted by P(q). Read only: the same array is
 * returned again for the same inputs (see recentRuns).
 */
export function runPmf(generator: ModelSpec, easy: Float64Array, hard: Float64Array, limit: number): Float64Array {
  const key = JSON.stringify([generator.bugs, generator.hardFraction, generator.assignment, limit]);
  const hit = recentRuns.find((r) => r.key === key && equalArrays(r.easy, easy) && equalArrays(r.hard, hard));
  if (hit) return hit.pmf;
  const pmf = convolveRun(generator, easy, hard, limit);
  recentRuns.unshift({ key, easy: easy.slice(), hard: hard.slice(), pmf });
  recentRuns.length = Math.min(recentRuns.length, RECENT_RUNS);
  return pmf;
}

/**
 * The last few run PMFs with what they were computed from (the generator's count, split and
 * assignment, the limit, and the two bug PMFs, compared entry by entry): a crossover over a key
 * that leaves them as they were, such as a price, convolves them once rather than at every value.
 */
const recentRuns: { key: string; easy: Float64Array; hard: Float64Array; pmf: Float64Array }[] = [];
const RECENT_RUNS = 4;

function equalArrays(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** runPmf's computation. */
function convolveRun(generator: ModelSpec, easy: Float64Array, hard: Float64Array, limit: number): Float64Array {
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

/**
 * Multiply-adds of a run's PMF worth doing, at most: about 0.7 s here (3e8 to 4e8 a second on long
 * PMFs), so that a scenario's few checks, one or two per strategy in shared context, stay within
 * seconds. A window check beyond it uses Markov's bound instead; a tier has no closed form.
 */
export const MAX_PMF_WORK = 2.5e8;

/**
 * The multiply-adds runPmf(generator, easy, hard, limit) takes, worked out from the lengths of the
 * PMFs alone (without their trailing zeros): a convolution of n and m entries takes at most n m
 * and has min(limit, n + m - 1); powers go by squaring, a random count's mixture adds one copy
 * per possible count.
 */
export function runPmfWork(generator: ModelSpec, easy: Float64Array, hard: Float64Array, limit: number): number {
  const length = (n: number, m: number) => Math.min(limit, n + m - 1);
  // convolve's inner loop runs min(m, L - i) times for each i < min(n, L), L the result's length
  const steps = (n: number, m: number) => {
    const L = length(n, m);
    const full = Math.max(0, Math.min(n, L - m + 1)); // the i whose every j lands below L
    const rest = Math.min(n, L) - full; // then L - i for the others: L - full down to L - full - rest + 1
    return full * m + rest * (L - full) - (rest * (rest - 1)) / 2;
  };
  const power = (n: number, k: number): { work: number; length: number } => {
    let work = 0;
    let result = 1;
    let square = Math.min(n, limit);
    for (let r = k; r > 0; r = Math.floor(r / 2)) {
      if (r % 2 === 1) [work, result] = [work + steps(result, square), length(result, square)];
      if (r > 1) [work, square] = [work + steps(square, square), length(square, square)];
    }
    return { work, length: result };
  };
  const [e, h] = [support(easy).length, support(hard).length];
  const exact = exactClasses(generator);
  if (exact) {
    const [pe, ph] = [power(e, exact.easy), power(h, exact.hard)];
    return pe.work + ph.work + steps(pe.length, ph.length);
  }
  const mix = Math.min(limit, Math.max(e, h));
  if (generator.bugs.kind === "fixed") return power(mix, generator.bugs.count).work;
  const counts = countPmf(generator.bugs).length;
  let work = 0;
  let n = 1;
  for (let q = 1; q < counts; q++) [work, n] = [work + steps(n, mix), length(n, mix)];
  return work;
}

/** P(total >= limit) = 1 - sum_{t < limit} P(t). */
export function probabilityAtLeast(pmfBelow: Float64Array): number {
  let mass = 0;
  for (const p of pmfBelow) mass += p;
  return Math.max(0, 1 - mass);
}
