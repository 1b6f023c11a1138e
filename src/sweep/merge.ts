/**
 * Merging sweep CSVs (the shards of one sweep) into one file.
 *
 * The inputs' records (record.ts) must make up every shard of one sweep, once each. Every input
 * must have the same header line. Rows are ordered by their `point` column, a point's rows
 * keeping their order; a point found in two inputs, or a gap in 0..(largest point), is an error.
 * Rows are copied byte for byte, so merging the shards of a sweep gives exactly the file (and
 * the record) the unsharded sweep writes.
 */
import { readFile } from "node:fs/promises";
import { fileErrorText, UserError } from "../errors.js";
import { checkOutput, lockOutput, writeAtomically } from "./output.js";
import { checkShardSet, makeRecord, readRecord, sha256, writeRecord } from "./record.js";

/**
 * The records of CSV text, without their "\n" delimiters; a "\n" inside a quoted field does not
 * end a record. `complete` is false when the text does not end with a record delimiter.
 */
export function splitRecords(text: string): { records: string[]; complete: boolean } {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) quoted = !quoted;
    else if (ch === 10 /* \n */ && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const complete = start === text.length;
  if (!complete) records.push(text.slice(start));
  return { records, complete };
}

export interface MergeInput {
  /** for error messages */
  file: string;
  text: string;
}

export interface Merged {
  text: string;
  points: number;
  rows: number;
}

const POINT = /^(0|[1-9][0-9]*)$/;

/** Merge the text of sweep CSVs (pure: throws a one-line UserError naming the file at fault). */
export function mergeCsv(inputs: readonly MergeInput[]): Merged {
  if (inputs.length === 0) throw new UserError("merge needs at least one CSV file");
  let header: { line: string; file: string } | null = null;
  const byPoint = new Map<number, { file: string; input: number; records: string[] }>();
  inputs.forEach(({ file, text }, input) => {
    const { records, complete } = splitRecords(text);
    if (records.length === 0) throw new UserError(`${file}: is empty, not a sweep CSV`);
    if (!complete) throw new UserError(`${file}: ends in the middle of a row (is it a complete sweep output?)`);
    const [line, ...rows] = records as [string, ...string[]];
    if (header === null) {
      if (line.split(",")[0] !== "point") throw new UserError(`${file}: not a sweep CSV (its first column is not "point")`);
      header = { line, file };
    } else if (line !== header.line) {
      throw new UserError(`${file}: header differs from ${header.file}'s${firstDifference(header.line, line)}: not a shard of the same sweep`);
    }
    rows.forEach((row, i) => {
      const comma = row.indexOf(",");
      const cell = comma < 0 ? row : row.slice(0, comma);
      if (!POINT.test(cell)) throw new UserError(`${file}: row ${i + 1}: point "${cell}" is not a whole number`);
      const point = Number(cell);
      const seen = byPoint.get(point);
      if (seen && seen.input !== input) throw new UserError(`${file}: point ${point} is also in ${seen.file} (the same shard given twice?)`);
      if (seen) seen.records.push(row);
      else byPoint.set(point, { file, input, records: [row] });
    });
  });
  const points = [...byPoint.keys()].sort((a, b) => a - b);
  const gaps = points.length === 0 ? 0 : points[points.length - 1]! + 1 - points.length;
  if (gaps > 0) {
    const list = missingPoints(points, 5).join(", ") + (gaps > 5 ? `, ... (${gaps} in all)` : "");
    throw new UserError(`point${gaps === 1 ? "" : "s"} ${list} missing: no input has ${gaps === 1 ? "it" : "them"} (is a shard missing?)`);
  }
  const rows = points.flatMap((p) => byPoint.get(p)!.records);
  return { text: [header!.line, ...rows].map((r) => r + "\n").join(""), points: points.length, rows: rows.length };
}

/** The first `limit` points of 0..max(sorted) that are not in sorted (ascending, distinct). */
function missingPoints(sorted: readonly number[], limit: number): number[] {
  const missing: number[] = [];
  let next = 0;
  for (const p of sorted) {
    for (; next < p && missing.length < limit; next++) missing.push(next);
    next = p + 1;
  }
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

/**
 * Read the CSV files and their records, check that they are every shard of one sweep, merge
 * them and write `out` and its record atomically, holding `out`'s lock.
 */
export async function mergeFiles(files: readonly string[], out: string): Promise<Merged> {
  await checkOutput(out, "--out", files.flatMap((f) => [f, `${f}.sweep.json`])); // each shard's record is read too
  const inputs = await Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (err) {
        throw new UserError(`${file}: cannot read: ${fileErrorText(err)}`);
      }
      return { file, text, record: await readRecord(file, text) };
    }),
  );
  const identity = checkShardSet(inputs);
  const merged = mergeCsv(inputs);
  if (merged.points !== identity.gridPoints) {
    throw new UserError(`the shards hold ${merged.points} points of a grid of ${identity.gridPoints}: a merge takes complete shards`);
  }
  const lock = await lockOutput(out);
  try {
    await writeAtomically(out, merged.text);
    await writeRecord(out, makeRecord(identity, null, sha256(merged.text)));
  } finally {
    await lock.release();
  }
  return merged;
}
