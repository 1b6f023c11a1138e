/**
 * The normalized scenario that the model and the simulator read: prices in $ per token,
 * defaults filled in, strategies listed. See `docs/model.md`, sections 2, 5 and 7.
 */

export type Context = "shared" | "fresh";
export const CONTEXTS: readonly Context[] = ["shared", "fresh"];

/** A random quantity of the extensions (tokens per attempt, tool seconds). */
export type Distribution =
  | { kind: "constant"; value: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "lognormal"; mean: number; cv: number }
  | { kind: "empirical"; values: number[] };

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
  /** c_in, c_out: $ per token (the file gives $ per million). */
  inputPrice: number;
  outputPrice: number;
  /** q: bugs left by this model as generator (a real number only inside crossover search). */
  bugCount: number;
  /** phi: fraction of those bugs that are hard. */
  hardFraction: number;
  assignment: "exact" | "binomial";
  /** pe, ph: chance this model fixes an easy / hard bug in one attempt. */
  fixEasy: number;
  fixHard: number;
  speed: Speed | null;
  regressions: Regressions | null;
}

export interface Strategy {
  name: string;
  generator: string;
  fixer: string;
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
    /** alpha */
    readMultiplier: number;
    /** w */
    writeMultiplier: number;
    ttlSeconds: number | null;
  };
  toolSeconds: Distribution | null;
  contexts: Context[];
  strategies: Strategy[];
  limits: { maxAttemptsPerBug: number | null; maxAttemptsPerRun: number | null };
}
