/**
 * Fix rates and hard fractions by maximum likelihood: a two-class mixture of geometrics with
 * censoring, fitted by EM (docs/model.md, sections 3 and 11).
 *
 * A bug left by generator g is hard with probability phi_g. Every fix attempt on it by rate source
 * s (a fixer model) succeeds with probability p_s,c for the bug's class c, independently given the
 * class, and one class holds for every source that works on the bug: a hard bug is hard for every
 * fixer on a ladder. A bug with F_s failed attempts by source s and S_s in {0, 1} fixes by it has
 *
 *   L(c) = prod_s (1 - p_s,c)^F_s p_s,c^S_s,     L = (1 - phi_g) L(easy) + phi_g L(hard).
 *
 * A bug still open after its last attempt (a retry cap, a bounded last rung, a run that stopped)
 * has S_s = 0 for every s: its L is the probability of surviving its attempts, a censored
 * observation. The stopping rules look only at attempts already made, so they do not enter L.
 *
 * Bugs with the same generator and the same (F_s, S_s) for every s have the same likelihood, so the
 * data are patterns with counts (a bootstrap replicate only changes the counts).
 *
 * EM: with w = P(hard | bug) = phi_g L(hard) / L (the E step), the M step is
 *
 *   phi_g = sum_{bugs of g} n w / sum_{bugs of g} n,
 *   p_s,hard = sum n w S_s / sum n w (S_s + F_s),    p_s,easy the same with 1 - w,
 *
 * each the share of fixes among the attempts expected in that class. "Hard" is the class whose
 * rate, pooled over the sources, is lower (label switching).
 */

import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

export interface MixtureData {
  /** S: rate sources (fixer models) */
  sources: number;
  /** G: generators */
  generators: number;
  /** K patterns: each pattern's generator */
  generator: Int32Array;
  /** K x S, pattern-major: failed attempts of source s on a bug of the pattern */
  failures: Float64Array;
  /** K x S: 1 if source s fixed such a bug, else 0 */
  fixes: Float64Array;
}

export interface MixtureParams {
  /** phi_g */
  phi: Float64Array;
  /** p_s,easy and p_s,hard */
  easy: Float64Array;
  hard: Float64Array;
}

export interface MixtureFit {
  /** the estimates; null where the data say nothing (no bugs of g, no attempts expected in a class) */
  phi: (number | null)[];
  easy: (number | null)[];
  hard: (number | null)[];
  /** the parameters as fitted, for a warm start */
  params: MixtureParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** true when a second class does not raise the likelihood: phi = 0 and no hard rates */
  oneClass: boolean;
  /**
   * 2 (log L of the two-class fit - log L of one class): the likelihood-ratio statistic of a
   * second class, 0 where one class explains the traces exactly as well (see secondClassTest)
   */
  classGain: number;
  /** the parameters a second class adds: a hard fraction per generator with bugs, a hard rate per source with attempts */
  classParameters: number;
  /**
   * Per parameter, whether EM from another start reached the same likelihood at a value further
   * than FLAT_SPREAD away (see flatParameters): the traces do not single it out
   */
  flat: { phi: boolean[]; easy: boolean[]; hard: boolean[] };
}

/**
 * Two EM ends whose log-likelihoods differ by at most this share of it (EM's own convergence
 * noise) explain the traces equally well; if a parameter differs between them by more than
 * FLAT_SPREAD, the likelihood is flat along it, and no value is the estimate. A trace of a
 * ladder with a consult after one attempt is such a case: the bugs fixed at that attempt say
 * nothing of their class, and the hard fraction and the two rates trade off along a ridge (an
 * audit saw EM stop anywhere on it, with bootstrap intervals that held the truth 0 times in 30).
 */
const SAME_LIKELIHOOD = 1e-9;
const FLAT_SPREAD = 1e-3;

/** Which parameters differ by more than FLAT_SPREAD between the best EM end and another of the same likelihood. */
function flatParameters(ends: { params: MixtureParams; logLikelihood: number }[], best: { params: MixtureParams; logLikelihood: number }): MixtureFit["flat"] {
  const same = ends.filter((e) => Math.abs(e.logLikelihood - best.logLikelihood) <= SAME_LIKELIHOOD * (1 + Math.abs(best.logLikelihood)));
  const spread = (key: (typeof KEYS)[number]) => [...best.params[key]].map((x, i) => same.some((e) => Math.abs(e.params[key][i]! - x) > FLAT_SPREAD));
  return { phi: spread("phi"), easy: spread("easy"), hard: spread("hard") };
}

/** log of a probability, floored so that a rate of 0 or 1 gives a very small number, never -Infinity. */
const LOG_FLOOR = 1e-300;
const safeLog = (p: number) => Math.log(p > LOG_FLOOR ? p : LOG_FLOOR);

