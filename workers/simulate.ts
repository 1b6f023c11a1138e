/**
 * Worker entry point: the tasks a SimulationPool hands out (see src/sim/pool.ts), each an export
 * named as the task. The default task simulates one chunk of runs (src/sim/chunk.ts); `quantiles`
 * reads a finished job's per-run values in shared memory, so that the main thread only gathers;
 * the sweep's task evaluates small points whole.
 */
import { summaryQuantiles } from "../src/stats/summary.js";
import type { SummaryQuantiles } from "../src/stats/quantiles.js";
import { workerData } from "node:worker_threads";
import type { PointTask } from "../src/sweep/tasks.js";

export { loadAndRunChunk as default } from "../src/sim/chunk.js";

/** p50, p90, p99 of a job's per-run values (between min and max), and the p90's interval. */
export function quantiles({ values, min, max }: { values: Float64Array; min: number; max: number }): SummaryQuantiles {
  return summaryQuantiles(values, min, max);
}

/** The sweep's tasks (src/sweep/tasks.ts), loaded only by a sweep: as the worker starts, when its pool says so. */
const sweepTasks = (workerData as { preload?: string } | undefined)?.preload === "sweep" ? import("../src/sweep/tasks.js") : null;

/** Evaluate small sweep points into their CSV rows. */
export async function evaluatePoints(tasks: PointTask[]): Promise<string[]> {
  return (await (sweepTasks ?? import("../src/sweep/tasks.js"))).evaluatePoints(tasks);
}
