/**
 * The range of every number a scenario may hold, in one table, and the one bound no single key
 * can give: the expected number of fix attempts in a run.
 *
 * Why bounds at all: with a prompt of 1e308 tokens or a fix rate of 1e-300 the arithmetic
 * overflows (NaN or Infinity where a cost should be) or a run never ends. Every range below is
 * wide enough for any real workload and narrow enough that every product the model and the
 * kernel form stays finite: a request of at most 1e7 tokens at most $1e4 per million tokens, at
 * most 1e5 expected fix attempts per run (MAX_EXPECTED_ATTEMPTS), so that a shared conversation
 * costs at most about 1e4/1e6 x 2e7 x (1e5)^2 / 2 = 1e15 dollars, far from overflow.
 *
 * The schema builds each key's validator from its kind here (`bounded`), so a new key gets its
 * range, and its message, by naming a kind.
 */
import { z } from "zod";
import { ScenarioError } from "../errors.js";
import type { Scenario } from "./types.js";

export interface Range {
  /** the smallest value allowed, or the value every number must exceed when `above` */
  min: number;
  above?: boolean;
  max: number;
  whole?: boolean;
  /** how a message names the number: "a probability", "a whole number", ... (default "a number") */
  noun?: string;
  /** what it counts, for messages */
  unit?: string;
}

/** Runs per strategy and context at most: 8 bytes each are kept for the quantiles. */
export const MAX_TRIALS = 100_000_000;

/** Points of a sweep's grid at most: every point is validated before the first one runs. */
export const MAX_GRID_POINTS = 100_000;

/** Expected fix attempts per run at most (see `checkExpectedAttempts`). */
export const MAX_EXPECTED_ATTEMPTS = 100_000;

/** The kinds of numbers in a scenario and their ranges. */
export const RANGES = {
  /** two runs at least: below that there is no standard error */
  trials: { min: 2, max: MAX_TRIALS, whole: true, noun: "a whole number", unit: "runs" },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, whole: true, noun: "a whole number" },
  /** tokens of one request or one part of it (prompt, output, error trace, summary, advice) */
  tokens: { min: 0, max: 1e7, unit: "tokens" },
  /** a token count that must be positive (a context window, a tier's threshold) */
  tokenLimit: { min: 1, max: 1e9, whole: true, noun: "a whole number", unit: "tokens" },
  /** the mean of a token distribution: above 0 */
  tokenMean: { min: 0, above: true, max: 1e7, unit: "tokens" },
  price: { min: 0, max: 1e4, unit: "$ per million tokens" },
  /** cache read and write multipliers of the input price */
  multiplier: { min: 0, max: 100 },
  /** a per-attempt fix probability, away from 0 so that a bug's expected attempts (1/p) stay bounded */
  fixRate: { min: 1e-4, max: 1, noun: "a probability" },
  fraction: { min: 0, max: 1, noun: "a fraction" },
  bugCount: { min: 0, max: 10_000, whole: true, noun: "a whole number", unit: "bugs" },
  /** error-trace growth per attempt on one bug */
  growth: { min: 0, max: 10 },
  /** coefficient of variation of a lognormal */
  cv: { min: 0, max: 10 },
  /** durations: tool time, time to first token */
  seconds: { min: 0, max: 1e7, unit: "seconds" },
  /** the mean of a duration distribution, and a cache TTL: above 0 */
  positiveSeconds: { min: 0, above: true, max: 1e7, unit: "seconds" },
  tokensPerSecond: { min: 1e-3, max: 1e9, unit: "tokens per second" },
  /** chance (bernoulli) or mean number (poisson) of new bugs per fix */
  regression: { min: 0, max: 10 },
  /** retry caps (limits) and a rung's attempts */
  attempts: { min: 1, max: 1e9, whole: true, noun: "a whole number", unit: "attempts" },
  /** points of a sweep range */
  gridSteps: { min: 1, max: MAX_GRID_POINTS, whole: true, noun: "a whole number", unit: "points" },
} as const satisfies Record<string, Range>;

export type RangeKind = keyof typeof RANGES;

/** "a probability in [0.0001, 1]", "a whole number in [0, 10000] (bugs)", "a number in (0, 10000000] (tokens)". */
export function describeRange(range: Range): string {
  const interval = `${range.above ? "(" : "["}${range.min}, ${range.max}]`;
  return `${range.noun ?? "a number"} in ${interval}${range.unit ? ` (${range.unit})` : ""}`;
}

