/** `agentsim run [scenario]`: simulate every strategy and context and check them against the closed forms. */
import type { CommandModule } from "yargs";
import { decide } from "../../decision/decision.js";
import { FlagError, oneLine } from "../../errors.js";
import { evaluateScenario } from "../../evaluate/evaluate.js";
import { MAX_TRACE_RUNS, traceJobs } from "../../evaluate/trace.js";
import { MAX_LOG_BYTES } from "../../fit/files.js";
import { openScenario } from "../../scenario/load.js";
import { SIM_PATHS, type SimPath } from "../../sim/kernel.js";
import { fastPathBlockers } from "../../sim/params.js";
import { SimulationPool } from "../../sim/pool.js";
import { loadSamplersFor } from "../../sim/samplers.js";
import { jobsOf } from "../../sim/simulate.js";
import { checkOutput, writeChunksAtomically } from "../../sweep/output.js";
import { checkRunsFit, seedFlag, textFlag, threadsFlag, threadsOption, trialsFlag, trialsOption, wholeFlag } from "../args.js";
import { onInterrupt, type Cli } from "../io.js";
import { toJson } from "../json.js";
import { progressBar } from "../progress.js";
import { terminalWidth, unbroken, wrap } from "../render/layout.js";
import { groupDigits, listed, noun } from "../../text.js";
import { formatRun } from "../render/run.js";
import { DEFAULT_SCENARIO, DEFAULT_SCENARIO_SHOWN, printNotes } from "../scenarioArg.js";
import { announceLongJob } from "../longJob.js";

/** Runs traced per strategy and context when --trace-runs is not given. */
const DEFAULT_TRACE_RUNS = 100;

interface Args {
  scenario: string;
  trials?: string;
  seed?: string;
  threads: string;
  path: SimPath;
  json: boolean;
  trace?: string;
  traceRuns?: string;
  wide: boolean;
}

