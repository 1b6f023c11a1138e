/**
 * `agentsim fit` on traces: from runs to estimates with 95% intervals, the fitted scenario, and how
 * sure the decision is. Everything a formatter prints is decided here.
 */
import { UserError } from "../errors.js";
import { parseScenario } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { groupDigits, noun } from "../text.js";
import { bootstrap, FEW_RUNS, percentileInterval, strataUnits, type Replicate, type ReplicateRunner } from "./bootstrap.js";
import { describeCountForm, summarizeCounts, type CountSummary } from "./counts.js";
import { compileFitData, patternCounts, unitWeights, type FitData } from "./data.js";
import { secondClassTest, sourceTotals } from "./mixture.js";
import { estimate, parameterDefs, TOKEN_KEYS, type ParameterDef, type ParameterKind, type TokenKey } from "./estimate.js";
import { observeRun, type LadderOf, type RunObservation } from "./observations.js";
import { cheapestByContext, fittedScenario, RATE_FLOOR, type ContextChoice, type FittedScenario } from "./scenario.js";
import { summarizeTokens, type TokenSummary } from "./tokens.js";
import { LineError } from "./files.js";
import { assembleRuns, parseTraceText, type TraceRun } from "./trace.js";

export interface ParameterRow {
  /** dotted scenario key */
  key: string;
  kind: ParameterKind;
  /** the estimate; null when the traces do not identify it (a note says why) */
  value: number | null;
  /** 95% percentile bootstrap interval; null without a bootstrap or an identified value */
  ciLow: number | null;
  ciHigh: number | null;
  /** standard deviation of the bootstrap replicates */
  stdError: number | null;
  /** what the estimate rests on, for people: "1,234 attempts", "constant", "mean of 800 values" */
  basis: string;
  /** why the traces do not identify it ("no fix attempts"); null when there is an estimate */
  reason: string | null;
}

/** The choice at the estimates (see ContextChoice), and how sure it is over the bootstrap replicates. */
export interface ContextDecision extends ContextChoice {
  /** per strategy, the share of bootstrap replicates in which it is the cheapest, largest first (null without a bootstrap) */
  confidence: { strategy: string; share: number }[] | null;
  /** the share of replicates in which no strategy had a closed form */
  undecided: number | null;
  /** the share of replicates whose estimates made no valid scenario (they decide nothing) */
  outOfBounds: number | null;
  /** the share of replicates in which the cheapest ties with another strategy (counted for the first of them) */
  tiedShare: number | null;
}

export interface Decision {
  /** where the prices come from */
  prices: string;
  replicates: number;
  contexts: ContextDecision[];
}

export interface FitReport {
  runs: number;
  /** (file, strategy, context) groups of runs */
  strata: number;
  /** the bootstrap's units: runs, a strategy's runs of one index in both contexts counting once (see bootstrap.ts) */
  units: number;
  bugs: number;
  fixAttempts: number;
  bootstrap: { replicates: number; seed: string; method: "percentile"; unconverged: number } | null;
  parameters: ParameterRow[];
  bugCounts: CountSummary[];
  tokens: Record<TokenKey, TokenSummary | null>;
  /** with prices: the cheapest strategy per context and its bootstrap confidence */
  decision: Decision | null;
  /** with prices: the fitted scenario, valid for `run` and `analytic` as is */
  scenario: Record<string, unknown> | null;
  notes: string[];
}

export interface FitOptions {
  /** B: bootstrap replicates (0: point estimates only) */
  bootstrap: number;
  seed: string;
  /** the scenario that prices the models (and supplies whatever the traces do not estimate) */
  prices: { file: string; raw: Record<string, unknown> } | null;
  /** where the replicates are computed: the fit pool's runner, or runReplicates in this thread */
  runner: ReplicateRunner;
  /** called as the bootstrap's replicates are done (a progress bar: 100,000 of them took minutes without a word) */
  onProgress?: (done: number, total: number) => void;
}