/** A zod number of one kind: any value outside its range fails with "must be <the range>". */
export function bounded(kind: RangeKind): z.ZodNumber {
  const range: Range = RANGES[kind];
  const error = `must be ${describeRange(range)}`;
  let schema = z.number({ error });
  if (range.whole) schema = schema.int({ error });
  schema = range.above ? schema.gt(range.min, { error }) : schema.min(range.min, { error });
  return schema.max(range.max, { error });
}

/**
 * Expected fix attempts of a run, for every strategy, at most MAX_EXPECTED_ATTEMPTS: a run must
 * finish, and the shared context's cost grows with the square of its attempts.
 *
 * Uncapped, a strategy's fixer makes I = q ((1 - phi)/pe + phi/ph) attempts on its generator's q
 * bugs, plus E[R] ((1 - phi_r)/pe + phi_r/ph) on the E[R] = q r / (1 - r) bugs that regressions
 * add (docs/model.md, sections 3 and 5). A cap bounds it: at most maxAttemptsPerRun, and at most
 * maxAttemptsPerBug per bug met.
 */
export function checkExpectedAttempts(s: Scenario, file: string): void {
  for (const st of s.strategies) {
    const gen = s.models[st.generator]!;
    const fix = s.models[st.fixer]!;
    const perBug = (hardFraction: number) => (1 - hardFraction) / fix.fixEasy + hardFraction / fix.fixHard;
    const r = fix.regressions?.probability ?? 0;
    const newBugs = r === 0 ? 0 : r < 1 ? (gen.bugCount * r) / (1 - r) : Infinity;
    const uncapped = gen.bugCount * perBug(gen.hardFraction) + (newBugs === 0 ? 0 : newBugs * perBug(fix.regressions!.hardFraction));
    let attempts = uncapped;
    let cap: string | null = null;
    const { maxAttemptsPerBug, maxAttemptsPerRun } = s.limits;
    if (maxAttemptsPerBug !== null && (gen.bugCount + newBugs) * maxAttemptsPerBug < attempts) {
      [attempts, cap] = [(gen.bugCount + newBugs) * maxAttemptsPerBug, "limits.maxAttemptsPerBug"];
    }
    if (maxAttemptsPerRun !== null && maxAttemptsPerRun < attempts) [attempts, cap] = [maxAttemptsPerRun, "limits.maxAttemptsPerRun"];
    if (attempts <= MAX_EXPECTED_ATTEMPTS) continue;
    const limit = `more than the ${MAX_EXPECTED_ATTEMPTS} a run may take`;
    if (cap !== null) {
      throw new ScenarioError(file, cap, `lets strategy ${st.name} make up to ${attempts.toPrecision(3)} fix attempts per run, ${limit}: lower it`);
    }
    const hard = fix.fixHard < fix.fixEasy ? "hard" : "easy";
    throw new ScenarioError(
      file,
      `models.${fix.name}.fix.${hard}`,
      `strategy ${st.name} would make ${attempts.toPrecision(3)} fix attempts per run on average ` +
        `(${gen.bugCount} bugs of ${gen.name}, fix rates ${fix.fixEasy} and ${fix.fixHard}), ${limit}: ` +
        `raise the fix rates, lower models.${gen.name}.bugs.count or set limits.maxAttemptsPerRun`,
    );
  }
}

/**
 * The largest factor by which error-trace growth may scale one attempt's trace, (1 + g)^(k-1):
 * with it a capped run's tokens, their cost and its square stay finite.
 */
export const MAX_GROWTH_FACTOR = 1e100;

/**
 * With growth g and a cap of K attempts per bug, the K-th attempt's error trace is (1 + g)^(K-1)
 * times the first: at most MAX_GROWTH_FACTOR. (An uncapped run needs (1 + g)(1 - p) < 1 for a
 * finite expectation, which load.ts checks.)
 */
export function checkGrowth(s: Scenario, file: string): void {
  const g = s.tokens.errorGrowth;
  const cap = Math.min(s.limits.maxAttemptsPerBug ?? Infinity, s.limits.maxAttemptsPerRun ?? Infinity);
  if (g === 0 || cap === Infinity) return;
  const logFactor = (cap - 1) * Math.log1p(g);
  if (logFactor <= Math.log(MAX_GROWTH_FACTOR)) return;
  throw new ScenarioError(
    file,
    "tokens.errorGrowth",
    `with up to ${cap} attempts on a bug the last error trace would be (1 + ${g})^${cap - 1}, about ` +
      `1e${Math.round(logFactor / Math.LN10)} times the first, more than ${MAX_GROWTH_FACTOR}: lower it or the limits`,
  );
}
