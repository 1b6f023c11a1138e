#!/usr/bin/env node
/** The agentsim program: the command line of the process, on its own streams. */
import { restoreSegmenter } from "./lazySegmenter.js"; // before yargs: see the file
import { hideBin } from "yargs/helpers";
import { main } from "./main.js";

restoreSegmenter();

// A reader that stops early (`agentsim prices | head`) closes the pipe: what is left to print is
// dropped, quietly, instead of crashing on EPIPE.
// The same for stderr: a one-line error nobody reads must still exit 2, not 1 for the EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

process.exitCode = await main(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr });
