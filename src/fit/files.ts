/** Log files (traces, Claude Code logs): finding them, reading them, and one-line errors about their lines. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { readBoundedText } from "../scenario/read.js";

/** Every *.jsonl file under the given files and folders, folders in sorted order. */
export function expandLogPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, top: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UserError(`${path}: cannot read: no such file or folder`);
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        const isFolder = statSync(child, { throwIfNoEntry: false })?.isDirectory() ?? false; // a dangling link is skipped
        if (isFolder || name.endsWith(".jsonl")) walk(child, false);
      }
    } else if (top || path.endsWith(".jsonl")) out.push(path);
  };
  for (const p of paths) walk(p, true);
  if (out.length === 0) throw new UserError(`${paths.join(", ")}: no .jsonl files`);
  return out;
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
  return readBoundedText(file, MAX_LOG_BYTES, (why) => {
    throw new UserError(`${file}: cannot read: ${why}`);
  });
}

/** The JSON value on one line of a JSON-lines file. */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LineError(file, line, `not valid JSON (${(err as Error).message})`);
  }
}
