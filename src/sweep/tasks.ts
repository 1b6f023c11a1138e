/**
 * The sweep's work that runs on the pool's workers (workers/simulate.ts hands it out): evaluating
 * small points, each from its scenario to its CSV rows, so that the main thread only writes them.
 */
import { evaluateScenario } from "../evaluate/evaluate.js";
import { loadPriceTableFor } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { SimulationPool } from "../sim/pool.js";
import { pointRows, toCsv, type CsvLayout } from "./csv.js";
import { gridPointScenario, sweepGrid } from "./points.js";

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

/** Evaluate points one after another on this worker's thread; their CSV rows. */
export async function evaluatePoints(tasks: PointTask[]): Promise<string[]> {
  const rows: string[] = [];
  for (const task of tasks) rows.push(await evaluatePoint(task));
  return rows;
}

/** Evaluate one point on this thread and return its CSV rows. */
export async function evaluatePoint(task: PointTask): Promise<string> {
  let scenario = task.scenario;
  if (!scenario) {
    await loadPriceTableFor(task.raw);
    scenario = gridPointScenario(sweepGrid(task.raw!, task.file), task.index);
  }
  const { results } = await evaluateScenario(new SimulationPool(1), scenario, { trials: task.trials, seedKey: task.seedKey });
  return toCsv(pointRows({ index: task.index, values: task.values }, results, task.layout));
}
