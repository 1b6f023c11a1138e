/**
 * The sweep's work that runs on the pool's workers (workers/simulate.ts hands it out): validating
 * a range of grid points, and evaluating small points, each from its scenario to its CSV rows, so
 * that the main thread only writes them.
 */
import { evaluateScenario } from "../evaluate/evaluate.js";
import { ScenarioError } from "../errors.js";
import { usesExtensions } from "../scenario/extensions.js";
import { loadPriceTableFor } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { SimulationPool } from "../sim/pool.js";
import { pointRows, toCsv, type CsvLayout } from "./csv.js";
import { gridPointScenario, sweepGrid } from "./points.js";

export interface ValidateTask {
  raw: Record<string, unknown>;
  file: string;
  /** grid points [from, to) */
  from: number;
  to: number;
  /** return the scenarios of the points below this */
  keepBelow: number;
}

export interface ValidatedRange {
  /** the scenarios of the range's points below keepBelow */
  kept: Scenario[];
  /** whether a point of the range uses an extension */
  extensions: boolean;
  /** the first point of the range that validation rejects, as its error's parts */
  error: { file: string; keyPath: string; problem: string } | null;
}

/** Validate grid points [from, to), stopping at the first rejected one. */
export async function validatePoints(task: ValidateTask): Promise<ValidatedRange> {
  await loadPriceTableFor(task.raw);
  const grid = sweepGrid(task.raw, task.file);
  const kept: Scenario[] = [];
  let extensions = false;
  for (let k = task.from; k < task.to; k++) {
    let scenario: Scenario;
    try {
      scenario = gridPointScenario(grid, k);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      return { kept, extensions, error: { file: err.file, keyPath: err.keyPath, problem: err.problem } };
    }
    extensions = usesExtensions(scenario) || extensions;
    if (k < task.keepBelow) kept.push(scenario);
  }
  return { kept, extensions, error: null };
}

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
