/**
 * The sweep CSV: one row per point x strategy x context.
 *
 * Columns: `point` (the 0-based grid index, which merge orders by), one column per swept key
 * (headed by its dotted path), the fixed result columns, and, only when some point of the sweep
 * uses an extension, the extension columns; then, when a strategy is a ladder (isLadder: more
 * than one rung, or one bounded or with rates of its own), the ladder columns, each model's cost per run (`cost.<model>`) and each
 * rung's share of bugs and attempts (`rung<k>.reach`, `rung<k>.attempts`, empty for a strategy
 * with fewer rungs). Numbers are written in JavaScript's shortest
 * round-trip form (`String(x)`, and `-0` for negative zero), so `Number(cell)` gives back the
 * same double; null and non-finite numbers (an infinite z) are empty cells. Records end in "\n".
 */
import { stringify } from "csv-stringify/sync";
import type { SimResult } from "../evaluate/evaluate.js";
import { isLadder, strategyModels } from "../scenario/ladder.js";
import type { Scenario } from "../scenario/types.js";
import type { Axis, GridPoint } from "./grid.js";

/** The result columns every sweep CSV has, in order. */
export const FIXED_COLUMNS = [
  "strategy", "generator", "fixer", "context", "trials", "analyticMean", "reason", "mean", "stdError", "ciLow", "ciHigh",
  "p50", "p90", "p99", "z", "relError", "verdict", "meanAttempts",
] as const satisfies readonly (keyof SimResult)[];

/** The extension outputs, present when any point of the sweep uses an extension. */
export const EXTENSION_COLUMNS = [
  "baseMean", "bias", "meanBugs", "allFixedFraction", "meanWallSeconds", "p90WallSeconds", "cacheHitRate",
] as const satisfies readonly (keyof SimResult)[];

/** The ladder outputs, present when a strategy is a ladder. */
export const LADDER_COLUMNS = [
  "ladder", "allFixedFraction", "expectedCompletion", "costPerCompletedRun", "consultsPerRun",
] as const satisfies readonly (keyof SimResult)[];

/** Which optional column groups a sweep's CSV has; the same for every point (strategies and models are not swept). */
export interface CsvLayout {
  extensions: boolean;
  ladders: boolean;
  /** the models whose cost per run gets a column (ladders only) */
  models: string[];
  /** the longest ladder's rungs */
  rungs: number;
}

export function csvLayout(base: Scenario, extensions: boolean): CsvLayout {
  const ladders = base.strategies.some((st) => isLadder(st.ladder));
  return {
    extensions,
    ladders,
    models: ladders ? [...new Set(base.strategies.flatMap(strategyModels))] : [],
    rungs: ladders ? Math.max(...base.strategies.map((st) => st.ladder.length)) : 0,
  };
}

interface Column {
  head: string;
  cell: (r: SimResult) => unknown;
}

/** Every column after the swept keys, in order, for a layout. */
function resultColumns(layout: CsvLayout): Column[] {
  const named = (names: readonly (keyof SimResult)[]) => names.map((c): Column => ({ head: c, cell: (r) => r[c] }));
  // allFixedFraction is an extension column already: not twice
  const ladder = LADDER_COLUMNS.filter((c) => !(layout.extensions && (EXTENSION_COLUMNS as readonly string[]).includes(c)));
  return [
    ...named(FIXED_COLUMNS),
    ...(layout.extensions ? named(EXTENSION_COLUMNS) : []),
    ...(layout.ladders ? named(ladder) : []),
    ...layout.models.map((m): Column => ({ head: `cost.${m}`, cell: (r) => r.costByModel[m]?.total ?? null })),
    ...Array.from({ length: layout.rungs }, (_, k): Column[] => [
      { head: `rung${k}.reach`, cell: (r) => r.rungs[k]?.reachFraction ?? null },
      { head: `rung${k}.attempts`, cell: (r) => r.rungs[k]?.attemptsPerRun ?? null },
    ]).flat(),
  ];
}

/** A number as a cell: shortest round-trip form; null, undefined, NaN and +/-Infinity are empty. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "";
  return Object.is(x, -0) ? "-0" : String(x);
}

/** The header of a sweep's CSV. */
export function sweepColumns(axes: readonly Axis[], layout: CsvLayout): string[] {
  return ["point", ...axes.map((a) => a.path), ...resultColumns(layout).map((c) => c.head)];
}

/** The cells of one point's rows, in the order evaluateScenario returns its results. */
export function pointRows(point: GridPoint, results: readonly SimResult[], layout: CsvLayout): string[][] {
  const lead = [String(point.index), ...point.values.map(formatNumber)];
  const columns = resultColumns(layout);
  return results.map((r) => [...lead, ...columns.map((c) => cell(c.cell(r)))]);
}

function cell(value: unknown): string {
  return typeof value === "number" || value === null || value === undefined ? formatNumber(value as number | null) : String(value);
}

const CSV_OPTIONS = { record_delimiter: "\n", quote_record_delimiter: true, eof: true } as const;

/** CSV text of records (cells already formatted), each ending in "\n". */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.length === 0 ? "" : stringify(records as string[][], CSV_OPTIONS);
}
