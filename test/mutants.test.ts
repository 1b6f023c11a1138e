/**
 * Values the simulation reports beyond its mean, each checked against a derivation that does not
 * read the code's output: the spread of lognormal token draws (a second moment, where the other
 * z-checks compare means), the half-means of a cost with an infinite mean, and the cost per
 * completed run under a cap. Each was a surviving mutant of the mutation audit (m32b): a change
 * of src that every test passed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateScenario } from "../src/evaluate/evaluate.js";
import { loadScenario, parseScenario } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/types.js";
import { compileParams } from "../src/sim/compile.js";
import { column } from "../src/sim/columns.js";
import { simulateChunk } from "../src/sim/kernel.js";
import { SimulationPool } from "../src/sim/pool.js";

/** |actual - expected| <= rel |expected| */
function expectRel(actual: number | null | undefined, expected: number, rel = 1e-12): void {
  expect(actual).toBeTypeOf("number");
  if (!(Math.abs((actual as number) - expected) <= rel * Math.abs(expected))) {
    expect.fail(`expected ${actual} to equal ${expected} within relative ${rel}`);
  }
}

const mean = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
};

describe("lognormal token draws (Box-Muller) are independent normals", () => {
  // fixOutput lognormal with mean m = 800 and cv 0.6 (docs/model.md section 5: sigma^2 =
  // ln(1 + cv^2)); every other token size constant, so a draw of fixOutput is the only random
  // token count. Output price 1 $ per million: the run's fixOutput column is (X_1 + ... ) x 1e-6 $.
  // Fix rates 1: each bug takes exactly one attempt, so a run with q bugs makes exactly q draws.
  const m = 800;
  const cv = 0.6;
  const lognormal = (bugs: number): Scenario =>
    parseScenario(
      {
        name: "lognormal-draws",
        seed: 1,
        trials: 1000,
        models: { w: { price: { input: 1, output: 1 }, bugs: { count: bugs, hardFraction: 0 }, fix: { easy: 1, hard: 1 } } },
        tokens: { prompt: 1000, generation: 1000, fixOutput: { dist: "lognormal", mean: m, cv }, errorTrace: 400 },
        contexts: ["fresh"],
        strategies: { ww: { generator: "w", fixer: "w" } },
      },
      "lognormal-draws.yaml",
    );
  const outputTokens = (s: Scenario, seed: string, runs: number): Float64Array => {
    const out = simulateChunk(compileParams(s, s.strategies[0]!, "fresh"), seed, runs).columns;
    return column(out, runs, "fixOutput").map((x) => x * 1e6);
  };

  it("a run's two draws add their variances: Var(X_1 + X_2) = 2 (m cv)^2 (a mutation audit: the spare normal equal to the first, sd 13% high on ext-variable-delta)", () => {
    const n = 50_000; // one chunk, one sampler: the normals come in Box-Muller pairs
    const S = outputTokens(lognormal(2), "box-muller", n);
    // For X lognormal with w = 1 + cv^2: Var X = (m cv)^2 = sigma_x^2, and its kurtosis
    // E[(X - m)^4] / sigma_x^4 = w^4 + 2 w^3 + 3 w^2 - 3 (the lognormal's excess kurtosis + 3).
    // For S = X_1 + X_2 independent: Var S = 2 sigma_x^2, E[(S - 2m)^4] = 2 k sigma_x^4 + 6 sigma_x^4,
    // so the sample variance's standard error is sqrt((mu4(S) - (Var S)^2) / n) = sqrt((2 k + 2) / n) sigma_x^2
    // (0.0219 sigma_x^2 at n = 50,000, against a Var S of 2 sigma_x^2: |z| <= 4.5 is within 5%;
    // equal draws would give Var S = 4 sigma_x^2, z about 90).
    const w = 1 + cv * cv;
    const k = w ** 4 + 2 * w ** 3 + 3 * w ** 2 - 3;
    const varX = (m * cv) ** 2;
    const mu = mean(S);
    let ss = 0;
    for (const x of S) ss += (x - mu) ** 2;
    const variance = ss / (n - 1);
    const se = Math.sqrt((2 * k + 2) / n) * varX;
    const z = (variance - 2 * varX) / se;
    expect(Math.abs(z), `variance ${variance}, expected ${2 * varX}, z ${z}`).toBeLessThanOrEqual(4.5);
    // and the mean, 2 m, with standard error sqrt(2 / n) m cv
    const zMean = (mu - 2 * m) / (Math.sqrt(2 / n) * m * cv);
    expect(Math.abs(zMean), `mean ${mu}, z ${zMean}`).toBeLessThanOrEqual(4.5);
  });

  it("successive runs' draws are uncorrelated: lag-1 correlation within 4.5/sqrt(n) of 0", () => {
    // one bug: each run makes one draw, so runs 2i and 2i + 1 take the two normals of one
    // Box-Muller pair. For independent draws with a finite fourth moment (the lognormal's is), the
    // lag-1 sample correlation has standard error 1/sqrt(n) (Bartlett); equal pairs would give 1/2.
    const n = 50_000;
    const X = outputTokens(lognormal(1), "box-muller-lag", n);
    const mu = mean(X);
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      den += (X[i]! - mu) ** 2;
      if (i + 1 < n) num += (X[i]! - mu) * (X[i + 1]! - mu);
    }
    const r = num / den;
    expect(den).toBeGreaterThan(0); // the draws vary
    expect(Math.abs(r), `lag-1 correlation ${r}`).toBeLessThanOrEqual(4.5 / Math.sqrt(n));
  });
});

