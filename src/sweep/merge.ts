/**
 * Merging sweep CSVs (the shards of one sweep) into one file.
 *
 * The inputs' records (record.ts) must make up every shard of one sweep, once each. Every input
 * must have the same header line, and its rows in the order a sweep writes them: by their `point`
 * column, a point's rows together. Rows are merged by point; a point found in two inputs, or a
 * gap in 0..(largest point), is an error. Rows are copied byte for byte, so merging the shards of
 * a sweep gives exactly the file (and the record) the unsharded sweep writes.
 *
 * The inputs are read as streams, twice (once to check them, once to write), and the merged file
 * is written as one: a sweep's CSV may be larger than the longest string a JavaScript engine holds
 * (about 512 MiB in V8).
 */
import { createHash } from "node:crypto";
import { createReadStream, renameSync, rmSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { fileErrorText, UserError } from "../errors.js";
import { checkOutput, keepModeOf, lockOutput, openTemporary, removeCreatedFolders, temporaryOf, type TemporaryFile } from "./output.js";
import { checkShardSet, makeRecord, readRecord, recordFile, recordText } from "./record.js";

/** Where an input's text comes from: chunks of bytes, read afresh on each call. */
export interface MergeInput {
  /** for error messages */
  file: string;
  chunks: () => AsyncIterable<Buffer>;
}

export interface Merged {
  points: number;
  rows: number;
  /** sha256 of the merged text's bytes */
  hash: string;
}

/** An input held in memory (a test's text, say). */
function textInput(file: string, text: string): MergeInput {
  return { file, chunks: async function* () { yield Buffer.from(text, "utf8"); } };
}

/** A row longer than this is no sweep's (a few hundred bytes each): the input is not a sweep CSV (/dev/zero, say). */
const MAX_ROW = 1 << 20;

/**
 * The records of an input, without their "\n" delimiters (a "\n" inside a quoted field does not
 * end a record); at the end, the sha256 of its bytes and whether its text ends with a record
 * delimiter.
 */
async function* recordsOf(input: MergeInput): AsyncGenerator<string, { hash: string; complete: boolean }> {
  const hash = createHash("sha256");
  const decoder = new StringDecoder("utf8");
  let quoted = false;
  let pending = "";
  for await (const chunk of input.chunks()) {
    hash.update(chunk);
    const text = pending + decoder.write(chunk);
    let start = 0;
    for (let i = pending.length; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 34 /* " */) quoted = !quoted;
      else if (ch === 10 /* \n */ && !quoted) {
        yield text.slice(start, i);
        start = i + 1;
      }
    }
    pending = text.slice(start);
    if (pending.length > MAX_ROW) throw new UserError(`${input.file}: a row longer than ${MAX_ROW} characters: not a sweep CSV`);
  }
  pending += decoder.end();
  return { hash: hash.digest("hex"), complete: pending.length === 0 };
}

/** A point's number: a whole number of at most 15 digits (a sweep has at most 100,000 points). */
const POINT = /^(0|[1-9][0-9]{0,14})$/;

/**
 * What the check of an input found: its header (null: empty), its points in order, its rows, the
 * hash of its bytes, and the first thing wrong with it as a sweep CSV (null: nothing).
 */
interface Scanned {
  header: string | null;
  points: number[];
  rows: number;
  hash: string;
  problem: string | null;
}

/** Read an input through once: its header, and its rows' points, which must not go down. */
async function scan(input: MergeInput): Promise<Scanned> {
  const records = recordsOf(input);
  let header: string | null = null;
  let problem: string | null = null;
  const points: number[] = [];
  let rows = 0;
  for (;;) {
    const next = await records.next();
    if (next.done) {
      if (header === null) problem ??= `${input.file}: is empty, not a sweep CSV`;
      if (!next.value.complete) problem ??= `${input.file}: ends in the middle of a row (is it a complete sweep output?)`;
      return { header, points, rows, hash: next.value.hash, problem };
    }
    // the first thing wrong is enough: an endless stream (/dev/urandom) has no end to read on to
    if (problem !== null) return { header, points, rows, hash: "", problem };
    if (header === null) {
      header = next.value;
      // a spreadsheet may save the CSV with a byte-order mark before "point": say so (an audit)
      if (header.startsWith("\ufeff")) problem = `${input.file}: not a sweep CSV as agentsim wrote it: it starts with a byte-order mark (saved by another program?)`;
      else if (header.split(",", 1)[0] !== "point") problem = `${input.file}: not a sweep CSV (its first column is not "point")`;
      continue;
    }
    rows++;
    const comma = next.value.indexOf(",");
    const cell = comma < 0 ? next.value : next.value.slice(0, comma);
    if (!POINT.test(cell)) {
      problem = `${input.file}: row ${rows}: point "${cell.slice(0, 40)}" is not a whole number (of at most 15 digits)`;
      continue;
    }
    const point = Number(cell);
    const last = points.at(-1);
    if (last !== undefined && point < last) problem = `${input.file}: row ${rows}: point ${point} after point ${last}: its rows are not in the order a sweep writes them`;
    else if (point !== last) points.push(point);
  }
}

