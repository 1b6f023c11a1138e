/**
 * Expected cost of a whole strategy (docs/model.md, section 4 "A whole strategy", with the closed forms of
 * sections 5 and 8-10 where they exist):
 *
 *   C(strategy) = c_in(gen) L0 + c_out(gen) G0 + C_fix(ladder; bugs left by gen)
 *
 * A one-rung ladder (a single fixer) uses the classic formulas of fixCost.ts; a longer ladder,
 * or a tier in fresh context, the request schedules of ladder.ts. `closedFormReason` says, in the
 * order of docs/model.md section 8's list ("Where there is none"), when there is no closed form.
 */
import { hasTimeModel } from "../scenario/clock.js";
import { baseScenario, capsAttempts } from "../scenario/extensions.js";
import { fixingModels, fixPhaseModels, fixRungs, hasBoundedEnd, isOneRung, ladderText, rateKey, rungRates, singleFixer, strategyModels } from "../scenario/ladder.js";
import type { Context, FixRate, FixRung, ModelSpec, Scenario, Strategy } from "../scenario/types.js";
import { groupDigits } from "../text.js";
import { bugSetAttempts, compoundAttempts, mixtureAttempts, regressionMoments, withRegressions, type AttemptMoments } from "./attempts.js";
import { countMean, countPgf, exactClasses, FractionalCount, probabilityNoBugs } from "./counts.js";
import { distributionMax, distributionMean, isConstant } from "./distributions.js";
import {
  addTokens,
  freshBugTokens,
  freshMomentTokens,
  priceFixTokens,
  sharedFixTokens,
  noTokens,
  sumBugTokens,
  type FixCost,
  type FixTokens,
  type TokenShape,
} from "./fixCost.js";
import { firstAbove, freshBugTokens as freshScheduleTokens, sharedBugStats, sharedRunTokens, threshold, untiered, windowLimit, type TieredTokens, type TokensByModel } from "./ladder.js";
import { MAX_PMF_WORK, pmfFromSurvival, probabilityAtLeast, runPmf, runPmfWork } from "./pmf.js";
import { generationCost, tierReachable } from "./prices.js";
import { boundedAttempts, rateMoment, unboundedAttempts, type RateAttempts } from "./rates.js";
import { bugSchedule, requestReach, tailReach, type BugSchedule } from "./schedule.js";
import { cacheHitProbability, callSeconds, expiringTtl, meanToolSeconds } from "./timing.js";

export { generationCost } from "./prices.js";

export interface CostBreakdown extends FixCost {
  generation: number;
}

/**
 * The parts of a model's cost per run (section 9), in the order every table shows them: the
 * generation (the generator's call), then the fix phase's input, uncached or written to and read
 * from the cache, and its output. `label` names a part on the report's page, `short` in a terminal
 * column.
 */
export const COST_PARTS = [
  { key: "generation", label: "generation", short: "generation" },
  { key: "uncachedInput", label: "uncached input", short: "uncached in" },
  { key: "cacheWrite", label: "cache writes", short: "cache writes" },
  { key: "cacheRead", label: "cache reads", short: "cache reads" },
  { key: "output", label: "output", short: "output" },
] as const;
export type CostPart = (typeof COST_PARTS)[number]["key"];

/** A model's share of a strategy's cost, $ per run: each of COST_PARTS, and their total. */
export type ModelCost = Record<CostPart | "total", number>;

/** A model's cost from its parts, its total their sum in COST_PARTS' order. */
export function modelCostOf(parts: Record<CostPart, number>): ModelCost {
  return { ...parts, total: COST_PARTS.reduce((sum, part) => sum + parts[part.key], 0) };
}

/** One rung's share of a run's bugs and attempts. */
export interface RungStats {
  rung: number;
  kind: "fix" | "consult";
  model: string;
  /** share of bugs that reach the rung */
  reachFraction: number;
  /** fix attempts made on it per run (consults per run for a consult rung) */
  attemptsPerRun: number;
}

export interface AnalyticResult {
  strategy: string;
  generator: string;
  /** the single fixer of a one-rung ladder, or null */
  fixer: string | null;
  /** the ladder in short ("weak x3 > strong") */
  ladder: string;
  context: Context;
  /** E[C] in $, or null where no closed form holds (`reason` says why). */
  analyticMean: number | null;
  reason: string | null;
  breakdown: CostBreakdown | null;
  /** I and V of the fix phase's total fix attempts (V only for one-rung ladders). */
  expectedAttempts: number | null;
  /**
   * Why the attempts (and the bugs, times and ladder rows beside them) have no closed form, where
   * they have none; else null. It may differ from `reason`: a ladder's cost can lack one for its
   * cache's TTL while its attempts lack one for a context window.
   */
  attemptsReason: string | null;
  attemptVariance: number | null;
  /** bugs in a run, regressions included */
  expectedBugs: number | null;
  expectedWallSeconds: number | null;
  /** h: share of follow-up requests that find the cache alive */
  cacheHitRate: number | null;
  /** The base formula with the extensions that lack a closed form dropped (for their bias); null where it has none. */
  baseMean: number | null;
  costByModel: Record<string, ModelCost> | null;
  rungs: RungStats[] | null;
  consultsPerRun: number | null;
  /** P(every bug of a run is fixed) */
  expectedCompletion: number | null;
  /** an upper bound on P(a run reaches a context window); null when no model of the fix phase has one */
  windowChance: number | null;
  /** why the cost per run has an infinite variance (a beta rate with a <= 4), so that no z-check holds; else null */
  varianceReason: string | null;
}

/**
 * Below this chance per run, a context window that a run could reach is ignored by the closed
 * forms (they are then off by at most about this share of a run's cost in the window's runs:
 * far below any simulation's standard error). The chance is reported as `windowChance`.
 */
export const NEGLIGIBLE_WINDOW = 1e-6;

function tokenShape(scenario: Scenario): TokenShape {
  return {
    handoffTokens: scenario.tokens.prompt + scenario.tokens.generation,
    meanFixOutput: distributionMean(scenario.tokens.fixOutput),
    meanErrorTrace: distributionMean(scenario.tokens.errorTrace),
  };
}

const deltaOf = (shape: TokenShape) => shape.meanFixOutput + shape.meanErrorTrace;


/** Whether bugs of each class can occur: originals (phi) and the fixers' regressions. */
function classesMet(scenario: Scenario, strategy: Strategy): { easy: boolean; hard: boolean } {
  const gen = scenario.models[strategy.generator]!;
  const fixers = fixRungs(strategy.ladder).map((r) => scenario.models[r.model]!);
  const regress = fixers.filter((m) => (m.regressions?.probability ?? 0) > 0).map((m) => m.regressions!.hardFraction);
  const phis = [gen.hardFraction, ...regress];
  const some = countMean(gen.bugs) > 0;
  return { easy: some && phis.some((f) => f < 1), hard: some && phis.some((f) => f > 0) };
}

