/**
 * Per-run results travel as one Float64Array, column after column: column c of a chunk of n
 * runs is elements [c n, (c+1) n). One transferable buffer per chunk, no objects per run.
 */
export const COLUMNS = [
  "cost", // $ per run
  "fixInputNew", // $ of fix input written to (or missing) the cache
  "fixInputCached", // $ of fix input read from the cache
  "fixOutput", // $ of fix output
  "attempts", // fix attempts
  "bugs", // bugs met, regressions included
  "wallSeconds",
  "cacheHits", // follow-up requests that found the cache alive
  "followUps", // requests after the first of a conversation
  "allFixed", // 1 when every bug was fixed
] as const;

export type Column = (typeof COLUMNS)[number];
export const COLUMN_COUNT = COLUMNS.length;
export const COL = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

/** The view of one column of a chunk (or of a whole concatenated result). */
export function column(data: Float64Array, runs: number, name: Column): Float64Array {
  const c = COL[name];
  return data.subarray(c * runs, (c + 1) * runs);
}

/** One chunk's per-run results. */
export interface Chunk {
  runs: number;
  data: Float64Array;
}

/** One column of a sequence of chunks, joined in chunk order. */
export function joinColumn(chunks: Chunk[], name: Column): Float64Array {
  const total = chunks.reduce((n, c) => n + c.runs, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(column(chunk.data, chunk.runs, name), offset);
    offset += chunk.runs;
  }
  return out;
}

/** The sum of one column over a sequence of chunks, added in chunk and run order. */
export function sumColumn(chunks: Chunk[], name: Column): number {
  let sum = 0;
  for (const chunk of chunks) {
    const values = column(chunk.data, chunk.runs, name);
    for (let i = 0; i < values.length; i++) sum += values[i]!;
  }
  return sum;
}
