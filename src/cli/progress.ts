/** A progress bar on stderr, shown only on a terminal and only once a job has run for a moment. */
import { SingleBar, Presets } from "cli-progress";
import { ENDING_SIGNALS, type Output } from "./io.js";

const SHOW_AFTER_MS = 700;

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(stream: Output, label: string, unit: string): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: SingleBar | null = null;
  let release: (() => void) | null = null;
  return {
    update(done, total) {
      if (!bar && Date.now() - started < SHOW_AFTER_MS) return;
      if (!bar) {
        bar = new SingleBar(
          {
            stream: stream as NodeJS.WritableStream,
            format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        release = guardTerminal(stream);
        bar.start(total, done);
      }
      if (total !== bar.getTotal()) bar.setTotal(total); // a total that grows as stages are planned
      bar.update(done);
    },
    stop() {
      bar?.stop();
      release?.();
      release = null;
    },
  };
}

/** Show the cursor and wrap lines again: what a bar turns off while it is shown. */
export const RESTORE_TERMINAL = "\x1B[?25h\x1B[?7h";

/**
 * Until the returned function is called, any end of the process gives the terminal back its
 * cursor and line wrap: an exit (a command's own interrupt handler calls process.exit), or a
 * signal. A command with its own handler for the signal (onInterrupt) ends the process after this
 * one; a command without one is ended as the signal would have ended it (an audit: Ctrl-C in run,
 * validate, fit or report left the shell with no cursor and long lines cut off).
 */
export function guardTerminal(stream: Output): () => void {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stream.write(RESTORE_TERMINAL);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    if (process.listenerCount(signal) > 1) return;
    release();
    process.kill(process.pid, signal);
  };
  const release = () => {
    process.off("exit", restore);
    for (const s of ENDING_SIGNALS) process.off(s, onSignal);
  };
  process.on("exit", restore);
  for (const s of ENDING_SIGNALS) process.prependListener(s, onSignal);
  return release;
}
