/**
 * `agentsim fit` as a user meets it: the built CLI (dist/, built by `npm test`) as a child process,
 * on a trace drawn by test/fitSample.ts and on the hand-made Claude Code fixture.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchFolder } from "./scratch.js";
import { expandLogPaths } from "../src/fit/files.js";
import { sampleRecords, toJsonLines } from "./fitSample.js";

const CLI = join(__dirname, "..", "dist", "agentsim.mjs");
const FIXTURE = join(__dirname, "fixtures", "claude-code");

function agentsim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = scratchFolder("fit");

/** A scenario file written in `root`. */
function scenarioFile(root: string, name: string, text: string): string {
  writeFileSync(join(root, name), text);
  return join(root, name);
}
const trace = join(dir, "trace.jsonl");

beforeAll(() => {
  const weak = { model: "weak", easy: 0.7, hard: 0.15 };
  const strong = { model: "strong", easy: 0.9, hard: 0.6 };
  writeFileSync(
    trace,
    toJsonLines([
      ...sampleRecords({ runs: 400, strategy: "strong-first", generator: "strong", count: 3, hardFraction: 1 / 3, assignment: "exact", ladder: [weak], seed: "a" }),
      ...sampleRecords({ runs: 400, strategy: "weak-first", generator: "weak", count: 8, hardFraction: 0.5, assignment: "exact", ladder: [strong], seed: "b" }),
    ]),
  );
});

