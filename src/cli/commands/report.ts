/**
 * `agentsim report <scenario>`: one self-contained HTML page with the decision, the scenario and
 * the charts (src/report), written atomically.
 */
import type { CommandModule } from "yargs";
import { packageVersion } from "../../packageRoot.js";
import { openScenario } from "../../scenario/load.js";
import { SimulationPool } from "../../sim/pool.js";
import { checkOutput, defaultOut, lockOutput, writeAtomically } from "../../sweep/output.js";
import { groupDigits } from "../../text.js";
import { rangeFlags, textFlag, threadsFlag, threadsOption, trialsFlag } from "../args.js";
import type { Cli } from "../io.js";
import { progressBar } from "../progress.js";

interface Args {
  scenario: string;
  out?: string;
  trials?: string;
  threads: string;
  crossover?: string;
  from?: string;
  to?: string;
}

export const reportCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file (YAML or JSON)" })
      .option("out", { type: "string", requiresArg: true, describe: "HTML file (default: results/<scenario name>.html)" })
      .option("trials", { type: "string", requiresArg: true, describe: "runs per strategy and context, at least 2 (default: the scenario's)" })
      .option("threads", threadsOption())
      .option("crossover", { type: "string", requiresArg: true, describe: "dotted numeric key of the crossover chart (default: the bug count of the second strategy's generator)" })
      .option("from", { type: "string", requiresArg: true, describe: "start of the crossover range (optional for a bugs.count)" })
      .option("to", { type: "string", requiresArg: true, describe: "end of the crossover range (optional for a bugs.count)" }) as never,
  handler: async (args) => {
    const trialsGiven = trialsFlag(args.trials);
    const threads = threadsFlag(args.threads);
    const { from, to } = rangeFlags(args.from, args.to);
    const given = textFlag("--out", args.out);
    if (given !== undefined) await checkOutput(given, "--out", [args.scenario]);
    const crossover = textFlag("--crossover", args.crossover);
    const loaded = await openScenario(args.scenario);
    const trials = trialsGiven ?? loaded.scenario.trials;
    // the same name as sweep's default output, with .html
    const out = given ?? defaultOut(loaded.scenario.name, null).replace(/\.csv$/, ".html");
    if (given === undefined) await checkOutput(out, "the default output", [args.scenario]);
    const started = performance.now();
    const pool = new SimulationPool(threads);
    const progress = progressBar(cli.stderr, `report ${loaded.scenario.name}`, "runs");
    // Loaded here, not with the CLI: the charting code is large, and no other command needs it.
    const [{ collectReport }, { renderPage }] = await Promise.all([import("../../report/collect.js"), import("../../report/page.js")]);
    let html: string;
    try {
      const data = await collectReport(pool, loaded, {
        trials,
        seed: String(loaded.scenario.seed),
        crossover: { key: crossover, from, to },
        onProgress: progress.update,
      });
      progress.stop();
      html = await renderPage(data, packageVersion());
    } finally {
      progress.stop();
      await pool.close();
    }
    // Written whole under a temporary name and renamed, so that no half-written page is left.
    const lock = await lockOutput(out);
    try {
      await writeAtomically(out, html);
    } finally {
      await lock.release();
    }
    const seconds = (performance.now() - started) / 1000;
    cli.stdout.write(`Wrote ${out} (${Math.round(html.length / 1024)} kB), ${groupDigits(trials)} runs per strategy and context, ${seconds.toFixed(2)} s\n`);
  },
});
