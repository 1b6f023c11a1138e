/** A simulation of minutes, announced before it starts (run and report, which simulate). */
import { availableParallelism } from "node:os";
import { oneLine } from "../errors.js";
import type { SimPath } from "../sim/kernel.js";
import type { SimulationPool } from "../sim/pool.js";
import { simulationSeconds, threadsUsed, type SimJob } from "../sim/simulate.js";
import { noun } from "../text.js";
import type { Cli } from "./io.js";

/**
 * Announce a simulation of minutes before it starts, one line on stderr (rare fixes at the attempts
 * bound: 4 minutes for a file's 100,000 runs, with no word when not on a terminal and no progress
 * for the first 20 s on one: the worst-case audit); the threads it runs on (threadsUsed).
 */
export function announceLongJob(cli: Cli, file: string, pool: SimulationPool, jobs: readonly SimJob[], trials: number, path: SimPath = "auto", more = ""): number {
  const used = threadsUsed(pool, jobs, trials, path);
  // threads beyond the cores share them
  const expected = simulationSeconds(jobs, trials, path, Math.min(used, availableParallelism()));
  if (expected >= LONG_JOB_SECONDS) {
    cli.stderr.write(`agentsim: note: ${oneLine(file)}: a long job, about ${duration(expected)} on ${used} ${noun(used, "thread")} at this tool's usual speed${more}; fewer --trials take less, and Ctrl-C stops it\n`);
  }
  return used;
}

/** A simulation expected to take at least this long is announced before it starts. */
const LONG_JOB_SECONDS = 30;

/** Seconds as a person says them: "40 s", "4 minutes", "3.2 hours". */
function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${+(seconds / 3600).toPrecision(2)} hours`;
}
