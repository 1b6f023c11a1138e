/**
 * The sweep CSV: one row per point x strategy x context.
 *
 * Columns: `point` (the 0-based grid index, which merge orders by), one column per swept key
 * (headed by its dotted path), the fixed result columns, and, only when some point of the sweep
 * uses an extension, the extension columns. Numbers are written in JavaScript's shortest
 * round-trip form (`String(x)`, and `-0` for negative zero), so `Number(cell)` gives back the
 * same double; null and non-finite numbers (an infinite z) are empty cells. Records end in "\n".
 */
import { stringify } from "csv-stringify/sync";
import type { SimResult } from "../evaluate/evaluate.js";
import type { Axis, GridPoint } from "./grid.js";

/** The result columns every sweep CSV has, in order. */
export const FIXED_COLUMNS = [
  "strategy", "generator", "fixer", "context", "trials", "analyticMean", "mean", "stdError", "ciLow", "ciHigh",
  "p50", "p90", "p99", "z", "relError", "verdict", "meanAttempts",
] as const satisfies readonly (keyof SimResult)[];

/** The extension outputs, present when any point of the sweep uses an extension. */
export const EXTENSION_COLUMNS = [
  "baseMean", "bias", "meanBugs", "allFixedFraction", "meanWallSeconds", "p90WallSeconds", "cacheHitRate",
] as const satisfies readonly (keyof SimResult)[];

/** A number as a cell: shortest round-trip form; null, undefined, NaN and +/-Infinity are empty. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "";
  return Object.is(x, -0) ? "-0" : String(x);
}

/** The header of a sweep's CSV. */
export function sweepColumns(axes: readonly Axis[], extensions: boolean): string[] {
  return ["point", ...axes.map((a) => a.path), ...FIXED_COLUMNS, ...(extensions ? EXTENSION_COLUMNS : [])];
}

/** The cells of one point's rows, in the order evaluateScenario returns its results. */
export function pointRows(point: GridPoint, results: readonly SimResult[], extensions: boolean): string[][] {
  const lead = [String(point.index), ...point.values.map(formatNumber)];
  const columns = extensions ? [...FIXED_COLUMNS, ...EXTENSION_COLUMNS] : FIXED_COLUMNS;
  return results.map((r) => [...lead, ...columns.map((c) => cell(r[c]))]);
}

function cell(value: unknown): string {
  return typeof value === "number" || value === null || value === undefined ? formatNumber(value as number | null) : String(value);
}

const CSV_OPTIONS = { record_delimiter: "\n", quote_record_delimiter: true, eof: true } as const;

/** CSV text of records (cells already formatted), each ending in "\n". */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.length === 0 ? "" : stringify(records as string[][], CSV_OPTIONS);
}
