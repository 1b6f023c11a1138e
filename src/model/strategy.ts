/**
 * Expected cost of a whole strategy (docs/model.md, section 4 "A whole strategy", with the closed
 * forms of section 5 where they exist):
 *
 *   C(strategy) = c_in(gen) L0 + c_out(gen) G0 + C_fix(fixer; bugs left by gen)
 */
import type { Context, ModelSpec, Scenario, Strategy } from "../scenario/types.js";
import { bugSetAttempts, mixtureAttempts, regressionMoments, withRegressions, type AttemptMoments } from "./attempts.js";
import { distributionMean, isConstant } from "./distributions.js";
import { freshFixTokens, priceFixTokens, sharedFixTokens, type FixCost, type FixTokens, type TokenShape } from "./fixCost.js";
import { cacheHitProbability, callSeconds, hasTimeModel, meanToolSeconds } from "./timing.js";

export interface CostBreakdown extends FixCost {
  generation: number;
}

export interface AnalyticResult {
  strategy: string;
  generator: string;
  fixer: string;
  context: Context;
  /** E[C] in $, or null where no closed form holds (`reason` says why). */
  analyticMean: number | null;
  reason: string | null;
  breakdown: CostBreakdown | null;
  /** I and V of the fix phase's total attempts. */
  expectedAttempts: number | null;
  attemptVariance: number | null;
  /** bugs in a run, regressions included */
  expectedBugs: number | null;
  expectedWallSeconds: number | null;
  /** h: share of follow-up requests that find the cache alive */
  cacheHitRate: number | null;
  /** The base formula with the extensions that lack a closed form dropped (for their bias). */
  baseMean: number;
}

/** c_in(gen) L0 + c_out(gen) G0: the generation call, never cached. */
export function generationCost(scenario: Scenario, generator: ModelSpec): number {
  return generator.inputPrice * scenario.tokens.prompt + generator.outputPrice * scenario.tokens.generation;
}

/** Why a scenario's fix phase has no closed form in this context, or null when it has one. */
export function noClosedFormReason(scenario: Scenario, fixer: ModelSpec, context: Context): string | null {
  if (scenario.limits.maxAttemptsPerBug !== null || scenario.limits.maxAttemptsPerRun !== null) {
    return "retry caps (limits) have no closed form";
  }
  if (context === "shared" && scenario.tokens.errorGrowth > 0) {
    return "error-trace growth has no closed form in shared context";
  }
  if (scenario.caching.ttlSeconds !== null && fixer.speed && !isConstant(scenario.tokens.fixOutput)) {
    return "cache expiry gaps depend on random output lengths";
  }
  return null;
}

/** The bugs a generator leaves, as the fixer will meet them: attempt moments and class counts. */
export interface FixWorkload {
  attempts: AttemptMoments;
  expectedEasyBugs: number;
  expectedHardBugs: number;
}

/** Attempts of the generator's bugs under this fixer, regressions (the fixer's) included. */
export function fixWorkload(generator: ModelSpec, fixer: ModelSpec): FixWorkload {
  const q = generator.bugCount;
  const phi = generator.hardFraction;
  const base = bugSetAttempts(q, phi, generator.assignment, fixer.fixEasy, fixer.fixHard);
  const r = fixer.regressions;
  if (!r || r.probability === 0) {
    return { attempts: base, expectedEasyBugs: q * (1 - phi), expectedHardBugs: q * phi };
  }
  const chain = regressionMoments(q, r.probability, r.offspring);
  const newBug = mixtureAttempts(r.hardFraction, fixer.fixEasy, fixer.fixHard);
  return {
    attempts: withRegressions(base, chain, newBug),
    expectedEasyBugs: q * (1 - phi) + chain.expectedNewBugs * (1 - r.hardFraction),
    expectedHardBugs: q * phi + chain.expectedNewBugs * r.hardFraction,
  };
}

function tokenShape(scenario: Scenario): TokenShape {
  return {
    handoffTokens: scenario.tokens.prompt + scenario.tokens.generation,
    meanFixOutput: distributionMean(scenario.tokens.fixOutput),
    meanErrorTrace: distributionMean(scenario.tokens.errorTrace),
  };
}

/** Expected fix-phase tokens of a workload; a run with no bugs has no fix phase. */
export function fixTokens(scenario: Scenario, workload: FixWorkload, fixer: ModelSpec, context: Context): FixTokens {
  if (workload.attempts.mean === 0) return { inputNew: 0, inputCached: 0, output: 0 };
  const shape = tokenShape(scenario);
  return context === "shared"
    ? sharedFixTokens(workload.attempts, shape)
    : freshFixTokens(
        workload.expectedEasyBugs,
        workload.expectedHardBugs,
        fixer.fixEasy,
        fixer.fixHard,
        shape,
        scenario.tokens.errorGrowth,
      );
}

