/**
 * The decision in words, first on the screen (run, analytic) and at the top of the report: a
 * headline naming the cheapest strategy and who generates and who fixes in it, then one sentence
 * per context with its numbers. A strategy named cheapest always has its completion beside it
 * when some of its runs end with bugs left.
 */
import { completesLess, firstAfterTies, type AnalyticDecision, type Candidate, type Choice, type Decision, type MeanChoice } from "../decision/decision.js";
import { rolesText, type StrategyModels } from "../decision/describe.js";
import type { Context } from "../scenario/types.js";
import { money, percentStrict } from "./format.js";
import { listed } from "../text.js";
import { wrap } from "./wrap.js";

/** The strategies of the results, by name (each result row names its models). */
export type Roster = (StrategyModels & { strategy: string })[];

/** One context's answer: the cheapest strategy, those that cost the same, and the sentence that backs it. */
interface ContextAnswer {
  context: Context;
  best: Candidate | null;
  tied: string[];
  sentence: string;
}

/** ", tied with b[ and c]" where others cost the same as the cheapest, else "". */
function tiedWith(tied: readonly string[]): string {
  return tied.length > 0 ? `, tied with ${listed(tied)}` : "";
}

/** The other strategies cheapest with `name` by this choice (tied with it), or null when `name` is not among the cheapest. */
function cheapestBeside(choice: Choice, name: string): string[] | null {
  const cheapest = [choice.best.strategy, ...choice.tied];
  return cheapest.includes(name) ? cheapest.filter((other) => other !== name) : null;
}

/** ", completing 72.6% of runs" when some runs end incomplete, what is not known where the closed forms do not say, else "". */
function completing(c: Candidate): string {
  if (c.completion === null) return ", with no closed form for the share of runs it completes";
  return completesLess(c) ? `, completing ${percentStrict(c.completion, 1)} of runs` : "";
}

/** "strong-first (strong generates, weak fixes[, completing 72.6% of runs])" */
function named(c: Candidate, roster: Roster): string {
  const models = roster.find((s) => s.strategy === c.strategy);
  return `${c.strategy} (${models ? rolesText(models) : "?"}${completing(c)})`;
}

/**
 * The headline: one strategy cheapest everywhere, or the cheapest of each context (`none` where no
 * context has one). A measure with an aside ("by expected cost, of those with a closed form")
 * closes it with a comma before "in both contexts", not before the colon of the other form.
 */
function headline(measure: string, answers: ContextAnswer[], roster: Roster, none: string): string {
  const chosen = answers.filter((a) => a.best !== null);
  if (chosen.length === 0) return none;
  const names = new Set(chosen.map((a) => a.best!.strategy));
  if (names.size === 1 && chosen.length === answers.length) {
    const where = answers.length === 1 ? `the ${answers[0]!.context} context` : answers.length === 2 ? "both contexts" : "every context";
    const first = chosen[0]!.best!;
    const incomplete = chosen.flatMap((a) => (completesLess(a.best!) ? [{ context: a.context, completion: a.best!.completion! }] : []));
    const unknown = chosen.filter((a) => a.best!.completion === null).map((a) => a.context);
    const models = roster.find((s) => s.strategy === first.strategy);
    const roles = models ? rolesText(models) : "?";
    const note =
      (incomplete.length ? `; it fixes every bug in only ${incomplete.map((a) => `${percentStrict(a.completion, 1)} (${a.context})`).join(" and ")} of runs` : "") +
      (unknown.length ? `; the share of its runs that fix every bug${answers.length > 1 ? ` (${unknown.join(" and ")})` : ""} has no closed form (agentsim run measures it)` : "");
    // the same ties everywhere are said once; else each context's, with the context
    const ties = new Set(chosen.map((a) => a.tied.join("\n")));
    const tie =
      ties.size === 1 ? tiedWith(chosen[0]!.tied) : chosen.filter((a) => a.tied.length > 0).map((a) => `${tiedWith(a.tied)} in ${a.context}`).join("");
    // a scenario of one strategy has nothing to be cheapest against ("Cheapest per run: only")
    const lead = new Set(roster.map((s) => s.strategy)).size === 1 ? `The scenario's one strategy, in ${where}` : `Cheapest ${measure}${measure.includes(",") ? "," : ""} in ${where}`;
    return `${lead}: ${first.strategy} (${roles})${tie}${note}.`;
  }
  return `Cheapest ${measure}: ${chosen.map((a) => `in ${a.context}, ${named(a.best!, roster)}${tiedWith(a.tied)}`).join("; ")}.`;
}

