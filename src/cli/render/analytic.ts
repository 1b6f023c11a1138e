/**
 * What `agentsim analytic` prints: the decision by expected cost, then the closed forms per
 * context (expected cost, attempts and the breakdown); with --wide also the attempt variance and
 * each fixer's fix phase on the same bugs.
 */
import { oneLine } from "../../errors.js";
import type { AnalyticDecision } from "../../decision/decision.js";
import type { AnalyticResult, FixerComparison } from "../../model/strategy.js";
import type { Scenario } from "../../scenario/types.js";
import { money, num, table, closedForm } from "../../render/format.js";
import { analyticDecisionLines } from "../../render/decision.js";
import { sectionTable, wrap, type Column, type FitOptions } from "./layout.js";
import { PAIR_COLUMN, byContext, ladderTable, modelCostTable, noClosedFormNotes } from "./run.js";
import { listed } from "../../text.js";

const ANALYTIC_COLUMNS: Column<AnalyticResult>[] = [
  { head: "strategy", cell: (r) => r.strategy },
  PAIR_COLUMN,
  { head: "E[cost]", numeric: true, cell: (r) => closedForm(r) },
  { head: "attempts", numeric: true, drop: 1, cell: (r) => num(r.expectedAttempts) },
  { head: "attempt\nvariance", numeric: true, wide: true, cell: (r) => num(r.attemptVariance) },
  // the breakdown's four parts add up to E[cost]: shown all, or none
  { head: "generation", numeric: true, drop: 2, cell: (r) => money(r.breakdown?.generation) },
  { head: "fix input\nnew", numeric: true, drop: 2, cell: (r) => money(r.breakdown?.fixInputNew) },
  { head: "fix input\ncached", numeric: true, drop: 2, cell: (r) => money(r.breakdown?.fixInputCached) },
  { head: "fix\noutput", numeric: true, drop: 2, cell: (r) => money(r.breakdown?.fixOutput) },
];

export function formatAnalytic(
  scenario: Scenario,
  results: AnalyticResult[],
  decision: AnalyticDecision,
  fixerComparisons: readonly FixerComparison[],
  file: string,
  fit: FitOptions,
): string {
  const lines = analyticDecisionLines(decision, results, fit.width);
  lines.push("", ...wrap(`Scenario ${scenario.name} (${oneLine(file)}): closed-form expected cost per run`, fit.width), "");
  lines.push(sectionTable(ANALYTIC_COLUMNS, byContext(scenario, results), fit), "");
  lines.push(...noClosedFormNotes(results, fit.width));
  // attempts withheld for another reason than the cost's (a window, where the cost names a TTL)
  lines.push(...noClosedFormNotes(results, fit.width, (r) => (r.attemptsReason !== r.reason ? r.attemptsReason : null), "the attempts of "));
  const ladders = ladderTable(results, fit.width);
  // one blank line before it: the table above ends with one when no note follows it
  if (ladders) lines.push(...(lines.at(-1) === "" ? [] : [""]), ladders);
  if (!fit.wide) {
    const adds = ["the attempt variance", "the cost by model", ...(fixerComparisons.length > 0 ? ["each fixer's fix phase on the same bugs"] : [])];
    lines.push(...wrap(`--wide adds ${listed(adds)}.`, fit.width));
    return lines.join("\n") + "\n";
  }
  // one blank line before the next table (the ladder table ends with a line break of its own)
  let out = lines.join("\n").replace(/\n+$/, "") + "\n";
  out += modelCostTable(results, "closed form");
  if (fixerComparisons.length > 0) {
    out += `\n${wrap("Fix phase on the same bugs (E[fix cost]):", fit.width).join("\n")}\n\n`;
    const fixers = fixerComparisons[0]!.fixers.map((f) => f.fixer);
    const compRows = fixerComparisons.map((c) => [c.bugsOf, c.context, ...c.fixers.map((f) => money(f.fixCost))]);
    out += table(["bugs of", "context", ...fixers], compRows, new Set(fixers)) + "\n";
  }
  return out;
}
