/** The agentsim program: the command line of the process, on its own streams (bin.ts loads it). */
import "./workingFolder.js"; // first: see the file
import { restoreSegmenter } from "./lazySegmenter.js"; // before yargs: see the file
import { hideBin } from "yargs/helpers";
import { environmentProblem, fileErrorText } from "../errors.js";
import { main } from "./main.js";

restoreSegmenter();

// A reader that stops early (`agentsim prices | head`) closes the pipe: what is left to print is
// dropped, quietly, instead of crashing on EPIPE. Any other failure to write the output (a full
// disk, an input/output error) is one line on stderr, exit 2, as a --out that cannot be written is;
// the 'exit' listeners still remove a sweep's or report's unfinished files.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") return;
  process.stderr.write(`agentsim: cannot write the standard output: ${fileErrorText(err)}\n`);
  process.exit(2);
});
// A message nobody can read (stderr closed, or on a full disk) changes no exit code: a user
// mistake still exits 2, not 1 for the failed write.
process.stderr.on("error", () => {});

try {
  process.exitCode = await main(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr });
} catch (err) {
  // a limit of this machine or process (open files, threads, memory), not a bug: one line, exit 2
  const problem = environmentProblem(err);
  if (problem === null) throw err;
  process.stderr.write(`agentsim: ${problem}\n`);
  process.exitCode = 2;
}
