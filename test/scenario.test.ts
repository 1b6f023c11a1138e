/**
 * Scenario validation (docs/model.md section 7 and the extension keys of section 5): every bad input is
 * a ScenarioError with a one-line message `<file>: <dotted.key.path>: <problem>`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { oneLine, ScenarioError, UNPRINTABLE } from "../src/errors.js";
import { loadPriceTableFor, loadScenario, parseScenario, readScenarioFile, withDefaults } from "../src/scenario/load.js";
import { withPath } from "../src/scenario/paths.js";
import { isModelName, NAME_LENGTH } from "../src/scenario/schema.js";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FILE = "bad.yaml";

function valid(): Raw {
  return {
    name: "baseline",
    seed: 1,
    trials: 1000,
    models: {
      strong: {
        price: { input: 15, output: 75 },
        bugs: { count: 3, hardFraction: 1 / 3 },
        fix: { easy: 0.9, hard: 0.6 },
      },
      weak: {
        price: { input: 1, output: 5 },
        bugs: { count: 8, hardFraction: 0.5 },
        fix: { easy: 0.7, hard: 0.15 },
      },
    },
    tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
    caching: { readMultiplier: 0.1, writeMultiplier: 1 },
    contexts: ["shared", "fresh"],
    strategies: {
      "strong-first": { generator: "strong", fixer: "weak" },
      "weak-first": { generator: "weak", fixer: "strong" },
    },
  };
}

function edit(change: (raw: Raw) => void): Raw {
  const raw = valid();
  change(raw);
  return raw;
}

/** The thrown error, which must be a ScenarioError. */
function thrown(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  return expect.fail("expected a ScenarioError, nothing was thrown");
}

/** parseScenario(raw) fails on keyPath with a one-line `file: keyPath: problem` message. */
function expectKeyError(raw: Raw, keyPath: string, ...mentions: (string | RegExp)[]): ScenarioError {
  const err = thrown(() => parseScenario(raw, FILE));
  expect(err.keyPath).toBe(keyPath);
  expect(err.message.startsWith(`${FILE}: ${keyPath}: `), err.message).toBe(true);
  expect(err.message).not.toMatch(/[\r\n]/);
  for (const m of mentions) expect(err.message).toMatch(m);
  return err;
}

const dir = mkdtempSync(join(tmpdir(), "agentsim-scenario-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function writeTemp(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("a valid scenario", () => {
  it("parses and normalizes prices to $ per token", () => {
    const s = parseScenario(valid(), FILE);
    expect(s.models.strong!.price.input).toBeCloseTo(15e-6, 18);
    expect(s.models.weak!.price.output).toBeCloseTo(5e-6, 18);
    expect(s.models.weak!.assignment).toBe("exact");
    expect(s.strategies.map((x) => x.name)).toEqual(["strong-first", "weak-first"]);
  });

  it("default strategies are every ordered pair named <generator>-<fixer>", () => {
    const raw = edit((r) => {
      delete r.strategies;
      r.models.mid = { price: { input: 3, output: 15 }, bugs: { count: 4, hardFraction: 0.25 }, fix: { easy: 0.8, hard: 0.3 } };
    });
    const s = parseScenario(raw, FILE);
    const got = s.strategies.map((x) => `${x.name}=${x.generator}/${x.ladder[0]!.model}`).sort();
    const names = ["strong", "weak", "mid"];
    const want = names.flatMap((g) => names.map((f) => `${g}-${f}=${g}/${f}`)).sort();
    expect(got).toEqual(want);
  });

  it("the shipped default scenario loads", () => {
    const loaded = loadScenario("scenarios/default.yaml");
    expect(loaded.scenario.strategies.length).toBeGreaterThanOrEqual(2);
    // Opus 4.5 from the price table: 5-minute cache writes at $6.25 per million tokens
    expect(loaded.scenario.models.strong!.price.cacheWrite).toBe(6.25 / 1e6);
    expect(loaded.scenario.models.strong!.price.preset).toBe("anthropic/claude-opus-4-5");
  });
});

