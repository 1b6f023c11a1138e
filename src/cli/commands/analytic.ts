/** `agentsim analytic [scenario] [--json]`: the closed-form table. */
import type { CommandModule } from "yargs";
import { decideAnalytic } from "../../decision/decision.js";
import { analyzeScenario, fixerComparisons } from "../../model/strategy.js";
import { openScenario } from "../../scenario/load.js";
import type { Cli } from "../io.js";
import { toJson } from "../json.js";
import { formatAnalytic } from "../render/analytic.js";
import { terminalWidth } from "../render/layout.js";
import { DEFAULT_SCENARIO, DEFAULT_SCENARIO_SHOWN, printNotes } from "../scenarioArg.js";

interface Args {
  scenario: string;
  json: boolean;
  wide: boolean;
}

export const analyticCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("scenario", { type: "string", default: DEFAULT_SCENARIO, defaultDescription: DEFAULT_SCENARIO_SHOWN, describe: "scenario file (YAML or JSON)" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" })
      .option("wide", { type: "boolean", default: false, describe: "every column, and each fixer's fix phase on the same bugs" }) as never,
  handler: async (args) => {
    const { scenario } = await openScenario(args.scenario);
    const results = analyzeScenario(scenario);
    const decision = decideAnalytic(results);
    const fixers = fixerComparisons(scenario);
    if (args.json) cli.stdout.write(toJson({ scenario: scenario.name, results, decision, fixerComparisons: fixers }) + "\n");
    else cli.stdout.write(formatAnalytic(scenario, results, decision, fixers, args.scenario, { width: terminalWidth(cli.stdout), wide: args.wide }));
    printNotes(cli, args.scenario, scenario);
  },
});
