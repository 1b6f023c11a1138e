/**
 * Per-run results.
 *
 * The kernel fills a run table: one Float64Array, column after column, so that column c of a
 * chunk of n runs is elements [c n, (c+1) n), and the sum of every column. A worker keeps its
 * table, copies the two columns whose distribution is reported (cost, wall seconds) into its
 * job's shared per-run arrays, and returns the sums: no objects per run, no copies per chunk.
 */
/**
 * Column indexes. A const enum, so that the compiled kernel reads plain numbers on every run.
 */
export const enum Col {
  cost = 0, // $ per run
  fixInputNew = 1, // $ of fix input written to (or missing) the cache
  fixInputCached = 2, // $ of fix input read from the cache
  fixOutput = 3, // $ of fix output
  attempts = 4, // fix attempts
  bugs = 5, // bugs met, regressions included
  wallSeconds = 6,
  cacheHits = 7, // follow-up requests that found the cache alive
  followUps = 8, // requests after the first of a conversation
  allFixed = 9, // 1 when every bug was fixed
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
} as const;

export type Column = keyof typeof COL;
export const COLUMN_COUNT = 10;

export interface RunTable {
  runs: number;
  /** column c of run r at c * runs + r */
  columns: Float64Array;
  /** the sum of each column, added in run order */
  sums: Float64Array;
}

export function runTable(runs: number): RunTable {
  return { runs, columns: new Float64Array(runs * COLUMN_COUNT), sums: new Float64Array(COLUMN_COUNT) };
}

/** The view of one column of a run table's columns (n runs). */
export function column(table: Float64Array, runs: number, name: Column): Float64Array {
  const c = COL[name];
  return table.subarray(c * runs, (c + 1) * runs);
}

/** The sum of one column over a job's chunks (each chunk's sums, in chunk order). */
export function sumColumn(chunkSums: Float64Array[], name: Column): number {
  let sum = 0;
  for (const sums of chunkSums) sum += sums[COL[name]]!;
  return sum;
}
