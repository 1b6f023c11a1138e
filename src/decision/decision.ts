/**
 * Which strategy to choose, per context: the answer that `run`, `analytic` and `report` print
 * first. Pure functions over the simulated results (SimResult and the pairwise comparisons) or
 * the closed forms (AnalyticResult); the CLI and the report only render what these return.
 *
 * - By mean: the cheapest strategy by mean cost per run, what it saves over the runner-up
 *   (savings = runner-up's mean - its mean, in $ and as a share of the runner-up's mean) with a
 *   95% interval, and P(it costs less than the runner-up in a single run).
 * - By p90: the same ranking by the 90th percentile of the cost per run.
 * - By cost per completed run: where runs can end with bugs left (retry caps, bounded ladders,
 *   a context window without compaction), a cheap strategy may be cheap because it gives up. The
 *   cost per completed run, mean / completion (completion = share of runs that fixed every bug),
 *   charges a strategy for the runs it leaves incomplete. Every candidate carries its completion
 *   so that no renderer names a cheapest strategy without it.
 */
import type { Comparison, SimResult } from "../evaluate/evaluate.js";
import { hasInfiniteCost, type AnalyticResult } from "../model/strategy.js";
import type { Context } from "../scenario/types.js";
import { t95, welchDegrees } from "../stats/threshold.js";

/** What the decision reads of a simulated result (the optional parts: a row without them ranks as if none applied). */
export type SimRow = Pick<
  SimResult,
  "strategy" | "generator" | "fixer" | "context" | "trials" | "mean" | "stdError" | "p90" | "allFixedFraction"
> & {
  ladder?: string | null;
  /** why the closed form is missing (hasInfiniteCost tells an infinite expected cost) */
  reason?: string | null;
  /** why the cost's variance is infinite: no interval holds for its mean */
  varianceReason?: string | null;
  /** the closed form's expected cost, where there is one */
  analyticMean?: number | null;
  /** the closed form's share of runs that fix every bug, where there is one */
  expectedCompletion?: number | null;
  /** the p90's 95% interval, where known */
  p90Low?: number | null;
  p90High?: number | null;
};

/**
 * The value ranked by mean: the simulated mean; Infinity where the expected cost is infinite (a
 * beta rate with a <= 2): such a mean estimates nothing and grows with the number of runs, so the
 * strategy cannot be the cheapest by mean, however low its sample mean; and the closed form's
 * expected cost where the cost's variance is infinite and there is one: such a sample mean is
 * mostly far too low (an audit's strategy was named cheapest at $0.253 against $0.258, where its
 * expected cost is $0.376).
 */
export function rankedMean(r: SimRow): number {
  if (hasInfiniteCost(r)) return Infinity;
  return r.varianceReason && r.analyticMean != null ? r.analyticMean : r.mean;
}

/** What the decision reads of a closed-form result. */
export type AnalyticRow = Pick<AnalyticResult, "strategy" | "generator" | "fixer" | "context" | "analyticMean" | "reason"> & {
  ladder?: string | null;
  /** expected share of runs that fix every bug; absent: every run completes; null: it has no closed form */
  expectedCompletion?: number | null;
};

/** A strategy in one ranking. */
export interface Candidate {
  strategy: string;
  /** the ranked quantity in $ per run: the mean, the p90, or mean / completion */
  value: number;
  /**
   * share of runs that fixed every bug (1 where no run can end incomplete); null where the closed
   * forms have none (regressions under a bounded ladder or a cap: see AnalyticResult)
   */
  completion: number | null;
}

/** The cheapest strategy by one measure, and what it saves over the next cheapest. */
export interface Choice {
  /** every candidate by this measure, cheapest first */
  ranking: Candidate[];
  best: Candidate;
  /** null when the context has one strategy */
  runnerUp: Candidate | null;
  /**
   * The other candidates that cost the same as `best` (see SameCost), in ranking order: `best`
   * is first among equals only by the input's order, so none of them is cheaper than the others.
   */
  tied: string[];
  /** runnerUp.value - best.value, $ per run (>= 0); null without a runner-up or when its value is infinite */
  savings: number | null;
  /** savings / runnerUp.value */
  savingsShare: number | null;
}

