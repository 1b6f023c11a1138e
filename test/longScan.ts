/**
 * Valid scenarios whose crossovers once ran for many seconds or minutes, for model.test.ts and
 * for fuzz.test.ts's real-process cases.
 */
const fix = { easy: 1, hard: 0.5 };
const count = (mean: number) => ({ count: { dist: "poisson", mean }, hardFraction: 0.5 });

/**
 * Closed forms slow at every value of models.b.fix.hard: each needs a run's request distribution
 * up to a 19,200-token window (about 6,400 requests) under Poisson(10) or Poisson(1,000) bugs,
 * about 4.5e7 multiply-adds, so a crossover of 400 steps over [0.001, 0.9] would take about 20 s
 * (minutes before the run distributions' tails were cut): the scan's bound stops it.
 */
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

/**
 * A rung of 9,999 attempts in shared context: its schedule has 10,000 requests, and the shared
 * context's per-model sums once searched forward from each of them for the model's next request
 * (O(n^2)): a crossover over models.a.fix.hard took 17 s, and takes 2 s with one pass backwards.
 */
export const LONG_LADDER = {
  name: "long-ladder",
  seed: 1,
  trials: 100,
  models: {
    a: { price: { input: 1, output: 5 }, bugs: { count: 6, hardFraction: 1 }, fix: { easy: 1, hard: 0.5 }, contextWindow: 19200 },
    b: { price: { input: 1, output: 5 }, bugs: count(300), fix: { easy: 0.01, hard: 0.5 } },
  },
  tokens: { prompt: 100, generation: 100, fixOutput: 2, errorTrace: 6000 },
  contexts: ["shared"],
  strategies: { s1: { generator: "a", fixer: "b" }, s2: { generator: "b", ladder: [{ fixer: "b", attempts: 9999 }, { fixer: "a" }] } },
};

/**
 * Closed forms whose window check is long but unchanged by a price: Poisson(1,000) bugs, fast fix
 * rates and a window about 6,400 requests away (about 2e8 multiply-adds per check, a chance far
 * below 1e-6, so both strategies have closed forms). A crossover in models.a.price.input once
 * redid those checks at every value; now they are convolved once.
 */
export const PRICE_SCAN = {
  name: "price-scan",
  seed: 1,
  trials: 100,
  models: {
    a: { price: { input: 1.25, output: 10 }, bugs: count(1000), fix: { easy: 1, hard: 0.9 }, contextWindow: 19200 },
    b: { price: { input: 3, output: 15 }, bugs: count(1000), fix: { easy: 1, hard: 0.8 }, contextWindow: 19200 },
  },
  tokens: { prompt: 100, generation: 1, fixOutput: 2, errorTrace: 1 },
  contexts: ["shared"],
  strategies: { s1: { generator: "a", fixer: "b" }, s2: { generator: "b", fixer: "a" } },
};

/**
 * A fixed count of 1,000 bugs under exact assignment (500 hard), fixed by a two-model ladder in
 * shared context: each model's expected new tokens once summed over the bugs after the last one
 * where it speaks and the hard ones among them, O(q^2) (about 1e6 terms per model and value), so
 * an attempts scan over 1 to 1,400 took 17 s; by quadrature, O(q), it takes 1.6 s.
 */
export const LONG_EXACT = {
  name: "long-exact",
  seed: 1,
  trials: 100,
  models: {
    a: { price: { input: 1.25, output: 10 }, bugs: { count: 1, hardFraction: 1 }, fix: { easy: 0.01, hard: 0.1 } },
    b: { price: { input: 1.25, output: 10 }, bugs: { count: 1000, hardFraction: 0.5 }, fix: { easy: 0.9, hard: 0.5 } },
  },
  tokens: { prompt: 100, generation: 8000, fixOutput: 800, errorTrace: 1 },
  contexts: ["shared", "fresh"],
  strategies: { s1: { generator: "a", fixer: "b" }, s2: { generator: "b", ladder: [{ fixer: "b", attempts: 3 }, { fixer: "a" }] } },
};

/**
 * A long-context tier about 70,000 attempts away (a 60,000-token prompt growing by 2 tokens an
 * attempt, the tier at 200,000): every value of a scan over the generator's count summed each
 * bug's request reach out to that attempt, though only the first few dozen entries are above
 * 1e-17 and read; a scan of the count from 0 to 1,000 took 7.9 s, and takes 1.5 s.
 */
export const LONG_TIER = {
  name: "long-tier",
  seed: 1,
  trials: 100,
  models: {
    a: { price: { input: 1, output: 5 }, bugs: { count: 999, hardFraction: 0 }, fix: { easy: 0.3, hard: 0.5 }, contextWindow: 200000 },
    b: { price: { input: 1.25, output: 10, longContext: { above: 200000, input: 2.5, output: 15 } }, bugs: count(10), fix: { easy: 0.01, hard: 0.1 } },
  },
  tokens: { prompt: 60000, generation: 8000, fixOutput: 2, errorTrace: 0 },
  contexts: ["shared", "fresh"],
  strategies: { s1: { generator: "a", fixer: "b" }, s2: { generator: "b", ladder: [{ fixer: "b", attempts: 1 }, { fixer: "a" }] } },
};
