/**
 * The worker-thread pool: one per process, reused for every strategy, context and sweep point.
 * Workers run workers/simulate.ts, bundled by the build into dist/worker.mjs; its exports are the
 * tasks (`run` a chunk, `call` any other by name).
 *
 * The threads start with the first task, not with the pool: a job small enough for the main
 * thread (see simulate.ts), or a pool of one thread, never starts them (`inline`).
 */
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Piscina } from "piscina";
import { PACKAGE_ROOT } from "../packageRoot.js";
import type { ChunkResult, ChunkTask } from "./chunk.js";

export type { ChunkTask };

/** The worker's exports other than the chunk (the default). */
export type TaskName = "quantiles" | "evaluatePoints";

/** The bundled worker entry point. */
function workerFile(): string {
  const file = resolve(PACKAGE_ROOT, "dist/worker.mjs");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export class SimulationPool {
  private pool: Promise<Piscina> | null = null;

  /**
   * `preload: "sweep"`: each worker loads the sweep's tasks as it starts (see workers/simulate.ts),
   * so that a sweep's first points do not wait for them.
   */
  constructor(
    readonly threads: number = defaultThreads(),
    private readonly preload: "sweep" | null = null,
  ) {}

  /** One thread: the work is done on this one, and no worker is started. */
  get inline(): boolean {
    return this.threads === 1;
  }

  private workers(): Promise<Piscina> {
    this.pool ??= import("piscina").then(
      ({ Piscina }) =>
        new Piscina({
          filename: workerFile(),
          // started at once: as many as there are cores; more (--threads above the cores) only
          // while tasks wait for one (256 threads started for a sweep of 8 points took 24 s and 2.6 GB)
          minThreads: Math.min(this.threads, availableParallelism()),
          maxThreads: this.threads,
          idleTimeout: 60_000,
          // Tasks wait at each worker (simulate.ts hands out a few per thread ahead), so that a
          // worker never idles while the main thread gathers a finished task.
          concurrentTasksPerWorker: 8,
          workerData: { preload: this.preload },
        }),
    );
    return this.pool;
  }

  /** Start the threads now (they start with the first task otherwise), unless they are not used. */
  start(): void {
    // a failure to start them (too few threads allowed) is the first task's to report
    if (!this.inline) this.workers().catch(() => {});
  }

  /** Simulate a chunk on a worker. */
  async run(task: ChunkTask): Promise<ChunkResult[]> {
    return (await this.workers()).run(task);
  }

  /** Run the worker's task `name`. */
  async call<R>(name: TaskName, task: unknown): Promise<R> {
    return (await this.workers()).run(task, { name }) as Promise<R>;
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).destroy();
    this.pool = null;
  }
}
