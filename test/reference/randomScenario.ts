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
 * - with the options of docs/model.md sections 8-10 (each off by default, drawn from a second random
 *   stream after everything above, so a scenario without them is byte-identical to before):
 *   `ladders`, `cachePrices`, `longContext`, `beta`, `randomCounts`, `contextWindows`.
 */
import seedrandom from "seedrandom";
import { distMean, type RawDist } from "./closedForm.js";

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
  /**
   * ladder strategies (docs/model.md section 8) added to a few pair strategies: escalation (weak-ish
   * k = 1..4 then another model, sometimes a third rung), advisor (consults between fixer rungs,
   * a rung's own `fix`), bounded last rungs
   */
  ladders?: boolean;
  /** per-model `price.cacheRead` / `price.cacheWrite` ($ per million tokens) */
  cachePrices?: boolean;
  /** `price.longContext` tiers whose threshold a shared conversation crosses after 1..12 attempts (sometimes below the prompt) */
  longContext?: boolean;
  /** `{ dist: beta }` fix rates (about a third with a <= 2); removes `tokens.errorGrowth` */
  beta?: boolean;
  /** poisson / negbinomial bug counts (binomial classes) */
  randomCounts?: boolean;
  /** `contextWindow` on some models, with or without `compaction` */
  contextWindows?: boolean;
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
  addSection8To10(raw, names, seed, options);
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

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The keys of docs/model.md sections 8-10, from a second random stream (so that the draws above, and
 * every scenario made without these options, stay as they were). Always valid: attempts whole
 * and >= 1, nothing after an unbounded rung, Beta means in (0, 1), negbinomial variance > mean,
 * random counts binomial, windows above L1 + summary and the prompt.
 */