/** The choice by mean cost, with the uncertainty of the simulation. */
export interface MeanChoice extends Choice {
  /**
   * 95% interval of the savings: savings -/+ t_0.975(df) sqrt(se_best^2 + se_runnerUp^2), df by
   * Welch-Satterthwaite (see welchDegrees). The runs of
   * two strategies come from independent streams, so their mean costs are independent. An
   * interval that contains 0 means the two cannot be told apart at this trial count. A heavy-tailed
   * strategy ranked by its closed form counts an error of 0; one ranked by its unreliable simulated
   * mean leaves no interval (null).
   */
  savingsLow: number | null;
  savingsHigh: number | null;
  /**
   * Whether this many runs tell `best` from the runner-up: true with no runner-up, or one whose
   * expected cost is infinite, or savings whose 95% interval lies above 0; false in a tie or where
   * the interval includes 0; null where there is no interval (a heavy-tailed strategy ranked by
   * its unreliable simulated mean) or no cheapest (every expected cost infinite).
   */
  distinguishable: boolean | null;
  /** P(best costs less than the runner-up in a single run); ties count half (see Comparison) */
  probabilityCheaper: number | null;
  /**
   * The best and the runner-up where the cost's variance is infinite (a heavy-tailed Beta rate):
   * their simulated mean estimates the expected cost poorly (mostly too low), so they are ranked
   * by the closed form's expected cost where there is one (`expected`, else null; see rankedMean)
   */
  heavyTailed: { strategy: string; expected: number | null; simulated: number }[];
  /** every strategy's expected cost is infinite: none is cheapest by mean (`best` is only the first listed) */
  allInfinite: boolean;
  /**
   * The expected cost that `best` and the strategies in `tied` share by their closed forms, where
   * they are tied because their closed forms give the same expected cost (see sameExpectedCost):
   * their simulated means differ only by sampling noise. Null otherwise.
   */
  expectedTie: number | null;
  /**
   * The strategies of `tied` whose every run cost what every run of `best` cost (both without
   * spread, at one value): "the same in every run". The others of `tied` are the same only by their
   * closed forms, and their runs vary.
   */
  sameInEveryRun: string[];
}

export interface ContextDecision {
  context: Context;
  byMean: MeanChoice;
  byP90: Choice;
  /**
   * Where another strategy than the cheapest by mean has the lowest p90 (and the cheapest by mean
   * does not tie for it): whether their p90s' 95% intervals are apart (false: the runs cannot tell
   * the two p90s apart); null otherwise, or where the intervals are not known
   */
  p90Apart: boolean | null;
  /**
   * Where the cheapest by mean has the lowest p90 too: whether its p90's 95% interval lies below
   * that of the next p90 after those tied with it (firstAfterTies; false: the runs cannot tell the
   * two p90s apart); null otherwise, or where the intervals are not known
   */
  p90RunnerUpApart: boolean | null;
  /** ranked by mean / completion; null when every run of the context completes */
  byCompletedRun: Choice | null;
}

export interface Decision {
  /** one per context, in the order the results list them */
  contexts: ContextDecision[];
}

export interface AnalyticContextDecision {
  context: Context;
  /** the strategies with a closed form by expected cost; null when none of the context has one */
  byMean: Choice | null;
  /** ranked by expected cost / expected completion; null when every run completes, or some completion has no closed form */
  byCompletedRun: Choice | null;
  /**
   * the ranked strategies whose completion has no closed form (where runs may end with bugs left
   * and regressions add bugs): per completed run they are not ranked, and run measures it
   */
  completionUnknown: string[];
  /** strategies left out of the ranking, with the reason */
  noClosedForm: { strategy: string; reason: string }[];
}

export interface AnalyticDecision {
  contexts: AnalyticContextDecision[];
}

/** The contexts of some results, in the order they first appear. */
function contextsOf(rows: { context: Context }[]): Context[] {
  return [...new Set(rows.map((r) => r.context))];
}

/**
 * Two values of a ranking that are the same cost: equal, as two simulated means are when both
 * strategies cost the same constant in every run.
 */
export type SameCost = (a: number, b: number) => boolean;

const equal: SameCost = (a, b) => a === b;

