/** `agentsim crossover <scenario> --param key --from A --to B`: where two strategies cost the same. */
import type { CommandModule } from "yargs";
import { FlagError, ScenarioError, UserError } from "../../errors.js";
import { findCrossovers, type Crossover } from "../../model/crossover.js";
import { loadScenario } from "../../scenario/load.js";
import type { Context, Strategy } from "../../scenario/types.js";
import { numberFlag, textFlag, wholeFlag } from "../args.js";
import { table } from "../format.js";
import type { Cli } from "../io.js";
import { toJson } from "../json.js";

/**
 * Grid intervals of the sign scan at most. Each costs two closed-form evaluations per context
 * (about 0.1 ms with the scenario's validation), so the largest scan takes about a second; the
 * bisection then refines each root to 1e-9 whatever the grid.
 */
export const MAX_STEPS = 10_000;

interface Args {
  scenario: string;
  param: string;
  from?: string;
  to?: string;
  between?: string;
  context?: Context;
  steps: string;
  json: boolean;
}

export const crossoverCommand = (cli: Cli): CommandModule<object, Args> => ({
  command: "crossover <scenario>",
  describe: "Parameter values where two strategies' expected costs are equal",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file (YAML or JSON)" })
      .option("param", { type: "string", demandOption: true, requiresArg: true, describe: "dotted numeric key, e.g. models.weak.bugs.count" })
      .option("from", { type: "string", requiresArg: true, describe: "start of the range searched (optional for bugs.count)" })
      .option("to", { type: "string", requiresArg: true, describe: "end of the range searched (optional for bugs.count)" })
      .option("between", { type: "string", requiresArg: true, describe: "two strategies, S1,S2 (default: the first two)" })
      .option("context", { choices: ["shared", "fresh"] as const, requiresArg: true, describe: "one context (default: the scenario's)" })
      .option("steps", { type: "string", default: "400", requiresArg: true, describe: `grid intervals of the sign scan, at most ${MAX_STEPS}` })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" }) as never,
  handler: (args) => {
    const param = textFlag("--param", args.param)!;
    const from = numberFlag("--from", args.from);
    const to = numberFlag("--to", args.to);
    if (from !== undefined && to !== undefined && !(from < to)) throw new FlagError(`--from (${from}) must be less than --to (${to})`);
    const steps = wholeFlag("--steps", args.steps, 1, MAX_STEPS)!;
    const { raw, scenario } = loadScenario(args.scenario);
    const between = pickStrategies(scenario.strategies, args.between);
    const contexts = args.context ? [args.context] : scenario.contexts;
    let crossovers: Crossover[];
    try {
      crossovers = findCrossovers(raw, args.scenario, { param, between, contexts, from, to, steps });
    } catch (err) {
      // The file itself is valid (loaded above): a value of the searched range is not.
      if (!(err instanceof ScenarioError)) throw err;
      const where = err.keyPath === param ? "" : ` (${param} moves ${err.keyPath})`;
      throw new FlagError(`--from ${from ?? "-"} --to ${to ?? "-"}: the range leaves what ${param} may be${where}: ${err.problem}`);
    }
    const names = between.map((s) => s.name);
    if (args.json) {
      cli.stdout.write(toJson({ param, between: names, from: from ?? null, to: to ?? null, crossovers }) + "\n");
      return;
    }
    cli.stdout.write(formatCrossovers(param, names, contexts, crossovers, from, to));
  },
});

function pickStrategies(all: Strategy[], between: string | undefined): [Strategy, Strategy] {
  if (between === undefined) {
    if (all.length < 2) throw new UserError(`the scenario has one strategy; a crossover needs two`);
    return [all[0]!, all[1]!];
  }
  const names = between.split(",").map((s) => s.trim());
  if (names.length !== 2 || names[0] === names[1]) throw new FlagError(`--between takes two different strategies, S1,S2`);
  return names.map((n) => {
    const st = all.find((s) => s.name === n);
    if (!st) throw new FlagError(`--between: unknown strategy ${JSON.stringify(n)} (the scenario has: ${all.map((s) => s.name).join(", ")})`);
    return st;
  }) as [Strategy, Strategy];
}

function formatCrossovers(param: string, names: string[], contexts: Context[], crossovers: Crossover[], from?: number, to?: number): string {
  const range = from !== undefined && to !== undefined ? ` in [${from}, ${to}]` : "";
  let out = `Crossovers of ${names[0]} and ${names[1]} in ${param}${range}\n\n`;
  const rows = contexts.flatMap((ctx) => {
    const found = crossovers.filter((c) => c.context === ctx);
    if (found.length === 0) return [[ctx, "none", "-", "-", "-"]];
    return found.map((c) => [ctx, c.value.toPrecision(10), c.cheaperBelow, c.cheaperAbove, c.method]);
  });
  out += table(["context", param, "cheaper below", "cheaper above", "method"], rows, new Set([param])) + "\n";
  return out;
}
