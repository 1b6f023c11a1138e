/**
 * One scenario, simulated and checked: the closed forms, the Monte Carlo runs, their summaries,
 * and the verdicts. The run, validate and sweep commands all report what this returns.
 */
import { analyzeStrategy, generationCost, hasInfiniteCost, modelCostOf, type AnalyticResult, type ModelCost, type RungStats } from "../model/strategy.js";
import { ladderText, singleFixer, strategyModels } from "../scenario/ladder.js";
import type { Context, Scenario } from "../scenario/types.js";
import { ModelSum, RungSum, sumAt, sumColumn, sumsLayout, type Column, type SumsLayout } from "../sim/columns.js";
import type { SimPath } from "../sim/kernel.js";
import type { SimulationPool } from "../sim/pool.js";
import { jobsOf, runsInline, simulateJobs, type SimOutput } from "../sim/simulate.js";
import { checkMean, relativeError, type Verdict } from "../stats/check.js";
import { joinMoments, pairsLess, summaryOf, summaryQuantiles, type Moments, type Summary } from "../stats/summary.js";

export interface SimResult extends Omit<Summary, "n" | "ciLow" | "ciHigh"> {
  /** mean -/+ t_0.975(n - 1) s/sqrt(n); null where the cost's variance (or mean) is infinite, as no interval holds then */
  ciLow: number | null;
  ciHigh: number | null;
  strategy: string;
  generator: string;
  /** the single fixer of a one-rung ladder, or null */
  fixer: string | null;
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
  baseMean: number | null;
  bias: number | null;
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
  /** the ladder in short ("weak x3 > strong") */
  ladder: string;
  /** simulated $ per run by model and category (section 9) */
  costByModel: Record<string, ModelCost>;
  expectedCostByModel: Record<string, ModelCost> | null;
  /** per rung: simulated share of bugs reaching it and attempts (consults) on it per run */
  rungs: RungStats[];
  consultsPerRun: number;
  compactionsPerRun: number;
  /** share of runs that stopped at a context window (no compaction) */
  windowStopFraction: number;
  /** mean / completion: what a run that fixes every bug costs, counting the incomplete runs' spend; null when none completes */
  costPerCompletedRun: number | null;
  expectedCompletion: number | null;
  /**
   * Where the expected cost is infinite (a beta rate with a <= 2): the mean of the first and of
   * the second half of the runs, whose disagreement shows that the mean does not converge.
   */
  halfMeans: [number, number] | null;
  /** why the cost's variance is infinite (a beta rate with a <= 4): no interval or z holds then */
  varianceReason: string | null;
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
  /** $ per run of each result, in stream order; only with the `keepCosts` option */
  costs?: Float64Array[];
}

export interface EvaluateOptions {
  trials: number;
  seedKey: string;
  path?: SimPath;
  onProgress?: (done: number, total: number) => void;
  /** keep every run's cost in `Evaluation.costs` (the report draws their distribution) */
  keepCosts?: boolean;
}

export async function evaluateScenario(pool: SimulationPool, scenario: Scenario, options: EvaluateOptions): Promise<Evaluation> {
  // Each job is summarized as soon as its chunks are in, while the pool works on the others. The
  // summaries run where the chunks do: on the pool's workers (over the shared per-run arrays), or
  // on this thread for a small job. Pairs of jobs are compared chunk by chunk, here, as chunks
  // come in (see PairCounts), so that no comparison waits for the last job.
  const jobs = jobsOf(scenario);
  const inline = runsInline(pool, jobs, options.trials, options.path);
  const summary = async (values: Float64Array, parts: Moments[]): Promise<Summary> => {
    const moments = joinMoments(parts);
    const { min, max } = moments;
    return summaryOf(moments, inline ? summaryQuantiles(values, min, max) : await pool.call("quantiles", { values, min, max }));
  };
  const pairs = new PairCounts(jobs.map((job) => job.context));
  const finished = new Map<number, SimOutput>();
  const results = await Promise.all(
    simulateJobs(pool, jobs, { ...options, inline, onChunk: (j, k, cost) => pairs.add(j, k, cost) }).map(async (pending, i) => {
      const o = await pending;
      finished.set(i, o);
      const [cost, wall] = await Promise.all([summary(o.cost, o.costMoments), o.wallSeconds ? summary(o.wallSeconds, o.wallMoments!) : null]);
      return toResult(o, cost, wall, analyzeStrategy(scenario, o.strategy, o.context), scenario);
    }),
  );
  const evaluation: Evaluation = { results, comparisons: comparisonsOf(results, pairs.less, options.trials) };
  if (options.keepCosts) evaluation.costs = jobs.map((_, i) => finished.get(i)!.cost);
  return evaluation;
}

