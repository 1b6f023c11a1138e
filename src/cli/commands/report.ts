/**
 * `agentsim report <scenario>`: one self-contained HTML page with the decision, the scenario and
 * the charts (src/report), written atomically.
 */
import { oneLine } from "../../errors.js";
import { printNotes } from "../scenarioArg.js";
import { announceLongJob } from "../longJob.js";
import type { CommandModule } from "yargs";
import { packageVersion } from "../../packageRoot.js";
import { openScenario } from "../../scenario/load.js";
import { SimulationPool } from "../../sim/pool.js";
import { checkOutput, defaultOut, lockOutput, removeCreatedFolders, writeAtomically, type Lock } from "../../sweep/output.js";
import { groupDigits } from "../../text.js";
import { checkRunsFit, rangeFlags, textFlag, threadsFlag, threadsOption, trialsFlag, trialsOption } from "../args.js";
import { jobsOf } from "../../sim/simulate.js";
import { onInterrupt, type Cli } from "../io.js";
import { progressBar } from "../progress.js";
import { GLUE, terminalWidth, unbroken, wrap } from "../render/layout.js";

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
      .option("trials", trialsOption("runs per strategy and context", "the scenario's"))
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
    // the runs' costs, and a sorted copy of each for its distribution
    checkRunsFit(args.trials, args.scenario, jobsOf(loaded.scenario), trials, 2);
    // the same name as sweep's default output, with .html
    const out = given ?? defaultOut(loaded.scenario.name, null).replace(/\.csv$/, ".html");
    if (given === undefined) await checkOutput(out, "the default output", [args.scenario]);
    const started = performance.now();
    // Ctrl-C or SIGTERM before the page is written leaves nothing: no lock, no folder made for it.
    // Listened for before the lock is taken: without a listener a signal ends the process at once,
    // which could leave the lock behind.
    let lock: Lock | null = null;
    const stopListening = onInterrupt((signal) => {
      lock?.releaseSync();
      // after the page's temporary file, which its own exit hook removes (registered before this,
      // so first): removed now, the folders were not empty yet and stayed (an audit)
      const made = lock?.createdFolder ?? null;
      if (made) process.once("exit", () => removeCreatedFolders(out, made));
      cli.stderr.write(`${cli.stderr.isTTY ? "\n" : ""}agentsim: interrupted (${signal}); nothing was written\n`);
    });
    // Taken before the work: a folder where the page cannot be written (/proc, as root) fails at
    // once, and a second report to the same file does not run in vain.
    const taken = await lockOutput(out).catch((err: unknown) => {
      stopListening();
      throw err;
    });
    lock = taken;
    let html: string;
    let written = false;
    try {
      const pool = new SimulationPool(threads);
      // the page's own runs; its crossover and sweep panels simulate more
      announceLongJob(cli, args.scenario, pool, jobsOf(loaded.scenario), trials, "auto", ", and more for its charts");
      const progress = progressBar(cli.stderr, `report ${loaded.scenario.name}`, "runs");
      // Loaded here, not with the CLI: the charting code is large, and no other command needs it.
      const [{ collectReport }, { renderPage }] = await Promise.all([import("../../report/collect.js"), import("../../report/page.js")]);
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
      await writeAtomically(out, html);
      written = true;
    } finally {
      stopListening();
      await taken.release();
      if (!written) removeCreatedFolders(out, taken.createdFolder);
    }
    const seconds = (performance.now() - started) / 1000;
    const wrote = `Wrote ${unbroken(oneLine(out))} (${Math.round(Buffer.byteLength(html) / 1000)}${GLUE}kB), ${groupDigits(trials)} runs per strategy and context, ${seconds.toFixed(2)}${GLUE}s`;
    cli.stdout.write(wrap(wrote, terminalWidth(cli.stdout), "", "  ").join("\n") + "\n");
    printNotes(cli, args.scenario, loaded.scenario);
  },
});
