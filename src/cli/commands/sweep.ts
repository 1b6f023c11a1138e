/**
 * `agentsim sweep <scenario>`: run every point of the scenario's sweep section (or one shard of
 * it) and write one tidy CSV, atomically, resumable after an interruption.
 */
import type { CommandModule } from "yargs";
import { readScenarioFile } from "../../scenario/load.js";
import { SimulationPool, defaultThreads } from "../../sim/pool.js";
import { buildSweep } from "../../sweep/points.js";
import { parseShard, shardLabel, type Shard } from "../../sweep/shard.js";
import { partialFiles, runSweep } from "../../sweep/sweep.js";
import { progressBar } from "../progress.js";
import { MAX_THREADS, checkTrials, checkWhole } from "../args.js";

interface Args {
  scenario: string;
  out?: string;
  trials?: number;
  threads: number;
  shard?: string;
  resume: boolean;
}

export const sweepCommand: CommandModule<object, Args> = {
  command: "sweep <scenario>",
  describe: "Simulate every point of the scenario's sweep section and write one CSV row per point, strategy and context",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file with a sweep section (YAML or JSON)" })
      .option("out", { type: "string", describe: "CSV file (default: results/<scenario name>.csv, or results/<name>.shard-<i>-of-<n>.csv with --shard)" })
      .option("trials", { type: "number", describe: "runs per strategy and context at every point (default: the scenario's)" })
      .option("threads", { type: "number", default: defaultThreads(), describe: "worker threads" })
      .option("shard", { type: "string", describe: "run the i-th of n disjoint parts of the grid, i/n (merge the parts with agentsim merge)" })
      .option("resume", { type: "boolean", default: false, describe: "continue an interrupted sweep from its completed points" }) as never,
  handler: async (args) => {
    if (args.trials !== undefined) checkTrials(args.trials);
    checkWhole("--threads", args.threads, 1, MAX_THREADS);
    const shard = args.shard === undefined ? null : parseShard(args.shard);
    const sweep = buildSweep(readScenarioFile(args.scenario), args.scenario);
    const out = args.out ?? defaultOut(sweep.base.name, shard);
    const pool = new SimulationPool(args.threads);
    const progress = progressBar(`sweeping ${sweep.base.name}`, "points");
    let done = 0;
    let total = 0;
    // A kill leaves a resumable partial file anyway; on Ctrl-C or a batch system's SIGTERM, say so.
    const interrupted = (signal: NodeJS.Signals) => {
      progress.stop();
      const kept =
        done > 0
          ? `after ${done} of ${total} points; they are kept in ${partialFiles(out).partial}: run the same command with --resume to continue`
          : "before the first point was done";
      process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}agentsim: interrupted (${signal}) ${kept}\n`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
    const started = performance.now();
    try {
      const outcome = await runSweep(pool, sweep, {
        out,
        trials: args.trials,
        shard,
        resume: args.resume,
        onProgress: (d, t) => {
          [done, total] = [d, t];
          progress.update(d, t);
        },
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const of = shard ? ` (shard ${shardLabel(shard)} of ${sweep.size} grid points)` : "";
      const resumed = outcome.resumed > 0 ? `, ${outcome.resumed} resumed` : "";
      process.stdout.write(
        `Wrote ${outcome.out}: ${outcome.rows} rows, ${outcome.points} points${of} x ${sweep.base.strategies.length} strategies x ` +
          `${sweep.base.contexts.length} contexts, ${outcome.trials.toLocaleString("en-US")} runs each${resumed}, ${seconds.toFixed(2)} s\n`,
      );
    } finally {
      process.off("SIGINT", interrupted).off("SIGTERM", interrupted);
      progress.stop();
      await pool.close();
    }
  },
};

/** `results/<name>.csv`, or `results/<name>.shard-<i>-of-<n>.csv`; the name made safe as a file name. */
export function defaultOut(name: string, shard: Shard | null): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_");
  return `results/${safe}${shard ? `.shard-${shard.index}-of-${shard.count}` : ""}.csv`;
}
