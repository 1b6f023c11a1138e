/**
 * Bundles the CLI and the worker entry point, each into one file (and the CLI's lazily loaded
 * parts into chunks), so that a command starts without resolving and reading hundreds of small
 * modules (tsc has already type-checked and
 * compiled everything into dist/). piscina stays outside: it starts its own worker script.
 */
import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: ["piscina"],
  // CommonJS dependencies (seedrandom, @stdlib) call require(); give the ES module one.
  banner: { js: "import { createRequire as __agentsimRequire } from 'node:module'; const require = __agentsimRequire(import.meta.url);" },
  logLevel: "warning",
};

rmSync("dist/chunks", { recursive: true, force: true }); // chunk names carry hashes: no stale ones
// Split: what a command loads with import() (the report's charts) goes to dist/chunks/ and is
// read only by the command that needs it, so the other commands start as fast as before.
await build({
  ...common,
  entryPoints: { agentsim: "src/cli/main.ts" },
  outdir: "dist",
  splitting: true,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
});
await build({ ...common, entryPoints: ["workers/simulate.ts"], outfile: "dist/worker.mjs" });
await build({ ...common, entryPoints: ["workers/fit.ts"], outfile: "dist/fit-worker.mjs" });
chmodSync("dist/agentsim.mjs", 0o755);
