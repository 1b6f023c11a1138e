/**
 * Worker entry point: simulate one chunk of runs into this worker's run table, copy its per-run
 * cost (and wall seconds) into the job's shared arrays, and return the sums.
 */
import { column, runTable, type RunTable } from "../src/sim/columns.js";
import { layoutOf, simulateChunk } from "../src/sim/kernel.js";
import type { ChunkTask } from "../src/sim/pool.js";

/** Reused from chunk to chunk of the same shape: no fresh memory to fault in and zero. */
let table: RunTable | null = null;

export default function simulate(task: ChunkTask): Float64Array {
  const layout = layoutOf(task.params);
  if (!table || table.runs !== task.runs || table.sums.length !== layout.length) table = runTable(task.runs, layout);
  simulateChunk(task.params, task.seed, task.runs, task.path, table);
  task.cost.set(column(table.columns, task.runs, "cost"));
  task.wallSeconds?.set(column(table.columns, task.runs, "wallSeconds"));
  return table.sums.slice();
}
