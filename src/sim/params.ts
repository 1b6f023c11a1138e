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

/** One model as the kernel prices and times its requests: $ per token, seconds. */
export interface ModelParams {
  name: string;
  /** base tier: new tokens (written to the cache), cached tokens (read), output */
  cacheWrite: number;
  cacheRead: number;
  output: number;
  /** long-context tier: a request whose input exceeds `above` (Infinity: no tier) is priced at these */
  above: number;
  tierCacheWrite: number;
  tierCacheRead: number;
  tierOutput: number;
  /** false: its input is booked as uncached input in the breakdown */
  caches: boolean;
  /** tokens a request may read (Infinity: no window) */
  window: number;
  ttftSeconds: number;
  secondsPerToken: number;
  /** regressions of this model's fixes: 0 when none */
  regressionProbability: number;
  poissonOffspring: boolean;
  regressionHardFraction: number;
}

/** A fix probability: fixed p, or Beta(a, b) drawn once per bug. */
export interface RateParams {
  beta: boolean;
  p: number;
  a: number;
  b: number;
}

export const RungKind = { Fix: 0, Consult: 1 } as const;
export type RungKind = (typeof RungKind)[keyof typeof RungKind];

/** One rung: its model (index into models), its bound, its rate sources (indexes into rates) or its output. */
export interface RungParams {
  kind: RungKind;
  model: number;
  /** fixer rung: attempts at most (Infinity: unbounded) */
  attempts: number;
  /** fixer rung: the rate source of an easy / a hard bug */
  easyRate: number;
  hardRate: number;
  /** consult rung: tokens of advice */
  output: number;
}

export const CountKind = { Fixed: 0, Poisson: 1, NegativeBinomial: 2 } as const;
export type CountKind = (typeof CountKind)[keyof typeof CountKind];

export interface SimParams {
  fresh: boolean;
  /** the generator (index into models), and its call: $ (tier applied), seconds, tokens */
  generator: number;
  generationCost: number;
  generationSeconds: number;
  generationInput: number;
  generationOutput: number;
  /** every model the strategy uses */
  models: ModelParams[];
  rungs: RungParams[];
  /** rate sources: a model's own rate per class, or a rung's own (section 10's "drawn once per bug") */
  rates: RateParams[];
  /** L1 = prompt + generation */
  handoffTokens: number;
  countKind: CountKind;
  /** fixed: the count; poisson: the mean; negative binomial: r and p of stdlib's (failures before r successes) */
  bugCount: number;
  countR: number;
  countP: number;
  /** exact assignment: this many of the bugs are hard */
  hardBugs: number;
  binomial: boolean;
  hardFraction: number;
  /** exact assignment: draw the bugs' order (where order can change the cost) rather than hard bugs first */
  randomOrder: boolean;
  fixOutput: DistParams;
  errorTrace: DistParams;
  errorGrowth: number;
  /** the cache lifetime as gaps are compared with it (timeLimit: a gap of exactly the TTL hits); Infinity when the cache never expires */
  ttlSeconds: number;
  timed: boolean;
  toolSeconds: DistParams;
  /** Infinity when uncapped */
  maxAttemptsPerBug: number;
  maxAttemptsPerRun: number;
  /** summary tokens of a compaction; -1: none (a run that reaches a window stops) */
  compactionSummary: number;
}

/**
 * True when the fast path (attempt counts by inversion, priced from the counts) gives the
 * scenario's exact cost distribution: one unbounded fixer rung with fixed rates, a fixed bug count,
 * constant tokens, no time, expiry, regressions or caps. Long-context tiers and windows are
 * handled there by replaying the runs that reach them request by request; the bugs' order does
 * not change a shared run's cost (it depends on the total attempts only), nor a fresh run's unless
 * it stops at a window, and such a run's bugs are shuffled before the replay.
 */
export function fastPathApplies(p: SimParams): boolean {
  return FAST_PATH_BLOCKERS.every((b) => !b.blocks(p));
}

/** What keeps a strategy off the fast path, by the names of the extensions (scenario/extensions.ts) that bring it. */
export function fastPathBlockers(p: SimParams): string[] {
  return FAST_PATH_BLOCKERS.filter((b) => b.blocks(p)).map((b) => b.extension);
}

/** fastPathApplies's conditions, one per extension; the first rung's rates and fixer where it is one fixer rung. */
const FAST_PATH_BLOCKERS: readonly { extension: string; blocks: (p: SimParams) => boolean }[] = [
  { extension: "fix ladders", blocks: (p) => p.rungs.length !== 1 || p.rungs[0]!.kind !== RungKind.Fix || p.rungs[0]!.attempts !== Infinity },
  { extension: "beta fix rates", blocks: (p) => p.rates[p.rungs[0]!.easyRate]?.beta === true || p.rates[p.rungs[0]!.hardRate]?.beta === true },
  { extension: "random bug counts", blocks: (p) => p.countKind !== CountKind.Fixed },
  { extension: "variable tokens", blocks: (p) => p.fixOutput.kind !== DistKind.Constant || p.errorTrace.kind !== DistKind.Constant },
  { extension: "error-trace growth", blocks: (p) => p.errorGrowth !== 0 },
  { extension: "cache expiry", blocks: (p) => p.ttlSeconds !== Infinity },
  { extension: "time", blocks: (p) => p.timed },
  { extension: "regressions", blocks: (p) => p.models[p.rungs[0]!.model]!.regressionProbability !== 0 },
  { extension: "retry caps", blocks: (p) => p.maxAttemptsPerBug !== Infinity || p.maxAttemptsPerRun !== Infinity },
];
