/** Where the CLI finds scenario files. */
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../packageRoot.js";

export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, "scenarios/default.yaml");

/** The default scenario as --help shows it: where it is in the package, not the install's full path. */
export const DEFAULT_SCENARIO_SHOWN = "the package's scenarios/default.yaml";