describe("agentsim fit on traces", () => {
  it("--json: where no strategy has a closed form, each cost's null comes with its reason", () => {
    const { code, stdout } = agentsim("fit", trace, "--prices", "scenarios/ext-retry-caps.yaml", "--bootstrap", "0", "--json");
    expect(code).toBe(0);
    for (const c of JSON.parse(stdout).decision.contexts) {
      expect(c.cheapest).toBeNull();
      for (const cost of c.costs) expect(cost).toEqual({ strategy: expect.any(String), expectedCost: null, reason: expect.stringMatching(/retry caps/) });
    }
  });

  it("text: the strategies without a closed form are named with a reason, not left out of the decision in silence", () => {
    const { code, stdout } = agentsim("fit", trace, "--prices", "scenarios/ext-retry-caps.yaml", "--bootstrap", "0");
    expect(code).toBe(0);
    expect(stdout.replace(/\s+/g, " ")).toMatch(/shared no strategy has a closed form here: strong-strong, strong-weak, weak-strong and weak-weak have no closed form \(strong-strong: [^)]*retry caps/);
  });

  it("--json: parameters by scenario key with intervals, and the decision's confidence per context", () => {
    const { code, stdout } = agentsim("fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "100", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const keys = out.parameters.map((p: { key: string }) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining(["models.weak.fix.easy", "models.weak.fix.hard", "models.strong.bugs.hardFraction", "models.weak.bugs.count", "tokens.errorTrace"]),
    );
    for (const p of out.parameters) {
      expect(p.ciLow).toBeLessThanOrEqual(p.value);
      expect(p.ciHigh).toBeGreaterThanOrEqual(p.value);
    }
    expect(out.decision.replicates).toBe(100);
    expect(out.decision.contexts.map((c: { context: string }) => c.context)).toEqual(["shared", "fresh"]);
    for (const c of out.decision.contexts) {
      const total = c.confidence.reduce((a: number, x: { share: number }) => a + x.share, 0) + c.undecided;
      expect(total).toBeCloseTo(1, 12);
      expect(c.costs).toHaveLength(4);
    }
  });

  it("--json is the same on 1 and 2 threads", () => {
    const one = agentsim("fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "60", "--threads", "1", "--json").stdout;
    const two = agentsim("fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "60", "--threads", "2", "--json").stdout;
    expect(one.length).toBeGreaterThan(100);
    expect(two).toBe(one);
  });

  it("--out writes a scenario that analytic accepts as is, with the fitted values", () => {
    const out = join(dir, "fitted.yaml");
    const fit = agentsim("fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "40", "--out", out, "--json");
    expect(fit.code).toBe(0);
    const values = Object.fromEntries(JSON.parse(fit.stdout).parameters.map((p: { key: string; value: number }) => [p.key, p.value]));
    const written = parse(readFileSync(out, "utf8"));
    expect(written.models.weak.fix.hard).toBe(values["models.weak.fix.hard"]);
    // the prices scenario's exact assignment: the hard fraction is the estimate's nearest whole number of 3 bugs, over 3
    const hard = Math.round(3 * values["models.strong.bugs.hardFraction"]);
    expect(written.models.strong.bugs).toEqual({ count: 3, hardFraction: hard / 3, assignment: "exact" });
    expect(JSON.parse(fit.stdout).notes).toContainEqual(expect.stringMatching(/^models\.strong\.bugs\.hardFraction: written as \d of 3 bugs/));
    expect(written.tokens).toEqual({ prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 });
    expect(written.models.weak.price).toEqual({ preset: "anthropic/claude-haiku-4-5" }); // from --prices
    const analytic = agentsim("analytic", out, "--json");
    expect(analytic.code).toBe(0);
    expect(JSON.parse(analytic.stdout).results).toHaveLength(8);
  });

  it("traces of exact assignment are fitted under it: the shared cost at the estimates, and the cheapest, are the traced scenario's (an audit: written binomial, the other strategy was named in 100% of replicates)", () => {
    // two strategies 1.2% apart in the shared context (closed forms $0.46554 and $0.47111), whose
    // shared cost grows 3.6% for gf under binomial assignment, enough to reverse them
    const close = join(dir, "close.yaml");
    writeFileSync(
      close,
      `name: close
seed: 1
trials: 200
models:
  g: { price: { input: 5, output: 25 }, bugs: { count: 4, hardFraction: 0.5 }, fix: { easy: 0.9, hard: 0.6 } }
  f: { price: { input: 1, output: 5 }, bugs: { count: 4, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.15 } }
tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }
contexts: [shared]
strategies:
  gf: { generator: g, fixer: f }
  gg: { generator: g, fixer: g }
`,
    );
    const traced = join(dir, "close.jsonl");
    expect(agentsim("run", close, "--trials", "10000", "--seed", "t", "--trace", traced, "--trace-runs", "10000").code).toBe(0);
    const fit = JSON.parse(agentsim("fit", traced, "--prices", close, "--bootstrap", "0", "--json").stdout);
    expect(fit.decision.contexts[0].cheapest).toBe("gf");
    // the costs are the fitted scenario's, whose hard fraction is a whole number of bugs, not the
    // estimate's (it said "at the estimates": the consistency audit)
    expect(agentsim("fit", traced, "--prices", close, "--bootstrap", "0").stdout.replace(/\s+/g, " ")).toMatch(/gf is the cheapest in the fitted scenario \(gf \$0\.4/);
    const gf = fit.decision.contexts[0].costs.find((c: { strategy: string }) => c.strategy === "gf").expectedCost;
    // the estimates' own error (f's hard rate 0.1485 against 0.15) moves it 1.1%; binomial added 2.8% more
    expect(Math.abs(gf / 0.46554 - 1)).toBeLessThan(0.02);
    // traces of gf alone: g fixes in none of them, so gg's cost rests on close.yaml's rates for g, and a note says so
    const gfOnly = join(dir, "gf-only.yaml");
    writeFileSync(gfOnly, readFileSync(close, "utf8").replace("  gg: { generator: g, fixer: g }\n", ""));
    const gfTrace = join(dir, "gf.jsonl");
    expect(agentsim("run", gfOnly, "--trials", "300", "--seed", "z", "--trace", gfTrace, "--trace-runs", "300").code).toBe(0);
    const notes: string[] = JSON.parse(agentsim("fit", gfTrace, "--prices", close, "--bootstrap", "0", "--json").stdout).notes;
    expect(notes).toContain(`models.g.fix: g fixes in no trace (it only generates there); its fix rates are ${close}'s, as written, and the decision's confidence does not cover them`);
  });

  it("an interval of no width away from a bound gets a note: every replicate alike says nothing of the uncertainty (the fit audit)", () => {
    // 30 runs, each one bug fixed at its second attempt: 30 of 60 attempts, but every resample is the same runs
    const record = (run: number, bug: number | null, role: string, attempt: number | null, fixed: boolean | null, input: number, output: number) =>
      JSON.stringify({ run, strategy: "strong-first", context: "shared", bug, model: role === "generate" ? "strong" : "weak", role, attempt, fixed, input, cacheRead: 0, cacheWrite: 0, output, seconds: null });
    const lines = Array.from({ length: 30 }, (_, run) =>
      [record(run, null, "generate", null, null, 2000, 4000), record(run, 0, "fix", 1, false, 6000, 800), record(run, 0, "fix", 2, true, 7200, 800)].join("\n"),
    );
    const alike = join(dir, "alike.jsonl");
    writeFileSync(alike, `${lines.join("\n")}\n`);
    const fit = JSON.parse(agentsim("fit", alike, "--bootstrap", "100", "--json").stdout);
    const easy = fit.parameters.find((p: { key: string }) => p.key === "models.weak.fix.easy");
    expect([easy.value, easy.ciLow, easy.ciHigh]).toEqual([0.5, 0.5, 0.5]);
    expect(fit.notes).toContain("models.weak.fix.easy: every bootstrap replicate gave the same value, so its interval has no width, which does not show how uncertain it is (are the runs all alike?)");
    // tokens alike in every run are not uncertain: no such note for them
    expect(fit.notes.join("\n")).not.toMatch(/^tokens\..*no width/m);
  });

  it("--out writes a count more dispersed than a scenario may be at the most it may be, and says so (a review: a constant, blaming the schema)", () => {
    const weak = { model: "weak", easy: 0.9, hard: 0.9 };
    const spread = join(dir, "spread.jsonl");
    // 196 runs without bugs and 4 with 400: variance about 394 times the mean
    const many = sampleRecords({ runs: 4, strategy: "strong-first", generator: "strong", count: 400, hardFraction: 0, ladder: [weak], seed: "m" });
    writeFileSync(
      spread,
      toJsonLines([
        ...sampleRecords({ runs: 196, strategy: "strong-first", generator: "strong", count: 0, hardFraction: 0, ladder: [weak], seed: "z" }),
        ...many.map((r) => ({ ...r, run: r.run + 196 })),
      ]),
    );
    const out = join(dir, "spread.yaml");
    const fit = agentsim("fit", spread, "--prices", "scenarios/default.yaml", "--bootstrap", "0", "--out", out);
    expect(fit.code).toBe(0);
    expect(fit.stdout.replace(/\n\s*/g, " ")).toMatch(/models\.strong\.bugs\.count: the traces show a variance 39\d(\.\d+)? times the mean, beyond the 25 times a scenario may have; written with 25 times the mean/);
    expect(parse(readFileSync(out, "utf8")).models.strong.bugs.count).toEqual({ dist: "negbinomial", mean: 8, variance: 200 });
  });

  it("with --prices, a traced strategy that generates with another model than the scenario's of its name is one line at its generation (a review: decided on silently)", () => {
    const weak = { model: "weak", easy: 0.7, hard: 0.15 };
    const swapped = join(dir, "swapped.jsonl");
    // default.yaml's strong-first generates with strong; these traces' with weak
    writeFileSync(swapped, toJsonLines(sampleRecords({ runs: 20, strategy: "strong-first", generator: "weak", count: 3, hardFraction: 0, ladder: [weak], seed: "w" })));
    const fit = agentsim("fit", swapped, "--prices", "scenarios/default.yaml", "--bootstrap", "0");
    expect(fit.code).toBe(2);
    expect(fit.stderr).toMatch(/^agentsim: .*swapped\.jsonl:1: strategy strong-first generates with weak here, but with strong in scenarios\/default\.yaml: the traces and the prices scenario describe different strategies\n$/);
  });

  it("a fix rate EM drives to its boundary 0 (1e-17) is said to be so, and --out refuses it as it refuses 0 (a review: written as 0.0001 silently)", () => {
    // the first 100 runs of each strategy and context: too few fixes of the weak fixer's hard bugs on its bounded rung
    const bounded = join(dir, "bounded.jsonl");
    const file = "scenarios/validation/ladder-bounded.yaml";
    expect(agentsim("run", file, "--trials", "2000", "--trace", bounded).code).toBe(0);
    const fit = agentsim("fit", bounded, "--prices", file, "--bootstrap", "40", "--json");
    const hard = JSON.parse(fit.stdout).parameters.find((p: { key: string }) => p.key === "models.weak.fix.hard");
    expect(hard.value).toBeLessThan(1e-4);
    expect(JSON.parse(fit.stdout).notes.join("\n")).toMatch(/models\.weak\.fix\.hard: estimated at 0 \(below 0\.0001, the least rate a scenario holds\)/);
    const out = agentsim("fit", bounded, "--prices", file, "--bootstrap", "0", "--out", join(dir, "bounded.yaml"));
    expect([out.code, out.stderr]).toEqual([2, "agentsim: cannot write the scenario: models.weak.fix.hard is estimated at 0 (below 0.0001, the least rate a scenario holds: too few of its bugs were fixed to tell the rate); collect logs with more attempts per bug\n"]);
  });

  it("a trace that starts with a byte-order mark is read as without it; Claude Code logs without --format get a hint (a review)", () => {
    const bom = join(dir, "bom.jsonl");
    writeFileSync(bom, "\ufeff" + readFileSync(trace, "utf8"));
    const withMark = agentsim("fit", bom, "--bootstrap", "0", "--json");
    expect(withMark.code).toBe(0);
    expect(JSON.parse(withMark.stdout).parameters).toEqual(JSON.parse(agentsim("fit", trace, "--bootstrap", "0", "--json").stdout).parameters);
    expect(agentsim("fit", FIXTURE, "--bootstrap", "0").stderr).toMatch(/:1: unknown field "type" \(a trace record has .*; a Claude Code log\? pass --format claude-code\)\n$/);
  });

  it("prints the decision first, then the estimates, in aligned tables", () => {
    const { code, stdout } = agentsim("fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "50");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Fitted from 800 runs \(2 strategy\/context groups\)/);
    expect(stdout).toMatch(/shared\s+strong-first is the cheapest in [\d.]+% of plausible worlds/);
    expect(stdout.indexOf("plausible worlds")).toBeLessThan(stdout.indexOf("parameter"));
    expect(stdout).toMatch(/models\.weak\.fix\.hard\s+0\.1\d+\s+0\.1\d+ \.\. 0\.\d+/);
    expect(stdout).not.toMatch(/NaN|undefined/);
    // stdout is no terminal here: every line fits 100 columns
    expect(Math.max(...stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it("fits 80 columns too: its sentences wrap, and the estimates' basis goes before a line overflows", () => {
    const r = spawnSync(process.execPath, [CLI, "fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "40"], { encoding: "utf8", env: { ...process.env, COLUMNS: "80" } });
    expect(r.status).toBe(0);
    expect(Math.max(...r.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(80); // 87 before
    expect(r.stdout).toMatch(/models\.weak\.fix\.hard\s+0\.1\d+\s+0\.1\d+ \.\. 0\.\d+/);
  });

  it("fits 40 columns: a table too wide for them is a list (the parameters were 59 wide, the bug counts 51)", () => {
    const r = spawnSync(process.execPath, [CLI, "fit", trace, "--prices", "scenarios/default.yaml", "--bootstrap", "40"], { encoding: "utf8", env: { ...process.env, COLUMNS: "40" } });
    expect(r.status).toBe(0);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(r.stdout).toMatch(/^models\.weak\.fix\.hard\n {2}estimate 0\.1\d+;\n {2}95% interval 0\.1\d+ \.\. 0\.\d+;\n {2}from [\d,]+ attempts$/m);
    expect(r.stdout).toMatch(/^weak\n {2}runs 400; mean 8; variance 0; D 0;\n {2}Poisson test constant count$/m);
  });

  it("--out is written through a temporary file of its own: an input named <out>.partial is kept (it was replaced)", () => {
    const own = scratchFolder("fit-out");
    const prices = join(own, "fitted.yaml.partial");
    copyFileSync("scenarios/default.yaml", prices);
    const { code } = agentsim("fit", trace, "--prices", prices, "--bootstrap", "0", "--out", join(own, "fitted.yaml"));
    expect(code).toBe(0);
    expect(readFileSync(prices, "utf8")).toBe(readFileSync("scenarios/default.yaml", "utf8"));
    expect(parse(readFileSync(join(own, "fitted.yaml"), "utf8")).models.weak.fix.hard).toBeGreaterThan(0);
  });

  it("without --prices: estimates, and the decision says what is missing", () => {
    const { code, stdout } = agentsim("fit", trace, "--bootstrap", "0");
    expect(code).toBe(0);
    expect(stdout).toMatch(/Decision: needs prices \(--prices <scenario>\)/);
    expect(stdout).toMatch(/No intervals \(--bootstrap 0\)/);
    // that line was 63 columns wide, unwrapped, at COLUMNS=60
    const narrow = spawnSync(process.execPath, [CLI, "fit", trace, "--bootstrap", "0"], { encoding: "utf8", env: { ...process.env, COLUMNS: "60" } });
    expect(narrow.stdout).toMatch(/^Decision: needs prices \(--prices <scenario>\): a trace has\nnone\.$/m);
  });
});

describe("agentsim fit: user mistakes are one line with exit code 2", () => {
  const bad = join(dir, "bad.jsonl");
  const cases: [string, () => string[], RegExp][] = [
    ["--out without --prices", () => ["fit", trace, "--out", join(dir, "never.yaml")], /--out needs --prices <scenario>/],
    ["a missing trace file", () => ["fit", join(dir, "none.jsonl")], /none\.jsonl: cannot read: no such file or folder/],
    [
      "a bad line",
      () => {
        writeFileSync(bad, readFileSync(trace, "utf8").split("\n").slice(0, 3).join("\n") + '\n{"run": 0,\n');
        return ["fit", bad];
      },
      /bad\.jsonl:4: not valid JSON/,
    ],
    [
      "prices that lack a model of the traces",
      () => {
        const prices = join(dir, "strong-only.yaml");
        writeFileSync(prices, readFileSync("scenarios/default.yaml", "utf8").replace(/\n  weak:\n(    .*\n)+/, "\n").replace(/\nstrategies:(\n  .*)+/, ""));
        return ["fit", trace, "--prices", prices];
      },
      /strong-only\.yaml: models\.weak: missing: the traces use model weak, so the prices scenario must define it/,
    ],
    ["a bad --bootstrap", () => ["fit", trace, "--bootstrap", "-1"], /--bootstrap must be a whole number from 0 to 100,000, got -1/],
    ["too few replicates for a 95% interval", () => ["fit", trace, "--bootstrap", "1"], /--bootstrap must be 0 \(no intervals\) or from 40 to 100,000, got 1: fewer replicates cannot place/],
    [
      "tokens beyond any context window (1e300 once printed Infinity and NaN with exit code 0)",
      () => {
        const lines = readFileSync(trace, "utf8").split("\n").slice(0, 3);
        lines[1] = lines[1]!.replace(/"output":\d+/, '"output":1e300');
        writeFileSync(bad, lines.join("\n") + "\n");
        return ["fit", bad];
      },
      /bad\.jsonl:2: output: must be a number of tokens from 0 to 1,000,000,000, got 1e\+300\n/,
    ],
    [
      "a trace that is a link to itself",
      () => {
        symlinkSync("self.jsonl", join(dir, "self.jsonl"));
        return ["fit", join(dir, "self.jsonl")];
      },
      /self\.jsonl: cannot read: a loop of symbolic links\n/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const { code, stderr, stdout } = agentsim(...args());
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/^agentsim: /);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stdout).toBe("");
    });
  }

  it("a folder's links back up and looping links are followed once or passed over (they once crashed on ELOOP)", () => {
    const root = scratchFolder("links");
    mkdirSync(join(root, "logs"));
    copyFileSync(trace, join(root, "logs", "a.jsonl"));
    symlinkSync("..", join(root, "logs", "up")); // a loop of folders
    symlinkSync("loop.jsonl", join(root, "logs", "loop.jsonl")); // a link to itself
    symlinkSync("gone.jsonl", join(root, "logs", "dangling.jsonl"));
    writeFileSync(join(root, "b.jsonl"), ""); // reached through logs/up
    expect(expandLogPaths([join(root, "logs")])).toEqual([join(root, "logs", "a.jsonl"), join(root, "logs", "up", "b.jsonl")]);
  });

  it("a file reached twice (named again, through a link, or in a folder also given) is read once: its runs counted twice made every interval too narrow (a review)", () => {
    const root = scratchFolder("twice");
    copyFileSync(trace, join(root, "a.jsonl"));
    symlinkSync("a.jsonl", join(root, "b.jsonl"));
    const a = join(root, "a.jsonl");
    expect(expandLogPaths([root])).toEqual([a]);
    expect(expandLogPaths([a, join(root, ".", "a.jsonl"), root])).toEqual([a]);
  });

  it("a copy of a trace (or the same seed traced again) is one line naming both files: its runs counted twice (an audit)", () => {
    const root = scratchFolder("copy");
    copyFileSync(trace, join(root, "a.jsonl"));
    // the same records, written otherwise: CRLF line ends, blank lines, and in reverse order
    writeFileSync(join(root, "b.jsonl"), readFileSync(trace, "utf8").trimEnd().split("\n").reverse().join("\r\n\n"));
    const { code, stdout, stderr } = agentsim("fit", root, "--bootstrap", "0");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^agentsim: \S*b\.jsonl: the same [\d,]+ records as \S*a\.jsonl: a copy, or a trace of the same seed, whose runs would count twice; give each trace once\n$/);
  });

  it("a trace repeating another's runs (the same seed with more --trace-runs, a part cut with head) is one line; another seed's is not (an audit: its runs counted twice)", () => {
    const root = scratchFolder("overlap");
    const traced = (name: string, ...flags: string[]) => {
      const r = agentsim("run", "scenarios/default.yaml", "--trials", "2000", "--threads", "1", "--trace", join(root, name), ...flags);
      expect(r.code).toBe(0);
      return join(root, name);
    };
    const [a, b, c] = [traced("a.jsonl", "--trace-runs", "100"), traced("b.jsonl", "--trace-runs", "200"), traced("c.jsonl", "--trace-runs", "200", "--seed", "2")];
    expect(agentsim("fit", a, b, "--bootstrap", "0")).toMatchObject({ code: 2, stdout: "", stderr: expect.stringMatching(/b\.jsonl: 100 of its 200 runs of strong-first\/shared are runs of \S*a\.jsonl/) });
    const part = join(root, "part.jsonl");
    writeFileSync(part, readFileSync(b, "utf8").split("\n").slice(0, 1500).join("\n")); // cut inside a run
    expect(agentsim("fit", c, part, "--bootstrap", "0").code).toBe(0);
    expect(agentsim("fit", b, part, "--bootstrap", "0")).toMatchObject({ code: 2, stderr: expect.stringMatching(/part\.jsonl: \d+ of its \d+ runs of strong-first\/shared are runs of \S*b\.jsonl/) });
    expect(agentsim("fit", a, c, "--bootstrap", "0").code).toBe(0);
    // independent seeds of a near-certain run (one bug, fixed at once 99 times in 100) share most
    // runs, but not the rare ones (a review: 2 of 12 pairs of seeds refused as "the same seed")
    const near = scenarioFile(
      root,
      "near.yaml",
      `name: near
seed: 1
trials: 2000
models:
  strong: { price: { input: 5, output: 25 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.99, hard: 0.6 } }
  weak: { price: { input: 1, output: 5 }, bugs: { count: 1, hardFraction: 0 }, fix: { easy: 0.99, hard: 0.15 } }
tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }
contexts: [shared]
strategies:
  a: { generator: strong, fixer: weak }
`,
    );
    const nearTrace = (seed: string) => {
      const file = join(root, `near${seed}.jsonl`);
      expect(agentsim("run", near, "--trials", "2000", "--seed", seed, "--trace", file, "--trace-runs", "100").code).toBe(0);
      return file;
    };
    for (const [s1, s2] of [["11", "12"], ["23", "24"]]) expect(agentsim("fit", nearTrace(s1), nearTrace(s2), "--bootstrap", "0").code).toBe(0);
  });

  it("a trace of a token law whose draws fall below a scenario's smallest is read back; a fitted value no scenario takes names the traces (an audit: the prices file)", () => {
    const root = scratchFolder("tiny");
    const tiny = scenarioFile(root, "tiny.yaml", readFileSync("bench/scenario.yaml", "utf8").replace("fixOutput: 800", "fixOutput: { dist: lognormal, mean: 0.00001, cv: 3 }"));
    const traced = join(root, "tiny.jsonl");
    expect(agentsim("run", tiny, "--trials", "2000", "--trace", traced, "--trace-runs", "50").code).toBe(0);
    expect(readFileSync(traced, "utf8")).toMatch(/"output":\d(\.\d+)?e-\d+/); // draws below 1e-6 were written
    expect(agentsim("fit", traced, "--bootstrap", "0").code).toBe(0);
    // every generation request of 5e-324 tokens: a fitted prompt below the smallest a scenario takes
    const lines = readFileSync(trace, "utf8").trimEnd().split("\n").map((line) => (line.includes('"role":"generate"') ? line.replace(/"input":\d+/, '"input":5e-324') : line));
    writeFileSync(join(root, "zero.jsonl"), lines.join("\n") + "\n");
    const r = agentsim("fit", join(root, "zero.jsonl"), "--bootstrap", "0", "--prices", "scenarios/default.yaml");
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toMatch(/^agentsim: the scenario fitted from the traces with scenarios\/default\.yaml's prices: tokens\.prompt: must be 0 or a number in \[0\.000001, 10000000\] \(tokens\), got 5e-324\n$/);
  });

  it("a value nested 10,000 deep, or a line nested 20 million deep, is one line at once (an audit: a stack trace, and V8 out of memory at 100 million)", () => {
    const root = scratchFolder("deep");
    const line = readFileSync(trace, "utf8").split("\n")[0]!;
    writeFileSync(join(root, "field.jsonl"), line.replace(/"input":\d+/, `"input":${"[".repeat(10_000)}${"]".repeat(10_000)}`) + "\n");
    writeFileSync(join(root, "line.jsonl"), `${"[".repeat(20_000_000)}${"]".repeat(20_000_000)}\n`);
    for (const [file, problem] of [
      ["field.jsonl", /field\.jsonl:1: nested more than 1,000 levels deep: not a log record\n$/],
      ["line.jsonl", /line\.jsonl:1: nested more than 1,000 levels deep: not a log record\n$/],
    ] as const) {
      const { code, stdout, stderr } = agentsim("fit", join(root, file), "--bootstrap", "0");
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toMatch(problem);
    }
    // nesting below the bound is no log record either, and is shown cut, not whole
    writeFileSync(join(root, "long.jsonl"), line.replace(/"strategy":"[^"]*"/, `"strategy":"${"a".repeat(1_000_000)}"`) + "\n");
    const { code, stderr } = agentsim("fit", join(root, "long.jsonl"), "--bootstrap", "0");
    expect(code).toBe(2);
    expect(stderr).toMatch(/long\.jsonl:1: strategy: .*"aaaa.*…aaa.*" \(1,000,000 characters\)\n$/);
    expect(stderr.length).toBeLessThan(400);
  });

  it("files are read in order of their paths, whatever the order given: the bootstrap's intervals do not depend on it (a review)", () => {
    const root = scratchFolder("order");
    const lines = readFileSync(trace, "utf8").split("\n");
    const half = lines.findIndex((l) => l.includes('"weak-first"'));
    writeFileSync(join(root, "b.jsonl"), lines.slice(0, half).join("\n") + "\n");
    writeFileSync(join(root, "a.jsonl"), lines.slice(half).join("\n"));
    const [a, b] = [join(root, "a.jsonl"), join(root, "b.jsonl")];
    expect(expandLogPaths([b, a])).toEqual([a, b]);
    // by full path, however each is written (a review: ./b.jsonl sorted before a.jsonl)
    const cwd = process.cwd();
    try {
      process.chdir(root);
      expect(expandLogPaths(["./b.jsonl", "a.jsonl"])).toEqual(["a.jsonl", "./b.jsonl"]);
    } finally {
      process.chdir(cwd);
    }
    const fit = (...files: string[]) => JSON.parse(agentsim("fit", ...files, "--bootstrap", "50", "--json").stdout).parameters;
    expect(fit(b, a)).toEqual(fit(a, b));
  });

  it("a pipe named *.jsonl inside a folder is passed over (with no writer it blocked the fit for good); one given itself is read", () => {
    const root = scratchFolder("fifo");
    copyFileSync(trace, join(root, "a.jsonl"));
    expect(spawnSync("mkfifo", [join(root, "z.jsonl")]).status).toBe(0);
    expect(expandLogPaths([root])).toEqual([join(root, "a.jsonl")]);
    const r = spawnSync(process.execPath, [CLI, "fit", root, "--bootstrap", "0", "--json"], { encoding: "utf8", timeout: 20_000 });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(expandLogPaths([join(root, "z.jsonl")])).toEqual([join(root, "z.jsonl")]);
  });

  it("no partial scenario is left behind", () => {
    expect(existsSync(join(dir, "never.yaml"))).toBe(false);
    expect(existsSync(join(dir, "never.yaml.partial"))).toBe(false);
  });
});

describe("agentsim fit --format claude-code on the hand-made fixture", () => {
  // Three conversations: session A (4 requests, the first logged on two lines), session B's main
  // chain (5 requests, a /compact between the 3rd and 4th) and its subagent sidechain (2 requests).
  it("logs whose requests are larger than a scenario's may be are one line, and no fragment is written (a review: written, and no scenario took it)", () => {
    const dir = scratchFolder("cc-huge");
    const log = readFileSync(join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl"), "utf8");
    writeFileSync(join(dir, "huge.jsonl"), log.replaceAll('"input_tokens": 4,', '"input_tokens": 600000000,'));
    const out = join(dir, "fragment.yaml");
    const r = agentsim("fit", "--format", "claude-code", join(dir, "huge.jsonl"), "--bootstrap", "0", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, "agentsim: tokens.prompt: the logs give 600,015,000 tokens, more than the 10,000,000 a scenario's request may hold: these are no coding agent's requests\n"]);
    expect(existsSync(out)).toBe(false);
  });

  it("a model id longer than the width is shortened in its middle in the table, whole in --json", () => {
    // a log's model id is whatever the log says: a 307-character one made a 331-column table
    const long = "claude-" + "x".repeat(300);
    const dir = scratchFolder("cc-long");
    const log = readFileSync(join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl"), "utf8");
    writeFileSync(join(dir, "long.jsonl"), log.replaceAll("claude-sonnet-4-5-20250929", long));
    const r = spawnSync(process.execPath, [CLI, "fit", "--format", "claude-code", join(dir, "long.jsonl"), "--bootstrap", "0"], { encoding: "utf8", env: { ...process.env, COLUMNS: "80" } });
    expect(r.status).toBe(0);
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/^claude-x{18}…x{24} +\d+ /m); // 50 of room: 25 characters, the ellipsis, 24
    expect(r.stdout.replace(/\n/g, " ")).toMatch(/is shortened in its middle; --json has it whole/);
    const json = JSON.parse(spawnSync(process.execPath, [CLI, "fit", "--format", "claude-code", join(dir, "long.jsonl"), "--bootstrap", "0", "--json"], { encoding: "utf8" }).stdout);
    expect(json.models.map((m: { model: string }) => m.model)).toContain(long);
  });

  it("tokens per request, input growth and cache shares, by hand", () => {
    const { code, stdout } = agentsim("fit", "--format", "claude-code", FIXTURE, "--bootstrap", "0", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect([out.files, out.requests, out.conversations, out.restarts]).toEqual([2, 11, 3, 1]);
    const value = (key: string) => [...out.parameters, ...out.observed].find((e: { key: string }) => e.key === key).value;
    expect(value("tokens.prompt")).toBeCloseTo((15004 + 12000 + 3000) / 3, 9);
    expect(value("tokens.generation")).toBeCloseTo((412 + 800 + 100) / 3, 9); // A1 counts once, with 412 output tokens
    expect(value("tokens.fixOutput")).toBe((650 + 300 + 500 + 400 + 350 + 200 + 250 + 150) / 8);
    // A: 18400-16800-650, 20000-18400-300; B: 14500-13500-400, then /compact, 5500-5000-200
    expect(value("tokens.errorTrace")).toBe((950 + 1300 + 600 + 300) / 4);
    const writes5m = 15000 + 1790 + 1596 + 1597 + 2997 + 497;
    const writes1h = 11997 + 1497 + 997 + 4997 + 497;
    const reads = 15004 + 16800 + 18400 + 12000 + 13500 + 5000 + 3000;
    const uncached = 4 + 6 + 4 + 3 + 3 * 5 + 3 * 2;
    const input = writes5m + writes1h + reads + uncached;
    expect(value("cacheReadShare")).toBeCloseTo(reads / input, 12);
    expect(value("cacheWriteShare")).toBeCloseTo((writes5m + writes1h) / input, 12);
    expect(value("uncachedShare")).toBeCloseTo(uncached / input, 12);
    expect(value("oneHourWriteShare")).toBeCloseTo(writes1h / (writes5m + writes1h), 12);
    expect(out.fragment.tokens.errorTrace).toEqual({ dist: "empirical", values: [300, 600, 950, 1300] });
    expect(out.fragment.caching.writeMultiplier).toBeCloseTo(1.25 + 0.75 * (writes1h / (writes5m + writes1h)), 12);
    expect(out.models).toEqual([{ model: "claude-sonnet-4-5-20250929", requests: 11, meanOutput: (412 + 650 + 300 + 500 + 800 + 400 + 350 + 200 + 250 + 100 + 150) / 11 }]);
  });

  it("--out without --prices writes the tokens and caching fragment; with --prices a scenario analytic accepts", () => {
    const fragment = join(dir, "cc.yaml");
    expect(agentsim("fit", "--format", "claude-code", FIXTURE, "--bootstrap", "50", "--out", fragment).code).toBe(0);
    expect(Object.keys(parse(readFileSync(fragment, "utf8")))).toEqual(["tokens", "caching"]);
    const whole = join(dir, "cc-whole.yaml");
    const merged = agentsim("fit", "--format", "claude-code", FIXTURE, "--prices", "scenarios/default.yaml", "--out", whole);
    expect(merged.code).toBe(0);
    expect(parse(readFileSync(whole, "utf8")).tokens.fixOutput.dist).toBe("empirical");
    expect(agentsim("analytic", whole).code).toBe(0);
    // default.yaml prices both models by presets, which the measured write multiplier does not reach
    expect(merged.stdout.replace(/\s+/g, " ")).toContain(
      "models.strong and models.weak are priced by presets, which take the price table's cache write price (its 5-minute one here), " +
        "not the measured caching.writeMultiplier 1.595",
    );
  });

  it("prints the token table with intervals and the cache shares", () => {
    const { code, stdout } = agentsim("fit", "--format", "claude-code", FIXTURE, "--bootstrap", "200");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Claude Code logs: 11 requests in 3 conversations \(2 files\)/);
    expect(stdout).toMatch(/tokens\.prompt\s+10,001 tokens\s+3,000 \.\. 15,004/);
    expect(stdout).toMatch(/input read from the cache\s+[\d.]+%/);
    expect(stdout).toMatch(/the input shrank between consecutive requests once/);
    // 3 conversations resampled: the intervals run short, as for traces of fewer than 20 runs (the fit audit)
    expect(stdout.replace(/\n {4}/g, " ")).toContain("3 conversations; a bootstrap over fewer than 20 understates the uncertainty, so the intervals are too narrow");
    expect(JSON.parse(agentsim("fit", "--format", "claude-code", FIXTURE, "--bootstrap", "0", "--json").stdout).notes.join()).not.toMatch(/understates/);
  });

  it("with a bootstrap, the write multiplier's interval and standard error are the 1-hour share's mapped through 1.25 + 0.75 h", () => {
    // README: writes cost 1.25x for 5 minutes and 2x for 1 hour, weighted by the logged split, so
    // the multiplier is 1.25 + 0.75 h for a 1-hour share h: increasing, so a 95% interval [lo, hi]
    // of h maps to [1.25 + 0.75 lo, 1.25 + 0.75 hi], and a standard error scales by 0.75.
    const { code, stdout } = agentsim("fit", "--format", "claude-code", FIXTURE, "--bootstrap", "200", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const entry = (key: string) => [...out.parameters, ...out.observed].find((e: { key: string }) => e.key === key);
    const [share, multiplier] = [entry("oneHourWriteShare"), entry("caching.writeMultiplier")];
    expect(share.ciLow).toBeLessThan(share.ciHigh); // 3 conversations, one of them all 1-hour writes: the share varies
    expect(share.stdError).toBeGreaterThan(0);
    expect(multiplier.value).toBeCloseTo(1.25 + 0.75 * share.value, 12);
    expect(multiplier.ciLow).toBeCloseTo(1.25 + 0.75 * share.ciLow, 12);
    expect(multiplier.ciHigh).toBeCloseTo(1.25 + 0.75 * share.ciHigh, 12);
    expect(multiplier.stdError).toBeCloseTo(0.75 * share.stdError, 12);
    expect(multiplier.ciLow).toBeLessThanOrEqual(multiplier.value);
    expect(multiplier.value).toBeLessThanOrEqual(multiplier.ciHigh);
  });

  it("logs from before writes were split by lifetime (no usage.cache_creation): every write counts as a cache write, by hand", () => {
    // the fixture with each request's cache_creation object removed: cache_creation_input_tokens
    // stays, with no 5-minute/1-hour split (older Claude Code logs)
    const logs = scratchFolder("cc-unsplit");
    for (const name of ["4f35e220-c435-4cf7-b9b9-f40426042847.jsonl", "9c1d2e33-7a41-4b0e-8f7e-2b8d1f0c5a66.jsonl"]) {
      const text = readFileSync(join(FIXTURE, "-home-dev-shop", name), "utf8");
      const old = text.replace(/, "cache_creation": \{[^}]*\}/g, "");
      expect(old).not.toContain("ephemeral");
      writeFileSync(join(logs, name), old);
    }
    const { code, stdout } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const value = (key: string) => [...out.parameters, ...out.observed].find((e: { key: string }) => e.key === key).value;
    // cache_creation_input_tokens of the 11 requests (A1..A4, B1..B5, S1, S2; A1 once)
    const writes = 15000 + 1790 + 1596 + 1597 + 11997 + 1497 + 997 + 4997 + 497 + 2997 + 497;
    const reads = 15004 + 16800 + 18400 + 12000 + 13500 + 5000 + 3000;
    const uncached = 4 + 6 + 4 + 3 + 3 * 5 + 3 * 2;
    const input = writes + reads + uncached;
    expect(value("cacheWriteShare")).toBeCloseTo(writes / input, 12);
    expect(value("cacheReadShare")).toBeCloseTo(reads / input, 12);
    expect(value("uncachedShare")).toBeCloseTo(uncached / input, 12);
    expect(value("cacheReadShare") + value("cacheWriteShare") + value("uncachedShare")).toBeCloseTo(1, 12);
    expect(value("oneHourWriteShare")).toBeNull();
    expect(out.fragment.caching.writeMultiplier).toBe(1.25);
    expect(out.notes).toContain("no cache writes split by lifetime: caching.writeMultiplier assumes 5-minute writes");
  });

  it("usage beyond any context window is one line, exit code 2 (1e308 once printed ∞ and wrote prompt: .inf)", () => {
    const logs = scratchFolder("cc");
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    writeFileSync(join(logs, "big.jsonl"), readFileSync(source, "utf8").replace(/"input_tokens":\s*\d+/, '"input_tokens": 1e308'));
    const { code, stdout, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0", "--out", join(logs, "never.yaml"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^agentsim: .*big\.jsonl:\d+: message\.usage\.input_tokens: must be a whole number of tokens from 0 to 1,000,000,000, got 1e\+308\n$/);
    expect(stdout).toBe("");
    expect(existsSync(join(logs, "never.yaml"))).toBe(false);
  });

  it("usage counts whole tokens: a fraction is one line, exit code 2 (1e-300 tokens wrote a fragment no scenario takes)", () => {
    const logs = scratchFolder("cc");
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    writeFileSync(join(logs, "tiny.jsonl"), readFileSync(source, "utf8").replace(/"output_tokens":\s*\d+/, '"output_tokens": 1e-300'));
    const { code, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0", "--out", join(logs, "never.yaml"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^agentsim: .*tiny\.jsonl:\d+: message\.usage\.output_tokens: must be a whole number of tokens from 0 to 1,000,000,000, got 1e-300\n$/);
    expect(existsSync(join(logs, "never.yaml"))).toBe(false);
  });

  it("a folder of logs without a request names two of its files and counts the rest (10,000 names made a 199 KB line)", () => {
    const logs = scratchFolder("cc");
    for (let i = 0; i < 50; i++) writeFileSync(join(logs, `f${String(i).padStart(2, "0")}.jsonl`), '{"type":"user"}\n');
    const { code, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^agentsim: \S*f00\.jsonl, \S*f01\.jsonl and 48 other files: no assistant requests with message\.usage \(is this a Claude Code log\?\)\n$/);
  });

  it("a conversation's requests out of time order are one line, exit code 2 (a reversed log once gave prompt 20,000, not 15,004)", () => {
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    // every line a second after the one before it, as Claude Code appends them
    const lines = readFileSync(source, "utf8").trimEnd().split("\n").map((l, i) => l.replace(/"timestamp":\s*"[^"]*"/, `"timestamp": "2026-10-02T09:00:${String(10 + i)}.000Z"`));
    const logs = scratchFolder("cc");
    writeFileSync(join(logs, "ordered.jsonl"), lines.join("\n") + "\n");
    expect(agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0").code).toBe(0); // a request's later lines (req_A1) are not "earlier"
    const reversed = scratchFolder("cc");
    writeFileSync(join(reversed, "reversed.jsonl"), [...lines].reverse().join("\n") + "\n");
    const { code, stdout, stderr } = agentsim("fit", "--format", "claude-code", reversed, "--bootstrap", "0");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^agentsim: .*reversed\.jsonl:\d+: timestamp 2026-10-02T09:00:\d+\.000Z is before line \d+'s \(2026-10-02T09:00:\d+\.000Z\) in the same conversation: the log's requests are out of order/);
    expect(stderr.trimEnd()).not.toContain("\n");
    expect(stdout).toBe("");
  });

  it("a model id that is a number beyond a double is named as such, not 'got null'", () => {
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    const logs = scratchFolder("cc");
    writeFileSync(join(logs, "num.jsonl"), readFileSync(source, "utf8").replace(/"model":\s*"claude-sonnet-4-5-20250929"/, '"model": 1e400'));
    const { code, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0");
    expect(code).toBe(2);
    expect(stderr).toMatch(/num\.jsonl:\d+: message\.model: must be a string, got a number too large to represent \(such as 1e400\)\n$/);
  });

  it("a model id of more than 1,000 characters is one line, shown cut (an audit: 200,000 characters took 50 s to shorten for the table)", () => {
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    const logs = scratchFolder("cc");
    writeFileSync(join(logs, "long.jsonl"), readFileSync(source, "utf8").replace(/"model":\s*"claude-sonnet-4-5-20250929"/, `"model": "${"a".repeat(200_000)}"`));
    const { code, stdout, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0");
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toMatch(/long\.jsonl:\d+: message\.model: must be a model id of at most 1,000 characters, got "a{39}…a{39}" \(200,000 characters\)\n$/);
  });

  it("a model id that would not print as itself (ESC, a right-to-left override, a lone surrogate) is one line, exit code 2", () => {
    const source = join(FIXTURE, "-home-dev-shop", "4f35e220-c435-4cf7-b9b9-f40426042847.jsonl");
    // half a surrogate pair printed as U+FFFD in the table of models (a review)
    for (const [id, shown] of [["\\u001b[2Jclaude", "\\u001b[2Jclaude"], ["claude\\u202e", "claude\\u202e"], ["claude-sonnet\\ud800-4-5", "claude-sonnet\\ud800-4-5"]]) {
      const logs = scratchFolder("cc");
      writeFileSync(join(logs, "odd.jsonl"), readFileSync(source, "utf8").replace(/"model":\s*"claude-sonnet-4-5-20250929"/, `"model": "${id}"`));
      const { code, stdout, stderr } = agentsim("fit", "--format", "claude-code", logs, "--bootstrap", "0");
      expect(code).toBe(2);
      expect(stderr).toContain(`odd.jsonl:`);
      expect(stderr).toContain(`message.model: must be a model id without control or formatting characters or half a surrogate pair, got "${shown}"`);
      expect(stderr).not.toMatch(/[\u001b\u202e]/);
      expect(stdout).toBe("");
    }
  });

  it("fits 40 columns, its tables too", () => {
    const r = spawnSync(process.execPath, [CLI, "fit", "--format", "claude-code", FIXTURE, "--bootstrap", "50"], { encoding: "utf8", env: { ...process.env, COLUMNS: "40" } });
    expect(r.status).toBe(0);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(r.stdout).toMatch(/^tokens\.prompt\n {2}estimate [\d,]+ tokens;/m);
    // as a list the model id has a line (it was cut to 20 columns, with a note that it was too long)
    expect(r.stdout).toMatch(/^claude-sonnet-4-5-20250929\n {2}requests 11; mean output [\d.]+ tokens$/m);
    expect(r.stdout).not.toMatch(/shortened in its middle/);
  });

  it("wraps its sentences and notes to the width COLUMNS gives a pipe", () => {
    const r = spawnSync(process.execPath, [CLI, "fit", "--format", "claude-code", FIXTURE, "--bootstrap", "50"], { encoding: "utf8", env: { ...process.env, COLUMNS: "50" } });
    expect(r.status).toBe(0);
    const prose = r.stdout.split("\n\n").filter((block) => !/ {2}\S/.test(block.split("\n")[0]!)); // tables have a gap in their head
    expect(prose.join("\n")).toMatch(/^Claude Code logs/);
    expect(prose.join("\n")).toMatch(/Notes:\n {2}- the input shrank/);
    for (const line of prose.join("\n").split("\n")) expect(line.length, line).toBeLessThanOrEqual(50);
  });
});
