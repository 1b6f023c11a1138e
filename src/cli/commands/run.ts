/** `agentsim run [scenario]`: simulate every strategy and context and check them against the closed forms. */
import type { CommandModule } from "yargs";
import { evaluateScenario, type Evaluation, type SimResult } from "../../evaluate/evaluate.js";
import { loadScenario } from "../../scenario/load.js";
import { usesExtensions } from "../../scenario/extensions.js";
import type { Scenario } from "../../scenario/types.js";
import type { SimPath } from "../../sim/kernel.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { Z_THRESHOLD } from "../../stats/check.js";
import { money, num, percent, seconds, table } from "../format.js";
import { progressBar } from "../progress.js";
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
      .option("trace-runs", { type: "number", default: 100, describe: `runs traced per strategy and context (at most ${MAX_TRACE_RUNS})` }) as never,
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
      if (args.json) {
        process.stdout.write(toJson({ scenario: scenario.name, seed: args.seed ?? scenario.seed, trials, ...evaluation, timing }) + "\n");
      } else {
        process.stdout.write(formatRun(scenario, args.scenario, trials, seed, evaluation, timing));
      }
    } finally {
      progress.stop();
      await pool.close();
    }
  },
};

function formatRun(
  scenario: Scenario,
  file: string,
  trials: number,
  seed: string,
  { results, comparisons }: Evaluation,
  timing: { seconds: number; threads: number },
): string {
  let out =
    `Scenario ${scenario.name} (${file}): ${trials.toLocaleString("en-US")} runs per strategy and context, ` +
    `seed ${seed}, ${timing.threads} thread${timing.threads === 1 ? "" : "s"}, ${timing.seconds.toFixed(2)} s\n\n`;
  const head = ["strategy", "context", "closed form", "sim mean", "95% CI", "p50", "p90", "p99", "rel. error", "z", "verdict"];
  out += table(
    head,
    results.map((r) => [
      r.strategy, r.context, money(r.analyticMean), money(r.mean), `${money(r.ciLow)} .. ${money(r.ciHigh)}`,
      money(r.p50), money(r.p90), money(r.p99), percent(r.relError, 3), r.z === null ? "-" : r.z.toFixed(2), r.verdict,
    ]),
    new Set(["closed form", "sim mean", "p50", "p90", "p99", "rel. error", "z"]),
  );
  out += `\n\nrel. error = (sim mean - closed form) / closed form; z = (sim mean - closed form) / standard error;\nverdict: consistent when |z| <= ${Z_THRESHOLD}\n`;
  if (usesExtensions(scenario)) out += extensionTable(results);
  out += `\nCheapest strategy per context:\n`;
  for (const ctx of scenario.contexts) {
    const mine = results.filter((r) => r.context === ctx);
    const byMean = [...mine].sort((a, b) => a.mean - b.mean)[0]!;
    const byP90 = [...mine].sort((a, b) => a.p90 - b.p90)[0]!;
    out += `  ${ctx.padEnd(7)} by mean: ${byMean.strategy} (${money(byMean.mean)})   by p90: ${byP90.strategy} (${money(byP90.p90)})\n`;
  }
  const names = [...new Set(results.map((r) => r.strategy))];
  if (names.length > 1) {
    out += `\nP(row strategy is cheaper than column strategy in a run):\n`;
    for (const ctx of scenario.contexts) {
      const cell = (a: string, b: string) =>
        a === b ? "-" : percent(comparisons.find((c) => c.context === ctx && c.a === a && c.b === b)?.probabilityCheaper, 1);
      out += `\n${table([ctx, ...names], names.map((a) => [a, ...names.map((b) => cell(a, b))]), new Set(names))}\n`;
    }
  }
  return out;
}

function extensionTable(results: SimResult[]): string {
  const head = ["strategy", "context", "base formula", "bias", "attempts", "bugs", "all fixed", "wall mean", "wall p90", "cache hits"];
  const rows = results.map((r) => [
    r.strategy, r.context, money(r.baseMean), percent(r.bias),
    `${num(r.meanAttempts)} (${num(r.expectedAttempts)})`, `${num(r.meanBugs)} (${num(r.expectedBugs)})`,
    percent(r.allFixedFraction, 1), `${seconds(r.meanWallSeconds)} (${seconds(r.expectedWallSeconds)})`, seconds(r.p90WallSeconds),
    `${percent(r.cacheHitRate, 1)} (${percent(r.expectedCacheHitRate, 1)})`,
  ]);
  const note = results.filter((r) => r.reason).map((r) => `${r.strategy}/${r.context}: ${r.reason}`);
  return (
    `\nAssumptions dropped (simulated, closed form in parentheses; bias = sim mean vs the base formula):\n\n` +
    table(head, rows, new Set(head.slice(2))) +
    "\n" +
    (note.length ? `\nno closed form: ${[...new Set(note.map((n) => n.split(": ").slice(1).join(": ")))].join("; ")}\n` : "")
  );
}