/**
 * Why a (strategy, context) has no closed form, or null when it has one: docs/model.md section 8's list, in
 * its order (context windows are decided later, from the chance of reaching them).
 */
export function closedFormReason(scenario: Scenario, strategy: Strategy, context: Context): string | null {
  const ladder = strategy.ladder;
  const oneRung = isOneRung(ladder);
  const models = fixPhaseModels(ladder).map((m) => scenario.models[m]!);
  const tiered = models.some(tierReachable);
  const randomTokens = !isConstant(scenario.tokens.fixOutput) || !isConstant(scenario.tokens.errorTrace);
  const regressions = fixRungs(ladder).some((r) => (scenario.models[r.model]!.regressions?.probability ?? 0) > 0);
  const bounded = fixRungs(ladder).some((r) => r.attempts !== null);
  if (capsAttempts(scenario)) {
    return "retry caps (limits) have no closed form";
  }
  if (expiringTtl(scenario, strategy) !== null) {
    if (!oneRung) return "cache expiry with a multi-rung ladder has no closed form";
    if (tiered) return "cache expiry with a long-context tier has no closed form";
    if (models[0]!.speed && !isConstant(scenario.tokens.fixOutput)) return "cache expiry gaps depend on random output lengths";
  }
  // (a generator that leaves no bug makes no fix request: growth, which acts on retries, is moot)
  if (scenario.tokens.errorGrowth > 0 && countMean(scenario.models[strategy.generator]!.bugs) > 0) {
    if (context === "shared") return "error-trace growth has no closed form in shared context";
    const rung = fixRungs(ladder)[0]!;
    const rates = rungRates(scenario.models, rung);
    if (!oneRung || rung.attempts !== null || rates.easy.kind === "beta" || rates.hard.kind === "beta") {
      return "error-trace growth has a closed form only for one unbounded fixer with fixed rates";
    }
    if (tiered) return "error-trace growth with a long-context tier has no closed form";
  }
  if (tiered) {
    if (randomTokens) return "a long-context tier with random token counts has no closed form";
    if (context === "shared" && scenario.models[strategy.generator]!.bugs.kind !== "fixed") {
      return "a long-context tier with a random bug count has no closed form in shared context";
    }
    if (context === "shared" && regressions) return "a long-context tier with regressions has no closed form in shared context";
  }
  if (regressions && context === "shared" && (!oneRung || bounded)) {
    return "regressions with a multi-rung or bounded ladder have no closed form in shared context";
  }
  // A beta rate met on the unbounded last rung needs E[1/p^2] (a > 2) for a finite expected cost
  // (the conversation's cached tokens grow linearly in the attempts), or only E[1/p] (a > 1) when
  // attempts add nothing to the conversation.
  return divergence(scenario, strategy, "cost");
}

/**
 * Why a run's cost has an infinite variance, or null: E[cost^2] needs E[1/p^4] (a > 4) where the
 * cost is quadratic in a bug's attempts (cached tokens grow with each retry), E[1/p^2] (a > 2)
 * where attempts add nothing to the conversation, and (1 + g)^2 (1 - p) < 1 under error growth g
 * (growthVarianceReason). Then no standard error estimates anything and a z-check of the mean is
 * meaningless, even where the mean is finite. A cap on attempts bounds every run's cost.
 */
export function infiniteVarianceReason(scenario: Scenario, strategy: Strategy): string | null {
  if (capsAttempts(scenario)) return null;
  return divergence(scenario, strategy, "variance") ?? growthVarianceReason(scenario, strategy);
}

/**
 * Whether a context window stops a run before the unbounded last rung's attempts grow without
 * bound (no compaction): that rung's model has a window and its conversation grows with each attempt.
 * A window on an earlier rung's model bounds nothing there (a review: an escalation ladder with a
 * heavy-tailed last rung got an interval because its first rung's model had a window). A bounded
 * ladder's runs end anyway.
 */
function stopsAtWindow(scenario: Scenario, strategy: Strategy): boolean {
  if (scenario.compaction !== null) return false;
  if (hasBoundedEnd(strategy.ladder)) return fixPhaseModels(strategy.ladder).some((m) => scenario.models[m]!.contextWindow !== null);
  const last = strategy.ladder[strategy.ladder.length - 1]!;
  const grows = deltaOf(tokenShape(scenario)) > 0 || scenario.tokens.errorGrowth > 0;
  return scenario.models[last.model]!.contextWindow !== null && grows;
}

/**
 * Error growth g on the unbounded last rung (docs/model.md, section 5): a bug's cost grows like
 * (1 + g)^N, so E[cost] needs (1 + g)(1 - p) < 1 (checked when the scenario is read) and E[cost^2]
 * needs (1 + g)^2 (1 - p) < 1 for every fixed rate p met there (a beta rate there is refused with
 * growth). (Measured: with (1.15)^2 x 0.85 = 1.12, the "95% interval" covered the closed form in 25
 * of 59 seeds.)
 */
export function growthVarianceReason(scenario: Scenario, strategy: Strategy): string | null {
  const g = scenario.tokens.errorGrowth;
  if (g <= 0) return null;
  if (hasBoundedEnd(strategy.ladder) || countMean(scenario.models[strategy.generator]!.bugs) === 0) return null;
  const last = strategy.ladder[strategy.ladder.length - 1] as FixRung;
  const rates = rungRates(scenario.models, last);
  const met = classesMet(scenario, strategy);
  for (const cls of ["easy", "hard"] as const) {
    const rate: FixRate = rates[cls];
    if (!met[cls] || rate.kind !== "fixed") continue;
    if ((1 + g) * (1 + g) * (1 - rate.p) >= 1) {
      return `infinite variance of the cost: tokens.errorGrowth: (1 + ${g})^2 x (1 - ${rate.p}) >= 1 for ${rateKey(strategy.name, strategy.ladder.length - 1, last)}.${cls}`;
    }
  }
  return null;
}

/** A share of runs as a reason says it, in percent to two digits ("0.029%": it said "0.00029 of runs", as no other share is said). */
function shareOfRuns(chance: number): string {
  return `${Number((100 * chance).toPrecision(2))}%`;
}

/** How a `reason` for an infinite expected cost begins: the one mark its readers go by. */
const INFINITE_COST = "infinite expected cost";

/** Whether a result's closed form is missing because the expected cost is infinite. */
export function hasInfiniteCost(r: { reason?: string | null }): boolean {
  return r.reason?.startsWith(INFINITE_COST) ?? false;
}

/**
 * Whether the growth of the unbounded last rung's run of attempts costs nothing: its model reads
 * its cache free (cacheRead 0), always hitting (no cache expiry), with no long-context tier in
 * reach. A bug's cost is then linear in those attempts (each adds Delta new tokens and G output;
 * the cached ones, which grow, are free; the requests after them, in later bugs, read that growth
 * once per request, independently of how long it took), so a finite expected cost needs E[1/p]
 * only, and a finite variance E[1/p^2].
 */
