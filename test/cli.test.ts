/**
 * The command line as a user meets it: the bundled CLI (dist/agentsim.mjs, bundled from src/ by the
 * tests' global setup) run as a child process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(__dirname, "..", "dist", "agentsim.mjs"); // the bin, bundled from src/ by test/setup/bundle.ts

function agentsim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenarioFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "agentsim-cli-")), "s.yaml");
  writeFileSync(file, text);
  return file;
}

describe("agentsim run", () => {
  it("gives the same JSON outside timing on 1 and 2 threads", () => {
    const one = JSON.parse(agentsim("run", "--json", "--trials", "15000", "--threads", "1").stdout);
    const two = JSON.parse(agentsim("run", "--json", "--trials", "15000", "--threads", "2").stdout);
    expect(one.timing.threads).toBe(1);
    expect(two.timing.threads).toBe(2);
    delete one.timing;
    delete two.timing;
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it("--json carries the contract's fields", () => {
    const out = JSON.parse(agentsim("run", "--json", "--trials", "2000", "--seed", "7").stdout);
    expect(out).toMatchObject({ scenario: "default", seed: "7", trials: 2000 });
    expect(out.results).toHaveLength(8);
    for (const key of ["strategy", "generator", "fixer", "context", "analyticMean", "mean", "stdError", "p50", "p90", "p99", "z", "verdict"]) {
      expect(out.results[0]).toHaveProperty(key);
    }
    expect(out.timing).toHaveProperty("seconds");
  });

  it("prints an aligned table with the verdicts and the cheapest strategy", () => {
    const { code, stdout } = agentsim("run", "--trials", "3000", "--threads", "1");
    expect(code).toBe(0);
    expect(stdout).toMatch(/strategy\s+context\s+closed form\s+sim mean/);
    expect(stdout).toMatch(/Cheapest strategy per context/);
    expect(stdout).not.toMatch(/inconsistent/);
  });
});

describe("agentsim analytic and crossover", () => {
  it("analytic --json lists every strategy and context", () => {
    const out = JSON.parse(agentsim("analytic", "--json").stdout);
    expect(out.scenario).toBe("default");
    expect(out.results.map((r: { context: string }) => r.context)).toEqual(Array(4).fill(["shared", "fresh"]).flat());
    expect(out.results.every((r: { analyticMean: number }) => r.analyticMean > 0)).toBe(true);
  });

  it("crossover --json names the parameter, the strategies and the roots", () => {
    const out = JSON.parse(agentsim("crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--json").stdout);
    expect(out.param).toBe("models.weak.bugs.count");
    expect(out.between).toEqual(["strong-first", "weak-first"]);
    expect(out.crossovers.map((c: { context: string }) => c.context).sort()).toEqual(["fresh", "shared"]);
  });
});

describe("user mistakes are one line on stderr with exit code 2", () => {
  const cases: [string, string[], RegExp][] = [
    ["a missing scenario file", ["analytic", "no/such.yaml"], /no\/such\.yaml: cannot read scenario: no such file/],
    ["a bad key", ["run", scenarioFile("name: x\nseed: 1\ntrials: 0\n")], /s\.yaml: trials: must be a whole number >= 1/],
    ["broken YAML", ["analytic", scenarioFile("name: x\nmodels: {a: [1,\n")], /s\.yaml: line \d+, column \d+: invalid YAML/],
    ["a bad --trials", ["run", "--trials", "0"], /--trials must be a whole number from 1 to 100000000, got 0/],
    ["an unknown strategy in --between", ["crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--between", "a,b"], /--between: unknown strategy "a"/],
    ["a crossover key that is not there", ["crossover", "scenarios/default.yaml", "--param", "models.weak.speed", "--from", "0", "--to", "1"], /no numeric key at that path/],
    ["an unknown option", ["run", "--trails", "5"], /Unknown argument: trails/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const { code, stderr, stdout } = agentsim(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^agentsim: /);
      expect(stdout).toBe("");
    });
  }
});
