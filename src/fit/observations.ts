/**
 * What a run tells the estimators: its generator and tokens, each bug's fix attempts by rate
 * source, and the token sizes of its fix phase.
 *
 * Error trace (docs/model.md, section 11): between two consecutive fix attempts of one conversation,
 *
 *   E = input(later) - input(earlier) - output(earlier) - sum of consult outputs in between,
 *
 * since the earlier attempt's output, then its error trace, then any advice join the conversation
 * before the later attempt reads it. A conversation is the run's whole fix phase in shared context
 * and one bug's requests in fresh context; a compaction restarts it (the pair across it is skipped).
 */
import { LineError } from "./files.js";
import type { Located, TraceRun } from "./trace.js";

/** Fix attempts one rate source made on one bug. */
export interface SourceTally {
  /** the fixer model */
  source: string;
  failures: number;
  /** whether this source's last attempt fixed the bug */
  fixed: boolean;
}

export interface BugObservation {
  /**
   * in order of each source's first attempt on the bug, up to its first consult (see
   * bugObservations); empty if the bug was never attempted
   */
  tallies: SourceTally[];
}

export interface RunObservation {
  /** file, strategy and context: a group of runs, as the report counts them */
  stratum: string;
  /**
   * file, strategy and run index: the bootstrap's unit. `run --trace` draws a strategy's run i in
   * both contexts from one stream on the fast path (the same bugs, the same fix outcomes), so the
   * two are one observation, resampled together; runs of different indices are independent.
   */
  unit: string;
  generator: string;
  /** L0 and G0 of this run's generation */
  prompt: number;
  generation: number;
  bugs: BugObservation[];
  /** G of every fix attempt */
  fixOutputs: number[];
  /** E of every pair of consecutive fix attempts of one conversation */
  errorTraces: number[];
  /** consult requests and their output tokens */
  consultOutputs: number[];
  /** fix attempts made after a consult on their bug, left out of the rates (see bugObservations) */
  advisedAttempts: number;
}

/**
 * Slack for a negative error trace: inputs are sums of real-valued draws, so E may come out a few
 * ulps below zero; anything further below is an inconsistent trace.
 */
const GROWTH_SLACK = 1e-6;

/** The rate source of a fix request. One declaration, so that a split by rung can be added here. */
export function rateSource(request: Located): string {
  return request.record.model;
}

/**
 * Tally each bug's fix attempts by rate source, up to the bug's first consult. The rung after a
 * consult may fix at its own rates (an advised executor does better than its model alone), which
 * a trace cannot tell from the model's own: counting its attempts toward the model made the
 * advisor scenario's executor look worse than it is and reversed the decision. A bug still open
 * at its first consult is censored there, which the consult's timing (after a fixed number of
 * failed attempts) leaves unbiased; the attempts after it are only counted (`advisedAttempts`).
 */
function bugObservations(run: TraceRun): { bugs: BugObservation[]; advisedAttempts: number } {
  const bugs: Map<string, SourceTally>[] = [];
  const advised: boolean[] = [];
  let advisedAttempts = 0;
  for (const request of run.requests) {
    const r = request.record;
    const tallies = (bugs[r.bug!] ??= new Map());
    if (r.role === "consult") advised[r.bug!] = true;
    if (r.role !== "fix") continue;
    if (advised[r.bug!]) {
      advisedAttempts++;
      continue;
    }
    const source = rateSource(request);
    const tally = tallies.get(source) ?? { source, failures: 0, fixed: false };
    if (r.fixed) tally.fixed = true;
    else tally.failures++;
    tallies.set(source, tally);
  }
  return { bugs: bugs.map((tallies) => ({ tallies: [...(tallies?.values() ?? [])] })), advisedAttempts };
}

/** Error traces of the run's conversations (see the module comment). */
function errorTraces(run: TraceRun): number[] {
  const out: number[] = [];
  let previous: Located | null = null; // the conversation's last fix attempt
  let advice = 0; // consult output since then
  let bug = -1;
  for (const located of run.requests) {
    const r = located.record;
    if (run.context === "fresh" && r.bug !== bug) {
      previous = null;
      advice = 0;
    }
    bug = r.bug!;
    if (r.role === "compact") {
      previous = null;
      advice = 0;
    } else if (r.role === "consult") {
      if (previous) advice += r.output;
    } else if (r.role === "fix") {
      if (previous) {
        const p = previous.record;
        const e = r.input - p.input - p.output - advice;
        if (e < -GROWTH_SLACK * Math.max(1, r.input)) {
          throw new LineError(
            located.file,
            located.line,
            `input ${r.input} is below the previous fix attempt's input plus its output` +
              `${advice ? " and the advice since" : ""} (${p.input + p.output + advice}, line ${previous.line}) ` +
              `with no compaction between: the conversation lost tokens`,
          );
        }
        out.push(Math.max(0, e));
      }
      previous = located;
      advice = 0;
    }
  }
  return out;
}

/** Everything the estimators read from one run. */
export function observeRun(run: TraceRun): RunObservation {
  const g = run.generation.record;
  const fixes = run.requests.filter((q) => q.record.role === "fix");
  const { bugs, advisedAttempts } = bugObservations(run);
  return {
    stratum: JSON.stringify([run.file, run.strategy, run.context]),
    unit: JSON.stringify([run.file, run.strategy, run.run]),
    generator: g.model,
    prompt: g.input,
    generation: g.output,
    bugs,
    fixOutputs: fixes.map((q) => q.record.output),
    errorTraces: errorTraces(run),
    consultOutputs: run.requests.filter((q) => q.record.role === "consult").map((q) => q.record.output),
    advisedAttempts,
  };
}