function freeCachedReads(scenario: Scenario, strategy: Strategy): boolean {
  if (expiringTtl(scenario, strategy) !== null) return false;
  const tail = scenario.models[strategy.ladder[strategy.ladder.length - 1]!.model]!;
  return tail.price.cacheRead === 0 && !tierReachable(tail);
}

/** The first beta rate met on the unbounded last rung whose a is too small for the cost's mean (or variance) to be finite. */
function divergence(scenario: Scenario, strategy: Strategy, of: "cost" | "variance" | "attempts"): string | null {
  if (hasBoundedEnd(strategy.ladder)) return null;
  const last = strategy.ladder[strategy.ladder.length - 1] as FixRung; // an unbounded end is a fixer rung
  const growing = deltaOf(tokenShape(scenario)) > 0 && !freeCachedReads(scenario, strategy);
  // the attempts need E[1/p] (a > 1) whatever the tokens
  const needed = of === "attempts" ? 1 : of === "cost" ? (growing ? 2 : 1) : growing ? 4 : 2;
  const met = classesMet(scenario, strategy);
  const rates = rungRates(scenario.models, last);
  const where = rateKey(strategy.name, strategy.ladder.length - 1, last);
  let sched: { easy: BugSchedule; hard: BugSchedule } | null = null; // built only for a rate that may diverge
  for (const cls of ["easy", "hard"] as const) {
    const rate: FixRate = rates[cls];
    if (!met[cls] || rate.kind !== "beta" || rate.a > needed) continue;
    // a class that never gets past the earlier rungs never meets the last one's rate
    sched ??= schedules(scenario, strategy);
    const tail = sched[cls].tail;
    if (!tail || tailReach(tail, 1) === 0) continue;
    return (
      `${of === "variance" ? "infinite variance of the cost" : of === "attempts" ? "infinite expected attempts" : INFINITE_COST}: ${where}.${cls} is beta with a = ${+rate.a.toPrecision(6)} <= ${needed} ` +
      `(E[1/p${needed === 1 ? "" : `^${needed}`}] diverges)`
    );
  }
  return null;
}

/** A bug's attempt moments on a one-rung ladder's rate (bounded or not). */
function rungAttempts(rate: FixRate, bound: number | null): RateAttempts {
  return bound === null ? unboundedAttempts(rate) : boundedAttempts(rate, bound);
}

/** The bugs a generator leaves, as a one-rung fixer meets them: attempt moments and class counts. */
export interface FixWorkload {
  attempts: AttemptMoments;
  expectedEasyBugs: number;
  expectedHardBugs: number;
}

/** Attempts of the generator's bugs under a single fixer rung, regressions (the fixer's) included. */
export function fixWorkload(generator: ModelSpec, fixer: ModelSpec, rates = fixer.fix, bound: number | null = null): FixWorkload {
  const phi = generator.hardFraction;
  const easy = rungAttempts(rates.easy, bound);
  const hard = rungAttempts(rates.hard, bound);
  const count = generator.bugs;
  const q = countMean(count);
  const fixed = count.kind === "fixed";
  const base = fixed ? bugSetAttempts(count.count, phi, generator.assignment, easy, hard) : compoundAttempts(count, mixtureAttempts(phi, easy, hard));
  const r = fixer.regressions;
  if (!r || r.probability === 0) return { attempts: base, expectedEasyBugs: q * (1 - phi), expectedHardBugs: q * phi };
  const newBug = mixtureAttempts(r.hardFraction, easy, hard);
  const attempts = fixed
    ? withRegressions(base, regressionMoments(count.count, r.probability, r.offspring), newBug)
    : compoundAttempts(count, withRegressions(mixtureAttempts(phi, easy, hard), regressionMoments(1, r.probability, r.offspring), newBug));
  const chain = regressionMoments(q, r.probability, r.offspring);
  return {
    attempts,
    expectedEasyBugs: q * (1 - phi) + chain.expectedNewBugs * (1 - r.hardFraction),
    expectedHardBugs: q * phi + chain.expectedNewBugs * r.hardFraction,
  };
}

/**
 * Expected fix-phase tokens of a one-rung ladder. Shared: the section-4 formula in I and V; with
 * a random count it also counts runs with no bugs (T = 0), which cost nothing, so their share
 * P(q = 0) f(0) is taken off, f(0) = (new L1 - Delta, cached -L1 + Delta, output 0). Fresh: the
 * bugs' sum.
 */
function oneRungTokens(scenario: Scenario, generator: ModelSpec, fixer: ModelSpec, strategy: Strategy, context: Context): FixTokens {
  const rung = fixRungs(strategy.ladder)[0]!;
  const rates = rungRates(scenario.models, rung);
  const workload = fixWorkload(generator, fixer, rates, rung.attempts);
  if (workload.attempts.mean === 0) return noTokens();
  const shape = tokenShape(scenario);
  if (context === "shared") {
    const tokens = sharedFixTokens(workload.attempts, shape);
    const empty = probabilityNoBugs(generator.bugs);
    if (generator.bugs.kind === "fixed" || empty === 0) return tokens;
    const delta = deltaOf(shape);
    const L1 = shape.handoffTokens;
    return addTokens(tokens, { inputNew: L1 - delta, inputCached: delta - L1, output: 0 }, -empty);
  }
  const perBug = (rate: FixRate): FixTokens =>
    rate.kind === "fixed" && rung.attempts === null
      ? freshBugTokens(rate.p, shape, scenario.tokens.errorGrowth)
      : freshMomentTokens(rungAttempts(rate, rung.attempts), shape);
  return sumBugTokens(workload.expectedEasyBugs, perBug(rates.easy), workload.expectedHardBugs, perBug(rates.hard));
}

/** h when a TTL is set (1 otherwise): see timing.ts. */
function hitProbability(scenario: Scenario, fixer: ModelSpec): number {
  const ttl = scenario.caching.ttlSeconds;
  if (ttl === null) return 1;
  const fixCall = callSeconds(fixer, distributionMean(scenario.tokens.fixOutput));
  return cacheHitProbability(ttl, fixCall, scenario.toolSeconds);
}

/** A model's fix-phase cost from its tokens at its base tier and at its long-context tier. */
function modelCost(model: ModelSpec, tokens: TieredTokens, hit = 1): ModelCost {
  const base = priceFixTokens(tokens.base, model.price, hit);
  const tier = model.price.longContext ? priceFixTokens(tokens.tier, model.price.longContext, hit) : priceFixTokens(tokens.tier, model.price, hit);
  const inputNew = base.fixInputNew + tier.fixInputNew;
  const inputCached = base.fixInputCached + tier.fixInputCached;
  const output = base.fixOutput + tier.fixOutput;
  const caches = model.price.caches;
  return {
    generation: 0,
    uncachedInput: caches ? 0 : inputNew + inputCached,
    cacheWrite: caches ? inputNew : 0,
    cacheRead: caches ? inputCached : 0,
    output,
    total: inputNew + inputCached + output,
  };
}

