/**
 * Running a sweep: every point of the grid (or of one shard of it) on one SimulationPool, into one
 * CSV. Several points are evaluated at a time (`pointRunner`); their rows are written in grid order.
 *
 * Safety: rows go to `<out>.partial`, one append per completed point in grid order, synced to
 * disk, and after each point the sidecar `<out>.partial.json` (rewritten in place) records how
 * many points and bytes are complete. Only a
 * finished sweep is renamed to `<out>` (and the sidecar removed), so an interrupted sweep never
 * leaves a truncated CSV under the final name. `resume` checks the sidecar's fingerprint (the
 * scenario file, the trial count and the shard), cuts the partial file back to the recorded bytes
 * (a kill in the middle of a write leaves a torn row after them) and continues with the next
 * point; as every point's seed depends only on the scenario seed and the point, the result is
 * byte-identical to an uninterrupted run. With `resume` and no partial file there is nothing to
 * resume and the sweep starts fresh (so an array job can always pass --resume when retried);
 * so it does when the partial file holds no more than the header. A partial file with completed
 * rows and a missing or different sidecar is an error rather than a silent restart.
 *
 * Only one process writes an output at a time: `<out>.lock` is held from the start to the end
 * (output.ts), so a second sweep (or merge) to the same file fails with one line instead of
 * splicing its rows into the first one's. A finished CSV gets its record, `<out>.sweep.json`
 * (record.ts), which merge needs.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, fdatasyncSync, fstatSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { FlagError, fileErrorText, UserError } from "../errors.js";
import { buildVersion } from "../packageRoot.js";
import { readBoundedText } from "../scenario/read.js";
import { groupDigits } from "../text.js";
import { evaluateScenario } from "../evaluate/evaluate.js";
import type { SimulationPool } from "../sim/pool.js";
import { isSmall, jobsOf } from "../sim/simulate.js";
import { csvLayout, pointRows, sweepColumns, toCsv, type CsvLayout } from "./csv.js";
import { checkOutput, clearedName, keepModeOf, lockOutput, temporaryOf, type Beside, type Lock } from "./output.js";
import { MAX_RECORD_BYTES, makeRecord, recordFile, recordText } from "./record.js";
import { pointAt } from "./grid.js";
import { pointSeedKey, type Sweep } from "./points.js";
import type { PointTask } from "./tasks.js";
import { shardLabel, shardPoint, shardSize, type Shard } from "./shard.js";

export interface SweepOptions {
  /** the final CSV file */
  out: string;
  /** runs per strategy and context at every point (default: the scenario's trials) */
  trials?: number;
  /** run only this part of the grid (default: all of it) */
  shard?: Shard | null;
  /** continue an interrupted sweep of the same scenario, trials and shard */
  resume?: boolean;
  /** points done and total (of this shard), at the start and after every point */
  onProgress?: (done: number, total: number) => void;
  /** checked between points: aborting stops the sweep as an interruption would, partial file kept */
  signal?: AbortSignal;
  /** called with the output's lock once taken (the CLI releases it when a signal ends the process) */
  onLock?: (lock: Lock) => void;
  /** filled in as the sweep goes, for a signal handler that ends the process (see SweepHandle) */
  handle?: SweepHandle;
}

/**
 * What a signal handler needs to end a sweep cleanly without waiting for it: `flush` saves the
 * record of every row written so far (synchronously; null until the files are open), and
 * `createdPartial` says whether this run started the partial file (so that one with no point done
 * can go, while a partial file resumed from is kept).
 */
export interface SweepHandle {
  flush: (() => void) | null;
  createdPartial: boolean;
  /** the output is in place, whole: a signal now has nothing to keep for --resume */
  written?: boolean;
}

export interface SweepOutcome {
  out: string;
  /** points of this run (this shard's share of the grid) */
  points: number;
  /** of which taken over from an interrupted run */
  resumed: number;
  /** data rows written (points x strategies x contexts) */
  rows: number;
  trials: number;
}

