/**
 * From the validated file to the Scenario the model and the simulator read: prices in $ per
 * token with the cache and long-context defaults of section 9 filled in, fix rates and bug counts
 * as tagged values, strategies as ladders.
 */
import type { BugCountInput, FixRateInput, FixRatesInput, ParsedScenario, PriceInput, RungInput } from "./schema.js";
import type { BugCount, Distribution, FixRate, FixRates, ModelSpec, Price, Rung, Scenario, Strategy, TierPrice } from "./types.js";
import type { DistributionInput } from "./schema.js";
import { singleFixerLadder, strategyModels } from "./ladder.js";
import { WHOLE_TOLERANCE } from "./bounds.js";

const PER_MILLION = 1e6;

/** A price given by hand, in $ per million tokens, as section 9 writes it. */
export interface HandPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  longContext?: { above: number; input: number; output: number; cacheRead?: number; cacheWrite?: number };
}

/** Resolves `price: {preset}` to the prices it stands for (and the model's context window). */
export type PresetResolver = (preset: string, ttlSeconds: number | null, key: string) => { price: HandPrice; contextWindow: number | null };

export function distribution(d: DistributionInput): Distribution {
  if (typeof d === "number") return { kind: "constant", value: d };
  switch (d.dist) {
    case "constant":
      return { kind: "constant", value: d.value };
    case "uniform":
      return { kind: "uniform", min: d.min, max: d.max };
    case "lognormal":
      // a cv whose square underflows (below 1e-162) has no spread left: it is a cv of 0, as the
      // simulator and every closed form then read it alike
      return { kind: "lognormal", mean: d.mean, cv: d.cv * d.cv === 0 ? 0 : d.cv };
    case "empirical":
      return { kind: "empirical", values: [...d.values] };
  }
}

/** A fix rate: a number is fixed; a beta has a = mean x concentration, b = (1 - mean) x concentration. */
export function fixRate(r: FixRateInput): FixRate {
  if (typeof r === "number") return { kind: "fixed", p: r };
  return { kind: "beta", mean: r.mean, concentration: r.concentration, a: r.mean * r.concentration, b: (1 - r.mean) * r.concentration };
}

function fixRates(r: FixRatesInput): FixRates {
  return { easy: fixRate(r.easy), hard: fixRate(r.hard) };
}

function bugCount(c: BugCountInput): BugCount {
  if (typeof c === "number") return { kind: "fixed", count: c };
  return c.dist === "poisson" ? { kind: "poisson", mean: c.mean } : { kind: "negbinomial", mean: c.mean, variance: c.variance };
}

/**
 * The hard fraction the model reads. Under exact assignment of a fixed count q, exactly round(q phi)
 * of the q bugs are hard (section 7): a phi within WHOLE_TOLERANCE of such a fraction (0.3333333333
 * of 3 bugs) is that fraction, round(q phi) / q, so that the closed forms, the ladders and the
 * simulator count the same bugs (a hard rate of 1e-4 turned the 9e-7 left over into a 1.3e-6
 * error of the cost). Any other phi is kept as given: crossChecks refuses it unless fractional
 * hard bugs are allowed (a crossover over a count).
 */
export function exactHardFraction(count: BugCount, phi: number, assignment: "exact" | "binomial"): number {
  if (count.kind !== "fixed" || assignment !== "exact" || count.count === 0) return phi;
  const hard = Math.round(count.count * phi);
  return Math.abs(count.count * phi - hard) <= WHOLE_TOLERANCE ? hard / count.count : phi;
}

/**
 * Prices per token. cacheRead and cacheWrite default to the input price times the caching
 * multipliers (alpha, w); a long-context tier's default cache prices keep the base tier's ratios
 * to its input price (the multipliers when the base input is free). A model caches when its cache
 * prices differ from its input price or are given (by hand, for either tier, or by a preset); the
 * prices apply as given either way, "caches" only says how the breakdown books its input.
 */
export function normalizePrice(p: HandPrice, caching: { readMultiplier: number; writeMultiplier: number }, preset: string | null): Price {
  const input = p.input / PER_MILLION;
  const cacheRead = p.cacheRead === undefined ? caching.readMultiplier * input : p.cacheRead / PER_MILLION;
  const cacheWrite = p.cacheWrite === undefined ? caching.writeMultiplier * input : p.cacheWrite / PER_MILLION;
  const readRatio = input > 0 ? cacheRead / input : caching.readMultiplier;
  const writeRatio = input > 0 ? cacheWrite / input : caching.writeMultiplier;
  let longContext: (TierPrice & { above: number }) | null = null;
  if (p.longContext) {
    const t = p.longContext;
    const tierInput = t.input / PER_MILLION;
    longContext = {
      above: t.above,
      input: tierInput,
      output: t.output / PER_MILLION,
      cacheRead: t.cacheRead === undefined ? readRatio * tierInput : t.cacheRead / PER_MILLION,
      cacheWrite: t.cacheWrite === undefined ? writeRatio * tierInput : t.cacheWrite / PER_MILLION,
    };
  }
  const given = [p.cacheRead, p.cacheWrite, p.longContext?.cacheRead, p.longContext?.cacheWrite].some((x) => x !== undefined);
  const caches = preset !== null || given || cacheRead !== input || cacheWrite !== input;
  return { input, output: p.output / PER_MILLION, cacheRead, cacheWrite, caches, longContext, preset };
}

/**
 * Keys that no sweep, crossover or report varies: every point and value of one shares the run
 * count and the seed (a crossover over them scanned closed forms that have neither).
 */
