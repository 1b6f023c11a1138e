/**
 * The flat, numbers-only description of one (strategy, context) that a worker simulates.
 * Compiled once on the main thread from the normalized scenario; cheap to send to a worker.
 */
import { lognormalParameters } from "../model/lognormal.js";
import type { Context, Distribution, Scenario, Strategy } from "../scenario/types.js";

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

export function distParams(d: Distribution): DistParams {
  switch (d.kind) {
    case "constant":
      return { kind: DistKind.Constant, a: d.value, b: 0, values: [] };
    case "uniform":
      return { kind: DistKind.Uniform, a: d.min, b: d.max - d.min, values: [] };
    case "lognormal": {
      if (d.cv === 0) return { kind: DistKind.Constant, a: d.mean, b: 0, values: [] };
      const { mu, sigma } = lognormalParameters(d.mean, d.cv);
      return { kind: DistKind.Lognormal, a: mu, b: sigma, values: [] };
    }
    case "empirical":
      return { kind: DistKind.Empirical, a: 0, b: 0, values: [...d.values] };
  }
}

const ZERO: DistParams = { kind: DistKind.Constant, a: 0, b: 0, values: [] };

export function compileParams(scenario: Scenario, strategy: Strategy, context: Context): SimParams {
  const gen = scenario.models[strategy.generator]!;
  const fix = scenario.models[strategy.fixer]!;
  const { tokens, caching, limits } = scenario;
  const regress = fix.regressions;
  return {
    fresh: context === "fresh",
    generationCost: gen.inputPrice * tokens.prompt + gen.outputPrice * tokens.generation,
    generationSeconds: gen.speed ? gen.speed.ttftSeconds + tokens.generation / gen.speed.outputTokensPerSecond : 0,
    inputPrice: fix.inputPrice,
    outputPrice: fix.outputPrice,
    readMultiplier: caching.readMultiplier,
    writeMultiplier: caching.writeMultiplier,
    handoffTokens: tokens.prompt + tokens.generation,
    bugCount: gen.bugCount,
    hardBugs: Math.round(gen.bugCount * gen.hardFraction),
    binomial: gen.assignment === "binomial",
    hardFraction: gen.hardFraction,
    fixEasy: fix.fixEasy,
    fixHard: fix.fixHard,
    fixOutput: distParams(tokens.fixOutput),
    errorTrace: distParams(tokens.errorTrace),
    errorGrowth: tokens.errorGrowth,
    ttlSeconds: caching.ttlSeconds ?? Infinity,
    timed: gen.speed !== null || fix.speed !== null || scenario.toolSeconds !== null,
    fixTtftSeconds: fix.speed?.ttftSeconds ?? 0,
    fixSecondsPerToken: fix.speed ? 1 / fix.speed.outputTokensPerSecond : 0,
    toolSeconds: scenario.toolSeconds ? distParams(scenario.toolSeconds) : ZERO,
    regressionProbability: regress?.probability ?? 0,
    poissonOffspring: regress?.offspring === "poisson",
    regressionHardFraction: regress?.hardFraction ?? 0,
    maxAttemptsPerBug: limits.maxAttemptsPerBug ?? Infinity,
    maxAttemptsPerRun: limits.maxAttemptsPerRun ?? Infinity,
  };
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
