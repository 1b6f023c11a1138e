/** Where the CLI finds scenario files. */
import { resolve } from "node:path";
import { oneLine } from "../errors.js";
import { PACKAGE_ROOT } from "../packageRoot.js";
import { scenarioNotes } from "../scenario/notes.js";
import type { Scenario } from "../scenario/types.js";
import type { Cli } from "./io.js";

export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, "scenarios/default.yaml");

/** The default scenario as --help shows it: where it is in the package, not the install's full path. */
export const DEFAULT_SCENARIO_SHOWN = "the package's scenarios/default.yaml";

/** The scenario's notes (scenarioNotes: what the price table leaves unsaid, a TTL that changes no cost), one line each on stderr; the commands print them after the answer. */
export function printNotes(cli: Cli, file: string, scenario: Scenario): void {
  for (const note of scenarioNotes(scenario)) cli.stderr.write(`agentsim: note: ${oneLine(`${file}: ${note}`)}\n`);
}