/**
 * P(C_i < C_j) for the jobs i < j of each context, counted chunk by chunk: when chunk k of one
 * job comes in, it is compared with chunk k of every other job of its context already in (ties
 * half, `pairsLess`). The counts are whole numbers and halves, so they add up exactly in
 * whatever order chunks finish: the same probabilities on any number of threads.
 */
class PairCounts {
  /** per job, its chunks' costs in so far, by chunk index */
  private readonly chunks: Float64Array[][];
  /** "i,j" (i < j) -> runs in which job i costs less, ties half */
  readonly less = new Map<string, number>();

  constructor(private readonly contexts: readonly Context[]) {
    this.chunks = contexts.map(() => []);
  }

  add(job: number, k: number, cost: Float64Array): void {
    this.chunks[job]![k] = cost;
    this.contexts.forEach((context, other) => {
      const theirs = this.chunks[other]![k];
      if (other === job || context !== this.contexts[job] || !theirs) return;
      const [i, a, b] = job < other ? [job, cost, theirs] : [other, theirs, cost];
      const key = `${i},${Math.max(job, other)}`;
      this.less.set(key, (this.less.get(key) ?? 0) + pairsLess(a, b));
    });
  }
}

/** A job's result from its sums and the summaries of its cost (and wall seconds) per run. */
function toResult(o: SimOutput, cost: Summary, wall: Summary | null, analytic: AnalyticResult, scenario: Scenario): SimResult {
  const meanOf = (name: Column) => sumColumn(o.chunkSums, name) / o.runs;
  const { n, ...summary } = cost;
  const check = checkMean(cost, analytic.analyticMean, undefined, analytic.varianceReason !== null);
  const gen = scenario.models[o.strategy.generator]!;
  const followUps = sumColumn(o.chunkSums, "followUps");
  const allFixed = meanOf("allFixed");
  const infinite = hasInfiniteCost(analytic);
  // the models in the order the kernel keeps their sums (compile.ts), and where those sums are
  const models = strategyModels(o.strategy);
  const layout = sumsLayout(models.length, o.strategy.ladder.length);
  const generation = generationCost(scenario, gen);
  return {
    strategy: o.strategy.name,
    generator: o.strategy.generator,
    fixer: singleFixer(o.strategy.ladder),
    context: o.context,
    trials: o.runs,
    analyticMean: analytic.analyticMean,
    reason: analytic.reason,
    ...summary,
    ...(analytic.varianceReason === null && !infinite ? {} : { ciLow: null, ciHigh: null }),
    ...check,
    ...(infinite ? { verdict: "infinite mean" as const } : {}),
    baseMean: analytic.baseMean,
    // with an infinite expected cost the bias is infinite too, whatever the runs' mean
    bias: analytic.baseMean === null || infinite ? null : relativeError(summary.mean, analytic.baseMean),
    meanAttempts: meanOf("attempts"),
    expectedAttempts: analytic.expectedAttempts,
    breakdown: {
      generation,
      fixInputNew: meanOf("fixInputNew"),
      fixInputCached: meanOf("fixInputCached"),
      fixOutput: meanOf("fixOutput"),
    },
    meanBugs: meanOf("bugs"),
    expectedBugs: analytic.expectedBugs,
    allFixedFraction: allFixed,
    meanWallSeconds: wall?.mean ?? null,
    p90WallSeconds: wall?.p90 ?? null,
    wallStdError: wall?.stdError ?? null,
    wallSkewness: wall?.skewness ?? null,
    expectedWallSeconds: analytic.expectedWallSeconds,
    cacheHitRate: followUps > 0 ? sumColumn(o.chunkSums, "cacheHits") / followUps : null,
    expectedCacheHitRate: analytic.cacheHitRate,
    ladder: ladderText(o.strategy.ladder),
    costByModel: simulatedCostByModel(o, models, layout, generation),
    expectedCostByModel: analytic.costByModel,
    rungs: simulatedRungs(o, layout),
    consultsPerRun: meanOf("consults"),
    compactionsPerRun: meanOf("compactions"),
    windowStopFraction: meanOf("windowStops"),
    costPerCompletedRun: allFixed > 0 ? summary.mean / allFixed : null,
    expectedCompletion: analytic.expectedCompletion,
    halfMeans: infinite ? halfMeans(o.cost) : null,
    varianceReason: analytic.varianceReason,
  };
}

