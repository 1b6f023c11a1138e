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
import * as z from "zod";
import { ScenarioError } from "../errors.js";
import { groupDigits } from "../text.js";
import { fixPhaseModels, fixRungs, rateKey, rungRates } from "./ladder.js";
import type { Scenario, Strategy } from "./types.js";

export interface Range {
  /** the smallest value allowed, or the value every number must exceed when `above` */
  min: number;
  above?: boolean;
  /** the largest value allowed, or the value every number must stay below when `below` */
  max: number;
  below?: boolean;
  whole?: boolean;
  /** the smallest value above 0 allowed, where 0 itself is (a price, a multiplier, a token count) */
  smallest?: number;
  /** how a message names the number: "a probability", "a whole number", ... (default "a number") */
  noun?: string;
  /** what it counts, for messages */
  unit?: string;
}

/** Runs per strategy and context at most: 8 bytes each are kept for the quantiles. */
export const MAX_TRIALS = 100_000_000;

/** Points of a sweep's grid at most: every point is validated before the first one runs. */
export const MAX_GRID_POINTS = 100_000;

/**
 * Requests a bug may make on a ladder's bounded rungs (their attempts and consults) at most: the
 * closed forms list them one by one, and the shared context's pair each with the others (10,000
 * take about a second).
 */
export const MAX_LADDER_REQUESTS = 10_000;

/**
 * Rungs of all the strategies' ladders together at most: every rung is checked, worked out and
 * tabled, and a crossover or report reads the scenario again at every value it scans (100
 * strategies sharing a ladder of 10,000 rungs through a YAML alias took 24 s in analytic, and a
 * report ran past 5 minutes with 3 GB: the worst-case audit). At the bound, two ladders of 500
 * rungs and 10,000 requests each, a crossover takes 9 s. A ladder of a few rungs says what a
 * production cascade does; 100 strategies may have 10 each.
 */
export const MAX_RUNGS = 1_000;

/**
 * Strategies a scenario compares at most: each is worked out, simulated, tabled and drawn (a file
 * of 300 models made 90,000 default strategies, and analytic ran past two minutes without a word;
 * a report of 576 was 20 MB of charts); beyond a few dozen no table or page is read anyway.
 */
export const MAX_STRATEGIES = 100;

/** Expected fix attempts per run at most (see `checkExpectedAttempts`). */
export const MAX_EXPECTED_ATTEMPTS = 100_000;

/**
 * How far count x hardFraction may be from a whole number under exact assignment (section 7): the
 * rounding of a fraction written out (0.3333333333 of 3 bugs), which means that whole number.
 */
export const WHOLE_TOLERANCE = 1e-6;

/** The smallest token count, price and multiplier above 0 (see RANGES.tokens), random bug count's mean and Beta concentration. */
const SMALLEST = 1e-6;

/** The kinds of numbers in a scenario and their ranges. */
export const RANGES = {
  /** two runs at least: below that there is no standard error */
  trials: { min: 2, max: MAX_TRIALS, whole: true, noun: "a whole number", unit: "runs" },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, whole: true, noun: "a whole number" },
  /**
   * tokens of one request or one part of it (prompt, output, error trace, summary, advice). With
   * prices and multipliers, 0 or at least 1e-6 (SMALLEST): a request then costs 0 or at least
   * 1e-24 dollars, whose squares (a cost's variance) stay far from underflow (a price of 1e-160
   * made every run's spread 0, and the check call a right simulation inconsistent).
   */
  tokens: { min: 0, smallest: SMALLEST, max: 1e7, unit: "tokens" },
  /** a token count that must be positive (a context window, a tier's threshold) */
  tokenLimit: { min: 1, max: 1e9, whole: true, noun: "a whole number", unit: "tokens" },
  /** the mean of a token distribution: above 0 */
  tokenMean: { min: SMALLEST, max: 1e7, unit: "tokens" },
  price: { min: 0, smallest: SMALLEST, max: 1e4, unit: "$ per million tokens" },
  /** cache read and write multipliers of the input price */
  multiplier: { min: 0, smallest: SMALLEST, max: 100 },
  /** a per-attempt fix probability, away from 0 so that a bug's expected attempts (1/p) stay bounded */
  fixRate: { min: 1e-4, max: 1, noun: "a probability" },
  /** the mean of a Beta fix rate (its a > 1 on an unbounded rung is checked in checks.ts) */
  betaMean: { min: 1e-4, max: 1, below: true },
  /** a Beta fix rate's concentration a + b (at 5e-324, a = mean x concentration was 0, which the sampler refused) */
  concentration: { min: SMALLEST, max: 1e6 },
  fraction: { min: 0, max: 1, noun: "a fraction" },
  bugCount: { min: 0, max: 1000, whole: true, noun: "a whole number", unit: "bugs" },
  /** the mean of a random bug count (below 1e-6, a negative binomial's size, mean^2/(variance - mean), underflowed to 0) */
  bugMean: { min: SMALLEST, max: 1000, unit: "bugs" },
  /** the variance of a negative binomial bug count */
  bugVariance: { min: 0, above: true, max: 1e8 },
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
  /** retry caps (limits) */
  attempts: { min: 1, max: 1e9, whole: true, noun: "a whole number", unit: "attempts" },
  /** a fixer rung's attempts (see MAX_LADDER_REQUESTS) */
  rungAttempts: { min: 1, max: 10_000, whole: true, noun: "a whole number", unit: "attempts" },
  /** points of a sweep range */
  gridSteps: { min: 1, max: MAX_GRID_POINTS, whole: true, noun: "a whole number", unit: "points" },
} as const satisfies Record<string, Range>;

