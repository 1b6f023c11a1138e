/**
 * A sweep's points, validated up front: every point is the scenario file (without its `sweep`
 * section) with the swept keys replaced, checked by the same validation as any scenario. A bad
 * path, a grid of more than MAX_GRID_POINTS points or a value that validation rejects is a
 * one-line ScenarioError before anything runs. Points are built one at a time, when validated
 * and again when run, so a large grid is never held in memory.
 */
import { ScenarioError } from "../errors.js";
import { MAX_GRID_POINTS } from "../scenario/bounds.js";
import { usesExtensions } from "../scenario/extensions.js";
import { parseScenario, withDefaults } from "../scenario/load.js";
import { getPath, setPath } from "../scenario/paths.js";
import type { SweepAxis } from "../scenario/schema.js";
import type { Scenario } from "../scenario/types.js";
import { formatNumber } from "./csv.js";
import { axisValues, gridPoints, gridSize, pointAt, type Axis, type GridPoint } from "./grid.js";

/** Keys a sweep may not vary: every point shares the run count and the seed. */
const UNSWEEPABLE: Record<string, string> = {
  trials: "sweeping trials is meaningless: every point runs the same number of runs (use --trials)",
  seed: "sweeping the seed is meaningless: each point's seed is derived from the scenario seed and the point",
};

export interface SweepPoint extends GridPoint {
  /** the validated scenario of this point */
  scenario: Scenario;
  /** the stream prefix of this point's simulation, see `pointSeedKey` */
  seedKey: string;
}

export interface Sweep {
  file: string;
  /** the file as read, sweep section included (the resume fingerprint hashes it) */
  raw: Record<string, unknown>;
  /** the file as written, validated: its name, seed and trials apply to every point */
  base: Scenario;
  axes: Axis[];
  /** the number of points of the grid */
  size: number;
  /** point k of the grid (0 <= k < size), validated */
  point(k: number): SweepPoint;
  /** whether any point uses an extension, so the CSV carries the extension columns */
  extensions: boolean;
}

/**
 * The seed key of a point: `<scenario seed>|point:<v1>,<v2>,...` with every value in round-trip
 * form. It depends only on the scenario seed and the point's values, never on the shard or the
 * grid index, so a point gives the same numbers in any shard and in the unsharded run.
 */
export function pointSeedKey(seed: number | string, values: readonly number[]): string {
  return `${String(seed)}|point:${values.map(formatNumber).join(",")}`;
}

/**
 * Build and validate every point of the scenario's sweep section.
 *
 * The file itself must be a valid scenario (its values are the defaults the sweep overrides) with
 * a non-empty sweep section. Each swept path must hold a number in the file or in the schema's
 * defaults; `trials` and `seed` may not be swept. `file` is only used in error messages.
 */
export function buildSweep(raw: Record<string, unknown>, file: string): Sweep {
  const base = parseScenario(raw, file);
  const section = raw.sweep as Record<string, SweepAxis> | undefined;
  if (section === undefined) {
    throw new ScenarioError(file, "sweep", "is missing (add sweep: {<dotted key>: [values] or {from, to, steps, scale}})");
  }
  // Defaults filled in, so that a key left at its default (caching with no section) can be swept.
  const { sweep: _sweep, ...rest } = withDefaults(raw);
  const entries = Object.entries(section);
  if (entries.length === 0) throw new ScenarioError(file, "sweep", "must name at least one key to vary");
  // The grid's size from the axes' lengths, before any axis is expanded.
  const lengths = entries.map(([, axis]) => (Array.isArray(axis) ? axis.length : axis.steps));
  const size = lengths.reduce((a, b) => a * b, 1);
  if (size > MAX_GRID_POINTS) {
    const product = lengths.length > 1 ? ` (${lengths.join(" x ")})` : "";
    throw new ScenarioError(
      file,
      "sweep",
      `the grid has ${size.toLocaleString("en-US")} points${product}, more than the ${MAX_GRID_POINTS.toLocaleString("en-US")} ` +
        `a sweep may have: use fewer values, or several sweeps`,
    );
  }
  const axes = entries.map(([path, axis]): Axis => {
    if (Object.hasOwn(UNSWEEPABLE, path)) throw new ScenarioError(file, `sweep.${path}`, UNSWEEPABLE[path]!);
    if (typeof getPath(rest, path) !== "number") throw new ScenarioError(file, `sweep.${path}`, "no numeric key at that path");
    // The raw section lacks the schema's defaults: a range without a scale is linear.
    const normalized = Array.isArray(axis) ? axis : { ...axis, scale: axis.scale ?? "linear" };
    return { path, values: axisValues(path, normalized, file) };
  });
  let extensions = false;
  for (const point of gridPoints(axes)) extensions = usesExtensions(validatePoint(rest, axes, point, file)) || extensions;
  const point = (k: number): SweepPoint => {
    const at = pointAt(axes, k);
    return { ...at, scenario: validatePoint(rest, axes, at, file), seedKey: pointSeedKey(base.seed, at.values) };
  };
  return { file, raw, base, axes, size: gridSize(axes), point, extensions };
}

/** The points of a sweep in grid order, built one at a time. */
export function* sweepPoints(sweep: Sweep): Generator<SweepPoint> {
  for (let k = 0; k < sweep.size; k++) yield sweep.point(k);
}

/** One point applied to the file and validated; a rejection names the swept key, value and point. */
function validatePoint(rest: Record<string, unknown>, axes: readonly Axis[], point: GridPoint, file: string): Scenario {
  const data = structuredClone(rest);
  axes.forEach((axis, j) => setPath(data, axis.path, point.values[j]));
  try {
    return parseScenario(data, file);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    const at = `at point ${point.index}`;
    const j = axes.findIndex((a) => a.path === err.keyPath);
    if (j >= 0) {
      throw new ScenarioError(file, `sweep.${err.keyPath}`, `value ${formatNumber(point.values[j]!)} ${at}: ${err.problem}`);
    }
    const where = err.keyPath ? `${err.keyPath}: ` : "";
    if (axes.length === 1) {
      throw new ScenarioError(file, `sweep.${axes[0]!.path}`, `value ${formatNumber(point.values[0]!)} ${at}: ${where}${err.problem}`);
    }
    const values = axes.map((a, i) => `${a.path} = ${formatNumber(point.values[i]!)}`).join(", ");
    throw new ScenarioError(file, "sweep", `point ${point.index} (${values}): ${where}${err.problem}`);
  }
}
