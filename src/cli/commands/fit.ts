/**
 * `agentsim fit <trace.jsonl...>`: estimate a scenario from traces (fix rates, hard fractions,
 * bug counts, tokens) with bootstrap intervals and the decision's confidence; or, with
 * `--format claude-code`, the token and caching side from Claude Code's logs.
 */
import type { CommandModule } from "yargs";
import { FlagError, oneLine } from "../../errors.js";
import { REPLICATES_PER_TASK } from "../../fit/bootstrap.js";
import { fitClaudeCode, mergeFragment, readUsageLogs, type ClaudeCodeReport } from "../../fit/claudeCode.js";
import { expandLogPaths } from "../../fit/files.js";
import { fitRuns, type FitReport, type ParameterRow } from "../../fit/fit.js";
import { FitPool } from "../../fit/pool.js";
import { checkWritableRates } from "../../fit/scenario.js";
import type { TokenSummary } from "../../fit/tokens.js";
import { assembleRuns, readTraceFiles } from "../../fit/trace.js";
import { scenarioYaml } from "../../fit/write.js";
import { checkOutput, writeAtomically } from "../../sweep/output.js";
import { openScenario } from "../../scenario/load.js";
import { defaultThreads } from "../../sim/pool.js";
import { groupDigits, listed, noun } from "../../text.js";
import { seedFlag, textFlag, threadsFlag, wholeFlag } from "../args.js";
import type { Cli } from "../io.js";
import { money, num, percent } from "../../render/format.js";
import { progressBar } from "../progress.js";
import { toJson } from "../json.js";
import { plainTable, shortenMiddle, terminalWidth, textWidth, unbroken, wrap, type Column } from "../render/layout.js";

const FORMATS = ["agentsim", "claude-code"] as const;

/** Bootstrap replicates at most: each is a full refit. */
const MAX_BOOTSTRAP = 100_000;

/**
 * Bootstrap replicates at least (but for 0, no intervals): 1 / 0.025, so that a 2.5% and a 97.5%
 * quantile fall inside the replicates rather than on their smallest and largest.
 */
const MIN_BOOTSTRAP = 40;

interface Args {
  traces: string[];
  format: (typeof FORMATS)[number];
  out?: string;
  prices?: string;
  bootstrap: string;
  seed: string;
  threads: string;
  json: boolean;
}

/** The flags once parsed. */
type Parsed = Omit<Args, "bootstrap" | "threads"> & { bootstrap: number; threads: number };

/** --bootstrap: 0, or MIN_BOOTSTRAP to MAX_BOOTSTRAP. */
function bootstrapFlag(text: string): number {
  const b = wholeFlag("--bootstrap", text, 0, MAX_BOOTSTRAP)!;
  if (b > 0 && b < MIN_BOOTSTRAP) {
    throw new FlagError(`--bootstrap must be 0 (no intervals) or from ${MIN_BOOTSTRAP} to ${groupDigits(MAX_BOOTSTRAP)}, got ${b}: fewer replicates cannot place a 95% interval's ends inside them`);
  }
  return b;
}