export const runCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("scenario", { type: "string", default: DEFAULT_SCENARIO, defaultDescription: DEFAULT_SCENARIO_SHOWN, describe: "scenario file (YAML or JSON)" })
      .option("trials", trialsOption("runs per strategy and context", "the scenario's"))
      .option("seed", { type: "string", requiresArg: true, describe: "random seed (default: the scenario's)" })
      .option("threads", threadsOption())
      .option("path", {
        choices: SIM_PATHS,
        default: "auto" as const,
        requiresArg: true,
        describe: "simulation path (auto: fast where the base model allows)",
      })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" })
      .option("trace", { type: "string", requiresArg: true, describe: "write every request of the first runs of each strategy and context to FILE (JSON lines)" })
      .option("trace-runs", { type: "string", requiresArg: true, describe: `runs traced per strategy and context, with --trace (default ${DEFAULT_TRACE_RUNS}, at most ${MAX_TRACE_RUNS})` })
      .option("wide", { type: "boolean", default: false, describe: "every column (p50, p99, z, ...), the extensions' outputs and P(cheaper) for every pair" }) as never,
  handler: async (args) => {
    const threads = threadsFlag(args.threads);
    const trialsGiven = trialsFlag(args.trials);
    const seedGiven = seedFlag(args.seed);
    const trace = textFlag("--trace", args.trace);
    const traceRuns = wholeFlag("--trace-runs", args.traceRuns, 1, MAX_TRACE_RUNS) ?? DEFAULT_TRACE_RUNS;
    if (args.traceRuns !== undefined && trace === undefined) throw new FlagError("--trace-runs needs --trace FILE: without it nothing is traced");
    if (trace !== undefined) await checkOutput(trace, "--trace", [args.scenario]);
    const { scenario } = await openScenario(args.scenario);
    const trials = trialsGiven ?? scenario.trials;
    const simJobs = jobsOf(scenario);
    checkRunsFit(args.trials, args.scenario, simJobs, trials);
    const seed = seedGiven ?? String(scenario.seed);
    const blockers = [...new Set(simJobs.flatMap((job) => fastPathBlockers(job.params)))];
    if (args.path === "fast" && blockers.length > 0) {
      throw new FlagError(`--path fast simulates the base model only; ${args.scenario} uses ${listed(blockers)}, which need --path attempt (or auto)`);
    }
    let requests = 0; // the trace's lines
    let traceBytes = 0;
    if (trace !== undefined) {
      await loadSamplersFor(simJobs.map((job) => job.params));
      // Ctrl-C or SIGTERM while the trace is written leaves none of it (process.exit removes its temporary file)
      const stopListening = onInterrupt((signal) => {
        cli.stderr.write(`${cli.stderr.isTTY ? "\n" : ""}agentsim: interrupted (${signal}); no trace was written\n`);
      });
      // job by job, in chunks of about 1 MB: the whole trace may be more than one string holds
      const jobs = traceJobs(scenario, { runs: Math.min(traceRuns, trials), seedKey: seed, path: args.path });
      try {
        const chunks = (function* () {
          for (const lines of jobs) {
            requests += lines.length;
            for (let i = 0; i < lines.length; i += 4096) {
              const chunk = lines.slice(i, i + 4096).map((l) => l + "\n").join("");
              traceBytes += Buffer.byteLength(chunk);
              yield chunk;
            }
          }
        })();
        await writeChunksAtomically(trace, chunks, "--trace");
      } finally {
        stopListening();
      }
    }
    const pool = new SimulationPool(threads);
    const used = announceLongJob(cli, args.scenario, pool, simJobs, trials, args.path);
    const progress = progressBar(cli.stderr, "simulating", "runs");
    const started = performance.now();
    try {
      const evaluation = await evaluateScenario(pool, scenario, { trials, seedKey: seed, path: args.path, onProgress: progress.update });
      const elapsed = (performance.now() - started) / 1000;
      progress.stop();
      // the threads that simulated (used): a small job runs on this one whatever --threads says
      const timing = { seconds: elapsed, threads: used, runsPerSecond: (trials * evaluation.results.length) / elapsed };
      const decision = decide(evaluation.results, evaluation.comparisons);
      if (args.json) {
        cli.stdout.write(toJson({ scenario: scenario.name, seed: seedJson(seed), trials, ...evaluation, decision, timing }) + "\n");
      } else {
        const view = { scenario, file: args.scenario, trials, seed, evaluation, decision, timing };
        cli.stdout.write(formatRun(view, { width: terminalWidth(cli.stdout), wide: args.wide }));
        if (trace !== undefined) {
          // what --trace wrote, and where: the run's report said nothing of it
          const runs = Math.min(traceRuns, trials);
          const traced = `Traced the first ${groupDigits(runs)} ${noun(runs, "run")} of each strategy and context (${groupDigits(requests)} requests) to ${unbroken(oneLine(trace))}.`;
          cli.stdout.write(`\n${wrap(traced, terminalWidth(cli.stdout), "", "  ").join("\n")}\n`);
        }
      }
      printNotes(cli, args.scenario, scenario);
      // --trace-runs allows a trace that fit does not read whole (50,000 runs of the default scenario: 1.2 GB; an audit)
      if (traceBytes > MAX_LOG_BYTES) {
        // to a tenth: a trace just over the bound said "256 MiB, more than the 256 MiB" (a review)
        const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(1)} MiB`;
        cli.stderr.write(`agentsim: note: ${oneLine(trace!)}: the trace is ${mib(traceBytes)}, more than the ${mib(MAX_LOG_BYTES)} a file agentsim fit reads: trace fewer runs (--trace-runs) to fit it\n`);
      }
    } finally {
      progress.stop();
      await pool.close();
    }
  },
});

/**
 * The seed as --json gives it: the text that keys the random streams, as a number where a file's
 * number seed would key them so ("1": 1), so that one seed is one value however it was given
 * (--seed 1 gave "1", the file's seed: 1 gave 1: the consistency audit).
 */
function seedJson(seed: string): number | string {
  // a whole number >= 0, as a file's number seed is; "-1" or "07" stay text
  return /^(0|[1-9]\d*)$/.test(seed) && Number.isSafeInteger(Number(seed)) ? Number(seed) : seed;
}