/** h when a TTL is set (1 otherwise): see timing.ts. */
function hitProbability(scenario: Scenario, fixer: ModelSpec): number {
  const ttl = scenario.caching.ttlSeconds;
  if (ttl === null) return 1;
  const fixCall = callSeconds(fixer, distributionMean(scenario.tokens.fixOutput));
  return cacheHitProbability(ttl, fixCall, scenario.toolSeconds);
}

/** Expected fix-phase cost of a workload in one context, cache expiry included. */
export function fixCost(scenario: Scenario, workload: FixWorkload, fixer: ModelSpec, context: Context): FixCost {
  const { readMultiplier, writeMultiplier } = scenario.caching;
  const tokens = fixTokens(scenario, workload, fixer, context);
  const h = hitProbability(scenario, fixer);
  return priceFixTokens(tokens, fixer.inputPrice, fixer.outputPrice, readMultiplier, writeMultiplier, h);
}

const totalOf = (b: CostBreakdown) => b.generation + b.fixInputNew + b.fixInputCached + b.fixOutput;

/**
 * The base model's scenario: exact difficulty classes, constant tokens (their means), a cache
 * that never expires, no regressions, no caps. Its formula's error against a simulation is the
 * bias of those assumptions.
 */
export function baseScenario(scenario: Scenario): Scenario {
  return {
    ...scenario,
    tokens: { ...scenario.tokens, errorGrowth: 0 },
    caching: { ...scenario.caching, ttlSeconds: null },
    limits: { maxAttemptsPerBug: null, maxAttemptsPerRun: null },
    models: Object.fromEntries(
      Object.entries(scenario.models).map(([k, m]) => [k, { ...m, assignment: "exact" as const, regressions: null }]),
    ),
  };
}

/** The closed-form answer for one strategy in one context. */
export function analyzeStrategy(scenario: Scenario, strategy: Strategy, context: Context): AnalyticResult {
  const generator = scenario.models[strategy.generator]!;
  const fixer = scenario.models[strategy.fixer]!;
  const base = baseScenario(scenario);
  const breakdownOf = (s: Scenario): CostBreakdown => {
    const g = s.models[strategy.generator]!;
    const f = s.models[strategy.fixer]!;
    return { generation: generationCost(s, g), ...fixCost(s, fixWorkload(g, f), f, context) };
  };
  const baseMean = totalOf(breakdownOf(base));
  const result = { strategy: strategy.name, generator: generator.name, fixer: fixer.name, context, baseMean };

  const reason = noClosedFormReason(scenario, fixer, context);
  const workload = fixWorkload(generator, fixer);
  const capped = scenario.limits.maxAttemptsPerBug !== null || scenario.limits.maxAttemptsPerRun !== null;
  const timed = hasTimeModel(scenario, generator, fixer);
  const wall = timed && !capped ? expectedWallSeconds(scenario, generator, fixer, workload.attempts.mean) : null;
  const hits = capped || workload.attempts.mean === 0 ? null : reason ? null : hitProbability(scenario, fixer);
  // With caps nothing about the attempts has a closed form; otherwise only the cost may lack one.
  const breakdown = reason ? null : breakdownOf(scenario);
  return {
    ...result,
    analyticMean: breakdown ? totalOf(breakdown) : null,
    reason,
    breakdown,
    expectedAttempts: capped ? null : workload.attempts.mean,
    attemptVariance: capped ? null : workload.attempts.variance,
    expectedBugs: capped ? null : workload.expectedEasyBugs + workload.expectedHardBugs,
    expectedWallSeconds: wall,
    cacheHitRate: hits,
  };
}

/** E[wall seconds] = generation call + I x E[fix call + tool seconds]. */
export function expectedWallSeconds(scenario: Scenario, generator: ModelSpec, fixer: ModelSpec, expectedAttempts: number): number {
  const generation = callSeconds(generator, scenario.tokens.generation);
  const perAttempt = callSeconds(fixer, distributionMean(scenario.tokens.fixOutput)) + meanToolSeconds(scenario.toolSeconds);
  return generation + expectedAttempts * perAttempt;
}

/** Every strategy in every context of the scenario, in file order (strategies, then contexts). */
export function analyzeScenario(scenario: Scenario): AnalyticResult[] {
  return scenario.strategies.flatMap((st) => scenario.contexts.map((ctx) => analyzeStrategy(scenario, st, ctx)));
}

/**
 * "At the same number of bugs, which fixer is cheaper?": E[C_fix] of each fixer on one and the
 * same bug set (the one `bugsFrom` leaves).
 */
export function fixerComparison(scenario: Scenario, bugsFrom: string, fixers: string[], context: Context): { fixer: string; fixCost: number | null }[] {
  const generator = scenario.models[bugsFrom]!;
  return fixers.map((name) => {
    const fixer = scenario.models[name]!;
    if (noClosedFormReason(scenario, fixer, context)) return { fixer: name, fixCost: null };
    const c = fixCost(scenario, fixWorkload(generator, fixer), fixer, context);
    return { fixer: name, fixCost: c.fixInputNew + c.fixInputCached + c.fixOutput };
  });
}
