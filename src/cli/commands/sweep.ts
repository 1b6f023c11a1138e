/**
 * `agentsim sweep <scenario>`: run every point of the scenario's sweep section (or one shard of
 * it) and write one tidy CSV, atomically, resumable after an interruption.
 */
import { oneLine } from "../../errors.js";
import { printNotes } from "../scenarioArg.js";
import { rmSync } from "node:fs";
import type { CommandModule } from "yargs";
import { openScenario } from "../../scenario/load.js";
import { isTtlKey } from "../../scenario/notes.js";
import { SimulationPool } from "../../sim/pool.js";
import { checkOutput, defaultOut, removeCreatedFolders, type Lock } from "../../sweep/output.js";
import { buildSweep } from "../../sweep/points.js";
import { parseShard, shardLabel } from "../../sweep/shard.js";
import { partialFiles, runSweep, sweepCompanions, type SweepHandle } from "../../sweep/sweep.js";
import { groupDigits, noun } from "../../text.js";
import { checkRunsFit, textFlag, threadsFlag, threadsOption, trialsFlag, trialsOption } from "../args.js";
import { jobsOf } from "../../sim/simulate.js";
import { onInterrupt, type Cli } from "../io.js";
import { progressBar } from "../progress.js";
import { GLUE, terminalWidth, unbroken, wrap } from "../render/layout.js";

interface Args {
  scenario: string;
  out?: string;
  trials?: string;
  threads: string;
  shard?: string;
  resume: boolean;
}

export const sweepCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file with a sweep section (YAML or JSON)" })
      .option("out", {
        type: "string",
        requiresArg: true,
        describe: "CSV file (default: results/<scenario name>.csv, or results/<name>.shard-<i>-of-<n>.csv with --shard)",
      })
      .option("trials", trialsOption("runs per strategy and context at every point", "the scenario's"))
      .option("threads", threadsOption())
      .option("shard", { type: "string", requiresArg: true, describe: "run the i-th of n disjoint parts of the grid, i/n (merge the parts with agentsim merge)" })
      .option("resume", { type: "boolean", default: false, describe: "continue an interrupted sweep from its completed points" }) as never,
  handler: async (args) => {
    const trials = trialsFlag(args.trials);
    const threads = threadsFlag(args.threads);
    const shard = args.shard === undefined ? null : parseShard(args.shard);
    const given = textFlag("--out", args.out);
    // An output given on the command line is checked before any work.
    if (given !== undefined) await checkOutput(given, "--out", [args.scenario], sweepCompanions(given));
    const { raw, scenario } = await openScenario(args.scenario);
    // two large points are evaluated at a time on the workers, one on a thread alone (see pointRunner)
    checkRunsFit(args.trials, args.scenario, jobsOf(scenario), trials ?? scenario.trials, threads === 1 ? 1 : 2);
    const out = given ?? defaultOut(scenario.name, shard);
    if (given === undefined) await checkOutput(out, "the default output", [args.scenario], sweepCompanions(out));
    // The workers start (and load the sweep's code) at this thread's first await, after the points
    // are validated: piscina is imported asynchronously. Starting them before the validation was
    // measured and gained nothing on two cores, where the two compete for the same cores.
    const pool = new SimulationPool(threads, "sweep");
    pool.start();
    let sweep: ReturnType<typeof buildSweep>;
    try {
      sweep = buildSweep(raw, args.scenario, scenario);
    } catch (err) {
      await pool.close();
      throw err;
    }
    const progress = progressBar(cli.stderr, `sweeping ${sweep.base.name}`, "points");
    let done = 0;
    let total = 0;
    let lock: Lock | null = null;
    const handle: SweepHandle = { flush: null, createdPartial: false };
    // A kill leaves a resumable partial file anyway; on Ctrl-C or a batch system's SIGTERM, the
    // record is saved up to the last row written (so the message's count is what --resume finds),
    // and a sweep stopped before its first point leaves nothing: no partial file, lock or folder.
    const stopListening = onInterrupt((signal) => {
      progress.stop();
      handle.flush?.();
      if (done === 0 && handle.createdPartial) {
        for (const f of Object.values(partialFiles(out))) rmSync(f, { force: true });
      }
      lock?.releaseSync();
      if (done === 0) removeCreatedFolders(out, lock?.createdFolder ?? null);
      // the last moments: the CSV is whole and in place, and nothing is left to resume (it said
      // "kept in <out>.partial: run with --resume", which then swept again from the start)
      if (handle.written) rmSync(partialFiles(out).state, { force: true });
      const kept = handle.written
        ? `after ${oneLine(out)} was written whole`
        : done > 0
          ? `after ${groupDigits(done)} of ${groupDigits(total)} points; they are kept in ${partialFiles(out).partial}: run the same command with --resume to continue`
          : "before the first point was done";
      cli.stderr.write(`${cli.stderr.isTTY ? "\n" : ""}agentsim: interrupted (${signal}) ${kept}\n`);
    });
    const started = performance.now();
    try {
      const outcome = await runSweep(pool, sweep, {
        out,
        trials,
        shard,
        resume: args.resume,
        onLock: (taken) => (lock = taken),
        handle,
        onProgress: (d, t) => {
          [done, total] = [d, t];
          progress.update(d, t);
        },
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      const of = shard ? ` (shard ${shardLabel(shard)} of ${groupDigits(sweep.size)} grid points)` : "";
      const resumed = outcome.resumed > 0 ? `, ${groupDigits(outcome.resumed)} resumed` : "";
      const [strategies, contexts] = [sweep.base.strategies.length, sweep.base.contexts.length];
      const wrote =
        `Wrote ${unbroken(oneLine(outcome.out))}: ${groupDigits(outcome.rows)} ${noun(outcome.rows, "row")}, ${groupDigits(outcome.points)} ${noun(outcome.points, "point")}${of} x ` +
        `${strategies} ${noun(strategies, "strategy", "strategies")} x ${contexts} ${noun(contexts, "context")}, ` +
        `${groupDigits(outcome.trials)} ${noun(outcome.trials, "run")} each${resumed}, ${seconds.toFixed(2)}${GLUE}s`;
      cli.stdout.write(wrap(wrote, terminalWidth(cli.stdout), "", "  ").join("\n") + "\n");
      // a swept lifetime picks each point's write price: the note is the longest one's
      const ttlAxis = sweep.axes.find((a) => isTtlKey(a.path));
      const longest = ttlAxis ? Math.max(scenario.caching.ttlSeconds ?? 0, ...ttlAxis.values) : null;
      printNotes(cli, args.scenario, longest === null ? scenario : { ...scenario, caching: { ...scenario.caching, ttlSeconds: longest } });
    } catch (err) {
      // failed before its first point (the workers could not start): nothing to resume, so
      // nothing is left, as on an interrupt then (the environment audit found a bare header kept)
      if (done === 0 && handle.createdPartial) {
        for (const f of Object.values(partialFiles(out))) rmSync(f, { force: true });
        removeCreatedFolders(out, (lock as Lock | null)?.createdFolder ?? null); // set by onLock
      }
      throw err;
    } finally {
      stopListening();
      progress.stop();
      await pool.close();
    }
  },
});