function addSection8To10(raw: Record<string, any>, names: string[], seed: number, options: RandomScenarioOptions): void {
  const wanted = ["ladders", "cachePrices", "longContext", "beta", "randomCounts", "contextWindows"] as const;
  if (!wanted.some((k) => options[k])) return;
  const rng = seedrandom.alea(`agentsim-random-s8-${seed}`);
  const r: Rand = {
    rng,
    u: (lo, hi) => lo + (hi - lo) * rng(),
    int: (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)),
    chance: (p) => rng() < p,
    pick: (xs) => xs[Math.floor(rng() * xs.length)]!,
    round: (x, digits) => +x.toFixed(digits),
  };
  const models = raw.models as Record<string, any>;
  const L1 = raw.tokens.prompt + raw.tokens.generation;
  const Delta = distMean(raw.tokens.fixOutput as RawDist) + distMean(raw.tokens.errorTrace as RawDist);
  const pMin = options.minFixProbability ?? 0.05;

  const betaRate = (mean: number): Record<string, unknown> => {
    const m = r.round(Math.min(0.95, Math.max(pMin, 0.05, mean)), 4);
    // about a third heavy-tailed (a = m c <= 2), the rest with a in (2.2, 40]
    const c = r.chance(0.35) ? r.u(0.5, 2 / m) : r.u(2.2 / m, Math.max(2.2 / m + 1, 40 / m));
    return { dist: "beta", mean: m, concentration: r.round(Math.max(c, 0.1), 3) };
  };
  const fixRates = (): Record<string, unknown> => {
    const rate = () => r.round(r.u(Math.max(pMin, 0.05), 0.99), 4);
    const easy = rate();
    const hard = rate();
    return {
      easy: options.beta && r.chance(0.4) ? betaRate(easy) : easy,
      hard: options.beta && r.chance(0.4) ? betaRate(hard) : hard,
    };
  };

  if (options.beta) {
    for (const name of names) {
      const fix = models[name].fix;
      // a fixed rate of exactly 1 before a heavy-tailed last rung would make that rung unreachable
      for (const cls of ["easy", "hard"]) if (fix[cls] === 1) fix[cls] = 0.95;
      for (const cls of ["easy", "hard"]) if (r.chance(0.4)) fix[cls] = betaRate(fix[cls]);
    }
    delete raw.tokens.errorGrowth;
  }
  if (options.randomCounts) {
    for (const name of names) {
      if (!r.chance(0.5)) continue;
      const bugs = models[name].bugs;
      const mean = r.round(r.u(0.3, options.maxBugs ?? 12), 3);
      bugs.count = r.chance(0.5)
        ? { dist: "poisson", mean }
        : { dist: "negbinomial", mean, variance: r.round(mean * r.u(1.2, 4), 3) };
      if (bugs.assignment !== undefined || r.chance(0.3)) bugs.assignment = "binomial";
    }
  }
  if (options.cachePrices) {
    for (const name of names) {
      const price = models[name].price;
      if (r.chance(0.6)) price.cacheRead = r.round(price.input * r.u(0.05, 0.5), 4);
      if (r.chance(0.6)) price.cacheWrite = r.round(price.input * r.u(1, 2), 4);
    }
  }
  if (options.longContext) {
    for (const name of names) {
      if (!r.chance(0.5)) continue;
      const price = models[name].price;
      const above = r.chance(0.1) ? r.int(50, Math.max(50, raw.tokens.prompt - 1)) : Math.round(L1 + Delta * r.u(0.5, 12));
      const tier: Record<string, unknown> = {
        above,
        input: r.round(price.input * r.u(1, 2.5), 4),
        output: r.round(price.output * r.u(1, 2), 4),
      };
      if (r.chance(0.3)) tier.cacheRead = r.round((tier.input as number) * r.u(0.05, 0.5), 4);
      if (r.chance(0.3)) tier.cacheWrite = r.round((tier.input as number) * r.u(1, 2), 4);
      price.longContext = tier;
    }
  }
  if (options.contextWindows) {
    const summary = r.chance(0.5) ? r.int(100, 3000) : null;
    if (summary !== null) raw.compaction = { summary };
    for (const name of names) {
      if (!r.chance(0.5)) continue;
      const floor = Math.max(raw.tokens.prompt, L1 + (summary ?? 0));
      models[name].contextWindow = Math.ceil(floor + Delta * r.u(1, 15)) + r.int(1, 1000);
    }
  }
  if (options.ladders) {
    const strategies: Record<string, any> = raw.strategies ?? {};
    if (!raw.strategies) {
      // keep a few pairs beside the ladders
      for (let i = 0; i < 2; i++) {
        const generator = r.pick(names);
        const fixer = r.pick(names);
        strategies[`${generator}-then-${fixer}`] = { generator, fixer };
      }
    }
    const other = (m: string) => r.pick(names.filter((n) => n !== m));
    const lastRung = (fixer: string): Record<string, unknown> =>
      r.chance(0.25) ? { fixer, attempts: r.int(1, 6) } : { fixer };
    const nLadders = r.int(1, 3);
    for (let i = 0; i < nLadders; i++) {
      const generator = r.pick(names);
      const kind = r.int(0, 2);
      let ladder: Record<string, unknown>[];
      if (kind === 0) {
        // escalation: k = 1..4 attempts, then another model (sometimes through a middle rung)
        const m1 = r.pick(names);
        ladder = [{ fixer: m1, attempts: r.int(1, 4) }];
        if (r.chance(0.3)) ladder.push({ fixer: other(m1), attempts: r.int(1, 3) });
        ladder.push(lastRung(r.chance(0.8) ? other(m1) : m1));
      } else if (kind === 1) {
        // advisor: the executor, a consult, the executor again (often with its own fix rates)
        const executor = r.pick(names);
        const advisor = r.chance(0.85) ? other(executor) : executor;
        ladder = [{ fixer: executor, attempts: r.int(1, 3) }, { consult: advisor, output: r.int(0, 3000) }];
        if (r.chance(0.3)) {
          ladder.push({ fixer: executor, attempts: r.int(1, 3), ...(r.chance(0.5) ? { fix: fixRates() } : {}) });
          ladder.push({ consult: advisor, output: r.int(0, 3000) });
        }
        const last = lastRung(executor);
        if (r.chance(0.7)) last.fix = fixRates();
        ladder.push(last);
      } else {
        // bounded throughout: some bugs stay unfixed
        const m1 = r.pick(names);
        ladder = [{ fixer: m1, attempts: r.int(1, 6) }];
        if (r.chance(0.5)) ladder.push({ fixer: other(m1), attempts: r.int(1, 4) });
        if (r.chance(0.25)) ladder.push({ consult: r.pick(names), output: r.int(0, 2000) });
      }
      strategies[`ladder-${i}-${generator}`] = { generator, ladder };
    }
    raw.strategies = strategies;
    // a rung's own rates must keep error-trace growth below its bound too: (1 + g)(1 - p) <= 0.95
    const g = raw.tokens.errorGrowth;
    if (g !== undefined) {
      const rates = Object.values<any>(strategies).flatMap((st) =>
        (st.ladder ?? []).flatMap((rung: any) => (rung.fix ? [rung.fix.easy, rung.fix.hard] : [])),
      );
      if (rates.some((p: unknown) => typeof p !== "number" || (1 + g) * (1 - p) > 0.95)) delete raw.tokens.errorGrowth;
    }
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
