/** `agentsim analytic [scenario] [--json]`: the closed-form table. */
import type { CommandModule } from "yargs";
import { analyzeScenario, fixerComparison, type AnalyticResult } from "../../model/strategy.js";
import { loadScenario } from "../../scenario/load.js";
import type { Scenario } from "../../scenario/types.js";
import { money, num, table } from "../format.js";
import { toJson } from "../json.js";
import type { Cli } from "../io.js";
import { DEFAULT_SCENARIO } from "../scenarioArg.js";

interface Args {
  scenario: string;
  json: boolean;
}

export const analyticCommand = (cli: Cli): CommandModule<object, Args> => ({
  command: "analytic [scenario]",
  describe: "Closed-form expected cost of every strategy and context",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", default: DEFAULT_SCENARIO, describe: "scenario file (YAML or JSON)" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" }) as never,
  handler: (args) => {
    const { scenario } = loadScenario(args.scenario);
    const results = analyzeScenario(scenario);
    if (args.json) {
      cli.stdout.write(toJson({ scenario: scenario.name, results }) + "\n");
      return;
    }
    cli.stdout.write(formatAnalytic(scenario, results, args.scenario));
  },
});

export function formatAnalytic(scenario: Scenario, results: AnalyticResult[], file: string): string {
  const head = ["strategy", "generator", "fixer", "context", "E[cost]", "attempts", "generation", "fix in (new)", "fix in (cached)", "fix out"];
  const rows = results.map((r) => [
    r.strategy, r.generator, r.fixer, r.context,
    r.analyticMean === null ? `none: ${r.reason}` : money(r.analyticMean),
    num(r.expectedAttempts),
    money(r.breakdown?.generation), money(r.breakdown?.fixInputNew), money(r.breakdown?.fixInputCached), money(r.breakdown?.fixOutput),
  ]);
  const numeric = new Set(head.slice(4));
  let out = `Scenario ${scenario.name} (${file}): closed-form expected cost per run\n\n${table(head, rows, numeric)}\n`;
  const fixers = [...new Set(scenario.strategies.map((s) => s.fixer))];
  const bugSets = [...new Set(scenario.strategies.map((s) => s.generator))];
  if (fixers.length > 1) {
    out += `\nFix phase on the same bugs (E[fix cost]):\n\n`;
    const compHead = ["bugs of", "context", ...fixers];
    const compRows = bugSets.flatMap((g) =>
      scenario.contexts.map((ctx) => [g, ctx, ...fixerComparison(scenario, g, fixers, ctx).map((c) => money(c.fixCost))]),
    );
    out += table(compHead, compRows, new Set(fixers)) + "\n";
  }
  out += `\nCheapest strategy per context:\n`;
  for (const ctx of scenario.contexts) {
    const best = results
      .filter((r) => r.context === ctx && r.analyticMean !== null)
      .sort((a, b) => a.analyticMean! - b.analyticMean!)[0];
    out += `  ${ctx.padEnd(7)} ${best ? `${best.strategy} (${money(best.analyticMean)})` : "no closed form"}\n`;
  }
  return out;
}
