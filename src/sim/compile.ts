/**
 * Compiling a (strategy, context) of the normalized scenario into the SimParams a worker runs.
 * Costs and call times come from the model's own functions, so simulator and closed form price
 * the generation call identically.
 */
import { lognormalParameters } from "../model/lognormal.js";
import { generationCost } from "../model/strategy.js";
import { callSeconds, hasTimeModel } from "../model/timing.js";
import type { Context, Distribution, Scenario, Strategy } from "../scenario/types.js";
import { DistKind, type DistParams, type SimParams } from "./params.js";

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
    generationCost: generationCost(scenario, gen),
    generationSeconds: callSeconds(gen, tokens.generation),
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
    timed: hasTimeModel(scenario, gen, fix),
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