/** The point of a row already checked by scan. */
const pointOf = (row: string) => Number(row.slice(0, row.indexOf(",") >>> 0));

/** Scan every input (the hash of each, and what is wrong with it), in the order given. */
export async function scanInputs(inputs: readonly MergeInput[]): Promise<Scanned[]> {
  if (inputs.length === 0) throw new UserError("merge needs at least one CSV file");
  const scanned: Scanned[] = [];
  for (const input of inputs) scanned.push(await scan(input));
  return scanned;
}

/** What a merge writes, once its inputs are checked: the header, and for each point its input. */
export interface MergePlan {
  header: string;
  /** point -> the input that has it */
  owner: Map<number, number>;
  points: number;
  /** each input's sha256, as checked */
  hashes: string[];
}

/**
 * Check scanned inputs (each a sweep CSV; one header; each point in one input only; none
 * missing): the plan of the merge, or a one-line UserError naming the file at fault.
 */
export function planMerge(inputs: readonly MergeInput[], scanned: readonly Scanned[]): MergePlan {
  const owner = new Map<number, number>();
  for (const [i, s] of scanned.entries()) {
    if (s.problem !== null) throw new UserError(s.problem);
    if (i > 0 && s.header !== scanned[0]!.header) {
      throw new UserError(`${inputs[i]!.file}: header differs from ${inputs[0]!.file}'s${firstDifference(scanned[0]!.header!, s.header!)}: not a shard of the same sweep`);
    }
    for (const p of s.points) {
      const seen = owner.get(p);
      if (seen !== undefined) throw new UserError(`${inputs[i]!.file}: point ${p} is also in ${inputs[seen]!.file} (the same shard given twice?)`);
      owner.set(p, i);
    }
  }
  const points = owner.size;
  const largest = scanned.reduce((m, s) => Math.max(m, s.points.at(-1) ?? -1), -1);
  const gaps = largest + 1 - points;
  if (gaps > 0) {
    const list = missingPoints(owner, largest, 5).join(", ") + (gaps > 5 ? `, ... (${gaps} in all)` : "");
    throw new UserError(`point${gaps === 1 ? "" : "s"} ${list} missing: no input has ${gaps === 1 ? "it" : "them"} (is a shard missing?)`);
  }
  return { header: scanned[0]!.header!, owner, points, hashes: scanned.map((x) => x.hash) };
}

/**
 * The inputs' rows merged by point, each chunk of the merged text passed to `write` in order:
 * each input's rows come in the order of its points, so point p's rows are the next of its owner's.
 */
export async function writeMerged(inputs: readonly MergeInput[], plan: MergePlan, write: (text: string) => Promise<void>): Promise<Merged> {
  const hash = createHash("sha256");
  let buffered = plan.header + "\n";
  const flush = async () => {
    hash.update(buffered, "utf8");
    await write(buffered);
    buffered = "";
  };
  const readers = inputs.map((input) => ({ records: recordsOf(input), started: false, held: null as string | null, hash: null as string | null }));
  const nextRow = async (r: (typeof readers)[number]): Promise<string | null> => {
    if (!r.started) {
      r.started = true;
      await r.records.next(); // the header
    }
    if (r.hash !== null) return null;
    const next = await r.records.next();
    if (!next.done) return next.value;
    r.hash = next.value.hash;
    return null;
  };
  let rows = 0;
  for (let p = 0; p < plan.points; p++) {
    const r = readers[plan.owner.get(p)!]!;
    let row = r.held ?? (await nextRow(r));
    while (row !== null && pointOf(row) === p) {
      buffered += row + "\n";
      rows++;
      if (buffered.length >= 1 << 20) await flush();
      row = await nextRow(r);
    }
    r.held = row;
  }
  // every input read to its end again, as it was when checked (a file changed in between would
  // make another file)
  for (const [i, r] of readers.entries()) {
    while (r.held !== null) r.held = await nextRow(r);
    if (r.hash === null) await nextRow(r);
    if (r.hash !== plan.hashes[i]) throw new UserError(`${inputs[i]!.file}: changed while it was merged`);
  }
  await flush();
  return { points: plan.points, rows, hash: hash.digest("hex") };
}

/** The first `limit` points of 0..largest that no input has. */
function missingPoints(owner: ReadonlyMap<number, number>, largest: number, limit: number): number[] {
  const missing: number[] = [];
  for (let p = 0; p <= largest && missing.length < limit; p++) if (!owner.has(p)) missing.push(p);
  return missing;
}

