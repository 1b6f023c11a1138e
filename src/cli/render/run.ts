/**
 * What `agentsim run` prints: the decision, then a compact table (strategy, who generates and
 * who fixes, mean, its 95% interval, p90, closed form, verdict) that fits the terminal; with
 * --wide also p50, p99, relative error and z, the table of the extensions' outputs and
 * P(cheaper) for every pair.
 */
import { oneLine } from "../../errors.js";
import type { Decision } from "../../decision/decision.js";
import { pairLabel, type StrategyModels } from "../../decision/describe.js";
import type { Evaluation, SimResult } from "../../evaluate/evaluate.js";
import { COST_PARTS, type ModelCost } from "../../model/strategy.js";
import { usesExtensions } from "../../scenario/extensions.js";
import { RUNGS_SHOWN } from "../../scenario/ladder.js";
import type { Scenario } from "../../scenario/types.js";
import { Z_THRESHOLD } from "../../stats/check.js";
import { groupDigits, listed } from "../../text.js";
import { money, num, percent, percentStrict, seconds, table, tooFewRunsNote, closedForm, zText } from "../../render/format.js";
import { decisionLines } from "../../render/decision.js";
import { GLUE, sectionTable, wrap, type Column, type FitOptions } from "./layout.js";

export interface RunView {
  scenario: Scenario;
  /** the scenario file as given on the command line */
  file: string;
  trials: number;
  seed: string;
  evaluation: Evaluation;
  decision: Decision;
  timing: { seconds: number; threads: number };
}

/** Labels longer than this (long ladders) are shortened in tables; the Ladders table spells them out. */
const PAIR_WIDTH = 30;

/**
 * "strong -> weak", under a two-line header so that the column is no wider than its cells; a long
 * ladder is shortened to the models it climbs through ("executor -> executor > advisor > executor"),
 * or where that is long to its fixers with the models it consults in brackets ("executor ->
 * executor (advisor)"), or where that is long too to its first and last ("weak -> weak..strong").
 */
export const PAIR_COLUMN: Column<StrategyModels> = {
  head: "generator\n-> fixer",
  // the last to go when the terminal is narrow: the strategy's name stays, and the decision says who fixes
  drop: 0,
  cell: (r) => {
    const label = pairLabel(r);
    // a single fixer (long model names) is its label: there is no range of models to shorten to
    if (label.length <= PAIR_WIDTH || !r.ladder || r.fixer !== null) return label;
    const rungs = r.ladder.split(" > ").map((x) => ({ consult: x.startsWith("consult "), model: x.replace(/^consult /, "").replace(/[* ].*$/, "") }));
    const models = rungs.map((x) => x.model);
    // the models in turn, a model's rungs in a row once: an advisor between two executor rungs stays in sight
    const inTurn = (ms: string[]) => ms.filter((m, i) => i === 0 || m !== ms[i - 1]);
    const through = `${r.generator} -> ${inTurn(models).join(" > ")}`;
    if (through.length <= PAIR_WIDTH && through.length < label.length) return through;
    const consulted = [...new Set(rungs.filter((x) => x.consult).map((x) => x.model))];
    const fixers = inTurn(rungs.filter((x) => !x.consult).map((x) => x.model));
    const advised = `${r.generator} -> ${fixers.join(" > ")} (${consulted.join(", ")})`;
    if (consulted.length > 0 && advised.length <= PAIR_WIDTH && advised.length < label.length) return advised;
    const short = `${r.generator} -> ${models[0]}..${models[models.length - 1]}`;
    return short.length < label.length ? short : label;
  },
};

