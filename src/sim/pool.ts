/**
 * The worker-thread pool: one per process, reused for every strategy, context and sweep point.
 * Workers run workers/simulate.ts, bundled by the build into dist/worker.mjs.
 */
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Piscina } from "piscina";
import { PACKAGE_ROOT } from "../packageRoot.js";
import type { SimPath } from "./kernel.js";
import type { SimParams } from "./params.js";

export interface ChunkTask {
  params: SimParams;
  seed: string;
  runs: number;
  path: SimPath;
  /** where the chunk's per-run cost goes: a view of its job's shared array */
  cost: Float64Array;
  /** where its per-run wall seconds go, when the job has a time model */
  wallSeconds: Float64Array | null;
}

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
  /** a task returns its chunk's column sums */
  private readonly pool: Piscina<ChunkTask, Float64Array>;

  constructor(readonly threads: number = defaultThreads()) {
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // Chunks wait at each worker (up to IN_FLIGHT_PER_THREAD are handed out, see simulate.ts),
      // so that it never idles while the main thread is busy summarizing a finished job.
      concurrentTasksPerWorker: 64,
    });
  }

  run(task: ChunkTask): Promise<Float64Array> {
    return this.pool.run(task);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
