/**
 * Splitting a simulation into chunks and putting it back together.
 *
 * Runs are cut into chunks of CHUNK_RUNS. Chunk k of a stream writes runs [k CHUNK_RUNS,
 * (k+1) CHUNK_RUNS) of its jobs' per-run arrays (shared memory, so no chunk is copied back). On
 * the fast path one stream per strategy, `<seedKey>|<strategy>|counts|<k>`, feeds both of its
 * contexts (the attempt counts it draws do not depend on the context); on the attempt path each
 * (strategy, context) has its own, `<seedKey>|<strategy>|<context>|<k>`. Column sums are added
 * in chunk order. The results therefore depend on the seed and the trial count only, never on
 * the thread count, nor on which other strategies and contexts the scenario lists.
 *
 * A small simulation (or one on a pool of one thread) runs on this thread: a worker's start
 * would cost more than it saves. The chunks, streams and sums are the same either way.
 */
import { expectedRunAttempts } from "../scenario/bounds.js";
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import type { Moments } from "../stats/summary.js";
import { runChunk, type ChunkResult, type ChunkTask } from "./chunk.js";
import { takesFastPath, type SimPath } from "./kernel.js";
import { compileParams } from "./compile.js";
import type { SimParams } from "./params.js";
import type { SimulationPool } from "./pool.js";
import { loadSamplersFor } from "./samplers.js";

export const CHUNK_RUNS = 50_000;

export interface SimJob {
  strategy: Strategy;
  context: Context;
  params: SimParams;
  /** an upper bound on the expected fix attempts of a run (expectedRunAttempts), which sizes the job */
  attempts: number;
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
  /** the moments of the cost (and wall seconds) per run, chunk by chunk */
  costMoments: Moments[];
  wallMoments: Moments[] | null;
}

/** Bytes a simulation's per-run arrays hold: every job's cost per run, and seconds per run where timed. */
export function perRunBytes(jobs: readonly SimJob[], trials: number): number {
  return jobs.reduce((bytes, job) => bytes + trials * Float64Array.BYTES_PER_ELEMENT * (job.params.timed ? 2 : 1), 0);
}

/** A per-run array: in memory that the worker threads write to directly, unless the job runs on this thread. */
function perRunArray(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)) : new Float64Array(length);
}

/** The stream name of chunk k of a job (see the top of this file). */
export function streamName(seedKey: string, job: SimJob, path: SimPath, k: number): string {
  const stream = takesFastPath(job.params, path) ? "counts" : job.context;
  return `${seedKey}|${job.strategy.name}|${stream}|${k}`;
}

export function jobsOf(scenario: Scenario): SimJob[] {
  return scenario.strategies.flatMap((strategy) => {
    const { attempts } = expectedRunAttempts(scenario, strategy);
    return scenario.contexts.map((context) => ({ strategy, context, params: compileParams(scenario, strategy, context), attempts }));
  });
}

/** Jobs that draw from one stream: a fast-path strategy's contexts together, else each job alone (indexes into jobs). */
function streamsOf(jobs: readonly SimJob[], path: SimPath): number[][] {
  const streams: number[][] = [];
  jobs.forEach((job, i) => {
    const last = streams.at(-1);
    const previous = last ? jobs[last[0]!]! : null;
    if (previous && previous.strategy === job.strategy && takesFastPath(job.params, path)) last!.push(i);
    else streams.push([i]);
  });
  return streams;
}

/**
 * Below this much work (bugs simulated on the fast path, whatever their attempts; a request on the
 * attempt path, the generation and each fix attempt, counting as ATTEMPT_WORK) a simulation runs on
 * this thread: about 40 ms, what starting the workers costs.
 */
const INLINE_WORK = 4_000_000;
const ATTEMPT_WORK = 2;

/**
 * Whether a simulation is small: less work than starting the workers would cost. On the attempt
 * path a run's work is its requests, by the bound on its expected attempts that the scenario was
 * checked against (regressions and beta rates included): a scenario at the attempts bound (1e4 a
 * bug) was "small" at 4,000 runs, counted as 4 draws a bug, 9 s on this thread whatever --threads
 * said, deaf to Ctrl-C for a whole chunk (the worst-case audit).
 */
export function isSmall(jobs: readonly SimJob[], trials: number, path: SimPath = "auto"): boolean {
  return workOf(jobs, trials, path) < INLINE_WORK;
}

/** The work of a simulation, in the units of INLINE_WORK. */
function workOf(jobs: readonly SimJob[], trials: number, path: SimPath): number {
  let work = 0;
  for (const stream of streamsOf(jobs, path)) {
    const { params: p, attempts } = jobs[stream[0]!]!;
    work += trials * (takesFastPath(p, path) ? p.bugCount + 1 : (attempts + 1) * ATTEMPT_WORK);
  }
  return work;
}

/**
 * About how long a simulation takes on `threads` threads, in seconds, at INLINE_WORK per 40 ms a
 * thread (this machine's speed when it was measured; another's differs, but not tenfold): for a
 * heads-up before a job of minutes, which at the attempts bound shows no progress for a while.
 */
