/**
 * One scenario, simulated and checked: the closed forms, the Monte Carlo runs, their summaries,
 * and the verdicts. The run, validate and sweep commands all report what this returns.
 */
import { analyzeStrategy, generationCost, type AnalyticResult } from "../model/strategy.js";
import type { Context, Scenario } from "../scenario/types.js";
import { sumColumn, type Column } from "../sim/columns.js";
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
  /** the skewness-corrected z the verdict reads (see stats/check.ts) */
  zCorrected: number | null;
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
  /** skewness of the wall seconds per run, for their check */
  wallSkewness: number | null;
  expectedWallSeconds: number | null;
  /** share of follow-up requests that found the cache alive; null when there were none */
  cacheHitRate: number | null;
  expectedCacheHitRate: number | null;
}

export interface Comparison {
  context: Context;
  a: string;
  b: string;
  /** P(C_a < C_b) + P(C_a = C_b) / 2 in a run: ties counted as half */
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
  // Each job is summarized, and compared with the jobs of its context already in, as soon as its
  // chunks are in, while the pool works on the others.
  const jobs = jobsOf(scenario);
  const finished = new Map<number, SimOutput>();
  /** P(C_i < C_j) for jobs i < j of one context, keyed "i,j" (orientation fixed by job order) */
  const pairs = new Map<string, number>();
  const results = await Promise.all(
    simulateJobs(pool, jobs, options).map(async (pending, i) => {
      const o = await pending;
      for (const [j, other] of finished) {
        if (other.context !== o.context) continue;
        if (i < j) pairs.set(`${i},${j}`, probabilityLess(o.cost, other.cost));
        else pairs.set(`${j},${i}`, probabilityLess(other.cost, o.cost));
      }
      finished.set(i, o);
      return toResult(o, analyzeStrategy(scenario, o.strategy, o.context), scenario);
    }),
  );
  return { results, comparisons: comparisonsOf(results, pairs) };
}

function toResult(o: SimOutput, analytic: AnalyticResult, scenario: Scenario): SimResult {
  const meanOf = (name: Column) => sumColumn(o.chunkSums, name) / o.runs;
  const { n, ...summary } = summarize(o.cost);
  const check = checkMean({ n, ...summary }, analytic.analyticMean);
  const gen = scenario.models[o.strategy.generator]!;
  const followUps = sumColumn(o.chunkSums, "followUps");
  const wall = o.wallSeconds ? summarize(o.wallSeconds) : null;
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
    wallSkewness: wall?.skewness ?? null,
    expectedWallSeconds: analytic.expectedWallSeconds,
    cacheHitRate: followUps > 0 ? sumColumn(o.chunkSums, "cacheHits") / followUps : null,
    expectedCacheHitRate: analytic.cacheHitRate,
  };
}

/**
 * P(C_a < C_b) for every ordered pair of strategies within a context, in result order. Each pair
 * was measured once; with ties counted half, P(C_b < C_a) = 1 - P(C_a < C_b).
 */
function comparisonsOf(results: SimResult[], pairs: Map<string, number>): Comparison[] {
  const comparisons: Comparison[] = [];
  results.forEach((a, i) =>
    results.forEach((b, j) => {
      if (i === j || a.context !== b.context) return;
      const probabilityCheaper = i < j ? pairs.get(`${i},${j}`)! : 1 - pairs.get(`${j},${i}`)!;
      comparisons.push({ context: a.context, a: a.strategy, b: b.strategy, probabilityCheaper });
    }),
  );
  return comparisons;
}