/**
 * Closed forms that differ by less than this share of their value are the same expected cost: two
 * formulas equal in exact arithmetic (two models with the same parameters under two names, a
 * ladder and the plain strategy it amounts to) may round apart by a few units in the last place.
 */
export const CLOSED_FORM_TIE = 1e-12;

// (an infinite cost is the same as an infinite one only: its relative tolerance would be infinite)
const sameExpectedCost: SameCost = (a, b) =>
  a === b || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= CLOSED_FORM_TIE * Math.max(Math.abs(a), Math.abs(b)));

/** Candidates sorted by value, cheapest first; equal values keep their input order. */
export function rank(candidates: Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => a.value - b.value);
}

/**
 * The cheapest of some candidates, the others that cost the same (finite values only), and its
 * savings over the next cheapest. Throws when there are none.
 */
export function choose(candidates: Candidate[], same: SameCost = equal): Choice {
  const ranking = rank(candidates);
  const [best, runnerUp = null] = ranking;
  if (!best) throw new Error("choose: no candidates");
  const tied = Number.isFinite(best.value) ? ranking.slice(1).filter((c) => same(c.value, best.value)).map((c) => c.strategy) : [];
  if (!runnerUp || !Number.isFinite(runnerUp.value)) return { ranking, best, runnerUp, tied, savings: null, savingsShare: null };
  const savings = runnerUp.value - best.value;
  return { ranking, best, runnerUp, tied, savings, savingsShare: runnerUp.value === 0 ? null : savings / runnerUp.value };
}

/** Whether a candidate is known to leave bugs unfixed in some runs (a completion without a closed form is not). */
export function completesLess(c: Candidate): c is Candidate & { completion: number } {
  return c.completion !== null && c.completion < 1;
}

/** Cost per completed run: mean / completion; Infinity when no run completed. */
export function costPerCompletedRun(mean: number, completion: number): number {
  return completion > 0 ? mean / completion : Infinity;
}

/**
 * The choice by cost per completed run, or null when every candidate completes every run, or
 * when a candidate's completion is not known (a ranking without it would be no ranking of all).
 */
function byCompletedRunOf(byMean: Candidate[], same: SameCost): Choice | null {
  const known = byMean.flatMap((c) => (c.completion === null ? [] : [{ ...c, completion: c.completion }]));
  if (known.length < byMean.length || known.every((c) => c.completion >= 1)) return null;
  return choose(known.map((c) => ({ ...c, value: costPerCompletedRun(c.value, c.completion) })), same);
}

/** The simulated choice by cost per completed run, with its ties in expectation (withExpectedTies). */
function completedRun(byMean: Candidate[], rows: SimRow[]): Choice | null {
  const choice = byCompletedRunOf(byMean, equal);
  if (choice === null) return null;
  const { expectedTie: _, ...tied } = withExpectedTies(choice, rows, expectedPerCompletedRun);
  return tied;
}

/** P(C_a < C_b) in a single run of one context, from the measured comparisons (ties count half). */
export function probabilityCheaper(comparisons: Comparison[], context: Context, a: string, b: string): number | null {
  return comparisons.find((c) => c.context === context && c.a === a && c.b === b)?.probabilityCheaper ?? null;
}

/**
 * Whether the p90 of `lower` (the cheapest by p90) lies apart from that of `other` (the cheapest
 * by mean): `lower`'s interval wholly below `other`'s. Null when they are the same strategy, or
 * an interval is missing.
 */
function p90Apart(lower: SimRow, other: SimRow): boolean | null {
  if (lower === other || lower.p90High == null || other.p90Low == null) return null;
  return lower.p90High < other.p90Low;
}

/** The first candidate after the best and those tied with it (the runner-up a tie does not hide), or null. */
export function firstAfterTies(choice: Choice): Candidate | null {
  return choice.ranking.find((c) => c !== choice.best && !choice.tied.includes(c.strategy)) ?? null;
}

/**
 * Whether the p90 of `cheapest` (the cheapest by mean, among the lowest p90s) lies apart from the
 * next one after those ties (see p90Apart); null without one. Its own interval, not that of the
 * strategy tied with it that the input happens to list first.
 */