export type RangeKind = keyof typeof RANGES;

/** "a probability in [0.0001, 1]", "a whole number in [0, 1000] (bugs)", "a number in (0, 10000000] (tokens)". */
export function describeRange(range: Range): string {
  const interval = `${range.above ? "(" : "["}${range.smallest ?? range.min}, ${range.max}${range.below ? ")" : "]"}`;
  return `${range.smallest !== undefined ? `${range.min} or ` : ""}${range.noun ?? "a number"} in ${interval}${range.unit ? ` (${range.unit})` : ""}`;
}

/** A zod number of one kind: any value outside its range fails with "must be <the range>". */
export function bounded(kind: RangeKind): z.ZodNumber {
  const range: Range = RANGES[kind];
  const error = `must be ${describeRange(range)}`;
  let schema = z.number({ error });
  if (range.whole) schema = schema.int({ error });
  schema = range.above ? schema.gt(range.min, { error }) : schema.min(range.min, { error });
  if (range.smallest !== undefined) schema = schema.refine((x) => x === range.min || x >= range.smallest!, { error });
  return range.below ? schema.lt(range.max, { error }) : schema.max(range.max, { error });
}

/**
 * Expected fix attempts of a run, for every strategy, at most MAX_EXPECTED_ATTEMPTS: a run must
 * finish, and the shared context's cost grows with the square of its attempts (see
 * expectedRunAttempts).
 */
export function checkExpectedAttempts(s: Scenario, file: string): void {
  for (const st of s.strategies) {
    const { attempts, cap, worst, bugs, regressions } = expectedRunAttempts(s, st);
    if (attempts <= MAX_EXPECTED_ATTEMPTS) continue;
    const limit = `more than the ${MAX_EXPECTED_ATTEMPTS} a run may take`;
    if (cap !== null) {
      throw new ScenarioError(file, cap, `lets strategy ${st.name} make up to ${attempts.toPrecision(3)} fix attempts per run, ${limit}: lower it`);
    }
    const gen = s.models[st.generator]!;
    throw new ScenarioError(
      file,
      worst,
      `strategy ${st.name} would make ${attempts.toPrecision(3)} fix attempts per run on average ` +
        `(${+bugs.toPrecision(6)} bugs of ${gen.name}${regressions > 0 ? `, regressions ${regressions}` : ""}), ${limit}: ` +
        `raise the fix rates, lower models.${gen.name}.bugs.count or set limits.maxAttemptsPerRun`,
    );
  }
}

/**
 * An upper bound on a strategy's expected fix attempts per run, which checkExpectedAttempts bounds
 * and the simulator sizes a job by (simulate.ts). A bug of one class climbs the ladder
 * (docs/model.md, section 8): on a fixer rung with rate p and a bound of k attempts it makes
 * E[min(N, k)] = (1 - (1 - p)^k)/p of them (1/p unbounded) and moves on with probability
 * (1 - p)^k. A Beta rate counts as E[1/p] = (a + b - 1)/(a - 1) attempts (at most k), and as
 * moving on surely: an upper bound. A run meets its generator's q bugs (the mean of a random
 * count), and regressions add E[R] = q r / (1 - r) bugs (r the largest of the fixing models'),
 * counted at the costlier class. Caps bound the result: at most maxAttemptsPerRun, and
 * maxAttemptsPerBug per bug (`cap`: the key that bounded it, or null). `worst`: the rate key of the
 * rung whose attempts weigh most.
 */
