/**
 * Compiling a (strategy, context) of the normalized scenario into the SimParams a worker runs.
 * Costs and call times come from the model's own functions, so simulator and closed form price
 * the generation call identically.
 */
import { lognormalParameters } from "../model/lognormal.js";
import { threshold, windowLimit } from "../model/ladder.js";
import { generationCost } from "../model/prices.js";
import { callSeconds, expiringTtl, timeLimit } from "../model/timing.js";
import { hasTimeModel } from "../scenario/clock.js";
import { rungRates, strategyModels } from "../scenario/ladder.js";
import type { Context, Distribution, FixRate, ModelSpec, Scenario, Strategy } from "../scenario/types.js";
import { CountKind, DistKind, RungKind, type DistParams, type ModelParams, type RateParams, type RungParams, type SimParams } from "./params.js";

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

function modelParams(m: ModelSpec): ModelParams {
  const price = m.price;
  const tier = price.longContext;
  const regress = m.regressions;
  return {
    name: m.name,
    cacheWrite: price.cacheWrite,
    cacheRead: price.cacheRead,
    output: price.output,
    // a tier the window cannot reach is never paid (section 9), not even by a compaction, which
    // reads the conversation that no longer fits
    above: threshold(m),
    tierCacheWrite: tier?.cacheWrite ?? price.cacheWrite,
    tierCacheRead: tier?.cacheRead ?? price.cacheRead,
    tierOutput: tier?.output ?? price.output,
    caches: price.caches,
    window: windowLimit(m),
    ttftSeconds: m.speed?.ttftSeconds ?? 0,
    secondsPerToken: m.speed ? 1 / m.speed.outputTokensPerSecond : 0,
    regressionProbability: regress?.probability ?? 0,
    poissonOffspring: regress?.offspring === "poisson",
    regressionHardFraction: regress?.hardFraction ?? 0,
  };
}

function rateParams(r: FixRate): RateParams {
  return r.kind === "fixed" ? { beta: false, p: r.p, a: 0, b: 0 } : { beta: true, p: NaN, a: r.a, b: r.b };
}

/**
 * Whether the order of an exact assignment's bugs can change a run's cost (section 8): ladders in
 * shared context, error-trace growth in shared context (a bug's later, larger traces are reread by
 * every bug after it), caps and context windows.
 */
export function orderMatters(scenario: Scenario, strategy: Strategy, context: Context): boolean {
  return (
    (context === "shared" && (strategy.ladder.length > 1 || scenario.tokens.errorGrowth > 0)) ||
    scenario.limits.maxAttemptsPerRun !== null ||
    strategy.ladder.some((r) => scenario.models[r.model]!.contextWindow !== null)
  );
}

export function compileParams(scenario: Scenario, strategy: Strategy, context: Context): SimParams {
  const names = strategyModels(strategy);
  const index = (name: string) => names.indexOf(name);
  const gen = scenario.models[strategy.generator]!;
  const { tokens, limits } = scenario;
  // Rate sources: a model's own rate per class is shared by its rungs; a rung's own rates are its own.
  const rates: RateParams[] = [];
  const own = new Map<string, number>();
  const source = (key: string, rate: FixRate) => {
    if (!own.has(key)) {
      own.set(key, rates.length);
      rates.push(rateParams(rate));
    }
    return own.get(key)!;
  };
  const rungs: RungParams[] = strategy.ladder.map((rung, k): RungParams => {
    if (rung.kind === "consult") return { kind: RungKind.Consult, model: index(rung.model), attempts: 1, easyRate: -1, hardRate: -1, output: rung.output };
    const r = rungRates(scenario.models, rung);
    const prefix = rung.fix ? `rung ${k}` : `model ${rung.model}`;
    return {
      kind: RungKind.Fix,
      model: index(rung.model),
      attempts: rung.attempts ?? Infinity,
      easyRate: source(`${prefix} easy`, r.easy),
      hardRate: source(`${prefix} hard`, r.hard),
      output: 0,
    };
  });
  const count = gen.bugs;
  const ttl = expiringTtl(scenario, strategy);
  const negbinR = count.kind === "negbinomial" ? (count.mean * count.mean) / (count.variance - count.mean) : 0;
  return {
    fresh: context === "fresh",
    generator: index(gen.name),
    generationCost: generationCost(scenario, gen),
    generationSeconds: callSeconds(gen, tokens.generation),
    generationInput: tokens.prompt,
    generationOutput: tokens.generation,
    models: names.map((n) => modelParams(scenario.models[n]!)),
    rungs,
    rates,
    handoffTokens: tokens.prompt + tokens.generation,
    countKind: count.kind === "fixed" ? CountKind.Fixed : count.kind === "poisson" ? CountKind.Poisson : CountKind.NegativeBinomial,
    bugCount: count.kind === "fixed" ? count.count : count.mean,
    countR: negbinR,
    countP: count.kind === "negbinomial" ? negbinR / (negbinR + count.mean) : 0,
    hardBugs: count.kind === "fixed" ? Math.round(count.count * gen.hardFraction) : 0,
    binomial: gen.assignment === "binomial",
    hardFraction: gen.hardFraction,
    randomOrder: gen.assignment === "exact" && orderMatters(scenario, strategy, context),
    fixOutput: distParams(tokens.fixOutput),
    errorTrace: distParams(tokens.errorTrace),
    errorGrowth: tokens.errorGrowth,
    ttlSeconds: ttl === null ? Infinity : timeLimit(ttl),
    timed: hasTimeModel(scenario, strategy),
    toolSeconds: scenario.toolSeconds ? distParams(scenario.toolSeconds) : ZERO,
    maxAttemptsPerBug: limits.maxAttemptsPerBug ?? Infinity,
    maxAttemptsPerRun: limits.maxAttemptsPerRun ?? Infinity,
    compactionSummary: scenario.compaction?.summary ?? -1,
  };
}