/** What the sidecar records about a partial file. */
interface PartialState {
  version: 2;
  fingerprint: string;
  /** points of this shard whose rows are complete in the partial file */
  completedPoints: number;
  /** the partial file's length after those rows (header included) */
  bytes: number;
  /** sha256 of those bytes: --resume goes on only from rows exactly as written */
  sha256: string;
  /** what the fingerprint is made of, so that a refusal can say which differs (absent in older records) */
  started?: Started;
}

/** The parts of a sweep's fingerprint: agentsim's version and build, its trials, its shard, and a sha256 of the scenario file's other data. */
interface Started {
  /** absent in records of agentsim before it recorded its version */
  agentsim?: string;
  trials: number;
  shard: [number, number] | null;
  scenario: string;
}

/** The temporary CSV and its sidecar of a sweep writing to `out`. */
export function partialFiles(out: string): { partial: string; state: string } {
  return { partial: `${out}.partial`, state: `${out}.partial.json` };
}

/** The files a sweep writes beside `out`, none of which may be an input (see checkOutput). */
export function sweepCompanions(out: string): Beside[] {
  const { partial, state } = partialFiles(out);
  return [
    { file: recordFile(out), role: "its record" },
    { file: partial, role: "its CSV in progress" },
    { file: state, role: "its resume state" },
    { file: stateTemporary(state), role: "its resume state's temporary file" },
  ];
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * sha256 of the scenario file's data but its trials: the sweep's trials count on their own, as
 * --trials overrides the file's (a file's trials changed under --trials changed no number, but
 * refused --resume).
 */
function scenarioDigest(raw: Record<string, unknown>): string {
  const { trials: _trials, ...data } = raw;
  return createHash("sha256").update(canonicalJson(data)).digest("hex");
}

/**
 * What must match for a partial file to be resumed: sha256 of agentsim's version and build (buildVersion), the scenario
 * file's data, the trials and the shard (another version may simulate other numbers: its rows and
 * ours would make one CSV of two kinds).
 */
export function sweepFingerprint(raw: Record<string, unknown>, trials: number, shard: Shard | null): string {
  const parts = { format: "agentsim-sweep/2", agentsim: buildVersion(), scenario: scenarioDigest(raw), trials, shard };
  return createHash("sha256").update(canonicalJson(parts)).digest("hex");
}