describe("validation errors name the key path, on one line", () => {
  it("wrong type", () => {
    expectKeyError(edit((r) => (r.trials = "many")), "trials", /number/);
    expectKeyError(edit((r) => (r.models.weak.price.input = "cheap")), "models.weak.price.input", /number/);
    expectKeyError(edit((r) => (r.models = [1, 2])), "models");
    expectKeyError(edit((r) => (r.contexts = "shared")), "contexts");
  });

  it("probability out of range: 0", () => {
    expectKeyError(edit((r) => (r.models.weak.fix.easy = 0)), "models.weak.fix.easy", /probability/);
  });

  it("probability out of range: 1.5", () => {
    expectKeyError(edit((r) => (r.models.strong.fix.hard = 1.5)), "models.strong.fix.hard", /probability/);
  });

  it("hardFraction out of [0, 1]", () => {
    expectKeyError(edit((r) => (r.models.weak.bugs.hardFraction = 1.2)), "models.weak.bugs.hardFraction");
  });

  it("negative price", () => {
    expectKeyError(edit((r) => (r.models.strong.price.output = -1)), "models.strong.price.output", /must be 0 or a number in \[0\.000001, 10000\] \(\$ per million tokens\), got -1$/);
  });

  it("a random count's mean and a Beta rate's concentration are at least 1e-6: below, a size or a shape underflowed to 0 (a review)", () => {
    // the simulator's sampler refused a size of 0 (a stack trace), and the closed form's pmf never ended
    const mean = (m: number) => edit((r) => Object.assign(r.models.weak.bugs, { count: { dist: "negbinomial", mean: m, variance: 2 * m }, assignment: "binomial" }));
    expectKeyError(mean(1e-170), "models.weak.bugs.count.mean", /must be a number in \[0\.000001, 1000\] \(bugs\), got 1e-170$/);
    expect(() => parseScenario(mean(1e-6), FILE)).not.toThrow();
    const beta = (concentration: number) => edit((r) => (r.models.weak.fix.easy = { dist: "beta", mean: 0.5, concentration }));
    expectKeyError(beta(5e-324), "models.weak.fix.easy.concentration", /must be a number in \[0\.000001, 1000000\], got 5e-324$/);
  });

  it("a price, multiplier or token count is 0 or at least 1e-6: a cost's variance would underflow to 0 (a review)", () => {
    // a price of 1e-160 $ per million tokens gave every run a spread of 0 and called a right simulation inconsistent
    expectKeyError(edit((r) => (r.models.strong.price.input = 1e-160)), "models.strong.price.input", /must be 0 or a number in \[0\.000001, 10000\] \(\$ per million tokens\), got 1e-160$/);
    expectKeyError(edit((r) => (r.caching.readMultiplier = 1e-9)), "caching.readMultiplier", /must be 0 or a number in \[0\.000001, 100\], got 1e-9$/);
    expectKeyError(edit((r) => (r.tokens.fixOutput = 1e-7)), "tokens.fixOutput", /must be 0 or a number in \[0\.000001, 10000000\] \(tokens\), got 1e-7$/);
    expectKeyError(edit((r) => (r.tokens.fixOutput = { dist: "lognormal", mean: 1e-7, cv: 1 })), "tokens.fixOutput.mean", /must be a number in \[0\.000001, 10000000\] \(tokens\), got 1e-7$/);
    // 0 and the smallest are fine
    expect(() => parseScenario(edit((r) => ((r.models.strong.price.input = 0), (r.caching.readMultiplier = 1e-6), (r.tokens.fixOutput = 1e-6))), FILE)).not.toThrow();
  });

  it("negative token count", () => {
    expectKeyError(edit((r) => (r.tokens.prompt = -5)), "tokens.prompt", /must be 0 or a number in \[0\.000001, 10000000\] \(tokens\), got -5$/);
    expectKeyError(edit((r) => (r.tokens.errorTrace = -1)), "tokens.errorTrace");
  });

  it("trials beyond what memory holds", () => {
    expectKeyError(edit((r) => (r.trials = 200_000_000)), "trials", /in \[2, 100000000\] \(runs\)/);
  });

  it("an empty strategies map", () => {
    expectKeyError(edit((r) => (r.strategies = {})), "strategies", /at least one strategy/);
  });

  it("at most 100 strategies, listed or every pair of the models: 300 models made 90,000, and analytic ran past two minutes (an audit)", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { generator: "strong", fixer: "weak" }]));
    expect(parseScenario(edit((r) => (r.strategies = many(100))), FILE).strategies).toHaveLength(100);
    expectKeyError(edit((r) => (r.strategies = many(101))), "strategies", /^bad\.yaml: strategies: lists 101 strategies, more than the 100 a scenario may compare: use several scenarios$/);
    const models = (n: number) => (r: Raw) => {
      const base = (r.models as Record<string, unknown>).weak;
      r.models = Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, base]));
      delete r.strategies;
    };
    expect(parseScenario(edit(models(10)), FILE).strategies).toHaveLength(100);
    expectKeyError(edit(models(11)), "models", /^bad\.yaml: models: 11 models make 121 strategies \(each generating with each fixing\), more than the 100 a scenario may compare: list the strategies you mean under strategies$/);
  });

  it("trials below 2: no standard error", () => {
    expectKeyError(edit((r) => (r.trials = 0)), "trials", /whole number in \[2, /);
    expectKeyError(edit((r) => (r.trials = 1)), "trials", /whole number in \[2, /);
  });

  it("non-integer bug count", () => {
    expectKeyError(edit((r) => (r.models.weak.bugs.count = 2.5)), "models.weak.bugs.count", /whole/);
  });

  it("count x hardFraction not whole under exact assignment; accepted under binomial", () => {
    const bad = edit((r) => (r.models.weak.bugs.hardFraction = 0.3)); // 8 x 0.3 = 2.4
    const err = thrown(() => parseScenario(bad, FILE));
    expect(err.keyPath.startsWith("models.weak.bugs")).toBe(true);
    expect(err.message.startsWith(`${FILE}: ${err.keyPath}: `)).toBe(true);
    expect(err.message).not.toMatch(/\n/);
    expect(err.message).toMatch(/whole/);
    // explicit exact fails the same way
    expect(() => parseScenario(edit((r) => Object.assign(r.models.weak.bugs, { hardFraction: 0.3, assignment: "exact" })), FILE)).toThrow(ScenarioError);
    // binomial lifts the rule
    const ok = edit((r) => Object.assign(r.models.weak.bugs, { hardFraction: 0.3, assignment: "binomial" }));
    expect(parseScenario(ok, FILE).models.weak!.assignment).toBe("binomial");
    // within 1e-6 of a whole number is whole (3 x 0.3333333333)
    expect(() => parseScenario(edit((r) => (r.models.strong.bugs.hardFraction = 0.3333333333)), FILE)).not.toThrow();
  });

  it("bad assignment name", () => {
    expectKeyError(edit((r) => (r.models.weak.bugs.assignment = "poisson")), "models.weak.bugs.assignment");
  });

  it("unknown key at top level", () => {
    expectKeyError(edit((r) => (r.nmae = "typo")), "nmae", /unknown key/);
  });

  it("unknown nested key", () => {
    expectKeyError(edit((r) => (r.tokens.promt = 10)), "tokens.promt", /unknown key/);
    expectKeyError(edit((r) => (r.caching.readMultipler = 0.1)), "caching.readMultipler", /unknown key/);
  });

  it("unknown key inside a model (fix.hardd)", () => {
    expectKeyError(edit((r) => (r.models.weak.fix.hardd = 0.2)), "models.weak.fix.hardd", /unknown key/);
  });

  it("unknown model in strategies", () => {
    expectKeyError(
      edit((r) => (r.strategies["strong-first"].fixer = "medium")),
      "strategies.strong-first.fixer",
      /medium/,
    );
    expectKeyError(edit((r) => (r.strategies.extra = { generator: "huge", fixer: "weak" })), "strategies.extra.generator", /huge/);
  });

  it("bad context name", () => {
    const err = thrown(() => parseScenario(edit((r) => (r.contexts = ["shared", "stale"])), FILE));
    expect(err.keyPath.startsWith("contexts")).toBe(true);
    expect(err.message.startsWith(`${FILE}: contexts`)).toBe(true);
    expect(err.message).toMatch(/shared or fresh/);
    expect(err.message).not.toMatch(/\n/);
  });

  it("duplicate context", () => {
    expectKeyError(edit((r) => (r.contexts = ["shared", "shared"])), "contexts", /repeat/);
  });

  it("empty context list", () => {
    expectKeyError(edit((r) => (r.contexts = [])), "contexts");
  });

  it("missing required key", () => {
    expectKeyError(edit((r) => delete r.tokens.generation), "tokens.generation", /required/);
    expectKeyError(edit((r) => delete r.models.weak.fix), "models.weak.fix", /required/);
    expectKeyError(edit((r) => delete r.trials), "trials", /required/);
  });

  it("bad distribution: unknown dist", () => {
    // the offending key is the dist tag itself
    expectKeyError(edit((r) => (r.tokens.fixOutput = { dist: "gamma", shape: 2 })), "tokens.fixOutput.dist", /constant|uniform|lognormal|empirical/);
    expectKeyError(edit((r) => (r.toolSeconds = { dist: "normal", mean: 3 })), "toolSeconds.dist", /constant|uniform|lognormal|empirical/);
    expectKeyError(edit((r) => (r.tokens.errorTrace = "lots")), "tokens.errorTrace");
  });

  it("bad distribution: lognormal mean <= 0", () => {
    expectKeyError(edit((r) => (r.tokens.fixOutput = { dist: "lognormal", mean: 0, cv: 0.5 })), "tokens.fixOutput.mean");
    expectKeyError(edit((r) => (r.toolSeconds = { dist: "lognormal", mean: -3, cv: 0.5 })), "toolSeconds.mean");
  });

  it("bad distribution: uniform max < min", () => {
    expectKeyError(edit((r) => (r.tokens.errorTrace = { dist: "uniform", min: 500, max: 100 })), "tokens.errorTrace.max", /min/);
  });

  it("bad distribution: empty empirical list", () => {
    expectKeyError(edit((r) => (r.tokens.fixOutput = { dist: "empirical", values: [] })), "tokens.fixOutput.values", /empty/);
  });

  it("bad distribution: negative constant", () => {
    expectKeyError(edit((r) => (r.toolSeconds = { dist: "constant", value: -1 })), "toolSeconds.value");
  });

  it("regressions.probability >= 1 with no limits names both keys", () => {
    for (const regressions of [
      { probability: 1, offspring: "bernoulli", hardFraction: 0.5 },
      { probability: 1.5, offspring: "poisson", hardFraction: 0.5 },
    ]) {
      const raw = edit((r) => (r.models.weak.regressions = regressions)); // weak fixes in strong-first
      expectKeyError(raw, "models.weak.regressions.probability", /limits\.maxAttemptsPerRun/);
      // with a run budget the scenario is fine
      raw.limits = { maxAttemptsPerRun: 100 };
      expect(() => parseScenario(raw, FILE)).not.toThrow();
    }
    // below 1 is fine
    expect(() => parseScenario(edit((r) => (r.models.weak.regressions = { probability: 0.9, offspring: "poisson", hardFraction: 0 })), FILE)).not.toThrow();
  });

  it("bernoulli regression probability > 1", () => {
    const raw = edit((r) => {
      r.models.weak.regressions = { probability: 1.2, offspring: "bernoulli", hardFraction: 0.5 };
      r.limits = { maxAttemptsPerRun: 100 };
    });
    expectKeyError(raw, "models.weak.regressions.probability", /1\.2/);
  });

  it("negative regression probability, bad offspring", () => {
    expectKeyError(edit((r) => (r.models.weak.regressions = { probability: -0.1, hardFraction: 0 })), "models.weak.regressions.probability");
    expectKeyError(edit((r) => (r.models.weak.regressions = { probability: 0.1, offspring: "geometric", hardFraction: 0 })), "models.weak.regressions.offspring");
  });

  it("errorGrowth that makes the expected cost infinite", () => {
    // strong fixes hard bugs with 0.6, weak with 0.15: (1 + g)(1 - 0.15) >= 1 for g >= 0.1765
    expectKeyError(edit((r) => (r.tokens.errorGrowth = 0.2)), "tokens.errorGrowth", /weak/);
    expect(() => parseScenario(edit((r) => (r.tokens.errorGrowth = 0.17)), FILE)).not.toThrow();
    // a cap makes it finite
    expect(() => parseScenario(edit((r) => ((r.tokens.errorGrowth = 0.5), (r.limits = { maxAttemptsPerBug: 10 }))), FILE)).not.toThrow();
    expectKeyError(edit((r) => (r.tokens.errorGrowth = -0.1)), "tokens.errorGrowth");
  });

  it("bad limits", () => {
    expectKeyError(edit((r) => (r.limits = { maxAttemptsPerBug: 0 })), "limits.maxAttemptsPerBug");
    expectKeyError(edit((r) => (r.limits = { maxAttemptsPerRun: 2.5 })), "limits.maxAttemptsPerRun");
  });

  it("bad caching and speed", () => {
    expectKeyError(edit((r) => (r.caching.ttlSeconds = 0)), "caching.ttlSeconds");
    expectKeyError(edit((r) => (r.caching.writeMultiplier = -1)), "caching.writeMultiplier");
    expectKeyError(edit((r) => (r.models.weak.speed = { ttftSeconds: 1, outputTokensPerSecond: 0 })), "models.weak.speed.outputTokensPerSecond");
  });

  it("bad sweep axis", () => {
    const key = "models.weak.bugs.count";
    const sweepError = (axis: unknown) => {
      const err = thrown(() => parseScenario(edit((r) => (r.sweep = { [key]: axis })), FILE));
      expect(err.keyPath.startsWith(`sweep.${key}`), err.keyPath).toBe(true);
      expect(err.message.startsWith(`${FILE}: sweep.${key}`)).toBe(true);
      expect(err.message).not.toMatch(/\n/);
      return err;
    };
    sweepError([]);
    sweepError("1..10");
    sweepError({ from: 1, to: 10, steps: 0 });
    sweepError({ from: 1, to: 10 });
    sweepError({ from: 1, to: 10, steps: 5, scale: "cubic" });
    sweepError([1, "two"]);
    // good axes
    expect(() => parseScenario(edit((r) => (r.sweep = { [key]: [1, 2, 3] })), FILE)).not.toThrow();
    expect(() => parseScenario(edit((r) => (r.sweep = { "caching.readMultiplier": { from: 0.01, to: 1, steps: 5, scale: "log" } })), FILE)).not.toThrow();
  });
});