/** The columns of the run table; "all fixed" and "per completed run" only where runs end incomplete. */
function runColumns(incomplete: boolean): Column<SimResult>[] {
  const completion: Column<SimResult>[] = [
    { head: "all bugs\nfixed", numeric: true, cell: (r) => percentStrict(r.allFixedFraction, 1) },
    { head: "per completed\nrun", numeric: true, drop: 3, cell: (r) => money(r.costPerCompletedRun ?? Infinity) },
  ];
  return [
    { head: "strategy", cell: (r) => r.strategy },
    PAIR_COLUMN,
    { head: "mean", numeric: true, cell: (r) => money(r.mean) },
    { head: "95% interval", drop: 2, cell: (r) => (r.ciLow === null ? "none (heavy tail)" : `${money(r.ciLow)}..${money(r.ciHigh)}`) },
    { head: "p50", numeric: true, wide: true, cell: (r) => money(r.p50) },
    { head: "p90", numeric: true, drop: 1, cell: (r) => money(r.p90) },
    { head: "p99", numeric: true, wide: true, cell: (r) => money(r.p99) },
    ...(incomplete ? completion : []),
    { head: "closed\nform", numeric: true, drop: 4, cell: (r) => closedForm(r) },
    { head: "rel.\nerror", numeric: true, wide: true, cell: (r) => percent(r.relError, 3) },
    { head: "z", numeric: true, wide: true, cell: (r) => zText(r.z) },
    { head: "verdict", drop: 5, cell: (r) => r.verdict },
  ];
}

/** Results grouped by context, in the scenario's order. */
export function byContext<R extends { context: string }>(scenario: Scenario, results: R[]) {
  return scenario.contexts.map((ctx) => ({ title: ctx, rows: results.filter((r) => r.context === ctx) }));
}

/**
 * "no closed form for a/shared, b/fresh: why" lines, one per distinct reason ("for any strategy"
 * when it is all of them); of the cost by default, or of `what` ("the attempts of ") by `reasonOf`.
 */
export function noClosedFormNotes<R extends { strategy: string; context: string; reason: string | null }>(
  results: R[],
  width: number,
  reasonOf: (r: R) => string | null = (r) => r.reason,
  what = "",
): string[] {
  const reasons = [...new Set(results.flatMap((r) => reasonOf(r) ?? []))];
  return reasons.flatMap((why) => {
    const mine = results.filter((r) => reasonOf(r) === why);
    const where = mine.length === results.length ? "any strategy" : mine.map((r) => `${r.strategy}/${r.context}`).join(", ");
    return wrap(`no closed form for ${what}${where}: ${why}`, width, "", "  ");
  });
}

