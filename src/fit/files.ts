/** Log files (traces, Claude Code logs): finding them, reading them, and one-line errors about their lines. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";

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
        if (statSync(child).isDirectory() || name.endsWith(".jsonl")) walk(child, false);
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

/** A log file's text, or a one-line error. */
export function readLogText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? err);
    throw new UserError(`${file}: cannot read: ${why}`);
  }
}

/** The JSON value on one line of a JSON-lines file. */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LineError(file, line, `not valid JSON (${(err as Error).message})`);
  }
}
