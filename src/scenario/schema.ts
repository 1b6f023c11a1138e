/**
 * The scenario file's schema (model page, section 7, and the extension keys of section 5).
 *
 * Every object is strict: an unknown key is an error, so a typo never falls back to a default.
 * Checks that span several keys (whole hard-bug counts, strategies naming models, regressions
 * that never end) live in `crossChecks` in load.ts, where all keys are known.
 */
import { z } from "zod";

/** Runs per strategy and context at most: 8 bytes each are kept for the quantiles. */
export const MAX_TRIALS = 100_000_000;

const num = () => z.number({ error: "must be a number" });
const nonNegative = () => num().min(0, { error: "must be >= 0" });
const positive = () => num().gt(0, { error: "must be > 0" });
const probability = () =>
  num().gt(0, { error: "must be a probability in (0, 1]" }).lte(1, { error: "must be a probability in (0, 1]" });
const fraction = () =>
  num().min(0, { error: "must be a fraction in [0, 1]" }).max(1, { error: "must be a fraction in [0, 1]" });
const wholeAtLeast = (min: number) =>
  num().int({ error: "must be a whole number" }).min(min, { error: `must be a whole number >= ${min}` });

/** A random quantity: a plain number is a constant. */
const distributionObject = z.discriminatedUnion(
  "dist",
  [
    z.strictObject({ dist: z.literal("constant"), value: nonNegative() }),
    z
      .strictObject({ dist: z.literal("uniform"), min: nonNegative(), max: nonNegative() })
      .refine((d) => d.max >= d.min, { error: "max must be >= min", path: ["max"] }),
    z.strictObject({ dist: z.literal("lognormal"), mean: positive(), cv: nonNegative() }),
    z.strictObject({
      dist: z.literal("empirical"),
      values: z.array(nonNegative(), { error: "must be a list of numbers" }).min(1, { error: "must not be empty" }),
    }),
  ],
  { error: "must be one of constant, uniform, lognormal, empirical" },
);
export const distributionSchema = z.union([nonNegative(), distributionObject], {
  error: "must be a number >= 0 or {dist: constant|uniform|lognormal|empirical, ...}",
});

/** A fix probability: a number in (0, 1], or a Beta distribution drawn once per bug (section 10). */
const fixRateSchema = z.union(
  [
    probability(),
    z.strictObject({
      dist: z.literal("beta", { error: "must be beta" }),
      mean: num().gt(0, { error: "must be in (0, 1)" }).lt(1, { error: "must be in (0, 1)" }),
      concentration: positive(),
    }),
  ],
  { error: "must be a probability in (0, 1] or {dist: beta, mean, concentration}" },
);
const fixRatesSchema = z.strictObject({ easy: fixRateSchema, hard: fixRateSchema });

/** Bugs left by a generator: a whole number, or a count drawn per run (section 10). */
const bugCountSchema = z.union(
  [
    wholeAtLeast(0),
    z.discriminatedUnion(
      "dist",
      [
        z.strictObject({ dist: z.literal("poisson"), mean: positive() }),
        z.strictObject({ dist: z.literal("negbinomial"), mean: positive(), variance: positive() }),
      ],
      { error: "must be one of poisson, negbinomial" },
    ),
  ],
  { error: "must be a whole number >= 0 or {dist: poisson|negbinomial, mean, ...}" },
);

/** Prices of a long-context tier, $ per million tokens (section 9). */
const tierSchema = z.strictObject({
  above: wholeAtLeast(1),
  input: nonNegative(),
  output: nonNegative(),
  cacheRead: nonNegative().optional(),
  cacheWrite: nonNegative().optional(),
});

/** $ per million tokens by hand, or a preset from the price table (section 9). */
const priceSchema = z.union(
  [
    z.strictObject({
      input: nonNegative(),
      output: nonNegative(),
      cacheRead: nonNegative().optional(),
      cacheWrite: nonNegative().optional(),
      longContext: tierSchema.optional(),
    }),
    z.strictObject({ preset: z.string({ error: "must be a string, provider/model" }) }),
  ],
  { error: "must be {input, output, ...} in $ per million tokens or {preset: provider/model}" },
);