const plural = (n: number, word: string) => `${groupDigits(n)} ${noun(n, word)}`;

/** The token sizes as observed: prompt and generation per run, fix output and error trace per attempt. */
function tokenSummaries(observations: RunObservation[]): Record<TokenKey, TokenSummary | null> {
  const values: Record<TokenKey, number[]> = {
    prompt: observations.map((o) => o.prompt),
    generation: observations.map((o) => o.generation),
    fixOutput: observations.flatMap((o) => o.fixOutputs),
    errorTrace: observations.flatMap((o) => o.errorTraces),
  };
  return Object.fromEntries(TOKEN_KEYS.map((t) => [t, summarizeTokens(values[t])])) as Record<TokenKey, TokenSummary | null>;
}

/** Bug counts per generator. */
function countSummaries(data: FitData): CountSummary[] {
  return data.generators.map((name, g) =>
    summarizeCounts(name, [...data.columns.bugs].filter((_, r) => data.runGenerator[r] === g)),
  );
}

/** What the estimates rest on, for the basis column. */
interface Support {
  attempts: Float64Array; // fix attempts per source
  counts: CountSummary[];
  tokens: Record<TokenKey, TokenSummary | null>;
  oneClass: boolean;
}

/** What an estimate rests on, and why it is missing where the traces do not identify it. */
function basisOf(def: ParameterDef, data: FitData, support: Support): { basis: string; missing: string } {
  const counts = support.counts.find((c) => c.generator === def.subject);
  switch (def.kind) {
    case "fixRate":
      return {
        basis: plural(support.attempts[data.sources.indexOf(def.subject)]!, "attempt"),
        missing:
          def.key.endsWith(".hard") && support.oneClass
            ? "one class of bugs explains the traces as well as two (no harder class is seen), so the hard fraction is 0 and no hard rate is identified"
            : `no attempts of ${def.subject} fall in that class`,
      };
    case "hardFraction":
      return { basis: plural(counts!.mean * counts!.runs, "bug"), missing: "no bugs were seen" };
    case "bugCount":
      return { basis: `${plural(counts!.runs, "run")}; ${describeCountForm(counts!)}`, missing: "no runs" };
    case "tokens": {
      const t = support.tokens[def.subject as TokenKey];
      const missing = def.subject === "errorTrace" ? "no two fix attempts in one conversation" : "no fix attempts";
      if (!t) return { basis: "", missing };
      return { basis: t.values === null ? `constant (${plural(t.count, "value")})` : `mean of ${plural(t.count, "value")}, cv ${t.cv.toFixed(2)}`, missing };
    }
  }
}

/** The decision at the estimates and over the replicates. */
function decide(fitted: FittedScenario, replicates: Replicate[]): Decision {
  const choices = cheapestByContext(fitted.scenario);
  const B = replicates.length;
  const outOfBounds = replicates.filter((r) => r.outOfBounds !== null).length; // the same in every context
  return {
    prices: fitted.plan.file,
    replicates: B,
    contexts: choices.map((c, i) => {
      if (B === 0) return { ...c, confidence: null, undecided: null, outOfBounds: null, tiedShare: null };
      const share = (name: string | null) => replicates.filter((r) => r.outOfBounds === null && r.cheapest[i] === name).length / B;
      return {
        ...c,
        confidence: c.costs.map(({ strategy }) => ({ strategy, share: share(strategy) })).sort((a, b) => b.share - a.share),
        undecided: share(null),
        outOfBounds: outOfBounds / B,
        tiedShare: replicates.filter((r) => r.outOfBounds === null && r.tied[i]).length / B,
      };
    }),
  };
}

/**
 * The traced strategies' ladders, from the prices scenario: where a rung has its own fix rates,
 * the fit estimates them apart (see rateSource). A strategy the prices scenario does not have, or
 * whose name holds a dot or a bracket (no dotted key could name its rungs), has none.
 */