/** $ per run by model and category, from the chunks' sums; the generator's call is its generation. */
function simulatedCostByModel(o: SimOutput, names: string[], layout: SumsLayout, generation: number): Record<string, ModelCost> {
  const out: Record<string, ModelCost> = {};
  names.forEach((name, i) => {
    const at = (c: ModelSum) => sumAt(o.chunkSums, layout.modelBase + i * ModelSum.stride + c) / o.runs;
    out[name] = modelCostOf({
      generation: name === o.strategy.generator ? generation : 0,
      uncachedInput: at(ModelSum.uncachedInput),
      cacheWrite: at(ModelSum.cacheWrite),
      cacheRead: at(ModelSum.cacheRead),
      output: at(ModelSum.output),
    });
  });
  return out;
}

/** Per rung: bugs that reached it over all bugs met, and its attempts (consults) per run. */
function simulatedRungs(o: SimOutput, layout: SumsLayout): RungStats[] {
  const bugs = sumColumn(o.chunkSums, "bugs");
  return o.strategy.ladder.map((rung, k) => {
    const at = (c: number) => sumAt(o.chunkSums, layout.rungBase + k * RungSum.stride + c);
    return { rung: k, kind: rung.kind, model: rung.model, reachFraction: bugs > 0 ? at(RungSum.reached) / bugs : 0, attemptsPerRun: at(RungSum.attempts) / o.runs };
  });
}

/** The mean of the first and of the second half of the runs. */
function halfMeans(cost: Float64Array): [number, number] {
  const half = Math.floor(cost.length / 2);
  let a = 0;
  let b = 0;
  for (let i = 0; i < half; i++) a += cost[i]!;
  for (let i = half; i < cost.length; i++) b += cost[i]!;
  return [half > 0 ? a / half : NaN, b / (cost.length - half)];
}

/**
 * P(C_a < C_b) for every ordered pair of strategies within a context, in result order, from the
 * runs in which the first of each pair costs less (`less`, ties half, of `runs`): with ties half,
 * the runs in which b costs less are runs - less, whole or half, so each order is one division of
 * an exact count, and the same pair listed the other way round gives the same double (1 - p
 * did not: 0.8449800000000001 for 0.84498, the consistency audit).
 */
function comparisonsOf(results: SimResult[], less: Map<string, number>, runs: number): Comparison[] {
  const comparisons: Comparison[] = [];
  results.forEach((a, i) =>
    results.forEach((b, j) => {
      if (i === j || a.context !== b.context) return;
      const probabilityCheaper = (i < j ? less.get(`${i},${j}`)! : runs - less.get(`${j},${i}`)!) / runs;
      comparisons.push({ context: a.context, a: a.strategy, b: b.strategy, probabilityCheaper });
    }),
  );
  return comparisons;
}