describe("files", () => {
  const GOOD_YAML = [
    "name: t",
    "seed: 1",
    "trials: 10",
    "models:",
    "  strong:",
    "    price: { input: 15, output: 75 }",
    "    bugs: { count: 3, hardFraction: 0.3333333333 }",
    "    fix: { easy: 0.9, hard: 0.6 }",
    "  weak:",
    "    price: { input: 1, output: 5 }",
    "    bugs: { count: 8, hardFraction: 0.5 }",
    "    fix: { easy: 0.7, hard: 0.15 }",
    "tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }",
  ];

  it("a YAML file loads", () => {
    const file = writeTemp("good.yaml", GOOD_YAML.join("\n") + "\n");
    const loaded = loadScenario(file);
    expect(loaded.scenario.name).toBe("t");
    expect(loaded.scenario.strategies.map((s) => s.name).sort()).toEqual(["strong-strong", "strong-weak", "weak-strong", "weak-weak"]);
  });

  it("broken YAML is reported with its line number", () => {
    const lines = [...GOOD_YAML];
    lines[9] = "    price: { input: 1, output: 5"; // line 10: unclosed flow mapping
    const file = writeTemp("broken.yaml", lines.join("\n") + "\n");
    const err = thrown(() => loadScenario(file));
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    expect(err.message).toMatch(/line 1[01]\b/);
    expect(err.message).not.toMatch(/\n/);

    const bad2 = [...GOOD_YAML];
    bad2[6] = "   bugs: { count: 3, hardFraction: 0.3333333333 }"; // line 7: wrong indentation
    const file2 = writeTemp("indent.yaml", bad2.join("\n") + "\n");
    const err2 = thrown(() => loadScenario(file2));
    expect(err2.message).toMatch(/line 7\b/);
    expect(err2.message).not.toMatch(/\n/);
  });

  it("a YAML duplicate key is an error with its line", () => {
    const lines = [...GOOD_YAML, "trials: 20"]; // line 14 repeats trials (line 3)
    const file = writeTemp("dup.yaml", lines.join("\n") + "\n");
    const err = thrown(() => loadScenario(file));
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    expect(err.message).toMatch(/line 14\b/);
    expect(err.message).toMatch(/trials|duplicate|unique/i);
    expect(err.message).not.toMatch(/\n/);
  });

  it("a missing file", () => {
    const file = join(dir, "does-not-exist.yaml");
    const err = thrown(() => loadScenario(file));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/no such file/);
    expect(err.message).not.toMatch(/\n/);
  });

  it("a JSON scenario file is accepted", () => {
    const file = writeTemp("scenario.json", JSON.stringify(valid(), null, 2));
    const loaded = loadScenario(file);
    expect(loaded.scenario.name).toBe("baseline");
    expect(loaded.scenario.models.weak!.fix.hard).toEqual({ kind: "fixed", p: 0.15 });
    expect(loaded.scenario.strategies.map((s) => s.name)).toEqual(["strong-first", "weak-first"]);
  });

  it("a file whose content is not a mapping", () => {
    const file = writeTemp("list.yaml", "- 1\n- 2\n");
    const err = thrown(() => loadScenario(file));
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    expect(err.message).not.toMatch(/\n/);
  });

  it("validation errors of a file name the file and the key", () => {
    const lines = [...GOOD_YAML];
    lines[11] = "    fix: { easy: 0.7, hard: 0 }";
    const file = writeTemp("zero.yaml", lines.join("\n") + "\n");
    const err = thrown(() => loadScenario(file));
    expect(err.message.startsWith(`${file}: models.weak.fix.hard: `)).toBe(true);
    expect(err.message).not.toMatch(/\n/);
  });
});

