/** `agentsim crossover <scenario> --param key --from A --to B`: where two strategies cost the same. */
import type { CommandModule } from "yargs";
import { FlagError, ScenarioError, UserError } from "../../errors.js";
import { attemptsKeyStrategy, bestAttempts, cheaperThroughoutEach, DEFAULT_SCAN_STEPS, definedAlike, findCrossovers, NoClosedForm, type BestValue, type Crossover, type Gap, type LeftOut } from "../../model/crossover.js";
import { openScenario } from "../../scenario/load.js";
import { ladderText } from "../../scenario/ladder.js";
import { CONTEXTS, type Context, type Strategy } from "../../scenario/types.js";
import { rangeFlags, textFlag, wholeFlag } from "../args.js";
import { crossingValue, money, table } from "../../render/format.js";
import { plainTable, terminalWidth, textWidth, wrap, type Column } from "../render/layout.js";
import type { Cli } from "../io.js";
import { toJson } from "../json.js";
import { groupDigits } from "../../text.js";

/**
 * Grid intervals of the sign scan at most. Each costs two closed-form evaluations per context
 * with the scenario's validation: 0.4 ms to 4 ms on the shipped scenarios (long-context.yaml's
 * window check convolves the longest distributions), so the largest scan takes 0.4 s to 4.3 s on
 * the 2-core development VM; the bisection then refines each root to 1e-9 whatever the grid.
 */
export const MAX_STEPS = 1_000;

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
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario file (YAML or JSON)" })
      .option("param", { type: "string", demandOption: true, requiresArg: true, describe: "dotted numeric key, e.g. models.weak.bugs.count" })
      .option("from", { type: "string", requiresArg: true, describe: "start of the range searched (needed but for a bug count, default 0, and a rung's attempts, default 1)" })
      .option("to", { type: "string", requiresArg: true, describe: "end of the range searched (needed but for a bug count: every root where its cost is a polynomial, else to 100; a rung's attempts: 20)" })
      .option("between", { type: "string", requiresArg: true, describe: "two strategies, S1,S2 (default: the first two)" })
      .option("context", { choices: CONTEXTS, requiresArg: true, describe: "one context (default: the scenario's)" })
      .option("steps", { type: "string", default: String(DEFAULT_SCAN_STEPS), requiresArg: true, describe: `grid intervals of the sign scan, 1 to ${groupDigits(MAX_STEPS)}` })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" }) as never,
  handler: async (args) => {
    const param = textFlag("--param", args.param)!;
    const { from, to } = rangeFlags(args.from, args.to);
    const steps = wholeFlag("--steps", args.steps, 1, MAX_STEPS)!;
    const { raw, scenario } = await openScenario(args.scenario);
    const between = pickStrategies(args.scenario, scenario.strategies, args.between);
    const contexts = args.context ? [args.context] : scenario.contexts;
    // The file itself is valid (loaded above): a ScenarioError below is about a value of the range.
    const rangeError = (err: unknown): unknown => {
      if (!(err instanceof ScenarioError)) return err;
      const where = err.keyPath === param ? "" : ` (${param} moves ${err.keyPath})`;
      return new FlagError(`--from ${from ?? "-"} --to ${to ?? "-"}: the range leaves what ${param} may be${where}: ${err.problem}`);
    };
    const inRange = <T>(search: () => T): T => {
      try {
        return search();
      } catch (err) {
        throw rangeError(err);
      }
    };
    const owner = attemptsKeyStrategy(param);
    if (owner !== undefined) {
      if (!scenario.strategies.some((s) => s.name === owner)) throw new FlagError(`--param ${param}: no strategy "${owner}" in the scenario`);
      const pairWith = between.some((s) => s.name === owner) ? between : ([scenario.strategies.find((s) => s.name === owner)!, between[0].name === owner ? between[1] : between[0]] as [Strategy, Strategy]);
      const skippedBest: { context: Context; reason: string }[] = [];
      const onSkipBest = (context: Context, reason: string) => void skippedBest.push({ context, reason });
      const best = inRange(() => bestAttempts(raw, args.scenario, { param, between: pairWith, contexts, from, to, steps, onSkip: onSkipBest }));
      if (best.length === 0) {
        throw new UserError(`${args.scenario}: --param ${param}: no context has a closed form for any attempts (${skippedBest.map((k) => k.reason).join("; ")})`);
      }
      if (args.json) cli.stdout.write(toJson({ param, strategy: owner, best, skipped: skippedBest }) + "\n");
      else cli.stdout.write(formatBest(param, best, terminalWidth(cli.stdout)) + skippedBest.map((k) => "\n" + wrap(`${k.context}: ${k.reason}`, terminalWidth(cli.stdout), "", "  ").join("\n") + "\n").join(""));
      return;
    }
    const skipped: { context: Context; reason: string }[] = [];
    let cause: unknown = null;
    const onSkip = (context: Context, reason: string, error: UserError) => {
      skipped.push({ context, reason });
      cause ??= error;
    };
    const gaps: Gap[] = [];
    const onGap = (gap: Gap) => gaps.push({ ...gap, reason: withoutFile(gap.reason) });
    const leftOut: LeftOut[] = [];
    const onLeftOut = (stretch: LeftOut) => leftOut.push({ ...stretch, reason: withoutFile(stretch.reason) });
    const crossovers = inRange(() => findCrossovers(raw, args.scenario, { param, between, contexts, from, to, steps, onSkip, onGap, onLeftOut }));
    // Points outside the key's range are gaps of the scan; a range with no point inside it fails.
    if (skipped.length === contexts.length) {
      if (!(cause instanceof NoClosedForm)) throw rangeError(cause);
      const why = skipped.map((k) => `${k.context}: ${withoutFile(k.reason)}`).join("; ");
      throw new UserError(`${args.scenario}: --param ${param}: no context has the closed forms a crossover is sought with (${why})`);
    }
    const names = between.map((s) => s.name);
    const alike = definedAlike(param, between);
    // a context without a crossing (nor a gap the choice may change in): which one is cheaper there
    const searched = contexts.filter((ctx) => !skipped.some((k) => k.context === ctx));
    const throughout = cheaperThroughoutEach(raw, args.scenario, { param, between, from, to }, searched, crossovers, gaps);
    if (args.json) {
      cli.stdout.write(toJson({ param, between: names, definedAlike: alike, from: from ?? null, to: to ?? null, crossovers, cheaperThroughout: throughout, gaps, skipped, leftOut }) + "\n");
      return;
    }
    cli.stdout.write(formatCrossovers(param, names, contexts, crossovers, from, to, skipped, gaps, terminalWidth(cli.stdout), throughout));
    if (alike) {
      const how = `${between[0].generator} generates, ${ladderText(between[0].ladder)} fixes`;
      cli.stdout.write("\n" + wrap(`${names[0]} and ${names[1]} are defined alike (${how}): they cost the same at every value, so they never cross.`, terminalWidth(cli.stdout)).join("\n") + "\n");
    }
    for (const l of leftOut) {
      const values = `${groupDigits(l.values)} of the ${groupDigits(l.scanned)} values`;
      cli.stdout.write("\n" + wrap(`Left out of the scan: ${param} from ${crossingValue(l.from)} to ${crossingValue(l.to)} (${values}), which it may not take: ${l.reason}`, terminalWidth(cli.stdout), "", "  ").join("\n") + "\n");
    }
  },
});