/** ` (column 3: "a" vs "b")` for two header lines, or "" when no single column differs. */
function firstDifference(a: string, b: string): string {
  const [x, y] = [a.split(","), b.split(",")];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return ` (column ${i + 1}: ${JSON.stringify(x[i] ?? "")} vs ${JSON.stringify(y[i] ?? "")})`;
  }
  return "";
}

/** Merge texts in memory (the same checks and order as files): the merged text. */
export async function mergeTexts(texts: readonly { file: string; text: string }[]): Promise<string> {
  const inputs = texts.map((t) => textInput(t.file, t.text));
  let out = "";
  await writeMerged(inputs, planMerge(inputs, await scanInputs(inputs)), async (text) => {
    out += text;
  });
  return out;
}

/**
 * A merge's progress, for a signal's handler: `cleanup` leaves nothing behind while the merged
 * file is written (the temporary files, the lock, the folders made for the output), null before
 * and after; `written` turns true once the merged file and its record are in place.
 */
export interface MergeHandle {
  cleanup: (() => void) | null;
  written: boolean;
}

/**
 * Check that the CSV files and their records are every shard of one sweep (before anything is
 * written), merge them and write `out` and its record atomically, holding `out`'s lock: both are
 * written under temporary names, then renamed in place with the lock's release in one synchronous
 * step, which no signal's handler can interrupt.
 */
export async function mergeFiles(files: readonly string[], out: string, handle: MergeHandle = { cleanup: null, written: false }): Promise<Merged> {
  await checkOutput(out, "--out", files.flatMap((f) => [f, recordFile(f)]), [{ file: recordFile(out), role: "its record" }]); // each shard's record is read too
  for (const file of files) {
    const problem = await stat(file).then(
      (st) =>
        st.isFile()
          ? null
          : st.isDirectory()
            ? "is a folder, not a sweep CSV"
            : // a pipe or a device gives its text once (or never ends), and a merge reads each shard twice
              "not a regular file: merge reads each shard twice, as a pipe or a device cannot be read",
      (err: unknown) => `cannot read: ${fileErrorText(err)}`,
    );
    if (problem !== null) throw new UserError(`${file}: ${problem}`);
  }
  const inputs = files.map((file) => fileInput(file));
  const scanned = await scanInputs(inputs);
  // what is wrong with a CSV comes first: its hash was not read to its end
  for (const s of scanned) if (s.problem !== null) throw new UserError(s.problem);
  const records = [];
  for (const [i, file] of files.entries()) records.push({ file, record: await readRecord(file, scanned[i]!.hash) });
  const identity = checkShardSet(records);
  const plan = planMerge(inputs, scanned);
  if (plan.points !== identity.gridPoints) {
    throw new UserError(`the shards hold ${plan.points} points of a grid of ${identity.gridPoints}: a merge takes complete shards`);
  }
  const lock = await lockOutput(out);
  const [tmp, tmpRecord] = [temporaryOf(out), temporaryOf(recordFile(out))];
  const cleanup = () => {
    rmSync(tmp, { force: true });
    rmSync(tmpRecord, { force: true });
    lock.releaseSync();
    removeCreatedFolders(out, lock.createdFolder);
  };
  handle.cleanup = cleanup;
  const cannotWrite = (err: unknown): never => {
    throw err instanceof UserError ? err : new UserError(`cannot write ${out}: ${fileErrorText(err)}`);
  };
  try {
    let file: TemporaryFile;
    try {
      file = openTemporary(tmp);
    } catch (err) {
      return cannotWrite(err);
    }
    let merged: Merged;
    try {
      merged = await writeMerged(inputs, plan, (text) => file.writeFile(text).catch(cannotWrite));
      await file.sync().catch(cannotWrite);
    } finally {
      await file.close();
    }
    try {
      // (synchronously: see openTemporary)
      writeFileSync(tmpRecord, recordText(makeRecord(identity, null, merged.hash)), { flag: "wx", flush: true });
      keepModeOf(out, tmp);
      renameSync(tmp, out);
      renameSync(tmpRecord, recordFile(out));
    } catch (err) {
      cannotWrite(err);
    }
    handle.written = true;
    handle.cleanup = null;
    lock.releaseSync();
    return merged;
  } finally {
    if (!handle.written) {
      handle.cleanup = null;
      cleanup();
    }
  }
}

/** An input read from its file in chunks; a file that cannot be read is a one-line UserError naming it. */
export function fileInput(file: string): MergeInput {
  return {
    file,
    chunks: async function* () {
      try {
        for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
      } catch (err) {
        throw new UserError(`${file}: cannot read: ${fileErrorText(err)}`);
      }
    },
  };
}
