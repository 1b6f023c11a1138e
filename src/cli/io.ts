/**
 * Where a command writes, how wide (terminalWidth), and its exit code: the process's streams when
 * agentsim runs as a program, strings in memory when a test calls `main` in-process. No imports,
 * so that --help loads nothing more.
 */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  /** the terminal's width, when it is one */
  columns?: number;
}

export interface Cli {
  stdout: Output;
  stderr: Output;
  /** set by a command that completes with a finding (validate: a check failed) */
  exitCode: number;
}

/** Columns of the terminal when stdout is one, otherwise (a pipe, a file) 100. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 100;
}