function p90ApartFromNext(byP90: Choice, cheapest: SimRow, row: (name: string) => SimRow): boolean | null {
  const next = firstAfterTies(byP90);
  return next ? p90Apart(cheapest, row(next.strategy)) : null;
}

/** A closed form of a measure: its value for a row, or null where the row has none. */
type ExpectedOf = (r: SimRow) => number | null;

/** The expected cost per run: the closed form's. */
const expectedMean: ExpectedOf = (r) => r.analyticMean ?? null;

/** The expected cost per completed run: E[C] / P(a run fixes every bug), by the closed forms. */
const expectedPerCompletedRun: ExpectedOf = (r) =>
  r.analyticMean != null && r.expectedCompletion != null && r.expectedCompletion > 0 ? r.analyticMean / r.expectedCompletion : null;

/**
 * A simulated choice with the strategies of the same closed-form value as its best among its ties
 * (sameExpectedCost: two strategies that cost the same in expectation are tied, however their
 * simulated values happen to fall), where they are ranked right after it: a strategy between two
 * of one expected value (cheaper than both in expectation, say) leaves the tie to the noise, as
 * does any strategy of a lower closed form (the tie would be said at a value that is not the
 * lowest). `expectedTie`: that value where it adds a tie, else null.
 */
function withExpectedTies(choice: Choice, rows: SimRow[], expectedOf: ExpectedOf): Choice & { expectedTie: number | null } {
  const best = rows.find((r) => r.strategy === choice.best.strategy)!;
  const expected = expectedOf(best);
  if (!Number.isFinite(choice.best.value) || expected === null || !Number.isFinite(expected)) return { ...choice, expectedTie: null };
  // a strategy of a lower closed form, simulated dearer: the tie would be said at a value that is
  // not the lowest in expectation, so the noise decides, as without closed forms
  const lower = rows.some((r) => {
    const value = expectedOf(r);
    return value !== null && value < expected && !sameExpectedCost(value, expected);
  });
  if (lower) return { ...choice, expectedTie: null };
  const same = (name: string) => {
    const value = expectedOf(rows.find((r) => r.strategy === name)!);
    return choice.tied.includes(name) || (value !== null && sameExpectedCost(value, expected));
  };
  const tied: string[] = [];
  for (const c of choice.ranking.slice(1)) {
    if (!same(c.strategy)) break;
    tied.push(c.strategy);
  }
  if (tied.length === choice.tied.length) return { ...choice, expectedTie: null };
  return { ...choice, tied, expectedTie: expected };
}

/** The tied strategies whose runs all cost the one value every run of the best cost (see MeanChoice.sameInEveryRun). */
function sameInEveryRun(choice: Choice, row: (name: string) => SimRow): string[] {
  const best = row(choice.best.strategy);
  if (best.stdError !== 0) return [];
  return choice.tied.filter((name) => row(name).stdError === 0 && row(name).mean === best.mean);
}

