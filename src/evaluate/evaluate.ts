/**
 * One scenario, simulated and checked: the closed forms, the Monte Carlo runs, their summaries,
 * and the verdicts. The run, validate and sweep commands all report what this returns.
 */
import { analyzeStrategy, generationCost, type AnalyticResult } from "../model/strategy.js";
import type { Context, Scenario } from "../scenario/types.js";
import { joinColumn, sumColumn, type Column } from "../sim/columns.js";
import type { SimPath } from "../sim/kernel.js";
import type { SimulationPool } from "../sim/pool.js";
import { jobsOf, simulateJobs, type SimOutput } from "../sim/simulate.js";
import { checkMean, relativeError, type Verdict } from "../stats/check.js";
import { probabilityLess, summarize, type Summary } from "../stats/summary.js";

export interface SimResult extends Omit<Summary, "n"> {
  strategy: string;
  generator: string;
  fixer: string;
  context: Context;
  trials: number;
  analyticMean: number | null;
  /** why there is no closed form, when analyticMean is null */
  reason: string | null;
  z: number | null;
  relError: number | null;
  verdict: Verdict;
  /** the base formula (extensions without closed form dropped) and its relative error */
  baseMean: number;
  bias: number;
  meanAttempts: number;
  expectedAttempts: number | null;
  /** simulated means of the cost breakdown, $ */
  breakdown: { generation: number; fixInputNew: number; fixInputCached: number; fixOutput: number };
  meanBugs: number;
  expectedBugs: number | null;
  /** share of runs that fixed every bug (below 1 only with caps) */
  allFixedFraction: number;
  /** null when the scenario has no time model */
  meanWallSeconds: number | null;
  p90WallSeconds: number | null;
  wallStdError: number | null;
  expectedWallSeconds: number | null;
  /** share of follow-up requests that found the cache alive; null when there were none */
  cacheHitRate: number | null;
  expectedCacheHitRate: number | null;
}

export interface Comparison {
  context: Context;
  a: string;
  b: string;
  /** P(C_a < C_b) in a run, ties counted half */
  probabilityCheaper: number;
}

export interface Evaluation {
  results: SimResult[];
  comparisons: Comparison[];
}

export interface EvaluateOptions {
  trials: number;
  seedKey: string;
  path?: SimPath;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateScenario(pool: SimulationPool, scenario: Scenario, options: EvaluateOptions): Promise<Evaluation> {
  // Each job is summarized as soon as its chunks are in, while the pool works on the others;
  // only its cost column is kept, for the pairwise comparisons.
  const done = await Promise.all(
    simulateJobs(pool, jobsOf(scenario), options).map(async (pending) => {
      const o = await pending;
      const cost = joinColumn(o.chunks, "cost");
      return { o, cost, result: toResult(o, cost, analyzeStrategy(scenario, o.strategy, o.context), scenario) };
    }),
  );
  return { results: done.map((d) => d.result), comparisons: compare(done) };
}

function toResult(o: SimOutput, cost: Float64Array, analytic: AnalyticResult, scenario: Scenario): SimResult {
  const meanOf = (name: Column) => sumColumn(o.chunks, name) / o.runs;
  const { n: _n, ...summary } = summarize(cost);
  const check = checkMean(summary.mean, summary.stdError, analytic.analyticMean);
  const gen = scenario.models[o.strategy.generator]!;
  const fix = scenario.models[o.strategy.fixer]!;
  const timed = gen.speed !== null || fix.speed !== null || scenario.toolSeconds !== null;
  const followUps = sumColumn(o.chunks, "followUps");
  const wall = timed ? summarize(joinColumn(o.chunks, "wallSeconds")) : null;
  return {
    strategy: o.strategy.name,
    generator: o.strategy.generator,
    fixer: o.strategy.fixer,
    context: o.context,
    trials: o.runs,
    analyticMean: analytic.analyticMean,
    reason: analytic.reason,
    ...summary,
    ...check,
    baseMean: analytic.baseMean,
    bias: relativeError(summary.mean, analytic.baseMean),
    meanAttempts: meanOf("attempts"),
    expectedAttempts: analytic.expectedAttempts,
    breakdown: {
      generation: generationCost(scenario, gen),
      fixInputNew: meanOf("fixInputNew"),
      fixInputCached: meanOf("fixInputCached"),
      fixOutput: meanOf("fixOutput"),
    },
    meanBugs: meanOf("bugs"),
    expectedBugs: analytic.expectedBugs,
    allFixedFraction: meanOf("allFixed"),
    meanWallSeconds: wall?.mean ?? null,
    p90WallSeconds: wall?.p90 ?? null,
    wallStdError: wall?.stdError ?? null,
    expectedWallSeconds: analytic.expectedWallSeconds,
    cacheHitRate: followUps > 0 ? sumColumn(o.chunks, "cacheHits") / followUps : null,
    expectedCacheHitRate: analytic.cacheHitRate,
  };
}

/** P(C_a < C_b) for every ordered pair of strategies within a context. */
function compare(jobs: { o: SimOutput; cost: Float64Array }[]): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const a of jobs) {
    for (const b of jobs) {
      if (a === b || a.o.context !== b.o.context) continue;
      comparisons.push({
        context: a.o.context,
        a: a.o.strategy.name,
        b: b.o.strategy.name,
        probabilityCheaper: probabilityLess(a.cost, b.cost),
      });
    }
  }
  return comparisons;
}