export function formatRun(view: RunView, fit: FitOptions): string {
  const { scenario, evaluation, trials, timing } = view;
  const { results } = evaluation;
  const lines = decisionLines(view.decision, results, fit.width);
  lines.push("");
  const threads = `${timing.threads} thread${timing.threads === 1 ? "" : "s"}`;
  const about =
    `Scenario ${scenario.name} (${oneLine(view.file)}): ${groupDigits(trials)} runs per strategy and context, ` +
    `seed ${view.seed}, ${threads}, ${timing.seconds.toFixed(2)}${GLUE}s`;
  lines.push(...wrap(about, fit.width), "");
  // a completion column only where some strategy falls short of 100%
  const incomplete = results.some((r) => r.allFixedFraction < 1);
  const table = sectionTable(runColumns(incomplete), byContext(scenario, results), fit);
  lines.push(table, "");
  lines.push(...noClosedFormNotes(results, fit.width));
  lines.push(...divergenceNotes(results, fit.width));
  // a check is a simulated mean against its closed form: a result without one has none, nor has
  // one whose cost's variance (or mean) is infinite, which no standard error can judge
  const tooFew = results.filter((r) => r.verdict === "too few runs").length;
  const checks = results.filter((r) => r.analyticMean !== null && r.verdict !== "infinite variance" && r.verdict !== "infinite mean").length;
  if (tooFew > 0) lines.push(...wrap(`${tooFew} of ${checks} checks not judged: ${tooFewRunsNote}`, fit.width));
  // where the verdict column went for the width, the verdicts in a line: an inconsistent check went unseen (a recheck)
  const verdictShown = /\bverdict\b/.test(table.split("\n", 3).join("\n"));
  const inconsistent = results.filter((r) => r.verdict === "inconsistent");
  if (!verdictShown && checks - tooFew > 0) {
    const judged = checks - tooFew;
    const said = inconsistent.length
      ? `${inconsistent.length} of ${judged} checks inconsistent with the closed form: ${inconsistent.map((r) => `${r.strategy}/${r.context}`).join(", ")}`
      : `${judged === 1 ? "The check is" : `All ${judged} checks are`} consistent with the closed form${judged === 1 ? "" : "s"}`;
    lines.push(...wrap(`${said} (the verdict column did not fit; --wide shows it).`, fit.width));
  }
  const ladders = ladderTable(results, fit.width);
  // one blank line before it: the table above ends with one when no note follows it
  if (ladders) lines.push(...(lines.at(-1) === "" ? [] : [""]), ladders);
  const verdict = `verdict: consistent when |z| <= ${Z_THRESHOLD} after correcting z for the skewness of the costs`;
  if (!fit.wide) {
    // the verdict's rule where the table shows verdicts: not where no strategy has a closed form,
    // nor where the column went for the width
    const judged = results.some((r) => r.analyticMean !== null) && verdictShown;
    // what --wide adds here: no P(cheaper) matrix for one strategy, no extensions' table without them
    const adds = [
      "p50, p99, z and relative error",
      ...(usesExtensions(scenario) ? ["the extensions' outputs"] : []),
      "the cost by model",
      ...(scenario.strategies.length > 1 ? ["P(cheaper) for every pair"] : []),
    ];
    const hint = `${judged ? `${verdict}. ` : ""}--wide adds ${listed(adds)}.`;
    lines.push(...wrap(hint, fit.width));
    return lines.join("\n") + "\n";
  }
  lines.push(...wrap("rel. error = (mean - closed form) / closed form; z = (mean - closed form) / standard error;", fit.width), ...wrap(verdict, fit.width));
  let out = lines.join("\n") + "\n";
  if (usesExtensions(scenario)) out += extensionTable(results, fit.width);
  out += modelCostTable(results, "simulated");
  out += comparisonMatrices(scenario, evaluation, fit.width);
  return out;
}

/**
 * Where the expected cost is infinite (a beta rate with a <= 2), the simulated mean is no
 * estimate of anything: say so, with the means of the two halves of the runs.
 */
function divergenceNotes(results: SimResult[], width: number): string[] {
  const variance = [...new Set(results.flatMap((r) => (r.varianceReason ? [r.varianceReason] : [])))].flatMap((why) => {
    const where = results.filter((r) => r.varianceReason === why).map((r) => `${r.strategy}/${r.context}`).join(", ");
    return wrap(`${where}: ${why}; the simulated mean converges slowly and its interval and z mean nothing, so there is no verdict.`, width, "", "  ");
  });
  return variance.concat(results.flatMap((r) =>
    r.halfMeans
      ? wrap(
          `${r.strategy}/${r.context}: the expected cost is infinite, so the simulated mean does not converge ` +
            `(first half of the runs ${money(r.halfMeans[0])}, second half ${money(r.halfMeans[1])}); the quantiles still hold.`,
          width,
          "",
          "  ",
        )
      : [],
  ));
}

type Rung = { rung: number; kind: string; model: string; reachFraction: number; attemptsPerRun: number };

/**
 * The columns of the Ladders table: a rung and who acts on it ("2 advisor advises"), how many bugs
 * reach it, its attempts per run (an advising rung's are its consults). Narrow enough for 40
 * columns: the number and the model share a column.
 */
const RUNG_COLUMNS: Column<Rung>[] = [
  { head: "rung", cell: (g) => `${g.rung + 1} ${g.model} ${g.kind === "fix" ? "fixes" : "advises"}` },
  { head: "bugs\nreaching", numeric: true, cell: (g) => percentStrict(g.reachFraction, 1) },
  { head: "attempts\nper run", numeric: true, cell: (g) => num(g.attemptsPerRun) },
];

