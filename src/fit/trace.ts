/**
 * Reading `agentsim run --trace` files: JSON lines, one request each, in the format of the lead's
 * decisions (docs/model.md, section 11).
 *
 * `parseTraceRecord` checks one line on its own (fields, types, which fields a role may set);
 * `assembleRuns` checks the order of the lines of each run (the generation first, bugs worked one
 * after another, attempts counted 1, 2, 3, ..., nothing after a fix). Every problem is one line,
 * `file:line: what is wrong`, thrown as a LineError (a UserError: exit code 2).
 */
import { createHash } from "node:crypto";
import { UserError } from "../errors.js";
import { groupDigits } from "../text.js";
// the format is the one `run --trace` writes
import { TRACE_FIELDS, TRACE_ROLES, type TraceRecord, type TraceRole } from "../evaluate/traceRecord.js";
import { isModelName, NAME_LENGTH, strategyNameProblem } from "../scenario/schema.js";
import { CONTEXTS, type Context } from "../scenario/types.js";
import { LineError, LOG_TOKENS, isLogTokens, parseJsonLine, readLogText, shownValue } from "./files.js";

export type { TraceRecord };

/** A record and where it was read. */
export interface Located {
  file: string;
  line: number;
  record: TraceRecord;
}

/**
 * Slack for "cacheRead + cacheWrite <= input": the simulator draws tokens as real numbers, so sums
 * may carry rounding of a few ulps.
 */
const TOKEN_SLACK = 1e-9;


/** Validate one line of a trace file (already known not to be blank). */
export function parseTraceRecord(text: string, file: string, line: number): TraceRecord {
  const fail = (problem: string): never => {
    throw new LineError(file, line, problem);
  };
  const data = parseJsonLine(text, file, line);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return fail(`must be a JSON object with the fields ${TRACE_FIELDS.join(", ")}`);
  }
  const r = data as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!(TRACE_FIELDS as readonly string[]).includes(key)) {
      const hint = key === "type" || key === "message" ? "; a Claude Code log? pass --format claude-code" : "";
      fail(`unknown field "${key}" (a trace record has ${TRACE_FIELDS.join(", ")}${hint})`);
    }
  }
  for (const key of TRACE_FIELDS) if (!Object.hasOwn(r, key)) fail(`missing field "${key}"`);

  const field = (key: string, ok: boolean, what: string) => {
    if (!ok) fail(`${key}: must be ${what}, got ${shownValue(r[key])}`);
  };
  // beyond 2^53 - 1 two numbers are one double: runs 2^60 and 2^60 + 1 were read as one run
  const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;

  field("role", (TRACE_ROLES as readonly unknown[]).includes(r.role), `one of ${TRACE_ROLES.join(", ")}`);
  const role = r.role as TraceRole;
  field("run", whole(r.run, 0), "a whole number from 0 to 2^53 - 1");
  // strategy names head a fit's notes and tables: the scenario schema's rule, in its words ("- z"
  // was "must be a strategy name (printable, at most 49 characters wide)": an audit)
  field("strategy", typeof r.strategy === "string", "a strategy name");
  const nameProblem = strategyNameProblem(r.strategy as string);
  if (nameProblem !== null) fail(`strategy: ${nameProblem}, got ${shownValue(r.strategy)}`);
  field("context", (CONTEXTS as readonly unknown[]).includes(r.context), CONTEXTS.join(" or "));
  // model names become scenario keys, so they follow the scenario schema's rule
  field("model", typeof r.model === "string" && isModelName(r.model), `a model name (letters, digits and _ only, at most ${NAME_LENGTH.model} characters)`);
  if (role === "generate") {
    field("bug", r.bug === null, "null for a generate request");
    field("attempt", r.attempt === null, "null for a generate request");
  } else {
    field("bug", whole(r.bug, 0), "a whole number from 0 to 2^53 - 1");
    if (role === "fix") field("attempt", whole(r.attempt, 1), "a whole number from 1 to 2^53 - 1 for a fix request");
    else field("attempt", whole(r.attempt, 0), `a whole number from 0 to 2^53 - 1 for a ${role} request`);
  }
  if (role === "fix") field("fixed", typeof r.fixed === "boolean", "true or false for a fix request");
  else field("fixed", r.fixed === null, `null for a ${role} request`);
  for (const key of ["input", "cacheRead", "cacheWrite", "output"] as const) field(key, isLogTokens(r[key]), LOG_TOKENS);
  field("seconds", r.seconds === null || (typeof r.seconds === "number" && Number.isFinite(r.seconds) && r.seconds >= 0), "null or a number of seconds >= 0");
  const record = r as unknown as TraceRecord;
  if (record.cacheRead + record.cacheWrite > record.input * (1 + TOKEN_SLACK)) {
    fail(`cacheRead + cacheWrite = ${record.cacheRead + record.cacheWrite} exceeds input = ${record.input}`);
  }
  return record;
}

