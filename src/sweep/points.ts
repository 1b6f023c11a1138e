/**
 * A sweep's points, validated up front: every point is the scenario file (without its `sweep`
 * section) with the swept keys replaced, checked by the same validation as any scenario. A bad
 * path, a grid of more than MAX_GRID_POINTS points or a value that validation rejects is a
 * one-line ScenarioError before anything runs. The first KEPT_POINTS validated points are kept
 * for the run; the rest of a larger grid is validated one point at a time, up front and again
 * when run, so a large grid is never held in memory.
 */
import { ScenarioError } from "../errors.js";
import { MAX_GRID_POINTS } from "../scenario/bounds.js";
import { usesExtensions } from "../scenario/extensions.js";
import { parseScenario, withDefaults } from "../scenario/load.js";
import { cannotVary } from "../scenario/normalize.js";
import { isTtlKey, ttlChangesNothing, ttlIdleThroughout } from "../scenario/notes.js";
import { getPath, noNumericKey, setPath, splitPath } from "../scenario/paths.js";
import type { SweepAxis } from "../scenario/schema.js";
import type { Scenario } from "../scenario/types.js";
import { groupDigits } from "../text.js";
import { formatNumber } from "./csv.js";
import { axisValues, gridSize, keptPerAxis, pointAt, spreadIndexes, type Axis, type GridPoint } from "./grid.js";

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
  /** point k's scenario as the up-front validation kept it, or null (see KEPT_POINTS) */
  kept(k: number): Scenario | null;
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

/** What every point of a sweep is made from: the checked axes, and the file's data without its sweep section. */
export interface SweepGrid {
  file: string;
  raw: Record<string, unknown>;
  base: Scenario;
  axes: Axis[];
  size: number;
  /** the file's data with the schema's defaults, without the sweep section: each point edits a copy */
  rest: Record<string, unknown>;
}

/**
 * The grid of the scenario's sweep section, checked: the file itself must be a valid scenario
 * (its values are the defaults the sweep overrides) with a non-empty sweep section. Each swept
 * path must hold a number in the file or in the schema's defaults; `trials` and `seed` may not be
 * swept. The points themselves are not validated here. `file` is only used in error messages;
 * `base` is the file already validated (parseScenario of `raw`), when the caller has it.
 */
export function sweepGrid(raw: Record<string, unknown>, file: string, base: Scenario = parseScenario(raw, file)): SweepGrid {
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
      `the grid has ${groupDigits(size)} points${product}, more than the ${groupDigits(MAX_GRID_POINTS)} ` +
        `a sweep may have: use fewer values, or several sweeps`,
    );
  }
  const named = new Map<string, string>();
  const axes = entries.map(([path, axis]): Axis => {
    // ladder[0] and ladder.0 are one key: two axes on it would contradict each other at every point
    const key = splitPath(path).join(".");
    const same = named.get(key);
    if (same !== undefined) throw new ScenarioError(file, `sweep.${path}`, `names the same key as sweep.${same}`);
    named.set(key, path);
    const fixed = cannotVary(rest, path, base.strategies);
    if (fixed !== null) throw new ScenarioError(file, `sweep.${path}`, fixed);
    if (typeof getPath(rest, path) !== "number") throw new ScenarioError(file, `sweep.${path}`, noNumericKey(rest, path));
    // The raw section lacks the schema's defaults: a range without a scale is linear.
    const normalized = Array.isArray(axis) ? axis : { ...axis, scale: axis.scale ?? "linear" };
    return { path, values: axisValues(path, normalized, file) };
  });
  return { file, raw, base, axes, size: gridSize(axes), rest };
}

/** Point k of the grid, validated (a rejection names the swept key, the value and the point). */
export function gridPointScenario(grid: SweepGrid, k: number): Scenario {
  return validatePoint(grid.rest, grid.axes, pointAt(grid.axes, k), grid.file);
}

/**
 * Validated points kept from the up-front validation, so that running a point does not validate
 * it again: the first ones of the grid, as many as memory comfortably holds.
 */
export const KEPT_POINTS = 8192;

/**
 * The sweep of a checked grid whose points have all been validated: `kept` holds the scenarios of
 * the first points (see KEPT_POINTS), the others are validated again when run.
 */
function sweepOf(grid: SweepGrid, kept: readonly Scenario[], extensions: boolean): Sweep {
  const point = (k: number): SweepPoint => {
    const at = pointAt(grid.axes, k);
    return { ...at, scenario: kept[k] ?? gridPointScenario(grid, k), seedKey: pointSeedKey(grid.base.seed, at.values) };
  };
  return { file: grid.file, raw: grid.raw, base: grid.base, axes: grid.axes, size: grid.size, point, kept: (k) => kept[k] ?? null, extensions };
}

/**
 * Build and validate every point of the scenario's sweep section (see sweepGrid for what the file
 * must be). `file` is only used in error messages; `base` is the file already validated, if at hand.
 */
export function buildSweep(raw: Record<string, unknown>, file: string, base?: Scenario): Sweep {
  return buildSweepFrom(sweepGrid(raw, file, base));
}

/** Build and validate every point of a checked grid (see buildSweep). */
export function buildSweepFrom(grid: SweepGrid): Sweep {
  const kept: Scenario[] = [];
  let extensions = false;
  // a swept cache lifetime that changes no cost at any point is refused, as an unused multiplier is
  const ttlAxis = grid.axes.find((axis) => isTtlKey(axis.path));
  let ttlIdle = ttlAxis !== undefined;
  for (let k = 0; k < grid.size; k++) {
    const scenario = gridPointScenario(grid, k);
    extensions = usesExtensions(scenario) || extensions;
    if (k < KEPT_POINTS) kept.push(scenario);
    ttlIdle &&= ttlChangesNothing(scenario) !== null;
  }
  if (ttlIdle) throw new ScenarioError(grid.file, `sweep.${ttlAxis!.path}`, `changes nothing: ${ttlIdleThroughout(kept.slice(0, 1))}`);
  return sweepOf(grid, kept, extensions);
}

/**
 * A sweep of at most `max` of `sweep`'s points, for a reader that cannot take them all: each axis
 * keeps evenly spaced values, its ends among them (see keptPerAxis and spreadIndexes). A kept
 * point is the very point of the whole sweep (its index, scenario and seed), so it gives the
 * numbers of the whole sweep's CSV; `thinned` says how many values each axis kept.
 */
export function thinSweep(sweep: Sweep, max: number): Sweep & { thinned: { path: string; kept: number; of: number }[] } {
  const kept = keptPerAxis(sweep.axes.map((a) => a.values.length), max);
  const picks = sweep.axes.map((a, j) => spreadIndexes(a.values.length, kept[j]!));
  const axes = sweep.axes.map((a, j) => ({ path: a.path, values: picks[j]!.map((i) => a.values[i]!) }));
  const size = gridSize(axes);
  // point k of the thinned grid, as the positions its values have on the whole grid's axes
  const positions = picks.map((values, j) => ({ path: sweep.axes[j]!.path, values }));
  /** The whole grid's index of point k of the thinned one (the last axis varies fastest in both). */
  const whole = (k: number): number => pointAt(positions, k).values.reduce((index, i, j) => index * sweep.axes[j]!.values.length + i, 0);
  const thinned = sweep.axes.map((a, j) => ({ path: a.path, kept: axes[j]!.values.length, of: a.values.length }));
  return { ...sweep, axes, size, point: (k) => sweep.point(whole(k)), kept: (k) => sweep.kept(whole(k)), thinned };
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
