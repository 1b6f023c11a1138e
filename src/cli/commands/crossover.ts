/** `agentsim crossover <scenario> --param key --from A --to B`: where two strategies cost the same. */
import type { CommandModule } from "yargs";
import { UserError } from "../../errors.js";
import { attemptsKeyStrategy, bestAttempts, findCrossovers, type BestValue, type Crossover } from "../../model/crossover.js";
import { loadScenario } from "../../scenario/load.js";
import type { Context, Strategy } from "../../scenario/types.js";
import { checkWhole } from "../args.js";
import { money, table } from "../format.js";

interface Args {
  scenario: string;
  param: string;
  from?: number;
  to?: number;
  between?: string;
  context?: Context;
  steps: number;
  json: boolean;
}

export const crossoverCommand: CommandModule<object, Args> = {
  command: "crossover <scenario>",
  describe: "Parameter values where two strategies' expected costs are equal",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file (YAML or JSON)" })
      .option("param", { type: "string", demandOption: true, describe: "dotted numeric key, e.g. models.weak.bugs.count" })
      .option("from", { type: "number", describe: "start of the range searched (optional for bugs.count)" })
      .option("to", { type: "number", describe: "end of the range searched (optional for bugs.count)" })
      .option("between", { type: "string", describe: "two strategies, S1,S2 (default: the first two)" })
      .option("context", { choices: ["shared", "fresh"] as const, describe: "one context (default: the scenario's)" })
      .option("steps", { type: "number", default: 400, describe: "grid intervals of the sign scan" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" }) as never,
  handler: (args) => {
    const { raw, scenario } = loadScenario(args.scenario);
    const between = pickStrategies(scenario.strategies, args.between);
    if (args.from !== undefined && args.to !== undefined && !(args.from < args.to)) {
      throw new UserError(`--from (${args.from}) must be less than --to (${args.to})`);
    }
    checkWhole("--steps", args.steps, 1, 1_000_000);
    const contexts = args.context ? [args.context] : scenario.contexts;
    const owner = attemptsKeyStrategy(args.param);
    if (owner !== undefined) {
      if (!scenario.strategies.some((s) => s.name === owner)) throw new UserError(`--param ${args.param}: no strategy "${owner}" in the scenario`);
      const pairWith = between.some((s) => s.name === owner) ? between : ([scenario.strategies.find((s) => s.name === owner)!, between[0].name === owner ? between[1] : between[0]] as [Strategy, Strategy]);
      const best = bestAttempts(raw, args.scenario, { param: args.param, between: pairWith, contexts, from: args.from, to: args.to, steps: args.steps });
      if (args.json) process.stdout.write(JSON.stringify({ param: args.param, strategy: owner, best }, null, 2) + "\n");
      else process.stdout.write(formatBest(args.param, best));
      return;
    }
    const skipped: { context: Context; reason: string }[] = [];
    const onSkip = (context: Context, reason: string) => void skipped.push({ context, reason });
    const crossovers = findCrossovers(raw, args.scenario, { param: args.param, between, contexts, from: args.from, to: args.to, steps: args.steps, onSkip });
    if (skipped.length === contexts.length) throw new UserError(skipped[0]!.reason);
    const names = between.map((s) => s.name);
    if (args.json) {
      process.stdout.write(JSON.stringify({ param: args.param, between: names, from: args.from ?? null, to: args.to ?? null, crossovers, skipped }, null, 2) + "\n");
      return;
    }
    process.stdout.write(formatCrossovers(args.param, names, contexts, crossovers, args.from, args.to, skipped));
  },
};

function pickStrategies(all: Strategy[], between: string | undefined): [Strategy, Strategy] {
  if (between === undefined) {
    if (all.length < 2) throw new UserError(`the scenario has one strategy; a crossover needs two`);
    return [all[0]!, all[1]!];
  }
  const names = between.split(",").map((s) => s.trim());
  if (names.length !== 2 || names[0] === names[1]) throw new UserError(`--between takes two different strategies, S1,S2`);
  return names.map((n) => {
    const st = all.find((s) => s.name === n);
    if (!st) throw new UserError(`--between: unknown strategy "${n}" (the scenario has: ${all.map((s) => s.name).join(", ")})`);
    return st;
  }) as [Strategy, Strategy];
}

function formatBest(param: string, best: BestValue[]): string {
  const name = best[0]?.strategy ?? "";
  let out = `${param} is a whole number: the value with the lowest expected cost of ${name}\n\n`;
  const rows = best.map((b) => [
    b.context,
    String(b.best),
    money(b.cost),
    b.other.strategy ? `${b.other.strategy} ${money(b.other.cost)}` : "-",
    b.costs.map((c) => `${c.value}: ${money(c.cost)}`).join(", "),
  ]);
  out += table(["context", "best", "E[cost]", "versus", "E[cost] by value"], rows, new Set(["best", "E[cost]"])) + "\n";
  return out;
}

function formatCrossovers(
  param: string,
  names: string[],
  contexts: Context[],
  crossovers: Crossover[],
  from?: number,
  to?: number,
  skipped: { context: Context; reason: string }[] = [],
): string {
  const range = from !== undefined && to !== undefined ? ` in [${from}, ${to}]` : "";
  let out = `Crossovers of ${names[0]} and ${names[1]} in ${param}${range}\n\n`;
  const rows = contexts.flatMap((ctx) => {
    const found = crossovers.filter((c) => c.context === ctx);
    if (skipped.some((k) => k.context === ctx)) return [[ctx, "-", "-", "-", "no closed form"]];
    if (found.length === 0) return [[ctx, "none", "-", "-", "-"]];
    return found.map((c) => [ctx, c.method === "integer" ? String(c.value) : c.value.toPrecision(10), c.cheaperBelow, c.cheaperAbove, c.method]);
  });
  out += table(["context", param, "cheaper below", "cheaper above", "method"], rows, new Set([param])) + "\n";
  for (const k of skipped) out += `\n${k.context}: ${k.reason.replace(/^[^:]*\.ya?ml: /, "")}\n`;
  return out;
}
