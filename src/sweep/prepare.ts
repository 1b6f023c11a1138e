/**
 * Validating a sweep's points on the pool's workers, a range of points per task, instead of one
 * after another on this thread (buildSweep): the first rejected point in grid order is reported,
 * as buildSweep would report it, before anything runs.
 */
import { ScenarioError } from "../errors.js";
import type { Scenario } from "../scenario/types.js";
import type { SimulationPool } from "../sim/pool.js";
import { KEPT_POINTS, buildSweep, sweepGrid, sweepOf, type Sweep } from "./points.js";
import type { ValidatedRange, ValidateTask } from "./tasks.js";

/** Grid points per validation task. */
const POINTS_PER_TASK = 64;

/** The sweep of the file's data, every point validated (on the pool's workers when it has several threads). */
export async function prepareSweep(pool: SimulationPool, raw: Record<string, unknown>, file: string): Promise<Sweep> {
  if (pool.inline) return buildSweep(raw, file);
  const grid = sweepGrid(raw, file);
  const ranges: Promise<ValidatedRange>[] = [];
  for (let from = 0; from < grid.size; from += POINTS_PER_TASK) {
    const task: ValidateTask = { raw, file, from, to: Math.min(grid.size, from + POINTS_PER_TASK), keepBelow: KEPT_POINTS };
    ranges.push(pool.call("validatePoints", task));
  }
  const kept: Scenario[] = [];
  let extensions = false;
  for (const range of await Promise.all(ranges)) {
    if (range.error) throw new ScenarioError(range.error.file, range.error.keyPath, range.error.problem);
    kept.push(...range.kept);
    extensions ||= range.extensions;
  }
  return sweepOf(grid, kept, extensions);
}