function pickStrategies(file: string, all: Strategy[], between: string | undefined): [Strategy, Strategy] {
  if (between === undefined) {
    if (all.length < 2) throw new UserError(`${file}: the scenario has one strategy; a crossover needs two`);
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

function formatBest(param: string, best: BestValue[], width = 100): string {
  const name = best[0]?.strategy ?? "";
  let out = `${wrap(`The best ${param} (a whole number) for ${name}, by expected cost:`, width).join("\n")}\n\n`;
  const pad = Math.max(...best.map((b) => b.context.length)) + 1;
  for (const b of best) {
    const versus = b.other.strategy ? ` (${b.other.strategy}: ${b.other.cost === null ? "no closed form" : money(b.other.cost)})` : "";
    const edge = b.edge === "to" ? "; the largest tried: a larger one may cost less (see --to)" : b.edge === "from" ? "; the smallest tried: a smaller one may cost less (see --from)" : "";
    out += `${wrap(`${b.best}, at ${money(b.cost)} per run${versus}${edge}`, width, `${(b.context + ":").padEnd(pad)} `, " ".repeat(pad + 1)).join("\n")}\n`;
  }
  // every value tried, one row each, a column per context; * marks the best
  const rows = best[0]!.costs.map((c, i) => [String(c.value), ...best.map((b) => money(b.costs[i]!.cost) + (b.costs[i]!.value === b.best ? " *" : "  "))]);
  out += "\n" + table(["attempts", ...best.map((b) => b.context)], rows, new Set(["attempts", ...best.map((b) => b.context)])) + "\n";
  return out;
}

/** A validation message without the scenario file's name (the command's header names the key). */
const withoutFile = (message: string) => message.replace(/^[^:]*\.(ya?ml|json): /, "");

/** A gap with a different strategy cheaper on each side: the costs cross inside it. */
const flips = (g: Gap) => g.cheaperBefore !== null && g.cheaperAfter !== null && g.cheaperBefore !== g.cheaperAfter;

function formatCrossovers(
  param: string,
  names: string[],
  contexts: Context[],
  crossovers: Crossover[],
  from?: number,
  to?: number,
  skipped: { context: Context; reason: string }[] = [],
  gaps: Gap[] = [],
  width = 100,
  throughout: { context: Context; strategy: string }[] = [],
): string {
  // one end given is still a range: "no crossing" under --from 2.5 alone is no claim about 2.4
  const range = from !== undefined && to !== undefined ? ` in [${from}, ${to}]` : from !== undefined ? ` from ${from}` : to !== undefined ? ` up to ${to}` : "";
  let out = `${wrap(`Crossovers of ${names[0]} and ${names[1]} in ${param}${range}`, width).join("\n")}\n\n`;
  const rows = contexts.flatMap((ctx) => {
    if (skipped.some((k) => k.context === ctx)) return [[ctx, "-", "-", "-", "no closed form"]];
    // crossovers and the gaps the choice flips across, in order of value
    const found = [
      ...crossovers.filter((c) => c.context === ctx).map((c) => ({ at: c.value, row: [ctx, crossingValue(c.value, c.method === "integer"), c.cheaperBelow, c.cheaperAbove, c.method] })),
      ...gaps
        .filter((g) => g.context === ctx && flips(g))
        .map((g) => ({ at: g.from, row: [ctx, `${crossingValue(g.from)} to ${crossingValue(g.to)}`, g.cheaperBefore!, g.cheaperAfter!, "in a gap"] })),
    ].sort((a, b) => a.at - b.at);
    if (found.length === 0) {
      const cheaper = throughout.find((t) => t.context === ctx)?.strategy;
      return [cheaper ? [ctx, "none", cheaper, cheaper, "no crossing"] : [ctx, "none", "-", "-", "-"]];
    }
    return found.map((f) => f.row);
  });
  const columns = (key: string): Column<string[]>[] => [
    { head: "context", cell: (r) => r[0]! },
    { head: key, numeric: true, cell: (r) => r[1]! },
    { head: "cheaper\nbelow", cell: (r) => r[2]! },
    { head: "cheaper\nabove", cell: (r) => r[3]! },
    // too wide for the terminal: the method, the least needed column, goes (--json keeps it)
    { head: "method", drop: 1, cell: (r) => r[4]! },
  ];
  // the key heads its column where it fits; else "value" does (the title names the key); where
  // neither table fits, a list, each crossing under its context with the key
  const table = (head: string) => plainTable(columns(head), rows, { width, wide: false, list: false });
  const [keyed, valued] = [table(param), table("value")];
  out += (textWidth(keyed) <= width ? keyed : textWidth(valued) <= width ? valued : plainTable(columns(param), rows, { width, wide: false })) + "\n";
  for (const k of skipped) out += "\n" + wrap(`${k.context}: ${withoutFile(k.reason)}`, width, "", "  ").join("\n") + "\n";
  for (const g of gaps) {
    const sides = flips(g)
      ? `${g.cheaperBefore} is cheaper before it and ${g.cheaperAfter} after it: they cross inside, where only simulation can say (agentsim sweep)`
      : g.cheaperBefore !== null && g.cheaperBefore === g.cheaperAfter
        ? `${g.cheaperBefore} is cheaper on both sides; a crossover inside would come with a second one`
        : g.cheaperBefore ?? g.cheaperAfter
          ? `${g.cheaperBefore ?? g.cheaperAfter} is cheaper ${g.cheaperBefore ? "before" : "after"} it; the scan cannot see inside`
          : `Neither side is known: the scan cannot see inside`;
    const text = `${g.context}: no closed form for ${param} from ${crossingValue(g.from)} to ${crossingValue(g.to)}. ${sides}. At ${crossingValue(g.from)}, ${g.reason}`;
    out += "\n" + wrap(text, width, "", "  ").join("\n") + "\n";
  }
  return out;
}
