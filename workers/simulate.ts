/** Worker entry point: simulate one chunk of runs and hand its buffer back without copying. */
import { Piscina } from "piscina";
import { simulateChunk } from "../src/sim/kernel.js";
import type { ChunkTask } from "../src/sim/pool.js";

export default function simulate(task: ChunkTask): Float64Array {
  const out = simulateChunk(task.params, task.seed, task.runs, task.path);
  return Piscina.move(out) as unknown as Float64Array;
}
