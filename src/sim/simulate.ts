/**
 * Splitting a simulation into chunks and putting it back together.
 *
 * Runs are cut into chunks of CHUNK_RUNS; chunk k of (strategy, context) draws from the stream
 * named `<seedKey>|<strategy>|<context>|<k>`, and chunks are joined in index order. The results
 * therefore depend on the seed and the trial count only, never on the thread count.
 */
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import type { Chunk } from "./columns.js";
import type { SimPath } from "./kernel.js";
import { compileParams, type SimParams } from "./params.js";
import type { SimulationPool } from "./pool.js";

export const CHUNK_RUNS = 10_000;

export interface SimJob {
  strategy: Strategy;
  context: Context;
  params: SimParams;
}

export interface SimOutput {
  strategy: Strategy;
  context: Context;
  runs: number;
  /** per-run results, chunk by chunk in stream order (see columns.ts) */
  chunks: Chunk[];
}

/** The stream name of one chunk. */
export function chunkSeed(seedKey: string, strategy: string, context: Context, chunk: number): string {
  return `${seedKey}|${strategy}|${context}|${chunk}`;
}

export function jobsOf(scenario: Scenario): SimJob[] {
  return scenario.strategies.flatMap((strategy) =>
    scenario.contexts.map((context) => ({ strategy, context, params: compileParams(scenario, strategy, context) })),
  );
}

export interface SimulateOptions {
  trials: number;
  /** stream prefix: the scenario seed, or a sweep point's seed */
  seedKey: string;
  path?: SimPath;
  /** called after every finished chunk with the runs done so far and the total */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Simulate every job on the pool. All chunks are queued at once so the threads stay busy; each
 * job's promise settles as soon as its own chunks are done.
 */
export function simulateJobs(pool: SimulationPool, jobs: SimJob[], options: SimulateOptions): Promise<SimOutput>[] {
  const { trials, seedKey, path = "auto" } = options;
  const chunkCount = Math.ceil(trials / CHUNK_RUNS);
  const total = trials * jobs.length;
  let done = 0;
  return jobs.map(async (job) => {
    const chunks = await Promise.all(
      Array.from({ length: chunkCount }, async (_, k) => {
        const runs = Math.min(CHUNK_RUNS, trials - k * CHUNK_RUNS);
        const seed = chunkSeed(seedKey, job.strategy.name, job.context, k);
        const data = await pool.run({ params: job.params, seed, runs, path });
        done += runs;
        options.onProgress?.(done, total);
        return { runs, data };
      }),
    );
    return { strategy: job.strategy, context: job.context, runs: trials, chunks };
  });
}