export const fitCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("traces", { type: "string", array: true, demandOption: true, default: undefined, describe: "trace files (JSON lines) or folders of .jsonl files" })
      .option("format", { choices: FORMATS, default: "agentsim" as const, describe: "agentsim: run --trace output; claude-code: ~/.claude/projects logs (tokens only)" })
      .option("out", { type: "string", requiresArg: true, describe: "write the fitted scenario (YAML) here; from Claude Code logs without --prices, its tokens and caching fragment" })
      .option("prices", { type: "string", requiresArg: true, describe: "scenario that prices the models and supplies what the logs do not estimate" })
      .option("bootstrap", { type: "string", default: "1000", requiresArg: true, describe: `bootstrap replicates for the 95% intervals and the decision (0: none; else ${MIN_BOOTSTRAP} to ${MAX_BOOTSTRAP})` })
      .option("seed", { type: "string", default: "1", requiresArg: true, describe: "seed of the bootstrap's resampling" })
      .option("threads", { type: "string", default: String(defaultThreads()), requiresArg: true, describe: "worker threads for the bootstrap" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of tables" }) as never,
  handler: async (flags) => {
    const args: Parsed = {
      ...flags,
      bootstrap: bootstrapFlag(flags.bootstrap),
      threads: threadsFlag(flags.threads),
      seed: seedFlag(flags.seed)!,
      out: textFlag("--out", flags.out),
      prices: textFlag("--prices", flags.prices),
    };
    if (args.out !== undefined) await checkOutput(args.out, "--out", [...inputFiles(args.traces), ...(args.prices ? [args.prices] : [])]);
    if (args.format === "claude-code") return fitClaudeCodeCommand(cli, args);
    if (args.out && !args.prices) {
      throw new FlagError(
        `--out needs --prices <scenario>: a trace has no prices, and the scenario must price every model it names ` +
          `(the fitted keys replace that scenario's; everything else is kept)`,
      );
    }
    const prices = args.prices ? await openScenario(args.prices) : null;
    const records = readTraceFiles(expandLogPaths(args.traces));
    const runs = assembleRuns(records);
    const pool = args.bootstrap > 0 ? new FitPool(Math.min(args.threads, Math.ceil(args.bootstrap / REPLICATES_PER_TASK))) : null;
    const progress = progressBar(cli.stderr, "bootstrap", "replicates");
    let report: FitReport;
    try {
      report = await fitRuns(runs, {
        bootstrap: args.bootstrap,
        seed: args.seed,
        prices: prices && { file: prices.file, raw: prices.raw },
        runner: pool ? pool.runner : () => Promise.resolve([]),
        onProgress: progress.update,
      });
    } finally {
      progress.stop();
      await pool?.close();
    }
    if (args.out) {
      checkWritableRates(report.parameters);
      await writeAtomically(args.out, scenarioYaml(report.scenario!, scenarioHeader(report, args.traces, args.prices!)), "--out");
    }
    cli.stdout.write(args.json ? toJson(fitJson(report, args.out ?? null)) + "\n" : formatFit(report, args.out ?? null, terminalWidth(cli.stdout)));
  },
});

function scenarioHeader(report: FitReport, traces: string[], prices: string): string[] {
  return [
    `Fitted by agentsim fit from ${groupDigits(report.runs)} ${noun(report.runs, "run")} in ${traces.join(", ")};`,
    `prices and every key the traces do not estimate from ${prices}. Estimated keys:`,
    ...report.parameters.filter((p) => p.value !== null).map((p) => `  ${p.key}`),
  ];
}

/** --json: the contract's parameters and decision, with the counts and notes beside them. */
function fitJson(report: FitReport, out: string | null) {
  const { scenario: _scenario, tokens, ...rest } = report;
  return {
    format: "agentsim",
    ...rest,
    tokens: tokensJson(tokens),
    out,
  };
}

/** The token summaries as --json gives them: count, mean, cv and whether the value is constant, without the values. */
function tokensJson(tokens: Record<string, TokenSummary | null>) {
  return Object.fromEntries(Object.entries(tokens).map(([k, t]) => [k, t && { count: t.count, mean: t.mean, cv: t.cv, constant: t.values === null }]));
}

/** A number for people: whole tokens with separators from 1,000 on, else 4 significant digits. */
const value = (x: number | null) => (x !== null && Math.abs(x) >= 1000 ? groupDigits(Math.round(x)) : num(x));

const interval = (p: { ciLow: number | null; ciHigh: number | null }) => (p.ciLow === null ? "-" : `${value(p.ciLow)} .. ${value(p.ciHigh)}`);

