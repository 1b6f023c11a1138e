/**
 * The scenario file's schema (docs/model.md, section 7, the extension keys of section 5 and the
 * keys of sections 8-10).
 *
 * Every object is strict: an unknown key is an error, so a typo never falls back to a default.
 * Every number is bounded by its kind's range in bounds.ts (`n("tokens")`), one table for all
 * keys. Checks that span several keys (strategies naming models, which keys go together in a
 * rung, whole hard-bug counts, regressions that never end) live in checks.ts, and the bound on a
 * run's expected fix attempts in bounds.ts, where all keys are known.
 */
import * as z from "zod";
import { displayWidth } from "../text.js";
import { UNPRINTABLE } from "../errors.js";
import { bounded, type RangeKind } from "./bounds.js";
import { CONTEXTS } from "./types.js";

export { MAX_TRIALS } from "./bounds.js";

/** A number of one kind of bounds.ts, e.g. `n("tokens")`. */
const n: (kind: RangeKind) => z.ZodNumber = bounded;
/** Any finite number (sweep ranges: their points are validated as scenario values). */
const num = () => z.number({ error: "must be a number" });

/**
 * The longest names, in characters: names head the rows of tables, and a strategy's row also
 * shows its models. A strategy's leaves room for a default strategy's name, `<generator>-<fixer>`.
 */
export const NAME_LENGTH = { model: 24, strategy: 2 * 24 + 1 } as const;

/** White space at either end of a text. */
const EDGE_SPACE = /^\s|\s$/u;

/**
 * Text printed as given (a name in tables, the decision and the report): no control or
 * formatting character (see UNPRINTABLE; the message names the first one), and no white space
 * at either end, where it cannot be seen (a name of spaces alone would print as nothing, and
 * "a" and "a " as the same name).
 */
function printable(schema: z.ZodString): z.ZodString {
  return schema
    .refine((s) => s.search(UNPRINTABLE) < 0, {
      error: (issue) => `must not contain control or formatting characters (it holds ${codePoint(String(issue.input).match(UNPRINTABLE)![0])})`,
    })
    .refine((s) => !EDGE_SPACE.test(s), {
      error: (issue) => {
        const edge = String(issue.input).match(EDGE_SPACE)!;
        return `must not begin or end with white space (it ${edge.index === 0 ? "begins" : "ends"} with ${codePoint(edge[0])})`;
      },
    })
    .refine((s) => !LONE_SURROGATE.test(s), {
      error: (issue) => `must be valid Unicode (it holds a lone surrogate, ${codePoint(String(issue.input).match(LONE_SURROGATE)![0])}, which prints as \uFFFD)`,
    })
    // "café" typed as e + a combining accent prints as "café" typed as one character: two names alike
    .refine((s) => s === s.normalize("NFC"), {
      error: "must be in Unicode's composed form, NFC (as written it prints like a different string, such as a letter and a combining accent for one accented letter)",
    });
}

/** Half of a surrogate pair on its own: no character. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A character as U+XXXX. */
function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * A model's or strategy's name: printable, 1 to NAME_LENGTH[kind] columns wide as a terminal
 * shows it (a wide character such as 日 takes 2: 49 of them made a table 107 columns wide at 80).
 */
function nameOf(kind: keyof typeof NAME_LENGTH, schema: z.ZodString): z.ZodString {
  const most = NAME_LENGTH[kind];
  return printable(
    schema.min(1, { error: "must not be empty" }).refine((s) => displayWidth(s) <= most, {
      error: (issue) => {
        const [chars, columns] = [[...String(issue.input)].length, displayWidth(String(issue.input))];
        return `must be at most ${most} characters wide (it is ${columns}${columns !== chars ? `: ${chars} characters, a wide one such as 日 counting 2` : ""})`;
      },
    }),
  );
}

/** What a spreadsheet reads as the start of a formula in a CSV cell (OWASP's "CSV injection"). */
const FORMULA_START = /^[=+\-@]/;

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

/** A fix probability: a number, or a Beta distribution drawn once per bug (section 10). */
const fixRateSchema = z.union(
  [
    n("fixRate"),
    z.strictObject({
      dist: z.literal("beta", { error: "must be beta" }),
      mean: n("betaMean"),
      concentration: n("concentration"),
    }),
  ],
  { error: "must be a probability or {dist: beta, mean, concentration}" },
);
const fixRatesSchema = z.strictObject({ easy: fixRateSchema, hard: fixRateSchema });

/** Bugs left by a generator: a whole number, or a count drawn per run (section 10). */
const bugCountSchema = z.union(
  [
    n("bugCount"),
    z.discriminatedUnion(
      "dist",
      [
        z.strictObject({ dist: z.literal("poisson"), mean: n("bugMean") }),
        z.strictObject({ dist: z.literal("negbinomial"), mean: n("bugMean"), variance: n("bugVariance") }),
      ],
      { error: "must be one of poisson, negbinomial" },
    ),
  ],
  { error: "must be a whole number >= 0 or {dist: poisson|negbinomial, mean, ...}" },
);

/** Prices of a long-context tier, $ per million tokens (section 9). */
const tierSchema = z.strictObject({
  above: n("tokenLimit"),
  input: n("price"),
  output: n("price"),
  cacheRead: n("price").optional(),
  cacheWrite: n("price").optional(),
});

/** The longest preset id taken, in characters (the table's longest is 72). */
const PRESET_LENGTH = 200;

