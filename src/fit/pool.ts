/**
 * The fit's own worker pool for the bootstrap: workers run workers/fit.ts, bundled by the build
 * into dist/fit-worker.mjs. Separate from the simulation pool, whose workers keep a run table.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Piscina } from "piscina";
import { PACKAGE_ROOT } from "../packageRoot.js";
import type { BootstrapTask, Replicate, ReplicateRunner } from "./bootstrap.js";

function workerFile(): string {
  const file = resolve(PACKAGE_ROOT, "dist/fit-worker.mjs");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

export class FitPool {
  private readonly pool: Piscina<BootstrapTask, Replicate[]>;

  constructor(readonly threads: number) {
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 10_000 });
  }

  /** A ReplicateRunner that hands each slice of replicates to a worker. */
  readonly runner: ReplicateRunner = (task) => this.pool.run(task);

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