/** "b's expected cost is infinite" where the runner-up's is (no savings to say), else null */
function infiniteRunnerUp(choice: Choice): string | null {
  return choice.runnerUp?.value === Infinity ? `${choice.runnerUp.strategy}'s expected cost is infinite` : null;
}

/** "$0.078173 (30.3%) less than strong-strong[ (completing ...)]", or "the same as b" in a tie */
function savingsClause(choice: Choice): string | null {
  if (choice.tied.length > 0) return `the same as ${listed(choice.tied)}`;
  if (choice.savings === null || !choice.runnerUp) return null;
  const share = choice.savingsShare === null ? "" : ` (${percentStrict(choice.savingsShare, 1)})`;
  // the runner-up's completion in brackets: after a comma it read as the cheapest's (a review)
  // (a runner-up's completion without a closed form is said after the savings: see analyticDecisionText)
  const itsCompletion = completesLess(choice.runnerUp) ? ` (which completes ${percentStrict(choice.runnerUp.completion, 1)} of runs)` : "";
  return `${money(choice.savings)}${share} less than ${choice.runnerUp.strategy}${itsCompletion}`;
}

/** The sentence of a simulated context: mean, savings, P(cheaper), p90, cost per completed run. */
function simSentence(d: Decision["contexts"][number]): string {
  const m: MeanChoice = d.byMean;
  if (m.allInfinite) return `every strategy's expected cost is infinite, so none is cheapest by mean; ${p90Clause(d.byP90, null, null)}`;
  // a heavy-tailed best is ranked by its closed form: the number is that, and says so
  const heavyBest = m.heavyTailed.find((h) => h.strategy === m.best.strategy && h.expected !== null);
  const expected = heavyBest
    ? ` expected (its cost has infinite variance, so its simulated mean, ${money(heavyBest.simulated)}, is unreliable)`
    : m.expectedTie !== null ? " expected" : "";
  // costs constant (no spread) and equal: the same in every run, for the strategies tied so; the
  // others tied only by their closed forms (their runs vary) are said to be so
  const same = m.runnerUp !== null && m.savings === 0 && m.savingsLow === 0 && m.savingsHigh === 0;
  const inEveryRun = m.tied.length > 0 ? m.sameInEveryRun : [m.runnerUp?.strategy ?? ""];
  const byClosedForm = m.tied.filter((t) => !inEveryRun.includes(t));
  const parts = [`${money(same ? m.best.value : (m.expectedTie ?? m.best.value))} per run${same && !heavyBest ? "" : expected}${completing(m.best)}`];
  // a best ranked by its closed form against a runner-up ranked by its simulated mean: the savings
  // are between those two, which the table shows in different columns; say which the other is
  const runnerUpSimulated =
    heavyBest && m.runnerUp && m.tied.length === 0 && !m.heavyTailed.some((h) => h.strategy === m.runnerUp!.strategy && h.expected !== null)
      ? ` (its simulated mean, ${money(m.runnerUp.value)})`
      : "";
  const savings = same ? `the same as ${listed(inEveryRun)}${m.tied.length > 0 ? "" : completing(m.runnerUp!)} in every run` : savingsClause(m)?.concat(runnerUpSimulated) ?? null;
  if (same) {
    parts.push(savings! + (byClosedForm.length > 0 ? `, and as ${listed(byClosedForm)} by ${byClosedForm.length > 1 ? "their" : "its"} closed form${simulatedMeansOf(m, byClosedForm)}` : ""));
  } else if (m.expectedTie !== null) {
    parts.push(`the same as ${listed(m.tied)} by their closed forms${simulatedMeans(m)}`);
  } else if (savings) {
    const noise =
      m.distinguishable === false && m.savingsLow !== null
        ? `, which this many runs cannot tell apart (95% interval ${money(m.savingsLow)} to ${money(m.savingsHigh)})`
        : "";
    parts.push(savings + noise);
  } else {
    const infinite = infiniteRunnerUp(m);
    if (infinite) parts.push(infinite);
  }
  if (m.probabilityCheaper !== null && m.runnerUp && !same) {
    const it = savings !== null && (m.expectedTie === null || m.tied.length === 1);
    parts.push(`cheaper than ${it ? "it" : m.runnerUp.strategy} in ${percentStrict(m.probabilityCheaper, 1)} of single runs`);
  }
  parts.push(p90Clause(d.byP90, m.best.strategy, d.p90Apart, d.p90RunnerUpApart));
  const perCompleted = d.byCompletedRun && completedRunClause(d.byCompletedRun, m.best.strategy);
  if (perCompleted) parts.push(perCompleted);
  for (const h of m.heavyTailed.filter((x) => x !== heavyBest)) {
    parts.push(
      h.expected === null
        ? `${h.strategy}'s cost has infinite variance, so its simulated mean is unreliable`
        : `${h.strategy}'s cost has infinite variance, so it is ranked by its expected cost, ${money(h.expected)} (its simulated mean, ${money(h.simulated)}, is unreliable)`,
    );
  }
  return parts.join("; ");
}

