/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched)
 * drawn from ReportData. The decision comes first, in the same words as `agentsim run`; then the
 * scenario, the cost distributions, the breakdown, the crossover and the sweep.
 */
import { basename } from "node:path";
import { decisionText, analyticDecisionText, type DecisionText } from "../render/decision.js";
import { closedForm, crossingValue, money, num, percent, percentStrict } from "../render/format.js";
import { completesLess, probabilityCheaper, type ContextDecision } from "../decision/decision.js";
import { pairLabel, rolesText } from "../decision/describe.js";
import type { SimResult } from "../evaluate/evaluate.js";
import { distributionMean } from "../model/distributions.js";
import { COST_PARTS } from "../model/strategy.js";
import { ladderText, RUNGS_SHOWN, singleFixer } from "../scenario/ladder.js";
import { scenarioNotes } from "../scenario/notes.js";
import type { BugCount, FixRate, Distribution as TokenDistribution, Scenario } from "../scenario/types.js";
import { formatNumber as csvNumber } from "../sweep/csv.js";
import { groupDigits, listed } from "../text.js";
import {
  breakdownChart,
  cheapestMap,
  crossoverChart,
  distributionChart,
  mapCellsLabelled,
  sweepChart,
  type BreakdownRow,
  type MapCell,
} from "./charts.js";
import { ECDF_UP_TO, type ReportData } from "./collect.js";
import type { CrossoverData, MissingClosedForm } from "./crossover.js";
import { esc, figure, htmlTable, prose } from "./html.js";
import { categoryColours, repeatedColours, strategyColours, type ColourScale } from "./palette.js";
import { panelRows, type SweepData } from "./sweep.js";
import { toSvg } from "./svg.js";

/** "strong-first (strong → weak)": a strategy's name in every chart's colour scale. */
function strategyLabel(r: { strategy: string; generator: string; fixer: string | null; ladder?: string | null }): string {
  return `${r.strategy} (${pairLabel(r).replace(" -> ", " → ")})`;
}

