/** `agentsim run [scenario]`: simulate every strategy and context and check them against the closed forms. */
import type { CommandModule } from "yargs";
import { decide } from "../../decision/decision.js";
import { evaluateScenario } from "../../evaluate/evaluate.js";
import { loadScenario } from "../../scenario/load.js";
import type { SimPath } from "../../sim/kernel.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { progressBar } from "../progress.js";
import { terminalWidth } from "../render/layout.js";
import { formatRun } from "../render/run.js";
import { MAX_THREADS, checkTrials, checkWhole } from "../args.js";
import { DEFAULT_SCENARIO } from "../scenarioArg.js";
import { toJson } from "../json.js";
import { MAX_TRACE_RUNS, traceLines } from "../../evaluate/trace.js";
import { writeAtomically } from "../../sweep/merge.js";

interface Args {
  scenario: string;
  trials?: number;
  seed?: string;
  threads: number;
  path: SimPath;
  json: boolean;
  trace?: string;
  traceRuns: number;
  wide: boolean;
}

export const runCommand: CommandModule<object, Args> = {
  command: "run [scenario]",
  describe: "Monte Carlo simulation of every strategy and context, checked against the closed forms",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", default: DEFAULT_SCENARIO, describe: "scenario file (YAML or JSON)" })
      .option("trials", { type: "number", describe: "runs per strategy and context (default: the scenario's)" })
      .option("seed", { type: "string", describe: "random seed (default: the scenario's)" })
      .option("threads", { type: "number", default: defaultThreads(), describe: "worker threads" })
      .option("path", { choices: ["auto", "fast", "attempt"] as const, default: "auto" as const, describe: "simulation path (auto: fast where the base model allows)" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" })
      .option("trace", { type: "string", describe: "write every request of the first runs of each strategy and context to FILE (JSON lines)" })
      .option("trace-runs", { type: "number", default: 100, describe: `runs traced per strategy and context (at most ${MAX_TRACE_RUNS})` })
      .option("wide", { type: "boolean", default: false, describe: "every column (p50, p99, z, ...), the extensions' outputs and P(cheaper) for every pair" }) as never,
  handler: async (args) => {
    const { scenario } = loadScenario(args.scenario);
    const trials = args.trials ?? scenario.trials;
    checkTrials(trials);
    checkWhole("--threads", args.threads, 1, MAX_THREADS);
    const seed = args.seed ?? String(scenario.seed);
    if (args.trace !== undefined) {
      checkWhole("--trace-runs", args.traceRuns, 1, MAX_TRACE_RUNS);
      const lines = traceLines(scenario, { runs: Math.min(args.traceRuns, trials), seedKey: seed, path: args.path });
      await writeAtomically(args.trace, lines.map((l) => l + "\n").join(""));
    }
    const pool = new SimulationPool(args.threads);
    const progress = progressBar("simulating", "runs");
    const started = performance.now();
    try {
      const evaluation = await evaluateScenario(pool, scenario, { trials, seedKey: seed, path: args.path, onProgress: progress.update });
      const elapsed = (performance.now() - started) / 1000;
      progress.stop();
      const timing = { seconds: elapsed, threads: args.threads, runsPerSecond: (trials * evaluation.results.length) / elapsed };
      const decision = decide(evaluation.results, evaluation.comparisons);
      if (args.json) {
        process.stdout.write(toJson({ scenario: scenario.name, seed: args.seed ?? scenario.seed, trials, ...evaluation, decision, timing }) + "\n");
      } else {
        const view = { scenario, file: args.scenario, trials, seed, evaluation, decision, timing };
        process.stdout.write(formatRun(view, { width: terminalWidth(), wide: args.wide }));
      }
    } finally {
      progress.stop();
      await pool.close();
    }
  },
};