/** Below this many expected attempts (or bugs) a class says nothing about a rate (or phi). */
const NO_MASS = 1e-9;

/** log L(c) = sum_s F_s log(1 - p_s) + S_s log p_s for pattern k, with 0 log 0 = 0. */
export function classLogLikelihood(data: MixtureData, k: number, rates: Float64Array): number {
  let sum = 0;
  const base = k * data.sources;
  for (let s = 0; s < data.sources; s++) {
    const f = data.failures[base + s]!;
    const x = data.fixes[base + s]!;
    if (f > 0) sum += f * safeLog(1 - rates[s]!);
    if (x > 0) sum += x * safeLog(rates[s]!);
  }
  return sum;
}

/**
 * log L and w = P(hard | pattern) from log L(easy), log L(hard) and phi:
 * log L = m + log(e^(a-m) + e^(b-m)) with a = log(1-phi) + log L(easy), b = log phi + log L(hard).
 */
export function posteriorHard(logEasy: number, logHard: number, phi: number): { logLikelihood: number; hard: number } {
  if (phi <= 0) return { logLikelihood: logEasy, hard: 0 };
  if (phi >= 1) return { logLikelihood: logHard, hard: 1 };
  const a = Math.log(1 - phi) + logEasy;
  const b = Math.log(phi) + logHard;
  const m = Math.max(a, b);
  const ea = Math.exp(a - m);
  const eb = Math.exp(b - m);
  return { logLikelihood: m + Math.log(ea + eb), hard: eb / (ea + eb) };
}

/** Expected counts of one E step: the sufficient statistics of the M step. */
interface Expected {
  logLikelihood: number;
  bugs: Float64Array; // per generator
  hardBugs: Float64Array;
  easyFixes: Float64Array; // per source
  easyAttempts: Float64Array;
  hardFixes: Float64Array;
  hardAttempts: Float64Array;
}

/** The E step over all patterns, with pattern counts n_k. */
export function expectedCounts(data: MixtureData, counts: Float64Array, params: MixtureParams): Expected {
  const { sources: S, generators: G } = data;
  const e: Expected = {
    logLikelihood: 0,
    bugs: new Float64Array(G),
    hardBugs: new Float64Array(G),
    easyFixes: new Float64Array(S),
    easyAttempts: new Float64Array(S),
    hardFixes: new Float64Array(S),
    hardAttempts: new Float64Array(S),
  };
  for (let k = 0; k < counts.length; k++) {
    const n = counts[k]!;
    if (n === 0) continue;
    const g = data.generator[k]!;
    const post = posteriorHard(classLogLikelihood(data, k, params.easy), classLogLikelihood(data, k, params.hard), params.phi[g]!);
    const w = post.hard;
    e.logLikelihood += n * post.logLikelihood;
    e.bugs[g] += n;
    e.hardBugs[g] += n * w;
    for (let s = 0, base = k * S; s < S; s++) {
      const x = data.fixes[base + s]!;
      const tries = x + data.failures[base + s]!;
      if (tries === 0) continue;
      e.hardFixes[s] += n * w * x;
      e.hardAttempts[s] += n * w * tries;
      e.easyFixes[s] += n * (1 - w) * x;
      e.easyAttempts[s] += n * (1 - w) * tries;
    }
  }
  return e;
}

/** The M step: each rate the share of fixes among its class's expected attempts (kept where there are none). */
export function maximize(e: Expected, previous: MixtureParams): MixtureParams {
  const ratio = (num: Float64Array, den: Float64Array, old: Float64Array) => old.map((o, i) => (den[i]! > 0 ? num[i]! / den[i]! : o));
  return {
    phi: ratio(e.hardBugs, e.bugs, previous.phi),
    easy: ratio(e.easyFixes, e.easyAttempts, previous.easy),
    hard: ratio(e.hardFixes, e.hardAttempts, previous.hard),
  };
}

/** Fixes and attempts of each source over all bugs, whatever their class. */
export function sourceTotals(data: MixtureData, counts: Float64Array): { fixes: Float64Array; attempts: Float64Array } {
  const fixes = new Float64Array(data.sources);
  const attempts = new Float64Array(data.sources);
  for (let k = 0; k < counts.length; k++) {
    for (let s = 0, base = k * data.sources; s < data.sources; s++) {
      fixes[s] += counts[k]! * data.fixes[base + s]!;
      attempts[s] += counts[k]! * (data.fixes[base + s]! + data.failures[base + s]!);
    }
  }
  return { fixes, attempts };
}

