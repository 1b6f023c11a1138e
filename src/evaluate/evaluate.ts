/**
 * One scenario, simulated and checked: the closed forms, the Monte Carlo runs, their summaries,
 * and the verdicts. The run, validate and sweep commands all report what this returns.
 */
import { analyzeStrategy, generationCost, type AnalyticResult } from "../model/strategy.js";
import type { Context, Scenario } from "../scenario/types.js";
import { column } from "../sim/columns.js";
import type { SimPath } from "../sim/kernel.js";
import type { SimulationPool } from "../sim/pool.js";
import { jobsOf, simulateJobs, type SimOutput } from "../sim/simulate.js";
import { checkMean, relativeError, type Verdict } from "../stats/check.js";
import { meanOf, probabilityLess, summarize, type Summary } from "../stats/summary.js";

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
  const outputs = await simulateJobs(pool, jobsOf(scenario), options);
  const results = outputs.map((o) => toResult(o, analyzeStrategy(scenario, o.strategy, o.context), scenario));
  return { results, comparisons: compare(outputs) };
}

function toResult(o: SimOutput, analytic: AnalyticResult, scenario: Scenario): SimResult {
  const col = (name: Parameters<typeof column>[2]) => column(o.data, o.runs, name);
  const { n: _n, ...summary } = summarize(col("cost"));
  const check = checkMean(summary.mean, summary.stdError, analytic.analyticMean);
  const gen = scenario.models[o.strategy.generator]!;
  const fix = scenario.models[o.strategy.fixer]!;
  const timed = gen.speed !== null || fix.speed !== null || scenario.toolSeconds !== null;
  const followUps = sum(col("followUps"));
  const wall = timed ? summarize(col("wallSeconds")) : null;
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
    meanAttempts: meanOf(col("attempts")),
    expectedAttempts: analytic.expectedAttempts,
    breakdown: {
      generation: generationCost(scenario, gen),
      fixInputNew: meanOf(col("fixInputNew")),
      fixInputCached: meanOf(col("fixInputCached")),
      fixOutput: meanOf(col("fixOutput")),
    },
    meanBugs: meanOf(col("bugs")),
    expectedBugs: analytic.expectedBugs,
    allFixedFraction: meanOf(col("allFixed")),
    meanWallSeconds: wall?.mean ?? null,
    p90WallSeconds: wall?.p90 ?? null,
    wallStdError: wall?.stdError ?? null,
    expectedWallSeconds: analytic.expectedWallSeconds,
    cacheHitRate: followUps > 0 ? sum(col("cacheHits")) / followUps : null,
    expectedCacheHitRate: analytic.cacheHitRate,
  };
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** P(C_a < C_b) for every ordered pair of strategies within a context. */
function compare(outputs: SimOutput[]): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const a of outputs) {
    for (const b of outputs) {
      if (a === b || a.context !== b.context) continue;
      comparisons.push({
        context: a.context,
        a: a.strategy.name,
        b: b.strategy.name,
        probabilityCheaper: probabilityLess(column(a.data, a.runs, "cost"), column(b.data, b.runs, "cost")),
      });
    }
  }
  return comparisons;
}