/** Run the sweep (or one shard of it) and write its CSV to `options.out`, with its record beside it. */
export async function runSweep(pool: SimulationPool, sweep: Sweep, options: SweepOptions): Promise<SweepOutcome> {
  const { out } = options;
  const trials = options.trials ?? sweep.base.trials;
  const shard = options.shard ?? null;
  // more shards than points: some are empty, and a merge needs every one of them (--shard 1/2^53
  // wrote a shard no merge could ever complete)
  if (shard && shard.count > sweep.size) {
    throw new FlagError(`--shard ${shardLabel(shard)}: the grid has ${groupDigits(sweep.size)} ${sweep.size === 1 ? "point" : "points"}, so at most ${groupDigits(sweep.size)} shards`);
  }
  const mine = shardSize(shard, sweep.size);
  const layout = csvLayout(sweep.base, sweep.extensions);
  const header = toCsv([sweepColumns(sweep.axes, layout)]);
  const fingerprint = sweepFingerprint(sweep.raw, trials, shard);
  const files = partialFiles(out);
  await checkOutput(out, "--out", [sweep.file], sweepCompanions(out));
  const lock = await lockOutput(out);
  options.onLock?.(lock);
  try {
    const rowsPerPoint = sweep.base.strategies.length * sweep.base.contexts.length;
    const started: Started = { agentsim: buildVersion(), trials, shard: shard && [shard.index, shard.count], scenario: scenarioDigest(sweep.raw) };
    const resumable = options.resume ? await resumableState(out, fingerprint, started, header, mine, rowsPerPoint) : null;
    let state = resumable?.state ?? null;
    // the sha256 of the partial file so far, kept up to date row by row
    const content = resumable?.content ?? createHash("sha256").update(header);
    const resumed = state?.completedPoints ?? 0;
    if (!state) {
      // The old record goes first: a kill before the new one is saved leaves a bare header, which
      // --resume treats as nothing to resume.
      await rm(files.state, { force: true });
      await rm(files.partial, { force: true });
      if (options.handle) options.handle.createdPartial = true;
      state = { version: 2, fingerprint, completedPoints: 0, bytes: Buffer.byteLength(header), sha256: digestOf(content), started };
      let starting = files.partial;
      try {
        await writeFile(files.partial, header, { flag: "wx" });
        starting = files.state;
        await saveState(files.state, state);
      } catch (err) {
        // nothing done yet, so nothing is left (a full disk fails here: a stack trace, and files left)
        for (const f of [files.partial, files.state, stateTemporary(files.state)]) rmSync(f, { force: true });
        throw new UserError(`cannot write ${starting}: ${fileErrorText(err)}`);
      }
    }
    options.onProgress?.(state.completedPoints, mine);
    const file = await open(files.partial, "r+");
    // what was written is this file: another command writing <out>.partial by name meanwhile
    // replaced it, and the sweep renamed that one to <out> and said it wrote its own rows
    const written = await file.stat();
    const record = await open(files.state, "r+");
    let synced = performance.now();
    let saved = state.completedPoints;
    const save = () => {
      try {
        fdatasyncSync(file.fd);
      } catch (err) {
        throw new UserError(`cannot write ${files.partial}: ${fileErrorText(err)} (${saved} points are kept: run the same command with --resume to continue)`);
      }
      state = { ...state!, sha256: digestOf(content) };
      writeSync(record.fd, stateText(state), 0);
      synced = performance.now();
      saved = state!.completedPoints;
    };
    if (options.handle) {
      options.handle.flush = () => {
        if (state!.completedPoints > saved) save();
      };
    }
    try {
      await file.truncate(state.bytes);
      const runner = pointRunner(pool, sweep, trials, layout);
      const pending = new Map<number, Promise<string>>();
      let handedOut = state.completedPoints;
      for (let j = state.completedPoints; j < mine; j++) {
        while (handedOut < Math.min(mine, j + runner.ahead)) {
          const js = Array.from({ length: Math.min(runner.batch, mine - handedOut) }, (_, i) => handedOut + i);
          runner.rows(js.map((x) => shardPoint(shard, x))).forEach((rows, i) => pending.set(js[i]!, handled(rows)));
          handedOut += js.length;
        }
        options.signal?.throwIfAborted();
        const text = Buffer.from(await pending.get(j)!);
        pending.delete(j);
        // Synchronous syscalls: awaiting each on libuv's threads costs more than the syscall
        // (measured), and the workers keep evaluating the points ahead meanwhile. The rows are
        // written at once; they are synced, and the record moved past them, at most every
        // SYNC_MS and after the last point, so the record never claims rows that are not on disk,
        // and a crash loses at most that much work (--resume redoes it).
        writeWhole(file.fd, text, state.bytes, files.partial, state.completedPoints);
        content.update(text);
        state = { ...state, completedPoints: state.completedPoints + 1, bytes: state.bytes + text.length };
        if (j === mine - 1 || performance.now() - synced >= SYNC_MS) {
          save();
          checkStillThere(file.fd, files.partial, out);
        }
        options.onProgress?.(state.completedPoints, mine);
      }
    } finally {
      // an interrupted sweep (a signal, an error) keeps every point it wrote; a failure to save
      // them leaves the record as it was, and does not hide the error that stopped the sweep
      if (state.completedPoints > saved) {
        try {
          save();
        } catch {
          // the record still describes the rows saved before
        }
      }
      if (options.handle) options.handle.flush = null;
      await file.close();
      await record.close();
    }
    const identity = { agentsim: buildVersion(), scenario: sweep.base.name, seed: sweep.base.seed, trials, sweep: sweepFingerprint(sweep.raw, trials, null), gridPoints: sweep.size };
    await finish(out, files, written, recordText(makeRecord(identity, shard, digestOf(content))), options.handle);
    // Strategies and contexts are not numeric keys, so every point has the same rows.
    const rows = mine * sweep.base.strategies.length * sweep.base.contexts.length;
    return { out, points: mine, resumed, rows, trials };
  } finally {
    await lock.release();
  }
}