describe("bounds: every number has a range, named in the message", () => {
  // [key path, a value just outside, the boundary value (accepted)]
  const cases: [string, number, number][] = [
    ["tokens.prompt", 1e7 + 1, 1e7],
    ["tokens.generation", -1, 0],
    ["tokens.fixOutput", 1e308, 1e7],
    ["models.weak.price.input", 1e308, 1e4],
    ["models.weak.price.output", 10_001, 10_000],
    ["models.weak.fix.hard", 1e-300, 1e-4],
    ["models.weak.fix.easy", 1.0000001, 1],
    ["models.strong.bugs.count", 1e9, 999],
    ["caching.readMultiplier", 101, 100],
    ["tokens.errorGrowth", 11, 0],
    ["seed", 2 ** 53, 2 ** 53 - 1],
  ];
  const set = (raw: Raw, path: string, value: number) => {
    const keys = path.split(".");
    let node = raw;
    for (const k of keys.slice(0, -1)) node = node[k];
    node[keys.at(-1)!] = value;
  };
  for (const [path, bad, edge] of cases) {
    it(`${path}: ${bad} rejected, ${edge} accepted`, () => {
      expectKeyError(edit((r) => set(r, path, bad)), path, / in [[(]/, new RegExp(`got ${String(bad).replace(/[.+]/g, "\\$&")}$`));
      const ok = edit((r) => {
        set(r, path, edge);
        if (path === "models.strong.bugs.count") r.models.strong.bugs.hardFraction = 0; // 999 x 1/3 is not whole
        if (path.startsWith("models.weak.fix")) r.strategies = { only: { generator: "strong", fixer: "strong" } }; // rare fixes: few bugs
      });
      expect(() => parseScenario(ok, FILE)).not.toThrow();
    });
  }

  it("non-finite numbers given as data are shown as what they are", () => {
    expectKeyError(edit((r) => (r.tokens.prompt = Number.NaN)), "tokens.prompt", /got NaN$/);
    expectKeyError(edit((r) => (r.models.weak.price.input = Infinity)), "models.weak.price.input", /got Infinity$/);
  });

  it("a run's expected fix attempts are bounded, naming the fix rate or the cap", () => {
    // 8 weak bugs, half hard at 1e-4: 40,000 attempts; 1,000 bugs easy at 0.005: 200,000
    const rare = edit((r) => (r.models.weak.fix.hard = 1e-4));
    expect(() => parseScenario(rare, FILE)).not.toThrow();
    const many = edit((r) => {
      Object.assign(r.models.weak, { bugs: { count: 1000, hardFraction: 0 }, fix: { easy: 0.005, hard: 0.5 } });
      r.strategies["weak-weak"] = { generator: "weak", fixer: "weak" };
    });
    expectKeyError(many, "models.weak.fix.easy", /strategy weak-weak would make 2\.00e\+5 fix attempts per run/, /100000/);
    // a run cap makes it finite, unless the cap itself is above the bound
    expect(() => parseScenario({ ...many, limits: { maxAttemptsPerRun: 100_000 } }, FILE)).not.toThrow();
    expectKeyError({ ...many, limits: { maxAttemptsPerRun: 100_001 } }, "limits.maxAttemptsPerRun", /up to 1\.00e\+5/);
    // regressions multiply the bugs: r = 0.99 gives 100 bugs per original
    const chains = edit((r) => {
      r.models.weak.regressions = { probability: 0.9999, hardFraction: 0.5 };
      r.strategies = { only: { generator: "strong", fixer: "weak" } };
    });
    expectKeyError(chains, "models.weak.fix.hard", /strategy only/);
  });

  it("a random count's tail stays within the bug-count range; a ladder's bounded rungs stay listable", () => {
    const count = (variance: number) =>
      edit((r) => Object.assign(r.models.weak.bugs, { count: { dist: "negbinomial", mean: 8, variance }, hardFraction: 0.5, assignment: "binomial" }));
    expect(() => parseScenario(count(200), FILE)).not.toThrow();
    expectKeyError(count(201), "models.weak.bugs.count.variance", /at most 25 x the mean \(200\), got 201/);
    // exactly 25 x the mean as written, whatever the rounding of the product (a review: 2.5e-5 over a mean of 1e-6)
    expect(() => parseScenario(edit((r) => Object.assign(r.models.weak.bugs, { count: { dist: "negbinomial", mean: 1e-6, variance: 2.5e-5 }, hardFraction: 0.5, assignment: "binomial" })), FILE)).not.toThrow();
    // closer to the mean than a millionth of it, 1 - p lost its digits: 117 bugs a run over a mean of 100 (a review)
    expect(() => parseScenario(count(8 * (1 + 1e-6)), FILE)).not.toThrow();
    expectKeyError(count(8.000000000000002), "models.weak.bugs.count.variance", /must exceed the mean \(8\) by at least 0\.000001 of it for a negative binomial, got 8\.000000000000002/);
    const ladder = (attempts: number[]) =>
      edit((r) => (r.strategies.long = { generator: "strong", ladder: [...attempts.map((a) => ({ fixer: "weak", attempts: a })), { fixer: "strong" }] }));
    expect(() => parseScenario(ladder([5000, 5000]), FILE)).not.toThrow();
    expectKeyError(ladder([5000, 5001]), "strategies.long.ladder", /10001 requests/);
    expectKeyError(ladder([10_001]), "strategies.long.ladder[0].attempts", /in \[1, 10000\]/);
    // at most 1,000 rungs in all the ladders together, counted before the schema reads them (the
    // worst-case audit: 100 ladders of 10,000 rungs through an alias, minutes in a report)
    const rungs = (n: number) => ladder(Array.from({ length: n - 1 }, () => 1));
    const others = parseScenario(ladder([1]), FILE).strategies.length - 1; // single-fixer strategies: one rung each
    expect(() => parseScenario(rungs(1000 - others), FILE)).not.toThrow();
    expectKeyError(rungs(1001 - others), "strategies", /: their ladders have 1,001 rungs in all, more than 1000: use fewer or shorter ladders/);
    // more strategies than a scenario may compare: that bound speaks (a review: 600 plain ones were "600 rungs")
    const many = edit((r) => (r.strategies = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`s${i}`, { generator: "weak", fixer: "strong" }]))));
    expectKeyError(many, "strategies", /lists 1,001 strategies, more than the 100 a scenario may compare/);
  });

  it("a long-context tier within 100,000 attempts of a shared conversation's start", () => {
    const tier = (fixOutput: number, errorTrace: number) =>
      edit((r) => {
        r.models.weak.price.longContext = { above: 15_000, input: 2, output: 10 };
        Object.assign(r.tokens, { fixOutput, errorTrace });
      });
    expect(() => parseScenario(tier(0.05, 0.04), FILE)).not.toThrow(); // (15000 - 6000)/0.09 = 100,000
    expectKeyError(tier(0.001, 0.001), "models.weak.price.longContext.above", /only after 4\.50e\+6 attempts/);
    expect(() => parseScenario(tier(0, 0), FILE)).not.toThrow(); // a conversation that never grows never reaches it
  });

  it("error-trace growth under a cap cannot overflow", () => {
    const raw = edit((r) => ((r.tokens.errorGrowth = 10), (r.limits = { maxAttemptsPerRun: 200 })));
    expectKeyError(raw, "tokens.errorGrowth", /\(1 \+ 10\)\^199/);
    expect(() => parseScenario(edit((r) => ((r.tokens.errorGrowth = 10), (r.limits = { maxAttemptsPerBug: 90 }))), FILE)).not.toThrow();
  });
});

