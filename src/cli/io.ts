/**
 * Where a command writes, and its exit code: the process's streams when agentsim runs as a
 * program, strings in memory when a test calls `main` in-process.
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
