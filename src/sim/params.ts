/**
 * The flat, numbers-only description of one (strategy, context) that a worker simulates, built on
 * the main thread by compile.ts; cheap to send to a worker. This module imports nothing, so a
 * worker loads only what it runs.
 */

export const DistKind = { Constant: 0, Uniform: 1, Lognormal: 2, Empirical: 3 } as const;
export type DistKind = (typeof DistKind)[keyof typeof DistKind];

/** constant: a = value; uniform: a = min, b = max - min; lognormal: a = mu, b = sigma; empirical: values. */
export interface DistParams {
  kind: DistKind;
  a: number;
  b: number;
  values: number[];
}

export interface SimParams {
  fresh: boolean;
  generationCost: number;
  generationSeconds: number;
  /** fixer prices, $ per token, and the cache multipliers alpha (read) and w (write) */
  inputPrice: number;
  outputPrice: number;
  readMultiplier: number;
  writeMultiplier: number;
  /** L1 = prompt + generation */
  handoffTokens: number;
  bugCount: number;
  /** exact assignment: this many of the bugs are hard */
  hardBugs: number;
  binomial: boolean;
  hardFraction: number;
  fixEasy: number;
  fixHard: number;
  fixOutput: DistParams;
  errorTrace: DistParams;
  errorGrowth: number;
  /** Infinity when the cache never expires */
  ttlSeconds: number;
  timed: boolean;
  fixTtftSeconds: number;
  fixSecondsPerToken: number;
  toolSeconds: DistParams;
  /** 0 when the fixer causes no regressions */
  regressionProbability: number;
  poissonOffspring: boolean;
  regressionHardFraction: number;
  /** Infinity when uncapped */
  maxAttemptsPerBug: number;
  maxAttemptsPerRun: number;
}

/**
 * True when the fast path (attempt counts by inversion, priced from the counts) gives the
 * scenario's exact cost distribution: constant tokens, no time, expiry, regressions or caps.
 */
export function fastPathApplies(p: SimParams): boolean {
  return (
    p.fixOutput.kind === DistKind.Constant &&
    p.errorTrace.kind === DistKind.Constant &&
    p.errorGrowth === 0 &&
    p.ttlSeconds === Infinity &&
    !p.timed &&
    p.regressionProbability === 0 &&
    p.maxAttemptsPerBug === Infinity &&
    p.maxAttemptsPerRun === Infinity
  );
}
