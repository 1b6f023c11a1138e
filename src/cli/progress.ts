/** A progress bar on stderr, shown only on a terminal and only once a job has run for a moment. */
import { SingleBar, Presets } from "cli-progress";
import type { Output } from "./io.js";

const SHOW_AFTER_MS = 700;

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(stream: Output, label: string, unit: string): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: SingleBar | null = null;
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
        bar.start(total, done);
      }
      if (total !== bar.getTotal()) bar.setTotal(total); // a total that grows as stages are planned
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