/** The fix phase's expected tokens by model and tier, for every case with a closed form. */
interface FixPhase {
  tokens: TokensByModel;
  /** fix attempts: mean, and variance for one-rung ladders */
  attempts: number;
  attemptVariance: number | null;
  bugs: number;
  /** null: the fix phase's completion has no closed form here (regressions on a ladder that may leave bugs open) */
  completion: number | null;
  rungs: RungStats[];
  consults: number;
  /** a bound on P(a run's requests reach a context window), or 0 when no model has one */
  windowChance: number;
  /** why there is no such bound (windowChance is then 1), else null */
  windowUnbounded: string | null;
  /** shared context, multi-rung ladder: P(a run's requests reach a long-context tier) (0 otherwise) */
  tierChance: number;
  /** cache expiry: the hit probability of the one fixer */
  hit: number;
  /** expected fix attempts and consults per model, for wall time */
  requestsByModel: Map<string, { attempts: number; consults: number }>;
  /** why the tokens have no closed form after all (a tier too far to sum up to), else null */
  tokensReason: string | null;
}

/** The schedules of a ladder for an easy and a hard bug. */
function schedules(scenario: Scenario, strategy: Strategy): { easy: BugSchedule; hard: BugSchedule } {
  const shape = tokenShape(scenario);
  const delta = deltaOf(shape);
  return {
    easy: bugSchedule(scenario.models, strategy.ladder, false, delta, shape.meanFixOutput),
    hard: bugSchedule(scenario.models, strategy.ladder, true, delta, shape.meanFixOutput),
  };
}

/** Per rung: E[fix attempts on it] (E[consults] for a consult rung) and P(reach it), for a bug of one class. */
function rungExpectations(schedule: BugSchedule, rungs: number): { reach: number[]; attempts: number[]; fixedBy: Map<string, number> } {
  const reach = new Array<number>(rungs).fill(0);
  const attempts = new Array<number>(rungs).fill(0);
  const seen = new Set<number>();
  const fixedBy = new Map<string, number>();
  const requests = schedule.requests;
  requests.forEach((r, i) => {
    if (!seen.has(r.rung)) {
      seen.add(r.rung);
      reach[r.rung] = r.reach;
    }
    attempts[r.rung] += r.reach;
    if (r.fix) {
      const next = i + 1 < requests.length ? requests[i + 1]!.reach : schedule.tail ? tailReach(schedule.tail, 1) : schedule.unfixed;
      fixedBy.set(r.model, (fixedBy.get(r.model) ?? 0) + r.reach - next);
    }
  });
  const tail = schedule.tail;
  if (tail) {
    const first = tailReach(tail, 1);
    if (!seen.has(tail.rung)) reach[tail.rung] = first;
    // sum_t M(f + t - 1, 0) = M(f, 1)
    attempts[tail.rung] += tail.factor > 0 ? tail.factor * rateMoment(tail.rate, tail.failed, 1) : 0;
    fixedBy.set(tail.model, (fixedBy.get(tail.model) ?? 0) + first);
  }
  return { reach, attempts, fixedBy };
}

/**
 * The expected number of bugs of each class over a run, regressions included (a two-type
 * branching process): v = v0 (I - M)^-1, with M[c][c'] = sum over models of P(a class-c bug is
 * fixed by the model) x its regression rate x P(the new bug is of class c').
 */
function bugsByClass(scenario: Scenario, strategy: Strategy, fixedBy: { easy: Map<string, number>; hard: Map<string, number> }): { easy: number; hard: number } {
  const gen = scenario.models[strategy.generator]!;
  const q = countMean(gen.bugs);
  const phi = gen.hardFraction;
  const v0 = [q * (1 - phi), q * phi];
  const M = [
    [0, 0],
    [0, 0],
  ];
  (["easy", "hard"] as const).forEach((cls, c) => {
    for (const [name, p] of fixedBy[cls]) {
      const r = scenario.models[name]!.regressions;
      if (!r || r.probability === 0) continue;
      M[c]![0]! += p * r.probability * (1 - r.hardFraction);
      M[c]![1]! += p * r.probability * r.hardFraction;
    }
  });
  // (I - M)^-1 for a 2 x 2 matrix
  const a = 1 - M[0]![0]!;
  const b = -M[0]![1]!;
  const c = -M[1]![0]!;
  const d = 1 - M[1]![1]!;
  const det = a * d - b * c;
  return { easy: (v0[0]! * d - v0[1]! * c) / det, hard: (-v0[0]! * b + v0[1]! * a) / det };
}

/** bugs.easy x easy + bugs.hard x hard, where a class with no bugs adds nothing (even an infinite amount). */
function byClass(bugs: { easy: number; hard: number }, easy: number, hard: number): number {
  return (bugs.easy === 0 ? 0 : bugs.easy * easy) + (bugs.hard === 0 ? 0 : bugs.hard * hard);
}

/** Tokens of both classes' schedules, weighted by the expected bugs of each class. */
function weighted(easy: TokensByModel, hard: TokensByModel, bugs: { easy: number; hard: number }): TokensByModel {
  const out: TokensByModel = new Map();
  for (const [source, weight] of [[easy, bugs.easy], [hard, bugs.hard]] as const) {
    for (const [m, t] of source) {
      const into = out.get(m) ?? untiered();
      into.base = addTokens(into.base, t.base, weight);
      into.tier = addTokens(into.tier, t.tier, weight);
      out.set(m, into);
    }
  }
  return out;
}

/** P(every bug of a run is fixed) with no regressions: exact, product over classes; else the count's PGF at the mixture. */
function completion(generator: ModelSpec, fixedEasy: number, fixedHard: number): number {
  const exact = exactClasses(generator);
  if (exact) return Math.pow(fixedEasy, exact.easy) * Math.pow(fixedHard, exact.hard);
  const phi = generator.hardFraction;
  return countPgf(generator.bugs, (1 - phi) * fixedEasy + phi * fixedHard);
}

/**
 * The chance that some request of a run reads more than its model's context window. Fresh: a
 * bug's conversation restarts, so per class it is the reach of the bug's first request above the
 * window, and over a run at most E[bugs] times that (union bound; E[bugs] counts regressions).
 * Shared: a request after i requests reads at most L1 + i x g_max, so the chance is at most P(the
 * run makes more than (window - L1)/g_max requests), from the distribution of a run's requests
 * (Markov's bound with regressions, whose bugs that distribution leaves out).
 */