describe("names and keys", () => {
  it("__proto__ as a model or strategy name is refused, never dropped", () => {
    for (const where of ["models", "strategies"] as const) {
      const raw = JSON.parse(JSON.stringify(valid()).replace(where === "models" ? '"strong":' : '"strong-first":', '"__proto__":'));
      expect(Object.hasOwn(raw[where], "__proto__")).toBe(true);
      expectKeyError(raw, `${where}.__proto__`, /reserved/);
    }
  });

  it("a key with a newline or a space is JSON-quoted in the message", () => {
    expectKeyError(edit((r) => (r["bad\nkey"] = 1)), '"bad\\nkey"', /unknown key/);
    expectKeyError(edit((r) => (r.tokens["pro mpt"] = 1)), 'tokens."pro mpt"', /unknown key/);
    const err = thrown(() => parseScenario(edit((r) => (r.strategies["a\nb"] = { generator: "x", fixer: "weak" })), FILE));
    expect(err.message).not.toMatch(/[\r\n]/);
    expect(err.message).toContain("a\\nb");
  });
});

describe("names that print as themselves", () => {
  // ESC starts a terminal's escape sequence (this one clears the screen), U+202E reverses the
  // text after it, U+200B is invisible, U+0085 and U+2028 break lines in some terminals
  const unprintable = ["\u001b[2J", "a\u202eb", "zero\u200bwidth", "next\u0085line", "a\u2028b", "del\u007f"];

  it("a strategy, scenario or seed string with a control or formatting character is refused, naming it", () => {
    for (const name of unprintable) {
      const code = `U+${name.match(/[^ -~]/u)![0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      const strategy = thrown(() => parseScenario(edit((r) => (r.strategies[name] = { generator: "strong", fixer: "weak" })), FILE));
      expect(strategy.keyPath).toBe(`strategies.${JSON.stringify(name)}`);
      expect(strategy.message).toContain(`is not a valid name: must not contain control or formatting characters (it holds ${code})`);
      expect(strategy.message.search(UNPRINTABLE), strategy.message).toBe(-1);
      const scenario = expectKeyError(edit((r) => (r.name = name)), "name", `(it holds ${code})`);
      expect(scenario.message.search(UNPRINTABLE), scenario.message).toBe(-1);
      expectKeyError(edit((r) => (r.seed = name)), "seed", /control or formatting/);
    }
    // what prints is kept: accents, other scripts, emoji, spaces
    for (const name of ["café", "日本語の戦略", "🚀 fast", "a b"]) {
      const scenario = parseScenario(edit((r) => ((r.name = name), (r.seed = name), (r.strategies[name] = { generator: "strong", fixer: "weak" }))), FILE);
      expect(scenario.name).toBe(name);
      expect(scenario.strategies.map((s) => s.name)).toContain(name);
    }
  });

  it("a strategy, scenario or seed string with white space at an end is refused: it cannot be seen", () => {
    for (const [name, where, code] of [["   ", "begins", "U+0020"], ["a ", "ends", "U+0020"], ["\u3000x", "begins", "U+3000"], ["x\u00a0", "ends", "U+00A0"]]) {
      const strategy = thrown(() => parseScenario(edit((r) => (r.strategies[name!] = { generator: "strong", fixer: "weak" })), FILE));
      expect(strategy.message).toContain(`is not a valid name: must not begin or end with white space (it ${where} with ${code})`);
      expectKeyError(edit((r) => (r.name = name)), "name", `(it ${where} with ${code})`);
      expectKeyError(edit((r) => (r.seed = name)), "seed", /white space/);
    }
  });

  it("names that print alike are alike: NFC only, no lone surrogate; and no comma in a strategy's name", () => {
    // "café" with a combining accent and with one character were two strategies printed alike;
    // a lone surrogate printed as U+FFFD; "a,b" could never be named by --between
    const strategy = (name: string) => thrown(() => parseScenario(edit((r) => (r.strategies[name] = { generator: "strong", fixer: "weak" })), FILE)).message;
    expect(strategy("cafe\u0301")).toContain("is not a valid name: must be in Unicode's composed form, NFC");
    expect(strategy("x\ud800")).toContain("is not a valid name: must be valid Unicode (it holds a lone surrogate, U+D800");
    expect(strategy("a,b")).toContain("is not a valid name: must not contain a comma: --between names two strategies separated by one");
    expectKeyError(edit((r) => (r.name = "cafe\u0301")), "name", /NFC/);
    expect(parseScenario(edit((r) => (r.strategies["caf\u00e9"] = { generator: "strong", fixer: "weak" })), FILE).strategies.map((s) => s.name)).toContain("café");
  });

  it("a strategy's name does not begin with what a spreadsheet reads as a formula: it is a cell of every sweep CSV row (a review)", () => {
    for (const name of ["=HYPERLINK(1)", "+1", "-x", "@SUM(1)"]) {
      expectKeyError(edit((r) => (r.strategies[name] = { generator: "strong", fixer: "weak" })), `strategies.${JSON.stringify(name).replace(/^"-x"$/, "-x")}`, `must not begin with ${name[0]}: a spreadsheet opening a sweep's CSV would run the name as a formula`);
    }
    expect(() => parseScenario(edit((r) => (r.strategies["a=b"] = { generator: "strong", fixer: "weak" })), FILE)).not.toThrow();
  });

  it(`a model name has at most ${NAME_LENGTH.model} characters, a strategy's ${NAME_LENGTH.strategy}: room for <generator>-<fixer>`, () => {
    const at = (n: number) => "m".repeat(n);
    const strategy = (name: string) => edit((r) => (r.strategies[name] = { generator: "strong", fixer: "weak" }));
    expect(() => parseScenario(strategy(at(NAME_LENGTH.strategy)), FILE)).not.toThrow();
    // a wide character takes two columns of a table: 49 of them made a run's table 107 columns wide at 80 (a review)
    expect(() => parseScenario(strategy("日".repeat(24)), FILE)).not.toThrow();
    expectKeyError(strategy("日".repeat(25)), `strategies."${"日".repeat(25)}"`, `at most ${NAME_LENGTH.strategy} characters wide (it is 50: 25 characters, a wide one such as 日 counting 2)`);
    const long = at(NAME_LENGTH.strategy + 1);
    expectKeyError(strategy(long), `strategies.${long}`, `at most ${NAME_LENGTH.strategy} characters wide (it is ${NAME_LENGTH.strategy + 1})`);
    const model = at(NAME_LENGTH.model + 1);
    expectKeyError(edit((r) => (r.models[model] = r.models.weak)), `models.${model}`, `at most ${NAME_LENGTH.model} characters wide (it is 25)`);
    expect(isModelName(at(NAME_LENGTH.model))).toBe(true);
    expect(isModelName(at(NAME_LENGTH.model + 1))).toBe(false);
    // two models of the longest names: the default strategies' names are valid names too
    const a = at(NAME_LENGTH.model);
    const b = "n".repeat(NAME_LENGTH.model);
    const both = parseScenario(edit((r) => ((r.models = { [a]: r.models.strong, [b]: r.models.weak }), delete r.strategies)), FILE);
    for (const s of both.strategies) expect(() => parseScenario(edit((r) => ((r.models = { [a]: r.models.strong, [b]: r.models.weak }), (r.strategies = { [s.name]: { generator: a, fixer: b } }))), FILE)).not.toThrow();
    expect(Math.max(...both.strategies.map((s) => s.name.length))).toBe(NAME_LENGTH.strategy);
  });

  it("a model name the key rule refuses gets the rule's own sentence", () => {
    expectKeyError(edit((r) => (r.models["we ak"] = r.models.weak)), 'models."we ak"', /is not a valid name: model names use letters, digits and _ only/);
    // a dot would split models.<name>.bugs.count, the key sweeps, crossovers, reports and fits address
    expectKeyError(edit((r) => (r.models["weak.v2"] = r.models.weak)), "models.weak.v2", /a dot would split the dotted keys under the model/);
  });

  it("messages escape what does not print, whatever its source", () => {
    expect(oneLine("a\u001b[31mb\u202ec\u2028d\u{e0001}")).toBe("a\\u001b[31mb\\u202ec\\u2028d\\u{e0001}");
    expect(oneLine("line\nbreak\ttab é 日 🚀")).toBe("line\\nbreak\\ttab é 日 🚀");
    // half of a surrogate pair printed as U+FFFD (a trace's strategy name, an audit); a whole pair is kept
    expect(oneLine("first\ud800/shared \udfff")).toBe("first\\ud800/shared \\udfff");
  });
});