export function simulationSeconds(jobs: readonly SimJob[], trials: number, path: SimPath, threads: number): number {
  return (workOf(jobs, trials, path) / INLINE_WORK) * 0.04 / threads;
}

/**
 * The threads a simulation runs on: this one for a small job or a pool of one; else the pool's
 * threads that get a chunk (a job of one chunk on three threads ran on one, its header said 3).
 */
export function threadsUsed(pool: SimulationPool, jobs: readonly SimJob[], trials: number, path: SimPath = "auto"): number {
  if (runsInline(pool, jobs, trials, path)) return 1;
  return Math.min(pool.threads, streamsOf(jobs, path).length * Math.ceil(trials / CHUNK_RUNS));
}

/** Whether the simulation runs on this thread rather than on the pool's workers. */
export function runsInline(pool: SimulationPool, jobs: readonly SimJob[], trials: number, path: SimPath = "auto"): boolean {
  return pool.inline || isSmall(jobs, trials, path);
}

export interface SimulateOptions {
  trials: number;
  /** stream prefix: the scenario seed, or a sweep point's seed */
  seedKey: string;
  path?: SimPath;
  /** on this thread (see runsInline) */
  inline?: boolean;
  /** called after every finished chunk with the runs done so far and the total */
  onProgress?: (done: number, total: number) => void;
  /** called for each job of every finished chunk k, with the chunk's cost per run (a view of the job's array) */
  onChunk?: (job: number, k: number, cost: Float64Array) => void;
}

/**
 * Simulate every job, on the pool or on this thread; each job's promise settles as soon as its
 * own chunks are done.
 *
 * Chunks are handed out in job order, a few per thread at a time, so that jobs finish one after
 * another and each can be summarized while the threads work on the next.
 */
export function simulateJobs(pool: SimulationPool, jobs: SimJob[], options: SimulateOptions): Promise<SimOutput>[] {
  const { trials, seedKey, path = "auto" } = options;
  const inline = options.inline ?? runsInline(pool, jobs, trials, path);
  const chunkCount = Math.ceil(trials / CHUNK_RUNS);
  const total = trials * jobs.length;
  const outputs: SimOutput[] = jobs.map((job) => ({
    strategy: job.strategy,
    context: job.context,
    runs: trials,
    cost: perRunArray(trials, !inline),
    wallSeconds: job.params.timed ? perRunArray(trials, !inline) : null,
    chunkSums: new Array<Float64Array>(chunkCount),
    costMoments: new Array<Moments>(chunkCount),
    wallMoments: job.params.timed ? new Array<Moments>(chunkCount) : null,
  }));
  const settle = jobs.map(() => deferred<SimOutput>());
  const streams = streamsOf(jobs, path);
  const remaining = jobs.map(() => chunkCount);
  let done = 0;

  /** Chunk `next` of all streams in order: its task, and what to do with its sums. */
  const chunk = (next: number): { task: ChunkTask; finish: (results: ChunkResult[]) => void } => {
    const members = streams[Math.floor(next / chunkCount)]!;
    const k = next % chunkCount;
    const first = k * CHUNK_RUNS;
    const runs = Math.min(CHUNK_RUNS, trials - first);
    const task: ChunkTask = {
      params: members.map((j) => jobs[j]!.params),
      seed: streamName(seedKey, jobs[members[0]!]!, path, k),
      runs,
      path,
      cost: members.map((j) => outputs[j]!.cost.subarray(first, first + runs)),
      wallSeconds: members.map((j) => outputs[j]!.wallSeconds?.subarray(first, first + runs) ?? null),
    };
    const finish = (results: ChunkResult[]) => {
      members.forEach((j, i) => {
        const out = outputs[j]!;
        out.chunkSums[k] = results[i]!.sums;
        out.costMoments[k] = results[i]!.cost;
        if (out.wallMoments) out.wallMoments[k] = results[i]!.wallSeconds!;
        options.onChunk?.(j, k, out.cost.subarray(first, first + runs));
        done += runs;
        if (--remaining[j]! === 0) settle[j]!.resolve(outputs[j]!);
      });
      options.onProgress?.(done, total);
    };
    return { task, finish };
  };
  const chunks = streams.length * chunkCount;
  const fail = (err: unknown) => settle.forEach((s) => s.reject(err));

  if (inline) {
    // One chunk at a time, yielding between chunks so that progress shows and signals are heard.
    void (async () => {
      await loadSamplersFor(jobs.map((job) => job.params));
      for (let next = 0; next < chunks; next++) {
        const { task, finish } = chunk(next);
        finish(runChunk(task));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch(fail);
  } else {
    let next = 0;
    const submit = (): void => {
      if (next >= chunks) return;
      const { task, finish } = chunk(next++);
      pool.run(task).then((results) => {
        finish(results);
        submit();
      }, fail);
    };
    for (let i = 0; i < IN_FLIGHT_PER_THREAD * pool.threads; i++) submit();
  }
  return settle.map((s) => s.promise);
}

/** Chunks handed to the pool ahead, per thread. */
const IN_FLIGHT_PER_THREAD = 4;

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