function thresholdChance(
  scenario: Scenario,
  strategy: Strategy,
  context: Context,
  sched: { easy: BugSchedule; hard: BugSchedule },
  bugs: { easy: number; hard: number },
  limitOf: (m: ModelSpec) => number | null,
): number {
  const limit = (name: string) => limitOf(scenario.models[name]!) ?? Infinity;
  const windows = fixPhaseModels(strategy.ladder).map(limit).filter((w) => w !== Infinity);
  // no bug, no fix-phase request: none can reach a threshold, however small the room under it
  if (windows.length === 0 || bugs.easy + bugs.hard === 0) return 0;
  const L1 = scenario.tokens.prompt + scenario.tokens.generation;
  if (context === "fresh") {
    const first = (s: BugSchedule) => {
      for (const r of s.requests) if (L1 + r.w > limit(r.model)) return r.reach;
      const tail = s.tail;
      if (!tail) return 0;
      const w = limit(tail.model);
      const t = L1 + tail.w > w ? 1 : firstAbove(L1 + tail.w, tail.delta, w);
      return t === Infinity ? 0 : tailReach(tail, t);
    };
    return Math.min(1, bugs.easy * first(sched.easy) + bugs.hard * first(sched.hard));
  }
  const growths = [...sched.easy.requests, ...sched.hard.requests].map((r) => r.growth);
  for (const s of [sched.easy, sched.hard]) if (s.tail) growths.push(s.tail.delta);
  const gMax = Math.max(0, ...growths);
  const room = Math.min(...windows) - L1;
  if (room < 0) return 1;
  if (gMax === 0) return 0;
  // request r reads at most L1 + (r - 1) gMax (the first reads the hand-off alone): the first that may
  // pass the limit is r = floor(room/gMax) + 2 (+ 1 refused closed forms where the largest request
  // meets the limit exactly)
  const requests = Math.floor(room / gMax) + 2;
  // a distribution too long to convolve (see runRequestsBelow) is not worth it: Markov's bound, P(R >= n) <= E[R]/n
  const markov = () => Math.min(1, (bugs.easy * expectedRequests(sched.easy) + bugs.hard * expectedRequests(sched.hard)) / requests);
  // the convolution counts the generator's bugs only: a fixer's regressions add bugs, which
  // Markov's bound counts (bugs includes them)
  const regressions = fixRungs(strategy.ladder).some((r) => (scenario.models[r.model]!.regressions?.probability ?? 0) > 0);
  if (requests > 20_000 || regressions) return markov();
  const below = runRequestsBelow(scenario, strategy, sched, requests);
  return below ? probabilityAtLeast(below) : markov();
}

/**
 * A bound on the chance that some request of a run reads more than its model's limit (a context
 * window, or a tier's threshold), and why there is none where there is none (the chance is then 1).
 * thresholdChance reads the requests' sizes off schedules; for a bound, every attempt adds the
 * largest output and error trace its distributions can draw (a lognormal's have no largest). With
 * error-trace growth (x = 1 + growth), the k-th retry's trace is x^(k-1) times the first's: in fresh
 * context on one unbounded rung, attempt t reads L1 + (t-1) G + E (x^(t-1) - 1)/(x - 1), and its
 * reach is the bound; elsewhere there is none here.
 */
function thresholdBound(
  scenario: Scenario,
  strategy: Strategy,
  context: Context,
  bugs: { easy: number; hard: number },
  limitOf: (m: ModelSpec) => number | null,
  growth: number,
): { chance: number; unbounded: string | null } {
  const limits = fixPhaseModels(strategy.ladder).map((m) => limitOf(scenario.models[m]!) ?? Infinity);
  if (limits.every((w) => w === Infinity) || bugs.easy + bugs.hard === 0) return { chance: 0, unbounded: null };
  const G = distributionMax(scenario.tokens.fixOutput);
  const E = distributionMax(scenario.tokens.errorTrace);
  if (!Number.isFinite(G + E)) {
    if (context === "shared") return { chance: 1, unbounded: "lognormal token counts have no largest value" };
    return { chance: firstRequestsOnly(scenario, strategy, bugs, limitOf), unbounded: null };
  }
  const sched = {
    easy: bugSchedule(scenario.models, strategy.ladder, false, G + E, G),
    hard: bugSchedule(scenario.models, strategy.ladder, true, G + E, G),
  };
  if (growth === 0 || E === 0) return { chance: thresholdChance(scenario, strategy, context, sched, bugs, limitOf), unbounded: null };
  const [easyTail, hardTail] = [sched.easy.tail, sched.hard.tail];
  if (context === "shared" || sched.easy.requests.length > 0 || sched.hard.requests.length > 0 || !easyTail || !hardTail) {
    return { chance: 1, unbounded: "the bound covers error-trace growth only in fresh context on one unbounded rung" };
  }
  const L1 = scenario.tokens.prompt + scenario.tokens.generation;
  const limit = Math.min(...limits);
  const x = 1 + growth;
  const X = (t: number) => L1 + (t - 1) * G + (E * (Math.pow(x, t - 1) - 1)) / (x - 1);
  // X grows with t, and no slower than without growth: the first t above the limit is at most firstAbove's
  let [lo, hi] = [1, L1 > limit ? 1 : firstAbove(L1, G + E, limit)];
  if (hi === Infinity) return { chance: 0, unbounded: null };
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (X(mid) > limit) hi = mid;
    else lo = mid + 1;
  }
  return { chance: Math.min(1, bugs.easy * tailReach(easyTail, lo) + bugs.hard * tailReach(hardTail, lo)), unbounded: null };
}

/**
 * In fresh context with token counts of no largest value (a lognormal): a bound on the chance that
 * a request reaches its model's limit from the requests' places alone. A bug's request with nothing
 * added to its conversation before it (the first) reads L1 exactly; any later one may read any
 * amount. Per class, the reach of the first request of a model with a limit that either reads more
 * than L1 allows or comes after the conversation grew; over a run, E[bugs] times that (E[bugs]
 * counts regressions). A ladder whose windowed model only makes first requests has a bound of 0.
 */
function firstRequestsOnly(scenario: Scenario, strategy: Strategy, bugs: { easy: number; hard: number }, limitOf: (m: ModelSpec) => number | null): number {
  const L1 = scenario.tokens.prompt + scenario.tokens.generation;
  const limit = (name: string) => limitOf(scenario.models[name]!) ?? Infinity;
  // the schedule's places (the growth before each request) with any positive Delta: which requests come first
  const first = (hard: boolean) => {
    const s = bugSchedule(scenario.models, strategy.ladder, hard, 1, 1);
    for (const r of s.requests) {
      if (limit(r.model) === Infinity) continue;
      if (r.w > 0 || L1 > limit(r.model)) return r.reach;
    }
    const tail = s.tail;
    if (!tail || limit(tail.model) === Infinity) return 0;
    // its first attempt reads L1 (where nothing came before it); every later one may read more
    return tailReach(tail, tail.w === 0 && L1 <= limit(tail.model) ? 2 : 1);
  };
  return Math.min(1, bugs.easy * first(false) + bugs.hard * first(true));
}