/** A strategy's label (strategyLabel) by its name, from the results that name it. */
function strategyLabelOf(results: SimResult[]): (name: string) => string {
  return (name) => strategyLabel(results.find((r) => r.strategy === name)!);
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 1180px; padding: 1.5em 1.2em 4em; }
p, ul { max-width: 52em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
.meta { color: #555; margin-top: 0; }
.answer { font-size: 1.2em; font-weight: 600; margin: 0.6em 0; }
ul.contexts { padding-left: 1.2em; }
h1, h2, h3, p, li, figcaption { overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9em; display: block; max-width: 100%; overflow-x: auto; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #bbb; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td:first-child { white-space: nowrap; }
tr.mark td { background: #eef5fb; font-weight: 600; }
figure.chart { margin: 1em 0 1.8em; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
/* on a phone a chart scaled to the screen has 4 px text: keep its own size, and scroll it like a table */
@media (max-width: 760px) { figure.chart svg { max-width: none; } }
figcaption { color: #444; font-size: 0.88em; margin-top: 0.4em; max-width: 46em; }
code { font-size: 0.92em; background: #f4f4f4; padding: 0 0.25em; border-radius: 3px; }
`;

/** A number as the CSV writes it, but -0 as "0": a label for people, not a round-trip. */
const formatNumber = (x: number | null | undefined): string => csvNumber(x === 0 ? 0 : x);

/** The whole page. */
export async function renderPage(data: ReportData, version: string): Promise<string> {
  const results = data.evaluation.results;
  const labelOf = strategyLabelOf(results);
  const colours = strategyColours(data.scenario.strategies.map((st) => labelOf(st.name)));
  const sections = [
    decisionSection(data, results),
    scenarioSection(data.scenario),
    await distributionSection(data, results, colours),
    await breakdownSection(results),
    data.crossover ? await crossoverSection(data.crossover, data.scenario, results, colours) : data.crossoverNote ? `<h2 id="crossover">Crossover</h2>\n<p>${prose(data.crossoverNote)}.</p>` : "",
    data.sweep ? await sweepSection(data.sweep, data.sweepNote, data.trials, results, colours) : data.sweepNote ? `<h2>Sweep</h2>\n<p>${esc(data.sweepNote)}</p>` : "",
  ];
  const title = `agentsim report: ${data.scenario.name}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${esc(basename(data.file))}: ${esc(groupDigits(data.trials))} simulated runs per strategy and context, seed ${esc(data.seed)}; agentsim ${esc(version)}. Costs are in $ per run.</p>
${sections.filter(Boolean).join("\n")}
</body>
</html>
`;
}

function decisionHtml(text: DecisionText): string {
  const items = text.contexts.map((c) => `<li><strong>${esc(c.context)}:</strong> ${prose(c.sentence)}</li>`).join("\n");
  return `<p class="answer">${prose(text.headline)}</p>\n<ul class="contexts">\n${items}\n</ul>${text.footnote ? `\n<p>${prose(text.footnote)}</p>` : ""}`;
}

function decisionSection(data: ReportData, results: SimResult[]): string {
  const tables = data.decision.contexts.map((d) => `<h3>${esc(d.context)} context</h3>\n${rankingTable(d, data, results)}`).join("\n");
  const closed = analyticDecisionText(data.analyticDecision, data.analytic);
  return `<h2 id="decision">The decision</h2>
${decisionHtml(decisionText(data.decision, results))}
<p><strong>Closed forms alone.</strong> ${prose(closed.headline)} ${prose(closed.contexts.map((c) => `In ${c.context}: ${c.sentence}.`).join(" "))}</p>
${tables}${rungsTable(results)}`;
}

/** How far bugs climb each ladder, where the results say (strategies with more than one rung; a ladder's first RUNGS_SHOWN). */
function rungsTable(results: SimResult[]): string {
  const climbing = results.filter((r) => r.rungs.length > 1);
  if (climbing.length === 0) return "";
  const rows = climbing.flatMap((r) =>
    r.rungs.slice(0, RUNGS_SHOWN).map((g) => ({
      cells: [
        r.strategy, r.context, String(g.rung + 1), g.kind === "fix" ? `${g.model} fixes` : `${g.model} advises`,
        percentStrict(g.reachFraction, 1), num(g.attemptsPerRun),
      ],
    })),
  );
  const head = ["strategy", "context", "rung", "what", "bugs reaching it", "attempts (consults) per run"];
  const cut = climbing.some((r) => r.rungs.length > RUNGS_SHOWN) ? `\n<p>A ladder's first ${RUNGS_SHOWN} rungs are shown; run --json lists every rung.</p>` : "";
  return `\n<h3>Ladders</h3>\n${htmlTable(head, rows, new Set(head.slice(4)))}${cut}`;
}

/** Every strategy of a context, cheapest by mean first. */
function rankingTable(d: ContextDecision, data: ReportData, results: SimResult[]): string {
  // where every expected cost is infinite none is cheapest: no row marked, no column against the
  // first; nor with one strategy, which has nothing to be cheaper than (a column of "-")
  const best = d.byMean.allInfinite || d.byMean.ranking.length === 1 ? null : d.byMean.best.strategy;
  const incomplete = d.byMean.ranking.some(completesLess);
  const head = [
    "strategy", "generator → fixer", "mean", "95% interval", "p50", "p90", "p99", "closed form",
    ...(incomplete ? ["all bugs fixed", "per completed run"] : []),
    // the name's hyphens do not break (U+2011): broken at each, a long name stood as a tall column of pieces
    ...(best ? [`P(cheaper than ${best.replace(/-/g, "\u2011")})`] : []),
  ];
  const rows = d.byMean.ranking.map((c) => {
    const r = results.find((x) => x.strategy === c.strategy && x.context === d.context)!;
    const p = best === null || c.strategy === best ? null : probabilityCheaper(data.evaluation.comparisons, d.context, c.strategy, best);
    return {
      mark: best !== null && (c.strategy === best || d.byMean.tied.includes(c.strategy)),
      cells: [
        r.strategy, pairLabel(r).replace(" -> ", " → "), money(r.mean), r.ciLow === null ? "none (infinite variance)" : `${money(r.ciLow)} to ${money(r.ciHigh)}`,
        money(r.p50), money(r.p90), money(r.p99), closedForm(r),
        ...(incomplete ? [percentStrict(r.allFixedFraction, 1), money(r.costPerCompletedRun ?? Infinity)] : []),
        ...(best ? [p === null ? "-" : percentStrict(p, 1)] : []),
      ],
    };
  });
  const numeric = new Set(head.filter((h) => !["strategy", "generator → fixer"].includes(h)));
  return htmlTable(head, rows, numeric);
}

/**
 * A scenario's number as written, digits grouped and without an exponent: a whole number exactly
 * (a context window of 1,048,576 tokens), another of up to 9 significant digits as written
 * (1,234,567.5 tokens, $9,999.99999 and $0.0000025 per million, once 1234570, $10000 and $2.5e-6),
 * a longer one to six (a hard share of 0.3333333333, or a fitted rate, as 0.333333).
 */
function plain(x: number): string {
  if (Number.isInteger(x)) return groupDigits(x);
  const digits = x.toExponential().split("e")[0]!.replace(/[-.]/g, "").length;
  return x.toLocaleString("en-US", digits <= 9 ? { maximumFractionDigits: 20 } : { maximumSignificantDigits: 6 });
}

/** A token count or a random one, in words. */
function describeTokens(d: TokenDistribution): string {
  switch (d.kind) {
    case "constant":
      return plain(d.value);
    case "uniform":
      return `uniform ${plain(d.min)} to ${plain(d.max)}`;
    case "lognormal":
      return `lognormal, mean ${plain(d.mean)}, cv ${plain(d.cv)}`;
    case "empirical":
      return `${d.values.length} values, mean ${plain(distributionMean(d))}`;
  }
}

function scenarioSection(s: Scenario): string {
  // per token back to per million as written: 9999.99999e-6 x 1e6 is 9999.999990000001
  const perMillion = (x: number) => `$${plain(Number((x * 1e6).toPrecision(12)))}`;
  const rate = (r: FixRate) => (r.kind === "fixed" ? plain(r.p) : `beta, mean ${plain(r.mean)}, concentration ${plain(r.concentration)}`);
  const count = (c: BugCount) =>
    c.kind === "fixed" ? plain(c.count) : c.kind === "poisson" ? `Poisson, mean ${plain(c.mean)}` : `negative binomial, mean ${plain(c.mean)}, variance ${plain(c.variance)}`;
  const models = htmlTable(
    ["model", "input $/M tokens", "output $/M tokens", "cache read $/M", "cache write $/M", "bugs left", "hard share", "fixes easy", "fixes hard", "other"],
    Object.values(s.models).map((m) => ({
      cells: [
        m.price.preset ? `${m.name} (${m.price.preset})` : m.name,
        perMillion(m.price.input), perMillion(m.price.output), perMillion(m.price.cacheRead), perMillion(m.price.cacheWrite),
        count(m.bugs), plain(m.hardFraction), rate(m.fix.easy), rate(m.fix.hard),
        [
          m.assignment === "binomial" ? "binomial difficulty" : "",
          m.price.longContext ? `above ${plain(m.price.longContext.above)} input tokens: ${perMillion(m.price.longContext.input)} in, ${perMillion(m.price.longContext.output)} out` : "",
          m.contextWindow !== null ? `context window ${plain(m.contextWindow)} tokens` : "",
          m.speed ? `${plain(m.speed.ttftSeconds)} s + ${plain(m.speed.outputTokensPerSecond)} tokens/s` : "",
          m.regressions ? `regressions ${m.regressions.offspring} ${plain(m.regressions.probability)}` : "",
        ].filter(Boolean).join("; ") || "-",
      ],
    })),
    new Set(["input $/M tokens", "output $/M tokens", "cache read $/M", "cache write $/M", "hard share"]),
  );
  const limits = [
    s.limits.maxAttemptsPerBug !== null ? `${s.limits.maxAttemptsPerBug} attempts per bug` : "",
    s.limits.maxAttemptsPerRun !== null ? `${s.limits.maxAttemptsPerRun} attempts per run` : "",
  ].filter(Boolean);
  const settings: [string, string][] = [
    ["prompt tokens (L0)", plain(s.tokens.prompt)],
    ["generation output tokens (G0)", plain(s.tokens.generation)],
    ["output tokens per fix attempt (G)", describeTokens(s.tokens.fixOutput)],
    ["error-trace tokens per fix attempt (E)", describeTokens(s.tokens.errorTrace)],
    ...(s.tokens.errorGrowth > 0 ? [["error-trace growth per retry", plain(s.tokens.errorGrowth)] as [string, string]] : []),
    // the models' own cache prices are in the models table; these apply where prices by hand give none
    ["cache reads where a model's prices give none, x input price (alpha)", plain(s.caching.readMultiplier)],
    ["cache writes where a model's prices give none, x input price (w)", plain(s.caching.writeMultiplier)],
    ...(s.caching.ttlSeconds !== null ? [["cache lifetime", `${plain(s.caching.ttlSeconds)} s`] as [string, string]] : []),
    ...(s.toolSeconds ? [["test run after each attempt, s", describeTokens(s.toolSeconds)] as [string, string]] : []),
    ...(limits.length ? [["retry caps", limits.join(", ")] as [string, string]] : []),
    ["contexts", s.contexts.join(", ")],
  ];
  const tokens = htmlTable(["setting", "value"], settings.map((cells) => ({ cells })));
  const strategies = htmlTable(
    ["strategy", "generator", "fix ladder", "in words"],
    s.strategies.map((st) => {
      const models = { generator: st.generator, fixer: singleFixer(st.ladder), ladder: ladderText(st.ladder) };
      return { cells: [st.name, st.generator, models.ladder, rolesText(models)] };
    }),
  );
  // what the price table leaves unsaid, as the commands note it (a page travels without their stderr)
  const notes = scenarioNotes(s).map((note) => `<p>Note: ${esc(note)}.</p>\n`).join("");
  return `<h2 id="scenario">The scenario</h2>\n<h3>Models</h3>\n${models}\n${notes}<h3>Tokens, caching and contexts</h3>\n${tokens}\n<h3>Strategies</h3>\n${strategies}`;
}

/** How far beyond the lowest p50 the 99.9% quantile may lie on a linear cost axis. */
const HEAVY_TAIL = 100;

async function distributionSection(data: ReportData, results: SimResult[], colours: ColourScale): Promise<string> {
  const figures: string[] = [];
  for (const context of data.scenario.contexts) {
    const drawn = results.map((r, i) => ({ r, d: data.distributions[i]! })).filter(({ r }) => r.context === context);
    // A heavy tail squeezed every curve into the first few pixels (an axis to $5,000 for p50s of
    // $0.17 and $0.42): where the 99.9% quantile lies beyond HEAVY_TAIL times the lowest p50, the
    // cost axis is logarithmic.
    const farthest = Math.max(...drawn.map(({ d }) => d.points.at(-1)?.value ?? 0));
    const lowest = Math.min(...drawn.map(({ r }) => (r.p50 > 0 ? r.p50 : Infinity)));
    const log = Number.isFinite(lowest) && farthest > HEAVY_TAIL * lowest;
    const zeros = log && drawn.some(({ d }) => d.points.some((p) => p.value <= 0));
    const series = drawn.map(({ r, d }) => ({ strategy: strategyLabel(r), points: d.points, p50: r.p50, p90: r.p90, p99: r.p99, analyticMean: r.analyticMean }));
    const svg = await toSvg(distributionChart(`${context} context`, series, colours, log));
    figures.push(
      `<h3>${esc(context)} context</h3>\n` +
        figure(
          svg,
          `Each curve is the distribution of one strategy's cost per run over ${groupDigits(data.trials)} simulated runs: ` +
            `the share of runs that cost at most x. Marked: p50, p90 and p99 (as in the tables); dashed: the closed-form mean. ` +
            `Curves stop at the ${percent(ECDF_UP_TO, 1)} quantile` +
            (log ? `; the cost axis is logarithmic, as the tail is heavy (the ${percent(ECDF_UP_TO, 1)} quantile reaches ${money(farthest)}${zeros ? "; costs of $0 are left out" : ""}).` : "."),
        ),
    );
  }
  // eight colours for more strategies: say which share one (the 1st and the 9th were one blue line)
  const repeated = repeatedColours(colours);
  const shared = repeated.length
    ? `<p>${esc(`The charts have eight colours for ${colours.domain.length} strategies: ${listed(repeated.map((r) => `${r.strategy} has the colour of ${r.sameAs}`))}.`)}</p>\n`
    : "";
  return `<h2 id="distribution">Cost per run</h2>\n${shared}${figures.join("\n")}`;
}

async function breakdownSection(results: SimResult[]): Promise<string> {
  const rows: BreakdownRow[] = [];
  const bars: string[] = [];
  const bar = (label: string) => {
    if (!bars.includes(label)) bars.push(label);
    return label;
  };
  for (const r of results) {
    for (const [model, costs] of Object.entries(r.costByModel)) {
      // the model first: it is what tells a strategy's bars apart, and a long label is cut at its end
      const label = bar(`${model} · ${r.strategy}`);
      for (const part of COST_PARTS) rows.push({ bar: label, context: r.context, category: part.label, value: costs[part.key] });
    }
  }
  if (rows.every((r) => r.value === 0)) return `<h2 id="breakdown">Where the money goes</h2>\n<p>Every strategy costs $0 per run: there is nothing to break down.</p>`;
  const categories = categoryColours(COST_PARTS.map((part) => part.label));
  const contexts = [...new Set(results.map((r) => r.context))];
  const svg = await toSvg(breakdownChart(rows, bars, contexts, categories));
  const caption = "Simulated mean cost per run, by the model that made the requests (one bar per model and strategy, labelled model · strategy) and by category.";
  return `<h2 id="breakdown">Where the money goes</h2>\n${figure(svg, caption)}`;
}

async function crossoverSection(c: CrossoverData, scenario: Scenario, results: SimResult[], colours: ColourScale): Promise<string> {
  const labelOf = strategyLabelOf(results);
  const [a, b] = c.plan.between.map((st) => st.name) as [string, string];
  const figures: string[] = [];
  for (const context of scenario.contexts) {
    const mine = <T extends { context: string; strategy: string }>(xs: T[]) =>
      xs.filter((p) => p.context === context).map((p) => ({ ...p, strategy: labelOf(p.strategy) }));
    const roots = c.crossovers.filter((x) => x.context === context).map((x) => ({ x: x.value, label: `${num(x.value)}` }));
    const svg = await toSvg(crossoverChart(`${context} context`, c.plan.key, [c.plan.from, c.plan.to], mine(c.line), mine(c.simulated), roots, colours, c.plan.whole));
    figures.push(`<h3>${esc(context)} context</h3>\n${figure(svg, crossoverCaption(c, context))}`);
  }
  // the crossings and, as `crossover` gives them, the contexts without one with the strategy cheaper throughout
  const rows = scenario.contexts.flatMap((context) => [
    ...c.crossovers.filter((x) => x.context === context).map((x) => ({ cells: [x.context, crossingValue(x.value, x.method === "integer"), x.cheaperBelow, x.cheaperAbove, x.method] })),
    ...c.throughout.filter((t) => t.context === context).map((t) => ({ cells: [t.context, "none", t.strategy, t.strategy, "no crossing"] })),
  ]);
  const searched = scenario.contexts.filter((ctx) => !c.missing.some((m) => m.context === ctx));
  const where = c.missing.length === 0 ? "" : ` in ${listed(searched)} context`;
  // one strategy cheaper in every context is said once (a review: "aa ... in shared; aa ... in fresh")
  const alike = c.throughout.length > 1 && c.throughout.every((t) => t.strategy === c.throughout[0]!.strategy);
  const cheaper =
    c.throughout.length === 0
      ? ""
      : alike
        ? ` ${esc(c.throughout[0]!.strategy)} is cheaper throughout, in ${c.throughout.length === 2 ? "both contexts" : "every context"}.`
        : ` ${c.throughout.map((t) => `${esc(t.strategy)} is cheaper throughout in ${esc(t.context)}`).join("; ")}.`;
  const table =
    c.crossovers.length > 0
      ? htmlTable(["context", c.plan.key, "cheaper below", "cheaper above", "method"], rows, new Set([c.plan.key]))
      : `<p>No crossover of the closed forms${where} between ${esc(formatNumber(c.plan.from))} and ${esc(formatNumber(c.plan.to))}${c.gaps.length ? ", outside the stretches without one below" : ""}.${cheaper}</p>`;
  // a context where a strategy has no closed form at the scenario's value: said there, and only there
  const missing = c.missing.map((m) =>
    m.strategies.length === 2
      ? `<p>${esc(m.context)}: neither has a closed form, so ${drawnWithout(c, m)}. Why: ${esc(m.reason)}.</p>`
      : `<p>${esc(m.context)}: ${esc(m.strategies[0]!)} has no closed form, so ${drawnWithout(c, m)}, and no crossover is sought there. Why: ${esc(m.reason)}.</p>`,
  );
  const why = [...(searched.length > 0 ? [table] : []), ...missing].join("\n");
  const leftOut = c.plan.leftOut.map(
    (l) => `<p>Left out: ${l.values === 1 ? formatNumber(l.from) : `${formatNumber(l.from)} to ${formatNumber(l.to)} (${groupDigits(l.values)} values)`}, no scenario: ${esc(l.reason)}</p>`,
  );
  // as `crossover` says them: where the lines stop, the search cannot see a crossover
  const gaps = c.gaps.map((g) => {
    const where = g.from === g.to ? `at ${formatNumber(g.from)}` : `from ${formatNumber(g.from)} to ${formatNumber(g.to)}`;
    const before = g.cheaperBefore ? ` ${esc(g.cheaperBefore)} is cheaper before it.` : "";
    return `<p>${esc(g.context)}: no closed form ${where}, where the lines stop; the search cannot see a crossover inside it.${before} Why: ${esc(g.reason)}. The circles there are simulated.</p>`;
  });
  return [`<h2 id="crossover">Crossover: ${esc(a)} against ${esc(b)} along <code>${esc(c.plan.key)}</code></h2>`, why, ...gaps, ...leftOut, ...figures].join("\n");
}

/** What a crossover chart draws, in one context, of the strategies without a closed form there, in words. */
function drawnWithout(c: CrossoverData, m: MissingClosedForm): string {
  const one = m.strategies.length === 1;
  const mine = (p: { strategy: string; context: string }) => p.context === m.context && m.strategies.includes(p.strategy);
  if (!c.simulated.some(mine)) {
    return `${one ? "its expected cost is" : "their expected costs are"} infinite, and no circle is drawn`;
  }
  const partly = c.infinite.some(mine);
  return `only ${one ? "its" : "their"} simulated means are drawn${partly ? ", where the expected cost is finite" : ""}`;
}

function crossoverCaption(c: CrossoverData, context: string): string {
  const count = /\.bugs\.count$/.test(c.plan.key);
  const circles = `circles: simulated means (${groupDigits(c.trials)} runs each) with 95% intervals, often shorter than the circles`;
  // what the lines are, only where there are lines (a strategy without a closed form has none, and nothing crosses)
  const without = c.missing.find((m) => m.context === context)?.strategies ?? [];
  const lines =
    without.length === c.plan.between.length
      ? `${circles[0]!.toUpperCase()}${circles.slice(1)}.`
      : `Lines: the closed form${count ? " at whole bug counts" : c.plan.whole ? " at whole values" : ""}${without.length ? ` (none for ${without.join(", ")})` : ""}; ${circles}` +
        // the dashed rule only where there is a crossover to mark (it was promised where none was)
        (without.length || !c.crossovers.some((x) => x.context === context) ? "." : `; dashed: where the closed forms cross${count ? " (solved exactly, the count taken as a real number)" : ""}.`);
  const infinite = c.infinite.filter((p) => p.context === context);
  const strategies = [...new Set(infinite.map((p) => p.strategy))];
  const leftOut = strategies.map((st) => `${st} at ${infinite.filter((p) => p.strategy === st).map((p) => formatNumber(p.x)).join(", ")}`);
  const odd = c.plan.polynomial;
  const polynomial = odd.length && without.length < c.plan.between.length
    ? ` At ${odd.length === 1 ? "the count" : "counts"} ${odd.length > 3 ? `${odd.slice(0, 3).map(formatNumber).join(", ")} and ${odd.length - 3} more` : listed(odd.map(formatNumber))}, whose hard bugs are not a whole number under exact assignment (no scenario, no circle), the line is the closed form's polynomial in the count.`
    : "";
  const note = leftOut.length ? ` No circle where the expected cost is infinite, as a simulated mean estimates nothing there: ${leftOut.join("; ")}.` : "";
  // a mean over runs that stopped short (a window, a cap) is not what a finished run costs
  const short = c.incomplete.filter((p) => p.context === context);
  const unfinished = short.length
    ? ` Circles where not every run fixes every bug: ${short.map((p) => `${p.strategy} at ${formatNumber(p.x)} (${percentStrict(p.completion, 1)} complete)`).join("; ")}.`
    : "";
  return `Expected cost per run in the ${context} context as ${c.plan.key} goes from ${formatNumber(c.plan.from)} to ${formatNumber(c.plan.to)}, the rest of the scenario as in the file. ${lines}${polynomial}${note}${unfinished}`;
}

/** Short labels of an axis's values (4 significant digits), or exact ones where those would collide. */
function axisLabels(values: number[]): Map<number, string> {
  const short = values.map((v) => String(Number(v.toPrecision(4))));
  const labels = new Set(short).size === values.length ? short : values.map(formatNumber);
  return new Map(values.map((v, i) => [v, labels[i]!]));
}

async function sweepSection(sw: SweepData, note: string | null, trials: number, results: SimResult[], colours: ColourScale): Promise<string> {
  const labelOf = strategyLabelOf(results);
  const [first, second] = sw.axes;
  // a panel's row is named as the map's axis names it (4 significant digits: "0.2846", not 0.2846153846153846)
  const rowLabels = second ? axisLabels(second.values) : new Map<number, string>();
  const row = (values: number[]) => (second ? rowLabels.get(values[1]!)! : "");
  const rowValues = second ? panelRows(second.values) : [];
  const drawnRows = new Set(rowValues);
  const points = sw.rows
    .filter((r) => !second || drawnRows.has(r.values[1]!))
    .map((r) => ({ x: r.values[0]!, row: row(r.values), context: r.context, strategy: labelOf(r.strategy), mean: r.mean, ciLow: r.ciLow, ciHigh: r.ciHigh }));
  const rowOrder = rowValues.map((v) => rowLabels.get(v)!);
  const someRows = second && rowValues.length < second.values.length ? ` (${rowValues.length} of its ${groupDigits(second.values.length)} values, evenly spaced, ends included; the map below has every one)` : "";
  const contexts = [...new Set(sw.rows.map((r) => r.context))];
  const lines = await toSvg(sweepChart(first!.path, first!.log, second?.path ?? null, points, { contexts, rows: rowOrder }, colours));
  let out =
    `<h2 id="sweep">Sweep along ${sw.axes.map((a) => `<code>${esc(a.path)}</code>`).join(" and ")}</h2>\n` +
    (note ? `<p>${esc(note)}</p>\n` : "") +
    figure(
      lines,
      `Simulated mean cost per run at every ${note ? "drawn " : ""}point of the sweep (${groupDigits(trials)} runs per strategy and context, ` +
        `the same seeds and numbers as agentsim sweep), with 95% intervals; one panel per context` +
        `${second ? ` and per value of ${second.path}${someRows}` : ""}.` +
        infiniteNote(sw.infinite, sw.axes.map((a) => a.path)),
    );
  if (second) {
    const [labelA, labelB] = [axisLabels(first!.values), axisLabels(second.values)];
    const cells: MapCell[] = sw.cheapest.map((c) => ({
      a: labelA.get(c.values[0]!)!,
      b: labelB.get(c.values[1]!)!,
      context: c.context,
      strategy: labelOf(c.strategy),
      margin: c.clear ? "clear" : "within noise",
      note: c.completion !== null && c.completion < 1 ? percentStrict(c.completion, 0) : "",
    }));
    // the axes in increasing order, as the line charts' (a file may list a key's values downwards)
    const increasing = (labels: Map<number, string>) => [...labels].sort(([x], [y]) => x - y).map(([, label]) => label);
    const orders = { contexts, a: increasing(labelA), b: increasing(labelB) };
    const map = await toSvg(cheapestMap([first!.path, second.path], orders, cells, colours));
    out += "\n" + figure(
      map,
      `The cheapest strategy by mean cost at each ${note ? "drawn " : ""}point of the sweep; faded where it ties with another, or this many runs cannot ` +
        `tell it from the runner-up (the 95% interval of its savings includes 0, or a heavy-tailed cost leaves none)` +
        (mapCellsLabelled(orders.a.length, orders.b.length)
          ? "; a percentage is its completion, where below 100%."
          : `; its cells are too small for the completion (see agentsim sweep's CSV).`),
    );
  }
  return out;
}

/** The points a sweep chart leaves out because the expected cost is infinite there, in words. */
function infiniteNote(points: { values: number[]; strategy: string; context: string }[], paths: string[]): string {
  if (points.length === 0) return "";
  const at = points.map((p) => `${p.strategy} (${p.context}) at ${p.values.map((v, i) => `${paths[i]} = ${v}`).join(", ")}`);
  return ` Left out, as their expected cost is infinite and a simulated mean estimates nothing: ${at.join("; ")}.`;
}
