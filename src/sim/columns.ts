/**
 * Per-run results and chunk sums.
 *
 * The kernel fills a run table: one Float64Array, column after column, so that column c of a
 * chunk of n runs is elements [c n, (c+1) n), and the sum of every column. A worker keeps its
 * table, copies the two columns whose distribution is reported (cost, wall seconds) into its
 * job's shared per-run arrays, and returns the sums: no objects per run, no copies per chunk.
 *
 * The sums array is longer than the run table's columns: after the per-run columns come counters
 * kept only as sums (consults, compactions, window stops), then four cost categories per model of
 * the strategy, then two counters per rung (see `sumsLayout`).
 */
/**
 * Column indexes. A const enum, so that the compiled kernel reads plain numbers on every run.
 */
export const enum Col {
  cost = 0, // $ per run
  fixInputNew = 1, // $ of fix-phase input new to (or missing from) the cache
  fixInputCached = 2, // $ of fix-phase input read from the cache
  fixOutput = 3, // $ of fix-phase output (attempts, consults, compactions)
  attempts = 4, // fix attempts
  bugs = 5, // bugs met, regressions included
  wallSeconds = 6,
  cacheHits = 7, // follow-up requests that found their model's cache alive
  followUps = 8, // requests by a model that had spoken before in the conversation
  allFixed = 9, // 1 when every bug was fixed
}

/** Counters kept only as chunk sums, after the per-run columns. */
export const enum Sum {
  consults = 10,
  compactions = 11,
  windowStops = 12,
}

/** The same indexes by name, for code that picks a column by its name. */
export const COL = {
  cost: Col.cost,
  fixInputNew: Col.fixInputNew,
  fixInputCached: Col.fixInputCached,
  fixOutput: Col.fixOutput,
  attempts: Col.attempts,
  bugs: Col.bugs,
  wallSeconds: Col.wallSeconds,
  cacheHits: Col.cacheHits,
  followUps: Col.followUps,
  allFixed: Col.allFixed,
  consults: Sum.consults,
  compactions: Sum.compactions,
  windowStops: Sum.windowStops,
} as const;

export type Column = keyof typeof COL;
/** per-run columns of the run table */
export const COLUMN_COUNT = 10;
/** sums before the per-model ones */
export const FIXED_SUMS = 13;

/** Cost categories kept per model (section 9): $ per run, fix phase only (the generation is added by the caller). */
export const enum ModelSum {
  uncachedInput = 0,
  cacheWrite = 1,
  cacheRead = 2,
  output = 3,
  stride = 4,
}

/** Counters kept per rung: bugs that reached it, fix attempts (or consults) made on it. */
export const enum RungSum {
  reached = 0,
  attempts = 1,
  stride = 2,
}

/** Where the per-model and per-rung sums start, for a strategy of `models` models and `rungs` rungs. */
export interface SumsLayout {
  models: number;
  rungs: number;
  modelBase: number;
  rungBase: number;
  length: number;
}

export function sumsLayout(models: number, rungs: number): SumsLayout {
  const modelBase = FIXED_SUMS;
  const rungBase = modelBase + models * ModelSum.stride;
  return { models, rungs, modelBase, rungBase, length: rungBase + rungs * RungSum.stride };
}

export interface RunTable {
  runs: number;
  /** column c of run r at c * runs + r */
  columns: Float64Array;
  /** the sum of each column, added in run order, then the other sums (see sumsLayout) */
  sums: Float64Array;
}

export function runTable(runs: number, layout: SumsLayout): RunTable {
  return { runs, columns: new Float64Array(runs * COLUMN_COUNT), sums: new Float64Array(layout.length) };
}

/** The view of one per-run column of a run table's columns (n runs). */
export function column(table: Float64Array, runs: number, name: Column): Float64Array {
  const c = COL[name];
  if (c >= COLUMN_COUNT) throw new Error(`${name} is kept as a sum only`);
  return table.subarray(c * runs, (c + 1) * runs);
}

/** The sum of one counter over a job's chunks (each chunk's sums, in chunk order). */
export function sumColumn(chunkSums: Float64Array[], name: Column): number {
  return sumAt(chunkSums, COL[name]);
}

/** The sum of the value at one index of the sums over a job's chunks, in chunk order. */
export function sumAt(chunkSums: Float64Array[], index: number): number {
  let sum = 0;
  for (const sums of chunkSums) sum += sums[index]!;
  return sum;
}
