/**
 * Seeded random scenarios in the file's raw shape (docs/model.md section 7 plus the extension keys),
 * always valid input. Shared by the closed-form tests and the simulation tests.
 *
 * - 2 or 3 models, prices in $ per million tokens, bug counts 0..12 with a hardFraction that
 *   gives a whole number of hard bugs (or binomial assignment with any fraction),
 * - fix probabilities in [0.05, 1] (sometimes exactly 1),
 * - caching absent, or random alpha in [0, 1] and w in [1, 1.5],
 * - strategies absent (every ordered pair) or a random non-empty subset,
 * - with `extensions`: regressions on fixers (r < 1), speeds on every model, tool time, cache TTL,
 *   variable fix output / error trace, error-trace growth below the divergence bound, caps.
 */
import seedrandom from "seedrandom";

export interface RandomScenarioOptions {
  /** add the section-5 extension keys at random */
  extensions?: boolean;
  /** trials written to the file (default 1000) */
  trials?: number;
  /** smallest fix probability (default 0.05); simulation tests may want faster runs */
  minFixProbability?: number;
  /** largest bug count (default 12) */
  maxBugs?: number;
  /** allow `limits` among the extensions (default true) */
  limits?: boolean;
}

const MODEL_NAMES = ["strong", "weak", "mid"];

export function randomScenario(seed: number, options: RandomScenarioOptions = {}): Record<string, unknown> {
  const rng = seedrandom.alea(`agentsim-random-${seed}`);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const chance = (p: number) => rng() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const round = (x: number, digits: number) => +x.toFixed(digits);

  const pMin = options.minFixProbability ?? 0.05;
  const maxBugs = options.maxBugs ?? 12;
  const ext = options.extensions ?? false;
  const fixProb = () => (chance(0.1) ? 1 : round(u(pMin, 1), 4));

  const nModels = int(2, 3);
  const names = MODEL_NAMES.slice(0, nModels);
  const models: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const count = int(0, maxBugs);
    const binomial = chance(0.3);
    let hardFraction: number;
    if (binomial || count === 0) hardFraction = round(rng(), 4);
    else hardFraction = int(0, count) / count;
    const input = round(Math.exp(u(Math.log(0.05), Math.log(80))), 3);
    const bugs: Record<string, unknown> = { count, hardFraction };
    if (binomial) bugs.assignment = "binomial";
    else if (chance(0.2)) bugs.assignment = "exact";
    models[name] = {
      price: { input, output: round(input * u(1, 8), 3) },
      bugs,
      fix: { easy: fixProb(), hard: fixProb() },
    };
  }

  const tokens: Record<string, unknown> = {
    prompt: int(100, 20000),
    generation: int(100, 10000),
    fixOutput: int(50, 3000),
    errorTrace: int(0, 3000),
  };
  const raw: Record<string, unknown> = {
    name: `random-${seed}`,
    seed,
    trials: options.trials ?? 1000,
    models,
    tokens,
  };
  if (chance(0.8)) {
    raw.caching = { readMultiplier: round(rng(), 3), writeMultiplier: chance(0.3) ? 1 : round(u(1, 1.5), 3) };
  }
  const contextChoice = rng();
  if (contextChoice < 0.15) raw.contexts = ["shared"];
  else if (contextChoice < 0.3) raw.contexts = ["fresh"];
  else if (contextChoice < 0.45) raw.contexts = ["fresh", "shared"];
  else if (contextChoice < 0.6) raw.contexts = ["shared", "fresh"];
  if (chance(0.5)) {
    const strategies: Record<string, { generator: string; fixer: string }> = {};
    for (const generator of names) {
      for (const fixer of names) {
        if (chance(0.6)) strategies[`${generator}-then-${fixer}`] = { generator, fixer };
      }
    }
    if (Object.keys(strategies).length === 0) strategies.only = { generator: pick(names), fixer: pick(names) };
    raw.strategies = strategies;
  }

  if (ext) addExtensions(raw, names, { u, int, chance, pick, round, rng }, options);
  return raw;
}

interface Rand {
  u: (lo: number, hi: number) => number;
  int: (lo: number, hi: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(xs: readonly T[]) => T;
  round: (x: number, digits: number) => number;
  rng: () => number;
}

function randomDistribution(r: Rand, mean: number): Record<string, unknown> | number {
  switch (r.int(0, 3)) {
    case 0:
      return r.chance(0.5) ? r.round(mean, 3) : { dist: "constant", value: r.round(mean, 3) };
    case 1: {
      const half = r.u(0.05, 1) * mean;
      return { dist: "uniform", min: r.round(mean - half, 3), max: r.round(mean + half, 3) };
    }
    case 2:
      return { dist: "lognormal", mean: r.round(Math.max(mean, 1e-3), 3), cv: r.round(r.u(0.05, 1.5), 3) };
    default: {
      const n = r.int(2, 8);
      const values = Array.from({ length: n }, () => r.round(r.u(0, 2 * mean), 3));
      if (values.every((v) => v === values[0])) values.push(values[0]! + 1);
      return { dist: "empirical", values };
    }
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function addExtensions(raw: Record<string, any>, names: string[], r: Rand, options: RandomScenarioOptions): void {
  const models = raw.models as Record<string, any>;
  // regressions belong to the fixer model
  for (const name of names) {
    if (r.chance(0.35)) {
      const poisson = r.chance(0.5);
      models[name].regressions = {
        probability: r.round(r.u(0, 0.7), 3),
        hardFraction: r.round(r.rng(), 3),
        ...(poisson ? { offspring: "poisson" } : r.chance(0.5) ? { offspring: "bernoulli" } : {}),
      };
    }
  }
  if (r.chance(0.4)) {
    for (const name of names) {
      models[name].speed = { ttftSeconds: r.round(r.u(0, 3), 3), outputTokensPerSecond: r.round(r.u(20, 200), 2) };
    }
  }
  if (r.chance(0.4)) raw.toolSeconds = randomDistribution(r, r.u(1, 60));
  if (r.chance(0.4)) {
    raw.caching = { readMultiplier: 0.1, writeMultiplier: 1.25, ...(raw.caching ?? {}) };
    raw.caching.ttlSeconds = r.round(r.u(5, 120), 2);
  }
  if (r.chance(0.4)) raw.tokens.fixOutput = randomDistribution(r, raw.tokens.fixOutput);
  if (r.chance(0.4)) raw.tokens.errorTrace = randomDistribution(r, Math.max(raw.tokens.errorTrace, 1));
  if (r.chance(0.3)) {
    // stay well inside (1 + g)(1 - p) < 1 for every model that could fix: g < p/(1 - p)
    let pMin = 1;
    for (const name of names) pMin = Math.min(pMin, models[name].fix.easy, models[name].fix.hard);
    const bound = pMin >= 1 ? 1 : pMin / (1 - pMin);
    // and keep (1 + g)(1 - p) <= 0.95 so the reference's sums converge quickly
    const gMax = Math.min(0.8 * bound, pMin >= 1 ? 1.5 : 0.95 / (1 - pMin) - 1, 1.5);
    const g = r.round(gMax * r.rng(), 4);
    if (g > 0) raw.tokens.errorGrowth = g;
  }
  if ((options.limits ?? true) && r.chance(0.1)) {
    raw.limits = r.chance(0.5) ? { maxAttemptsPerBug: r.int(1, 20) } : { maxAttemptsPerRun: r.int(5, 200) };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
