/**
 * The scenario file's schema (docs/model.md, section 7, and the extension keys of section 5).
 *
 * Every object is strict: an unknown key is an error, so a typo never falls back to a default.
 * Every number is bounded by its kind's range in bounds.ts (`n("tokens")`), one table for all
 * keys. Checks that span several keys (whole hard-bug counts, strategies naming models,
 * regressions that never end, expected attempts per run) live in load.ts and bounds.ts, where
 * all keys are known.
 */
import { z } from "zod";
import { bounded, type RangeKind } from "./bounds.js";

export { MAX_TRIALS } from "./bounds.js";

/** A number of one kind of bounds.ts, e.g. `n("tokens")`. */
const n: (kind: RangeKind) => z.ZodNumber = bounded;
/** Any finite number (sweep ranges: their points are validated as scenario values). */
const num = () => z.number({ error: "must be a number" });

/** A random quantity of tokens or seconds: a plain number is a constant. */
function distributionSchema(value: "tokens" | "seconds", mean: "tokenMean" | "positiveSeconds") {
  const dist = z.discriminatedUnion(
    "dist",
    [
      z.strictObject({ dist: z.literal("constant"), value: n(value) }),
      z
        .strictObject({ dist: z.literal("uniform"), min: n(value), max: n(value) })
        .refine((d) => d.max >= d.min, { error: "max must be >= min", path: ["max"] }),
      z.strictObject({ dist: z.literal("lognormal"), mean: n(mean), cv: n("cv") }),
      z.strictObject({
        dist: z.literal("empirical"),
        values: z.array(n(value), { error: "must be a list of numbers" }).min(1, { error: "must not be empty" }),
      }),
    ],
    { error: "must be one of constant, uniform, lognormal, empirical" },
  );
  return z.union([n(value), dist], { error: "must be a number >= 0 or {dist: constant|uniform|lognormal|empirical, ...}" });
}
const tokenDistribution = distributionSchema("tokens", "tokenMean");
const secondsDistribution = distributionSchema("seconds", "positiveSeconds");

const modelSchema = z.strictObject({
  price: z.strictObject({ input: n("price"), output: n("price") }),
  bugs: z.strictObject({
    count: n("bugCount"),
    hardFraction: n("fraction"),
    assignment: z.enum(["exact", "binomial"], { error: "must be exact or binomial" }).default("exact"),
  }),
  fix: z.strictObject({ easy: n("fixRate"), hard: n("fixRate") }),
  speed: z.strictObject({ ttftSeconds: n("seconds"), outputTokensPerSecond: n("tokensPerSecond") }).optional(),
  regressions: z
    .strictObject({
      probability: n("regression"),
      offspring: z.enum(["bernoulli", "poisson"], { error: "must be bernoulli or poisson" }).default("bernoulli"),
      hardFraction: n("fraction"),
    })
    .optional(),
});

const modelName = z.string().regex(/^[A-Za-z0-9_.]+$/, { error: "model names use letters, digits, _ and . only" });

const rangeSchema = z.strictObject({
  from: num(),
  to: num(),
  steps: n("gridSteps"),
  scale: z.enum(["linear", "log"], { error: "must be linear or log" }).default("linear"),
});
export const sweepAxisSchema = z.union(
  [z.array(num(), { error: "must be a list of numbers" }).min(1, { error: "must not be empty" }), rangeSchema],
  { error: "must be a list of numbers or {from, to, steps, scale: linear|log}" },
);

export const scenarioSchema = z.strictObject({
  name: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
  seed: z.union([n("seed"), z.string()], { error: "must be a whole number >= 0 or a string" }),
  trials: n("trials"),
  models: z
    .record(modelName, modelSchema, { error: "must be a map of model name to model" })
    .refine((m) => Object.keys(m).length >= 1, { error: "must define at least one model" }),
  tokens: z.strictObject({
    prompt: n("tokens"),
    generation: n("tokens"),
    fixOutput: tokenDistribution,
    errorTrace: tokenDistribution,
    errorGrowth: n("growth").default(0),
  }),
  caching: z
    .strictObject({
      readMultiplier: n("multiplier"),
      writeMultiplier: n("multiplier"),
      ttlSeconds: n("positiveSeconds").optional(),
    })
    .default({ readMultiplier: 1, writeMultiplier: 1 }),
  toolSeconds: secondsDistribution.optional(),
  contexts: z
    .array(z.enum(["shared", "fresh"], { error: "must be shared or fresh" }), { error: "must be a list" })
    .min(1, { error: "must name at least one context" })
    .refine((c) => new Set(c).size === c.length, { error: "must not repeat a context" })
    .default(["shared", "fresh"]),
  strategies: z
    .record(z.string().min(1), z.strictObject({ generator: z.string(), fixer: z.string() }), {
      error: "must be a map of strategy name to {generator, fixer}",
    })
    .refine((m) => Object.keys(m).length >= 1, { error: "must define at least one strategy (or leave strategies out)" })
    .optional(),
  limits: z
    .strictObject({ maxAttemptsPerBug: n("attempts").optional(), maxAttemptsPerRun: n("attempts").optional() })
    .optional(),
  sweep: z.record(z.string(), sweepAxisSchema, { error: "must be a map of dotted key to values" }).optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type DistributionInput = z.output<typeof tokenDistribution>;
export type SweepAxis = z.output<typeof sweepAxisSchema>;
