/**
 * The closed forms of src/model checked against hand-computed values, identities of docs/model.md
 * section 4, an independent reference (test/reference/closedForm.ts) on random scenarios, and the
 * crossover search.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { costDifference, findCrossovers, gapsOf, MAX_SCAN_WORK, ScanTooLong, type Gap } from "../src/model/crossover.js";
import { scanCrossovers } from "../src/model/roots.js";
import { convolutionWork, convolve, MAX_PMF_WORK, pmfFromSurvival, runPmf, runPmfWork } from "../src/model/pmf.js";
import { bugSchedule, requestReach } from "../src/model/schedule.js";
import { analyzeStrategy, fixerComparison, fixerComparisons } from "../src/model/strategy.js";
import { baseScenario } from "../src/scenario/extensions.js";
import { loadScenario, parseScenario } from "../src/scenario/load.js";
import type { Context, Scenario, Strategy } from "../src/scenario/types.js";
import {
  formulaMean,
  freshBugTokens,
  pmfMoments,
  readRaw,
  referenceAll,
  referenceCost,
  sharedTokensExact,
  totalAttemptsPmfWithRegressions,
} from "./reference/closedForm.js";
import { LONG_SCAN, LONG_TIER, PRICE_SCAN } from "./longScan.js";
import { generationCost } from "../src/model/prices.js";
import { compileParams } from "../src/sim/compile.js";
import { column } from "../src/sim/columns.js";
import { simulateChunk } from "../src/sim/kernel.js";
import { randomScenario } from "./reference/randomScenario.js";
import { countPmf, exactClasses, FractionalCount } from "../src/model/counts.js";
import { firstAbove } from "../src/model/ladder.js";
import { rateMoment } from "../src/model/rates.js";

type Raw = Record<string, unknown>;

const clone = <T>(x: T): T => structuredClone(x);

/** The model of a one-rung strategy ({generator, fixer} in the file). */
const fixerOf = (st: Strategy): string => st.ladder[0]!.model;
/** A {generator, fixer} strategy as the scenario module builds it. */
const pair = (name: string, generator: string, fixer: string): Strategy => ({ name, generator, ladder: [{ kind: "fix", model: fixer, attempts: null, fix: null }] });

/** |actual - expected| <= rel * max(|expected|, floor) */
function expectRel(actual: number | null | undefined, expected: number, rel = 1e-12, floor = 0): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeTypeOf("number");
  const tol = rel * Math.max(Math.abs(expected), floor);
  if (!(Math.abs((actual as number) - expected) <= tol)) {
    expect.fail(`expected ${actual} to equal ${expected} within ${tol} (relative ${rel})`);
  }
}

function analyze(raw: Raw, strategyName: string, context: Context) {
  const scenario = parseScenario(raw, "test.yaml");
  const strategy = scenario.strategies.find((s) => s.name === strategyName);
  if (!strategy) throw new Error(`no strategy ${strategyName}`);
  return analyzeStrategy(scenario, strategy, context);
}

// ---------------------------------------------------------------------------------------------
// The hand example
//
// Prices ($ per million): strong in 10 / out 50, weak in 1 / out 5, i.e. per token
//   strong c_in = 1e-5, c_out = 5e-5; weak c_in = 1e-6, c_out = 5e-6.
// Tokens: L0 = 1000, G0 = 1000 -> L1 = 2000; G = 100, E = 300 -> Delta = 400.
// strong leaves 1 bug, easy; weak leaves 2 bugs, one easy and one hard (hardFraction 0.5).
// strong fixes easy/hard with 0.5 / 0.25; weak fixes easy/hard with 0.8 / 0.2.
//
// weak-first (weak generates, strong fixes the 2 bugs):
//   generation = 1000*1e-6 + 1000*5e-6 = 0.006
//   bugs: p = 0.5 and p = 0.25
//   I  = 1/0.5 + 1/0.25 = 2 + 4 = 6
//   V  = 0.5/0.25 + 0.75/0.0625 = 2 + 12 = 14
//   Vc = 0.25/0.25 + 0.5625/0.0625 = 1 + 9 = 10
//   shared tokens: new = L1 + (I-1)Delta = 2000 + 5*400 = 4000
//                  cached = (I-1)L1 + Delta (V + I^2 - 3I + 2)/2 = 10000 + 400*(14+36-18+2)/2 = 16800
//                  output = G I = 600
//   fresh tokens:  per bug, easy (E[N] = 2): new 2000 + 1*400 = 2400, cached 1*2000 + 400*1 = 2400
//                  hard (E[N] = 4): new 2000 + 3*400 = 3200, cached 3*2000 + 400*9 = 9600
//                  new = 5600, cached = 12000, output = 600
//   (A) alpha = w = 1:     shared fix = 20800e-5 + 600*5e-5 = 0.208 + 0.03 = 0.238, total 0.244
//                          fresh  fix = 17600e-5 + 0.03 = 0.206,                 total 0.212
//   (B) alpha 0.1, w 1:    shared: new 0.04, cached 0.0168, out 0.03 -> 0.0868, total 0.0928
//                          fresh:  new 0.056, cached 0.012, out 0.03 -> 0.098,  total 0.104
//   (C) alpha 0.1, w 1.25: shared: new 0.05, cached 0.0168, out 0.03 -> 0.0968, total 0.1028
//                          fresh:  new 0.07, cached 0.012, out 0.03  -> 0.112,  total 0.118
//   In (C) shared is cheaper than fresh: fresh pays w on L1 once per bug.
//
// strong-first (strong generates, weak fixes one easy bug with p = 0.8):
//   generation = 1000*1e-5 + 1000*5e-5 = 0.06
//   I = 1.25, V = 0.2/0.64 = 0.3125, Vc = 0.04/0.64 = 0.0625
//   shared tokens: new = 2000 + 0.25*400 = 2100; cached = 0.25*2000 + 400*(0.3125+1.5625-3.75+2)/2 = 525
//   fresh tokens:  new = 2000 + 0.25*400 = 2100; cached = 0.25*2000 + 400*0.0625 = 525 (one bug: same)
//   output = 125
//   (A) fix = 2625e-6 + 125*5e-6 = 0.002625 + 0.000625 = 0.00325,   total 0.06325
//   (B) fix = 0.0021 + 0.0000525 + 0.000625 = 0.0027775,            total 0.0627775
//   (C) fix = 0.002625 + 0.0000525 + 0.000625 = 0.0033025,          total 0.0633025

const HAND: Raw = {
  name: "hand",
  seed: 1,
  trials: 10,
  models: {
    strong: { price: { input: 10, output: 50 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.25 } },
    weak: { price: { input: 1, output: 5 }, bugs: { count: 2, hardFraction: 0.5 }, fix: { easy: 0.8, hard: 0.2 } },
  },
  tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 300 },
  contexts: ["shared", "fresh"],
  strategies: {
    "strong-first": { generator: "strong", fixer: "weak" },
    "weak-first": { generator: "weak", fixer: "strong" },
  },
};

function handWith(caching: { readMultiplier: number; writeMultiplier: number } | null): Raw {
  const raw = clone(HAND);
  if (caching) raw.caching = caching;
  return raw;
}

interface HandCase {
  strategy: string;
  context: Context;
  generation: number;
  fixInputNew: number;
  fixInputCached: number;
  fixOutput: number;
  I: number;
  V: number;
}

