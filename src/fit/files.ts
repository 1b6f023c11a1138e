/** The log files a command names: files as given, folders searched for .jsonl files. */
import { readdirSync, statSync } from "node:fs";
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
