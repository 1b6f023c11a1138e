/**
 * The report's sweep charts: every point of the scenario's sweep section simulated as
 * `agentsim sweep` simulates it (the same seeds, so the same numbers as its CSV), each strategy's
 * mean with its 95% interval, and the decision at each point.
 */
import { decide } from "../decision/decision.js";
import { evaluateScenario } from "../evaluate/evaluate.js";
import type { Context } from "../scenario/types.js";
import type { SimulationPool } from "../sim/pool.js";
import { spreadIndexes } from "../sweep/grid.js";
import { thinSweep, type Sweep } from "../sweep/points.js";
import { groupDigits } from "../text.js";

/** The report draws sweeps of one or two keys. */
export const MAX_DRAWN_AXES = 2;

/**
 * Points of a sweep the report draws at most: a one-key sweep of 2,000 points makes a page of
 * about 15 MB, and a 300 x 300 grid (within a sweep's own bound) once ran the report out of memory.
 * A larger sweep is drawn at this many of its points, spread evenly (see drawnSweep).
 */
export const MAX_DRAWN_POINTS = 2_000;

/**
 * Values of a sweep's second key that its line chart gives a row of panels each, at most: a 40 x
 * 40 grid drew 40 rows of panels per context, a wall of charts, while the map of the cheapest
 * strategy beside it shows every value.
 */
export const MAX_PANEL_ROWS = 6;

/** The second key's values the line chart draws: all of them, or MAX_PANEL_ROWS evenly spaced, ends included. */
export function panelRows(values: readonly number[]): number[] {
  return spreadIndexes(values.length, MAX_PANEL_ROWS).map((i) => values[i]!);
}

/** Why the report leaves a sweep undrawn (more keys than it draws), or null when it draws it. */
export function sweepNotDrawn(axes: number): string | null {
  return axes > MAX_DRAWN_AXES ? `The report draws sweeps of one or two keys; this one has ${axes}` : null;
}

/**
 * The points the report draws: the whole sweep, or, beyond MAX_DRAWN_POINTS, evenly spaced values
 * of each key, ends included (the very points of the whole sweep, with its numbers); and the note
 * that says which, or null when every point is drawn.
 */
export function drawnSweep(sweep: Sweep): { sweep: Sweep; note: string | null } {
  if (sweep.size <= MAX_DRAWN_POINTS) return { sweep, note: null };
  const thin = thinSweep(sweep, MAX_DRAWN_POINTS);
  const perKey = thin.thinned.map((t) =>
    t.of === 1
      ? `the one value of ${t.path}`
      : t.kept === t.of
        ? `all ${groupDigits(t.of)} values of ${t.path}`
        : `${groupDigits(t.kept)} of the ${groupDigits(t.of)} values of ${t.path}`,
  );
  const drawn = `The report draws ${groupDigits(thin.size)} of the sweep's ${groupDigits(sweep.size)}`;
  const which = thin.thinned.length === 1 ? `${drawn} values of ${sweep.axes[0]!.path}` : `${drawn} points: ${perKey.join(" and ")}`;
  const note = `${which}, evenly spaced, ends included (agentsim sweep writes every point to CSV).`;
  return { sweep: thin, note };
}

export interface SweepAxisInfo {
  path: string;
  values: number[];
  /** the section asked for a log range */
  log: boolean;
}

export interface SweepRow {
  /** the swept values of the point, one per axis */
  values: number[];
  strategy: string;
  context: Context;
  mean: number;
  /** null where the cost's variance is infinite (no interval holds; the chart draws no bar) */
  ciLow: number | null;
  ciHigh: number | null;
}

export interface SweepCheapest {
  values: number[];
  context: Context;
  strategy: string;
  /** null where the closed forms give none (simulated here: always known) */
  completion: number | null;
  /** the savings over the runner-up are clear of noise (their 95% interval is above 0) */
  clear: boolean;
}

export interface SweepData {
  axes: SweepAxisInfo[];
  rows: SweepRow[];
  cheapest: SweepCheapest[];
  trials: number;
  /** points left out of the chart: a strategy whose expected cost is infinite there (its simulated mean estimates nothing) */
  infinite: { values: number[]; strategy: string; context: Context }[];
}

function isLogAxis(raw: Record<string, unknown>, path: string): boolean {
  const section = raw.sweep as Record<string, unknown> | undefined;
  const axis = section?.[path];
  return typeof axis === "object" && axis !== null && !Array.isArray(axis) && (axis as { scale?: string }).scale === "log";
}

/** Simulate every point, one after another (each point keeps the pool busy with its own jobs). */
export async function sweepData(
  pool: SimulationPool,
  sweep: Sweep,
  options: { trials: number; onProgress?: (done: number, total: number) => void },
): Promise<SweepData> {
  const { trials } = options;
  const perPoint = sweep.base.strategies.length * sweep.base.contexts.length * trials;
  const total = sweep.size * perPoint;
  const rows: SweepRow[] = [];
  const cheapest: SweepCheapest[] = [];
  const infinite: SweepData["infinite"] = [];
  for (let i = 0; i < sweep.size; i++) {
    const point = sweep.point(i);
    const { results, comparisons } = await evaluateScenario(pool, point.scenario, {
      trials,
      seedKey: point.seedKey,
      onProgress: (done) => options.onProgress?.(i * perPoint + done, total),
    });
    for (const r of results) {
      if (r.verdict === "infinite mean") infinite.push({ values: point.values, strategy: r.strategy, context: r.context });
      else rows.push({ values: point.values, strategy: r.strategy, context: r.context, mean: r.mean, ciLow: r.ciLow, ciHigh: r.ciHigh });
    }
    for (const d of decide(results, comparisons).contexts) {
      if (d.byMean.allInfinite) continue; // no cheapest where every expected cost is infinite: the map leaves the point blank
      const best = d.byMean.best;
      // clear where the runs tell it from the runner-up (an infinitely dear one included), never in a tie
      const clear = d.byMean.distinguishable === true;
      cheapest.push({ values: point.values, context: d.context, strategy: best.strategy, completion: best.completion, clear });
    }
  }
  const axes = sweep.axes.map((a) => ({ path: a.path, values: a.values, log: isLogAxis(sweep.raw, a.path) }));
  return { axes, rows, cheapest, trials, infinite };
}
