/**
 * Bundles the CLI and the worker entry points, each into one file (and the CLI's lazily loaded
 * parts into chunks), so that a command starts without resolving and reading hundreds of small
 * modules. `npm run build` runs tsc first (type checks, dist/bench); the tests' global setup calls
 * `bundle()` alone, so that they always run the code as it is in src/, never a stale bundle.
 * piscina stays outside: it starts its own worker script.
 */
import { createHash } from "node:crypto";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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

/**
 * src/cli/bin.ts into dist/agentsim.mjs (the bin, which loads the rest with import()), workers/simulate.ts into dist/worker.mjs and
 * workers/fit.ts into dist/fit-worker.mjs.
 */
export async function bundle() {
  // chunk names carry hashes: no stale ones
  for (const dir of ["dist/chunks", "dist/worker-chunks"]) rmSync(resolve(ROOT, dir), { recursive: true, force: true });
  await Promise.all([
    // Split: what a command loads with import() (the report's charts) goes to dist/chunks/ and is
    // read only by the command that needs it, so the other commands start as fast as before.
    build({
      ...common,
      entryPoints: { agentsim: "src/cli/bin.ts" },
      outdir: "dist",
      splitting: true,
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
    }),
    // The sweep's tasks (scenario validation, closed forms) are a chunk that only a sweep loads.
    build({
      ...common,
      entryPoints: { worker: "workers/simulate.ts" },
      outdir: "dist",
      splitting: true,
      outExtension: { ".js": ".mjs" },
      chunkNames: "worker-chunks/[name]-[hash]",
    }),
    build({ ...common, entryPoints: ["workers/fit.ts"], outfile: "dist/fit-worker.mjs" }),
  ]);
  chmodSync(resolve(ROOT, "dist/agentsim.mjs"), 0o755);
  writeFileSync(resolve(ROOT, "dist/build-id"), buildId() + "\n");
}

/**
 * The build's id: sha256 of what the bundle is made from (src/, workers/, this file, and the
 * dependencies pinned by package-lock.json), by path and content. A sweep records it with
 * agentsim's version (src/packageRoot.ts), so that --resume and merge refuse rows that another
 * build simulated: the package's version stays the same from commit to commit, the numbers need
 * not. The sources, not the bundle: esbuild writes the modules' paths into it, and the same code
 * built in another checkout (node_modules elsewhere, behind a link) gave another id (a review).
 */
function buildId() {
  const files = (dir) =>
    readdirSync(resolve(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? files(path) : [path];
    });
  const inputs = [...files("src"), ...files("workers"), "build.mjs", "package.json", "package-lock.json"].sort();
  const hash = createHash("sha256");
  for (const file of inputs) hash.update(file).update("\0").update(readFileSync(resolve(ROOT, file))).update("\0");
  return hash.digest("hex").slice(0, 12);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await bundle();