describe("the simulation's summaries beyond the mean", () => {
  let pool: SimulationPool;
  beforeAll(() => {
    pool = new SimulationPool(1);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("half-means of a cost with an infinite mean are the means of the first floor(n/2) runs and of the rest (a mutation audit: the second divided by floor(n/2))", async () => {
    // A Beta fix rate with mean 0.5 and concentration 3 is Beta(1.5, 1.5): a <= 2, so the expected
    // cost is infinite (docs/model.md section 10) and the run reports the two half-means.
    // An odd count of runs, 1,001: the halves are runs 0..499 (500) and 500..1000 (501).
    const s = parseScenario(
      {
        name: "inf",
        seed: 5,
        trials: 1001,
        models: { w: { price: { input: 1, output: 5 }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: { dist: "beta", mean: 0.5, concentration: 3 }, hard: 0.5 } } },
        tokens: { prompt: 1000, generation: 2000, fixOutput: 100, errorTrace: 100 },
        contexts: ["fresh"],
        strategies: { ww: { generator: "w", fixer: "w" } },
      },
      "inf.yaml",
    );
    const n = 1001;
    const { results, costs } = await evaluateScenario(pool, s, { trials: n, seedKey: "halves", keepCosts: true });
    const r = results[0]!;
    expect(r.halfMeans).not.toBeNull();
    const cost = costs![0]!;
    expect(cost.length).toBe(n);
    const [first, second] = r.halfMeans!;
    expectRel(first, mean(cost.subarray(0, 500)));
    expectRel(second, mean(cost.subarray(500)));
    // and the identity that needs no costs: the halves, weighted by their runs, make the mean
    expectRel(500 * first + 501 * second, n * r.mean);
    // the halves differ from each other here (else the checks could not tell their counts apart)
    expect(first).not.toBe(second);
  });

  it("cost per completed run is the mean over the completed share: by hand 2 C for one attempt at p = 1/2 under a cap of 1 (a mutation audit: the mean itself)", async () => {
    // One bug, p = 1/2, limits.maxAttemptsPerBug 1: every run makes exactly one fix attempt and
    // completes with probability 1/2. Prices 1 / 5 $ per million, no caching (alpha = w = 1),
    // L0 = 1,000, G0 = 2,000, G = 100, E = 100 (docs/model.md section 4):
    //   generation 1,000 x 1e-6 + 2,000 x 5e-6 = 0.011; the attempt reads L1 = 3,000:
    //   3,000 x 1e-6 + 100 x 5e-6 = 0.0035; every run costs C = 0.0145.
    // costPerCompletedRun = C / f, f the completed share (Binomial(n, 1/2) / n), whose standard
    // error is sqrt(p (1 - p) / n); by the delta method C / f has standard error
    // C sqrt(p (1 - p) / n) / p^2 = 2 C / sqrt(n) (0.0141 C at n = 20,000; the bias of C / f,
    // C (1 - p) / (n p^2) = 1e-4 C, is under 1% of it). The mean alone, C, would be z = -sqrt(n)/2 = -71.
    const C = 0.0145;
    const n = 20_000;
    const s = parseScenario(
      {
        name: "capped",
        seed: 1,
        trials: n,
        models: { w: { price: { input: 1, output: 5 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } } },
        tokens: { prompt: 1000, generation: 2000, fixOutput: 100, errorTrace: 100 },
        limits: { maxAttemptsPerBug: 1 },
        strategies: { ww: { generator: "w", fixer: "w" } },
      },
      "capped.yaml",
    );
    const { results } = await evaluateScenario(pool, s, { trials: n, seedKey: "completed" });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expectRel(r.mean, C); // every run the same: one generation, one attempt
      const z = (r.costPerCompletedRun! - 2 * C) / ((2 * C) / Math.sqrt(n));
      expect(Math.abs(z), `${r.context}: costPerCompletedRun ${r.costPerCompletedRun}, completed ${r.allFixedFraction}, z ${z}`).toBeLessThanOrEqual(4.5);
    }
  });

  it("cost per completed run is mean / allFixedFraction on ext-retry-caps, whose caps stop some runs", async () => {
    // docs/model.md: costPerCompletedRun is mean / completion, counting the incomplete runs' spend
    const s = loadScenario("scenarios/ext-retry-caps.yaml").scenario;
    const { results } = await evaluateScenario(pool, s, { trials: 20_000, seedKey: "caps" });
    let capped = 0;
    for (const r of results) {
      expect(r.allFixedFraction, r.strategy).toBeGreaterThan(0);
      if (r.allFixedFraction < 1) capped++;
      expect(r.costPerCompletedRun, `${r.strategy} ${r.context}`).toBe(r.mean / r.allFixedFraction);
    }
    // the caps stop some runs (weak-weak completes about 28% of its runs): the ratio is not the mean
    expect(capped).toBeGreaterThan(0);
  });
});
