/** Where the CLI finds scenario files. */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (the folder with package.json), from dist/src/cli or src/cli. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes("/dist/") ? "../../.." : "../..");

export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, "scenarios/default.yaml");
