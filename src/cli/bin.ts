#!/usr/bin/env node
/**
 * The agentsim program's entry point. It imports nothing of its own, and loads the program
 * (program.ts) with import(), so that a process that cannot open agentsim's own files (ulimit -n
 * near 20, where Node still starts but its module loader cannot open the next file) gets one
 * line, exit 2, not the loader's stack trace; any other failure is a bug and keeps its stack. The
 * line is the one errors.ts's environmentProblem gives once the program runs (this file cannot
 * import it: errors.ts is in a file of its own, which may be the one that cannot be opened).
 */
try {
  await import("./program.js");
} catch (err) {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== "EMFILE" && code !== "ENFILE") throw err;
  const limit = code === "EMFILE" ? "too many open files (ulimit -n)" : "too many open files on the system";
  process.stderr.write(`agentsim: ${limit}: agentsim needs about 64 file descriptors\n`);
  process.exitCode = 2;
}
