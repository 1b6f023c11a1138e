/**
 * The bootstrap over runs: replicate i resamples, within each stratum (strategy, context),
 * as many units as the stratum has, with replacement, from its own seeded stream
 * (`<seed>|bootstrap|<i>`), and re-estimates everything on the resample. Replicates depend on the
 * seed and their index only, so any split of them over threads gives the same numbers.
 *
 * The unit is a run because everything within a run is dependent (its bugs share the generator's
 * draw of a count and, under exact assignment, of a hard/easy split; its conversation ties its
 * token sizes together), and runs are independent of each other, but one: a strategy's run of
 * one index in both contexts, which `run --trace` draws from one stream (RunObservation.unit).
 * Such a pair is one unit, drawn together, in the stratum of its first run; counted as two
 * independent runs, it made every interval about 1/sqrt(2) too narrow (a coverage of about 82%).
 *
 * Intervals are percentile intervals: the 2.5% and 97.5% quantiles of the replicates' values (see
 * the README for the coverage measured on data drawn from the model).
 */
import seedrandom from "seedrandom";
import { quantileSorted } from "simple-statistics";
import type { FitData } from "./data.js";
import { estimate, parameterDefs } from "./estimate.js";
import { defaultStarts, type MixtureParams } from "./mixture.js";
import { replicateChoice, type ScenarioPlan } from "./scenario.js";

/**
 * Below this many resampled units (a group's runs, or Claude Code conversations) the percentile
 * bootstrap's intervals run short, and a note says so: resampling a group of one run never varies
 * it, and a helper measured 88% coverage at 5 runs.
 */
export const FEW_RUNS = 20;

/** The units of each stratum (see the top of this file), each with its runs, in order of first appearance. */
export function strataUnits(data: FitData): number[][][] {
  const out: number[][][] = data.strata.map(() => []);
  const unitRuns = new Map<number, number[]>();
  for (let r = 0; r < data.runs; r++) {
    const u = data.runUnit[r]!;
    const runs = unitRuns.get(u);
    if (runs) runs.push(r);
    else {
      const first = [r];
      unitRuns.set(u, first);
      out[data.runStratum[r]!]!.push(first);
    }
  }
  return out;
}

/** The stream name of replicate i. */
export function replicateSeed(seed: string, i: number): string {
  return `${seed}|bootstrap|${i}`;
}

/** How many times replicate i draws each run: n draws from each stratum of n units, each drawing all its runs. */
export function resampleWeights(strata: number[][][], runs: number, seed: string, i: number): Float64Array {
  const rng = seedrandom.alea(replicateSeed(seed, i));
  const weights = new Float64Array(runs);
  for (const units of strata) {
    for (let j = 0; j < units.length; j++) for (const r of units[Math.floor(rng() * units.length)]!) weights[r]++;
  }
  return weights;
}

export interface Replicate {
  /** every parameter's value (parameterDefs order); null where the resample says nothing */
  values: (number | null)[];
  /** per context of the plan's scenario, the cheapest strategy; empty without a plan, or when out of bounds */
  cheapest: (string | null)[];
  /** per context, whether other strategies cost the same as the cheapest (then it is first of them only by order) */
  tied: boolean[];
  /** why the replicate's estimates make no valid scenario (then it decides nothing), or null */
  outOfBounds: string | null;
  /** whether EM converged */
  converged: boolean;
}

/** A slice of replicates for one worker task. */
export interface BootstrapTask {
  data: FitData;
  seed: string;
  /** replicates from..to-1 */
  from: number;
  to: number;
  /** EM's warm start (the full data's fit), or null for the default starts */
  start: MixtureParams | null;
  plan: ScenarioPlan | null;
  /** per parameter (parameterDefs' order), true where the full data do not identify it: no replicate value either */
  unidentified: boolean[];
}

/** How near 0 or 1 a rate, or how near each other two rates, hold EM where they are (it creeps away at best). */
const EDGE = 1e-6;

/**
 * EM's starts for a replicate: the full data's fit (a warm start, fast), and the default starts
 * too where that fit lies where EM cannot leave (within EDGE): a rate at 0 or 1, or a source
 * whose two rates are equal (every bug it meets has the same history, and EM keeps them equal).
 * Started there alone, replicates ended below the likelihood fresh starts reach, and the
 * intervals came out narrow around a wrong value (an audit: [0.505, 0.543] for a rate of 0.9).
 */
export function replicateStarts(data: FitData, counts: Float64Array, start: MixtureParams | null): MixtureParams[] {
  if (start === null) return defaultStarts(data.mixture, counts);
  const rates = [...start.easy, ...start.hard];
  const trapped = rates.some((p) => p < EDGE || p > 1 - EDGE) || start.easy.some((p, s) => Math.abs(p - start.hard[s]!) < EDGE);
  return trapped ? [start, ...defaultStarts(data.mixture, counts)] : [start];
}

/** Replicates task.from .. task.to - 1. */
export function runReplicates(task: BootstrapTask): Replicate[] {
  const { data, seed, start, plan } = task;
  const defs = parameterDefs(data);
  const strata = strataUnits(data);
  const out: Replicate[] = [];
  for (let i = task.from; i < task.to; i++) {
    const e = estimate(data, resampleWeights(strata, data.runs, seed, i), (counts) => replicateStarts(data, counts, start));
    const values = defs.map((d, j) => (task.unidentified[j] ? null : d.read(e)));
    const choice = plan ? replicateChoice(plan, defs, values) : { cheapest: [], tied: [], outOfBounds: null };
    out.push({ values, ...choice, converged: e.mixture.converged });
  }
  return out;
}

/** A function that computes replicates (a worker pool, or runReplicates in this thread). */
export type ReplicateRunner = (task: BootstrapTask) => Promise<Replicate[]>;

/** The replicates computed in this thread: the same numbers as on any pool. */
export const inThisThread: ReplicateRunner = (task) => Promise.resolve(runReplicates(task));

/** Replicates per task: enough to outweigh sending the data, few enough to spread over threads. */
export const REPLICATES_PER_TASK = 25;

/** All B replicates, in index order, computed by `runner` in slices. */
export async function bootstrap(
  runner: ReplicateRunner,
  base: Omit<BootstrapTask, "from" | "to">,
  B: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Replicate[]> {
  const tasks: Promise<Replicate[]>[] = [];
  let done = 0;
  for (let from = 0; from < B; from += REPLICATES_PER_TASK) {
    const to = Math.min(B, from + REPLICATES_PER_TASK);
    tasks.push(
      runner({ ...base, from, to }).then((replicates) => {
        done += to - from;
        onProgress?.(done, B);
        return replicates;
      }),
    );
  }
  return (await Promise.all(tasks)).flat();
}

export interface Interval {
  ciLow: number;
  ciHigh: number;
  /** standard deviation of the replicates: the bootstrap standard error */
  stdError: number;
  /** replicates in which the parameter had a value */
  replicates: number;
}

/** The 95% percentile interval of the non-null values; null when there are none. */
export function percentileInterval(values: (number | null)[]): Interval | null {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.length > 1 ? xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { ciLow: quantileSorted(xs, 0.025), ciHigh: quantileSorted(xs, 0.975), stdError: Math.sqrt(variance), replicates: xs.length };
}