/** $ per million tokens by hand, or a preset from the price table (section 9). */
const priceSchema = z.union(
  [
    z.strictObject({
      input: n("price"),
      output: n("price"),
      cacheRead: n("price").optional(),
      cacheWrite: n("price").optional(),
      longContext: tierSchema.optional(),
    }),
    z.strictObject({
      preset: z
        .string({ error: "must be a string, provider/model" })
        .min(1, { error: "must not be empty: a provider/model id of the price table (agentsim prices lists them)" })
        // the longest id is 72 characters; a 900 KB name took 16 s of edit distances to the nearest ids (the prices audit)
        .max(PRESET_LENGTH, { error: `must be at most ${PRESET_LENGTH} characters, as every id of the price table is` }),
    }),
  ],
  { error: "must be {input, output, ...} in $ per million tokens or {preset: provider/model}" },
);

const modelSchema = z.strictObject({
  price: priceSchema,
  bugs: z.strictObject({
    count: bugCountSchema,
    hardFraction: n("fraction"),
    assignment: z.enum(["exact", "binomial"], { error: "must be exact or binomial" }).optional(),
  }),
  fix: fixRatesSchema,
  speed: z.strictObject({ ttftSeconds: n("seconds"), outputTokensPerSecond: n("tokensPerSecond") }).optional(),
  regressions: z
    .strictObject({
      probability: n("regression"),
      offspring: z.enum(["bernoulli", "poisson"], { error: "must be bernoulli or poisson" }).default("bernoulli"),
      hardFraction: n("fraction"),
    })
    .optional(),
  contextWindow: n("tokenLimit").optional(),
});

/**
 * One rung of a fix ladder (section 8): `{fixer, attempts?, fix?}` or `{consult, output}`. Which
 * keys go together is checked in checks.ts, where a message can name the rung.
 */
const rungSchema = z.strictObject({
  fixer: z.string({ error: "must be a model name" }).optional(),
  attempts: n("rungAttempts").optional(),
  fix: fixRatesSchema.optional(),
  consult: z.string({ error: "must be a model name" }).optional(),
  output: n("tokens").optional(),
});

/** A strategy: a generator and either one fixer or a ladder of rungs (exactly one; see checks.ts). */
const strategySchema = z.strictObject({
  generator: z.string({ error: "must be a model name" }),
  fixer: z.string({ error: "must be a model name" }).optional(),
  ladder: z.array(rungSchema, { error: "must be a list of rungs" }).min(1, { error: "must have at least one rung" }).optional(),
});

/**
 * The characters of a model's name: it is a key of the file, and a step of every dotted key under
 * it (models.<name>.bugs.count), which sweeps, crossovers, reports and fits address; a dot would
 * split it.
 */
export const MODEL_NAME = /^[A-Za-z0-9_]+$/;
const modelName = nameOf(
  "model",
  z.string().regex(MODEL_NAME, { error: "model names use letters, digits and _ only (a dot would split the dotted keys under the model)" }),
);

const strategyName = nameOf("strategy", z.string())
  .refine((name) => !name.includes(","), {
    error: "must not contain a comma: --between names two strategies separated by one",
  })
  // a strategy's name is a cell of every sweep CSV row
  .refine((name) => !FORMULA_START.test(name), {
    error: (issue) => `must not begin with ${String(issue.input)[0]}: a spreadsheet opening a sweep's CSV would run the name as a formula`,
  });

/** Why `s` may not name a strategy (a trace's strategy names head the notes and tables of a fit), in the schema's own words, or null. */
export function strategyNameProblem(s: string): string | null {
  const parsed = strategyName.safeParse(s);
  return parsed.success ? null : parsed.error.issues[0]!.message;
}

/** Whether `s` may name a model (a trace's model names become the keys of a fitted scenario): the schema's own rule. */
export function isModelName(s: string): boolean {
  return modelName.safeParse(s).success;
}

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
  name: printable(z.string({ error: "must be a string" }).min(1, { error: "must not be empty" })),
  seed: z.union([n("seed"), printable(z.string().min(1, { error: "must not be empty" }))], { error: "must be a whole number >= 0 or a string" }),
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
      // each 1 when left out: a file whose models are all presets (whose cache prices are given)
      // needs neither to set ttlSeconds, which picks their 1-hour write price
      readMultiplier: n("multiplier").default(1),
      writeMultiplier: n("multiplier").default(1),
      ttlSeconds: n("positiveSeconds").optional(),
    })
    .default({ readMultiplier: 1, writeMultiplier: 1 }),
  toolSeconds: secondsDistribution.optional(),
  contexts: z
    .array(z.enum(CONTEXTS, { error: `must be ${CONTEXTS.join(" or ")}` }), { error: "must be a list" })
    .min(1, { error: "must name at least one context" })
    .refine((c) => new Set(c).size === c.length, { error: "must not repeat a context" })
    .default([...CONTEXTS]),
  strategies: z
    .record(
      strategyName,
      strategySchema,
      {
        error: "must be a map of strategy name to {generator, fixer} or {generator, ladder}",
      },
    )
    .refine((m) => Object.keys(m).length >= 1, { error: "must define at least one strategy (or leave strategies out)" })
    .optional(),
  limits: z
    .strictObject({ maxAttemptsPerBug: n("attempts").optional(), maxAttemptsPerRun: n("attempts").optional() })
    .optional(),
  compaction: z.strictObject({ summary: n("tokens") }).optional(),
  sweep: z.record(z.string(), sweepAxisSchema, { error: "must be a map of dotted key to values" }).optional(),
});

export type ParsedScenario = z.output<typeof scenarioSchema>;
export type DistributionInput = z.output<typeof tokenDistribution>;
export type FixRateInput = z.output<typeof fixRateSchema>;
export type FixRatesInput = z.output<typeof fixRatesSchema>;
export type BugCountInput = z.output<typeof bugCountSchema>;
export type PriceInput = z.output<typeof priceSchema>;
export type RungInput = z.output<typeof rungSchema>;
export type SweepAxis = z.output<typeof sweepAxisSchema>;
