/**
 * The per-model, per-rung and consult outputs of a run, the fast path's tier replay, and the
 * trace's fields (docs/model.md sections 5, 8, 9 and 11), checked with hand values and identities
 * that do not read the simulator's own output: per-model totals add up to the mean, the generation
 * is the generator's alone, consult counts by hand, a trace's fields against their documented
 * meaning, and the traced runs priced by hand against the runs the simulation made.
 *
 * Thresholds: deterministic cases, 1e-12 absolute on $ (sums of a few exact products); a simulated
 * mean against its hand value, |z| <= 4.5 (two-sided normal tail 6.8e-6).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateScenario } from "../src/evaluate/evaluate.js";
import { traceLines } from "../src/evaluate/trace.js";
import type { TraceRecord } from "../src/evaluate/traceRecord.js";
import { windowCase } from "./windowCase.js";
import { parseScenario } from "../src/scenario/load.js";
import { SimulationPool } from "../src/sim/pool.js";

const near = (actual: number, expected: number, what: string, tol = 1e-12) => {
  if (!(Math.abs(actual - expected) <= tol)) expect.fail(`${what}: ${actual}, expected ${expected}`);
};

// A ladder [consult w (advice 100 tokens), fixer s (p = 1)] after w's generation of 2 bugs, in
// shared context, no caching prices, no time model: every run is the same.
//   generation: 1000 in x $1 + 1000 out x $5 = 0.006 (w)
//   bug 0: consult w reads L1 = 2000 (0.002 + 100 x 5e-6 = 0.0025); fix s reads 2100 (0.0063 + 0.0015)
//   bug 1: consult w reads 2100 + Delta 200 = 2300 (0.0023 + 0.0005); fix s reads 2400 (0.0072 + 0.0015)
//   w: generation 0.006, uncachedInput 0.0043, output 0.001; s: uncachedInput 0.0135, output 0.003
//   mean 0.0278; 2 consults a run (one a bug), 2 fix attempts on s.
const nocacheLadder = (context = "shared") =>
  parseScenario(
    {
      name: "nocache-ladder",
      seed: 1,
      trials: 1000,
      models: {
        w: { price: { input: 1, output: 5 }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } },
        s: { price: { input: 3, output: 15 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 1, hard: 1 } },
      },
      tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100 },
      contexts: [context],
      strategies: { esc: { generator: "w", ladder: [{ consult: "w", output: 100 }, { fixer: "s" }] } },
    },
    "nocache-ladder.yaml",
  );

// One model s at $3/$15, a tier above 200,000 tokens at $6/$22.5; L1 = 199,000 + 1,000 = 200,000,
// Delta = 200, 2 bugs each fixed at once (p = 1), no caching prices.
//   generation: 199000 x 3e-6 + 1000 x 15e-6 = 0.612
//   shared: fix 1 reads 200,000 (not above the tier): 0.6 + 100 x 15e-6 = 0.6015;
//           fix 2 reads 200,200 (above): 200200 x 6e-6 + 100 x 22.5e-6 = 1.20345; total 2.41695
//   fresh:  both fixes read 200,000: 0.612 + 2 x 0.6015 = 1.815
const tierEq = () =>
  parseScenario(
    {
      name: "tier-eq",
      seed: 1,
      trials: 1000,
      models: {
        s: {
          price: { input: 3, output: 15, longContext: { above: 200000, input: 6, output: 22.5 } },
          bugs: { count: 2, hardFraction: 0 },
          fix: { easy: 1, hard: 1 },
        },
      },
      tokens: { prompt: 199000, generation: 1000, fixOutput: 100, errorTrace: 100 },
      contexts: ["fresh", "shared"],
      strategies: { ss: { generator: "s", fixer: "s" } },
    },
    "tier-eq.yaml",
  );

// Two models with fixed prices, one caching (a) and one not (b), random fix rates: the traced runs
// are priced by hand from their lines.
const PRICES = {
  a: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  b: { input: 3, output: 15 },
} as const;
const mixed = () =>
  parseScenario(
    {
      name: "mixed",
      seed: 1,
      trials: 1000,
      models: {
        a: { price: PRICES.a, bugs: { count: 4, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.3 } },
        b: { price: PRICES.b, bugs: { count: 2, hardFraction: 0.5 }, fix: { easy: 0.6, hard: 0.2 } },
      },
      tokens: { prompt: 1000, generation: 2000, fixOutput: 300, errorTrace: 200 },
      contexts: ["shared", "fresh"],
      strategies: {
        ab: { generator: "a", fixer: "b" },
        ba: { generator: "b", fixer: "a" },
        esc: { generator: "a", ladder: [{ fixer: "a", attempts: 2 }, { consult: "b", output: 150 }, { fixer: "b" }] },
      },
    },
    "mixed.yaml",
  );

/** A line of a trace, as docs/model.md section 11 defines it. */
type Line = TraceRecord;

