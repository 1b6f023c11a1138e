/**
 * A valid scenario whose closed forms are slow at every value of models.b.fix.hard: each needs a
 * run's request distribution up to a 19,200-token window (about 6,400 requests) under Poisson(10)
 * or Poisson(1,000) bugs, about 4.5e7 multiply-adds, so a crossover of 400 steps over
 * [0.001, 0.9] would take about 20 s (minutes before the run distributions' tails were cut). Used
 * by model.test.ts (the scan's bound) and fuzz.test.ts (the same scan as a real process).
 */
const fix = { easy: 1, hard: 0.5 };
const count = (mean: number) => ({ count: { dist: "poisson", mean }, hardFraction: 0.5 });

export const LONG_SCAN = {
  name: "long-scan",
  seed: 1,
  trials: 100,
  models: {
    a: { price: { input: 1.25, output: 10 }, bugs: count(10), fix, contextWindow: 2000 },
    b: { price: { input: 3, output: 15 }, bugs: count(1000), fix, contextWindow: 19200 },
  },
  tokens: { prompt: 100, generation: 1, fixOutput: 2, errorTrace: 1 },
  contexts: ["shared"],
  strategies: { s1: { generator: "a", fixer: "b" }, s2: { generator: "b", ladder: [{ fixer: "b", attempts: 1 }, { fixer: "a" }] } },
};
