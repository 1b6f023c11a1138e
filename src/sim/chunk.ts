/**
 * One chunk of runs, as a worker (or, for a small job, the main thread) simulates it: the runs of
 * one stream, priced in each context the stream feeds, their per-run cost (and wall seconds)
 * copied into the jobs' shared arrays, and each context's column sums and the moments of its
 * per-run values returned (computed here, while the values are at hand, so that a job's summary
 * only has its quantiles left to find).
 */
import { momentsOf, type Moments } from "../stats/summary.js";
import { column, runTable, type RunTable } from "./columns.js";
import { layoutOf, simulateContexts, type SimPath } from "./kernel.js";
import type { SimParams } from "./params.js";
import { loadSamplersFor } from "./samplers.js";

export interface ChunkTask {
  /** one per context the stream feeds (several only on the fast path) */
  params: SimParams[];
  seed: string;
  runs: number;
  path: SimPath;
  /** per context: where the chunk's per-run cost goes, a view of its job's shared array */
  cost: Float64Array[];
  /** per context: where its per-run wall seconds go, when the job has a time model */
  wallSeconds: (Float64Array | null)[];
}

/** Run tables kept from chunk to chunk of the same shape: no fresh memory to fault in and zero. */
const kept: RunTable[] = [];

function tableFor(i: number, p: SimParams, runs: number): RunTable {
  const length = layoutOf(p).length;
  const table = kept[i];
  if (table && table.runs === runs && table.sums.length === length) return table;
  return (kept[i] = runTable(runs, layoutOf(p)));
}

/** Per context of a chunk: its column sums, and the moments of its cost (and wall seconds) per run. */
export interface ChunkResult {
  sums: Float64Array;
  cost: Moments;
  wallSeconds: Moments | null;
}

/** Simulate the chunk (the samplers it needs loaded, see samplers.ts). */
export function runChunk(task: ChunkTask): ChunkResult[] {
  const tables = task.params.map((p, i) => tableFor(i, p, task.runs));
  simulateContexts(task.params, task.seed, task.runs, task.path, tables, null, true);
  return tables.map((table, i) => {
    const cost = column(table.columns, task.runs, "cost");
    task.cost[i]!.set(cost);
    const wall = task.wallSeconds[i] ? column(table.columns, task.runs, "wallSeconds") : null;
    if (wall) task.wallSeconds[i]!.set(wall);
    // a copy of the sums: the tables are reused
    return { sums: table.sums.slice(), cost: momentsOf(cost), wallSeconds: wall && momentsOf(wall) };
  });
}

/** Load what the chunk needs, then simulate it (a worker's task). */
export async function loadAndRunChunk(task: ChunkTask): Promise<ChunkResult[]> {
  await loadSamplersFor(task.params);
  return runChunk(task);
}
