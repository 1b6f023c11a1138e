/**
 * The validation suite's checks (README, "Validation"): each strategy and context of a scenario
 * whose closed form exists is a check of its simulated mean cost, and of its mean wall-clock time
 * where there is a time model, judged by the skewness-corrected z at a Bonferroni threshold over
 * all the checks (stats/threshold.ts). A cost of infinite variance (a heavy-tailed beta rate) has
 * no standard error to check against, and is none.
 */
import type { Scenario } from "../scenario/types.js";
import { checkMean } from "../stats/check.js";
import { familyThreshold } from "../stats/threshold.js";
import type { SimResult } from "./evaluate.js";

export interface ValidationCheck {
  scenario: string;
  /** what is checked: the mean cost per run ($), or the mean wall-clock time per run (s) */
  quantity: "cost" | "wall seconds";
  strategy: string;
  context: string;
  trials: number;
  analyticMean: number;
  mean: number;
  stdError: number;
  /** (mean - analyticMean) / stdError (stats/check.ts zScore): 0 within rounding of the closed form, whatever the spread */
  z: number | null;
  relError: number;
  verdict: "consistent" | "inconsistent" | "too few runs";
}

export interface Validation {
  checks: ValidationCheck[];
  /** the |z| each check is held to: Z_THRESHOLD for one, Bonferroni over the checks */
  threshold: number;
  /** checks judged inconsistent, and checks with too few runs to be judged */
  failed: number;
  tooFewRuns: number;
}

/** The checks of each scenario's simulated results (`results[i]` are `scenarios[i]`'s). */
export function validate(scenarios: readonly Scenario[], results: readonly SimResult[][]): Validation {
  const rows = scenarios.flatMap((scenario, i) =>
    results[i]!.flatMap((r) => {
      const base = { scenario: scenario.name, strategy: r.strategy, context: r.context, trials: r.trials };
      const cost =
        r.analyticMean === null || r.verdict === "infinite variance"
          ? []
          : [{ ...base, quantity: "cost" as const, expected: r.analyticMean, mean: r.mean, stdError: r.stdError, skewness: r.skewness }];
      const wall =
        r.expectedWallSeconds === null || r.meanWallSeconds === null
          ? []
          : [{ ...base, quantity: "wall seconds" as const, expected: r.expectedWallSeconds, mean: r.meanWallSeconds, stdError: r.wallStdError!, skewness: r.wallSkewness! }];
      return [...cost, ...wall];
    }),
  );
  const threshold = familyThreshold(rows.length);
  const checks = rows.map(({ expected, skewness, ...row }): ValidationCheck => {
    const check = checkMean({ n: row.trials, mean: row.mean, stdError: row.stdError, skewness }, expected, threshold);
    return { ...row, analyticMean: expected, z: check.z, relError: check.relError!, verdict: check.verdict as ValidationCheck["verdict"] };
  });
  const count = (verdict: ValidationCheck["verdict"]) => checks.filter((c) => c.verdict === verdict).length;
  return { checks, threshold, failed: count("inconsistent"), tooFewRuns: count("too few runs") };
}