/** The decision per context from simulated results and their pairwise comparisons. */
export function decide(results: SimRow[], comparisons: Comparison[]): Decision {
  return {
    contexts: contextsOf(results).map((context) => {
      const mine = results.filter((r) => r.context === context);
      const candidate = (r: SimRow, value: number): Candidate => ({ strategy: r.strategy, value, completion: r.allFixedFraction });
      const { expectedTie, ...choice } = withExpectedTies(choose(mine.map((r) => candidate(r, rankedMean(r)))), mine, expectedMean);
      const byP90 = choose(mine.map((r) => candidate(r, r.p90)));
      const lowestP90 = [byP90.best.strategy, ...byP90.tied].includes(choice.best.strategy);
      const row = (name: string) => mine.find((r) => r.strategy === name)!;
      const stdError = (name: string) => row(name).stdError;
      let interval: [number | null, number | null] = [null, null];
      // an infinite variance (or mean) leaves no standard error to build the savings' interval on
      const infiniteVariance = (name: string) => (row(name).varianceReason ?? null) !== null;
      const infiniteMean = (name: string) => rankedMean(row(name)) === Infinity;
      // The standard error of the value a strategy is ranked by: its mean's; 0 for a heavy-tailed one
      // ranked by its closed form (exact); none for one ranked by an unreliable simulated mean. With
      // one side exact the other's error alone makes the interval (without one, the savings were
      // said as a fact at a quarter of that error, against the closed forms' order).
      const rankedError = (name: string): number | null =>
        !infiniteVariance(name) && !infiniteMean(name) ? stdError(name) : !infiniteMean(name) && row(name).analyticMean != null ? 0 : null;
      if (choice.savings !== null && Number.isFinite(choice.savings)) {
        const [a, b] = [rankedError(choice.best.strategy), rankedError(choice.runnerUp!.strategy)];
        if (a !== null && b !== null) {
          const df = welchDegrees(a, row(choice.best.strategy).trials, b, row(choice.runnerUp!.strategy).trials);
          const half = t95(df) * Math.hypot(a, b);
          interval = [choice.savings - half, choice.savings + half];
        }
      }
      return {
        context,
        byMean: {
          ...choice,
          savingsLow: interval[0],
          savingsHigh: interval[1],
          distinguishable: distinguishable(choice, interval[0]),
          probabilityCheaper: choice.runnerUp
            ? probabilityCheaper(comparisons, context, choice.best.strategy, choice.runnerUp.strategy)
            : null,
          heavyTailed: [choice.best, choice.runnerUp]
            .filter((c): c is Candidate => c !== null && infiniteVariance(c.strategy) && !infiniteMean(c.strategy))
            .map((c) => ({ strategy: c.strategy, expected: row(c.strategy).analyticMean ?? null, simulated: row(c.strategy).mean })),
          allInfinite: choice.best.value === Infinity,
          expectedTie,
          sameInEveryRun: sameInEveryRun(choice, row),
        },
        byP90,
        // whether the cheapest by mean has the lowest p90, first or tied (the input's order sets which is first)
        p90Apart: lowestP90 ? null : p90Apart(row(byP90.best.strategy), row(choice.best.strategy)),
        p90RunnerUpApart: lowestP90 ? p90ApartFromNext(byP90, row(choice.best.strategy), row) : null,
        byCompletedRun: completedRun(choice.ranking, mine),
      };
    }),
  };
}

/** MeanChoice.distinguishable, from the choice and the low end of its savings' interval. */
function distinguishable(choice: Choice, savingsLow: number | null): boolean | null {
  if (choice.best.value === Infinity) return null;
  if (choice.tied.length > 0) return false;
  if (choice.runnerUp === null || choice.runnerUp.value === Infinity) return true;
  return savingsLow === null ? null : savingsLow > 0;
}

/** The decision per context from the closed forms alone: the cheapest strategy by expected cost. */
export function decideAnalytic(results: AnalyticRow[]): AnalyticDecision {
  return {
    contexts: contextsOf(results).map((context) => {
      const mine = results.filter((r) => r.context === context);
      // an infinite expected cost ranks last, as run ranks it (it was "not ranked, no closed form"),
      // where some other strategy's is finite
      const finite = mine.filter((r) => r.analyticMean !== null);
      const infinite = finite.length > 0 ? mine.filter((r) => r.analyticMean === null && hasInfiniteCost(r)) : [];
      // a completion of null has no closed form (it was read as 1: "every run completes", where
      // run found 9.4%: an audit)
      const completion = (r: AnalyticRow) => (r.expectedCompletion === undefined ? 1 : r.expectedCompletion);
      const candidates = [
        ...finite.map((r) => ({ strategy: r.strategy, value: r.analyticMean!, completion: completion(r) })),
        ...infinite.map((r) => ({ strategy: r.strategy, value: Infinity, completion: completion(r) })),
      ];
      const byMean = candidates.length > 0 ? choose(candidates, sameExpectedCost) : null;
      return {
        context,
        byMean,
        byCompletedRun: byMean ? byCompletedRunOf(byMean.ranking, sameExpectedCost) : null,
        completionUnknown: (byMean?.ranking ?? []).filter((c) => c.completion === null).map((c) => c.strategy),
        noClosedForm: mine.filter((r) => r.analyticMean === null && !infinite.includes(r)).map((r) => ({ strategy: r.strategy, reason: r.reason ?? "no closed form" })),
      };
    }),
  };
}
