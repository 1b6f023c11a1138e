/**
 * The fitted scenario: a prices scenario (`--prices`) with every estimated key replaced, and the
 * decision it implies (src/model's analyzeScenario on it, and on each bootstrap replicate's).
 *
 * A log has no prices, and it says nothing about models it never shows generating or fixing, so
 * everything the fit does not estimate comes from the prices scenario as it is.
 */
import { decideAnalytic } from "../decision/decision.js";
import { ScenarioError, UserError } from "../errors.js";
import { analyzeScenario } from "../model/strategy.js";
import { MAX_DISPERSION, RANGES } from "../scenario/bounds.js";
import { parseScenario } from "../scenario/load.js";
import { getPath, splitPath } from "../scenario/paths.js";
import type { Context, Scenario } from "../scenario/types.js";
import type { CountForm, CountSummary } from "./counts.js";
import type { FitData } from "./data.js";
import type { ParameterDef, ParameterKind, TokenKey } from "./estimate.js";
import { tokenValue, type TokenSummary } from "./tokens.js";

/** How a generator's bugs.count is written: the fitted form, or a rounded mean where the schema takes only whole counts. */
export type WrittenCount = CountForm | "rounded";

/** Everything a worker needs to turn a replicate's values into a scenario (structured-clone safe). */
export interface ScenarioPlan {
  /** the prices scenario's file, for messages */
  file: string;
  /** the fitted scenario (valid), which replicates edit */
  base: Record<string, unknown>;
  /** per generator: the count's written form, its dispersion, and the assignment of a whole count (see pricesAssignment) */
  counts: Record<string, { written: WrittenCount; dispersion: number | null; assignment: Assignment }>;
  tokens: Partial<Record<TokenKey, TokenSummary>>;
}

/**
 * The smallest fix rate a replicate's scenario gets: the smallest a scenario may hold. A rate of
 * 0 (no bug of a class ever fixed in a resample) means infinite expected cost; the floor keeps the
 * scenario valid where it can and its cost very high, so such a strategy is not the cheapest,
 * which is the limit. (A replicate whose scenario is still out of bounds, say past the attempts a
 * run may take, decides nothing: see replicateChoice.)
 */
export const RATE_FLOOR = RANGES.fixRate.min;

/** Set obj at a dotted path, creating objects on the way. */
function assignPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = splitPath(path);
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/**
 * The dispersion (variance / mean) a random count is written with: the fitted one, or the most a
 * scenario takes (MAX_DISPERSION), with a note. (Beyond it, the fitted scenario was refused and
 * the count written as a constant, under a note that blamed the schema for taking no random count.)
 */
function writtenDispersion(c: CountSummary, notes: string[]): number | null {
  if (c.form !== "negbinomial" || c.dispersion === null || c.dispersion <= MAX_DISPERSION) return c.dispersion;
  notes.push(
    `models.${c.generator}.bugs.count: the traces show a variance ${+c.dispersion.toPrecision(4)} times the mean, beyond the ${MAX_DISPERSION} ` +
      `times a scenario may have; written with ${MAX_DISPERSION} times the mean, so the fitted scenario understates the spread of the bug count (and the cost in shared context, which grows with its square)`,
  );
  return MAX_DISPERSION;
}

/** The scenario value of bugs.count for a mean, in the written form. */
export function countValue(mean: number, written: WrittenCount, dispersion: number | null): unknown {
  switch (written) {
    case "constant":
    case "rounded":
      return Math.round(mean);
    case "poisson":
    case "underdispersed":
      return { dist: "poisson", mean };
    case "negbinomial":
      return { dist: "negbinomial", mean, variance: dispersion! * mean };
  }
}

type Assignment = "exact" | "binomial";

/**
 * The assignment a whole fitted count is written with: the prices scenario's, where it gives one,
 * else what its count implies (exact for a whole count, as a scenario's default; binomial for a
 * random one). Traces cannot tell the two apart (which bugs are hard is never seen), and they
 * cost differently in the shared context, whose cost grows with the square of a run's attempts:
 * written binomial, as before, a fit of traces from the default, exact assignment overstated a
 * shared cost by 3.6% and named the other strategy cheapest in 100% of replicates (an audit).
 */