export function expectedRunAttempts(s: Scenario, st: Strategy): { attempts: number; cap: string | null; worst: string; bugs: number; regressions: number } {
  const gen = s.models[st.generator]!;
  const q = gen.bugs.kind === "fixed" ? gen.bugs.count : gen.bugs.mean;
  const perBug = { easy: 0, hard: 0 };
  let worst = { key: "", attempts: -1 };
  for (const cls of ["easy", "hard"] as const) {
    let reach = 1;
    fixRungs(st.ladder).forEach((rung) => {
      const rate = rungRates(s.models, rung)[cls];
      const k = rung.attempts ?? Infinity;
      let here: number;
      let onward: number;
      if (rate.kind === "fixed") {
        here = k === Infinity ? 1 / rate.p : -Math.expm1(k * Math.log1p(-rate.p)) / rate.p;
        onward = k === Infinity ? 0 : Math.pow(1 - rate.p, k);
      } else {
        here = Math.min(k, rate.a > 1 ? (rate.a + rate.b - 1) / (rate.a - 1) : Infinity);
        onward = k === Infinity ? 0 : 1;
      }
      perBug[cls] += reach * here;
      if (reach * here > worst.attempts) {
        const index = st.ladder.indexOf(rung);
        worst = { key: `${rateKey(st.name, index, rung)}.${cls}`, attempts: reach * here };
      }
      reach *= onward;
    });
  }
  const r = Math.max(0, ...fixRungs(st.ladder).map((rung) => s.models[rung.model]!.regressions?.probability ?? 0));
  const newBugs = r === 0 ? 0 : r < 1 ? (q * r) / (1 - r) : Infinity;
  const uncapped = q * ((1 - gen.hardFraction) * perBug.easy + gen.hardFraction * perBug.hard) + (newBugs === 0 ? 0 : newBugs * Math.max(perBug.easy, perBug.hard));
  let attempts = uncapped;
  let cap: string | null = null;
  const { maxAttemptsPerBug, maxAttemptsPerRun } = s.limits;
  if (maxAttemptsPerBug !== null && (q + newBugs) * maxAttemptsPerBug < attempts) {
    [attempts, cap] = [(q + newBugs) * maxAttemptsPerBug, "limits.maxAttemptsPerBug"];
  }
  if (maxAttemptsPerRun !== null && maxAttemptsPerRun < attempts) [attempts, cap] = [maxAttemptsPerRun, "limits.maxAttemptsPerRun"];
  return { attempts, cap, worst: worst.key, bugs: q, regressions: r };
}

/** A negative binomial count's variance at most this many times its mean (see `checkCounts`). */
export const MAX_DISPERSION = 25;

/**
 * A random bug count must stay within the bug-count range but for a vanishing tail. A negative
 * binomial with mean mu and variance v has P(q = n + 1)/P(q = n) -> x = 1 - mu/v, so its tail
 * beyond n falls like x^n; v <= 25 mu gives x <= 0.96 and a tail beyond 1,000 bugs below e^-40
 * (and the closed forms' sums over q end by then).
 */
export function checkCounts(s: Scenario, file: string): void {
  for (const m of Object.values(s.models)) {
    // to rounding: 25 x 1e-6 is 2.4999999999999998e-5, and 2.5e-5 was refused as above "0.000025"
    if (m.bugs.kind !== "negbinomial" || m.bugs.variance <= MAX_DISPERSION * m.bugs.mean * (1 + 1e-12)) continue;
    throw new ScenarioError(
      file,
      `models.${m.name}.bugs.count.variance`,
      `must be at most ${MAX_DISPERSION} x the mean (${+(MAX_DISPERSION * m.bugs.mean).toPrecision(6)}), got ${m.bugs.variance}: ` +
        `a larger variance puts runs of more than ${RANGES.bugCount.max} bugs within reach`,
    );
  }
}

/**
 * A long-context tier must be within MAX_EXPECTED_ATTEMPTS attempts of a shared conversation's
 * start: the closed form sums the attempt distribution up to the first attempt priced at the tier,
 * t* = (above - L1)/Delta + 2 (docs/model.md, section 8; the bound is section 7's), which took 87 s for a tier 4.5 million
 * attempts away (0.002 tokens per attempt). Checked where that sum is made: shared context,
 * constant tokens, a tier on a model that fixes or consults, above L1.
 */
