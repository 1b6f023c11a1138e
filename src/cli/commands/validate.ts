/** `agentsim validate`: every curated validation scenario, simulated and checked against its closed form. */
import { readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { evaluateScenario, type SimResult } from "../../evaluate/evaluate.js";
import { openScenario } from "../../scenario/load.js";
import { SimulationPool } from "../../sim/pool.js";
import { fileErrorText, FlagError } from "../../errors.js";
import { PACKAGE_ROOT } from "../../packageRoot.js";
import { Z_THRESHOLD } from "../../stats/check.js";
import { validate, type Validation, type ValidationCheck } from "../../evaluate/validate.js";
import { checkRunsFit, textFlag, threadsFlag, threadsOption, trialsFlag, trialsOption } from "../args.js";
import { jobsOf } from "../../sim/simulate.js";
import { money, percent, seconds, tooFewRunsNote, zText } from "../../render/format.js";
import { sectionTable, terminalWidth, wrap, type Column } from "../render/layout.js";
import type { Cli, Output } from "../io.js";
import { toJson } from "../json.js";
import { progressBar } from "../progress.js";

interface Args {
  dir: string;
  trials?: string;
  threads: string;
  json: boolean;
}

export const validateCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .option("dir", { type: "string", default: resolve(PACKAGE_ROOT, "scenarios/validation"), defaultDescription: "the package's scenarios/validation", requiresArg: true, describe: "folder of validation scenarios" })
      .option("trials", trialsOption("runs per check", "each scenario's"))
      .option("threads", threadsOption())
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of lines" }) as never,
  handler: async (args) => {
    const trials = trialsFlag(args.trials);
    const threads = threadsFlag(args.threads);
    const dir = textFlag("--dir", args.dir)!;
    const { checks, threshold, failed, tooFewRuns } = await runValidation(scenarioFiles(dir), trials, threads, cli.stderr);
    if (args.json) cli.stdout.write(toJson({ threshold, checks, failed, tooFewRuns }) + "\n");
    else cli.stdout.write(formatValidation(checks, threshold, failed, tooFewRuns, terminalWidth(cli.stdout)));
    if (failed > 0) cli.exitCode = 1;
  },
});

/** The scenario files (.yaml, .yml, .json) of a folder, sorted; a missing or empty folder is a FlagError. */
export function scenarioFiles(dir: string): string[] {
  let stat;
  try {
    stat = statSync(dir, { throwIfNoEntry: false });
  } catch (err) {
    // a part of the path that is a file (ENOTDIR), a loop of links, too long a name, no permission
    throw new FlagError(`--dir ${dir}: cannot read: ${fileErrorText(err)}`);
  }
  if (!stat) throw new FlagError(`--dir ${dir}: no such folder`);
  if (!stat.isDirectory()) throw new FlagError(`--dir ${dir}: is not a folder`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new FlagError(`--dir ${dir}: cannot read: ${fileErrorText(err)}`);
  }
  // a pipe, socket or device inside the folder is no scenario (a pipe without a writer blocked the
  // validation for good); a folder or broken link of such a name is reported when it is read
  const files = names.filter((f) => /\.(ya?ml|json)$/.test(f) && !isSpecial(resolve(dir, f))).sort();
  if (files.length === 0) throw new FlagError(`--dir ${dir}: holds no scenario files (.yaml, .yml, .json)`);
  return files.map((f) => resolve(dir, f));
}

/** Simulate every scenario file, with a progress bar on `stderr`, and check the results (evaluate/validate.ts). */
export async function runValidation(files: string[], trials: number | undefined, threads: number, stderr?: Output): Promise<Validation> {
  const loaded = await Promise.all(files.map((f) => openScenario(f)));
  for (const { file, scenario } of loaded) checkRunsFit(trials === undefined ? undefined : `${trials} (for ${file})`, file, jobsOf(scenario), trials ?? scenario.trials);
  const pool = new SimulationPool(threads);
  const progress = progressBar(stderr ?? { write: () => true }, "validating", "scenarios");
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
  return validate(loaded.map((l) => l.scenario), results);
}

/** The checks, a section per scenario, fitted to `width` (the least needed columns dropped first), and the tally. */
function formatValidation(checks: ValidationCheck[], threshold: number, failed: number, tooFewRuns: number, width = 100): string {
  const value = (c: ValidationCheck, x: number) => (c.quantity === "cost" ? money(x) : seconds(x));
  const columns: Column<ValidationCheck>[] = [
    { head: "strategy", cell: (c) => c.strategy },
    { head: "context", cell: (c) => c.context },
    { head: "quantity", cell: (c) => c.quantity, drop: 2 },
    // on a narrow terminal the closed form goes after the simulated mean, then z: the verdict stays
    { head: "closed form", numeric: true, cell: (c) => value(c, c.analyticMean), drop: 0.6 },
    { head: "sim mean", numeric: true, cell: (c) => value(c, c.mean), drop: 1 },
    { head: "rel. error", numeric: true, cell: (c) => percent(c.relError, 3), drop: 3 },
    { head: "z", numeric: true, cell: (c) => zText(c.z), drop: 0.3 },
    { head: "verdict", cell: (c) => c.verdict },
  ];
  const sections = [...new Set(checks.map((c) => c.scenario))].map((title) => ({ title, rows: checks.filter((c) => c.scenario === title) }));
  const tally =
    `${checks.length} checks, ${failed} inconsistent (threshold ${threshold.toFixed(2)} on the skewness-corrected z: ` +
    `${Z_THRESHOLD} for one check, Bonferroni over ${checks.length})`;
  const note = tooFewRuns > 0 ? [`${tooFewRuns} ${tooFewRuns === 1 ? "check was" : "checks were"} not judged: ${tooFewRunsNote}`] : [];
  // the answer first (it came after some 200 rows), with the checks that failed named under it
  const inconsistent = checks.filter((c) => c.verdict === "inconsistent").map((c) => `${c.scenario}: ${c.strategy} (${c.context}), ${c.quantity}, z = ${zText(c.z)}`);
  const head = [tally, ...inconsistent.map((c) => `  ${c}`), ...note].flatMap((text) => wrap(text, width, "", "    "));
  return `${head.join("\n")}\n\n${sectionTable(columns, sections, { width, wide: false })}\n`;
}

/** Whether `file` is a pipe, socket or device (not a regular file, folder or broken link). */
function isSpecial(file: string): boolean {
  try {
    const st = statSync(file);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}
