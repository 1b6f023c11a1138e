/**
 * Command-line values. Numbers are declared to yargs as strings and parsed here, so that a
 * message quotes what was typed ("got abc", "got 1e400") rather than a converted NaN, and every
 * problem is a FlagError naming the flag; the CLI adds a pointer to the command's --help.
 */
import { totalmem } from "node:os";
import { FlagError, ScenarioError } from "../errors.js";
import { groupDigits } from "../text.js";
import { MAX_TRIALS, RANGES } from "../scenario/bounds.js";
import { seedProblem } from "../scenario/load.js";
import { defaultThreads } from "../sim/pool.js";
import { perRunBytes, type SimJob } from "../sim/simulate.js";

/** --threads at most: each thread is a worker with its own heap. */
export const MAX_THREADS = 256;

/** What was typed, as a message shows it: plain when it is a plain token, else JSON-quoted. */
function typed(text: string): string {
  return /^[\w.+-]+$/.test(text) ? text : JSON.stringify(text);
}

/** A finite number, or undefined when the flag was not given. */
export function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = decimal(text);
  if (!Number.isFinite(value)) throw new FlagError(`${flag} must be a finite number, got ${typed(text)}`);
  return value;
}

/**
 * A number written in decimal (1000, 1e3, -0.5, +5, around spaces), else NaN: JavaScript's Number()
 * also reads 0x10, 0b11 and 0o7 (16, 3, 7), and "" and "Infinity", which no flag means.
 */
function decimal(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
}

/** A whole number in [min, max], or undefined when the flag was not given. */
export function wholeFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = decimal(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FlagError(`${flag} must be a whole number from ${groupDigits(min)} to ${groupDigits(max)}, got ${typed(text)}`);
  }
  return value;
}

/** --trials: the scenario key's bounds (at least 2 runs: below that there is no standard error). */
export function trialsFlag(text: string | undefined): number | undefined {
  return wholeFlag("--trials", text, RANGES.trials.min, MAX_TRIALS);
}

/** The share of the machine's memory (or of its cgroup's limit) that a command's per-run arrays may hold. */
const MEMORY_SHARE = 0.6;

/**
 * Refuse a run count whose per-run arrays (perRunBytes, `copies` simulations at once) would not fit
 * in memory, naming where it came from: `--trials <flag>` as typed where the flag was given, else
 * the file's trials key. 100,000,000 runs of the default scenario's 8 jobs hold 6.4 GB, and on a
 * smaller machine the system killed the process without a word.
 */
export function checkRunsFit(flag: string | undefined, file: string, jobs: readonly SimJob[], trials: number, copies = 1, memory = machineMemory()): void {
  const limit = memory * MEMORY_SHARE;
  const bytes = perRunBytes(jobs, trials) * copies;
  if (bytes <= limit) return;
  const most = Math.floor((trials * limit) / bytes);
  const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
  const why = `${groupDigits(trials)} runs of each of ${jobs.length} strategy and context pairs hold ${gb(bytes)} of per-run costs, more than this machine's memory allows (${gb(limit)}: at most ${groupDigits(most)} runs here)`;
  throw flag !== undefined ? new FlagError(`--trials ${flag}: ${why}`) : new ScenarioError(file, "trials", why);
}

/** Bytes of memory this process may use: the machine's, or its cgroup's limit where lower. */
function machineMemory(): number {
  return Math.min(totalmem(), process.constrainedMemory?.() || Infinity);
}

/** --threads: 1 to MAX_THREADS. */
export function threadsFlag(text: string): number {
  return wholeFlag("--threads", text, 1, MAX_THREADS)!;
}

/** --from and --to: finite numbers, each optional, and from < to when both are given. */
export function rangeFlags(fromText: string | undefined, toText: string | undefined): { from: number | undefined; to: number | undefined } {
  const from = numberFlag("--from", fromText);
  const to = numberFlag("--to", toText);
  if (from !== undefined && to !== undefined && !(from < to)) throw new FlagError(`--from (${from}) must be less than --to (${to})`);
  return { from, to };
}

/** The yargs declaration of --threads, as every simulating command takes it. */
export const threadsOption = () =>
  ({
    type: "string",
    default: String(defaultThreads()),
    requiresArg: true,
    describe: `threads that simulate, 1 to ${MAX_THREADS} (1: the main thread alone, no worker; a small job always runs there)`,
  }) as const;

/** The yargs declaration of --trials, with its bounds (see trialsFlag): `what` the runs are, and where the default comes from. */
export const trialsOption = (what: string, fallback: string) =>
  ({
    type: "string",
    requiresArg: true,
    describe: `${what}, ${RANGES.trials.min} to ${groupDigits(MAX_TRIALS)} (default: ${fallback})`,
  }) as const;

/** A non-empty text value, or undefined when the flag was not given. */
export function textFlag(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text === "") throw new FlagError(`${flag} must not be empty`);
  return text;
}

/**
 * --seed: text, as a quoted `seed:` of a file is (`--seed 7` and `seed: 7` name the same streams),
 * checked by the rule of such a seed: no control or formatting character (an escape went raw to
 * the terminal), no white space at either end (" 1" printed as "seed 1" with other numbers than
 * 1), Unicode's composed form (two spellings of "café" printed alike with different numbers).
 */
export function seedFlag(text: string | undefined): string | undefined {
  if (textFlag("--seed", text) === undefined) return undefined;
  const problem = seedProblem(text!);
  if (problem !== null) throw new FlagError(`--seed ${problem}`);
  return text;
}
