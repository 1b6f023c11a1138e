/** The folder of agentsim's package.json, found from this module whether it runs from src/, dist/ or a bundle. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();

/** agentsim's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * agentsim's version and its build, as a sweep records it: "0.1.0+3f2a9c1b2d4e", the hash of the
 * sources that build.mjs writes to dist/build-id ("+unbuilt" without one). The version alone stays the same
 * from commit to commit, while the numbers need not.
 */
export function buildVersion(): string {
  // read once: a rebuild during a long sweep would make its record claim the new build
  if (built === undefined) {
    const file = resolve(PACKAGE_ROOT, "dist/build-id");
    built = `${packageVersion()}+${existsSync(file) ? readFileSync(file, "utf8").trim() : "unbuilt"}`;
  }
  return built;
}

let built: string | undefined;