/** How far bugs climb each ladder: per rung, the share of bugs reaching it and its attempts (consults) per run; a section per strategy and context. */
export function ladderTable(results: { strategy: string; context: string; rungs: Rung[] | null }[], width = 100): string | null {
  const climbing = results.filter((r) => r.rungs && r.rungs.length > 1);
  if (climbing.length === 0) return null;
  const sections = climbing.map((r) => ({ title: `${r.strategy} (${r.context})`, rows: r.rungs!.slice(0, RUNGS_SHOWN) }));
  const notes = [
    ...(climbing.some((r) => r.rungs!.some((g) => g.kind !== "fix")) ? ["An advising rung's attempts are its consults."] : []),
    ...(climbing.some((r) => r.rungs!.length > RUNGS_SHOWN) ? [`A ladder's first ${RUNGS_SHOWN} rungs are shown; --json lists every rung.`] : []),
  ];
  const note = notes.length ? `\n${notes.flatMap((n) => wrap(n, width)).join("\n")}\n` : "";
  return `Ladders:\n\n${sectionTable(RUNG_COLUMNS, sections, { width, wide: false })}\n${note}`;
}

/** Each model's share of a run's cost, by COST_PARTS (generation, uncached input, cache writes, cache reads, output) and in total. */
export function modelCostTable(results: { strategy: string; context: string; costByModel: Record<string, ModelCost> | null }[], what: string): string {
  const rows = results.flatMap((r) =>
    Object.entries(r.costByModel ?? {}).map(([model, c], i) => [
      i === 0 ? r.strategy : "", i === 0 ? r.context : "", model,
      ...COST_PARTS.map((part) => money(c[part.key])), money(c.total),
    ]),
  );
  if (rows.length === 0) return "";
  const head = ["strategy", "context", "model", ...COST_PARTS.map((part) => part.short), "total"];
  return `\nCost by model, $ per run (${what}):\n\n${table(head, rows, new Set(head.slice(3)))}\n`;
}

function extensionTable(results: SimResult[], width: number): string {
  const head = ["strategy", "context", "base formula", "bias", "attempts", "bugs", "all fixed", "wall mean", "wall p90", "cache hits"];
  const rows = results.map((r) => [
    r.strategy, r.context, money(r.baseMean), percent(r.bias),
    `${num(r.meanAttempts)} (${num(r.expectedAttempts)})`, `${num(r.meanBugs)} (${num(r.expectedBugs)})`,
    percentStrict(r.allFixedFraction, 1), `${seconds(r.meanWallSeconds)} (${seconds(r.expectedWallSeconds)})`, seconds(r.p90WallSeconds),
    `${percentStrict(r.cacheHitRate, 1)} (${percentStrict(r.expectedCacheHitRate, 1)})`,
  ]);
  // a column with nothing in any row (no time model: the wall seconds) says nothing
  const empty = (j: number) => rows.every((row) => /^-( \(-\))?$/.test(row[j]!));
  const kept = head.map((_, j) => j).filter((j) => !empty(j));
  const shown = kept.map((j) => head[j]!);
  return (
    `\n${wrap("Assumptions dropped (simulated, closed form in parentheses; bias = sim mean vs the base formula):", width).join("\n")}\n\n` +
    table(shown, rows.map((row) => kept.map((j) => row[j]!)), new Set(shown.slice(2))) +
    "\n"
  );
}

/** P(row strategy is cheaper than column strategy in a run), one matrix per context. */
function comparisonMatrices(scenario: Scenario, { results, comparisons }: Evaluation, width: number): string {
  const names = [...new Set(results.map((r) => r.strategy))];
  if (names.length < 2) return "";
  let out = `\n${wrap("P(row strategy is cheaper than column strategy in a run; a tie counts half):", width).join("\n")}\n`;
  for (const ctx of scenario.contexts) {
    const cell = (a: string, b: string) =>
      a === b ? "-" : percentStrict(comparisons.find((c) => c.context === ctx && c.a === a && c.b === b)?.probabilityCheaper, 1);
    out += `\n${table([ctx, ...names], names.map((a) => [a, ...names.map((b) => cell(a, b))]), new Set(names))}\n`;
  }
  return out;
}