function laddersOf(prices: Scenario | null): LadderOf {
  if (!prices) return () => null;
  return (name) => (/[.[\]]/.test(name) ? null : (prices.strategies.find((s) => s.name === name)?.ladder ?? null));
}

/**
 * With prices: a traced strategy the prices scenario also has must generate with the same model
 * (a different fixer is caught rung by rung, see rateSource). Otherwise the decision is made on
 * the prices scenario's strategy of that name while the traces describe another, and the
 * traced generator's bug count mixes in the other's runs.
 */
function checkGenerators(runs: TraceRun[], prices: Scenario | null, pricesFile: string): void {
  if (!prices) return;
  for (const run of runs) {
    const expected = prices.strategies.find((s) => s.name === run.strategy)?.generator;
    const { file, line, record } = run.generation;
    if (expected !== undefined && expected !== record.model) {
      throw new LineError(
        file,
        line,
        `strategy ${run.strategy} generates with ${record.model} here, but with ${expected} in ${pricesFile}: ` +
          `the traces and the prices scenario describe different strategies`,
      );
    }
  }
}

/** Why a parameter along which the likelihood is flat has no estimate. */
const FLAT =
  "other values explain the traces as well (EM from other starts ends elsewhere at the same likelihood), as when a " +
  "rung gives each bug one attempt before a consult or an escalation";

/**
 * The runs in an order that does not depend on how a file lists them: by file, by strategy and
 * context (their names), then by run index. The bootstrap draws its units in this order, so runs
 * listed backwards moved the intervals' ends (an audit).
 */
function inCanonicalOrder(runs: TraceRun[]): TraceRun[] {
  // files in the order read (of their paths); groups by their names, not as first met: a file
  // listed backwards meets them in another order (a review)
  const fileOrder = new Map<string, number>();
  for (const r of runs) if (!fileOrder.has(r.file)) fileOrder.set(r.file, fileOrder.size);
  const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...runs].sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || byName(a.strategy, b.strategy) || byName(a.context, b.context) || a.run - b.run);
}