/** The estimates' columns; what each is estimated from goes when the table is too wide (--json keeps it). */
const PARAMETER_COLUMNS: Column<ParameterRow>[] = [
  { head: "parameter", cell: (p) => p.key },
  { head: "estimate", numeric: true, cell: (p) => (p.value === null ? "not identified" : value(p.value)) },
  { head: "95% interval", numeric: true, cell: interval },
  { head: "from", drop: 1, cell: (p) => (p.value === null ? "" : p.basis) },
];

/** The table of bug counts per generation, with the Poisson test of each generator's. */
const BUG_COUNT_COLUMNS: Column<FitReport["bugCounts"][number]>[] = [
  { head: "generator", cell: (c) => c.generator },
  { head: "runs", numeric: true, cell: (c) => groupDigits(c.runs) },
  { head: "mean", numeric: true, cell: (c) => num(c.mean) },
  { head: "variance", numeric: true, cell: (c) => num(c.variance) },
  { head: "D", numeric: true, cell: (c) => num(c.dispersion) },
  {
    head: "Poisson test",
    cell: (c) =>
      c.form === "constant" ? "constant count" : `p ${c.pValue === null ? "= -" : c.pValue < 1e-4 ? "< 0.0001" : `= ${c.pValue.toPrecision(2)}`}: ${c.form === "poisson" ? "fits" : `rejected (${c.form})`}`,
  },
];

function fitDecisionText(report: FitReport, width: number): string {
  // each context's line wrapped under its text: "  shared  strong-first is ..."
  const line = (context: string, text: string) => wrap(text, width, `  ${context.padEnd(7)} `, " ".repeat(10)).join("\n") + "\n";
  const d = report.decision;
  if (!d) return `${wrap("Decision: needs prices (--prices <scenario>): a trace has none.", width).join("\n")}\n`;
  let out = `${wrap(`Decision by closed-form expected cost per run (prices from ${d.prices}):`, width).join("\n")}\n`;
  for (const c of d.contexts) {
    const costs = c.costs
      .filter((x) => x.expectedCost !== null)
      .map((x) => `${x.strategy} ${money(x.expectedCost)}`)
      .join(", ");
    // strategies without a closed form are named, with the first one's reason, never dropped in silence
    const without = c.costs.filter((x) => x.expectedCost === null);
    const missing = without.length
      ? `${listed(without.map((x) => x.strategy))} ${without.length === 1 ? "has" : "have"} no closed form (${without[0]!.strategy}: ${without[0]!.reason ?? "no closed form"})`
      : "";
    if (c.cheapest === null) {
      out += line(c.context, `no strategy has a closed form here: ${missing}`);
      continue;
    }
    const aside = missing ? `; ${missing}` : "";
    const tied = c.tied.length > 0 ? `, tied with ${listed(c.tied)},` : "";
    if (!c.confidence) {
      out += line(c.context, `${c.cheapest}${tied} is the cheapest in the fitted scenario (${costs})${aside}; --bootstrap B says how sure that is`);
      continue;
    }
    const ranked = c.confidence.filter((x) => x.share > 0);
    const others = ranked.slice(1).map((x) => `${x.strategy} ${percent(x.share, 1)}`);
    if (c.undecided) others.push(`no closed form ${percent(c.undecided, 1)}`);
    if (c.outOfBounds) others.push(`no valid scenario ${percent(c.outOfBounds, 1)}`);
    // a replicate whose cheapest ties counts for the first of the tied strategies: say how often
    if (c.tiedShare) others.push(`the cheapest tied with another strategy in ${percent(c.tiedShare, 1)}`);
    const atEstimates = `in the fitted scenario: ${costs}${c.tied.length > 0 ? ` (${c.cheapest} tied with ${listed(c.tied)})` : ""}`;
    const top = ranked[0];
    if (!top) {
      out += line(c.context, `no bootstrap replicate names a cheapest strategy (${others.join(", ")}); ${atEstimates}${aside}`);
      continue;
    }
    out += line(c.context, `${top.strategy} is the cheapest in ${percent(top.share, 1)} of plausible worlds${others.length ? ` (${others.join(", ")})` : ""}; ${atEstimates}${aside}`);
  }
  return out;
}