function pricesAssignment(raw: Record<string, unknown>, model: string): Assignment {
  const bugs = getPath(raw, `models.${model}.bugs`) as { count?: unknown; assignment?: unknown } | undefined;
  if (bugs?.assignment === "exact" || bugs?.assignment === "binomial") return bugs.assignment;
  return typeof bugs?.count === "number" ? "exact" : "binomial";
}

/**
 * Under exact assignment exactly round(q phi) of a run's q bugs are hard: the fitted (or a
 * replicate's) hard fraction is written as that whole number over q, as the scenario requires.
 */
function settleExactFractions(raw: Record<string, unknown>, plan: Pick<ScenarioPlan, "counts">): void {
  for (const [model, { written, assignment }] of Object.entries(plan.counts)) {
    if ((written !== "constant" && written !== "rounded") || assignment !== "exact") continue;
    const bugs = getPath(raw, `models.${model}.bugs`) as { count?: unknown; hardFraction?: unknown } | undefined;
    const [q, phi] = [bugs?.count, bugs?.hardFraction];
    if (typeof q === "number" && q > 0 && typeof phi === "number") bugs!.hardFraction = Math.round(q * phi) / q;
  }
}

/**
 * A note for each model that fixes in a strategy decided between but in no trace (it only
 * generates there): its fix rates are the prices scenario's, which no replicate varies (an audit:
 * the same traces gave 97% one way and 57% the other as one such rate in the prices file moved).
 */
function unfittedFixerNotes(scenario: Scenario, data: FitData, file: string): string[] {
  const fixers = new Set(scenario.strategies.flatMap((s) => s.ladder.filter((r) => r.kind === "fix").map((r) => r.model)));
  return [...fixers]
    .filter((m) => data.generators.includes(m) && !data.sourceModels.includes(m))
    .map((m) => `models.${m}.fix: ${m} fixes in no trace (it only generates there); its fix rates are ${file}'s, as written, and the decision's confidence does not cover them`);
}

/** A note for each fitted hard fraction written as a whole number of a run's bugs (settleExactFractions). */
function exactFractionNotes(plan: ScenarioPlan, defs: ParameterDef[], values: (number | null)[]): string[] {
  return defs.flatMap((def, i) => {
    if (def.kind !== "hardFraction" || values[i] === null) return [];
    const bugs = getPath(plan.base, `models.${def.subject}.bugs`) as { count?: unknown; hardFraction?: unknown; assignment?: unknown };
    if (bugs.assignment !== "exact" || bugs.hardFraction === values[i]) return [];
    const q = bugs.count as number;
    const hard = Math.round(q * (bugs.hardFraction as number));
    return [
      `${def.key}: written as ${hard} of ${q} bugs (${+(bugs.hardFraction as number).toPrecision(6)}), not the estimate ${+values[i]!.toPrecision(4)}: ` +
        `under exact assignment, the prices scenario's, a run's hard bugs are a whole number (traces do not tell exact from binomial assignment; ` +
        `write assignment: binomial in the prices scenario for the other)`,
    ];
  });
}

/** Write one estimate into a raw scenario. */
export function writeParameter(raw: Record<string, unknown>, def: ParameterDef, value: number, plan: Pick<ScenarioPlan, "counts" | "tokens">): void {
  switch (def.kind) {
    case "fixRate":
      return assignPath(raw, def.key, Math.max(value, RATE_FLOOR));
    case "hardFraction":
      return assignPath(raw, def.key, value);
    case "bugCount": {
      const { written, dispersion } = plan.counts[def.subject]!;
      assignPath(raw, def.key, countValue(value, written, dispersion));
      const bugs = (raw.models as Record<string, { bugs: Record<string, unknown> }>)[def.subject]!.bugs;
      // A whole count keeps the prices scenario's assignment (see pricesAssignment); a random
      // count is binomial by definition, and takes no key.
      if (written === "constant" || written === "rounded") bugs.assignment = plan.counts[def.subject]!.assignment;
      else delete bugs.assignment;
      return;
    }
    case "tokens": {
      const summary = plan.tokens[def.subject as TokenKey];
      return assignPath(raw, def.key, summary ? tokenValue(summary, value) : value);
    }
  }
}