/** Fit runs read from traces (see trace.ts: readTraceFile, assembleRuns). */
export async function fitRuns(runs: TraceRun[], options: FitOptions): Promise<FitReport> {
  if (runs.length === 0) throw new UserError("no runs in the traces");
  // the prices scenario, parsed once for the ladders and the generators the traces must match
  const prices = options.prices ? parseScenario(options.prices.raw, options.prices.file) : null;
  const ladderOf = laddersOf(prices);
  checkGenerators(runs, prices, options.prices?.file ?? "");
  const observations = inCanonicalOrder(runs).map((run) => observeRun(run, ladderOf));
  const data = compileFitData(observations);
  const defs = parameterDefs(data);
  const full = estimate(data, unitWeights(data));
  // a parameter along which the likelihood is flat has no estimate, here nor in any replicate (one
  // the data say nothing of at all, say a generator with no bugs, keeps its own reason)
  const estimated = defs.map((d) => d.read(full));
  const unidentified = defs.map((d, i) => estimated[i] !== null && d.flat(full));
  const values = estimated.map((v, i) => (unidentified[i] ? null : v));
  const counts = countSummaries(data);
  const tokens = tokenSummaries(observations);
  const notes: string[] = [];

  const fitted = options.prices
    ? fittedScenario(options.prices, data, defs, values, counts, { fixOutput: tokens.fixOutput ?? undefined, errorTrace: tokens.errorTrace ?? undefined })
    : null;
  if (fitted) notes.push(...fitted.notes);

  const replicates =
    options.bootstrap > 0
      ? await bootstrap(
          options.runner,
          { data, seed: options.seed, start: full.mixture.oneClass ? null : full.mixture.params, plan: fitted?.plan ?? null, unidentified },
          options.bootstrap,
          options.onProgress,
        )
      : [];

  if (replicates.length > 0) notes.push(...smallStrataNotes(data));

  const totals = sourceTotals(data.mixture, patternCounts(data, unitWeights(data)));
  const support: Support = {
    attempts: totals.attempts,
    counts,
    tokens,
    oneClass: full.mixture.oneClass,
  };
  const parameters = defs.map((def, i): ParameterRow => {
    const { basis, missing: none } = basisOf(def, data, support);
    const missing = unidentified[i] ? FLAT : none;
    const value = values[i]!;
    if (value === null) {
      // a flat parameter's prices value need not fit the traces, and no replicate varies it
      const kept = unidentified[i] ? "; the scenario keeps the prices scenario's value, which the decision's confidence does not cover" : "; the scenario keeps the prices scenario's value";
      notes.push(`${def.key}: not identified: ${missing}${fitted ? kept : ""}`);
      return { key: def.key, kind: def.kind, value: null, ciLow: null, ciHigh: null, stdError: null, basis: "not identified", reason: missing };
    }
    const interval = replicates.length ? percentileInterval(replicates.map((r) => r.values[i]!)) : null;
    if (interval && interval.replicates < replicates.length) {
      notes.push(`${def.key}: identified in ${interval.replicates} of ${replicates.length} bootstrap replicates; its interval is over those`);
    }
    if (def.kind === "fixRate" && value === 1 && interval?.ciLow === 1) {
      // every resample sits on the boundary too: the percentile interval cannot leave it
      const s = data.sources.indexOf(def.subject);
      const n = totals.attempts[s]!;
      const allFixed = totals.fixes[s] === n;
      notes.push(
        `${def.key}: estimated at 1 in every resample, so its interval is [1, 1], which does not show how far below 1 the rate may be` +
          (allFixed ? `; all ${plural(n, "attempt")} fixed their bug, as they do at least one time in 20 at any rate of ${(0.05 ** (1 / n)).toFixed(4)} or more` : ""),
      );
    }
    if (def.kind === "fixRate" && value < RATE_FLOOR) {
      // EM's estimate at the boundary 0 (numerically 1e-17), and resamples with it: the interval's low end too
      notes.push(
        `${def.key}: estimated at 0 (below ${RATE_FLOOR}, the least rate a scenario holds): too few of its bugs were fixed to tell the rate, ` +
          `and the interval's low end sits at that boundary too, so it understates how uncertain the rate is; collect logs with more attempts per bug`,
      );
    }
    // every resample gave the same value away from a bound (runs all alike, or too few to differ):
    // the point interval says nothing of the uncertainty (the fit audit: 30 runs fixed at attempt
    // 2 each gave 0.5 [0.5, 0.5], where 30 of 60 attempts leave about [0.37, 0.63])
    const bounded = value <= RATE_FLOOR || value === 1 || (def.kind === "hardFraction" && value === 0);
    if (interval && interval.ciLow === interval.ciHigh && !bounded && def.kind !== "bugCount" && def.kind !== "tokens") {
      notes.push(`${def.key}: every bootstrap replicate gave the same value, so its interval has no width, which does not show how uncertain it is (are the runs all alike?)`);
    }
    return { key: def.key, kind: def.kind, value, ciLow: interval?.ciLow ?? null, ciHigh: interval?.ciHigh ?? null, stdError: interval?.stdError ?? null, basis, reason: null };
  });

  // two classes where one would do: noise always buys a second class some likelihood. A
  // strategy's runs of one index in both contexts may be one draw (the fast path), each bug's
  // attempts counted twice, which doubles the statistic: it is counted per unit, as the bootstrap
  // resamples
  const units = new Set(data.runUnit).size;
  const second = secondClassTest({ ...full.mixture, classGain: (full.mixture.classGain * units) / data.runs });
  if (!full.mixture.oneClass && second.p > 0.05) {
    notes.push(
      `one class of bugs explains these traces about as well as two (likelihood-ratio statistic ${second.statistic.toFixed(2)}, ` +
        `p = ${second.p.toFixed(2)} against a chi-square with ${second.degrees} degrees of freedom, a rough yardstick for mixtures): ` +
        `the hard fractions and the easy and hard rates are then not told apart, and their intervals may miss a truth of one class ` +
        `(all bugs easy, or equal rates); the expected costs and the decision depend little on that split where the prices ` +
        `scenario bounds the attempts as the traces did, but may depend on it beyond them (a hard rate near 0 there makes ` +
        `bugs that never end)`,
    );
  }
  for (const t of ["prompt", "generation"] as const) {
    const s = tokens[t];
    if (s && s.values !== null) notes.push(`tokens.${t} varies from run to run (cv ${s.cv.toFixed(2)}); a scenario takes one number, its mean (the expected cost is linear in it)`);
  }
  for (const c of counts) {
    if (c.form === "underdispersed") notes.push(`models.${c.generator}.bugs.count: ${describeCountForm(c)}; no count law of the schema is less spread than Poisson`);
  }
  const advised = observations.reduce((a, o) => a + o.advisedAttempts, 0);
  if (advised > 0) {
    notes.push(
      `${plural(advised, "fix attempt")} followed a consult on their bug and are left out of the fix rates (each such bug counts as ` +
        `open at its first consult): the rung after a consult may fix at its own rates, which fit estimates only from a ladder` +
        (fitted
          ? `; their strategies are not in ${fitted.plan.file} (or hold a dot or a bracket in their name), and the scenario keeps its rungs as written`
          : `; pass --prices <scenario> with the strategies' ladders to use them (with a consult after one or two attempts, the classes may not be told apart without)`),
    );
  }
  const outOfBounds = replicates.filter((r) => r.outOfBounds !== null);
  if (outOfBounds.length > 0) {
    notes.push(
      `${outOfBounds.length} of ${replicates.length} bootstrap replicates estimate a scenario agentsim does not take ` +
        `(the first: ${outOfBounds[0]!.outOfBounds}); they count for no strategy in the decision`,
    );
  }
  const unconverged = replicates.filter((r) => !r.converged).length;
  if (!full.mixture.converged || unconverged) {
    notes.push(`EM stopped at its iteration limit before converging (${full.mixture.converged ? "" : "on the data, "}${unconverged} of ${replicates.length} replicates): the likelihood is flat there`);
  }

  return {
    runs: data.runs,
    strata: data.strata.length,
    units,
    bugs: observations.reduce((a, o) => a + o.bugs.length, 0),
    fixAttempts: observations.reduce((a, o) => a + o.fixOutputs.length, 0),
    bootstrap: options.bootstrap > 0 ? { replicates: options.bootstrap, seed: options.seed, method: "percentile", unconverged } : null,
    parameters,
    bugCounts: counts,
    tokens,
    decision: fitted ? decide(fitted, replicates) : null,
    scenario: fitted?.plan.base ?? null,
    notes,
  };
}

/** Notes for the groups whose runs are too few for the bootstrap to show their uncertainty. */
function smallStrataNotes(data: FitData): string[] {
  return strataUnits(data).flatMap((units, i) => {
    if (units.length === 0 || units.length >= FEW_RUNS) return [];
    const [strategy, context] = JSON.parse(data.strata[i]!) as [string, string];
    return [
      `${strategy} (${context}): ${plural(units.length, "run")}; a bootstrap over fewer than ${FEW_RUNS} runs understates ` +
        `the uncertainty, so the intervals that rest on them are too narrow`,
    ];
  });
}

/** Fit the text of a trace file as `run --trace` writes it (`file` names it in error messages). */
export function fitTraceText(text: string, options: FitOptions, file = "<trace>"): Promise<FitReport> {
  return fitRuns(assembleRuns(parseTraceText(text, file)), options);
}