/**
 * Write all of `text` at `position`. One write(2) may write less than asked (a full disk), which
 * writeSync returns as a short count, not an error: the record then claimed rows that were not in
 * the file, and --resume refused it, every point lost. A failure is one line; the record still
 * covers the `kept` points before it, so --resume goes on from there once there is room.
 */
function writeWhole(fd: number, text: Buffer, position: number, file: string, kept: number): void {
  try {
    for (let done = 0; done < text.length; ) done += writeSync(fd, text, done, text.length - done, position + done);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${fileErrorText(err)} (${kept} points are kept: run the same command with --resume to continue)`);
  }
}

/**
 * Put the finished CSV and its record in place of <out> and its record, one rename after the
 * other (the old pair stays whole until then), once the partial file is known to be the one the
 * sweep wrote (`written`, its identity when opened). A failure is one line, and the partial file
 * and its resume state stay for --resume.
 */
async function finish(out: string, files: { partial: string; state: string }, written: { dev: number; ino: number }, record: string, handle?: SweepHandle): Promise<void> {
  const tmpRecord = temporaryOf(recordFile(out));
  const now = await stat(files.partial).catch((err: unknown): never => {
    throw new UserError(`cannot write ${out}: ${fileErrorText(err)}`);
  });
  if (now.dev !== written.dev || now.ino !== written.ino) throw new UserError(notThereText(files.partial, out));
  // until the CSV is renamed, the rows stay in the partial file for --resume, and the old pair as it was
  const kept = `(the rows are kept in ${files.partial}: run the same command with --resume to finish)`;
  try {
    await writeFile(tmpRecord, record, { flag: "wx", flush: true });
    keepModeOf(out, files.partial);
    renameSync(files.partial, out);
  } catch (err) {
    rmSync(tmpRecord, { force: true });
    throw new UserError(`cannot write ${out}: ${fileErrorText(err)} ${kept}`);
  }
  try {
    renameSync(tmpRecord, recordFile(out));
  } catch (err) {
    // the CSV is in place, whole; only its record is missing
    rmSync(tmpRecord, { force: true });
    await rm(files.state, { force: true });
    throw new UserError(`${out} is written, but not its record ${recordFile(out)}: ${fileErrorText(err)} (merge needs the record: run the sweep again to have both)`);
  }
  if (handle) handle.written = true;
  await rm(files.state, { force: true });
}

/**
 * Stop the sweep if its partial file is no longer in its folder (no name links to it: the folder
 * was deleted, or another command replaced the file): its rows could not be kept, and a sweep of
 * hours went on to the end to say so (an audit). Checked as often as the rows are synced.
 */
function checkStillThere(fd: number, partial: string, out: string): void {
  if (fstatSync(fd).nlink === 0) throw new UserError(notThereText(partial, out));
}

/** What a sweep whose partial file is not the one it wrote says: the output is not written (an old one stays as it was). */
function notThereText(partial: string, out: string): string {
  return `${partial} was removed or replaced while the sweep wrote it (its folder deleted? another command writing that file?): ${out} is not written`;
}

/** How often, at most, a sweep syncs its rows and saves its resume record (ms). */
const SYNC_MS = 100;

/**
 * How the points are evaluated, and how many ahead of the one being written: on a pool of one
 * thread, on this thread one at a time; small points (see isSmall) whole on the workers, a few per
 * thread at a time (validation, closed forms, runs, summaries and CSV rows: this thread only writes
 * them); larger ones with their chunks spread over the threads, two points at a time.
 */
function pointRunner(pool: SimulationPool, sweep: Sweep, trials: number, layout: CsvLayout): PointRunner {
  const here = (ks: number[]): Promise<string>[] =>
    ks.map(async (k) => {
      const point = sweep.point(k);
      const { results } = await evaluateScenario(pool, point.scenario, { trials, seedKey: point.seedKey });
      return toCsv(pointRows(point, results, layout));
    });
  if (pool.inline) return { ahead: 1, batch: 1, rows: here };
  if (!isSmall(jobsOf(sweep.base), trials)) return { ahead: 2, batch: 1, rows: here };
  const onWorker = (ks: number[]): Promise<string>[] => {
    const points = ks.map((k): PointTask => {
      const { index, values } = pointAt(sweep.axes, k);
      const scenario = sweep.kept(k); // a point not kept is validated on the worker
      const seedKey = pointSeedKey(sweep.base.seed, values);
      return { raw: scenario ? null : sweep.raw, file: sweep.file, index, values, scenario, trials, seedKey, layout };
    });
    const texts = pool.call<string[]>("evaluatePoints", points);
    return ks.map((_, i) => texts.then((t) => t[i]!));
  };
  return { ahead: POINTS_AHEAD_PER_THREAD * pool.threads, batch: POINTS_PER_TASK, rows: onWorker };
}

interface PointRunner {
  /** points evaluated ahead of the one being written */
  ahead: number;
  /** points handed out together */
  batch: number;
  /** the CSV rows of grid points ks */
  rows: (ks: number[]) => Promise<string>[];
}

/** Small points per worker task (a task's round trip costs this thread more than a point's rows). */
const POINTS_PER_TASK = 4;
const POINTS_AHEAD_PER_THREAD = 4 * POINTS_PER_TASK;

/** The promise, marked as handled: a point evaluated ahead may fail before its turn to be awaited. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** Whether a record's `started` has the form a sweep writes (agentsim's version, trials, shard, scenario digest). */
function isStarted(s: unknown): s is Started {
  if (s === null || typeof s !== "object" || Array.isArray(s)) return false;
  const x = s as Record<string, unknown>;
  const shard = x.shard;
  return (
    (x.agentsim === undefined || (typeof x.agentsim === "string" && x.agentsim.length <= 100 && !/[^\x20-\x7e]/.test(x.agentsim))) &&
    Number.isSafeInteger(x.trials) &&
    typeof x.scenario === "string" &&
    (shard === null || (Array.isArray(shard) && shard.length === 2 && shard.every((n) => Number.isSafeInteger(n))))
  );
}

/** What differs between the sweep that started a partial file and this one, as a refusal says it. */
function differences(recorded: unknown, now: Started): string {
  // the record is a file: a hand-edited one printed "--shard a/undefined", and a value nested
  // 100,000 deep overflowed the stack of the template string's Array.toString
  const then = isStarted(recorded) ? recorded : undefined;
  if (!then) return "with a different agentsim, scenario, --trials or --shard";
  const shard = (s: [number, number] | null) => (s ? `--shard ${s[0]}/${s[1]}` : "no --shard");
  const said = [
    ...(then.agentsim !== now.agentsim ? [`by ${then.agentsim ? `agentsim ${then.agentsim}` : "an earlier agentsim"}, not ${now.agentsim}`] : []),
    ...(then.trials !== now.trials ? [`with ${then.trials} runs a point, not ${now.trials}`] : []),
    ...(String(then.shard) !== String(now.shard) ? [`with ${shard(then.shard)}, not ${shard(now.shard)}`] : []),
    ...(then.scenario !== now.scenario ? ["from other scenario data (the file's values changed since)"] : []),
  ];
  return said.length > 0 ? said.join(" and ") : "with a different agentsim, scenario, --trials or --shard";
}

/**
 * The sidecar's text: the record's JSON padded to a fixed length, so that a sweep rewrites it in
 * place, point after point, with one write of one block (which a kill cannot tear).
 */
function stateText(state: PartialState): string {
  return JSON.stringify(state).padEnd(STATE_BYTES - 1) + "\n";
}

const STATE_BYTES = 512;

/** The sidecar's temporary file, renamed over it when it is made (see saveState). */
const stateTemporary = (state: string) => `${state}.tmp`;

/** Create the sidecar atomically (a temporary file renamed over it). */
async function saveState(file: string, state: PartialState): Promise<void> {
  await writeFile(clearedName(stateTemporary(file)), stateText(state), { flag: "wx" });
  await rename(stateTemporary(file), file);
}

/**
 * The state to resume from, or null when there is no partial file (start fresh). A partial file
 * that cannot be resumed (sidecar missing, unreadable, of another sweep, or not matching the file)
 * is a one-line UserError.
 */
async function resumableState(
  out: string,
  fingerprint: string,
  started: Started,
  header: string,
  points: number,
  rowsPerPoint: number,
): Promise<{ state: PartialState; content: Hash } | null> {
  const files = partialFiles(out);
  const size = await stat(files.partial).then((s) => s.size, () => null);
  if (size === null) return null;
  const fail = (why: string): never => {
    throw new UserError(`cannot resume ${out}: ${why} (run without --resume to start over)`);
  };
  const headerBytes = Buffer.byteLength(header);
  const present = await stat(files.state).then(
    () => true,
    (err: unknown) => ((err as NodeJS.ErrnoException).code === "ENOENT" ? false : fail(`${files.state} cannot be read: ${fileErrorText(err)}`)),
  );
  if (!present) {
    if (size <= headerBytes && header.startsWith(await readFile(files.partial, "utf8"))) return null; // killed while starting
    return fail(`${files.state} is missing`);
  }
  // the state is STATE_BYTES long, written by a sweep: a 600 MB one was read whole, then said to be missing (an audit)
  const text = readBoundedText(files.state, MAX_RECORD_BYTES, (why) => fail(`${files.state} is not the state of a sweep: ${why}`));
  let state: PartialState;
  try {
    state = JSON.parse(text) as PartialState;
  } catch {
    return fail(`${files.state} is not valid JSON`);
  }
  if ((state as { version?: number } | null)?.version === 1) fail(`${files.state} was written by an older agentsim, without a checksum of its rows`);
  if (
    state?.version !== 2 || typeof state.fingerprint !== "string" || typeof state.sha256 !== "string" ||
    !Number.isInteger(state.completedPoints) || !Number.isInteger(state.bytes) || state.completedPoints < 0 || state.bytes < headerBytes
  ) {
    fail(`${files.state} is not a sweep progress record`);
  }
  if (state.fingerprint !== fingerprint) fail(`${files.partial} was started ${differences(state.started, started)}`);
  if (state.completedPoints > points) fail(`${files.state} records more points than the sweep has`);
  if (size < state.bytes) fail(`${files.partial} is shorter than its progress record (${size} < ${state.bytes} bytes)`);
  const file = await open(files.partial, "r");
  try {
    const head = Buffer.alloc(headerBytes);
    await file.read(head, 0, headerBytes, 0);
    if (head.toString() !== header) fail(`${files.partial} does not start with this sweep's header`);
  } finally {
    await file.close();
  }
  // the recorded bytes must be the rows as written: their checksum, and whole rows of the points
  const { content, records, endsWithRow } = await readRows(files.partial, state.bytes);
  if (digestOf(content) !== state.sha256) fail(`${files.partial} was changed after it was written (its checksum differs from ${files.state})`);
  if (!endsWithRow || records !== 1 + state.completedPoints * rowsPerPoint) {
    fail(`${files.state} does not match ${files.partial} (${state.completedPoints} points would be ${1 + state.completedPoints * rowsPerPoint} lines, the file has ${records})`);
  }
  return { state, content };
}

/** The sha256 so far, the hash going on. */
function digestOf(hash: Hash): string {
  return hash.copy().digest("hex");
}

/**
 * The first `bytes` bytes of a partial file, streamed: their sha256 (to go on with), the CSV
 * records they end (a newline inside a quoted field ends none), and whether they end with one.
 */
async function readRows(file: string, bytes: number): Promise<{ content: Hash; records: number; endsWithRow: boolean }> {
  const content = createHash("sha256");
  let records = 0;
  let quoted = false;
  let last = -1;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 }) as AsyncIterable<Buffer>) {
    content.update(chunk);
    for (const byte of chunk) {
      if (byte === 34 /* " */) quoted = !quoted;
      else if (byte === 10 /* \n */ && !quoted) records++;
    }
    last = chunk[chunk.length - 1] ?? last;
  }
  return { content, records, endsWithRow: last === 10 && !quoted };
}