describe("per-model costs, consults and rungs on a ladder", () => {
  let pool: SimulationPool;
  beforeAll(() => {
    pool = new SimulationPool(1);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("costByModel by hand on a deterministic ladder; the totals add up to the mean; the generation is the generator's alone", async () => {
    const { results } = await evaluateScenario(pool, nocacheLadder(), { trials: 500, seedKey: "nocache" });
    const r = results[0]!;
    near(r.mean, 0.0278, "mean");
    const w = r.costByModel.w!;
    const s = r.costByModel.s!;
    near(w.generation, 0.006, "w generation");
    near(w.uncachedInput, 0.0043, "w uncachedInput");
    near(w.output, 0.001, "w output");
    near(s.generation, 0, "s generation (not the generator)");
    near(s.uncachedInput, 0.0135, "s uncachedInput");
    near(s.output, 0.003, "s output");
    for (const m of [w, s]) {
      near(m.cacheRead, 0, "cacheRead");
      near(m.cacheWrite, 0, "cacheWrite");
    }
    // identity: every $ of a run is some model's
    near(w.total + s.total, r.mean, "sum of the models' totals");
  });

  it("the models' totals add up to the mean, and only the generator pays the generation, on random ladders with caching", async () => {
    const { results } = await evaluateScenario(pool, mixed(), { trials: 3000, seedKey: "mixed-models" });
    for (const r of results) {
      const models = Object.entries(r.costByModel);
      const sum = models.reduce((acc, [, m]) => acc + m.total, 0);
      near(sum, r.mean, `${r.strategy} ${r.context}: sum of totals`, 1e-9 * r.mean);
      for (const [name, m] of models) if (name !== r.generator) expect(m.generation, `${r.strategy} ${name}`).toBe(0);
      expect(r.costByModel[r.generator]!.generation).toBeGreaterThan(0);
    }
  });

  it("consultsPerRun and a consult rung's attempts per run by hand (deterministic: one consult a bug)", async () => {
    for (const context of ["shared", "fresh"]) {
      const { results } = await evaluateScenario(pool, nocacheLadder(context), { trials: 500, seedKey: "consults" });
      const r = results[0]!;
      expect(r.consultsPerRun, context).toBe(2);
      expect(r.rungs[0]!.kind).toBe("consult");
      expect(r.rungs[0]!.attemptsPerRun, context).toBe(2);
      expect(r.rungs[1]!.attemptsPerRun, context).toBe(2);
      expect(r.meanAttempts, context).toBe(2);
    }
  });

  it("consultsPerRun by hand where half the bugs reach the consult (|z| <= 4.5)", async () => {
    // ladder [a x1 (p = 1/2), consult b, fixer b (p = 1)], 2 bugs: a bug reaches the consult with
    // probability 1/2, so consults per run ~ Binomial(2, 1/2): mean 1, variance 1/2.
    const raw = {
      name: "half",
      seed: 1,
      trials: 1000,
      models: {
        a: { price: { input: 1, output: 5 }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } },
        b: { price: { input: 3, output: 15 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 1, hard: 1 } },
      },
      tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100 },
      contexts: ["shared"],
      strategies: { esc: { generator: "a", ladder: [{ fixer: "a", attempts: 1 }, { consult: "b", output: 100 }, { fixer: "b" }] } },
    };
    const n = 8000;
    const { results } = await evaluateScenario(pool, parseScenario(raw, "half.yaml"), { trials: n, seedKey: "half" });
    const r = results[0]!;
    const z = (r.consultsPerRun - 1) / Math.sqrt(0.5 / n);
    expect(Math.abs(z), `consultsPerRun ${r.consultsPerRun}`).toBeLessThanOrEqual(4.5);
    expect(r.rungs[0]!.attemptsPerRun).toBe(2); // every bug's first attempt is on a
    expect(r.rungs[1]!.attemptsPerRun).toBe(r.consultsPerRun); // the only consult rung
    expect(r.rungs[2]!.attemptsPerRun).toBe(r.consultsPerRun); // b fixes at once after each consult
  });

  it("the fast path pays the tier on a shared run whose last request crosses it (hand values)", async () => {
    const { results } = await evaluateScenario(pool, tierEq(), { trials: 500, seedKey: "tier", path: "fast" });
    const byContext = Object.fromEntries(results.map((r) => [r.context, r]));
    near(byContext.shared!.mean, 2.41695, "shared");
    near(byContext.fresh!.mean, 1.815, "fresh");
    const auto = await evaluateScenario(pool, tierEq(), { trials: 500, seedKey: "tier" });
    for (const r of auto.results) near(r.mean, r.context === "shared" ? 2.41695 : 1.815, `auto ${r.context}`);
  });

  it("the traced runs are the runs the simulation made: each traced run priced by hand equals its kept cost", async () => {
    const s = mixed();
    const runs = 40;
    const { costs, results } = await evaluateScenario(pool, s, { trials: 2000, seedKey: "traced-runs", keepCosts: true });
    const lines = traceLines(s, { runs, seedKey: "traced-runs" }).map((l) => JSON.parse(l) as Line);
    results.forEach((r, i) => {
      const priced = new Float64Array(runs);
      for (const l of lines) {
        if (l.strategy !== r.strategy || l.context !== r.context) continue;
        const p = PRICES[l.model as "a" | "b"];
        const caches = "cacheRead" in p;
        const input =
          l.role === "generate" || !caches ? l.input * p.input : l.cacheRead * (p as typeof PRICES.a).cacheRead + (l.input - l.cacheRead) * (p as typeof PRICES.a).cacheWrite;
        priced[l.run] += (input + l.output * p.output) * 1e-6;
      }
      const kept = costs![i]!.subarray(0, runs);
      for (let k = 0; k < runs; k++) near(priced[k]!, kept[k]!, `${r.strategy} ${r.context} run ${k}`, 1e-9 * kept[k]!);
    });
  });
});

