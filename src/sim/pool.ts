/**
 * The worker-thread pool: one per process, reused for every strategy, context and sweep point.
 * Workers run workers/simulate.ts (compiled to dist/workers/simulate.js).
 */
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { SimPath } from "./kernel.js";
import type { SimParams } from "./params.js";

export interface ChunkTask {
  params: SimParams;
  seed: string;
  runs: number;
  path: SimPath;
}

/** The compiled worker, found from the package root whether this file runs from src/ or dist/. */
function workerFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, "package.json"))) dir = dirname(dir);
  const file = resolve(dir, "dist/workers/simulate.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export class SimulationPool {
  private readonly pool: Piscina<ChunkTask, Float64Array>;

  constructor(readonly threads: number = defaultThreads()) {
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  }

  run(task: ChunkTask): Promise<Float64Array> {
    return this.pool.run(task);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
