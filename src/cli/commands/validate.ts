/** `agentsim validate`: every curated validation scenario, simulated and checked against its closed form. */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { evaluateScenario, type SimResult } from "../../evaluate/evaluate.js";
import { loadScenario } from "../../scenario/load.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { checkMean } from "../../stats/check.js";
import { familyThreshold } from "../../stats/threshold.js";
import { toJson } from "../json.js";
import { money, percent, seconds, table } from "../format.js";
import { progressBar } from "../progress.js";
import { PACKAGE_ROOT } from "../../packageRoot.js";
import { MAX_THREADS, checkTrials, checkWhole } from "../args.js";

interface Args {
  dir: string;
  trials?: number;
  threads: number;
  json: boolean;
}

export interface ValidationCheck {
  scenario: string;
  /** what is checked: the mean cost per run ($), or the mean wall-clock time per run (s) */
  quantity: "cost" | "wall seconds";
  strategy: string;
  context: string;
  trials: number;
  analyticMean: number;
  mean: number;
  stdError: number;
  z: number;
  relError: number;
  verdict: "consistent" | "inconsistent";
}

export const validateCommand: CommandModule<object, Args> = {
  command: "validate",
  describe: "Check the simulator against the closed forms on every scenario in scenarios/validation/",
  builder: (y) =>
    y
      .option("dir", { type: "string", default: resolve(PACKAGE_ROOT, "scenarios/validation"), describe: "folder of validation scenarios" })
      .option("trials", { type: "number", describe: "runs per check (default: each scenario's)" })
      .option("threads", { type: "number", default: defaultThreads(), describe: "worker threads" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of lines" }) as never,
  handler: async (args) => {
    if (args.trials !== undefined) checkTrials(args.trials, 2);
    checkWhole("--threads", args.threads, 1, MAX_THREADS);
    const checks = await runValidation(args.dir, args.trials, args.threads);
    const failed = checks.filter((c) => c.verdict === "inconsistent").length;
    const threshold = familyThreshold(checks.length);
    if (args.json) process.stdout.write(toJson({ threshold, checks, failed }) + "\n");
    else process.stdout.write(formatValidation(checks, threshold, failed));
    if (failed > 0) process.exitCode = 1;
  },
};

/** Simulate every scenario of the folder; each strategy x context with a closed form is one check. */
export async function runValidation(dir: string, trials: number | undefined, threads: number): Promise<ValidationCheck[]> {
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const loaded = files.map((f) => loadScenario(resolve(dir, f)));
  const pool = new SimulationPool(threads);
  const progress = progressBar("validating", "scenarios");
  const results: SimResult[][] = [];
  try {
    for (const [i, { scenario }] of loaded.entries()) {
      const evaluation = await evaluateScenario(pool, scenario, { trials: trials ?? scenario.trials, seedKey: String(scenario.seed) });
      results.push(evaluation.results);
      progress.update(i + 1, loaded.length);
    }
  } finally {
    progress.stop();
    await pool.close();
  }
  const rows = loaded.flatMap(({ scenario }, i) =>
    results[i]!.flatMap((r) => {
      const base = { scenario: scenario.name, strategy: r.strategy, context: r.context, trials: r.trials };
      const cost = r.analyticMean === null ? [] : [{ ...base, quantity: "cost" as const, expected: r.analyticMean, mean: r.mean, stdError: r.stdError }];
      const wall =
        r.expectedWallSeconds === null || r.meanWallSeconds === null
          ? []
          : [{ ...base, quantity: "wall seconds" as const, expected: r.expectedWallSeconds, mean: r.meanWallSeconds, stdError: r.wallStdError! }];
      return [...cost, ...wall];
    }),
  );
  const threshold = familyThreshold(rows.length);
  return rows.map(({ expected, ...row }) => {
    const check = checkMean(row.mean, row.stdError, expected, threshold);
    return { ...row, analyticMean: expected, z: check.z!, relError: check.relError!, verdict: check.verdict as ValidationCheck["verdict"] };
  });
}

function formatValidation(checks: ValidationCheck[], threshold: number, failed: number): string {
  const head = ["scenario", "strategy", "context", "quantity", "closed form", "sim mean", "rel. error", "z", "verdict"];
  const value = (c: ValidationCheck, x: number) => (c.quantity === "cost" ? money(x) : seconds(x));
  const rows = checks.map((c) => [
    c.scenario, c.strategy, c.context, c.quantity, value(c, c.analyticMean), value(c, c.mean), percent(c.relError, 3), c.z.toFixed(2), c.verdict,
  ]);
  return (
    `${table(head, rows, new Set(["closed form", "sim mean", "rel. error", "z"]))}\n\n` +
    `${checks.length} checks, ${failed} inconsistent (threshold |z| <= ${threshold.toFixed(2)}: ` +
    `4 for one check, Bonferroni over ${checks.length})\n`
  );
}
