/**
 * The simulator on multi-rung ladders, where the Ledger's time, TTL and cap rules run (a one-rung
 * strategy never reaches them): hand-computed cases, each deterministic or nearly so (fix rates
 * of 1, or 1e-4 with a bound on how far the few runs where such a fix happens can move a mean).
 * The expected values are derived by hand in the comments, from docs/model.md: the generation
 * leaves X = prompt + generation tokens in the conversation; a fix attempt adds its output and its
 * error trace (the k-th attempt on a bug a trace of errorTrace * x^(k-1), x = 1 + errorGrowth); a
 * consult adds its output; a model's cache holds the input of its last request and lives ttlSeconds
 * (a follow-up after a longer gap pays its whole input as new, at the write price).
 * (The mutation audit m32d, survivors D-1 to D-7.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateScenario, type SimResult } from "../src/evaluate/evaluate.js";
import { parseScenario } from "../src/scenario/load.js";
import { SimulationPool } from "../src/sim/pool.js";

type Raw = Record<string, unknown>;

const near = (actual: number | null, expected: number, what: string, tol = 1e-12): void => {
  expect(actual, what).not.toBeNull();
  if (!(Math.abs(actual! - expected) <= tol)) expect.fail(`${what}: ${actual} vs hand value ${expected}`);
};

/**
 * Generator w leaves 2 easy bugs; the ladder's first rung is a consult (output 100), its second
 * the fixer s with p = 1, shared context. w: 1 s + 100 tok/s, $1/$5; s: 2 s + 50 tok/s, $3/$15;
 * cache read 0.1x, write 1.25x (w: 0.1/1.25, s: 0.3/3.75 per million); tool 10 s.
 */
function timedLadder(consult: "w" | "s", ttlSeconds: number): Raw {
  return {
    name: "ttl-ladder",
    seed: 1,
    trials: 1000,
    models: {
      w: { price: { input: 1, output: 5 }, speed: { ttftSeconds: 1, outputTokensPerSecond: 100 }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } },
      s: { price: { input: 3, output: 15 }, speed: { ttftSeconds: 2, outputTokensPerSecond: 50 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 1, hard: 1 } },
    },
    tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100 },
    caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds },
    toolSeconds: 10,
    contexts: ["shared"],
    strategies: { esc: { generator: "w", ladder: [{ consult, output: 100 }, { fixer: "s" }] } },
  };
}