export function checkTiers(s: Scenario, file: string): void {
  const { fixOutput, errorTrace, prompt, generation } = s.tokens;
  if (!s.contexts.includes("shared") || fixOutput.kind !== "constant" || errorTrace.kind !== "constant") return;
  const delta = fixOutput.value + errorTrace.value;
  const L1 = prompt + generation;
  for (const st of s.strategies) {
    for (const name of fixPhaseModels(st.ladder)) {
      const tier = s.models[name]!.price.longContext;
      if (tier === null || delta === 0 || L1 > tier.above) continue;
      const attempts = (tier.above - L1) / delta;
      if (attempts <= MAX_EXPECTED_ATTEMPTS) continue;
      throw new ScenarioError(
        file,
        `models.${name}.price.longContext.above`,
        `a shared conversation from ${L1} tokens, growing by ${delta} per attempt (tokens.fixOutput + tokens.errorTrace), ` +
          `reaches ${tier.above} only after ${attempts.toPrecision(3)} attempts, more than the ${MAX_EXPECTED_ATTEMPTS} the closed ` +
          `form sums: lower the threshold, raise the tokens, or leave the tier out`,
      );
    }
  }
}

/** A bug's requests on a ladder's bounded rungs, at most MAX_LADDER_REQUESTS. */
export function checkLadders(s: Scenario, file: string): void {
  for (const st of s.strategies) {
    const requests = st.ladder.reduce((sum, rung) => sum + (rung.kind === "consult" ? 1 : (rung.attempts ?? 0)), 0);
    if (requests <= MAX_LADDER_REQUESTS) continue;
    throw new ScenarioError(
      file,
      `strategies.${st.name}.ladder`,
      `its bounded rungs allow a bug ${requests} requests (attempts and consults), more than ${MAX_LADDER_REQUESTS}: ` +
        `use fewer or smaller rungs (a last rung without attempts has no bound)`,
    );
  }
}

/**
 * At most MAX_RUNGS rungs in the file's ladders together, checked on the file's data before the
 * schema reads it (the schema took 3 s over the audit's million rungs before saying anything).
 */
export function checkRungCount(raw: unknown, file: string): void {
  const strategies = (raw as { strategies?: unknown } | null)?.strategies;
  if (strategies === null || typeof strategies !== "object" || Array.isArray(strategies)) return;
  // too many strategies is the schema's to say (600 plain ones were "600 rungs": a review)
  if (Object.keys(strategies).length > MAX_STRATEGIES) return;
  let rungs = 0;
  for (const st of Object.values(strategies)) {
    const ladder = (st as { ladder?: unknown } | null)?.ladder;
    rungs += Array.isArray(ladder) ? ladder.length : 1; // a single fixer is a ladder of one rung
  }
  if (rungs > MAX_RUNGS) {
    throw new ScenarioError(file, "strategies", `their ladders have ${groupDigits(rungs)} rungs in all, more than ${MAX_RUNGS}: use fewer or shorter ladders (a rung's attempts count as one rung)`);
  }
}

/**
 * The largest factor by which error-trace growth may scale one attempt's trace, (1 + g)^(k-1):
 * with it a capped run's tokens, their cost and its square stay finite.
 */
export const MAX_GROWTH_FACTOR = 1e100;

/**
 * With growth g and at most K attempts on a bug (a cap, or a ladder whose rungs are all
 * bounded), the K-th attempt's error trace is (1 + g)^(K-1) times the first: at most
 * MAX_GROWTH_FACTOR. (An unbounded ladder needs (1 + g)(1 - p) < 1 for a finite expectation,
 * which checks.ts checks.)
 */
export function checkGrowth(s: Scenario, file: string): void {
  const g = s.tokens.errorGrowth;
  if (g === 0) return;
  for (const st of s.strategies) {
    const ladder = fixRungs(st.ladder).reduce((sum, rung) => sum + (rung.attempts ?? Infinity), 0);
    const cap = Math.min(ladder, s.limits.maxAttemptsPerBug ?? Infinity, s.limits.maxAttemptsPerRun ?? Infinity);
    if (cap === Infinity) continue;
    const logFactor = (cap - 1) * Math.log1p(g);
    if (logFactor <= Math.log(MAX_GROWTH_FACTOR)) continue;
    throw new ScenarioError(
      file,
      "tokens.errorGrowth",
      `with up to ${cap} attempts on a bug (strategy ${st.name}) the last error trace would be (1 + ${g})^${cap - 1}, about ` +
        `1e${Math.round(logFactor / Math.LN10)} times the first, more than ${MAX_GROWTH_FACTOR}: lower it or the attempts allowed`,
    );
  }
}
