/** `agentsim run [scenario]`: simulate every strategy and context and check them against the closed forms. */
import type { CommandModule } from "yargs";
import { evaluateScenario, type Evaluation, type SimResult } from "../../evaluate/evaluate.js";
import { FlagError } from "../../errors.js";
import { loadScenario } from "../../scenario/load.js";
import { usesExtensions } from "../../scenario/extensions.js";
import type { Scenario } from "../../scenario/types.js";
import type { SimPath } from "../../sim/kernel.js";
import { fastPathApplies } from "../../sim/params.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { jobsOf } from "../../sim/simulate.js";
import { Z_THRESHOLD } from "../../stats/check.js";
import { textFlag, threadsFlag, trialsFlag } from "../args.js";
import { money, num, percent, seconds, table, tooFewRunsNote } from "../format.js";
import type { Cli } from "../io.js";
import { toJson } from "../json.js";
import { progressBar } from "../progress.js";
import { DEFAULT_SCENARIO } from "../scenarioArg.js";

interface Args {
  scenario: string;
  trials?: string;
  seed?: string;
  threads: string;
  path: SimPath;
  json: boolean;
}

export const runCommand = (cli: Cli): CommandModule<object, Args> => ({
  command: "run [scenario]",
  describe: "Monte Carlo simulation of every strategy and context, checked against the closed forms",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", default: DEFAULT_SCENARIO, describe: "scenario file (YAML or JSON)" })
      .option("trials", { type: "string", requiresArg: true, describe: "runs per strategy and context, at least 2 (default: the scenario's)" })
      .option("seed", { type: "string", requiresArg: true, describe: "random seed (default: the scenario's)" })
      .option("threads", { type: "string", default: String(defaultThreads()), requiresArg: true, describe: "worker threads" })
      .option("path", {
        choices: ["auto", "fast", "attempt"] as const,
        default: "auto" as const,
        requiresArg: true,
        describe: "simulation path (auto: fast where the base model allows)",
      })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" }) as never,
  handler: async (args) => {
    const threads = threadsFlag(args.threads);
    const trialsGiven = trialsFlag(args.trials);
    const seedGiven = textFlag("--seed", args.seed);
    const { scenario } = loadScenario(args.scenario);
    const trials = trialsGiven ?? scenario.trials;
    const seed = seedGiven ?? String(scenario.seed);
    if (args.path === "fast" && jobsOf(scenario).some((job) => !fastPathApplies(job.params))) {
      throw new FlagError(
        `--path fast simulates the base model only; ${args.scenario} uses extensions (time, cache expiry, variable tokens, ` +
          `growth, regressions or caps) that need --path attempt (or auto)`,
      );
    }
    const pool = new SimulationPool(threads);
    const progress = progressBar(cli.stderr, "simulating", "runs");
    const started = performance.now();
    try {
      const evaluation = await evaluateScenario(pool, scenario, { trials, seedKey: seed, path: args.path, onProgress: progress.update });
      const elapsed = (performance.now() - started) / 1000;
      progress.stop();
      const timing = { seconds: elapsed, threads, runsPerSecond: (trials * evaluation.results.length) / elapsed };
      if (args.json) {
        cli.stdout.write(toJson({ scenario: scenario.name, seed: seedGiven ?? scenario.seed, trials, ...evaluation, timing }) + "\n");
      } else {
        cli.stdout.write(formatRun(scenario, args.scenario, trials, seed, evaluation, timing));
      }
    } finally {
      progress.stop();
      await pool.close();
    }
  },
});

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
  out +=
    `\n\nrel. error = (sim mean - closed form) / closed form; z = (sim mean - closed form) / standard error;\n` +
    `verdict: consistent when |z| <= ${Z_THRESHOLD} after correcting z for the skewness of the costs\n`;
  const tooFew = results.filter((r) => r.verdict === "too few runs").length;
  if (tooFew > 0) out += `${tooFew} of ${results.length} checks not judged: ${tooFewRunsNote}\n`;
  if (usesExtensions(scenario)) out += extensionTable(results);
  out += `\nCheapest strategy per context:\n`;
  for (const ctx of scenario.contexts) {
    const mine = results.filter((r) => r.context === ctx);
    const byMean = [...mine].sort((a, b) => a.mean - b.mean)[0]!;
    const byP90 = [...mine].sort((a, b) => a.p90 - b.p90)[0]!;
    out +=
      `  ${ctx.padEnd(7)} by mean: ${byMean.strategy} (${money(byMean.mean)}${completion(byMean)})   ` +
      `by p90: ${byP90.strategy} (${money(byP90.p90)}${completion(byP90)})\n`;
  }
  const names = [...new Set(results.map((r) => r.strategy))];
  if (names.length > 1) {
    out += `\nP(row strategy is cheaper than column strategy in a run), ties counted as half:\n`;
    for (const ctx of scenario.contexts) {
      const cell = (a: string, b: string) =>
        a === b ? "-" : percent(comparisons.find((c) => c.context === ctx && c.a === a && c.b === b)?.probabilityCheaper, 1);
      out += `\n${table([ctx, ...names], names.map((a) => [a, ...names.map((b) => cell(a, b))]), new Set(names))}\n`;
    }
  }
  return out;
}

/** ", but fixes every bug in only 27.8% of runs" when a strategy's runs do not all complete. */
function completion(r: SimResult): string {
  return r.allFixedFraction < 1 ? `, but fixes every bug in only ${percent(r.allFixedFraction, 1)} of runs` : "";
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
