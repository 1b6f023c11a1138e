/**
 * Bundles the CLI and the worker entry point, each into one file, so that a command starts
 * without resolving and reading hundreds of small modules. `npm run build` runs tsc first (type
 * checks, dist/bench); the tests' global setup calls `bundle()` alone, so that they always run
 * the code as it is in src/, never a stale bundle. piscina stays outside: it starts its own
 * worker script.
 */
import { chmodSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = dirname(fileURLToPath(import.meta.url));

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
  absWorkingDir: ROOT,
};

/** Bundle src/cli/bin.ts into dist/agentsim.mjs (the bin) and workers/simulate.ts into dist/worker.mjs. */
export async function bundle() {
  await Promise.all([
    build({ ...common, entryPoints: ["src/cli/bin.ts"], outfile: "dist/agentsim.mjs" }),
    build({ ...common, entryPoints: ["workers/simulate.ts"], outfile: "dist/worker.mjs" }),
  ]);
  chmodSync(resolve(ROOT, "dist/agentsim.mjs"), 0o755);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await bundle();
