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
import type { Rung } from "../scenario/types.js";
import { LineError } from "./files.js";
import type { Located, TraceRun } from "./trace.js";

/** Fix attempts one rate source made on one bug. */
export interface SourceTally {
  /** the fixer model, or a rung with its own fix rates (see rateSource) */
  source: string;
  /** the model that made the attempts */
  model: string;
  failures: number;
  /** whether this source's last attempt fixed the bug */
  fixed: boolean;
}

export interface BugObservation {
  /**
   * in order of each source's first attempt on the bug (up to its first consult where the
   * strategy's ladder is unknown, see bugObservations); empty if the bug was never attempted
   */
  tallies: SourceTally[];
}

export interface RunObservation {
  /**
   * strategy and context: a group of runs, as the report counts them, across files (with one
   * group per file, logs kept one file per session gave groups of one run, which a resample
   * never varies: intervals of width 0)
   */
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
  /** fix attempts made after a consult on their bug and left out of the rates (no ladder known, see bugObservations) */
  advisedAttempts: number;
}

/**
 * Slack for a negative error trace: inputs are sums of real-valued draws, so E may come out a few
 * ulps below zero; anything further below is an inconsistent trace.
 */
const GROWTH_SLACK = 1e-6;

/** A traced strategy's ladder as the prices scenario gives it, or null where it is not known. */
export type LadderOf = (strategy: string) => readonly Rung[] | null;

/** The index in the ladder of the rung a bug's n-th fix attempt (from 1, over all rungs) is made on, or null past its end. */
export function rungOfAttempt(ladder: readonly Rung[], n: number): number | null {
  let left = n;
  for (let i = 0; i < ladder.length; i++) {
    const rung = ladder[i]!;
    if (rung.kind !== "fix") continue;
    if (rung.attempts === null || left <= rung.attempts) return i;
    left -= rung.attempts;
  }
  return null;
}

/**
 * The rate source of a fix request: its model, or, where the strategy's ladder is known and the
 * attempt falls on a rung with its own `fix`, that rung (`strategies.<s>.ladder[i]`, the key its
 * rates are written under): such a rung (an advised executor, say) fixes at rates of its own,
 * which counted toward the model's biased them (an audit: a hard rate of 0.131 against 0.10).
 */
export function rateSource(request: Located, strategy: string, ladder: readonly Rung[] | null): string {
  const r = request.record;
  if (!ladder) return r.model;
  const i = rungOfAttempt(ladder, r.attempt!);
  const rung = i === null ? null : ladder[i]!;
  if (rung?.kind !== "fix" || rung.model !== r.model) {
    throw new LineError(
      request.file,
      request.line,
      `fix attempt ${r.attempt} on bug ${r.bug} is made by ${r.model}, but the prices scenario's ladder of ${strategy} ` +
        `${rung ? `has ${rung.model} on that rung (${i! + 1})` : "has no rung for it"}: the traces and the prices scenario describe different strategies`,
    );
  }
  return rung.fix ? `strategies.${strategy}.ladder[${i}]` : r.model;
}

/**
 * Tally each bug's fix attempts by rate source. Where the strategy's ladder is known (from the
 * prices scenario), every attempt counts toward its rung's source. Where it is not, a bug is
 * tallied up to its first consult only: the rung after a consult may fix at its own rates, which
 * a trace alone cannot tell from the model's (counted toward the model, they made the advisor
 * scenario's executor look worse than it is and reversed the decision). A bug still open at its
 * first consult is censored there, which the consult's timing (after a fixed number of failed
 * attempts) leaves unbiased; the attempts after it are only counted (`advisedAttempts`).
 */
function bugObservations(run: TraceRun, ladder: readonly Rung[] | null): { bugs: BugObservation[]; advisedAttempts: number } {
  const bugs: Map<string, SourceTally>[] = [];
  const advised: boolean[] = [];
  let advisedAttempts = 0;
  for (const request of run.requests) {
    const r = request.record;
    const tallies = (bugs[r.bug!] ??= new Map());
    if (r.role === "consult" && !ladder) advised[r.bug!] = true;
    if (r.role !== "fix") continue;
    if (advised[r.bug!]) {
      advisedAttempts++;
      continue;
    }
    const source = rateSource(request, run.strategy, ladder);
    const tally = tallies.get(source) ?? { source, model: r.model, failures: 0, fixed: false };
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

/** Everything the estimators read from one run (its strategy's ladder from `ladderOf`, where known). */
export function observeRun(run: TraceRun, ladderOf: LadderOf = () => null): RunObservation {
  const g = run.generation.record;
  const fixes = run.requests.filter((q) => q.record.role === "fix");
  const { bugs, advisedAttempts } = bugObservations(run, ladderOf(run.strategy));
  return {
    stratum: JSON.stringify([run.strategy, run.context]),
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