describe("a trace's fields against docs/model.md section 11", () => {
  const check = (lines: Line[], caches: (model: string) => boolean) => {
    // per strategy, context and run: fix attempts made so far on each bug
    const made = new Map<string, number>();
    for (const l of lines) {
      if (l.role === "generate") {
        expect(l.attempt).toBeNull();
        expect(l.bug).toBeNull();
        expect(l.cacheWrite).toBe(0);
        continue;
      }
      const key = `${l.strategy}|${l.context}|${l.run}|${l.bug}`;
      const before = made.get(key) ?? 0;
      if (l.role === "fix") {
        expect(l.attempt, `${key} fix`).toBe(before + 1);
        made.set(key, before + 1);
      } else {
        expect(l.attempt, `${key} ${l.role}`).toBe(before);
      }
      expect(l.cacheWrite, `${key} ${l.role} ${l.model}`).toBe(caches(l.model) ? l.input - l.cacheRead : 0);
    }
  };

  it("a model that does not cache writes no cache: every line's cacheWrite is 0", () => {
    for (const s of [tierEq(), nocacheLadder(), nocacheLadder("fresh")]) {
      const lines = traceLines(s, { runs: 5, seedKey: "nocache-trace" }).map((l) => JSON.parse(l) as Line);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l.cacheWrite, `${l.strategy} ${l.context} ${l.role}`).toBe(0);
      check(lines, () => false);
    }
  });

  it("a compaction's attempt is the fix attempts made on its bug so far (0 before the bug's first fix)", () => {
    // The windows.test hand case with compaction: a window of 2600 reached after the fourth bug;
    // the compaction comes before the fifth bug's first fix, so its attempt is 0.
    const s = windowCase(true, { strategies: { aa: { generator: "a", fixer: "a" } } });
    const lines = traceLines(s, { runs: 1, seedKey: "w" }).map((l) => JSON.parse(l) as Line);
    const compact = lines.filter((l) => l.role === "compact");
    expect(compact.length).toBe(1);
    expect(compact[0]!.attempt).toBe(0);
    check(lines, () => true);
  });

  it("attempt numbers and cacheWrite on random ladders with consults, caching and not", () => {
    const lines = traceLines(mixed(), { runs: 30, seedKey: "fields" }).map((l) => JSON.parse(l) as Line);
    expect(lines.some((l) => l.role === "consult")).toBe(true);
    check(lines, (m) => m === "a");
  });
});