/** A replicate's scenario: the plan's base with the replicate's values written over it. */
export function replicateScenario(plan: ScenarioPlan, defs: ParameterDef[], values: (number | null)[]): Record<string, unknown> {
  const raw = structuredClone(plan.base);
  defs.forEach((def, i) => {
    if (values[i] !== null) writeParameter(raw, def, values[i]!, plan);
  });
  settleExactFractions(raw, plan);
  return raw;
}

export interface FittedScenario {
  plan: ScenarioPlan;
  /** the parsed fitted scenario */
  scenario: Scenario;
  notes: string[];
}

/**
 * The fitted scenario from the prices scenario and the point estimates. Every model the traces
 * name must be in the prices scenario. Where this build's schema rejects a random bugs.count
 * (before random counts land), the rounded mean is written instead and a note says so.
 */
export function fittedScenario(
  prices: { file: string; raw: Record<string, unknown> },
  data: FitData,
  defs: ParameterDef[],
  values: (number | null)[],
  counts: CountSummary[],
  tokens: Partial<Record<TokenKey, TokenSummary>>,
): FittedScenario {
  const models = (prices.raw.models ?? {}) as Record<string, unknown>;
  for (const m of [...data.generators, ...data.sourceModels]) {
    if (!Object.hasOwn(models, m)) {
      throw new ScenarioError(prices.file, `models.${m}`, `missing: the traces use model ${m}, so the prices scenario must define it`);
    }
  }
  const notes: string[] = [];
  // a model the traces never show generating or fixing keeps the prices scenario's values, which
  // no replicate varies: the decision's confidence says nothing about them
  const seen = new Set([...data.generators, ...data.sourceModels]);
  for (const m of Object.keys(models).filter((name) => !seen.has(name))) {
    notes.push(`models.${m}: not in the traces; its bugs and fix rates are ${prices.file}'s, as written, and the decision's confidence does not cover them`);
  }
  // A JSON copy, not structuredClone: that keeps an object two keys share (a YAML alias, say, one
  // `fix` for two rungs), and a fitted rate written at one key would land at both.
  const { sweep: _sweep, ...rest } = JSON.parse(JSON.stringify(prices.raw)) as Record<string, unknown>;
  const base: Record<string, unknown> = { ...rest, name: `${String(prices.raw.name ?? "scenario")}-fitted` };
  notes.push(...dropRegressions(base, [...new Set(data.sourceModels)]), ...betaRateNotes(base, defs, values));
  const plan: ScenarioPlan = {
    file: prices.file,
    base,
    counts: Object.fromEntries(
      counts.map((c) => [c.generator, { written: c.form, dispersion: writtenDispersion(c, notes), assignment: pricesAssignment(prices.raw, c.generator) }]),
    ),
    tokens,
  };
  // a fitted value no scenario takes comes from the traces (5e-324 tokens a request), not the prices file
  const label = `the scenario fitted from the traces with ${prices.file}'s prices`;
  for (;;) {
    plan.base = replicateScenario({ ...plan, base }, defs, values);
    try {
      const scenario = parseScenario(plan.base, label);
      return { plan, scenario, notes: [...notes, ...unfittedFixerNotes(scenario, data, prices.file), ...exactFractionNotes(plan, defs, values)] };
    } catch (err) {
      const g = err instanceof ScenarioError ? /^models\.([^.]+)\.bugs\.count/.exec(err.keyPath)?.[1] : undefined;
      const count = g === undefined ? undefined : plan.counts[g];
      if (!count || count.written === "rounded" || count.written === "constant") throw err;
      const mean = values[defs.findIndex((d) => d.kind === "bugCount" && d.subject === g)]!;
      notes.push(
        `models.${g}.bugs.count: the fit calls for a random count (${count.written}), which this build's scenario ` +
          `schema does not take; wrote the rounded mean ${Math.round(mean)}`,
      );
      count.written = "rounded";
    }
  }
}

/**
 * A trace does not say which of a run's bugs a fix introduced, so the bug counts and hard
 * fractions fitted from it already hold the regressions' bugs (as bugs of the generation). The
 * prices scenario's regressions of the traces' fixers (regressions are a fixer's) are therefore
 * left out of the fitted scenario, which would count those bugs twice (an audit measured +16%
 * to +31% and a reversed ranking on ext-regressions.yaml); a note names each.
 */