export function formatFit(report: FitReport, out: string | null, width = 100): string {
  const b = report.bootstrap;
  const head = [
    `Fitted from ${groupDigits(report.runs)} ${noun(report.runs, "run")} (${groupDigits(report.strata)} strategy/context group${report.strata === 1 ? "" : "s"}` +
      (report.units < report.runs ? `; resampled as ${groupDigits(report.units)}, a strategy's runs of one index in both contexts together` : "") +
      `): ` +
      `${groupDigits(report.bugs)} bugs, ${groupDigits(report.fixAttempts)} fix attempts.`,
    b ? `95% intervals: percentile bootstrap over runs, B = ${groupDigits(b.replicates)}, seed ${b.seed}.` : `No intervals (--bootstrap 0).`,
  ];
  let text = `${head.flatMap((sentence) => wrap(sentence, width)).join("\n")}\n`;
  text += `\n${fitDecisionText(report, width)}\n${plainTable(PARAMETER_COLUMNS, report.parameters, { width, wide: false })}\n`;
  const counts = report.bugCounts;
  text += `\nBugs per generation:\n\n`;
  text += plainTable(BUG_COUNT_COLUMNS, counts, { width, wide: false });
  text += `\n\n${wrap("D = variance / mean; under a Poisson law (runs - 1) D is chi-square with runs - 1 degrees of freedom (two-sided test at 5%).", width).join("\n")}\n`;
  if (report.notes.length) text += `\nNotes:\n${report.notes.map((n) => wrap(n, width, "  - ", "    ").join("\n")).join("\n")}\n`;
  if (out) text += `\n${wrap(`Wrote ${unbroken(oneLine(out))}: agentsim analytic ${unbroken(oneLine(out))}, agentsim run ${unbroken(oneLine(out))}`, width, "", "  ").join("\n")}\n`;
  return text;
}

/** The files `fit` reads, for the check that --out is none of them (paths it cannot expand are reported later). */
function inputFiles(paths: string[]): string[] {
  try {
    return expandLogPaths(paths);
  } catch {
    return paths;
  }
}

async function fitClaudeCodeCommand(cli: Cli, args: Parsed): Promise<void> {
  const files = expandLogPaths(args.traces);
  const prices = args.prices ? await openScenario(args.prices) : null;
  const report = fitClaudeCode(readUsageLogs(files), files.length, { bootstrap: args.bootstrap, seed: args.seed });
  if (args.out) {
    const header = [`Tokens and caching fitted by agentsim fit --format claude-code from ${files.length} log file(s).`];
    if (prices) {
      const { merged, notes } = mergeFragment({ file: prices.file, raw: prices.raw }, report.fragment);
      report.notes.push(...notes);
      await writeAtomically(args.out, scenarioYaml(merged, [...header, `Everything else from ${prices.file}.`]), "--out");
    } else {
      await writeAtomically(args.out, scenarioYaml(report.fragment, [...header, `A fragment: merge it into a scenario, or pass --prices <scenario> to write a whole one.`]), "--out");
    }
  }
  cli.stdout.write(args.json ? toJson({ format: "claude-code", ...claudeCodeJson(report), out: args.out ?? null }) + "\n" : formatClaudeCode(report, args.out ?? null, terminalWidth(cli.stdout)));
}

/** Scenario keys go to `parameters`, the observed shares to `observed`. */
function claudeCodeJson(report: ClaudeCodeReport) {
  const { estimates, tokens, ...rest } = report;
  return {
    ...rest,
    parameters: estimates.filter((e) => e.key.includes(".")),
    observed: estimates.filter((e) => !e.key.includes(".")),
    tokens: tokensJson(tokens),
  };
}

type Estimate = ClaudeCodeReport["estimates"][number];