const UNVARIED: Readonly<Record<string, string>> = {
  trials: "cannot be varied: a sweep runs each point the same number of runs (its --trials), and a closed form has none",
  seed: "cannot be varied: a sweep seeds each point from the scenario's seed and the point, and a closed form has no seed",
};

/**
 * Why a sweep, crossover or report may not vary a key, the one check the three make before they
 * build a point: the run count or the seed (UNVARIED), or a caching multiplier that changes
 * nothing (changesNothing); else null.
 */
export function cannotVary(data: Record<string, unknown>, path: string, strategies: readonly Strategy[]): string | null {
  return Object.hasOwn(UNVARIED, path) ? UNVARIED[path]! : changesNothing(data, path, strategies);
}

/**
 * Why a swept or scanned key changes nothing, or null: caching.readMultiplier and
 * caching.writeMultiplier only stand in for a hand price's missing cache read or write price
 * (normalizePrice), so where every model's is given (by a preset, or by hand) no number reads
 * them (a sweep over them printed equal rows, a crossover "no crossing", exit 0). `data` is the
 * file's data with the schema's defaults; `strategies` the strategies whose costs are compared:
 * only their models' prices count (a model no strategy uses changes no number).
 */
function changesNothing(data: Record<string, unknown>, path: string, strategies: readonly Strategy[]): string | null {
  const field = path === "caching.readMultiplier" ? "cacheRead" : path === "caching.writeMultiplier" ? "cacheWrite" : null;
  if (field === null) return null;
  const used = new Set(strategies.flatMap(strategyModels));
  const all = (data.models ?? {}) as Record<string, { price?: Record<string, unknown> } | null>;
  const models = Object.entries(all).filter(([name]) => used.has(name)).map(([, model]) => model);
  const reads = models.some((m) => {
    const price = m?.price;
    if (!price || typeof price !== "object" || "preset" in price) return false;
    // a tier's default keeps the base's ratio, which is the multiplier where the base input is free
    const tier = price.longContext as Record<string, unknown> | undefined;
    return price[field] === undefined || (price.input === 0 && tier !== undefined && tier[field] === undefined);
  });
  const what = field === "cacheRead" ? "read" : "write";
  return reads ? null : `changes nothing: every cache ${what} price of the models the strategies use is given (by a preset or by hand), which the multiplier only stands in for where it is missing`;
}

function rung(r: RungInput): Rung {
  if (r.consult !== undefined) return { kind: "consult", model: r.consult, output: r.output ?? 0 };
  return { kind: "fix", model: r.fixer!, attempts: r.attempts ?? null, fix: r.fix ? fixRates(r.fix) : null };
}

/** The file's strategies, or every ordered (generator, fixer) pair named `<generator>-<fixer>`. */
function strategies(p: ParsedScenario): Strategy[] {
  if (p.strategies) {
    return Object.entries(p.strategies).map(([name, s]) => ({
      name,
      generator: s.generator,
      ladder: s.ladder ? s.ladder.map(rung) : singleFixerLadder(s.fixer ?? ""),
    }));
  }
  const names = Object.keys(p.models);
  return names.flatMap((generator) => names.map((fixer) => ({ name: `${generator}-${fixer}`, generator, ladder: singleFixerLadder(fixer) })));
}

/** The validated file as a Scenario. Call crossChecks (checks.ts) on the result. */
export function normalize(p: ParsedScenario, resolvePreset: PresetResolver): Scenario {
  const caching = {
    readMultiplier: p.caching.readMultiplier,
    writeMultiplier: p.caching.writeMultiplier,
    ttlSeconds: p.caching.ttlSeconds ?? null,
  };
  const models: Record<string, ModelSpec> = {};
  for (const [name, m] of Object.entries(p.models)) {
    const resolved = "preset" in m.price ? resolvePreset(m.price.preset, caching.ttlSeconds, `models.${name}.price.preset`) : null;
    const hand: HandPrice = resolved ? resolved.price : (m.price as PriceInput & HandPrice);
    const count = bugCount(m.bugs.count);
    const assignment = m.bugs.assignment ?? (count.kind === "fixed" ? "exact" : "binomial");
    models[name] = {
      name,
      price: normalizePrice(hand, caching, "preset" in m.price ? m.price.preset : null),
      bugs: count,
      hardFraction: exactHardFraction(count, m.bugs.hardFraction, assignment),
      assignment,
      fix: fixRates(m.fix),
      speed: m.speed ?? null,
      regressions: m.regressions ?? null,
      contextWindow: m.contextWindow ?? resolved?.contextWindow ?? null,
    };
  }
  return {
    name: p.name,
    seed: p.seed,
    trials: p.trials,
    models,
    tokens: {
      prompt: p.tokens.prompt,
      generation: p.tokens.generation,
      fixOutput: distribution(p.tokens.fixOutput),
      errorTrace: distribution(p.tokens.errorTrace),
      errorGrowth: p.tokens.errorGrowth,
    },
    caching,
    toolSeconds: p.toolSeconds === undefined ? null : distribution(p.toolSeconds),
    contexts: p.contexts,
    strategies: strategies(p),
    limits: {
      maxAttemptsPerBug: p.limits?.maxAttemptsPerBug ?? null,
      maxAttemptsPerRun: p.limits?.maxAttemptsPerRun ?? null,
    },
    compaction: p.compaction ? { summary: p.compaction.summary } : null,
  };
}
