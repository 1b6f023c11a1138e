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

/**
 * How wide a command's text may be: the terminal's columns when the stream is one; otherwise (a
 * pipe, a file) COLUMNS when it is a whole number of at least 1, as in `COLUMNS=80 agentsim run ...
 * | less`; otherwise 100. Never less than MIN_WIDTH: narrower, a sentence would be a column of
 * single words and no table would fit anyway.
 */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): number {
  if (stream.isTTY && stream.columns) return Math.max(MIN_WIDTH, stream.columns);
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns >= 1 ? Math.max(MIN_WIDTH, columns) : 100;
}

/** The narrowest width text is laid out for. */
export const MIN_WIDTH = 40;

/** The signals that end a command, each with the exit status a shell reports for it: 128 + its number. */
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** The signals onInterrupt tidies up on (and a progress bar gives the terminal back on). */
export const ENDING_SIGNALS = Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[];

/**
 * Until the returned function is called, Ctrl-C (SIGINT), SIGTERM or SIGHUP (a terminal closed,
 * an ssh session dropped) runs `stop`, which tidies up and says so on stderr, and ends the process
 * with 130, 143 or 129, as shells report those signals.
 * Listen before anything is taken: without a listener a signal ends the process at once. The
 * listener stays while `stop` runs, so that a second signal (Ctrl-C pressed twice; `timeout`,
 * which signals the process and then its group) is absorbed: with none left, Node restores the
 * signal's default action, which ended a sweep mid-tidy with no message and its lock left behind.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false;
  const interrupted = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(signal);
    const code = SIGNAL_EXIT[signal as keyof typeof SIGNAL_EXIT];
    if (signal !== "SIGHUP") {
      process.exit(code);
      return;
    }
    // The terminal is gone, and Node 20's exit resets its modes and aborts when that fails (a
    // review: exit 139, a native stack and a core file). What an exit runs is run here (the
    // 'exit' listeners that remove unfinished files), then the process ends as the signal would.
    process.exitCode = code;
    process.emit("exit", code);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  };
  for (const signal of ENDING_SIGNALS) process.on(signal, interrupted);
  return () => {
    for (const signal of ENDING_SIGNALS) process.off(signal, interrupted);
  };
}
