/**
 * The sweep's work that runs on the pool's workers (workers/simulate.ts hands it out): evaluating
 * small points, each from its scenario to its CSV rows, so that the main thread only writes them.
 */
import { evaluateScenario } from "../evaluate/evaluate.js";
import { loadPriceTableFor } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { SimulationPool } from "../sim/pool.js";
import { pointRows, toCsv, type CsvLayout } from "./csv.js";
import { gridPointScenario, sweepGrid, type SweepGrid } from "./points.js";

export interface PointTask {
  /** the file's data, for a point to validate here */
  raw: Record<string, unknown> | null;
  file: string;
  index: number;
  values: number[];
  /** the point's validated scenario, or null to validate it here */
  scenario: Scenario | null;
  trials: number;
  seedKey: string;
  layout: CsvLayout;
}

/**
 * Evaluate points one after another on this worker's thread; their CSV rows. Every task of a batch
 * comes from the same sweep, so the grid of the points not kept is checked once per batch.
 */
export async function evaluatePoints(tasks: PointTask[]): Promise<string[]> {
  let grid: SweepGrid | null = null;
  const rows: string[] = [];
  for (const task of tasks) {
    let scenario = task.scenario;
    if (!scenario) {
      if (!grid) {
        await loadPriceTableFor(task.raw);
        grid = sweepGrid(task.raw!, task.file);
      }
      scenario = gridPointScenario(grid, task.index);
    }
    rows.push(await evaluatePoint(task, scenario));
  }
  return rows;
}

/** Evaluate one point's validated scenario on this thread and return its CSV rows. */
async function evaluatePoint(task: PointTask, scenario: Scenario): Promise<string> {
  const { results } = await evaluateScenario(new SimulationPool(1), scenario, { trials: task.trials, seedKey: task.seedKey });
  return toCsv(pointRows({ index: task.index, values: task.values }, results, task.layout));
}
