/**
 * Every estimate from the data under run weights (1 each for the data as observed; the bootstrap's
 * resampling counts for a replicate), and the table of parameters by their scenario keys.
 */
import { patternCounts, type FitData, type RunColumn } from "./data.js";
import { defaultStarts, fitMixture, type MixtureFit, type MixtureParams } from "./mixture.js";

export const TOKEN_KEYS = ["prompt", "generation", "fixOutput", "errorTrace"] as const;
export type TokenKey = (typeof TOKEN_KEYS)[number];

export interface Estimates {
  mixture: MixtureFit;
  /** mean bugs per generation, per generator (null for a generator with no runs) */
  bugCount: (number | null)[];
  /** mean tokens (null where nothing was observed: no fix attempts, no attempt pairs) */
  tokens: Record<TokenKey, number | null>;
}

/** sum_r w_r x_r / sum_r w_r y_r over the runs that `keep` selects; null when the denominator is 0. */
export function weightedRatio(weights: Float64Array, x: Float64Array, y: Float64Array | null, keep: (r: number) => boolean = () => true): number | null {
  let num = 0;
  let den = 0;
  for (let r = 0; r < weights.length; r++) {
    const w = weights[r]!;
    if (w === 0 || !keep(r)) continue;
    num += w * x[r]!;
    den += w * (y ? y[r]! : 1);
  }
  return den > 0 ? num / den : null;
}

/** Which run column (over which count) gives each token mean. */
const TOKEN_COLUMNS: Record<TokenKey, [RunColumn, RunColumn | null]> = {
  prompt: ["prompt", null],
  generation: ["generation", null],
  fixOutput: ["fixOutputSum", "fixOutputCount"],
  errorTrace: ["errorTraceSum", "errorTraceCount"],
};

/**
 * The estimates under run weights; `starts` seeds EM (default: around the one-class rates), or
 * gives the starts from the weighted pattern counts.
 */
export function estimate(data: FitData, weights: Float64Array, starts?: MixtureParams[] | ((counts: Float64Array) => MixtureParams[])): Estimates {
  const counts = patternCounts(data, weights);
  const mixture = fitMixture(data.mixture, counts, typeof starts === "function" ? starts(counts) : (starts ?? defaultStarts(data.mixture, counts)));
  const { columns } = data;
  const bugCount = data.generators.map((_, g) => weightedRatio(weights, columns.bugs, null, (r) => data.runGenerator[r] === g));
  const tokens = Object.fromEntries(
    TOKEN_KEYS.map((t) => {
      const [x, y] = TOKEN_COLUMNS[t];
      return [t, weightedRatio(weights, columns[x], y && columns[y])];
    }),
  ) as Record<TokenKey, number | null>;
  return { mixture, bugCount, tokens };
}

/** What a parameter is, for how its value is written into a scenario. */
export type ParameterKind = "fixRate" | "hardFraction" | "bugCount" | "tokens";

export interface ParameterDef {
  /** the dotted scenario key */
  key: string;
  kind: ParameterKind;
  /** the model (fix rates, bugs) or the token key */
  subject: string;
  read: (e: Estimates) => number | null;
  /** whether EM found the likelihood flat along it (see MixtureFit.flat); never for counts and tokens */
  flat: (e: Estimates) => boolean;
}

const never = () => false;

/** Every parameter the fit estimates, keyed by its dotted scenario path. */
export function parameterDefs(data: FitData): ParameterDef[] {
  return [
    // a model's rates, or a rung's own (its source is its key, see rateSource)
    ...data.sources.flatMap((m, s): ParameterDef[] => {
      const at = m === data.sourceModels[s] ? `models.${m}.fix` : `${m}.fix`;
      return [
        { key: `${at}.easy`, kind: "fixRate", subject: m, read: (e) => e.mixture.easy[s]!, flat: (e) => e.mixture.flat.easy[s]! },
        { key: `${at}.hard`, kind: "fixRate", subject: m, read: (e) => e.mixture.hard[s]!, flat: (e) => e.mixture.flat.hard[s]! },
      ];
    }),
    ...data.generators.flatMap((m, g): ParameterDef[] => [
      { key: `models.${m}.bugs.count`, kind: "bugCount", subject: m, read: (e) => e.bugCount[g]!, flat: never },
      { key: `models.${m}.bugs.hardFraction`, kind: "hardFraction", subject: m, read: (e) => e.mixture.phi[g]!, flat: (e) => e.mixture.flat.phi[g]! },
    ]),
    ...TOKEN_KEYS.map((t): ParameterDef => ({ key: `tokens.${t}`, kind: "tokens", subject: t, read: (e) => e.tokens[t], flat: never })),
  ];
}