/** The token estimates of Claude Code logs, by scenario key. */
const TOKEN_COLUMNS: Column<Estimate>[] = [
  { head: "scenario key", cell: (e) => e.key },
  { head: "estimate", numeric: true, cell: (e) => (e.value === null ? "not identified" : `${value(e.value)}${e.key.startsWith("tokens.") ? " tokens" : ""}`) },
  { head: "95% interval", numeric: true, cell: interval },
];

const pct = (x: number | null) => (x === null ? "-" : percent(x, 1));

/** The caching shares observed in Claude Code logs. */
const SHARE_COLUMNS: Column<Estimate>[] = [
  { head: "caching", cell: (e) => SHARE_LABELS[e.key] ?? e.key },
  { head: "share", numeric: true, cell: (e) => pct(e.value) },
  { head: "95% interval", numeric: true, cell: (e) => (e.ciLow === null ? "-" : `${pct(e.ciLow)} .. ${pct(e.ciHigh)}`) },
];

const SHARE_LABELS: Record<string, string> = {
  cacheReadShare: "input read from the cache",
  cacheWriteShare: "input written to the cache",
  uncachedShare: "input not cached",
  oneHourWriteShare: "cache writes kept 1 hour (vs 5 minutes)",
};

export function formatClaudeCode(report: ClaudeCodeReport, out: string | null, width = 100): string {
  const lines = (sentence: string) => wrap(sentence, width).join("\n") + "\n";
  let text =
    lines(
      `Claude Code logs: ${groupDigits(report.requests)} ${noun(report.requests, "request")} in ${groupDigits(report.conversations)} ` +
        `conversation${report.conversations === 1 ? "" : "s"} (${report.files} file${report.files === 1 ? "" : "s"}).`,
    ) +
    lines(
      report.bootstrap
        ? `95% intervals: percentile bootstrap over conversations, B = ${groupDigits(report.bootstrap.replicates)}, seed ${report.bootstrap.seed}.`
        : `No intervals (--bootstrap 0).`,
    );
  const tokens = report.estimates.filter((e) => e.key.includes("."));
  const shares = report.estimates.filter((e) => !e.key.includes("."));
  const fit = { width, wide: false };
  text += `\n${plainTable(TOKEN_COLUMNS, tokens, fit)}\n`;
  text += `\n${plainTable(SHARE_COLUMNS, shares, fit)}\n`;
  // a log's model id is whatever the log says: one longer than the room it has is shortened in
  // its middle (--json has it whole); as a table, the room the other columns leave, as a list (a
  // narrow terminal), a line
  const modelColumns = (room: number): Column<ClaudeCodeReport["models"][number]>[] => [
    { head: "model", cell: (m) => shortenMiddle(m.model, room) },
    { head: "requests", numeric: true, cell: (m) => groupDigits(m.requests) },
    { head: "mean output", numeric: true, cell: (m) => `${value(m.meanOutput)} tokens` },
  ];
  let room = Math.max(20, width - 30);
  let models = plainTable(modelColumns(room), report.models, { ...fit, list: false });
  if (textWidth(models) > width) [room, models] = [width, plainTable(modelColumns(width), report.models, fit)];
  const shortened = report.models.some((m) => textWidth(m.model) > room);
  text += `\n${models}\n`;
  if (shortened) text += `${wrap("(A model id longer than the terminal leaves room for is shortened in its middle; --json has it whole.)", width).join("\n")}\n`;
  const c = report.fragment.caching;
  text += `\n${wrap(`Scenario caching, at Anthropic's ratios to the input price: readMultiplier ${c.readMultiplier}, writeMultiplier ${num(c.writeMultiplier as number)}${c.ttlSeconds ? `, ttlSeconds ${c.ttlSeconds}` : ""}`, width, "", "  ").join("\n")}\n`;
  if (report.notes.length) text += `\nNotes:\n${report.notes.map((n) => wrap(n, width, "  - ", "    ").join("\n")).join("\n")}\n`;
  if (out) text += `\n${wrap(`Wrote ${unbroken(oneLine(out))}`, width).join("\n")}\n`;
  return text;
}
