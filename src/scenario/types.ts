/**
 * The normalized scenario that the model and the simulator read: prices in $ per token,
 * defaults filled in, strategies as ladders. See docs/model.md, sections 2, 5 and 7 to 10.
 */

/** The two ways a fixer reads the conversation (docs/model.md section 4), in the scenario's default order. */
export const CONTEXTS = ["shared", "fresh"] as const;
export type Context = (typeof CONTEXTS)[number];

/** A random quantity of the extensions (tokens per attempt, tool seconds). */
export type Distribution =
  | { kind: "constant"; value: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "lognormal"; mean: number; cv: number }
  | { kind: "empirical"; values: number[] };

/**
 * A per-attempt fix probability: a number, or a Beta distribution from which each bug draws its
 * p once (section 10), with a = mean x concentration and b = (1 - mean) x concentration.
 */
export type FixRate = { kind: "fixed"; p: number } | { kind: "beta"; mean: number; concentration: number; a: number; b: number };

/** The fix rates of one model (or of one rung) for the two difficulty classes. */
export interface FixRates {
  easy: FixRate;
  hard: FixRate;
}

/** The number of bugs a generator leaves: a whole number, or a count drawn per run (section 10). */
export type BugCount =
  | { kind: "fixed"; count: number }
  | { kind: "poisson"; mean: number }
  | { kind: "negbinomial"; mean: number; variance: number };

/** Prices of one tier, $ per token. */
export interface TierPrice {
  input: number;
  output: number;
  /** tokens read from the cache */
  cacheRead: number;
  /** input tokens new to the cache (written to it) */
  cacheWrite: number;
}

/** A model's prices (section 9): a base tier and an optional long-context tier. */
export interface Price extends TierPrice {
  /**
   * Whether the model caches: a caching section, cache prices or a preset. A model that does not
   * cache pays input for every input token; its cost breakdown books them as uncached input.
   */
  caches: boolean;
  /** A request whose whole input exceeds `above` tokens is priced entirely at this tier. */
  longContext: (TierPrice & { above: number }) | null;
  /** `provider/model` when the prices come from the price table */
  preset: string | null;
}

export interface Speed {
  ttftSeconds: number;
  outputTokensPerSecond: number;
}

export interface Regressions {
  /** r: chance (bernoulli) or mean number (poisson) of new bugs per successful fix. */
  probability: number;
  offspring: "bernoulli" | "poisson";
  /** phi_r: chance that a new bug is hard. */
  hardFraction: number;
}

export interface ModelSpec {
  name: string;
  price: Price;
  /** q: bugs left by this model as generator (a real number only inside crossover search). */
  bugs: BugCount;
  /** phi: chance (binomial) or fraction (exact) of those bugs that are hard. */
  hardFraction: number;
  /** exact: count x hardFraction bugs are hard; binomial: each bug is hard with probability phi */
  assignment: "exact" | "binomial";
  /** pe, ph: chance this model fixes an easy / hard bug in one attempt. */
  fix: FixRates;
  speed: Speed | null;
  regressions: Regressions | null;
  /** tokens a request of this model may read; null: unbounded */
  contextWindow: number | null;
}

/** A fixer rung: attempts by `model` until the bug is fixed or `attempts` are used up. */
export interface FixRung {
  kind: "fix";
  model: string;
  /** null: no bound (only the last rung may be unbounded) */
  attempts: number | null;
  /** the rung's own fix rates, or null for the model's */
  fix: FixRates | null;
}

/** A consult rung: one request by `model` that reads the conversation and writes `output` tokens of advice. */
export interface ConsultRung {
  kind: "consult";
  model: string;
  output: number;
}

/** One step of a fix ladder (section 8). A new kind of rung is one more member here. */
export type Rung = FixRung | ConsultRung;

export interface Strategy {
  name: string;
  generator: string;
  /** the rungs a bug climbs until fixed; `{fixer: m}` is the one-rung ladder [{fixer: m}] */
  ladder: Rung[];
}

export interface Scenario {
  name: string;
  /** The seed as written in the file; streams are derived from its string form. */
  seed: number | string;
  trials: number;
  models: Record<string, ModelSpec>;
  tokens: {
    /** L0 */
    prompt: number;
    /** G0 */
    generation: number;
    /** G: output tokens per fix attempt. */
    fixOutput: Distribution;
    /** E: error-trace tokens per fix attempt. */
    errorTrace: Distribution;
    /** g: the k-th attempt on one bug has its error trace scaled by (1 + g)^(k-1). */
    errorGrowth: number;
  };
  caching: {
    /** alpha: the default cacheRead of a model is alpha x its input price */
    readMultiplier: number;
    /** w: the default cacheWrite of a model is w x its input price */
    writeMultiplier: number;
    ttlSeconds: number | null;
  };
  toolSeconds: Distribution | null;
  contexts: Context[];
  strategies: Strategy[];
  limits: { maxAttemptsPerBug: number | null; maxAttemptsPerRun: number | null };
  /** after a context-window overflow: summary tokens of the compaction, or null (the run stops) */
  compaction: { summary: number } | null;
}