/**
 * " (simulated means $0.40509 and $0.40605)": the simulated means of strategies tied in expectation,
 * which differ by sampling noise; "" where one of them is ranked by its closed form (heavy-tailed).
 */
function simulatedMeans(m: MeanChoice): string {
  return simulatedMeansOf(m, [m.best.strategy, ...m.tied]);
}

/** " (simulated means $a and $b)" of the strategies named, in ranking order. */
function simulatedMeansOf(m: MeanChoice, names: readonly string[]): string {
  if (m.heavyTailed.length > 0) return "";
  const shown = m.ranking.filter((c) => names.includes(c.strategy));
  return ` (simulated mean${shown.length > 1 ? "s" : ""} ${listed(shown.map((c) => money(c.value)))})`;
}

/**
 * The p90 said against the cheapest by mean (`cheapest`, or null where there is none): "lowest
 * p90 too", or who is cheapest by p90, and whether the runs can tell the two p90s apart (`apart`,
 * see ContextDecision.p90Apart; `runnerUpApart` for the lowest p90 and the next one). A p90 that
 * prints as the best's is not said to lose to it.
 */
function p90Clause(p90: Choice, cheapest: string | null, apart: boolean | null, runnerUpApart: boolean | null = null): string {
  if (p90.ranking.length === 1) return `p90 ${money(p90.best.value)}`; // the only one: lowest of nothing
  const lowestWith = cheapest === null ? null : cheapestBeside(p90, cheapest);
  if (lowestWith) {
    const next = firstAfterTies(p90);
    const noise = runnerUpApart === false && next ? `, against ${money(next.value)} for ${next.strategy}, which this many runs cannot tell apart` : "";
    return `lowest p90 too (${money(p90.best.value)}${tiedWith(lowestWith)}${noise})`;
  }
  const own = cheapest === null ? null : p90.ranking.find((c) => c.strategy === cheapest)!;
  if (own && money(own.value) === money(p90.best.value)) {
    return `lowest p90 too, to the digits shown (${money(own.value)}, as ${p90.best.strategy}'s)`;
  }
  const against = own ? `, against ${money(own.value)}` : "";
  const noise = apart === false ? ", which this many runs cannot tell apart" : "";
  return `by p90 ${p90.best.strategy} is cheapest (${money(p90.best.value)}${completing(p90.best)}${against}${noise})`;
}

/** The ranking by mean / completion, said against the cheapest per run. */
function completedRunClause(c: Choice, cheapestPerRun: string): string | null {
  if (c.ranking.every((x) => x.completion === 0)) return "no strategy fixes every bug in any run, so none has a cost per completed run";
  if (c.best.value === Infinity) return "no strategy has a finite cost per completed run";
  const others = cheapestBeside(c, cheapestPerRun);
  // the same cheapest, and it and the next one complete every run: their costs per completed run
  // are their means, said already (an audit: a clause that repeated them)
  if (others && others.length === 0 && c.best.completion === 1 && (c.runnerUp === null || c.runnerUp.completion === 1)) return null;
  if (others) {
    const next = others.length > 0 ? tiedWith(others) : c.runnerUp ? `, against ${money(c.runnerUp.value)} for ${c.runnerUp.strategy}` : "";
    return `also cheapest per completed run (mean / completion): ${money(c.best.value)}${next}`;
  }
  const own = c.ranking.find((x) => x.strategy === cheapestPerRun)!;
  return (
    `per completed run (mean / completion) ${c.best.strategy} is cheapest: ${money(c.best.value)}${completing(c.best)}, ` +
    `against ${money(own.value)} for ${cheapestPerRun}`
  );
}

