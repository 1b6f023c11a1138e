/**
 * `npm run bench [-- --baseline DIR] [--rounds N]`: the simulation kernels' throughput, then whole
 * processes against numpy and against another build (processes.ts).
 *
 * Kernels, on a fixed scenario of 20 bugs per run:
 * - fast path in simulated bugs per second, per-attempt path in simulated attempts per second;
 * - on one thread (the kernel called directly, then through simulateJobs, which a 1-thread pool
 *   runs on the main thread) and on all threads (the worker pool);
 * - each figure is the best of seven timed repetitions after a warm-up (this machine's speed
 *   varies from second to second; the best run is the least disturbed one).
 */
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureProcesses } from "./processes.js";
import { expectedRunAttempts } from "../src/scenario/bounds.js";
import { parseScenario } from "../src/scenario/load.js";
import { COL } from "../src/sim/columns.js";
import { simulateChunk, type SimPath } from "../src/sim/kernel.js";
import { compileParams } from "../src/sim/compile.js";
import type { SimParams } from "../src/sim/params.js";
import { SimulationPool } from "../src/sim/pool.js";
import { CHUNK_RUNS, simulateJobs, type SimJob as Job } from "../src/sim/simulate.js";

type SimJob = Job & { path: SimPath };

const BUGS_PER_RUN = 20;
const scenario = parseScenario(
  {
    name: "bench",
    seed: 1,
    trials: 2,
    models: {
      strong: { price: { input: 5, output: 25 }, bugs: { count: BUGS_PER_RUN, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.3 } },
    },
    tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
    caching: { readMultiplier: 0.1, writeMultiplier: 1.25 },
    contexts: ["shared"],
  },
  "bench",
);
const params = compileParams(scenario, scenario.strategies[0]!, "shared");
const REPEATS = 7;


/** Best of REPEATS: runs/s and attempts per run, kernel called on this thread. */
function kernelRate(p: SimParams, path: SimPath, runs: number): { runsPerSecond: number; attemptsPerRun: number } {
  simulateChunk(p, "warm-up", CHUNK_RUNS, path);
  let best = Infinity;
  let attempts = 0;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    const out = simulateChunk(p, `bench-${r}`, runs, path);
    best = Math.min(best, (performance.now() - start) / 1000);
    attempts = out.sums[COL.attempts]! / runs;
  }
  return { runsPerSecond: runs / best, attemptsPerRun: attempts };
}

/**
 * Best of REPEATS: runs/s through a 1-thread pool (the main thread) and an all-thread pool, timed
 * alternately so that a slow spell of the machine does not fall on one of them only.
 */
async function poolRates(threads: number, job: SimJob, runs: number): Promise<[number, number]> {
  const pools = [new SimulationPool(1), new SimulationPool(threads)];
  try {
    const once = (pool: SimulationPool, tag: string) => Promise.all(simulateJobs(pool, [job], { trials: runs, seedKey: tag, path: job.path }));
    const best = [Infinity, Infinity];
    for (const pool of pools) await once(pool, "warm-up");
    for (let r = 0; r < REPEATS; r++) {
      for (const [i, pool] of pools.entries()) {
        const start = performance.now();
        await once(pool, `bench-${r}`);
        best[i] = Math.min(best[i]!, (performance.now() - start) / 1000);
      }
    }
    return [runs / best[0]!, runs / best[1]!];
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

const { values: flags } = parseArgs({ options: { baseline: { type: "string" }, rounds: { type: "string", default: "3" } } });
const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
const threads = availableParallelism();
const fastRuns = 4_000_000;
const attemptRuns = 1_600_000;

const fastKernel = kernelRate(params, "fast", fastRuns);
const attemptKernel = kernelRate(params, "attempt", attemptRuns);
const job = (path: SimPath) => ({ strategy: scenario.strategies[0]!, context: "shared" as const, params, attempts: expectedRunAttempts(scenario, scenario.strategies[0]!).attempts, path });
const [fastPool1, fastPoolAll] = await poolRates(threads, job("fast"), fastRuns);
const [attemptPool1, attemptPoolAll] = await poolRates(threads, job("attempt"), attemptRuns);
const perRun = attemptKernel.attemptsPerRun;

console.log(`agentsim bench: ${BUGS_PER_RUN} bugs per run (${perRun.toFixed(1)} attempts per run), shared context`);
console.log(`machine: ${threads} cores available (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}\n`);
const rows: [string, string, string][] = [
  ["", "fast path (bugs)", "per-attempt path (attempts)"],
  ["1 thread, kernel on main thread", fmt(fastKernel.runsPerSecond * BUGS_PER_RUN), fmt(attemptKernel.runsPerSecond * perRun)],
  ["1 thread, simulateJobs", fmt(fastPool1 * BUGS_PER_RUN), fmt(attemptPool1 * perRun)],
  [`${threads} threads, worker pool`, fmt(fastPoolAll * BUGS_PER_RUN), fmt(attemptPoolAll * perRun)],
  [`speed-up ${threads} threads / 1`, `${(fastPoolAll / fastPool1).toFixed(2)}x`, `${(attemptPoolAll / attemptPool1).toFixed(2)}x`],
];
const width = rows.map((r) => r.map((c) => c.length)).reduce((a, b) => a.map((x, i) => Math.max(x, b[i]!)));
for (const r of rows) console.log(`${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2].padStart(width[2]!)}`);
console.log(`\ntargets (one core of a 2-core machine): fast >= 25 M bugs/s, per-attempt >= 15 M attempts/s, 2 threads >= 1.8x`);

// dist/bench/bench.js: the package is two folders up
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
console.log(`\n${measureProcesses({ root, baseline: flags.baseline ?? null, rounds: Number(flags.rounds) })}`);