/** One class: p_s = fixes / attempts of source s, the geometric MLE with censoring (1/2 with no attempts). */
export function oneClassRates(data: MixtureData, counts: Float64Array): Float64Array {
  const { fixes, attempts } = sourceTotals(data, counts);
  return fixes.map((x, s) => (attempts[s]! > 0 ? x / attempts[s]! : 0.5));
}

const KEYS = ["phi", "easy", "hard"] as const;

const maxChange = (a: MixtureParams, b: MixtureParams) => {
  let m = 0;
  for (const key of KEYS) {
    for (let i = 0; i < a[key].length; i++) m = Math.max(m, Math.abs(a[key][i]! - b[key][i]!));
  }
  return m;
};

/** Squared distance between two parameter sets. */
const squaredNorm = (f: (key: (typeof KEYS)[number], i: number) => number, p: MixtureParams) => {
  let sum = 0;
  for (const key of KEYS) for (let i = 0; i < p[key].length; i++) sum += f(key, i) ** 2;
  return sum;
};

export interface EmOptions {
  /** stop when an EM step moves no parameter by more than this */
  tolerance?: number;
  /** EM steps at most */
  maxIterations?: number;
}

const TOLERANCE = 1e-10;
const MAX_ITERATIONS = 20_000;

/**
 * EM from one start, accelerated by SQUAREM (Varadhan and Roland 2008, scheme S3): from theta0 two
 * EM steps give theta1 and theta2; with r = theta1 - theta0 and v = theta2 - 2 theta1 + theta0,
 * the extrapolation theta0 - 2 a r + a^2 v with a = -|r| / |v| (at most -1), followed by one EM
 * step, replaces them when it stays within the parameter space and does not lower the likelihood
 * below theta1's; otherwise theta2 is kept. EM alone creeps when the classes overlap (thousands of
 * steps); the fixed point is the same.
 *
 * Stops when an EM step from the current point moves no parameter by more than the tolerance.
 */
export function runEm(
  data: MixtureData,
  counts: Float64Array,
  start: MixtureParams,
  { tolerance = TOLERANCE, maxIterations = MAX_ITERATIONS }: EmOptions = {},
): { params: MixtureParams; expected: Expected; iterations: number; converged: boolean } {
  let theta0 = start;
  let steps = 0;
  while (steps < maxIterations) {
    const e0 = expectedCounts(data, counts, theta0);
    const theta1 = maximize(e0, theta0);
    steps++;
    if (maxChange(theta1, theta0) <= tolerance) return { params: theta1, expected: expectedCounts(data, counts, theta1), iterations: steps, converged: true };
    const e1 = expectedCounts(data, counts, theta1);
    const theta2 = maximize(e1, theta1);
    steps++;
    const r2 = squaredNorm((k, i) => theta1[k][i]! - theta0[k][i]!, theta0);
    const v2 = squaredNorm((k, i) => theta2[k][i]! - 2 * theta1[k][i]! + theta0[k][i]!, theta0);
    const a = v2 > 0 ? Math.min(-1, -Math.sqrt(r2 / v2)) : -1;
    const jump = (key: (typeof KEYS)[number]) =>
      theta0[key].map((x, i) => x - 2 * a * (theta1[key][i]! - x) + a * a * (theta2[key][i]! - 2 * theta1[key][i]! + x));
    const extrapolated: MixtureParams = { phi: jump("phi"), easy: jump("easy"), hard: jump("hard") };
    const inside =
      KEYS.every((k) => extrapolated[k].every((x) => x >= 0 && x <= 1)) &&
      extrapolated.phi.every((x, g) => (x > 0 && x < 1) || x === theta2.phi[g]);
    theta0 = theta2;
    if (inside) {
      const eJump = expectedCounts(data, counts, extrapolated);
      if (eJump.logLikelihood >= e1.logLikelihood) {
        theta0 = maximize(eJump, extrapolated);
        steps++;
      }
    }
  }
  return { params: theta0, expected: expectedCounts(data, counts, theta0), iterations: steps, converged: false };
}

/**
 * Starting points around the one-class rates p: the easy class fails less often and the hard class
 * fixes less often, by a factor f in {1/2, 1/4, 3/4}: easy = 1 - (1 - p) f, hard = p f.
 */
export function defaultStarts(data: MixtureData, counts: Float64Array): MixtureParams[] {
  const p = oneClassRates(data, counts);
  return [
    [0.5, 0.5],
    [0.25, 0.3],
    [0.75, 0.5],
  ].map(([f, phi]) => ({
    phi: new Float64Array(data.generators).fill(phi!),
    easy: p.map((x) => 1 - (1 - x) * f!),
    hard: p.map((x) => x * f!),
  }));
}