/**
 * P(a run makes n requests) for n < limit, from its bugs' schedules (pmf.ts's runPmf), or null
 * where that would take more than MAX_PMF_WORK multiply-adds.
 */
function runRequestsBelow(scenario: Scenario, strategy: Strategy, sched: { easy: BugSchedule; hard: BugSchedule }, limit: number): Float64Array | null {
  const gen = scenario.models[strategy.generator]!;
  const pmf = (s: BugSchedule) => pmfFromSurvival(requestReach(s, limit));
  const [easy, hard] = [pmf(sched.easy), pmf(sched.hard)];
  return runPmfWork(gen, easy, hard, limit) > MAX_PMF_WORK ? null : runPmf(gen, easy, hard, limit);
}

/** E[requests of one bug]: the reach of every potential request, the tail's attempts M(f, 1) included. */
function expectedRequests(s: BugSchedule): number {
  let n = 0;
  for (const r of s.requests) n += r.reach;
  if (s.tail && s.tail.factor > 0) n += s.tail.factor * rateMoment(s.tail.rate, s.tail.failed, 1);
  return n;
}

/**
 * The relative rounding of the shared tier's tokens, a difference of two sums: of E[F(T)], from
 * E[T] and E[T^2], and of P(T = n) F(n) below t*, from the convolution of the bugs' attempt
 * distributions. 64 rounding errors of the sums' size: a tier never reached left 1e-16 to 1e-18 of
 * it (the numerical audit), one reached in 1 run in 1e11 is 4e-13 of it, and must count (a review
 * found 1e-12 dropped 1.8 of 3,600 cached tokens, and 71% of a cost at extreme tier prices).
 */
const TIER_ROUNDING = 64 * Number.EPSILON;

/**
 * One-rung shared context with a long-context tier: attempt t reads X_t = L1 + (t-1) Delta and is
 * priced at the tier from t* on. The tier's tokens are E[sum_{t=t*}^{T} f(t)] for each kind f
 * (new Delta; cached L1 + (t-2) Delta; output G), = E[F(T)] - sum_{n<t*} P(T = n) F(n) with
 * F(n) = sum_{t=t*}^{n} f(t), a quadratic in n; E[F(T)] needs E[T] and E[T^2] only, and P(T = n)
 * for n < t* comes from the convolution of the bugs' attempt distributions. Where that would take
 * more than MAX_PMF_WORK multiply-adds, there is no closed form: the reason why.
 */
function sharedTierTokens(scenario: Scenario, strategy: Strategy, total: FixTokens, attempts: AttemptMoments, sched: { easy: BugSchedule; hard: BugSchedule }, fixer: ModelSpec): TieredTokens | string {
  const shape = tokenShape(scenario);
  const L1 = shape.handoffTokens;
  const delta = deltaOf(shape);
  const above = threshold(fixer);
  const start = L1 > above ? 1 : firstAbove(L1, delta, above);
  if (start === Infinity || attempts.mean === 0) return untiered(total);
  const below = runRequestsBelow(scenario, strategy, sched, start);
  if (!below) {
    return `the long-context tier starts at attempt ${groupDigits(start)}, too far for the closed form to sum a run's attempt distribution up to (more than ${groupDigits(MAX_PMF_WORK)} multiply-adds)`;
  }
  const I = attempts.mean;
  const ET2 = attempts.variance + I * I;
  // F(n) = sum_{t=start}^{n} (A + B t) = (n - start + 1) A + B (n(n+1) - (start-1) start)/2; attempt 1 is (L1, 0, G).
  const F = (n: number, A: number, B: number) => (n - start + 1) * A + (B * (n * (n + 1) - (start - 1) * start)) / 2;
  const EF = (A: number, B: number) => (I - start + 1) * A + (B * (ET2 + I - (start - 1) * start)) / 2;
  // E[F(T)] and the sum below t* are of order t*^2 Delta each; where no run reaches the tier they
  // are equal but for rounding, which the tier's price multiplies (an audit: a tier priced 1e9
  // times the base made a cost negative and another strategy cheapest). A difference within
  // TIER_ROUNDING of its terms' size is none, and none is below 0.
  const tierSum = (A: number, B: number) => {
    const first = EF(A, B);
    let s = first;
    let scale = Math.abs(first);
    for (let n = 0; n < below.length; n++) {
      const term = below[n]! * F(n, A, B);
      s -= term;
      scale += Math.abs(term);
    }
    return s <= TIER_ROUNDING * scale ? 0 : s;
  };
  const G = shape.meanFixOutput;
  let tier: FixTokens;
  if (start === 1) tier = total;
  else tier = { inputNew: tierSum(delta, 0), inputCached: tierSum(L1 - 2 * delta, delta), output: tierSum(G, 0) };
  return { base: addTokens(total, tier, -1), tier };
}

/**
 * The fix phase of any ladder with a closed form: tokens by model and tier, and the counts around
 * them. `growth`: the error-trace growth whose requests the window's bound must cover (the
 * scenario's, also where the counts are found without it).
 */
