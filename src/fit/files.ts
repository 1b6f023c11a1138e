/** Log files (traces, Claude Code logs): finding them, reading them, and one-line errors about their lines. */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileErrorText, UserError } from "../errors.js";
import { RANGES } from "../scenario/bounds.js";
import { readBoundedText } from "../scenario/read.js";
import { groupDigits, listed, shownJson } from "../text.js";

/**
 * Every *.jsonl file under the given files and folders, in order of their paths. A folder reached
 * again (a link back up) is walked once; a broken or looping link inside a folder is passed over,
 * and so is anything there but a regular file (a pipe). A path given itself is read whatever it is
 * (`fit <(cat trace)` reads a pipe).
 */
export function expandLogPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walked = new Set<string>(); // folders, by device and inode
  const taken = new Set<string>(); // files, by device and inode: one named twice (a/x.jsonl and ./a/x.jsonl, a folder and a file in it, a link) is read once
  const walk = (path: string, top: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch (err) {
      throw new UserError(`${path}: cannot read: ${fileProblem(err)}`);
    }
    if (stat.isDirectory()) {
      const id = `${stat.dev}:${stat.ino}`;
      if (walked.has(id)) return;
      walked.add(id);
      let names: string[];
      try {
        names = readdirSync(path);
      } catch (err) {
        throw new UserError(`${path}: cannot read the folder: ${fileProblem(err)}`);
      }
      for (const name of names.sort()) {
        const child = join(path, name);
        let found;
        try {
          found = statSync(child);
        } catch (err) {
          if (BROKEN_LINK.has((err as NodeJS.ErrnoException).code ?? "")) continue;
          throw new UserError(`${child}: cannot read: ${fileProblem(err)}`);
        }
        // a pipe, socket or device inside a folder is no log (a pipe without a writer blocked the fit for good)
        if (found.isDirectory() || (found.isFile() && name.endsWith(".jsonl"))) walk(child, false);
      }
    } else if (top || path.endsWith(".jsonl")) {
      const id = `${stat.dev}:${stat.ino}`;
      // a pipe or device has no identity of its own to compare (each opening reads anew)
      if (stat.isFile() && taken.has(id)) return;
      taken.add(id);
      out.push(path);
    }
  };
  for (const p of paths) walk(p, true);
  if (out.length === 0) throw new UserError(`${paths.join(", ")}: no .jsonl files`);
  // in order of their full paths, not of the arguments nor of how each was written: `fit b.jsonl
  // ./a.jsonl` resamples as `fit a.jsonl b.jsonl` does
  const key = new Map(out.map((f) => [f, resolve(f)]));
  return out.sort((a, b) => (key.get(a)! < key.get(b)! ? -1 : key.get(a)! > key.get(b)! ? 1 : 0));
}

/** What stat says of a link that leads nowhere (dangling) or to itself (a loop). */
const BROKEN_LINK = new Set(["ENOENT", "ELOOP"]);

/** Why a file or folder cannot be read, in words: a path here may name either. */
const fileProblem = (err: unknown) => fileErrorText(err, { ENOENT: "no such file or folder" });

/**
 * The most tokens one field of one request may hold in a log (input, cache reads and writes,
 * output): the largest context window a scenario may name. Bounded so that the fit's sums and
 * squares stay finite (a log of 1e308 tokens once gave Infinity and NaN).
 */
export const MAX_REQUEST_TOKENS = RANGES.tokenLimit.max;

/** Files as a message names them: all of up to three, else the first two and how many more (10,000 names made a 199 KB line). */
export function namedFiles(files: readonly string[]): string {
  return files.length <= 3 ? listed(files) : `${files.slice(0, 2).join(", ")} and ${groupDigits(files.length - 2)} other files`;
}

/** Whether v is a number of tokens a log may hold (see MAX_REQUEST_TOKENS). */
export function isLogTokens(v: unknown): v is number {
  return typeof v === "number" && v >= 0 && v <= MAX_REQUEST_TOKENS;
}

/** What isLogTokens takes, for messages. */
export const LOG_TOKENS = `a number of tokens from 0 to ${groupDigits(MAX_REQUEST_TOKENS)}`;

/**
 * A logged value as an error message shows it: JSON, "nothing" for a missing one, and for a
 * number JSON.parse took as infinite (1e400, or 400 digits) words for it, not JSON's "null".
 */
export function shownValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "number" && !Number.isFinite(v)) return v > 0 ? "a number too large to represent (such as 1e400)" : "a number too far below 0 to represent (such as -1e400)";
  return shownJson(v);
}

/** One line of one log file is wrong: `file:line: problem` (a UserError: exit code 2). */
export class LineError extends UserError {
  override name = "LineError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

/** The most a log file may have: a JavaScript string holds about 512 MiB. */
export const MAX_LOG_BYTES = 256 * 2 ** 20;

/** A log file's text, or a one-line error (a device such as /dev/zero is read only up to the bound). */
export function readLogText(file: string): string {
  const text = readBoundedText(file, MAX_LOG_BYTES, (why) => {
    throw new UserError(`${file}: cannot read: ${why}`);
  });
  // a byte-order mark, which some editors write first, is no part of the first record
  return text.startsWith("\ufeff") ? text.slice(1) : text;
}

/** The deepest nesting of arrays and objects a log line may have (a trace record has 1, Claude Code's a few). */
export const MAX_JSON_DEPTH = 1000;

/** Whether JSON text nests arrays and objects deeper than `max` (brackets inside strings do not count). */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** The JSON value on one line of a JSON-lines file. */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  // V8's JSON.parse spends about 80 bytes per level: a line of 100 million "[" took 8 GB and
  // aborted the process (out of memory), 20 million took 14 s. No log nests anywhere near this.
  if (text.length > 2 * MAX_JSON_DEPTH && nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new LineError(file, line, `nested more than ${groupDigits(MAX_JSON_DEPTH)} levels deep: not a log record`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LineError(file, line, `not valid JSON (${(err as Error).message})`);
  }
}
