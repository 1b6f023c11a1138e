/**
 * `agentsim report <scenario>`: one self-contained HTML page with the decision, the scenario and
 * the charts (src/report), written atomically.
 */
import { readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { UserError } from "../../errors.js";
import { PACKAGE_ROOT } from "../../packageRoot.js";
import { loadScenario } from "../../scenario/load.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { checkWritable } from "../../sweep/sweep.js";
import { MAX_THREADS, checkTrials, checkWhole } from "../args.js";
import { progressBar } from "../progress.js";
import { defaultOut } from "./sweep.js";

interface Args {
  scenario: string;
  out?: string;
  trials?: number;
  threads: number;
  crossover?: string;
  from?: number;
  to?: number;
}

export const reportCommand: CommandModule<object, Args> = {
  command: "report <scenario>",
  describe: "Write one self-contained HTML page: the decision, the scenario, cost distributions, breakdown, crossover and sweep charts",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file (YAML or JSON)" })
      .option("out", { type: "string", describe: "HTML file (default: results/<scenario name>.html)" })
      .option("trials", { type: "number", describe: "runs per strategy and context (default: the scenario's)" })
      .option("threads", { type: "number", default: defaultThreads(), describe: "worker threads" })
      .option("crossover", { type: "string", describe: "dotted numeric key of the crossover chart (default: the bug count of the second strategy's generator)" })
      .option("from", { type: "number", describe: "start of the crossover range (optional for a bugs.count)" })
      .option("to", { type: "number", describe: "end of the crossover range (optional for a bugs.count)" }) as never,
  handler: async (args) => {
    const loaded = loadScenario(args.scenario);
    const trials = args.trials ?? loaded.scenario.trials;
    checkTrials(trials);
    checkWhole("--threads", args.threads, 1, MAX_THREADS);
    if (args.from !== undefined && args.to !== undefined && !(args.from < args.to)) {
      throw new UserError(`--from (${args.from}) must be less than --to (${args.to})`);
    }
    // the same name as sweep's default output, with .html
    const out = args.out ?? defaultOut(loaded.scenario.name, null).replace(/\.csv$/, ".html");
    await checkWritable(out);
    const started = performance.now();
    const pool = new SimulationPool(args.threads);
    const progress = progressBar(`report ${loaded.scenario.name}`, "runs");
    // Loaded here, not with the CLI: the charting code is large, and no other command needs it.
    const [{ collectReport }, { renderPage }] = await Promise.all([import("../../report/collect.js"), import("../../report/page.js")]);
    let html: string;
    try {
      const data = await collectReport(pool, loaded, {
        trials,
        seed: String(loaded.scenario.seed),
        crossover: { key: args.crossover, from: args.from, to: args.to },
        onProgress: progress.update,
      });
      progress.stop();
      html = await renderPage(data, packageVersion());
    } finally {
      progress.stop();
      await pool.close();
    }
    // Written whole under a temporary name and renamed, so that no half-written page is left.
    const partial = `${out}.partial`;
    try {
      await writeFile(partial, html);
      await rename(partial, out);
    } catch (err) {
      await rm(partial, { force: true });
      throw new UserError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`Wrote ${out} (${Math.round(html.length / 1024)} kB), ${trials.toLocaleString("en-US")} runs per strategy and context, ${seconds.toFixed(2)} s\n`);
  },
};

function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