/** Every non-blank line of a trace text as a located record. */
export function parseTraceText(text: string, file: string): Located[] {
  const out: Located[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    out.push({ file, line: i + 1, record: parseTraceRecord(line, file, i + 1) });
  }
  if (out.length === 0) throw new UserError(`${file}: no trace records (expected JSON lines from agentsim run --trace)`);
  return out;
}

/** Read and validate one trace file. */
export function readTraceFile(file: string): Located[] {
  return parseTraceText(readLogText(file), file);
}

/**
 * Read and validate trace files, refusing one whose records are another's, in any order:
 * a copied file (or a seed traced twice, `run --trace` being deterministic) counted every run
 * twice, and every interval came out 1/sqrt(2) too narrow; and one whose runs of a strategy and
 * context repeat another's (see repeatedRuns). (A file reached twice by its path is read once: see
 * expandLogPaths.)
 */
export function readTraceFiles(files: readonly string[]): Located[] {
  const seen = new Map<string, string>();
  const earlier: [string, RunDigests][] = [];
  return files.flatMap((file) => {
    const records = readTraceFile(file);
    // in sorted order: a copy with its lines in another order is a copy too (a review)
    const hash = createHash("sha256");
    for (const line of records.map(({ record }) => JSON.stringify(record)).sort()) hash.update(line).update("\n");
    const digest = hash.digest("hex");
    const same = seen.get(digest);
    if (same !== undefined) {
      throw new UserError(
        `${file}: the same ${records.length === 1 ? "record" : `${groupDigits(records.length)} records`} as ${same}: a copy, or a trace of ` +
          `the same seed, whose runs would count twice; give each trace once`,
      );
    }
    seen.set(digest, file);
    // a trace of the same seed with more --trace-runs, a file cut from another (head -n), or a
    // trace of another scenario with the same seed and strategy (whose streams are the same: see
    // Reproducibility) holds the other's runs under the same numbers: counted twice, as a copy's
    // would be (an audit)
    const runs = runDigests(records);
    for (const [other, theirs] of earlier) {
      const repeat = repeatedRuns(runs, theirs);
      if (repeat === null) continue;
      throw new UserError(
        `${file}: ${groupDigits(repeat.same)} of its ${groupDigits(repeat.runs)} runs of ${repeat.strategy}/${repeat.context} are runs of ${other}, request for request under the same numbers ` +
          `(a trace of the same seed and strategy, with other --trace-runs or of another scenario, or a part of that file), whose runs would count twice; give each run once`,
      );
    }
    earlier.push([file, runs]);
    return records;
  });
}

/** A file's runs: by strategy and context (a JSON pair), a sha256 of each run's records in order, by run number. */
type RunDigests = Map<string, Map<number, string>>;

function runDigests(records: readonly Located[]): RunDigests {
  const hashes = new Map<string, Map<number, ReturnType<typeof createHash>>>();
  for (const { record } of records) {
    const group = JSON.stringify([record.strategy, record.context]);
    const runs = hashes.get(group) ?? new Map<number, ReturnType<typeof createHash>>();
    hashes.set(group, runs);
    const hash = runs.get(record.run) ?? createHash("sha256");
    runs.set(record.run, hash);
    // without its number: a run is matched by number, and counted by content (see repeatedRuns)
    const { run: _run, ...content } = record;
    hash.update(JSON.stringify(content)).update("\n");
  }
  return new Map([...hashes].map(([group, runs]) => [group, new Map([...runs].map(([run, hash]) => [run, hash.digest("hex")]))]));
}

/**
 * Where one file's runs repeat another's: a strategy and context in which every run of the file
 * with fewer of them, but one (the last run of a file cut by lines may be cut short), at least
 * 10, equals the other's run of the same number, and so do its rare runs (those that occur once
 * in the file), but one, at least one. Runs of independent seeds match so where a run is nearly
 * certain (one bug fixed at once in 99% of runs: 99 of 100 runs of two seeds were equal), but not
 * in the runs that are not the common one. A file with no rare run (its runs all alike) cannot be
 * told from another seed by its runs, and is let through: a same-seed repeat of it counts twice,
 * which narrows the interval of a near-certain rate (a whole copy is still refused, above).
 */