/** Swap the classes so that "hard" is the one with the lower rate pooled over the sources. */
function labelHard(params: MixtureParams, e: Expected): { params: MixtureParams; e: Expected } {
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const pooledEasy = sum(e.easyFixes) / sum(e.easyAttempts);
  const pooledHard = sum(e.hardFixes) / sum(e.hardAttempts);
  if (!(pooledHard > pooledEasy)) return { params, e };
  return {
    params: { phi: params.phi.map((x) => 1 - x), easy: params.hard, hard: params.easy },
    e: {
      ...e,
      hardBugs: e.bugs.map((b, g) => b - e.hardBugs[g]!),
      easyFixes: e.hardFixes,
      easyAttempts: e.hardAttempts,
      hardFixes: e.easyFixes,
      hardAttempts: e.easyAttempts,
    },
  };
}

/**
 * The maximum-likelihood fit: EM from each start (the best likelihood wins), classes labelled,
 * degenerate cases resolved without NaN:
 * - one class explains the data as well as two (no failures at all, say, or every fix rate the
 *   same in both classes), or the hard class holds no bugs: phi = 0, the one-class rates as
 *   "easy", and no hard rate (null);
 * - a source with no attempts expected in a class, or a generator with no bugs: null there.
 */
export function fitMixture(data: MixtureData, counts: Float64Array, starts: MixtureParams[] = defaultStarts(data, counts), options: EmOptions = {}): MixtureFit {
  let best: ReturnType<typeof runEm> | null = null;
  const ends: { params: MixtureParams; logLikelihood: number }[] = [];
  for (const start of starts) {
    const r = runEm(data, counts, start, options);
    if (!best || r.expected.logLikelihood > best.expected.logLikelihood) best = r;
    if (r.converged) ends.push({ params: labelHard(r.params, r.expected).params, logLikelihood: r.expected.logLikelihood });
  }
  const { params, e } = labelHard(best!.params, best!.expected);
  const flat = flatParameters(ends, { params, logLikelihood: e.logLikelihood });
  const oneRates = oneClassRates(data, counts);
  const oneLogLikelihood = expectedCounts(data, counts, {
    phi: new Float64Array(data.generators),
    easy: oneRates,
    hard: oneRates,
  }).logLikelihood;
  const hardBugs = e.hardBugs.reduce((a, b) => a + b, 0);
  const oneClass = e.logLikelihood - oneLogLikelihood <= 1e-9 * (1 + Math.abs(oneLogLikelihood)) || hardBugs < NO_MASS;
  const has = (mass: Float64Array, i: number) => mass[i]! >= NO_MASS;
  const { attempts: sourceAttempts } = sourceTotals(data, counts);
  const classParameters = [...e.bugs].filter((b) => b >= NO_MASS).length + [...sourceAttempts].filter((a) => a >= NO_MASS).length;
  const classGain = Math.max(0, 2 * (e.logLikelihood - oneLogLikelihood));
  const common = { params, logLikelihood: e.logLikelihood, iterations: best!.iterations, converged: best!.converged, flat, classGain, classParameters };
  if (oneClass) {
    const attempts = sourceAttempts;
    return {
      ...common,
      // one class: the one-class rates are the estimate, wherever the two-class ends lie
      flat: { phi: flat.phi.map(() => false), easy: flat.easy.map(() => false), hard: flat.hard.map(() => false) },
      logLikelihood: Math.max(e.logLikelihood, oneLogLikelihood),
      phi: [...e.bugs].map((b) => (b >= NO_MASS ? 0 : null)),
      easy: [...oneRates].map((p, s) => (attempts[s]! >= NO_MASS ? p : null)),
      hard: [...oneRates].map(() => null),
      oneClass: true,
    };
  }
  return {
    ...common,
    phi: [...params.phi].map((p, g) => (has(e.bugs, g) ? p : null)),
    easy: [...params.easy].map((p, s) => (has(e.easyAttempts, s) ? p : null)),
    hard: [...params.hard].map((p, s) => (has(e.hardAttempts, s) ? p : null)),
    oneClass: false,
  };
}

/**
 * Whether the traces reject one class of bugs for two: p = P(X >= classGain) for X chi-square with
 * as many degrees of freedom as a second class adds. A rough yardstick: the likelihood ratio of a
 * mixture's second component is not chi-square (its hard fraction sits on the boundary, and its
 * rates are unidentified there), but it tells a second class that noise alone could give, as
 * one-class traces always give one (an audit: all bugs easy, and fit said hardFraction 0.746,
 * 95% interval 0.20 to 0.92).
 */
export function secondClassTest(fit: Pick<MixtureFit, "classGain" | "classParameters">): { statistic: number; degrees: number; p: number } {
  const degrees = Math.max(1, fit.classParameters);
  return { statistic: fit.classGain, degrees, p: 1 - chisquareCdf(fit.classGain, degrees) };
}