function fixPhase(scenario: Scenario, strategy: Strategy, context: Context, growth = scenario.tokens.errorGrowth): FixPhase {
  const gen = scenario.models[strategy.generator]!;
  const ladder = strategy.ladder;
  const sched = schedules(scenario, strategy);
  const easy = rungExpectations(sched.easy, ladder.length);
  const hard = rungExpectations(sched.hard, ladder.length);
  const bugs = bugsByClass(scenario, strategy, { easy: easy.fixedBy, hard: hard.fixedBy });
  const totalBugs = bugs.easy + bugs.hard;
  const regressions = fixRungs(ladder).some((r) => (scenario.models[r.model]!.regressions?.probability ?? 0) > 0);
  const rungs: RungStats[] = ladder.map((r, k) => ({
    rung: k,
    kind: r.kind,
    model: r.model,
    reachFraction: totalBugs > 0 ? byClass(bugs, easy.reach[k]!, hard.reach[k]!) / totalBugs : 0,
    attemptsPerRun: byClass(bugs, easy.attempts[k]!, hard.attempts[k]!),
  }));
  const requestsByModel = new Map<string, { attempts: number; consults: number }>();
  rungs.forEach((r) => {
    const e = requestsByModel.get(r.model) ?? { attempts: 0, consults: 0 };
    if (r.kind === "fix") e.attempts += r.attemptsPerRun;
    else e.consults += r.attemptsPerRun;
    requestsByModel.set(r.model, e);
  });
  const consults = rungs.filter((r) => r.kind === "consult").reduce((s, r) => s + r.attemptsPerRun, 0);
  // with regressions every bug, a new one too, is fixed in the end where the ladder ends unbounded
  // and nothing caps the attempts: completion 1; where some stay open there is no closed form
  const completionChance = !regressions
    ? completion(gen, 1 - sched.easy.unfixed, 1 - sched.hard.unfixed)
    : !capsAttempts(scenario) && sched.easy.unfixed === 0 && sched.hard.unfixed === 0
      ? 1
      : null;
  const windows = thresholdBound(scenario, strategy, context, bugs, windowLimit, growth);
  // a tier has no closed form in shared context on a longer ladder, unless it is (almost) never
  // reached (closedFormReason leaves such a tier constant tokens and no growth: its bound is exact)
  const tiers = context === "shared" && !isOneRung(ladder) ? thresholdChance(scenario, strategy, context, sched, bugs, threshold) : 0;
  const common = {
    bugs: totalBugs,
    completion: completionChance,
    rungs,
    consults,
    windowChance: windows.chance,
    windowUnbounded: windows.unbounded,
    tierChance: tiers,
    requestsByModel,
    tokensReason: null,
  };
  const single = singleFixer(ladder);
  const L1 = scenario.tokens.prompt + scenario.tokens.generation;
  const oneRungClassic = single !== null && !(regressions && fixRungs(ladder)[0]!.attempts !== null);
  if (single !== null && oneRungClassic) {
    // the section-4 formulas; a bounded rung whose fixes breed new bugs is a ladder below (only fixed bugs breed)
    const fixer = scenario.models[single]!;
    const rung = fixRungs(ladder)[0]!;
    const workload = fixWorkload(gen, fixer, rungRates(scenario.models, rung), rung.attempts);
    const hit = hitProbability(scenario, fixer);
    const tiered = tierReachable(fixer);
    const counts = { attempts: workload.attempts.mean, attemptVariance: workload.attempts.variance, bugs: workload.expectedEasyBugs + workload.expectedHardBugs, hit };
    let tokens: TokensByModel;
    if (tiered && context === "fresh") {
      tokens = weighted(freshScheduleTokens(sched.easy, scenario.models, L1), freshScheduleTokens(sched.hard, scenario.models, L1), bugs);
    } else {
      const total = oneRungTokens(scenario, gen, fixer, strategy, context);
      const split = tiered ? sharedTierTokens(scenario, strategy, total, workload.attempts, sched, fixer) : untiered(total);
      if (typeof split === "string") return { ...common, ...counts, tokens: new Map(), tokensReason: split };
      tokens = new Map([[single, split]]);
    }
    return { ...common, ...counts, tokens };
  }
  const attempts = rungs.filter((r) => r.kind === "fix").reduce((s, r) => s + r.attemptsPerRun, 0);
  let tokens: TokensByModel;
  if (context === "fresh") {
    tokens = weighted(freshScheduleTokens(sched.easy, scenario.models, L1), freshScheduleTokens(sched.hard, scenario.models, L1), bugs);
  } else {
    const byModel = sharedRunTokens(gen, sharedBugStats(sched.easy), sharedBugStats(sched.hard), L1);
    tokens = new Map([...byModel].map(([m, t]) => [m, untiered(t)]));
  }
  return { ...common, tokens, attempts, attemptVariance: null, hit: single !== null ? hitProbability(scenario, scenario.models[single]!) : 1 };
}

/** Why a fix phase has no closed form for a context window it may reach (compaction or a stop), else null. */
function windowReason(phase: FixPhase): string | null {
  if (phase.windowUnbounded !== null) {
    return `a context window may be reached, and no bound says how rarely: ${phase.windowUnbounded} (compaction or stopping has no closed form)`;
  }
  if (phase.windowChance >= NEGLIGIBLE_WINDOW) {
    return `a context window is reached in up to ${shareOfRuns(phase.windowChance)} of runs (compaction or stopping has no closed form)`;
  }
  return null;
}

/** E[C] of a scenario's strategy where it has a closed form, else null; with its parts. */
function expectedCost(
  scenario: Scenario,
  strategy: Strategy,
  context: Context,
): {
  reason: string | null;
  phase: FixPhase | null;
  costByModel: Record<string, ModelCost> | null;
  breakdown: CostBreakdown | null;
  mean: number | null;
  windowChance: number | null;
} {
  let reason = closedFormReason(scenario, strategy, context);
  if (reason) return { reason, phase: null, costByModel: null, breakdown: null, mean: null, windowChance: null };
  const phase = fixPhase(scenario, strategy, context);
  reason = windowReason(phase);
  if (reason !== null) return { reason, phase: null, costByModel: null, breakdown: null, mean: null, windowChance: phase.windowUnbounded === null ? phase.windowChance : null };
  if (phase.tokensReason !== null) return { reason: phase.tokensReason, phase: null, costByModel: null, breakdown: null, mean: null, windowChance: phase.windowChance };
  if (phase.tierChance >= NEGLIGIBLE_WINDOW) {
    reason = `a long-context tier is reached in up to ${shareOfRuns(phase.tierChance)} of runs, which has no closed form for a multi-rung ladder in shared context`;
    return { reason, phase: null, costByModel: null, breakdown: null, mean: null, windowChance: phase.windowChance };
  }
  const gen = scenario.models[strategy.generator]!;
  const costByModel: Record<string, ModelCost> = {};
  for (const name of strategyModels(strategy)) {
    const tokens = phase.tokens.get(name) ?? untiered();
    const cost = modelCost(scenario.models[name]!, tokens, phase.hit);
    if (name === gen.name) {
      cost.generation = generationCost(scenario, gen);
      cost.total += cost.generation;
    }
    costByModel[name] = cost;
  }
  const breakdown = breakdownOf(phase, scenario, generationCost(scenario, gen));
  return { reason: null, phase, costByModel, breakdown, mean: totalOf(breakdown), windowChance: phase.windowChance };
}

/**
 * E[C] of a scenario's strategy and why it has none (null where it has one): `analyzeStrategy`'s
 * `analyticMean` and `reason`, without the counts, times and base model it adds.
 */
export function expectedMean(scenario: Scenario, strategy: Strategy, context: Context): { mean: number | null; reason: string | null } {
  const { mean, reason } = expectedCost(scenario, strategy, context);
  return { mean, reason };
}

/** The fix phase's new/cached/output $ over all models, and the generation. */
function breakdownOf(phase: FixPhase, scenario: Scenario, generation: number): CostBreakdown {
  let fixInputNew = 0;
  let fixInputCached = 0;
  let fixOutput = 0;
  for (const [name, tokens] of phase.tokens) {
    const model = scenario.models[name]!;
    const base = priceFixTokens(tokens.base, model.price, phase.hit);
    const tier = priceFixTokens(tokens.tier, model.price.longContext ?? model.price, phase.hit);
    fixInputNew += base.fixInputNew + tier.fixInputNew;
    fixInputCached += base.fixInputCached + tier.fixInputCached;
    fixOutput += base.fixOutput + tier.fixOutput;
  }
  return { generation, fixInputNew, fixInputCached, fixOutput };
}