describe("reading files", () => {
  const base = [
    "name: t",
    "seed: 1",
    "trials: 10",
    "models:",
    "  strong: { price: { input: 15, output: 75 }, bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.9, hard: 0.6 } }",
    "tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }",
  ].join("\n");
  const fileError = (name: string, text: string) => {
    const err = thrown(() => loadScenario(writeTemp(name, text)));
    expect(err.message).not.toMatch(/[\r\n]/);
    return err;
  };

  it("YAML aliases: too many expansions, a billion-laughs bomb, an undefined anchor", () => {
    const scalar = base + "\nx: &a 1\n" + Array.from({ length: 150 }, (_, i) => `k${i}: *a`).join("\n") + "\n";
    // the definition counts once and k0..k98 bring the uses to 100: k99 passes the bound
    const tooOften = fileError("alias.yaml", scalar);
    expect(tooOften.keyPath).toBe("k99");
    const line = base.split("\n").length + 101;
    expect(tooOften.problem).toBe(`line ${line}, column 6: invalid YAML: alias *a used too often (at most 99 aliases of one anchor, fewer when its value holds aliases)`);
    let bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 1; i < 9; i++) {
      const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      bomb += `${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
    }
    // a's uses reach 10 (x 1), b's 10 (x 10 = 100): the first *c counts 2 x 100, at d[0] on line 4
    const laughs = fileError("bomb.yaml", bomb);
    expect([laughs.keyPath, laughs.problem]).toEqual(["d[0]", "line 4, column 8: invalid YAML: alias *c used too often (at most 99 aliases of one anchor, fewer when its value holds aliases)"]);
    const undefinedAlias = fileError("undef.yaml", base.replace("trials: 10", "trials: *nope"));
    expect(undefinedAlias.keyPath).toBe("trials");
    expect(undefinedAlias.problem).toMatch(/^line 3, column 9: alias \*nope names no anchor/);
    // an alias inside the value it names: a stack trace (a list) or a walk without end (a map) before
    for (const [text, key, at] of [["x: &x [1, *x]", "x[1]", "column 11"], ["x: &x {b: *x}", "x.b", "column 11"], ["x: &x {b: {c: [*x]}}", "x.b.c[0]", "column 16"]]) {
      const cycle = fileError("cycle.yaml", `${text}\n${base}`);
      expect([cycle.keyPath, cycle.problem]).toEqual([key, `line 1, ${at}: invalid YAML: alias *x is inside the value it names`]);
    }
    // under YAML 1.1's !!pairs a list's items are pairs, which the walk did not enter: a run without end (a review)
    const pairs = fileError("pairs.yaml", `%YAML 1.1\n---\nx: &x !!pairs [a: *x]\n${base}`);
    expect([pairs.keyPath, pairs.problem]).toEqual(["x[0].a", "line 3, column 19: invalid YAML: alias *x is inside the value it names"]);
    // an alias within bounds is fine
    expect(loadScenario(writeTemp("ok-alias.yaml", base.replace("trials: 10", "trials: &n 10\nseed2: *n").replace("seed2: *n", ""))).scenario.trials).toBe(10);
  });

  it("merge keys: merged maps are read (YAML 1.1 and 1.2), and anything else under << is named with its line", () => {
    const v11 = (text: string) => `%YAML 1.1\n---\n${text}\n${base}`;
    const weak = "\n  weak: { price: { <<: *p, input: 3 }, bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.9, hard: 0.6 } }";
    const merged = loadScenario(writeTemp("merge.yaml", v11("").replace("price: { input: 15", "price: &p { input: 15").replace(/(strong: .*)/, `$1${weak}`))).scenario;
    const [strong, weakPrice] = [merged.models.strong!.price, merged.models.weak!.price];
    // the merged output price, and its own input price over the merged one
    expect([weakPrice.output, weakPrice.input / strong.input]).toEqual([strong.output, 0.2]);
    // a scalar under << was blamed on aliases ("an anchor used too often"), without a line
    for (const [text, key, at] of [["x:\n  <<: 5", 'x."<<"', "line 4, column 7"], ["y: &y 1\nx:\n  <<: *y", 'x."<<"', "line 5, column 7"], ["x:\n  <<: [{ a: 1 }, 2]", 'x."<<"', "line 4, column 7"]]) {
      const err = fileError("merge-bad.yaml", v11(text));
      expect([err.keyPath, err.problem]).toEqual([key, `${at}: a merge key (<<) takes a map, an alias of a map, or a list of them`]);
    }
    // the key path names << as written, not as the symbol the library reads it as
    expect(fileError("merge-nan.yaml", v11("x:\n  <<: { q: .inf }")).keyPath).toBe('x."<<".q');
    // an alias to no anchor under << is said to be (not "a merge key takes a map", a review)
    expect(fileError("merge-none.yaml", v11("x:\n  <<: *zz")).problem).toBe("line 4, column 7: alias *zz names no anchor defined before it");
    // a YAML 1.2 file merges too, as most YAML readers do ("price: is required" before)
    const plain = loadScenario(writeTemp("merge12.yaml", base.replace("price: { input: 15", "price: &p { input: 15").replace(/(strong: .*)/, `$1${weak}`))).scenario;
    expect(plain.models.weak!.price.output).toBe(plain.models.strong!.price.output);
    // YAML 1.1 reads an unquoted date as one
    expect(fileError("date.yaml", v11("").replace("name: t", "name: 2001-12-14")).problem).toBe("line 4, column 7: 2001-12-14 is read as a date under YAML 1.1, which no scenario key takes; quote it to keep it text");
  });

  it("a value of the wrong kind is named in the project's words, with the keys a map takes (a review: zod's own 'Invalid input: expected object, received null')", () => {
    const kind = (text: string) => fileError("kind.yaml", base + "\n" + text);
    expect(kind("caching: null").message).toMatch(/: caching: must be a map of readMultiplier, writeMultiplier, ttlSeconds, got null$/);
    expect(kind("limits: [1]").message).toMatch(/: limits: must be a map of maxAttemptsPerBug, maxAttemptsPerRun, got a list$/);
    // the branch of a union whose keys the value has: a preset's, not a hand price's missing input
    const preset = fileError("preset.yaml", base.replace("price: { input: 15, output: 75 }", "price: { preset: 5 }"));
    expect([preset.keyPath, preset.problem]).toEqual(["models.strong.price.preset", "must be a string, provider/model, got 5"]);
  });

  it("a YAML tag whose value is no plain data, or that does not apply, is named with its line (a review: 'count.dist: must be one of ..., got a map' for a date)", () => {
    const tagged = (value: string) => fileError("tag.yaml", base.replace("count: 3", `count: ${value}`));
    const date = tagged("!!timestamp 2001-12-14");
    expect([date.keyPath, date.problem]).toEqual(["models.strong.bugs.count", "line 5, column 74: the YAML tag !!timestamp makes a value no scenario key takes (a date, bytes, a set or an ordered map)"]);
    expect(tagged("!!binary aGVsbG8=").problem).toMatch(/the YAML tag !!binary makes a value no scenario key takes/);
    expect(tagged("!foo 3").problem).toBe("line 5, column 62: invalid YAML: !foo does not apply here (an unknown tag, or one that does not fit its value)");
    expect(tagged("!!float 3").problem).toMatch(/invalid YAML: !!float does not apply here/);
    // a tag that fits is no problem
    expect(loadScenario(writeTemp("int.yaml", base.replace("count: 3", "count: !!int 3"))).scenario.models.strong!.bugs).toMatchObject({ count: 3 });
  });

  it("a missing key whose value may take several forms is required, not of the wrong form", () => {
    const err = fileError("no-seed.yaml", base.replace("seed: 1\n", ""));
    expect([err.keyPath, err.problem]).toEqual(["seed", "is required"]);
    // an empty seed printed as an empty cell, where --seed "" is refused (a review)
    const empty = fileError("empty-seed.yaml", base.replace("seed: 1", 'seed: ""'));
    expect([empty.keyPath, empty.problem]).toEqual(["seed", 'must not be empty, got ""']);
  });

  it("a list or a map as a key: one line naming it, not a stringified key and a warning of several lines", () => {
    const seqKey = fileError("seq-key.yaml", base + "\nstrategies:\n  ? [x]\n  : { generator: strong, fixer: strong }\n");
    expect(seqKey.keyPath).toBe("strategies");
    expect(seqKey.problem).toMatch(/^line 8, column 5: a key must be a plain name, not a list or a map$/);
    expect(fileError("map-key.yaml", base + "\n? { a: 1 }\n: 2\n").problem).toMatch(/a key must be a plain name/);
    expect(fileError("alias-key.yaml", base + "\nx: &k [1]\n*k : 2\n").problem).toMatch(/a key must be a plain name/);
  });

  it("a whole number beyond 2^53 - 1 is reported as written, not rounded (a review: 9007199254740993 shown as ...992)", () => {
    const err = fileError("big.yaml", base.replace("seed: 1", "seed: 9007199254740993"));
    expect([err.keyPath, err.problem]).toEqual(["seed", "line 2, column 7: got 9007199254740993, beyond 9007199254740991, past which a whole number is not kept exactly"]);
    expect(loadScenario(writeTemp("max.yaml", base.replace("seed: 1", "seed: 9007199254740991"))).scenario.seed).toBe(9007199254740991);
  });

  it(".nan, .inf and 1e400 are reported as written", () => {
    for (const [text, shownAs] of [[".nan", ".nan"], [".inf", ".inf"], ["-.Inf", "-.Inf"], ["1e400", "1e400"]]) {
      const err = fileError("nan.yaml", base.replace("prompt: 2000", `prompt: ${text}`));
      expect(err.keyPath).toBe("tokens.prompt");
      expect(err.problem).toMatch(new RegExp(`got ${shownAs.replace(".", "\\.")}, which is not a finite number$`));
    }
    const json = fileError("nan.json", JSON.stringify({ name: "t", trials: 1 }).replace("1}", "1e400}"));
    expect(json.message).toMatch(/trials: .*got 1e400/);
  });

  it("a duplicate key names both lines", () => {
    const err = fileError("dup.yaml", base + "\nseed: 2\n");
    expect(err.keyPath).toBe("seed");
    expect(err.problem).toMatch(/^line 7, column 1: duplicate key \(first at line 2, column 1\)$/);
  });

  it("40,000 unknown keys: the first is named (in linear time: the yaml library's own check is quadratic)", () => {
    const text = base + "\n" + Array.from({ length: 40_000 }, (_, i) => `u${i}: 1`).join("\n") + "\n";
    expect(fileError("many.yaml", text).message).toMatch(/many\.yaml: u0: unknown key/);
  });

  it("refuses more than 1 MiB, from a file or a device, without reading it all", () => {
    expect(fileError("big.yaml", base + "\n#" + "x".repeat(1 << 20) + "\n").message).toMatch(/larger than 1048576 bytes/);
    if (process.platform !== "win32") {
      const err = thrown(() => loadScenario("/dev/zero"));
      expect(err.message).toMatch(/^\/dev\/zero: cannot read scenario: larger than 1048576 bytes/);
    }
    expect(thrown(() => loadScenario(dir)).message).toMatch(/is a directory/);
  });

  it("a file nested too deeply is a YAML error", () => {
    expect(fileError("deep.yaml", `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`).message).toMatch(/deep\.yaml: line 1, column \d+: invalid YAML/);
  });
});

/** obj, and every object and list inside it, frozen: a write to any of them throws (ES modules are strict). */
function deepFreeze<T>(obj: T): T {
  if (obj !== null && typeof obj === "object" && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const value of Object.values(obj)) deepFreeze(value);
  }
  return obj;
}

describe("scans copy only the path they edit", () => {
  // withPath shares everything off the edited path with the file's data, which is safe only if
  // nothing downstream writes its input: every shipped scenario is parsed frozen here.
  const files = readdirSync("scenarios", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios", f));

  it.each(files)("%s is parsed, and given its defaults, without a write to its data", async (file) => {
    const raw = readScenarioFile(file);
    await loadPriceTableFor(raw);
    deepFreeze(raw);
    expect(() => parseScenario(raw, file)).not.toThrow();
    expect(() => parseScenario(deepFreeze(withDefaults(raw)), file)).not.toThrow();
  });

  it("withPath replaces one value, leaves its input as it was and shares what is off the path", () => {
    const data = deepFreeze({ models: { weak: { fix: { easy: 0.7, hard: 0.15 } }, strong: { fix: { easy: 0.9 } } }, strategies: { e: { ladder: [{ attempts: 2 }, { attempts: 3 }] } } });
    const edited = withPath(data, "strategies.e.ladder[1].attempts", 5);
    expect(edited.strategies.e.ladder).toEqual([{ attempts: 2 }, { attempts: 5 }]);
    expect(data.strategies.e.ladder[1]!.attempts).toBe(3);
    expect(edited.strategies.e.ladder[0]).toBe(data.strategies.e.ladder[0]);
    expect(edited.models).toBe(data.models);
    const rate = withPath(data, "models.weak.fix.hard", 0.2);
    expect(rate.models.weak.fix).toEqual({ easy: 0.7, hard: 0.2 });
    expect(rate.models.strong).toBe(data.models.strong);
    expect(data.models.weak.fix.hard).toBe(0.15);
  });
});