const modelSchema = z.strictObject({
  price: priceSchema,
  bugs: z.strictObject({
    count: bugCountSchema,
    hardFraction: fraction(),
    assignment: z.enum(["exact", "binomial"], { error: "must be exact or binomial" }).optional(),
  }),
  fix: fixRatesSchema,
  speed: z.strictObject({ ttftSeconds: nonNegative(), outputTokensPerSecond: positive() }).optional(),
  regressions: z
    .strictObject({
      probability: nonNegative(),
      offspring: z.enum(["bernoulli", "poisson"], { error: "must be bernoulli or poisson" }).default("bernoulli"),
      hardFraction: fraction(),
    })
    .optional(),
  contextWindow: wholeAtLeast(1).optional(),
});

/**
 * One rung of a fix ladder (section 8): `{fixer, attempts?, fix?}` or `{consult, output}`. Which
 * keys go together is checked in load.ts, where a message can name the rung.
 */
const rungSchema = z.strictObject({
  fixer: z.string({ error: "must be a model name" }).optional(),
  attempts: wholeAtLeast(1).optional(),
  fix: fixRatesSchema.optional(),
  consult: z.string({ error: "must be a model name" }).optional(),
  output: nonNegative().optional(),
});

/** A strategy: a generator and either one fixer or a ladder of rungs (exactly one; see load.ts). */
const strategySchema = z.strictObject({
  generator: z.string({ error: "must be a model name" }),
  fixer: z.string({ error: "must be a model name" }).optional(),
  ladder: z.array(rungSchema, { error: "must be a list of rungs" }).min(1, { error: "must have at least one rung" }).optional(),
});

const modelName = z.string().regex(/^[A-Za-z0-9_.]+$/, { error: "model names use letters, digits, _ and . only" });

const rangeSchema = z.strictObject({
  from: num(),
  to: num(),
  steps: wholeAtLeast(1),
  scale: z.enum(["linear", "log"], { error: "must be linear or log" }).default("linear"),
});
export const sweepAxisSchema = z.union(
  [z.array(num(), { error: "must be a list of numbers" }).min(1, { error: "must not be empty" }), rangeSchema],
  { error: "must be a list of numbers or {from, to, steps, scale: linear|log}" },
);

export const scenarioSchema = z.strictObject({
  name: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
  seed: z.union([wholeAtLeast(0), z.string()], { error: "must be a whole number >= 0 or a string" }),
  trials: wholeAtLeast(1).max(MAX_TRIALS, { error: `must be at most ${MAX_TRIALS} (each run's cost is kept in memory)` }),
  models: z
    .record(modelName, modelSchema, { error: "must be a map of model name to model" })
    .refine((m) => Object.keys(m).length >= 1, { error: "must define at least one model" }),
  tokens: z.strictObject({
    prompt: nonNegative(),
    generation: nonNegative(),
    fixOutput: distributionSchema,
    errorTrace: distributionSchema,
    errorGrowth: nonNegative().default(0),
  }),
  caching: z
    .strictObject({
      readMultiplier: nonNegative(),
      writeMultiplier: nonNegative(),
      ttlSeconds: positive().optional(),
    })
    .default({ readMultiplier: 1, writeMultiplier: 1 }),
  toolSeconds: distributionSchema.optional(),
  contexts: z
    .array(z.enum(["shared", "fresh"], { error: "must be shared or fresh" }), { error: "must be a list" })
    .min(1, { error: "must name at least one context" })
    .refine((c) => new Set(c).size === c.length, { error: "must not repeat a context" })
    .default(["shared", "fresh"]),
  strategies: z
    .record(z.string().min(1), strategySchema, {
      error: "must be a map of strategy name to {generator, fixer} or {generator, ladder}",
    })
    .refine((m) => Object.keys(m).length >= 1, { error: "must define at least one strategy (or leave strategies out)" })
    .optional(),
  limits: z
    .strictObject({ maxAttemptsPerBug: wholeAtLeast(1).optional(), maxAttemptsPerRun: wholeAtLeast(1).optional() })
    .optional(),
  compaction: z.strictObject({ summary: nonNegative() }).optional(),
  sweep: z.record(z.string(), sweepAxisSchema, { error: "must be a map of dotted key to values" }).optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type DistributionInput = z.output<typeof distributionSchema>;
export type FixRateInput = z.output<typeof fixRateSchema>;
export type FixRatesInput = z.output<typeof fixRatesSchema>;
export type BugCountInput = z.output<typeof bugCountSchema>;
export type PriceInput = z.output<typeof priceSchema>;
export type RungInput = z.output<typeof rungSchema>;
export type SweepAxis = z.output<typeof sweepAxisSchema>;