/** E[fix cost]: new input, cached input and output of the fix phase. */
const fixCostOf = (b: FixCost) => b.fixInputNew + b.fixInputCached + b.fixOutput;

/** E[C]: the generation and the fix phase's parts, added in that order. */
const totalOf = (b: CostBreakdown) => b.generation + b.fixInputNew + b.fixInputCached + b.fixOutput;

/**
 * E[C] of the base model (the scenario with its extensions' assumptions put back), or null where
 * it has none: where a random count's mean, which the base model takes for its fixed count, is no
 * whole number and the closed form sums over the count's distribution (FractionalCount). Any other
 * exception is a fault of this code, and is not hidden as "no base formula".
 */
function baseExpectedCost(base: Scenario, strategy: Strategy, context: Context): number | null {
  try {
    return expectedCost(base, base.strategies.find((s) => s.name === strategy.name) ?? strategy, context).mean;
  } catch (err) {
    if (err instanceof FractionalCount) return null;
    throw err;
  }
}

/** The closed-form answer for one strategy in one context. */
export function analyzeStrategy(scenario: Scenario, strategy: Strategy, context: Context): AnalyticResult {
  const gen = scenario.models[strategy.generator]!;
  const { reason, phase, costByModel, breakdown, mean, windowChance } = expectedCost(scenario, strategy, context);
  const base = baseScenario(scenario);
  let baseMean: number | null = mean;
  if (base !== scenario) baseMean = baseExpectedCost(base, strategy, context);
  const capped = capsAttempts(scenario);
  // Counts and times have closed forms even where the cost has none (a TTL, growing error
  // traces), but for caps, windows and a last rung whose E[1/p] diverges: attemptsReason says which.
  let counts: FixPhase | null = phase;
  let attemptsReason: string | null = null;
  if (!counts) {
    attemptsReason = capped ? reason : divergence(scenario, strategy, "attempts");
    if (attemptsReason === null) {
      const plain = { ...scenario, caching: { ...scenario.caching, ttlSeconds: null }, tokens: { ...scenario.tokens, errorGrowth: 0 } };
      counts = fixPhase(plain, strategy, context, scenario.tokens.errorGrowth);
      attemptsReason = windowReason(counts);
      if (attemptsReason !== null) counts = null;
    }
  }
  const single = singleFixer(strategy.ladder);
  const hits = counts === null || counts.attempts === 0 || reason !== null ? null : single ? hitProbability(scenario, scenario.models[single]!) : 1;
  return {
    strategy: strategy.name,
    generator: gen.name,
    fixer: single,
    ladder: ladderText(strategy.ladder),
    context,
    analyticMean: mean,
    reason,
    breakdown,
    expectedAttempts: counts?.attempts ?? null,
    attemptsReason,
    attemptVariance: counts?.attemptVariance ?? null,
    expectedBugs: counts?.bugs ?? null,
    expectedWallSeconds: counts && hasTimeModel(scenario, strategy) ? expectedWallSeconds(scenario, strategy, counts) : null,
    cacheHitRate: hits,
    baseMean,
    costByModel,
    rungs: counts?.rungs ?? null,
    consultsPerRun: counts?.consults ?? null,
    expectedCompletion: counts?.completion ?? null,
    windowChance: fixPhaseModels(strategy.ladder).some((m) => scenario.models[m]!.contextWindow !== null) ? windowChance : null,
    // without a closed form the runs are still summarized: their interval means nothing either where the variance is infinite
    // (a context window that stops the run bounds its cost; one reached in under 1e-6 of runs leaves a closed form, and the flag)
    varianceReason:
      mean === null && (hasInfiniteCost({ reason }) || stopsAtWindow(scenario, strategy)) ? null : infiniteVarianceReason(scenario, strategy),
  };
}

/** E[wall seconds] = generation call + sum over models of E[attempts] x E[call + tool seconds] + E[consults] x consult call. */
function expectedWallSeconds(scenario: Scenario, strategy: Strategy, phase: FixPhase): number {
  const gen = scenario.models[strategy.generator]!;
  let seconds = callSeconds(gen, scenario.tokens.generation);
  const output = distributionMean(scenario.tokens.fixOutput);
  const tool = meanToolSeconds(scenario.toolSeconds);
  const single = singleFixer(strategy.ladder);
  if (single) return seconds + phase.attempts * (callSeconds(scenario.models[single]!, output) + tool);
  for (const [name, r] of phase.requestsByModel) {
    const m = scenario.models[name]!;
    seconds += r.attempts * (callSeconds(m, output) + tool);
  }
  strategy.ladder.forEach((rung, k) => {
    if (rung.kind === "consult") seconds += phase.rungs[k]!.attemptsPerRun * callSeconds(scenario.models[rung.model]!, rung.output);
  });
  return seconds;
}

/** Every strategy in every context of the scenario, in file order (strategies, then contexts). */
export function analyzeScenario(scenario: Scenario): AnalyticResult[] {
  return scenario.strategies.flatMap((st) => scenario.contexts.map((ctx) => analyzeStrategy(scenario, st, ctx)));
}

/**
 * "At the same number of bugs, which fixer is cheaper?": E[C_fix] of each fixer (as a one-rung
 * ladder) on one and the same bug set (the one `bugsFrom` leaves).
 */
export function fixerComparison(scenario: Scenario, bugsFrom: string, fixers: string[], context: Context): { fixer: string; fixCost: number | null }[] {
  return fixers.map((name) => {
    const strategy: Strategy = { name: `${bugsFrom}-${name}`, generator: bugsFrom, ladder: [{ kind: "fix", model: name, attempts: null, fix: null }] };
    const { breakdown } = expectedCost(scenario, strategy, context);
    if (breakdown === null) return { fixer: name, fixCost: null };
    // the fix phase's own parts, not the total less the generation: where the generation costs
    // 1e7 times as much, that difference kept no digit of the fix phase (an audit: $0 and $0)
    return { fixer: name, fixCost: fixCostOf(breakdown) };
  });
}

/** One row of fixerComparisons: each fixer's E[fix cost] on the bugs `bugsOf` leaves, in one context. */
export interface FixerComparison {
  bugsOf: string;
  context: Context;
  fixers: { fixer: string; fixCost: number | null }[];
}

/**
 * fixerComparison for every generator's bugs in every context, where the scenario's strategies
 * fix with more than one model (`analytic --wide` shows them, `--json` carries them); else none.
 */
export function fixerComparisons(scenario: Scenario): FixerComparison[] {
  const fixers = [...fixingModels(scenario)];
  if (fixers.length < 2) return [];
  const bugSets = [...new Set(scenario.strategies.map((s) => s.generator))];
  return bugSets.flatMap((bugsOf) => scenario.contexts.map((context) => ({ bugsOf, context, fixers: fixerComparison(scenario, bugsOf, fixers, context) })));
}