/** The decision in words: a headline, one sentence per context, and a footnote. */
export interface DecisionText {
  headline: string;
  contexts: { context: Context; sentence: string }[];
  footnote: string | null;
}

/** Headline and one wrapped sentence per context, indented under it. */
export function layoutDecision(text: DecisionText, width: number): string[] {
  const label = Math.max(...text.contexts.map((a) => a.context.length)) + 2;
  const lines = wrap(text.headline, width);
  for (const a of text.contexts) {
    const first = `  ${`${a.context}:`.padEnd(label)}`;
    lines.push(...wrap(a.sentence, width, first, " ".repeat(first.length)));
  }
  if (text.footnote) lines.push(...wrap(text.footnote, width, "  "));
  return lines;
}

/** The footnote's sentences: those given, and what a `*` in a ladder named in the headline means. */
function footnoteOf(headline: string, roster: Roster, notes: string[]): string | null {
  const starred = roster.some((s) => s.ladder && s.ladder.includes("*") && headline.includes(s.ladder));
  const all = [...notes, ...(starred ? ["(In a ladder, * marks a rung with fix rates of its own.)"] : [])];
  return all.length > 0 ? all.join(" ") : null;
}

/** The decision from simulated results in words. */
export function decisionText(decision: Decision, roster: Roster): DecisionText {
  const answers = decision.contexts.map((d) => ({
    context: d.context,
    best: d.byMean.allInfinite ? null : d.byMean.best,
    tied: d.byMean.tied,
    sentence: simSentence(d),
  }));
  const compared = decision.contexts.some((d) => d.byMean.probabilityCheaper !== null && !d.byMean.allInfinite);
  const top = headline("per run", answers, roster, "No strategy is cheapest per run here: every expected cost is infinite (see each context's p90).");
  return { headline: top, contexts: answers, footnote: footnoteOf(top, roster, compared ? ["(Single runs compared in pairs; a tie counts as half.)"] : []) };
}

/** The decision from simulated results, as lines of at most `width` characters. */
export function decisionLines(decision: Decision, roster: Roster, width: number): string[] {
  return layoutDecision(decisionText(decision, roster), width);
}

/** The decision from the closed forms alone in words. */
export function analyticDecisionText(decision: AnalyticDecision, roster: Roster): DecisionText {
  const answers = decision.contexts.map((d): ContextAnswer => {
    const parts: string[] = [];
    if (d.byMean) {
      parts.push(`${money(d.byMean.best.value)} per run${completing(d.byMean.best)}`);
      const savings = savingsClause(d.byMean) ?? infiniteRunnerUp(d.byMean);
      if (savings) parts.push(savings);
      const perCompleted = d.byCompletedRun && completedRunClause(d.byCompletedRun, d.byMean.best.strategy);
      if (perCompleted) parts.push(perCompleted);
      // no ranking per completed run without every completion (the cheapest's is said above)
      const unknown = d.completionUnknown.filter((name) => name !== d.byMean!.best.strategy);
      if (unknown.length > 0) {
        parts.push(`no closed form for the share of runs ${listed(unknown)} ${unknown.length > 1 ? "complete" : "completes"}, so none is ranked per completed run (agentsim run does)`);
      }
    }
    const reasons = [...new Set(d.noClosedForm.map((n) => n.reason))];
    const missing = reasons.map((why) => `no closed form for ${d.noClosedForm.filter((n) => n.reason === why).map((n) => n.strategy).join(", ")}: ${why}`);
    if (missing.length) parts.push(d.byMean ? `not ranked, ${missing.join("; ")}` : missing.join("; "));
    return { context: d.context, best: d.byMean?.best ?? null, tied: d.byMean?.tied ?? [], sentence: parts.join("; ") };
  });
  // a strategy without a closed form is not ranked: the cheapest is of the others only (an audit:
  // the one strategy with a closed form was "cheapest", 2.3 times what run's cheapest costs)
  const partial = decision.contexts.some((d) => d.byMean !== null && d.noClosedForm.length > 0);
  const measure = partial ? "by expected cost, of those with a closed form" : "by expected cost";
  const top = headline(measure, answers, roster, "No strategy has a closed form here; `agentsim run` simulates them.");
  return { headline: top, contexts: answers, footnote: footnoteOf(top, roster, []) };
}

/** The decision from the closed forms alone, as lines of at most `width` characters. */
export function analyticDecisionLines(decision: AnalyticDecision, roster: Roster, width: number): string[] {
  return layoutDecision(analyticDecisionText(decision, roster), width);
}