function dropRegressions(base: Record<string, unknown>, fixers: readonly string[]): string[] {
  const models = base.models as Record<string, Record<string, unknown>>;
  return fixers.flatMap((m) => {
    const model = models[m];
    if (!model || model.regressions === undefined) return [];
    delete model.regressions;
    return [
      `models.${m}.regressions: left out of the fitted scenario: a trace does not say which bugs a fix introduced, so the ` +
        `fitted bug counts and hard fractions already hold them, as bugs of the generation, whatever the fixer`,
    ];
  });
}

/**
 * The fit's model gives each class one rate: a prices scenario's Beta rate of a traced fixer is
 * written over with the fitted class rate, where there is one, which drops the Beta's heavy tail
 * (an audit saw a decision flip on beta-difficulty.yaml); a note says so.
 */
function betaRateNotes(base: Record<string, unknown>, defs: ParameterDef[], values: (number | null)[]): string[] {
  return defs.flatMap((d, i) =>
    d.kind === "fixRate" && values[i] !== null && (getPath(base, d.key) as { dist?: unknown } | undefined)?.dist === "beta"
      ? [
          `${d.key}: a Beta rate in the prices scenario, written over with the fitted rate of the class (the fit gives each ` +
            `class one rate), which drops the Beta's heavy tail of slow bugs`,
        ]
      : [],
  );
}

export interface ContextChoice {
  context: Context;
  /** the cheapest strategy by closed-form expected cost; null when no strategy has a closed form */
  cheapest: string | null;
  /** the strategies of the same expected cost as the cheapest (see decideAnalytic) */
  tied: string[];
  /** each strategy's closed-form expected cost, or null and why there is none: cheapest first, those without one last */
  costs: { strategy: string; expectedCost: number | null; reason: string | null }[];
}

/** Per context, the strategy with the lowest closed-form expected cost (the first of equals), as `analytic` decides. */
export function cheapestByContext(scenario: Scenario): ContextChoice[] {
  const results = analyzeScenario(scenario);
  return decideAnalytic(results).contexts.map(({ context, byMean }) => ({
    context,
    cheapest: byMean?.best.strategy ?? null,
    tied: byMean?.tied ?? [],
    costs: results
      .filter((r) => r.context === context)
      .map((r) => ({ strategy: r.strategy, expectedCost: r.analyticMean, reason: r.reason }))
      // (Infinity - Infinity is NaN, which sort takes as equal: those without one keep their order)
      .sort((a, b) => (a.expectedCost ?? Infinity) - (b.expectedCost ?? Infinity)),
  }));
}

/**
 * The cheapest strategy per context in a replicate's scenario; where the resample's estimates
 * make no valid scenario (a bound the fitted scenario keeps, such as the attempts a run may take),
 * none (`cheapest` empty), and why (`outOfBounds`).
 */
export function replicateChoice(
  plan: ScenarioPlan,
  defs: ParameterDef[],
  values: (number | null)[],
): { cheapest: (string | null)[]; tied: boolean[]; outOfBounds: string | null } {
  let scenario: Scenario;
  try {
    scenario = parseScenario(replicateScenario(plan, defs, values), `${plan.file} (bootstrap replicate)`);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return { cheapest: [], tied: [], outOfBounds: err.keyPath ? `${err.keyPath}: ${err.problem}` : err.problem };
  }
  const choices = cheapestByContext(scenario);
  return { cheapest: choices.map((c) => c.cheapest), tied: choices.map((c) => c.tied.length > 0), outOfBounds: null };
}

/**
 * --out refuses a scenario with a fix rate estimated at 0, or below the least a scenario holds
 * (EM's boundary is 1e-17, not 0: the same estimate was written silently as RATE_FLOOR): no
 * rate the data support can be written for it.
 */
export function checkWritableRates(rows: { key: string; kind: ParameterKind; value: number | null }[]): void {
  for (const row of rows) {
    if (row.kind === "fixRate" && row.value !== null && row.value < RATE_FLOOR) {
      throw new UserError(
        `cannot write the scenario: ${row.key} is estimated at 0 (below ${RATE_FLOOR}, the least rate a scenario holds: too few of ` +
          `its bugs were fixed to tell the rate); collect logs with more attempts per bug`,
      );
    }
  }
}
