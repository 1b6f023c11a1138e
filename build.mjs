/**
 * Bundles the CLI and the worker entry point, each into one file, so that a command starts
 * without resolving and reading hundreds of small modules (tsc has already type-checked and
 * compiled everything into dist/). piscina stays outside: it starts its own worker script.
 */
import { chmodSync } from "node:fs";
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

await build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/agentsim.mjs" });
await build({ ...common, entryPoints: ["workers/simulate.ts"], outfile: "dist/worker.mjs" });
await build({ ...common, entryPoints: ["workers/fit.ts"], outfile: "dist/fit-worker.mjs" });
chmodSync("dist/agentsim.mjs", 0o755);
