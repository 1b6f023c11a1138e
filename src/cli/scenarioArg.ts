/** Where the CLI finds scenario files. */
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../packageRoot.js";

export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, "scenarios/default.yaml");