describe("the simulator on multi-rung ladders (hand values)", () => {
  let pool: SimulationPool;
  beforeAll(() => {
    pool = new SimulationPool(1);
  });
  afterAll(async () => {
    await pool.close();
  });

  const one = async (raw: Raw, trials: number, key: string): Promise<SimResult> => {
    const { results } = await evaluateScenario(pool, parseScenario(raw, `${key}.yaml`), { trials, seedKey: key });
    expect(results).toHaveLength(1);
    return results[0]!;
  };

  it("ages each model's cache by the time of both models' calls and the tool on a consult ladder (TTL, wall time)", async () => {
    // Every run is the same: consult w, fix s (fixed), tool; twice. Generation: 1000 in + 1000 out
    // by w = $0.006, in 1 + 1000/100 = 11 s. Consult w: 1 + 100/100 = 2 s; fix s: 2 + 100/50 = 4 s;
    // tool 10 s. Wall = 11 + 2 (2 + 4 + 10) = 43 s. X: 2000 at bug 0's consult, 2100 at s's fix
    // (+100 advice), 2300 at bug 1's consult (+100 output +100 trace), 2400 at s's second fix.
    // Gaps between a model's requests: w 2 + 4 + 10 = 16 s, s 4 + 10 + 2 = 16 s. The follow-ups
    // are w's second consult and s's second fix (2 of them; the first request of each model pays
    // its input as new).
    // TTL 15 < 16: both follow-ups miss, every input at the write price:
    //   0.006 + (2000*1.25 + 500 + 2100*3.75 + 1500 + 2300*1.25 + 500 + 2400*3.75 + 1500)e-6
    //   = 0.006 + (3000 + 9375 + 3375 + 10500)e-6 = 0.03225, hit rate 0.
    // TTL 17 >= 16: both hit. w's second consult reads 2000 (0.1) and writes 300 (1.25):
    // 200 + 375 + 500 = 1075e-6 (was 3375); s's second fix reads 2100 (0.3) and writes 300 (3.75):
    // 630 + 1125 + 1500 = 3255e-6 (was 10500). Mean 0.03225 - 0.0023 - 0.007245 = 0.022705, hit rate 1.
    for (const [ttl, mean, hits] of [
      [15, 0.03225, 0],
      [17, 0.022705, 1],
    ] as const) {
      const r = await one(timedLadder("w", ttl), 200, `ttl-ladder-${ttl}`);
      const what = `TTL ${ttl}`;
      near(r.mean, mean, `${what} mean`, 1e-12);
      near(r.cacheHitRate, hits, `${what} cache hit rate`);
      near(r.meanWallSeconds, 43, `${what} wall seconds`, 1e-9);
      near(r.p90WallSeconds, 43, `${what} p90 wall seconds`, 1e-9);
      // the closed form of the wall time exists on ladders: the same 43 s
      near(r.expectedWallSeconds, 43, `${what} expected wall seconds`, 1e-9);
    }
  });

  it("expires the cache between one model's consecutive requests on a ladder (same model consults and fixes)", async () => {
    // The consult rung is s itself. Consult s: 2 + 100/50 = 4 s, then s's fix: its gap is 4 s; then
    // fix 4 s + tool 10 s before the next consult: 14 s; then 4 s again. Follow-ups: 3 (every s
    // request after the first).
    // TTL 3 < 4: every follow-up misses:
    //   0.006 + (2000 + 2100 + 2300 + 2400) * 3.75e-6 + 4 * 1500e-6 = 0.006 + 0.033 + 0.006 = 0.045, hit rate 0.
    // TTL 100: all 3 hit, each reading its previous request's input at 0.3 and writing the rest at 3.75:
    //   fix 0: 2000*0.3 + 100*3.75 + 1500 = 2475; consult 1: 2100*0.3 + 200*3.75 + 1500 = 2880;
    //   fix 1: 2300*0.3 + 100*3.75 + 1500 = 2565; with the first consult 2000*3.75 + 1500 = 9000:
    //   0.006 + (9000 + 2475 + 2880 + 2565)e-6 = 0.02292, hit rate 1.
    // Wall = 11 + 2 (4 + 4 + 10) = 47 s either way.
    for (const [ttl, mean, hits] of [
      [3, 0.045, 0],
      [100, 0.02292, 1],
    ] as const) {
      const r = await one(timedLadder("s", ttl), 200, `ttl-same-${ttl}`);
      const what = `TTL ${ttl}`;
      near(r.mean, mean, `${what} mean`, 1e-12);
      near(r.cacheHitRate, hits, `${what} cache hit rate`);
      near(r.meanWallSeconds, 47, `${what} wall seconds`, 1e-9);
    }
  });

  it("stops a multi-rung ladder at the run cap, and counts the capped rung's attempts", async () => {
    // 2 easy bugs, every fix rate 1e-4 (the least allowed), ladder [w x2, s], at most 3 attempts
    // a run, shared context, no caching. Unless a fix succeeds, a run is: w, w, s on bug 0, then
    // the cap: 3 attempts, rung attempts [2, 1]. X = 2000, 2200, 2400 (+100 output +100 trace each):
    //   0.006 + (2000 + 500)e-6 + (2200 + 500)e-6 + (2400*3 + 1500)e-6 = 0.0199.
    // A run makes 3 attempts whatever is fixed (2 bugs need 3 attempts unless both of the first
    // two succeed, probability 1e-8), so meanAttempts = 3. A run departs from the above with
    // probability <= 3e-4 (one of its 3 attempts fixes); in 2000 runs more than 10 such runs have
    // probability < 1e-10 (Poisson 0.6). Such a run costs between 0.006 and 0.04 and makes at most
    // 3 attempts on a rung, so the mean moves by at most 10 * 0.034 / 2000 = 1.7e-4 and the rungs'
    // attempts per run by at most 10 * 3 / 2000 = 0.015.
    const n = 2000;
    const model = (input: number, output: number) => ({ price: { input, output }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: 1e-4, hard: 1e-4 } });
    const r = await one(
      {
        name: "cap-ladder",
        seed: 1,
        trials: 1000,
        models: { w: model(1, 5), s: model(3, 15) },
        tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100 },
        contexts: ["shared"],
        limits: { maxAttemptsPerRun: 3 },
        strategies: { esc: { generator: "w", ladder: [{ fixer: "w", attempts: 2 }, { fixer: "s" }] } },
      },
      n,
      "cap-ladder",
    );
    near(r.meanAttempts, 3, "attempts per run", 1e-6);
    near(r.mean, 0.0199, "mean", 1.7e-4);
    expect(r.rungs).toHaveLength(2);
    near(r.rungs[0]!.attemptsPerRun, 2, "rung 0 attempts per run", 0.015);
    near(r.rungs[1]!.attemptsPerRun, 1, "rung 1 attempts per run", 0.015);
    // every attempt is made on some rung (both are fix rungs)
    near(r.rungs[0]!.attemptsPerRun + r.rungs[1]!.attemptsPerRun, r.meanAttempts, "rung attempts against run attempts", 1e-9);
  });

  it("grows the error trace over a bug's attempts across rungs, not per rung (docs/model.md section 5)", async () => {
    // 2 easy bugs, errorGrowth 1 (x = 2), ladder [w x1 (p = 1e-4), s (p = 1)], shared context, no
    // caching. Bug 0: w at X = 2000 (2000 + 500 = 2500e-6), which adds 100 + 100 = 200; s at 2200
    // (2200*3 + 1500 = 8100e-6), the bug's 2nd attempt, which adds 100 + 100*2 = 300. Bug 1: w at
    // 2500 (3000e-6), s at 2700 (2700*3 + 1500 = 9600e-6). Mean
    //   0.006 + 0.0025 + 0.0081 + 0.0030 + 0.0096 = 0.0292.
    // (A trace growth restarted on s's rung would add 200, not 300: 0.0288.) A run departs from
    // this only where w fixes a bug (probability <= 2e-4 a run); in 2000 runs more than 10 such
    // runs have probability < 1e-12 (Poisson 0.4), and such a run costs between 0.006 and 0.03, so
    // the mean moves by at most 10 * 0.024 / 2000 = 1.2e-4.
    const n = 2000;
    const model = (input: number, output: number, fix: number) => ({ price: { input, output }, bugs: { count: 2, hardFraction: 0 }, fix: { easy: fix, hard: fix } });
    const r = await one(
      {
        name: "growth-ladder",
        seed: 1,
        trials: 1000,
        models: { w: model(1, 5, 1e-4), s: model(3, 15, 1) },
        tokens: { prompt: 1000, generation: 1000, fixOutput: 100, errorTrace: 100, errorGrowth: 1 },
        contexts: ["shared"],
        strategies: { esc: { generator: "w", ladder: [{ fixer: "w", attempts: 1 }, { fixer: "s" }] } },
      },
      n,
      "growth-ladder",
    );
    near(r.mean, 0.0292, "mean", 1.2e-4);
    near(r.meanAttempts, 4, "attempts per run", 2 * 10 / n);
  });
});
