/**
 * The grid of a sweep: each axis's values, and their cartesian product in a fixed order.
 *
 * Order (documented, and relied on by shards and merge): axes in the order the sweep section
 * lists them, the LAST axis varying fastest (row-major, like an odometer). Point k of the grid is
 * therefore the same whichever shard runs it.
 */
import { ScenarioError } from "../errors.js";
import type { SweepAxis } from "../scenario/schema.js";

/** One swept key and the values it takes, in order. */
export interface Axis {
  /** dotted scenario key, e.g. `models.weak.bugs.count` */
  path: string;
  values: number[];
}

/** One point of the grid: its 0-based index and one value per axis (in axis order). */
export interface GridPoint {
  index: number;
  values: number[];
}

/**
 * The values of one axis as the sweep section gives them: a list as written, or a range.
 *
 * Linear range: `from + (to - from) * i / (steps - 1)` for i = 0..steps-1, the last point set to
 * exactly `to`. Log range: geometric spacing `from * (to / from)^(i / (steps - 1))`, again ending
 * exactly at `to`; it needs from > 0 and to > 0. `steps: 1` is just `from`. A value within
 * rounding of a whole number is that number (nearWhole).
 * `file` is only used in error messages.
 */
export function axisValues(path: string, axis: SweepAxis, file: string): number[] {
  if (Array.isArray(axis)) return [...axis];
  const { from, to, steps, scale } = axis;
  if (scale === "log" && !(from > 0 && to > 0)) {
    throw new ScenarioError(file, `sweep.${path}`, `a log range needs from > 0 and to > 0, got from ${from}, to ${to}`);
  }
  if (steps === 1) return [from];
  return Array.from({ length: steps }, (_, i) => {
    if (i === steps - 1) return to;
    const t = i / (steps - 1);
    return nearWhole(scale === "log" ? logPoint(from, to, t) : linearPoint(from, to, t));
  });
}

/**
 * from + (to - from) t; where to - from overflows (from -1e308 to 1e308), from (1 - t) + to t,
 * which cannot.
 */
function linearPoint(from: number, to: number, t: number): number {
  const width = to - from;
  return Number.isFinite(width) ? from + width * t : from * (1 - t) + to * t;
}

/**
 * from (to/from)^t; where to/from overflows (from 5e-324 to 1e7) or underflows to a subnormal or 0
 * (from 1e5 down to 5e-324), the same in logarithms.
 */
function logPoint(from: number, to: number, t: number): number {
  const ratio = to / from;
  const normal = Number.isFinite(ratio) && ratio >= 2.2250738585072014e-308; // the least normal double
  return normal ? from * Math.pow(ratio, t) : Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * t);
}

/**
 * x, or the whole number within 1e-13 of it (relative): a range's arithmetic lands a few units in
 * the last place off a whole number it means (1 + 39 x 25/39 = 26.000000000000004, 1 x 1000^(1/3)
 * = 9.999999999999998), and a whole-number key (attempts, a bug count) must get the whole number.
 */
function nearWhole(x: number): number {
  const whole = Math.round(x);
  return Math.abs(x - whole) <= 1e-13 * Math.abs(x) ? whole : x;
}

/** The number of points of the grid (the product of the axis lengths). */
export function gridSize(axes: readonly Axis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/**
 * The k-th point of the grid (0 <= k < gridSize): the last axis varies fastest.
 * With axes a = [1, 2] and b = [10, 20, 30]: (1,10), (1,20), (1,30), (2,10), ...
 */
export function pointAt(axes: readonly Axis[], index: number): GridPoint {
  const values = new Array<number>(axes.length);
  let rest = index;
  for (let j = axes.length - 1; j >= 0; j--) {
    const vs = axes[j]!.values;
    values[j] = vs[rest % vs.length]!;
    rest = Math.floor(rest / vs.length);
  }
  return { index, values };
}

/** The points of the grid in grid order, one at a time (a grid is never held in memory whole). */
export function* gridPoints(axes: readonly Axis[]): Generator<GridPoint> {
  const size = gridSize(axes);
  for (let k = 0; k < size; k++) yield pointAt(axes, k);
}

/**
 * Evenly spaced indexes of `kept` values out of `length`, the first and the last among them:
 * round(i (length - 1) / (kept - 1)) for i = 0..kept-1 (distinct, since the step is at least 1).
 * One kept value is the first; `kept >= length` keeps every index.
 */
export function spreadIndexes(length: number, kept: number): number[] {
  if (kept >= length) return Array.from({ length }, (_, i) => i);
  if (kept <= 1) return [0];
  return Array.from({ length: kept }, (_, i) => Math.round((i * (length - 1)) / (kept - 1)));
}

/**
 * How many values of each axis to keep so that their grid has at most `max` points, as nearly
 * square as the axes allow: the shorter axes first, each keeping up to the r-th root of what the
 * budget leaves for the r axes not yet served (so a short axis keeps all its values and leaves the
 * rest to the longer ones). `max >= 1`.
 */
export function keptPerAxis(lengths: readonly number[], max: number): number[] {
  const kept = new Array<number>(lengths.length);
  let budget = max;
  const shortestFirst = lengths.map((n, j) => ({ n, j })).sort((a, b) => a.n - b.n);
  shortestFirst.forEach(({ n, j }, served) => {
    const share = Math.max(1, Math.floor(Math.pow(budget, 1 / (lengths.length - served)) + 1e-9));
    kept[j] = Math.min(n, share);
    budget = Math.floor(budget / kept[j]!);
  });
  return kept;
}