function repeatedRuns(mine: RunDigests, theirs: RunDigests): { strategy: string; context: string; same: number; runs: number } | null {
  for (const [group, runs] of mine) {
    const other = theirs.get(group);
    if (!other) continue;
    const occurrences = new Map<string, number>();
    for (const digest of runs.values()) occurrences.set(digest, (occurrences.get(digest) ?? 0) + 1);
    let [same, rare, rareSame] = [0, 0, 0];
    for (const [run, digest] of runs) {
      const equal = other.get(run) === digest;
      if (equal) same++;
      if (other.has(run) && occurrences.get(digest) === 1) {
        rare++;
        if (equal) rareSame++;
      }
    }
    if (same >= 10 && same >= Math.min(runs.size, other.size) - 1 && rareSame >= Math.max(1, rare - 1)) {
      const [strategy, context] = JSON.parse(group) as [string, string];
      return { strategy, context, same, runs: runs.size };
    }
  }
  return null;
}

/** The requests of one run, checked for order. */
export interface TraceRun {
  file: string;
  strategy: string;
  context: Context;
  run: number;
  /** the generation request (the run's first) */
  generation: Located;
  /** every later request (fix, consult, compact), in order */
  requests: Located[];
}

/** What the order checks remember of one bug. */
interface BugState {
  attempts: number;
  fixedAt: number | null;
}

interface RunState extends TraceRun {
  bugs: BugState[];
}

/**
 * Group records into runs, keyed by (file, strategy, context, run), in order of first appearance,
 * and check each run's order:
 * - its first request is its only generation;
 * - bugs are numbered 0, 1, 2, ... in the order they are worked, one after another;
 * - fix attempts on a bug are numbered 1, 2, 3, ... and none follows the one that fixed it;
 * - a consult or compaction carries the number of fix attempts made on its bug so far;
 * - every run of a strategy (in one file) has the same generator.
 */
export function assembleRuns(records: Located[]): TraceRun[] {
  const runs = new Map<string, RunState>();
  const generators = new Map<string, Located>();
  for (const located of records) {
    const { file, line, record: r } = located;
    const fail = (problem: string): never => {
      throw new LineError(file, line, problem);
    };
    const name = `run ${r.run} of ${r.strategy}/${r.context}`;
    const key = JSON.stringify([file, r.strategy, r.context, r.run]);
    let run = runs.get(key);
    if (r.role === "generate") {
      if (run) fail(`a second generate request in ${name} (the first is at line ${run.generation.line})`);
      const strategyKey = JSON.stringify([file, r.strategy]);
      const first = generators.get(strategyKey);
      if (first && first.record.model !== r.model) {
        fail(`strategy ${r.strategy} generates with ${r.model} here but with ${first.record.model} at line ${first.line}`);
      }
      if (!first) generators.set(strategyKey, located);
      runs.set(key, { file, strategy: r.strategy, context: r.context, run: r.run, generation: located, requests: [], bugs: [] });
      continue;
    }
    if (!run) return fail(`a ${r.role} request in ${name} before its generate request`);
    const bug = r.bug!;
    const current = run.bugs.length - 1;
    if (bug > current + 1) fail(`bug ${bug} in ${name}, where bug ${current + 1} comes next (bugs are numbered 0, 1, 2, ... in the order they are worked)`);
    if (bug < current) fail(`bug ${bug} again after bug ${current} in ${name} (a run works its bugs one after another)`);
    if (bug === current + 1) run.bugs.push({ attempts: 0, fixedAt: null });
    const state = run.bugs[bug]!;
    if (state.fixedAt !== null) fail(`a ${r.role} request on bug ${bug} of ${name}, which was already fixed at line ${state.fixedAt}`);
    if (r.role === "fix") {
      if (r.attempt !== state.attempts + 1) {
        fail(`attempt ${r.attempt} on bug ${bug} of ${name}, but the bug has had ${state.attempts} attempt${state.attempts === 1 ? "" : "s"}`);
      }
      state.attempts++;
      if (r.fixed) state.fixedAt = line;
    } else if (r.attempt !== state.attempts) {
      fail(`attempt: a ${r.role} request must carry the fix attempts made on bug ${bug} so far (${state.attempts}), got ${r.attempt}`);
    }
    run.requests.push(located);
  }
  return [...runs.values()].map(({ bugs: _bugs, ...run }) => run);
}
