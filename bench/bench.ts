/**
 * `npm run bench`: simulation throughput on a fixed scenario of 20 bugs per run.
 *
 * - fast path in simulated bugs per second, per-attempt path in simulated attempts per second;
 * - on one thread (the kernel called directly, then through a 1-thread pool) and on all threads;
 * - each figure is the best of a few timed repetitions after a warm-up.
 */
import { availableParallelism, cpus } from "node:os";
import { parseScenario } from "../src/scenario/load.js";
import { column } from "../src/sim/columns.js";
import { simulateChunk, type SimPath } from "../src/sim/kernel.js";
import { compileParams, type SimParams } from "../src/sim/params.js";
import { SimulationPool } from "../src/sim/pool.js";
import { CHUNK_RUNS } from "../src/sim/simulate.js";

const BUGS_PER_RUN = 20;
const scenario = parseScenario(
  {
    name: "bench",
    seed: 1,
    trials: 1,
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
const REPEATS = 3;

function attemptsOf(out: Float64Array, runs: number): number {
  let total = 0;
  for (const a of column(out, runs, "attempts")) total += a;
  return total;
}

/** Best of REPEATS: runs/s and attempts per run, kernel called on this thread. */
function kernelRate(p: SimParams, path: SimPath, runs: number): { runsPerSecond: number; attemptsPerRun: number } {
  simulateChunk(p, "warm-up", CHUNK_RUNS, path);
  let best = Infinity;
  let attempts = 0;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    const out = simulateChunk(p, `bench-${r}`, runs, path);
    best = Math.min(best, (performance.now() - start) / 1000);
    attempts = attemptsOf(out, runs) / runs;
  }
  return { runsPerSecond: runs / best, attemptsPerRun: attempts };
}

/** Best of REPEATS: runs/s through a pool of `threads` workers, chunks of CHUNK_RUNS. */
async function poolRate(threads: number, p: SimParams, path: SimPath, runs: number): Promise<number> {
  const pool = new SimulationPool(threads);
  try {
    const chunks = Math.ceil(runs / CHUNK_RUNS);
    const once = (tag: string) =>
      Promise.all(Array.from({ length: chunks }, (_, k) => pool.run({ params: p, seed: `${tag}|${k}`, runs: CHUNK_RUNS, path })));
    await once("warm-up");
    let best = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      await once(`bench-${r}`);
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    return (chunks * CHUNK_RUNS) / best;
  } finally {
    await pool.close();
  }
}

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
const threads = availableParallelism();
const fastRuns = 2_000_000;
const attemptRuns = 400_000;

const fastKernel = kernelRate(params, "fast", fastRuns);
const attemptKernel = kernelRate(params, "attempt", attemptRuns);
const fastPool1 = await poolRate(1, params, "fast", fastRuns);
const fastPoolAll = await poolRate(threads, params, "fast", fastRuns);
const attemptPool1 = await poolRate(1, params, "attempt", attemptRuns);
const attemptPoolAll = await poolRate(threads, params, "attempt", attemptRuns);
const perRun = attemptKernel.attemptsPerRun;

console.log(`agentsim bench: ${BUGS_PER_RUN} bugs per run (${perRun.toFixed(1)} attempts per run), shared context`);
console.log(`machine: ${threads} cores available (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}\n`);
const rows: [string, string, string][] = [
  ["", "fast path (bugs)", "per-attempt path (attempts)"],
  ["1 thread, kernel on main thread", fmt(fastKernel.runsPerSecond * BUGS_PER_RUN), fmt(attemptKernel.runsPerSecond * perRun)],
  ["1 thread, worker pool", fmt(fastPool1 * BUGS_PER_RUN), fmt(attemptPool1 * perRun)],
  [`${threads} threads, worker pool`, fmt(fastPoolAll * BUGS_PER_RUN), fmt(attemptPoolAll * perRun)],
  [`speed-up ${threads} threads / 1`, `${(fastPoolAll / fastPool1).toFixed(2)}x`, `${(attemptPoolAll / attemptPool1).toFixed(2)}x`],
];
const width = rows.map((r) => r.map((c) => c.length)).reduce((a, b) => a.map((x, i) => Math.max(x, b[i]!)));
for (const r of rows) console.log(`${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2].padStart(width[2]!)}`);
console.log(`\ntargets (one core of a 2-core machine): fast >= 25 M bugs/s, per-attempt >= 15 M attempts/s, 2 threads >= 1.8x`);