const HAND_CASES: Record<"A" | "B" | "C", { caching: { readMultiplier: number; writeMultiplier: number } | null; cases: HandCase[] }> = {
  A: {
    caching: null,
    cases: [
      { strategy: "weak-first", context: "shared", generation: 0.006, fixInputNew: 0.04, fixInputCached: 0.168, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "weak-first", context: "fresh", generation: 0.006, fixInputNew: 0.056, fixInputCached: 0.12, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "strong-first", context: "shared", generation: 0.06, fixInputNew: 0.0021, fixInputCached: 0.000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
      { strategy: "strong-first", context: "fresh", generation: 0.06, fixInputNew: 0.0021, fixInputCached: 0.000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
    ],
  },
  B: {
    caching: { readMultiplier: 0.1, writeMultiplier: 1 },
    cases: [
      { strategy: "weak-first", context: "shared", generation: 0.006, fixInputNew: 0.04, fixInputCached: 0.0168, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "weak-first", context: "fresh", generation: 0.006, fixInputNew: 0.056, fixInputCached: 0.012, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "strong-first", context: "shared", generation: 0.06, fixInputNew: 0.0021, fixInputCached: 0.0000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
      { strategy: "strong-first", context: "fresh", generation: 0.06, fixInputNew: 0.0021, fixInputCached: 0.0000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
    ],
  },
  C: {
    caching: { readMultiplier: 0.1, writeMultiplier: 1.25 },
    cases: [
      { strategy: "weak-first", context: "shared", generation: 0.006, fixInputNew: 0.05, fixInputCached: 0.0168, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "weak-first", context: "fresh", generation: 0.006, fixInputNew: 0.07, fixInputCached: 0.012, fixOutput: 0.03, I: 6, V: 14 },
      { strategy: "strong-first", context: "shared", generation: 0.06, fixInputNew: 0.002625, fixInputCached: 0.0000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
      { strategy: "strong-first", context: "fresh", generation: 0.06, fixInputNew: 0.002625, fixInputCached: 0.0000525, fixOutput: 0.000625, I: 1.25, V: 0.3125 },
    ],
  },
};

const HAND_TOTALS: Record<string, number> = {
  "A weak-first shared": 0.244,
  "A weak-first fresh": 0.212,
  "A strong-first shared": 0.06325,
  "A strong-first fresh": 0.06325,
  "B weak-first shared": 0.0928,
  "B weak-first fresh": 0.104,
  "B strong-first shared": 0.0627775,
  "B strong-first fresh": 0.0627775,
  "C weak-first shared": 0.1028,
  "C weak-first fresh": 0.118,
  "C strong-first shared": 0.0633025,
  "C strong-first fresh": 0.0633025,
};

describe("hand-computed example (2 bugs, one easy one hard)", () => {
  for (const [label, { caching, cases }] of Object.entries(HAND_CASES)) {
    const what = caching ? `alpha ${caching.readMultiplier}, w ${caching.writeMultiplier}` : "no caching";
    for (const c of cases) {
      it(`${label} (${what}): ${c.strategy}, ${c.context}`, () => {
        const res = analyze(handWith(caching), c.strategy, c.context);
        const total = HAND_TOTALS[`${label} ${c.strategy} ${c.context}`]!;
        expect(res.reason).toBeNull();
        expectRel(res.analyticMean, total, 1e-12);
        expectRel(res.breakdown!.generation, c.generation, 1e-12);
        expectRel(res.breakdown!.fixInputNew, c.fixInputNew, 1e-12);
        expectRel(res.breakdown!.fixInputCached, c.fixInputCached, 1e-12);
        expectRel(res.breakdown!.fixOutput, c.fixOutput, 1e-12);
        // the code's breakdown adds up to the code's total
        const b = res.breakdown!;
        expectRel(b.generation + b.fixInputNew + b.fixInputCached + b.fixOutput, res.analyticMean!, 1e-12);
        expectRel(res.expectedAttempts, c.I, 1e-12);
        expectRel(res.attemptVariance, c.V, 1e-12);
        expectRel(res.expectedBugs, c.strategy === "weak-first" ? 2 : 1, 1e-12);
        // no speed and no tool time: no wall clock
        expect(res.expectedWallSeconds).toBeNull();
        // the reference agrees with the hand values
        const ref = referenceCost(handWith(caching), { name: c.strategy, ...strategyOf(c.strategy) }, c.context);
        expectRel(ref.mean!, total, 1e-12);
      });
    }
  }

  it("(C) alpha 0.1, w 1.25: the shared conversation is cheaper than fresh ones", () => {
    const shared = analyze(handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }), "weak-first", "shared");
    const fresh = analyze(handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }), "weak-first", "fresh");
    expect(shared.analyticMean!).toBeLessThan(fresh.analyticMean!);
    expectRel(fresh.analyticMean! - shared.analyticMean!, 0.118 - 0.1028, 1e-9);
  });

  it("binomial assignment: same I and fresh cost, larger V and shared cost", () => {
    // binomial: each of the 2 bugs is hard with probability 0.5 (strong fixes 0.5 / 0.25)
    //   me = 2, mh = 4, ve = 2, vh = 12
    //   V = 2 (0.5*2 + 0.5*12 + 0.25*(4-2)^2) = 2 (7 + 1) = 16   (exact: 14)
    //   shared, alpha = w = 1: I (c_in L1 + c_out G) + c_in Delta/2 (I^2 + V - I)
    //     = 6 * 0.025 + 0.002 * (36 + 16 - 6) = 0.15 + 0.092 = 0.242 -> total 0.248 (exact: 0.244)
    //   fresh is linear in the bugs: unchanged, 0.212
    const raw = handWith(null) as any;
    raw.models.weak.bugs.assignment = "binomial";
    const shared = analyze(raw, "weak-first", "shared");
    const fresh = analyze(raw, "weak-first", "fresh");
    expectRel(shared.expectedAttempts, 6);
    expectRel(shared.attemptVariance, 16);
    expectRel(shared.analyticMean, 0.248);
    expectRel(fresh.expectedAttempts, 6);
    expectRel(fresh.analyticMean, 0.212);
    const exactShared = analyze(handWith(null), "weak-first", "shared");
    expect(shared.analyticMean! - exactShared.analyticMean!).toBeGreaterThan(1e-3);
    // binomial with a fraction that would not give whole hard bugs under exact is accepted
    raw.models.weak.bugs.hardFraction = 0.3;
    // V = 2 (0.7*2 + 0.3*12 + 0.21*4) = 2 * 5.84 = 11.68, I = 2 (0.7*2 + 0.3*4) = 5.2
    expectRel(analyze(raw, "weak-first", "shared").attemptVariance, 11.68);
    expectRel(analyze(raw, "weak-first", "shared").expectedAttempts, 5.2);
  });

  it("zero bugs: no fix phase, the cost is the generation call", () => {
    for (const caching of [null, { readMultiplier: 0.1, writeMultiplier: 1.25 }]) {
      const raw = handWith(caching) as any;
      raw.models.weak.bugs.count = 0;
      for (const context of ["shared", "fresh"] as const) {
        const res = analyze(raw, "weak-first", context);
        expectRel(res.analyticMean, 0.006);
        expect(res.breakdown!.fixInputNew).toBe(0);
        expect(res.breakdown!.fixInputCached).toBe(0);
        expect(res.breakdown!.fixOutput).toBe(0);
        expect(res.expectedAttempts).toBe(0);
        expect(res.expectedBugs).toBe(0);
      }
      // and with regressions on the fixer: nothing to regress from
      raw.models.strong.regressions = { probability: 0.5, offspring: "poisson", hardFraction: 0.5 };
      for (const context of ["shared", "fresh"] as const) expectRel(analyze(raw, "weak-first", context).analyticMean, 0.006);
    }
  });

  it("regressions (Bernoulli and Poisson) on the fixer", () => {
    // strong (the fixer of weak-first) regresses with r = 0.5, new bugs easy (phi_r = 0), p = 0.5:
    //   M: E = 2, Var = 2.  q = 2 original bugs.
    //   Bernoulli: E[R] = 2*0.5/0.5 = 2, Var(R) = 2*0.5/0.25 = 4
    //     I = 6 + 2*2 = 10, V = 14 + 2*2 + 4*4 = 34, bugs = 4
    //     shared (alpha = w = 1): 10*0.025 + 0.002*(100 + 34 - 10) = 0.25 + 0.248 = 0.498 -> 0.504
    //     fresh: 0.206 + E[R] * (one easy bug: 2*0.025 + 1e-5*400*2 = 0.058) = 0.322 -> 0.328
    //   Poisson: Var(R) = 2*0.5/0.125 = 8 -> V = 14 + 4 + 8*4 = 50
    //     shared: 0.25 + 0.002*(100 + 50 - 10) = 0.53 -> 0.536; fresh as Bernoulli: 0.328
    const raw = handWith(null) as any;
    raw.models.strong.regressions = { probability: 0.5, offspring: "bernoulli", hardFraction: 0 };
    let shared = analyze(raw, "weak-first", "shared");
    let fresh = analyze(raw, "weak-first", "fresh");
    expectRel(shared.expectedAttempts, 10);
    expectRel(shared.attemptVariance, 34);
    expectRel(shared.expectedBugs, 4);
    expectRel(shared.analyticMean, 0.504);
    expectRel(fresh.analyticMean, 0.328);
    expectRel(fresh.expectedAttempts, 10);
    raw.models.strong.regressions.offspring = "poisson";
    shared = analyze(raw, "weak-first", "shared");
    fresh = analyze(raw, "weak-first", "fresh");
    expectRel(shared.attemptVariance, 50);
    expectRel(shared.expectedBugs, 4);
    expectRel(shared.analyticMean, 0.536);
    expectRel(fresh.analyticMean, 0.328);
    // an unbounded ladder fixes every bug in the end, the new ones too: completion is 1 exactly
    // (an audit: it was null, "no closed form"); under a cap on attempts it has none
    expect(shared.expectedCompletion).toBe(1);
    expect(analyze({ ...raw, limits: { maxAttemptsPerBug: 5 } }, "weak-first", "fresh").expectedCompletion).toBeNull();
    // regressions belong to the fixer: on the generator (strong in strong-first) they change nothing
    const sf = analyze(raw, "strong-first", "fresh");
    expectRel(sf.analyticMean, 0.06325);
    // the reference agrees
    expectRel(referenceCost(raw, { name: "x", generator: "weak", fixer: "strong" }, "shared").mean!, 0.536, 1e-12);
  });

  it("regressions: shared cost and moments against the exact distribution of T (branching fixed point)", () => {
    // small cases so that the exact PMF of T (a tree of bugs) is cheap to compute
    const cases = [
      { r: 0.5, offspring: "bernoulli", hardFraction: 0, assignment: "exact" },
      { r: 0.5, offspring: "poisson", hardFraction: 0, assignment: "exact" },
      { r: 0.3, offspring: "poisson", hardFraction: 0.6, assignment: "binomial" },
      { r: 0.4, offspring: "bernoulli", hardFraction: 0.25, assignment: "binomial" },
    ];
    for (const c of cases) {
      const raw = handWith({ readMultiplier: 0.2, writeMultiplier: 1.1 }) as any;
      raw.models.strong.fix = { easy: 0.7, hard: 0.4 };
      raw.models.weak.bugs.assignment = c.assignment;
      raw.models.strong.regressions = { probability: c.r, offspring: c.offspring, hardFraction: c.hardFraction };
      const s = readRaw(raw);
      const pmf = totalAttemptsPmfWithRegressions(s.models.weak!, s.models.strong!);
      const { mean, variance } = pmfMoments(pmf);
      const tokens = sharedTokensExact(pmf, 2000, 100, 400);
      const exact = 0.006 + 1.1e-5 * tokens.inputNew + 0.2e-5 * tokens.inputCached + 5e-5 * tokens.output;
      const res = analyze(raw, "weak-first", "shared");
      expectRel(res.expectedAttempts, mean, 1e-10);
      expectRel(res.attemptVariance, variance, 1e-9);
      expectRel(res.analyticMean, exact, 1e-10);
    }
  });

  it("error-trace growth: fresh closed form, none for shared", () => {
    // g = 0.2, a = 1 + g. One bug, p, s = 1 - p, N ~ Geometric(p): attempt k's trace is E a^(k-1),
    // read (new) by attempt k+1.
    //   E[sum_{k=1}^{N-1} a^(k-1)] = sum_k a^(k-1) P(N >= k+1) = s / (1 - a s)
    //   E[sum_{k=1}^{N-2} (N-1-k) a^(k-1)] = sum_k a^(k-1) E[(N-1-k)^+] = sum_k a^(k-1) s^(k+1)/p
    //                                     = s^2 / (p (1 - a s))
    //   new    = L1 + (1/p - 1) G + E s/(1 - a s)
    //   cached = (1/p - 1) L1 + G s^2/p^2 + E s^2/(p (1 - a s))
    // easy p = 0.5: 1 - as = 0.4: new = 2000 + 100 + 300*0.5/0.4 = 2475
    //                             cached = 2000 + 100 + 300*0.25/0.2 = 2475
    // hard p = 0.25: 1 - as = 0.1: new = 2000 + 300 + 300*0.75/0.1 = 4550
    //                              cached = 6000 + 900 + 300*0.5625/0.025 = 13650
    // alpha = w = 1: fix = (7025 + 16125)*1e-5 + 600*5e-5 = 0.2315 + 0.03 = 0.2615, total 0.2675
    const raw = handWith(null) as any;
    raw.tokens.errorGrowth = 0.2;
    const fresh = analyze(raw, "weak-first", "fresh");
    expectRel(fresh.analyticMean, 0.2675);
    expectRel(fresh.breakdown!.fixInputNew, 0.07025);
    expectRel(fresh.breakdown!.fixInputCached, 0.16125);
    // the reference sums over N's distribution attempt by attempt and agrees with the algebra above
    const easy = freshBugTokens(0.5, 2000, 100, 300, 0.2);
    const hard = freshBugTokens(0.25, 2000, 100, 300, 0.2);
    expectRel(easy.inputNew, 2475, 1e-12);
    expectRel(easy.inputCached, 2475, 1e-12);
    expectRel(hard.inputNew, 4550, 1e-12);
    expectRel(hard.inputCached, 13650, 1e-12);
    // shared: no closed form, but a reason and the base formula without growth
    const shared = analyze(raw, "weak-first", "shared");
    expect(shared.analyticMean).toBeNull();
    expect(shared.reason).toBeTypeOf("string");
    expect(shared.reason!.length).toBeGreaterThan(0);
    expectRel(shared.baseMean, 0.244);
  });

  it("retry caps: no closed form, a reason, and the base formula as baseMean", () => {
    for (const limits of [{ maxAttemptsPerBug: 3 }, { maxAttemptsPerRun: 10 }]) {
      const raw = handWith(null) as any;
      raw.limits = limits;
      for (const context of ["shared", "fresh"] as const) {
        const res = analyze(raw, "weak-first", context);
        expect(res.analyticMean).toBeNull();
        expect(res.breakdown).toBeNull();
        expect(res.reason).toBeTypeOf("string");
        expect(res.reason!.length).toBeGreaterThan(0);
        expectRel(res.baseMean, context === "shared" ? 0.244 : 0.212);
      }
    }
  });

  it("the base model's scenario: a base-model scenario is its own; otherwise only what is dropped is put back", () => {
    const plain = parseScenario(handWith(null), "test.yaml");
    expect(baseScenario(plain)).toBe(plain);
    const res = analyze(handWith(null), "weak-first", "shared");
    expect(res.baseMean).toBe(res.analyticMean);
    const raw = handWith(null) as any;
    raw.limits = { maxAttemptsPerBug: 3 };
    raw.tokens.errorGrowth = 0.2;
    const capped = parseScenario(raw, "test.yaml");
    const base = baseScenario(capped);
    expect(base).not.toBe(capped);
    expect(base.limits).toEqual({ maxAttemptsPerBug: null, maxAttemptsPerRun: null });
    expect(base.tokens).toEqual({ ...capped.tokens, errorGrowth: 0 });
    expect(base.models).toEqual(capped.models);
    expect(base.strategies).toEqual(capped.strategies);
  });

  it("variable Delta: the closed form uses the means of fixOutput and errorTrace", () => {
    const raw = handWith(null) as any;
    raw.tokens.fixOutput = { dist: "uniform", min: 50, max: 150 }; // mean 100
    raw.tokens.errorTrace = { dist: "empirical", values: [100, 200, 600] }; // mean 300
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.244);
    expectRel(analyze(raw, "weak-first", "fresh").analyticMean, 0.212);
    raw.tokens.fixOutput = { dist: "lognormal", mean: 100, cv: 0.8 };
    raw.tokens.errorTrace = { dist: "constant", value: 300 };
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.244);
    expectRel(analyze(raw, "weak-first", "fresh").analyticMean, 0.212);
  });

  it("TTL and time: alpha_eff = h alpha + (1-h) w, wall time = generation + I (call + tool)", () => {
    // caching (C): alpha 0.1, w 1.25, ttl 11 s. strong (fixer) speed: ttft 1, 50 tok/s -> a fix call
    // takes 1 + 100/50 = 3 s. Tool time lognormal(mean 10, cv 0.75): sigma^2 = ln 1.5625,
    // median = 10/sqrt(1.5625) = 8. h = P(3 + tool <= 11) = P(tool <= 8) = 1/2.
    //   alpha_eff = 0.5*0.1 + 0.5*1.25 = 0.675
    //   shared: new 4000*1.25e-5 = 0.05, cached 16800*0.675e-5 = 0.1134, out 0.03 -> 0.1934, total 0.1994
    //   fresh:  new 5600*1.25e-5 = 0.07, cached 12000*0.675e-5 = 0.081,  out 0.03 -> 0.181,  total 0.187
    // weak (generator) speed: ttft 0.5, 100 tok/s -> generation takes 0.5 + 1000/100 = 10.5 s
    //   wall = 10.5 + 6 * (3 + 10) = 88.5 s
    const raw = handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }) as any;
    raw.caching.ttlSeconds = 11;
    raw.models.strong.speed = { ttftSeconds: 1, outputTokensPerSecond: 50 };
    raw.models.weak.speed = { ttftSeconds: 0.5, outputTokensPerSecond: 100 };
    raw.toolSeconds = { dist: "lognormal", mean: 10, cv: 0.75 };
    const shared = analyze(raw, "weak-first", "shared");
    const fresh = analyze(raw, "weak-first", "fresh");
    expectRel(shared.cacheHitRate, 0.5, 1e-12);
    expectRel(shared.analyticMean, 0.1994);
    expectRel(fresh.analyticMean, 0.187);
    // a missed cache read is new input paid at w (docs/model.md section 5); the split of the breakdown:
    //   shared: new = 1.25e-5 (4000 + 0.5*16800) = 0.155, cached = 0.5*0.1e-5*16800 = 0.0084
    const b = shared.breakdown!;
    expectRel(b.fixInputNew + b.fixInputCached, 0.1634);
    expectRel(b.fixInputNew, 0.155);
    expectRel(b.fixInputCached, 0.0084);
    expectRel(shared.expectedWallSeconds, 88.5);
    expectRel(fresh.expectedWallSeconds, 88.5);

    // other tool-time distributions, same 3 s calls and 11 s TTL (room for 8 s of tool time)
    raw.toolSeconds = { dist: "uniform", min: 4, max: 12 }; // P(X <= 8) = 1/2
    expectRel(analyze(raw, "weak-first", "shared").cacheHitRate, 0.5);
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.1994);
    raw.toolSeconds = { dist: "empirical", values: [2, 8, 8, 20] }; // values <= 8: 3 of 4
    expectRel(analyze(raw, "weak-first", "shared").cacheHitRate, 0.75);
    // alpha_eff = 0.75*0.1 + 0.25*1.25 = 0.3875: shared 0.006 + 0.05 + 16800*0.3875e-5 + 0.03 = 0.151100
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.1511);
    expectRel(analyze(raw, "weak-first", "shared").expectedWallSeconds, 10.5 + 6 * (3 + 9.5));
    raw.toolSeconds = 8; // constant 8: 3 + 8 <= 11, always a hit
    expectRel(analyze(raw, "weak-first", "shared").cacheHitRate, 1);
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.1028);
    raw.toolSeconds = 8.5; // always a miss: alpha_eff = w = 1.25: 0.006 + 0.05 + 0.21 + 0.03 = 0.296
    expectRel(analyze(raw, "weak-first", "shared").cacheHitRate, 0, 0, 1e-15);
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.296);
    // lognormal CDF one sigma above the median: ttl = 3 + 8 e^sigma -> h = Phi(1)
    raw.toolSeconds = { dist: "lognormal", mean: 10, cv: 0.75 };
    raw.caching.ttlSeconds = 3 + 8 * Math.exp(Math.sqrt(Math.log(1.5625)));
    expectRel(analyze(raw, "weak-first", "shared").cacheHitRate, 0.8413447460685429, 1e-12);

    // without a tool time and with no speed, the tool time is 0 and calls take no time: h = 1
    delete raw.toolSeconds;
    delete raw.models.strong.speed;
    delete raw.models.weak.speed;
    expect(analyze(raw, "weak-first", "shared").cacheHitRate).toBe(1);
    expect(analyze(raw, "weak-first", "shared").expectedWallSeconds).toBeNull();
    // tool time only: wall time = I * mean tool
    raw.toolSeconds = { dist: "uniform", min: 4, max: 12 };
    expectRel(analyze(raw, "weak-first", "fresh").expectedWallSeconds, 6 * 8);
  });

  it("TTL with a fixer speed and a variable fixOutput has no closed form", () => {
    const raw = handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }) as any;
    raw.caching.ttlSeconds = 11;
    raw.models.strong.speed = { ttftSeconds: 1, outputTokensPerSecond: 50 };
    raw.tokens.fixOutput = { dist: "uniform", min: 50, max: 150 };
    for (const context of ["shared", "fresh"] as const) {
      const res = analyze(raw, "weak-first", context);
      expect(res.analyticMean).toBeNull();
      expect(res.reason).toBeTypeOf("string");
      expect(res.reason!.length).toBeGreaterThan(0);
    }
    // the same without TTL is fine (the means)
    delete raw.caching.ttlSeconds;
    expectRel(analyze(raw, "weak-first", "shared").analyticMean, 0.1028);
  });

  it("free cached reads: a Beta rate with 1 < a <= 2 has a finite expected cost, linear in the attempts", () => {
    // An audit's scenario: one model s (input 5, output 25 $/M, readMultiplier 0, writeMultiplier 1)
    // generates two bugs (one easy at 0.9, one hard with a Beta rate, mean 0.5, concentration 3:
    // a = b = 1.5) and fixes them. Cached reads are free, so each attempt costs Delta = 1200 new
    // tokens at 5e-6 and G = 800 output at 25e-6: linear in the attempts, needing E[1/p] only.
    // I = 1/0.9 + (a + b - 1)/(a - 1) = 1.1111 + 4 = 5.1111; generation 2000 x 5e-6 + 4000 x 25e-6 = 0.11.
    //   shared: 0.11 + (6000 + (I - 1) 1200) 5e-6 + 800 I 25e-6 = 0.266889
    //   fresh:  0.11 + (2 x 6000 + (I - 2) 1200) 5e-6 + 800 I 25e-6 = 0.290889
    // It said "infinite expected cost"; the simulation's halves agreed within 1.5%.
    const I = 1 / 0.9 + 4;
    const raw = {
      name: "cr0",
      seed: 1,
      trials: 10,
      models: { s: { price: { input: 5, output: 25 }, bugs: { count: 2, hardFraction: 0.5 }, fix: { easy: 0.9, hard: { dist: "beta", mean: 0.5, concentration: 3 } } } },
      tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
      caching: { readMultiplier: 0, writeMultiplier: 1 },
    };
    const s = parseScenario(raw, "cr0.yaml");
    const [shared, fresh] = [analyzeStrategy(s, s.strategies[0]!, "shared"), analyzeStrategy(s, s.strategies[0]!, "fresh")];
    expectRel(shared.analyticMean, 0.11 + (6000 + (I - 1) * 1200) * 5e-6 + 800 * I * 25e-6);
    expectRel(fresh.analyticMean, 0.11 + (12000 + (I - 2) * 1200) * 5e-6 + 800 * I * 25e-6);
    // the variance needs E[1/p^2] (a > 2): infinite here, finite at concentration 5 (a = 2.5)
    expect(shared.varianceReason).toMatch(/^infinite variance of the cost: models\.s\.fix\.hard is beta with a = 1\.5 <= 2/);
    // two attempts on a first rung of the same model (and draw) are the same process: the same cost
    const split = parseScenario({ ...raw, strategies: { split: { generator: "s", ladder: [{ fixer: "s", attempts: 2 }, { fixer: "s" }] } } }, "cr0.yaml");
    expectRel(analyzeStrategy(split, split.strategies[0]!, "shared").analyticMean, shared.analyticMean!);
    expectRel(analyzeStrategy(split, split.strategies[0]!, "fresh").analyticMean, fresh.analyticMean!);
    raw.models.s.fix.hard.concentration = 5;
    const t = parseScenario(raw, "cr0.yaml");
    expect(analyzeStrategy(t, t.strategies[0]!, "shared").varianceReason).toBeNull();
  });

  it("error-trace growth: the cost's variance is infinite where (1 + g)^2 (1 - p) >= 1, its mean finite where (1 + g)(1 - p) < 1", () => {
    // An audit: g = 0.15 on a hard rate of 0.15, (1.15)^2 x 0.85 = 1.124: the "95% interval" covered
    // the closed form in 25 of 59 seeds, and the savings' interval missed the closed forms' difference.
    // A bug's error traces sum (1 + g)^(k-1) over its N attempts, N geometric: E[(1 + g)^(2N)] is
    // finite iff (1 + g)^2 (1 - p) < 1.
    const at = (g: number, hard: number, limits: Record<string, number> = {}) => {
      const raw = {
        name: "g",
        seed: 1,
        trials: 10,
        models: { weak: { price: { input: 1, output: 5 }, bugs: { count: 4, hardFraction: 0.5 }, fix: { easy: 0.7, hard } } },
        tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400, errorGrowth: g },
        caching: { readMultiplier: 0.1, writeMultiplier: 1.25 },
        limits,
      };
      const s = parseScenario(raw, "g.yaml");
      return analyzeStrategy(s, s.strategies[0]!, "fresh");
    };
    const heavy = at(0.15, 0.15);
    expect(heavy.analyticMean).not.toBeNull();
    expect(heavy.varianceReason).toMatch(/^infinite variance of the cost: tokens\.errorGrowth: \(1 \+ 0\.15\)\^2 x \(1 - 0\.15\) >= 1 for models\.weak\.fix\.hard$/);
    // either side of the boundary p = 1 - 1/(1 + g)^2 = 0.24386 at g = 0.15
    expect(at(0.15, 0.243).varianceReason).not.toBeNull();
    expect(at(0.15, 0.245).varianceReason).toBeNull();
    // a cap on attempts bounds every run's cost
    expect(at(0.15, 0.15, { maxAttemptsPerBug: 50 }).varianceReason).toBeNull();
  });

  it("a context window on an earlier rung's model does not bound a heavy-tailed last rung: its variance is infinite (a review)", () => {
    // escalate: 3 attempts of weak (a window of 60,000 tokens), then strong without one, whose hard
    // rate is beta with a = 3 <= 4: no closed form (the window), and it got a 95% interval
    const raw = {
      name: "win",
      seed: 1,
      trials: 10,
      models: {
        strong: { price: { input: 5, output: 25 }, bugs: { count: 3, hardFraction: 0.3333333333 }, fix: { easy: 0.9, hard: { dist: "beta", mean: 0.6, concentration: 5 } } },
        weak: { price: { input: 1, output: 5 }, bugs: { count: 8, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.15 }, contextWindow: 60000 },
      },
      tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
      contexts: ["shared"],
      strategies: { escalate: { generator: "weak", ladder: [{ fixer: "weak", attempts: 3 }, { fixer: "strong" }] } },
    };
    const s = parseScenario(raw, "win.yaml");
    const r = analyzeStrategy(s, s.strategies[0]!, "shared");
    expect(r.analyticMean).toBeNull();
    expect(r.varianceReason).toMatch(/^infinite variance of the cost: models\.strong\.fix\.hard is beta with a = 3 <= 4/);
    // a window on the last rung's model stops the run first: its cost is bounded
    (raw.models.strong as Record<string, unknown>).contextWindow = 60000;
    const t = parseScenario(raw, "win.yaml");
    expect(analyzeStrategy(t, t.strategies[0]!, "shared").varianceReason).toBeNull();
  });

  it("error-trace growth with a long-context tier has no closed form in fresh context", () => {
    // The tier's first attempt was placed as without growth: $0.05584 against $0.06783 by hand and
    // by simulation, on one bug (p = 0.5, L1 = 6000, G = 500, E = 1000, growth 0.2, tier above 12,000).
    const raw = handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }) as any;
    raw.tokens.errorGrowth = 0.2;
    expect(analyze(raw, "weak-first", "fresh").analyticMean).not.toBeNull();
    raw.models.strong.price.longContext = { above: 12000, input: 10, output: 50 };
    const res = analyze(raw, "weak-first", "fresh");
    expect(res.analyticMean).toBeNull();
    expect(res.reason).toBe("error-trace growth with a long-context tier has no closed form");
  });
});

