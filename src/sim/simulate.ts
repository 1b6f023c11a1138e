/**
 * Splitting a simulation into chunks and putting it back together.
 *
 * Runs are cut into chunks of CHUNK_RUNS; chunk k of (strategy, context) draws from the stream
 * named `<seedKey>|<strategy>|<context>|<k>` and writes runs [k CHUNK_RUNS, (k+1) CHUNK_RUNS) of
 * its job's per-run arrays (shared memory, so no chunk is copied back). Column sums are added in
 * chunk order. The results therefore depend on the seed and the trial count only, never on the
 * thread count.
 */
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import type { SimPath } from "./kernel.js";
import { compileParams } from "./compile.js";
import type { SimParams } from "./params.js";
import type { SimulationPool } from "./pool.js";

export const CHUNK_RUNS = 50_000;

export interface SimJob {
  strategy: Strategy;
  context: Context;
  params: SimParams;
}

export interface SimOutput {
  strategy: Strategy;
  context: Context;
  runs: number;
  /** $ per run, in stream order */
  cost: Float64Array;
  /** seconds per run, when the scenario has a time model */
  wallSeconds: Float64Array | null;
  /** every column's sum, chunk by chunk (see columns.ts) */
  chunkSums: Float64Array[];
}

/** A per-run array in memory that the worker threads write to directly. */
function sharedArray(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
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
 * Simulate every job on the pool; each job's promise settles as soon as its own chunks are done.
 *
 * Chunks are handed to the pool in job order, a few per thread at a time, so that jobs finish
 * one after another and each can be summarized while the threads work on the next.
 */
export function simulateJobs(pool: SimulationPool, jobs: SimJob[], options: SimulateOptions): Promise<SimOutput>[] {
  const { trials, seedKey, path = "auto" } = options;
  const chunkCount = Math.ceil(trials / CHUNK_RUNS);
  const total = trials * jobs.length;
  const inFlight = IN_FLIGHT_PER_THREAD * pool.threads;
  let done = 0;
  let next = 0; // index of the next chunk to hand out, over all jobs in order
  const outputs: SimOutput[] = jobs.map((job) => ({
    strategy: job.strategy,
    context: job.context,
    runs: trials,
    cost: sharedArray(trials),
    wallSeconds: job.params.timed ? sharedArray(trials) : null,
    chunkSums: new Array<Float64Array>(chunkCount),
  }));
  const settle = jobs.map(() => deferred<SimOutput>());
  const remaining = jobs.map(() => chunkCount);

  const submit = (): void => {
    if (next >= jobs.length * chunkCount) return;
    const j = Math.floor(next / chunkCount);
    const k = next % chunkCount;
    next++;
    const job = jobs[j]!;
    const out = outputs[j]!;
    const first = k * CHUNK_RUNS;
    const runs = Math.min(CHUNK_RUNS, trials - first);
    const seed = chunkSeed(seedKey, job.strategy.name, job.context, k);
    const cost = out.cost.subarray(first, first + runs);
    const wallSeconds = out.wallSeconds?.subarray(first, first + runs) ?? null;
    pool.run({ params: job.params, seed, runs, path, cost, wallSeconds }).then(
      (sums) => {
        out.chunkSums[k] = sums;
        done += runs;
        options.onProgress?.(done, total);
        if (--remaining[j]! === 0) settle[j]!.resolve(out);
        submit();
      },
      (err: unknown) => settle.forEach((s) => s.reject(err)),
    );
  };
  for (let i = 0; i < inFlight; i++) submit();
  return settle.map((s) => s.promise);
}

/** Chunks handed to the pool ahead, per thread. */
const IN_FLIGHT_PER_THREAD = 64;

/** A promise with its resolve and reject (Promise.withResolvers, which Node 20 lacks). */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