function strategyOf(name: string): { generator: string; fixer: string } {
  return name === "weak-first" ? { generator: "weak", fixer: "strong" } : { generator: "strong", fixer: "weak" };
}

// ---------------------------------------------------------------------------------------------
// Identities

/** I, V of the bugs left by gen for fix (docs/model.md section 3), written out directly. */
function moments(raw: Raw, generator: string, fixer: string): { I: number; V: number } {
  const s = readRaw(raw);
  const gen = s.models[generator]!;
  const fix = s.models[fixer]!;
  const me = 1 / fix.pe;
  const mh = 1 / fix.ph;
  const ve = (1 - fix.pe) / fix.pe ** 2;
  const vh = (1 - fix.ph) / fix.ph ** 2;
  const I = gen.q * ((1 - gen.phi) * me + gen.phi * mh);
  const V =
    gen.q * ((1 - gen.phi) * ve + gen.phi * vh + (gen.binomial ? gen.phi * (1 - gen.phi) * (mh - me) ** 2 : 0));
  return { I, V };
}

describe("identities of docs/model.md section 4", () => {
  it("alpha = w = 1 reduces shared and fresh to the short forms (random scenarios)", () => {
    let checked = 0;
    for (let seed = 500; seed < 560; seed++) {
      const raw = randomScenario(seed) as any;
      raw.caching = { readMultiplier: 1, writeMultiplier: 1 };
      raw.contexts = ["shared", "fresh"];
      const scenario = parseScenario(raw, "identity.yaml");
      const s = readRaw(raw);
      const L1 = s.L0 + s.G0;
      const G = raw.tokens.fixOutput as number;
      const Delta = G + (raw.tokens.errorTrace as number);
      for (const st of scenario.strategies) {
        const gen = s.models[st.generator]!;
        const fix = s.models[fixerOf(st)]!;
        const { I, V } = moments(raw, st.generator, fixerOf(st));
        const generation = gen.cin * s.L0 + gen.cout * s.G0;
        const shared = gen.q === 0 ? 0 : I * (fix.cin * L1 + fix.cout * G) + fix.cin * (Delta / 2) * (I * I + V - I);
        // fresh is linear in the bugs: its V is the sum of the per-class variances, without the
        // binomial between-class term (docs/model.md's "c_in Delta V" holds for exact assignment)
        const V0 = moments({ ...raw, models: { ...raw.models, [st.generator]: { ...raw.models[st.generator], bugs: { ...raw.models[st.generator].bugs, assignment: "exact" } } } }, st.generator, fixerOf(st)).V;
        const fresh = I * (fix.cin * L1 + fix.cout * G) + fix.cin * Delta * V0;
        const aS = analyzeStrategy(scenario, st, "shared");
        const aF = analyzeStrategy(scenario, st, "fresh");
        expectRel(aS.expectedAttempts, I, 1e-12, 1);
        expectRel(aS.attemptVariance, V, 1e-12, 1);
        expectRel(aS.analyticMean, generation + shared, 1e-11);
        expectRel(aF.analyticMean, generation + fresh, 1e-11);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("binomial and exact assignment: same I and fresh cost, shared differs by alpha c_in Delta/2 times the mixture term", () => {
    let checked = 0;
    for (let seed = 600; seed < 700 && checked < 60; seed++) {
      const raw = randomScenario(seed) as any;
      raw.contexts = ["shared", "fresh"];
      for (const [name, m] of Object.entries<any>(raw.models)) {
        if (m.bugs.count === 0) continue;
        const hard = Math.round(m.bugs.count * m.bugs.hardFraction);
        if (hard === 0 || hard === m.bugs.count) continue; // need both kinds
        if (m.bugs.assignment === "binomial") continue;
        const binomial = clone(raw);
        binomial.models[name].bugs.assignment = "binomial";
        const se = parseScenario(raw, "exact.yaml");
        const sb = parseScenario(binomial, "binomial.yaml");
        for (const st of se.strategies.filter((x) => x.generator === name)) {
          const fix = readRaw(raw).models[fixerOf(st)]!;
          if (fix.pe === fix.ph) continue;
          const e = { shared: analyzeStrategy(se, st, "shared"), fresh: analyzeStrategy(se, st, "fresh") };
          const b = { shared: analyzeStrategy(sb, st, "shared"), fresh: analyzeStrategy(sb, st, "fresh") };
          expectRel(b.shared.expectedAttempts, e.shared.expectedAttempts!, 1e-12);
          expectRel(b.fresh.analyticMean, e.fresh.analyticMean!, 1e-12);
          const phi = m.bugs.hardFraction;
          const mixture = m.bugs.count * phi * (1 - phi) * (1 / fix.ph - 1 / fix.pe) ** 2;
          expectRel(b.shared.attemptVariance! - e.shared.attemptVariance!, mixture, 1e-9);
          const alpha = raw.caching?.readMultiplier ?? 1;
          const Delta = raw.tokens.fixOutput + raw.tokens.errorTrace;
          expectRel(
            b.shared.analyticMean! - e.shared.analyticMean!,
            (alpha * fix.cin * Delta * mixture) / 2,
            1e-8,
          );
          if (alpha > 0) expect(b.shared.analyticMean!).toBeGreaterThan(e.shared.analyticMean!);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("a generator that leaves no bugs costs its generation call only, in both contexts", () => {
    for (let seed = 700; seed < 740; seed++) {
      const raw = randomScenario(seed, { extensions: true, limits: false }) as any;
      const name = Object.keys(raw.models)[0]!;
      raw.models[name].bugs.count = 0;
      const scenario = parseScenario(raw, "zero.yaml");
      const s = readRaw(raw);
      for (const st of scenario.strategies.filter((x) => x.generator === name)) {
        for (const context of scenario.contexts) {
          const res = analyzeStrategy(scenario, st, context);
          if (res.analyticMean === null) continue; // shared + growth, TTL + speed + variable output
          expectRel(res.analyticMean, s.models[name]!.cin * s.L0 + s.models[name]!.cout * s.G0, 1e-12);
          expect(res.breakdown!.fixInputNew + res.breakdown!.fixInputCached + res.breakdown!.fixOutput).toBe(0);
        }
      }
    }
  });

  it("w = 1.25, alpha = 0.1: shared is cheaper than fresh for some strategies, and fresh for others", () => {
    // nothing may assume that fresh is always cheaper
    const raw = handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }) as any;
    const shared = analyze(raw, "weak-first", "shared").analyticMean!;
    const fresh = analyze(raw, "weak-first", "fresh").analyticMean!;
    expect(shared).toBeLessThan(fresh);
    // many bugs and a long Delta make the cross-bug growth win: fresh cheaper
    raw.models.weak.bugs.count = 10;
    raw.tokens.errorTrace = 3000;
    expect(analyze(raw, "weak-first", "fresh").analyticMean!).toBeLessThan(analyze(raw, "weak-first", "shared").analyticMean!);
  });
});

// ---------------------------------------------------------------------------------------------
// Agreement with the reference on random scenarios

function compareWithReference(raw: Raw): number {
  const scenario = parseScenario(raw, "random.yaml");
  let checked = 0;
  for (const ref of referenceAll(raw)) {
    const strategy = scenario.strategies.find((st) => st.name === ref.strategy)!;
    expect(strategy).toBeDefined();
    const res = analyzeStrategy(scenario, strategy, ref.context);
    const where = `${raw.name} ${ref.strategy} ${ref.context}`;
    expect(res.strategy, where).toBe(ref.strategy);
    expect(res.context, where).toBe(ref.context);
    if (ref.mean === null) {
      expect(res.analyticMean, where).toBeNull();
      expect(res.reason, where).toBeTypeOf("string");
      continue;
    }
    expect(res.reason, where).toBeNull();
    const rel = (a: number | null | undefined, b: number, floor = 0, tol = 1e-9) => {
      if (!(Math.abs((a as number) - b) <= tol * Math.max(Math.abs(b), floor))) {
        expect.fail(`${where}: ${a} vs reference ${b}\n${JSON.stringify(raw)}`);
      }
    };
    rel(res.analyticMean, ref.mean);
    for (const k of ["generation", "fixInputNew", "fixInputCached", "fixOutput"] as const) {
      rel(res.breakdown![k], ref.breakdown![k], ref.mean);
    }
    rel(res.expectedAttempts, ref.I, 1);
    rel(res.attemptVariance, ref.V, Math.max(1, ref.I * ref.I));
    rel(res.expectedBugs, ref.bugs, 1);
    if (ref.wall === null) expect(res.expectedWallSeconds, where).toBeNull();
    else rel(res.expectedWallSeconds, ref.wall, 1e-6);
    // (h without a TTL is checked on its own below)
    // (with no bugs there is no follow-up request; h may then be reported as null)
    if (raw.caching && (raw.caching as any).ttlSeconds !== undefined && !(ref.I === 0 && res.cacheHitRate === null)) {
      rel(res.cacheHitRate, ref.h, 1, 1e-12);
    }
    checked++;
  }
  return checked;
}

describe("agreement with the independent reference (random scenarios)", () => {
  it("random scenarios are deterministic per seed and always valid input", () => {
    expect(randomScenario(7, { extensions: true })).toEqual(randomScenario(7, { extensions: true }));
    expect(randomScenario(7)).not.toEqual(randomScenario(8));
    for (let seed = 0; seed < 300; seed++) {
      for (const extensions of [false, true]) {
        const raw = randomScenario(seed, { extensions });
        const scenario = parseScenario(raw, "random.yaml");
        expect(readRaw(raw).strategies.map((s) => s.name)).toEqual(scenario.strategies.map((s) => s.name));
      }
    }
  });

  it("base model: 150 scenarios, every strategy and context, relative 1e-9", () => {
    let checked = 0;
    for (let seed = 10_000; seed < 10_150; seed++) checked += compareWithReference(randomScenario(seed));
    expect(checked).toBeGreaterThan(600);
  });

  it("with extensions: 150 scenarios, relative 1e-9, and no closed form exactly where none is due", () => {
    let checked = 0;
    let nulls = 0;
    for (let seed = 20_000; seed < 20_150; seed++) {
      const raw = randomScenario(seed, { extensions: true });
      checked += compareWithReference(raw);
      nulls += referenceAll(raw).filter((r) => r.mean === null).length;
    }
    expect(checked).toBeGreaterThan(400);
    expect(nulls).toBeGreaterThan(20);
  });

  it("without a TTL every follow-up request hits the cache: cacheHitRate is 1", () => {
    for (const context of ["shared", "fresh"] as const) {
      expect(analyze(handWith(null), "weak-first", context).cacheHitRate).toBe(1);
      expect(analyze(handWith({ readMultiplier: 0.1, writeMultiplier: 1.25 }), "strong-first", context).cacheHitRate).toBe(1);
    }
    for (let seed = 10_000; seed < 10_020; seed++) {
      const raw = randomScenario(seed);
      const scenario = parseScenario(raw, "random.yaml");
      for (const st of scenario.strategies) {
        for (const context of scenario.contexts) {
          const res = analyzeStrategy(scenario, st, context);
          // with no bugs there is no follow-up request at all: h may be left null
          if (res.expectedAttempts === 0 && res.cacheHitRate === null) continue;
          expect(res.cacheHitRate).toBe(1);
        }
      }
    }
  });

  it("the reference's exact-distribution sums agree with its own formula-level closed form", () => {
    for (let seed = 30_000; seed < 30_040; seed++) {
      const raw = randomScenario(seed);
      const s = readRaw(raw);
      for (const ref of referenceAll(raw)) {
        expectRel(formulaMean(s, ref, ref.context), ref.mean!, 1e-10);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Crossovers

const X: Raw = {
  name: "crossover",
  seed: 1,
  trials: 10,
  models: {
    strong: { price: { input: 10, output: 50 }, bugs: { count: 0, hardFraction: 0 }, fix: { easy: 1, hard: 0.5 } },
    weak: { price: { input: 1, output: 5 }, bugs: { count: 2, hardFraction: 0.5 }, fix: { easy: 0.8, hard: 0.2 } },
  },
  tokens: { prompt: 1000, generation: 3000, fixOutput: 100, errorTrace: 300 },
  caching: { readMultiplier: 1, writeMultiplier: 1 },
  strategies: {
    "strong-first": { generator: "strong", fixer: "weak" },
    "weak-first": { generator: "weak", fixer: "strong" },
  },
};
const A: Strategy = pair("strong-first", "strong", "weak");
const B: Strategy = pair("weak-first", "weak", "strong");

/** Cost of a strategy under the code with one key of the raw scenario set (a real bug count allowed). */
function codeCost(raw: Raw, strategy: Strategy, context: Context, param: string, value: number): number {
  const countMatch = /^models\.([^.]+)\.bugs\.count$/.exec(param);
  let scenario: Scenario;
  if (countMatch) {
    scenario = parseScenario(raw, "x.yaml", { allowFractionalHardBugs: true });
    scenario.models[countMatch[1]!]!.bugs = { kind: "fixed", count: value };
  } else {
    scenario = parseScenario(setPath(raw, param, value), "x.yaml", { allowFractionalHardBugs: true });
  }
  return analyzeStrategy(scenario, strategy, context).analyticMean!;
}

function setPath(raw: Raw, path: string, value: number): Raw {
  const copy = clone(raw) as any;
  const keys = path.split(".");
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys[keys.length - 1]!] = value;
  return copy;
}

/** Reference cost with one key set; bug counts go through the formula level (real counts). */
function refCost(raw: Raw, st: Strategy, context: Context, param: string, value: number): number {
  const strategy = { name: st.name, generator: st.generator, fixer: fixerOf(st) };
  const countMatch = /^models\.([^.]+)\.bugs\.count$/.exec(param);
  if (countMatch) {
    return formulaMean(raw, strategy, context, strategy.generator === countMatch[1] ? { q: value } : {});
  }
  return referenceCost(setPath(raw, param, value), strategy, context).mean!;
}

function checkRoot(raw: Raw, between: [Strategy, Strategy], param: string, c: { context: Context; value: number; cheaperBelow: string; cheaperAbove: string }, neighbours: number[]) {
  const [s1, s2] = between;
  const c1 = refCost(raw, s1, c.context, param, c.value);
  const c2 = refCost(raw, s2, c.context, param, c.value);
  const scale = Math.max(Math.abs(c1), Math.abs(c2));
  if (!(Math.abs(c1 - c2) <= 1e-9 * scale)) {
    expect.fail(`${param} = ${c.value} (${c.context}): costs ${c1} vs ${c2} differ by ${(c1 - c2) / scale} relative`);
  }
  // the code agrees on the costs at its own root
  expectRel(codeCost(raw, s1, c.context, param, c.value), c1, 1e-9);
  expectRel(codeCost(raw, s2, c.context, param, c.value), c2, 1e-9);
  // sides: just below and above (not past a neighbouring root)
  let eps = 1e-4 * Math.max(Math.abs(c.value), 1e-3);
  for (const n of neighbours) if (n !== c.value) eps = Math.min(eps, Math.abs(n - c.value) / 3);
  const cheaper = (x: number) =>
    refCost(raw, s1, c.context, param, x) < refCost(raw, s2, c.context, param, x) ? s1.name : s2.name;
  expect(cheaper(c.value + eps)).toBe(c.cheaperAbove);
  if (c.value - eps >= 0) expect(cheaper(c.value - eps)).toBe(c.cheaperBelow);
  expect(c.cheaperBelow).not.toBe(c.cheaperAbove);
}

describe("crossovers", () => {
  it("hand-solvable fresh linear crossover in the weak model's bug count", () => {
    // alpha = w = 1. strong-first: strong generates (0 bugs): 1000*1e-5 + 3000*5e-5 = 0.16.
    // weak-first: weak generates: 1000*1e-6 + 3000*5e-6 = 0.016; strong fixes (L1 = 4000,
    // c_in L1 + c_out G = 0.04 + 0.005 = 0.045 per attempt base):
    //   easy (p = 1): 0.045; hard (p = 0.5): 2*0.045 + 1e-5*400*(0.5/0.25) = 0.098
    //   per bug (half hard): 0.0715 -> C_B(q) = 0.016 + 0.0715 q
    //   root: 0.0715 q = 0.144 -> q = 0.144/0.0715 = 288/143 = 2.01398...
    //   below it weak-first is cheaper.
    const roots = findCrossovers(X, "x.yaml", { param: "models.weak.bugs.count", between: [A, B], contexts: ["fresh"], steps: 50 });
    expect(roots).toHaveLength(1);
    expect(roots[0]!.context).toBe("fresh");
    expect(roots[0]!.method).toBe("exact");
    expectRel(roots[0]!.value, 288 / 143, 1e-12);
    expect(roots[0]!.cheaperBelow).toBe("weak-first");
    expect(roots[0]!.cheaperAbove).toBe("strong-first");
    checkRoot(X, [A, B], "models.weak.bugs.count", roots[0]!, []);
  });

  it("no crossover at a count of 0, where strategies with the same generator tie with nothing to fix", () => {
    // strong-strong and strong-weak: the same generation, so equal at 0 bugs; a root there came
    // out as 7.9e-31 in rounding and was printed as a crossover with a 'cheaper below' side
    const file = "scenarios/validation/no-caching.yaml";
    const raw = loadScenario(file).raw;
    const s = parseScenario(raw, file);
    const pick = (name: string) => s.strategies.find((x) => x.name === name)!;
    const roots = findCrossovers(raw, file, { param: "models.strong.bugs.count", between: [pick("strong-strong"), pick("strong-weak")], contexts: ["shared", "fresh"], steps: 50 });
    expect(roots.map((r) => r.context)).toEqual(["shared"]);
    expect(roots[0]!.value).toBeGreaterThan(1);
  });

  it("hand-solvable shared quadratic crossover in the weak model's bug count", () => {
    // shared, alpha = w = 1: I = q (0.5*1 + 0.5*2) = 1.5 q, V = q (0.5*0 + 0.5*2) = q
    //   fix = I*0.045 + 1e-5*200*(I^2 + V - I) = 0.0675 q + 0.002 (2.25 q^2 - 0.5 q)
    //       = 0.0045 q^2 + 0.0665 q
    //   0.016 + 0.0045 q^2 + 0.0665 q = 0.16 -> 0.0045 q^2 + 0.0665 q - 0.144 = 0
    //   q = (-0.0665 + sqrt(0.0665^2 + 4*0.0045*0.144)) / 0.009 (the other root is negative)
    const expected = (-0.0665 + Math.sqrt(0.0665 ** 2 + 4 * 0.0045 * 0.144)) / 0.009;
    const roots = findCrossovers(X, "x.yaml", { param: "models.weak.bugs.count", between: [A, B], contexts: ["shared"], steps: 50 });
    expect(roots).toHaveLength(1);
    expectRel(roots[0]!.value, expected, 1e-12);
    expect(roots[0]!.method).toBe("exact");
    expect(roots[0]!.cheaperBelow).toBe("weak-first");
    expect(roots[0]!.cheaperAbove).toBe("strong-first");
    checkRoot(X, [A, B], "models.weak.bugs.count", roots[0]!, []);
    // swapping the pair swaps the sides
    const swapped = findCrossovers(X, "x.yaml", { param: "models.weak.bugs.count", between: [B, A], contexts: ["shared"], steps: 50 });
    expect(swapped).toHaveLength(1);
    expectRel(swapped[0]!.value, expected, 1e-12);
    expect(swapped[0]!.cheaperBelow).toBe("weak-first");
  });

  it("hand-solvable crossover in a price (bisection)", () => {
    // x = strong input price ($/M), c = x/1e6. strong-first: 1000 c + 0.15.
    // weak-first, weak's 2 bugs (I = 3, V = 2) fixed by strong:
    //   shared: 0.016 + 3 (4000 c + 0.005) + 200 c (9 + 2 - 3) = 0.031 + 13600 c -> 12600 c = 0.119 -> x = 85/9
    //   fresh:  0.016 + 3 (4000 c + 0.005) + 400 c * 2        = 0.031 + 12800 c -> 11800 c = 0.119 -> x = 595/59
    const roots = findCrossovers(X, "x.yaml", {
      param: "models.strong.price.input",
      between: [A, B],
      contexts: ["shared", "fresh"],
      from: 0,
      to: 100,
      steps: 40,
    });
    expect(roots).toHaveLength(2);
    const shared = roots.find((r) => r.context === "shared")!;
    const fresh = roots.find((r) => r.context === "fresh")!;
    expectRel(shared.value, 85 / 9, 1e-9);
    expectRel(fresh.value, 595 / 59, 1e-9);
    for (const r of roots) {
      expect(r.method).toBe("bisection");
      expect(r.cheaperBelow).toBe("weak-first");
      expect(r.cheaperAbove).toBe("strong-first");
      checkRoot(X, [A, B], "models.strong.price.input", r, []);
    }
    // no root in a range without a sign change
    expect(findCrossovers(X, "x.yaml", { param: "models.strong.price.input", between: [A, B], contexts: ["shared", "fresh"], from: 20, to: 100, steps: 40 })).toEqual([]);
  });

  it("a zero of the difference is a root only between values of opposite signs, probed one step past an end", () => {
    // f = -1 at 0, 0 at 1, +1 at 2: a root at 1; a NaN neighbour (no scenario) makes no side
    expect(scanCrossovers((x) => [-1, 0, 1][x]!, 0, 2, 2)).toEqual([{ value: 1, slope: 2 }]);
    expect(scanCrossovers((x) => [NaN, 0, 1][x]!, 0, 2, 2)).toEqual([]);
    // zeros between two signs: the first zero; zeros between the same sign: a touch, no root
    expect(scanCrossovers((x) => [-1, 0, 0, 1][x]!, 0, 3, 3)).toEqual([{ value: 1, slope: 2 }]);
    expect(scanCrossovers((x) => [1, 0, 0, 1][x]!, 0, 3, 3)).toEqual([]);
    // a zero at an end: the value one step beyond decides, and a value the key may not take decides nothing
    const line = (x: number) => x - 1; // 0 at x = 1
    expect(scanCrossovers(line, 1, 3, 2)).toEqual([{ value: 1, slope: 2 }]);
    expect(scanCrossovers(line, -1, 1, 2)).toEqual([{ value: 1, slope: 2 }]);
    const upToOne = (x: number) => (x > 1 ? NaN : x - 1);
    expect(scanCrossovers(upToOne, -1, 1, 2)).toEqual([]);
    const fromOne = (x: number) => (x < 1 ? NaN : x - 1);
    expect(scanCrossovers(fromOne, 1, 3, 2)).toEqual([]);
    // a bracket whose midpoint has no value cannot be halved: its upper end, as a step
    const holed = (x: number) => (x === 1 ? NaN : x - 1.5);
    expect(scanCrossovers(holed, 0, 2, 1)).toEqual([{ value: 2, slope: 2, step: true }]);
    // a jump across 0 is a step at the first value past it, not a root where the two cost the same
    // (an audit: a preset's 1-hour write price from 300 s was "bisection" at 300.00000005)
    // whatever the grid (a review: a steep root was a step at --steps 40 and a root at 400)
    const jump = (x: number) => (x > 300 ? -0.059 : 0.069);
    for (const steps of [1, 40, 400]) {
      const [stepped] = scanCrossovers(jump, 60, 3600, steps);
      expect(stepped).toMatchObject({ step: true });
      expect(stepped!.value).toBeGreaterThan(300);
      expect(stepped!.value).toBeLessThan(300 * (1 + 1e-9));
      // a steep continuous change is still a root, without the step (the CDF of a tool time of
      // spread 0.01 s against a TTL), as is a line over a range of a millionth
      for (const steep of [(x: number) => Math.tanh(1e4 * (300 - x)), (x: number) => 0.5 - 1 / (1 + Math.exp(-(x - 300) / 0.01))]) {
        expect(scanCrossovers(steep, 60, 3600, steps)).toEqual([{ value: expect.closeTo(300, 6), slope: expect.any(Number) }]);
      }
      expect(scanCrossovers((x) => x - 300, 300 - 1e-4, 300 + 3e-4, steps)).toEqual([{ value: expect.closeTo(300, 6), slope: expect.any(Number) }]);
      // a jump over a narrow range too (a second review: a root at 400 steps, halved too few times to tell)
      expect(scanCrossovers(jump, 299.999, 300.001, steps)).toEqual([{ value: expect.closeTo(300, 6), slope: expect.any(Number), step: true }]);
    }
  });

  it("found by an independent finder: no false root next to a left-out value or at a range's end", () => {
    const load = (name: string) => {
      const file = `test/fixtures/crossover/${name}.yaml`;
      const { raw, scenario } = loadScenario(file);
      const pick = (n: string) => scenario.strategies.find((x) => x.name === n)!;
      return { raw, file, pick };
    };
    // d = 0.002 x in the strong input price x: B cheaper for every x > 0; x < 0 is no scenario
    const z = load("zero-next-to-left-out");
    const leftOut: unknown[] = [];
    expect(findCrossovers(z.raw, z.file, { param: "models.strong.price.input", between: [z.pick("A"), z.pick("B")], contexts: ["shared"], from: -1, to: 2, steps: 300, onLeftOut: (l) => leftOut.push(l) })).toEqual([]);
    expect(leftOut).toHaveLength(1);
    // a crossing inside values the key may not take: a step at the first value past them (a
    // review: the default 400 steps said "none", 10 steps found it)
    const c = load("cross-in-left-out");
    for (const steps of [400, 10]) {
      const roots = findCrossovers(c.raw, c.file, { param: "models.s.price.output", between: [c.pick("a"), c.pick("b")], contexts: ["shared"], from: 0, to: 1e-5, steps });
      expect(roots.map((r) => [Number(r.value.toPrecision(12)), r.cheaperBelow, r.cheaperAbove, r.method])).toEqual([[1e-6, "a", "b", "step"]]);
    }
    // the two tie at a fix rate of 1, the largest allowed: no crossing there
    const e = load("zero-at-range-end");
    expect(findCrossovers(e.raw, e.file, { param: "models.weak.fix.easy", between: [e.pick("A"), e.pick("B")], contexts: ["shared"], from: 0.5, to: 1, steps: 50 })).toEqual([]);
  });

  it("a hard fraction under exact assignment is compared at its allowed values only, the multiples of 1/count", () => {
    const file = "test/fixtures/crossover/hardfraction-exact.yaml";
    const { raw, scenario } = loadScenario(file);
    const [escalate, weakWeak] = ["escalate", "weak-weak"].map((n) => scenario.strategies.find((x) => x.name === n)!) as [Strategy, Strategy];
    const leftOut: unknown[] = [];
    const roots = findCrossovers(raw, file, { param: "models.weak.bugs.hardFraction", between: [escalate, weakWeak], contexts: ["shared"], from: 0, to: 1, steps: 400, onLeftOut: (l) => leftOut.push(l) });
    // analytic at 0, 0.25, ..., 1: escalate dearer at every one, so nothing crosses (it once
    // reported two crossovers between them, at values that make no whole number of hard bugs)
    expect(roots).toEqual([]);
    expect(leftOut).toEqual([]);
    // 8 strong bugs: strong-first - weak-weak is -0.0126 at 0.25 and +0.036 at 0.375 (shared), so the
    // change is reported at 0.375, whatever the grid (a bisection once stopped at 0.1875, 1.5 hard bugs)
    const crossing = "test/fixtures/crossover/hardfraction-crossing.yaml";
    const c = loadScenario(crossing);
    const pair = ["strong-first", "weak-weak"].map((n) => c.scenario.strategies.find((x) => x.name === n)!) as [Strategy, Strategy];
    for (const steps of [2, 16]) {
      const found = findCrossovers(c.raw, crossing, { param: "models.strong.bugs.hardFraction", between: pair, contexts: ["shared"], from: 0, to: 0.75, steps });
      expect(found).toEqual([{ context: "shared", value: 0.375, cheaperBelow: "strong-first", cheaperAbove: "weak-weak", method: "step" }]);
      const at = (x: number) => costDifference(parseScenario({ ...c.raw, models: { ...(c.raw.models as object), strong: { ...(c.raw.models as Record<string, Record<string, unknown>>).strong, bugs: { count: 8, hardFraction: x } } } }, crossing), pair, "shared");
      expect(at(0.25)).toBeLessThan(0);
      expect(at(0.375)).toBeGreaterThan(0);
    }
  });

  it("a count root where a context window is reached is a gap, not a crossover, and not the whole context's loss", () => {
    const file = "scenarios/default.yaml";
    const { raw, scenario } = loadScenario(file);
    const pair = ["strong-first", "strong-strong"].map((n) => scenario.strategies.find((x) => x.name === n)!) as [Strategy, Strategy];
    const gaps: Gap[] = [];
    const skipped: string[] = [];
    const roots = findCrossovers(raw, file, { param: "models.strong.bugs.count", between: pair, contexts: ["shared", "fresh"], steps: 50, onGap: (g) => gaps.push(g), onSkip: (ctx) => skipped.push(ctx) });
    expect(roots).toEqual([]);
    expect(skipped).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ context: "shared", cheaperBefore: null, cheaperAfter: null, reason: expect.stringMatching(/context window is reached/) });
    expect(gaps[0]!.from).toBeGreaterThan(100);
  });

  it("a count root in range is kept when the polynomial's other root, far outside, has no closed form", () => {
    // d(q) = 0.0009 q^2 - 0.05808 q + 0.05742: roots 1.00426 and 63.53, where a context window is reached
    const file = "test/fixtures/crossover/count-root-past-window.yaml";
    const { raw, scenario } = loadScenario(file);
    const [a, b] = scenario.strategies as [Strategy, Strategy];
    const roots = findCrossovers(raw, file, { param: "models.weak.bugs.count", between: [a, b], contexts: ["shared"], to: 10, steps: 50 });
    expect(roots).toHaveLength(1);
    expectRel(roots[0]!.value, (0.05808 - Math.sqrt(0.05808 ** 2 - 4 * 0.0009 * 0.05742)) / (2 * 0.0009), 1e-9);
    expect(roots[0]).toMatchObject({ cheaperBelow: "B", cheaperAbove: "A", method: "exact" });
  });

  it("a whole-count scan: counts a rule forbids are one left-out stretch, and a range without a whole count is a flag error", () => {
    const file = "test/fixtures/crossover/integer-scan.yaml";
    const { raw, scenario } = loadScenario(file);
    const between = scenario.strategies.slice(0, 2) as [Strategy, Strategy];
    const leftOut: { from: number; to: number; values: number; scanned: number }[] = [];
    findCrossovers(raw, file, { param: "models.weak.bugs.count", between, contexts: ["shared"], to: 12, steps: 50, onLeftOut: (l) => leftOut.push(l) });
    expect(leftOut).toEqual([expect.objectContaining({ from: 1, to: 11, values: 6, scanned: 13 })]);
    expect(() => findCrossovers(raw, file, { param: "models.weak.bugs.count", between, contexts: ["shared"], from: 2.2, to: 2.9, steps: 50, onSkip: () => {} })).toThrow(
      /^--from 2\.2 --to 2\.9 hold no whole count of bugs$/,
    );
  });

  it("gaps: runs of values without a closed form, with the cheaper strategy on either side", () => {
    // D = first - second: negative means the first (A) is cheaper. Values 2 and 3 have no closed
    // form; value 4 may not be taken (NaN without a reason), so the gap's far side is 5.
    const D = new Map([[0, -1], [1, -0.5], [2, NaN], [3, NaN], [4, NaN], [5, 0.5], [6, NaN]]);
    const why = new Map([[2, "no closed form at 2"], [3, "no closed form at 3"], [6, "no closed form at 6"]]);
    const gaps = gapsOf([0, 1, 2, 3, 4, 5, 6], (x) => D.get(x)!, (x) => why.get(x), [A, B], "shared");
    expect(gaps).toEqual([
      { context: "shared", from: 2, to: 3, reason: "no closed form at 2", cheaperBefore: A.name, cheaperAfter: B.name },
      { context: "shared", from: 6, to: 6, reason: "no closed form at 6", cheaperBefore: B.name, cheaperAfter: null },
    ]);
    // values the key may not take alone are no gap
    expect(gapsOf([0, 1, 2], (x) => (x === 1 ? NaN : x - 0.5), () => undefined, [A, B], "fresh")).toEqual([]);
  });

  it("a scan across values where a context window comes into reach reports the gap, not 'none'", () => {
    // the escalation scenario: below a weak hard rate of about 0.08, the weak fixer of
    // strong-first reaches its 200K window in more than 1e-6 of runs, so it has no closed form
    const raw = parseYaml(readFileSync("scenarios/escalation.yaml", "utf8"));
    const scenario = parseScenario(raw, "escalation.yaml");
    const by = (n: string) => scenario.strategies.find((s) => s.name === n)!;
    const gaps: Gap[] = [];
    const roots = findCrossovers(raw, "escalation.yaml", {
      param: "models.weak.fix.hard",
      between: [by("strong-escalate"), by("strong-first")],
      contexts: ["shared"],
      from: 0.02,
      to: 0.5,
      steps: 48,
      onGap: (g) => gaps.push(g),
    });
    expect(roots).toEqual([]);
    expect(gaps).toHaveLength(1);
    const [gap] = gaps;
    expect(gap!.from).toBe(0.02);
    expect(gap!.reason).toMatch(/strong-first \(shared\) has no closed form: a context window is reached/);
    expect(gap!.cheaperBefore).toBeNull();
    expect(gap!.cheaperAfter).toBe("strong-first");
    // the gap ends at the last grid value (step 0.01) without a closed form
    const at = (x: number) => {
      const s = parseScenario({ ...raw, models: { ...raw.models, weak: { ...raw.models.weak, fix: { ...raw.models.weak.fix, hard: x } } } }, "x.yaml");
      return analyzeStrategy(s, s.strategies.find((st) => st.name === "strong-first")!, "shared").analyticMean;
    };
    expect(at(gap!.to)).toBeNull();
    expect(at(gap!.to + 0.01)).not.toBeNull();
  });

  it("runPmfWork counts convolve's multiply-adds from the PMFs' lengths", () => {
    const weak = (assignment: "exact" | "binomial") => {
      const models = X.models as Record<string, Record<string, Record<string, unknown>>>;
      const raw = { ...X, models: { ...models, weak: { ...models.weak, bugs: { ...models.weak!.bugs, assignment } } } };
      return parseScenario(raw, "x.yaml").models.weak!; // 2 bugs, half of them hard
    };
    const pmf = (n: number) => Float64Array.from({ length: n + 2 }, (_, i) => (i < n ? 1 / n : 0)); // n entries, then zeros
    // binomial assignment: the mixture (3 entries) squared, 3 x 3 = 9, then 1 x 5 = 5
    expect(runPmfWork(weak("binomial"), pmf(3), pmf(2), 100)).toBe(9 + 5);
    // below a limit of 4: the square's inner loop runs 3, 3 and 2 times (8), then 1 x 4
    expect(runPmfWork(weak("binomial"), pmf(3), pmf(3), 4)).toBe(8 + 4);
    // exact assignment, one easy and one hard bug: 1 x 3, 1 x 2, then 3 x 2
    expect(runPmfWork(weak("exact"), pmf(3), pmf(2), 100)).toBe(3 + 2 + 6);
  });

  it("pmfFromSurvival: P(X = i) from the survival, up to where less than 1e-17 of the mass is left", () => {
    // a geometric count from 1: P(X >= i) = (1 - p)^(i - 1); for p = 1/2, P(X > i) = 2^-i is first
    // below 1e-17 at i = 57 (2^-56 is about 1.4e-17, 2^-57 about 6.9e-18)
    const survival = (p: number, n: number) => Float64Array.from({ length: n }, (_, k) => Math.pow(1 - p, k)); // P(X >= k + 1)
    const pmf = pmfFromSurvival(survival(0.5, 1000));
    expect(pmf.length).toBe(58); // P(X = 0) .. P(X = 57)
    expect(Math.pow(0.5, 57)).toBeLessThan(1e-17);
    expect(Math.pow(0.5, 56)).toBeGreaterThan(1e-17);
    expect(pmf[0]).toBe(0);
    for (let i = 1; i < pmf.length; i++) expect(pmf[i]).toBe(Math.pow(0.5, i - 1) - Math.pow(0.5, i));
    // a slow rate's tail is kept to the limit: nothing dropped where the rest is not negligible
    expect(pmfFromSurvival(survival(0.001, 500)).length).toBe(500);
  });

  it("requestReach ends at the first reach below 1e-17, however far the limit (a tier 70,000 attempts away)", () => {
    const s = parseScenario(LONG_TIER, "long-tier.yaml");
    const st = s.strategies.find((x) => x.name === "s1")!; // b fixes, one unbounded rung: easy rate 0.01
    const reach = requestReach(bugSchedule(s.models, st.ladder, false, 2, 2), 70_000);
    // P(at least i requests) = 0.99^(i - 1), below 1e-17 from i - 1 = 3,895 (ln 1e-17 / ln 0.99 = 3,894.8)
    expect(reach.length).toBe(3896);
    expect(reach[reach.length - 1]).toBeLessThan(1e-17);
    expect(reach[reach.length - 2]).toBeGreaterThanOrEqual(1e-17);
    for (const i of [0, 1, 100, 3895]) expect(Math.abs(reach[i]! / 0.99 ** i - 1), `reach of request ${i + 1}`).toBeLessThan(1e-11);
    // what pmfFromSurvival reads of it is all there: the same PMF as from the whole list
    const whole = Float64Array.from({ length: 70_000 }, (_, i) => reach[i] ?? 0.99 ** i);
    expect(Array.from(pmfFromSurvival(reach))).toEqual(Array.from(pmfFromSurvival(whole)));
  });

  it("convolve: counts its multiply-adds, and sets probabilities below 1e-154 to 0", () => {
    const before = convolutionWork();
    const out = convolve(Float64Array.of(0.5, 0.5, 0), Float64Array.of(0.25, 0.75), 100);
    expect(Array.from(out)).toEqual([0.125, 0.5, 0.375]);
    expect(convolutionWork() - before).toBe(4); // 2 x 2: the trailing zero is left out
    // 1e-100 x 1e-60 = 1e-160 would be kept as a product far below any digit shown
    const tiny = convolve(Float64Array.of(1e-100, 1), Float64Array.of(1e-60, 1), 100);
    expect(Array.from(tiny)).toEqual([0, 1e-60 + 1e-100, 1]);
  });

  it("a crossover whose closed forms convolve too much stops with one line naming its flags and where", () => {
    const raw = LONG_SCAN; // see its comment: about 20 s of closed forms over 400 steps
    const scenario = parseScenario(raw, "long-scan.yaml");
    const query = { param: "models.b.fix.hard", between: scenario.strategies as [Strategy, Strategy], contexts: ["shared" as const], from: 0.001, to: 0.9, steps: 400 };
    const before = convolutionWork();
    let error: unknown = null;
    try {
      // onSkip takes a context's errors, but not this one: it is the whole command's
      findCrossovers(raw, "long-scan.yaml", { ...query, onSkip: () => {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScanTooLong);
    expect((error as Error).message).toBe(
      "--from 0.001 --to 0.9 --steps 400: at models.b.fix.hard = 0.0481975 (the 22nd value scanned) the closed forms passed " +
        "1,000,000,000 multiply-adds of run distributions (a context window or tier many requests away); about 19 values fit: " +
        "scan fewer (--steps) or a narrower range",
    );
    const work = convolutionWork() - before;
    expect(work).toBeGreaterThan(MAX_SCAN_WORK);
    // stopped right after the value that passed it: two strategies' window checks, each at most MAX_PMF_WORK
    expect(work).toBeLessThanOrEqual(MAX_SCAN_WORK + 2 * MAX_PMF_WORK);
  });

  it("runPmf: the same inputs give back the same PMF; any other input is convolved afresh", () => {
    const gen = (hardFraction: number) => parseScenario({ ...X, models: { ...(X.models as object), weak: { ...(X.models as any).weak, bugs: { count: { dist: "poisson", mean: 3 }, hardFraction } } } }, "x.yaml").models.weak!;
    const easy = Float64Array.of(0, 0.5, 0.25, 0.25);
    const hard = Float64Array.of(0, 0.2, 0.3, 0.5);
    const first = runPmf(gen(0.5), easy, hard, 30);
    let work = convolutionWork();
    expect(runPmf(gen(0.5), easy.slice(), hard.slice(), 30)).toBe(first); // equal inputs: no work
    expect(convolutionWork()).toBe(work);
    const changed = easy.slice();
    changed[3] = 0.2500001;
    const others = [() => runPmf(gen(0.5), changed, hard, 30), () => runPmf(gen(0.5), easy, hard, 20), () => runPmf(gen(0.4), easy, hard, 30)].map((compute) => {
      const other = compute();
      expect(convolutionWork()).toBeGreaterThan(work);
      work = convolutionWork();
      expect(other).not.toBe(first);
      return other;
    });
    expect(others[1]!.length).toBe(20);
    // P(R = 1): one bug with one request; the mixture's P(1) is (1 - phi) 0.5 + phi 0.2
    const oneRequest = (phi: number) => 3 * Math.exp(-3) * ((1 - phi) * 0.5 + phi * 0.2);
    expect(first[1]).toBeCloseTo(oneRequest(0.5), 15);
    expect(others[2]![1]).toBeCloseTo(oneRequest(0.4), 15);
  });

  it("a crossover in a price convolves the unchanged window checks once, not at every value", () => {
    const scenario = parseScenario(PRICE_SCAN, "price-scan.yaml");
    const query = { param: "models.a.price.input", between: scenario.strategies as [Strategy, Strategy], contexts: ["shared" as const], from: 1, to: 10, steps: 400 };
    const start = convolutionWork();
    analyzeStrategy(parseScenario({ ...PRICE_SCAN, name: "other" }, "x.yaml"), scenario.strategies[0]!, "shared");
    const check = convolutionWork() - start; // one strategy's window check
    // at every value of the scan (401 and the bisection's), two such checks would pass the scan's bound
    expect(2 * 401 * check).toBeGreaterThan(MAX_SCAN_WORK);
    const before = convolutionWork();
    const roots = findCrossovers(PRICE_SCAN, "price-scan.yaml", query);
    expect(roots.length).toBe(1);
    // the scan convolves s2's check once (s1's was held from above): about one check's work
    expect(convolutionWork() - before).toBeLessThan(3 * check);
  });

  it("a run's requests too costly to convolve: the window check takes Markov's bound E[R]/n", () => {
    // Poisson(1,000) bugs, a 19,200-token window, 200 tokens of hand-off and 1 per attempt: request
    // r reads 200 + (r - 1), so a run may make 19,001 requests (the last reads exactly 19,200) and
    // overflows from the n = 19,002nd on; convolving the mixture's powers that far would take
    // about 5e10 multiply-adds (a minute and a half)
    const raw = {
      name: "long-runs",
      seed: 1,
      trials: 1000,
      models: {
        strong: { price: { input: 5, output: 25 }, bugs: { count: { dist: "poisson", mean: 1000 }, hardFraction: 0.5 }, fix: { easy: 0.9, hard: 0.6 }, contextWindow: 19200 },
        weak: { price: { input: 1, output: 5 }, bugs: { count: { dist: "poisson", mean: 1000 }, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.3 }, contextWindow: 19200 },
      },
      tokens: { prompt: 100, generation: 100, fixOutput: 1, errorTrace: 0 },
      contexts: ["shared"],
      strategies: { "strong-first": { generator: "strong", fixer: "weak" }, "weak-first": { generator: "weak", fixer: "strong" } },
    };
    const scenario = parseScenario(raw, "long-runs.yaml");
    const n = 19_002;
    // E[R] = E[bugs] (1/2 / p_easy + 1/2 / p_hard): one request per attempt, 1/p attempts a bug
    const expected = { "strong-first": (1000 * (0.5 / 0.7 + 0.5 / 0.3)) / n, "weak-first": (1000 * (0.5 / 0.9 + 0.5 / 0.6)) / n };
    for (const st of scenario.strategies) {
      const r = analyzeStrategy(scenario, st, "shared");
      expect(r.windowChance, st.name).toBeCloseTo(expected[st.name as keyof typeof expected], 12);
      expect(r.analyticMean).toBeNull();
    }
  });

  it("a long-context tier too far to sum the attempt distribution up to: no closed form, and why", () => {
    // 101 tokens of hand-off, 3 per attempt: a tier at 200,000 tokens (Gemini 2.5 Pro's) is attempt
    // 66,635 in, and rates of 0.0005 and 0.0002 leave a bug's attempt distribution that long (its
    // tail beyond is still far above 1e-17), so a run's would take about 1e10 multiply-adds
    const raw = {
      name: "tier-far",
      seed: 1,
      trials: 100,
      models: { f: { price: { input: 1.25, output: 10, longContext: { above: 200000, input: 2.5, output: 15 } }, bugs: { count: 6, hardFraction: 0.5 }, fix: { easy: 0.0005, hard: 0.0002 } } },
      tokens: { prompt: 1, generation: 100, fixOutput: 2, errorTrace: 1 },
      contexts: ["shared"],
      strategies: { alone: { generator: "f", fixer: "f" } },
    };
    const scenario = parseScenario(raw, "tier-far.yaml");
    const r = analyzeStrategy(scenario, scenario.strategies[0]!, "shared");
    expect(r.analyticMean).toBeNull();
    expect(r.reason).toBe("the long-context tier starts at attempt 66,635, too far for the closed form to sum a run's attempt distribution up to (more than 250,000,000 multiply-adds)");
    expect(r.expectedAttempts).toBeCloseTo(6 * (0.5 / 0.0005 + 0.5 / 0.0002), 6); // the counts keep their closed form
  });

  it("a whole-number scan of a bug count stops at the count's range (1,000 bugs), whatever --to says", () => {
    // advisor.yaml's advised strategy is a ladder: in shared context its cost in the executor's
    // bug count is scanned count by count; from 6 bugs on, executor-alone may reach its window (at
    // 6, 5e-6 of 200,000 simulated runs did; at 4, none)
    const raw = parseYaml(readFileSync("scenarios/advisor.yaml", "utf8"));
    const scenario = parseScenario(raw, "advisor.yaml");
    const by = (n: string) => scenario.strategies.find((s) => s.name === n)!;
    const scan = (to: number) => {
      const gaps: Gap[] = [];
      const query = { param: "models.executor.bugs.count", between: [by("executor-alone"), by("advised")] as [Strategy, Strategy], contexts: ["shared" as const], from: 2, to, steps: 50 };
      return { roots: findCrossovers(raw, "advisor.yaml", { ...query, onGap: (g) => gaps.push(g) }), gaps };
    };
    const whole = scan(1000);
    expect(whole.gaps.map((g) => [g.from, g.to])).toEqual([[6, 1000]]);
    expect(scan(1e9)).toEqual(whole);
  });

  it("random scenarios: bug-count roots match the closed-form polynomial, plug back, and have the right sides", () => {
    let found = 0;
    for (let seed = 40_000; seed < 40_060; seed++) {
      const raw = randomScenario(seed) as any;
      raw.contexts = ["shared", "fresh"];
      const scenario = parseScenario(raw, "x.yaml");
      const names = Object.keys(raw.models);
      const s1 = scenario.strategies[0] ?? null;
      if (!s1) continue;
      const s2 = scenario.strategies.find((st) => st.generator !== s1.generator) ??
        pair("other", names.find((n) => n !== s1.generator)!, fixerOf(s1));
      const model = s1.generator;
      const param = `models.${model}.bugs.count`;
      const roots = findCrossovers(raw, "x.yaml", { param, between: [s1, s2], contexts: ["shared", "fresh"], steps: 100 });
      for (const context of ["shared", "fresh"] as const) {
        // for q > 0, D(q) is a polynomial of degree <= 2 in q: fit it through q = 1, 2, 3
        // (at q = 0 the shared cost drops to the generation call: no bugs, no fix phase)
        const [p1, p2] = [s1, s2].map((st) => ({ generator: st.generator, fixer: fixerOf(st) }));
        const D = (q: number) => formulaMean(raw, p1!, context, { q }) - formulaMean(raw, p2!, context, s2.generator === model ? { q } : {});
        const d1 = D(1);
        const d2 = D(2);
        const d3 = D(3);
        const a = (d3 - 2 * d2 + d1) / 2;
        const b = d2 - d1 - 3 * a;
        const c = d1 - a - b;
        const mine = polyRoots(a, b, c).filter((q) => q >= 0);
        const theirs = roots.filter((r) => r.context === context).map((r) => r.value).sort((x, y) => x - y);
        expect(theirs.length, `${raw.name} ${context}: roots ${theirs} vs ${mine}`).toBe(mine.length);
        theirs.forEach((v, i) => expectRel(v, mine[i]!, 1e-8, 1e-6));
        for (const r of roots.filter((x) => x.context === context)) {
          expect(r.method).toBe("exact");
          checkRoot(raw, [s1, s2], param, r, theirs);
          found++;
        }
      }
    }
    expect(found).toBeGreaterThan(10);
  });

  it("random scenarios: roots in a price and in caching.readMultiplier (linear: one root each)", () => {
    let found = 0;
    for (let seed = 50_000; seed < 50_060; seed++) {
      const raw = randomScenario(seed) as any;
      raw.contexts = ["shared", "fresh"];
      raw.caching ??= { readMultiplier: 0.5, writeMultiplier: 1 };
      const scenario = parseScenario(raw, "x.yaml");
      const s1 = scenario.strategies[0]!;
      const s2 = scenario.strategies.find((st) => st.generator !== s1.generator || fixerOf(st) !== fixerOf(s1));
      if (!s2) continue;
      for (const [param, from, to] of [
        [`models.${fixerOf(s1)}.price.input`, 0, 200],
        ["caching.readMultiplier", 0, 1],
      ] as const) {
        const roots = findCrossovers(raw, "x.yaml", { param, between: [s1, s2], contexts: ["shared", "fresh"], from, to, steps: 64 });
        for (const context of ["shared", "fresh"] as const) {
          // both costs are linear in either parameter: the root of the difference is explicit
          const D = (x: number) => refCost(raw, s1, context, param, x) - refCost(raw, s2, context, param, x);
          const d0 = D(0);
          const d1 = D(1);
          const mine = d1 === d0 ? null : -d0 / (d1 - d0);
          const theirs = roots.filter((r) => r.context === context);
          const margin = 1e-6 * (to - from);
          if (mine === null || mine < from - margin || mine > to + margin) {
            expect(theirs, `${raw.name} ${param} ${context}`).toEqual([]);
            continue;
          }
          if (mine < from + margin || mine > to - margin) continue; // at an end of the range: either way
          expect(theirs, `${raw.name} ${param} ${context}`).toHaveLength(1);
          expectRel(theirs[0]!.value, mine, 1e-8, 1e-6);
          expect(theirs[0]!.method).toBe("bisection");
          checkRoot(raw, [s1, s2], param, theirs[0]!, []);
          found++;
        }
      }
    }
    expect(found).toBeGreaterThan(10);
  });
});

/** Real roots of a q^2 + b q + c, ascending (linear or none when a, b vanish). */
function polyRoots(a: number, b: number, c: number): number[] {
  const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
  if (Math.abs(a) <= 1e-13 * scale) {
    if (Math.abs(b) <= 1e-13 * scale) return [];
    return [-c / b];
  }
  const disc = b * b - 4 * a * c;
  if (disc < 0) return [];
  const sq = Math.sqrt(disc);
  const qq = -0.5 * (b + (b >= 0 ? sq : -sq));
  const r1 = qq / a;
  const r2 = qq === 0 ? 0 : c / qq;
  return [r1, r2].sort((x, y) => x - y);
}

/**
 * Valid inputs at the edges the schema allows, against values found without the code (by hand, or
 * with mpmath at 60 digits from docs/model.md: the numerical audit, whose independent values are
 * quoted), where a closed form once lost its digits to a difference of nearly equal numbers.
 */
describe("closed forms at the edges keep their digits (the numerical audit)", () => {
  const base = (models: Raw, strategies: Raw, extra: Raw = {}): Scenario =>
    parseScenario({ name: "t", seed: 1, trials: 1000, models, strategies, tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100 }, ...extra }, "edge.yaml");
  const mean = (s: Scenario, strategy: string, ctx: Context) => analyzeStrategy(s, s.strategies.find((x) => x.name === strategy)!, ctx);

  it("a long-context tier a run all but never reaches adds nothing, not a negative cost (2,900 orders of magnitude below the rounding)", () => {
    // 20 bugs at p = 1/2 make 40 attempts on average; the tier starts at attempt 10,001
    const fixer = { price: { input: 0, output: 5e-6, longContext: { above: 1e9, input: 1e4, output: 1e4 } }, bugs: { count: 20, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } };
    const plain = { price: { input: 0, output: 2.5e-6 }, bugs: { count: 20, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } };
    const s = base({ a: fixer, b: plain }, { tiered: { generator: "b", fixer: "a" }, plain: { generator: "b", fixer: "b" } }, {
      tokens: { prompt: 1000, generation: 0, fixOutput: 50_000, errorTrace: 50_000 },
      contexts: ["shared"],
    });
    // only output is priced: 40 attempts x 50,000 tokens x $5e-12 (and $2.5e-12 for b)
    expectRel(mean(s, "tiered", "shared").analyticMean, 40 * 50_000 * 5e-12);
    expectRel(mean(s, "plain", "shared").analyticMean, 40 * 50_000 * 2.5e-12);
  });

  it("a tier reached in one run in 1e11 still counts: its tokens are 4e-13 of the sums they are the difference of (a review)", () => {
    // one bug, hard with chance 1.8e-7 (p = 1e-4); the tier at 2x the base from attempt 100,000 on
    const gen = { price: { input: 1, output: 5, cacheRead: 0.1 }, bugs: { count: 1, hardFraction: 1.8e-7, assignment: "binomial" }, fix: { easy: 1, hard: 0.0001 } };
    const tier = { above: 20_000_600, input: 2, output: 10, cacheRead: 0.2 };
    const fx = (longContext: Raw | null) => ({ price: { input: 1, output: 5, cacheRead: 0.1, ...(longContext ? { longContext } : {}) }, bugs: { count: 0, hardFraction: 0 }, fix: { easy: 1, hard: 0.0001 } });
    const of = (longContext: Raw | null) =>
      mean(base({ gen, fx: fx(longContext) }, { s: { generator: "gen", fixer: "fx" } }, { tokens: { prompt: 500, generation: 500, fixOutput: 100, errorTrace: 100 }, contexts: ["shared"] }), "s", "shared").analyticMean!;
    // mpmath, attempt by attempt: the tier adds 1.79715 cached, 1.63374e-5 new and 8.16872e-6 output
    // tokens. The closed form's difference of sums 1e12 times as large keeps about 1e-16 of them:
    // 1e-4 of the tier's own size (zeroed, as a threshold of 1e-12 of the sums did, it is all wrong)
    expectRel(of(tier) - of(null), 1.7977227e-7, 1e-4);
  });

  it("under exact assignment a hard fraction within the tolerance counts whole bugs in every closed form", () => {
    // 1,000 bugs, 0.0010000009 of them hard: one hard bug (p = 1e-4), 999 easy ones fixed at once
    const a = { price: { input: 1, output: 5 }, bugs: { count: 1000, hardFraction: 0.0010000009 }, fix: { easy: 1, hard: 0.0001 } };
    const s = base({ a }, { one: { generator: "a", fixer: "a" }, lad: { generator: "a", ladder: [{ fixer: "a", attempts: 1 }, { fixer: "a" }] } });
    expect(s.models.a!.hardFraction).toBe(1 / 1000);
    const one = mean(s, "one", "shared");
    expectRel(one.expectedAttempts, 999 + 1 / 1e-4);
    // mpmath: 1 hard bug and 999 easy ones, section 4
    expectRel(one.analyticMean, 22123.2037, 1e-12);
    expectRel(mean(s, "lad", "shared").analyticMean, 22123.2037, 1e-12);
    expectRel(mean(s, "one", "fresh").analyticMean, 20025.5035, 1e-12);
  });

  it("a lognormal tool time with almost no spread puts the cache hit rate at Phi of its own score", () => {
    const a = { price: { input: 1, output: 5 }, bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } };
    const s = base({ a }, { s: { generator: "a", fixer: "a" } }, {
      toolSeconds: { dist: "lognormal", mean: 7, cv: 1e-12 },
      caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 7.000000000001 },
    });
    // mpmath: h = P(X <= 7.000000000001), and the costs with it
    expectRel(mean(s, "s", "shared").cacheHitRate, 0.5568035119751408, 1e-9);
    expectRel(mean(s, "s", "shared").analyticMean, 0.02043191711148021, 1e-9);
    expectRel(mean(s, "s", "fresh").analyticMean, 0.021273861344108681, 1e-9);
  });

  it("a lognormal whose cv squares to 0 is a step at its mean, as a cv of 0 is (a review: empty costs, exit 0)", () => {
    const a = { price: { input: 1, output: 5 }, bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } };
    const at = (cv: number, ttlSeconds: number) =>
      mean(base({ a }, { s: { generator: "a", fixer: "a" } }, { toolSeconds: { dist: "lognormal", mean: 150, cv }, caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds } }), "s", "shared");
    for (const ttl of [149, 150, 151]) {
      expect(at(1e-200, ttl).cacheHitRate).toBe(at(0, ttl).cacheHitRate);
      expect(at(1e-200, ttl).analyticMean).toBe(at(0, ttl).analyticMean);
    }
    expect(at(0, 150).cacheHitRate).toBe(1); // a tool time of exactly the lifetime still reads the cache
  });

  it("a negative binomial count a millionth over-dispersed keeps its pmf and pgf", () => {
    const a = { price: { input: 1, output: 5 }, bugs: { count: { dist: "negbinomial", mean: 1000, variance: 1000.001 }, hardFraction: 0.3 }, fix: { easy: 0.9, hard: 0.6 } };
    const s = base({ a }, { cap: { generator: "a", ladder: [{ fixer: "a", attempts: 3 }] }, lad: { generator: "a", ladder: [{ fixer: "a", attempts: 1 }, { fixer: "a" }] } }, {
      caching: { readMultiplier: 0.1, writeMultiplier: 1.25 },
    });
    // mpmath: the completion E[z^q] at z = P(a bug is fixed in 3 attempts); the ladder is one fixer (section 10's moments)
    expectRel(mean(s, "cap", "shared").expectedCompletion, 2.2779274922463502e-9, 1e-12);
    expectRel(mean(s, "lad", "shared").analyticMean, 17.531958905216049, 1e-12);
  });

  it("a beta rate's moments past 2,000 failed attempts are a product, not a difference of log-gammas", () => {
    // one bug, p ~ Beta(100, 999900): E[N] = (a + b - 1)/(a - 1) = 10,101, whatever the rung split
    const a = { price: { input: 1, output: 5 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: { dist: "beta", mean: 1e-4, concentration: 1e6 }, hard: 0.5 } };
    for (const attempts of [1999, 2001, 5000]) {
      const s = base({ a }, { lad: { generator: "a", ladder: [{ fixer: "a", attempts }, { fixer: "a" }] } });
      expectRel(mean(s, "lad", "shared").expectedAttempts, 10101, 1e-12);
    }
  });

  it("the fix phase on the same bugs is its own parts, not the total less a generation 1e7 times as large", () => {
    const rates = { bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } };
    const models = { big: { price: { input: 1e4, output: 1e4 }, ...rates }, c1: { price: { input: 0, output: 2e-6 }, ...rates }, c2: { price: { input: 0, output: 1e-6 }, ...rates } };
    const s = base(models, { b1: { generator: "big", fixer: "c1" } }, { tokens: { prompt: 1e7, generation: 1e7, fixOutput: 1, errorTrace: 0 } });
    // 3 bugs x 2 attempts x 1 output token x $2e-12 and $1e-12; input is free
    for (const ctx of ["shared", "fresh"] as const) {
      const [c1, c2] = fixerComparison(s, "big", ["c1", "c2"], ctx);
      expectRel(c1!.fixCost, 6 * 2e-12);
      expectRel(c2!.fixCost, 6 * 1e-12);
    }
    // analytic's table and JSON: every generator's bugs in every context, each fixer in the order
    // the strategies name them; none where one model does all the fixing
    const two = base(models, { b1: { generator: "big", fixer: "c1" }, b2: { generator: "c2", fixer: "c2" } }, { tokens: { prompt: 1e7, generation: 1e7, fixOutput: 1, errorTrace: 0 } });
    const rows = fixerComparisons(two);
    expect(rows.map((r) => [r.bugsOf, r.context, r.fixers.map((f) => f.fixer)])).toEqual([
      ["big", "shared", ["c1", "c2"]],
      ["big", "fresh", ["c1", "c2"]],
      ["c2", "shared", ["c1", "c2"]],
      ["c2", "fresh", ["c1", "c2"]],
    ]);
    expectRel(rows[0]!.fixers[1]!.fixCost, 6 * 1e-12);
    expect(fixerComparisons(s)).toEqual([]);
  });

  it("error growth near its bound: the fresh context's sum of error traces", () => {
    const a = { price: { input: 1, output: 5 }, bugs: { count: 3, hardFraction: 0.3333333333 }, fix: { easy: 1e-4, hard: 1e-4 } };
    const s = base({ a }, { s: { generator: "a", fixer: "a" } }, {
      tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100, errorGrowth: 0.00010000990099009901 },
      contexts: ["fresh"],
    });
    // mpmath; the inputs' own rounding accounts for about 1e-10 of it
    expectRel(mean(s, "s", "fresh").analyticMean, 29997030071.715673, 1e-9);
  });
});

/**
 * docs/model.md section 9: a request pays the long-context tier when its input (new and cached)
 * exceeds `above`; the generation call uses the tier when L0 is above it. An input exactly at the
 * threshold is not above it (a mutation audit: `>=` in tierPrice charged the generation call at
 * L0 = above the tier, $1.2225 for $0.615, and no test noticed).
 */
describe("a long-context tier at its threshold", () => {
  // price 3 / 15 $ per million, tier above 200,000 at 6 / 22.5; no caching section (alpha = w = 1);
  // one easy bug fixed with p = 1, so every run is one generation and one fix attempt, whatever
  // the draws, and its cost is exact
  const tiered = (prompt: number): Scenario =>
    parseScenario(
      {
        name: "tier",
        seed: 1,
        trials: 1000,
        models: { s: { price: { input: 3, output: 15, longContext: { above: 200000, input: 6, output: 22.5 } }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 1, hard: 1 } } },
        tokens: { prompt, generation: 1000, fixOutput: 100, errorTrace: 100 },
        contexts: ["fresh"],
        strategies: { ss: { generator: "s", fixer: "s" } },
      },
      "tier.yaml",
    );
  // By hand, with L1 = L0 + 1000 and the fix attempt reading L1 and writing 100 tokens:
  //   L0 = 200,000 (at the threshold: base) generation 200,000 x 3e-6 + 1,000 x 15e-6 = 0.615;
  //     fix, L1 = 201,000 (above: tier) 201,000 x 6e-6 + 100 x 22.5e-6 = 1.20825; total 1.82325
  //   L0 = 200,001 (above: tier) generation 200,001 x 6e-6 + 1,000 x 22.5e-6 = 1.222506;
  //     fix, L1 = 201,001: 201,001 x 6e-6 + 0.00225 = 1.208256; total 2.430762
  //   L0 = 199,000: generation 199,000 x 3e-6 + 0.015 = 0.612; fix, L1 = 200,000 (at the
  //     threshold: base) 200,000 x 3e-6 + 100 x 15e-6 = 0.6015; total 1.2135
  //   L0 = 199,001: generation 0.612003; fix, L1 = 200,001 (tier) 1.200006 + 0.00225 = 1.202256;
  //     total 1.814259
  const cases: [prompt: number, generation: number, total: number][] = [
    [200_000, 0.615, 1.82325],
    [200_001, 1.222506, 2.430762],
    [199_000, 0.612, 1.2135],
    [199_001, 0.612003, 1.814259],
  ];

  it("the closed form charges an input exactly at `above` the base price, and one token more the tier", () => {
    for (const [prompt, generation, total] of cases) {
      const s = tiered(prompt);
      expectRel(generationCost(s, s.models.s!), generation, 1e-12);
      const r = analyzeStrategy(s, s.strategies[0]!, "fresh");
      expectRel(r.breakdown?.generation, generation, 1e-12);
      expectRel(r.analyticMean, total, 1e-12);
    }
  });

  it("so does a simulated run with p = 1, on both paths: every run costs the hand value", () => {
    for (const [prompt, , total] of cases) {
      const s = tiered(prompt);
      for (const path of ["fast", "attempt"] as const) {
        const runs = 100;
        const cost = column(simulateChunk(compileParams(s, s.strategies[0]!, "fresh"), "tier", runs, path).columns, runs, "cost");
        for (const c of cost) expectRel(c, total, 1e-12);
      }
    }
  });
});

/** Survivors of the mutation audit (m32a): each pinned by a value derived apart from the code. */
describe("closed forms pinned where no test looked (the mutation audit)", () => {
  it("exact assignment splits q bugs into round(q phi) hard ones: k of them for phi = k/q, whatever the floating point of q (k/q)", () => {
    // 49 x (1/49) is 0.9999999999999999 in doubles: a floor there made the one hard bug easy
    // and a shared escalation ladder 12% cheaper
    const spec = (count: number, hardFraction: number) => ({ bugs: { kind: "fixed", count }, assignment: "exact", hardFraction }) as unknown as Parameters<typeof exactClasses>[0];
    let inexact = 0;
    const wrong: string[] = [];
    for (let q = 1; q <= 1000; q++) {
      for (let k = 0; k <= q; k++) {
        if (q * (k / q) !== k) inexact++;
        const split = exactClasses(spec(q, k / q));
        if (split?.hard !== k || split.easy !== q - k) wrong.push(`${k}/${q}: ${JSON.stringify(split)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(inexact).toBeGreaterThan(0); // the cases a floor gets wrong are among them
  });

  it("a consult's wall time is its call for the advice's length (a ladder with speeds, by hand)", () => {
    // One easy bug; w fixes it with p = 1/2: one attempt, and if it fails (1/2) a consult of s,
    // then w again until fixed (2 attempts expected): E[attempts] = 1 + 1/2 x 2 = 2, E[consults] = 1/2.
    // Wall seconds (section 5): the generation call 0.5 + 4,000/100 = 40.5; each attempt's call
    // 0.5 + 800/100 = 8.5, so 17; each consult's 1 + 1,500/50 = 31 for the advice it writes, so
    // 15.5. E = 73 s. (Priced at the fix output, 800 tokens, a consult was 17 s: no test saw it.)
    const s = parseScenario(
      {
        name: "consult-time",
        seed: 1,
        trials: 1000,
        models: {
          w: { price: { input: 1, output: 5 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 }, speed: { ttftSeconds: 0.5, outputTokensPerSecond: 100 } },
          s: { price: { input: 5, output: 25 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.9, hard: 0.9 }, speed: { ttftSeconds: 1, outputTokensPerSecond: 50 } },
        },
        tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
        strategies: { advised: { generator: "w", ladder: [{ fixer: "w", attempts: 1 }, { consult: "s", output: 1500 }, { fixer: "w" }] } },
      },
      "consult-time.yaml",
    );
    for (const ctx of ["shared", "fresh"] as const) {
      const r = analyzeStrategy(s, s.strategies[0]!, ctx);
      expectRel(r.expectedAttempts, 2);
      expectRel(r.consultsPerRun, 0.5);
      expectRel(r.expectedWallSeconds, 73);
    }
  });

  it("a beta rate's moment M(n, k) = B(a - k, b + n) / B(a, b) past 100,000 terms, where log-gammas replace the product", () => {
    // a = b = 2.5 (mean 0.5, concentration 5); values by mpmath at 40 digits. The log-gamma form
    // keeps about 1e-16 of log Gamma(a + b + n), some 2e-10 here. (Without k in it, a tier 199,000
    // attempts into such a rate was left out of a fresh cost: no test reached the branch.)
    const rate = { kind: "beta", mean: 0.5, concentration: 5, a: 2.5, b: 2.5 } as const;
    const mpmath: [n: number, k: number, m: number][] = [
      [100_000, 1, 3.8059744502968917777e-7], // the product's last n
      [100_001, 0, 5.7085906149147002471e-12],
      [100_001, 1, 3.8059173629636306547e-7],
      [100_001, 2, 0.076121391993162983999],
      [199_001, 1, 1.3557883335093513934e-7],
      [199_002, 2, 0.053961324725505642005],
    ];
    for (const [n, k, m] of mpmath) expectRel(rateMoment(rate, n, k), m, 1e-9);
  });

  it("the base model of a random count whose mean is no whole number: none where the closed form sums over the count, polynomials elsewhere", () => {
    // random-counts.yaml with the weak model's mean 5.5: the base model takes 5.5 fixed bugs. The
    // escalation ladder in shared context sums over the count's distribution, which 5.5 bugs do not
    // have: it has no base formula (a typed array indexed at 5.5 held no probability, and gave
    // $0.1435, where 5 bugs give $0.2285 and 6 give $0.2707: a review). A one-rung strategy's cost is a
    // polynomial in the count's moments, which 5.5 takes; the fresh ladder's too.
    const raw = parseYaml(readFileSync("scenarios/validation/random-counts.yaml", "utf8")) as Raw & { models: { weak: { bugs: { count: { mean: number } } } } };
    raw.models.weak.bugs.count.mean = 5.5;
    const s = parseScenario(raw, "random-counts-5.5.yaml");
    const at = (name: string, ctx: Context) => analyzeStrategy(s, s.strategies.find((st) => st.name === name)!, ctx);
    expect(at("escalate", "shared").baseMean).toBeNull();
    expect(at("escalate", "shared").analyticMean).not.toBeNull();
    for (const [name, ctx] of [["escalate", "fresh"], ["weak-first", "shared"], ["weak-first", "fresh"]] as const) expect(at(name, ctx).baseMean, `${name} ${ctx}`).toBeGreaterThan(0);
    expect(() => countPmf({ kind: "fixed", count: 5.5 })).toThrow(FractionalCount);
    expect([...countPmf({ kind: "fixed", count: 3 })]).toEqual([0, 0, 0, 1]);
  });

  it("bugSchedule remembers a schedule by everything it is made of: the same inputs give it back, a changed rate, bound, class or Delta another", () => {
    const models = { w: { fix: { easy: { kind: "fixed", p: 0.5 }, hard: { kind: "fixed", p: 0.2 } } } } as unknown as Parameters<typeof bugSchedule>[0];
    const ladder = [{ kind: "fix", model: "w", attempts: 2, fix: null }, { kind: "fix", model: "w", attempts: null, fix: null }] as Parameters<typeof bugSchedule>[1];
    const first = bugSchedule(models, ladder, false, 100, 10);
    expect(bugSchedule(models, ladder, false, 100, 10)).toBe(first);
    // reach of the second attempt: 1 - p for the class's rate
    expect(first.requests.map((r) => r.reach)).toEqual([1, 0.5]);
    expect(bugSchedule(models, ladder, true, 100, 10).requests.map((r) => r.reach)).toEqual([1, 0.8]);
    const slower = { w: { fix: { easy: { kind: "fixed", p: 0.25 }, hard: { kind: "fixed", p: 0.2 } } } } as unknown as typeof models;
    expect(bugSchedule(slower, ladder, false, 100, 10).requests.map((r) => r.reach)).toEqual([1, 0.75]);
    const longer = [{ ...ladder[0]!, attempts: 3 }, ladder[1]!] as typeof ladder;
    expect(bugSchedule(models, longer, false, 100, 10).requests).toHaveLength(3);
    expect(bugSchedule(models, ladder, false, 200, 10).requests.map((r) => r.w)).toEqual([0, 200]);
  });

  it("firstAbove: the first attempt t >= 2 whose X_t = X1 + (t - 1) Delta exceeds the limit; one that meets it exactly is not above", () => {
    // X_t = t - 1: X_11 = 10 meets 10, X_12 = 11 exceeds it
    expect(firstAbove(0, 1, 10)).toBe(12);
    // X_t = 2 (t - 1): X_6 = 10 meets it, X_7 = 12 exceeds it; 3 (t - 1): X_5 = 12 is the first above
    expect(firstAbove(0, 2, 10)).toBe(7);
    expect(firstAbove(0, 3, 10)).toBe(5);
    // the second attempt already above; no growth, never
    expect(firstAbove(5, 6, 10)).toBe(2);
    expect(firstAbove(5, 0, 10)).toBe(Infinity);
  });
});
