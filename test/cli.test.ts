/**
 * The command line as a user meets it: the bundled CLI (dist/agentsim.mjs, bundled from src/ by the
 * tests' global setup) run as a child process, and main() in-process where a child is not needed.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { scratchFolder } from "./scratch.js";
import yargs from "yargs";
import { main, skipHelpCache } from "../src/cli/main.js";
import { checkRunsFit } from "../src/cli/args.js";
import { environmentProblem } from "../src/errors.js";
import { onInterrupt } from "../src/cli/io.js";
import { guardTerminal, RESTORE_TERMINAL } from "../src/cli/progress.js";
import { loadScenario } from "../src/scenario/load.js";
import { jobsOf } from "../src/sim/simulate.js";

const CLI = join(__dirname, "..", "dist", "agentsim.mjs"); // the bin, bundled from src/ by test/setup/bundle.ts

function agentsim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A price by hand whose long-context tier, above `above` tokens, costs twice as much. */
function tieredPrice(input: number, output: number, above: number): string {
  return `{ input: ${input}, output: ${output}, longContext: { above: ${above}, input: ${2 * input}, output: ${2 * output} } }`;
}

function scenarioFile(text: string): string {
  const file = join(scratchFolder("cli"), "s.yaml");
  writeFileSync(file, text);
  return file;
}

describe("agentsim run", () => {
  it("gives the same JSON outside timing on 1 and 2 threads", () => {
    // enough runs for the workers (a smaller job runs on the main thread whatever --threads is)
    const one = JSON.parse(agentsim("run", "--json", "--trials", "200001", "--threads", "1").stdout);
    const two = JSON.parse(agentsim("run", "--json", "--trials", "200001", "--threads", "2").stdout);
    expect(one.timing.threads).toBe(1);
    expect(two.timing.threads).toBe(2);
    delete one.timing;
    delete two.timing;
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    // the threads that simulated: a small job says 1 (the worst-case audit: "2 threads" on one)
    expect(JSON.parse(agentsim("run", "--json", "--trials", "15000", "--threads", "2").stdout).timing.threads).toBe(1);
  });

  it("--seed is text, checked as a file's text seed: edge spaces, an escape and a decomposed accent are refused", () => {
    // " 7" printed "seed 7" with other numbers than 7; an ESC went raw to the terminal
    const json = (seed: string) => JSON.parse(agentsim("run", "--json", "--trials", "2000", "--seed", seed).stdout);
    const strip = (o: { timing?: unknown; seed?: unknown }) => ({ ...o, timing: null, seed: null });
    // text as it is: 07 is not 7, -1 and [1 are seeds like any other text (as quoted in a file)
    expect(strip(json("07"))).not.toEqual(strip(json("7")));
    for (const seed of ["-1", "[1", "0x10"]) expect(json(seed).seed).toBe(seed);
    for (const [seed, why] of [
      [" 7", /--seed must not begin or end with white space \(it begins with U\+0020\), got " 7" \(see agentsim run --help\)\n$/],
      ["a\u001bb", /--seed must not contain control or formatting characters \(it holds U\+001B\)/],
      ["cafe\u0301", /--seed must be in Unicode's composed form/],
    ] as const) {
      const r = agentsim("run", "--trials", "2000", "--seed", seed);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toMatch(why);
    }
  });

  it("counts as checks only the results with a closed form to check against", () => {
    // ext-variable-delta: 8 results, the 4 in shared context without a closed form (growth), and
    // 2 of the 4 fresh ones of infinite variance (growth on a rate of 0.2); at 500 runs the other
    // two are too few to judge. It said "2 of 8 checks".
    const r = agentsim("run", "scenarios/ext-variable-delta.yaml", "--trials", "500");
    expect(r.stdout.replace(/\n/g, " ")).toMatch(/ 2 of 2 checks not judged: too few runs/);
    // nor one whose cost has infinite variance: beta-difficulty's two such results, and at 300 runs
    // its two others too few to judge (it said "2 of 4", as if two were judged)
    const heavy = agentsim("run", "scenarios/beta-difficulty.yaml", "--trials", "300");
    expect(heavy.stdout.replace(/\n/g, " ")).toMatch(/ 2 of 2 checks not judged: too few runs/);
  });

  it("--json carries the contract's fields", () => {
    const out = JSON.parse(agentsim("run", "--json", "--trials", "2000", "--seed", "7").stdout);
    // the seed as one value however it is given: --seed 7 as the file's seed: 7 (it was "7" here, 7 there: the consistency audit)
    expect(out).toMatchObject({ scenario: "default", seed: 7, trials: 2000 });
    expect(JSON.parse(agentsim("run", "--json", "--trials", "2000").stdout).seed).toBe(1);
    expect(out.results).toHaveLength(8);
    for (const key of ["strategy", "generator", "fixer", "context", "analyticMean", "mean", "stdError", "p50", "p90", "p99", "z", "verdict"]) {
      expect(out.results[0]).toHaveProperty(key);
    }
    expect(out.timing).toHaveProperty("seconds");
  });

  it("puts the decision first, in words and numbers, then a table that fits 100 columns", () => {
    const { code, stdout } = agentsim("run", "--trials", "3000", "--threads", "1");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    const first = lines.slice(0, 8).join("\n");
    expect(first).toMatch(/^Cheapest per run in both contexts: strong-first \(strong generates, weak fixes\)\./);
    expect(first).toMatch(/shared: \$0\.\d+ per run; \$0\.\d+ \(\d+\.\d%\) less than [a-z-]+; cheaper than it in \d+\.\d% of\s+single runs/);
    expect(first).toMatch(/fresh: +\$0\.\d+ per run/);
    expect(first).toMatch(/a tie counts as half/);
    expect(stdout).toMatch(/strategy +generator +mean +95% interval +p90 +closed +verdict/);
    expect(stdout).toMatch(/strong-first +strong -> weak +\$0\.\d+ +\$0\.\d+\.\.\$0\.\d+ +\$0\.\d+ +\$0\.\d+ +consistent/);
    expect(stdout).not.toMatch(/inconsistent/);
    expect(stdout).not.toMatch(/P\(row strategy/);
    // stdout is a pipe here, so the width is 100
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it("--wide adds the quantiles, z and the P(cheaper) matrix", () => {
    const { code, stdout } = agentsim("run", "--trials", "3000", "--threads", "1", "--wide");
    expect(code).toBe(0);
    expect(stdout).toMatch(/p50 +p90 +p99/);
    expect(stdout).toMatch(/P\(row strategy is cheaper than column strategy in a run; a tie counts half\)/);
    // the extensions' table leaves out the columns no row has a value in (no time model: no wall seconds)
    expect(stdout).toMatch(/^strategy +context +base formula +bias +attempts +bugs +all fixed +cache hits$/m);
    expect(agentsim("run", "scenarios/ext-cache-ttl.yaml", "--trials", "2000", "--wide").stdout).toMatch(/all fixed +wall mean +wall p90 +cache hits$/m);
  });

  it("--json carries the decision, whose cheapest strategy has the lowest mean", () => {
    const out = JSON.parse(agentsim("run", "--json", "--trials", "3000", "--threads", "1").stdout);
    for (const d of out.decision.contexts) {
      const mine = out.results.filter((r: { context: string }) => r.context === d.context);
      const lowest = Math.min(...mine.map((r: { mean: number }) => r.mean));
      expect(mine.find((r: { strategy: string }) => r.strategy === d.byMean.best.strategy).mean).toBe(lowest);
      expect(d.byMean.best.completion).toBe(1);
      expect(d.byMean.savings).toBeGreaterThan(0);
    }
  });
});

describe("agentsim analytic and crossover", () => {
  it("analytic puts the decision by expected cost first", () => {
    const { code, stdout } = agentsim("analytic");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Cheapest by expected cost in both contexts: strong-first \(strong generates, weak fixes\)\.\n  shared: \$0\.\d+ per run/);
    expect(Math.max(...stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it("analytic --json lists every strategy and context", () => {
    const out = JSON.parse(agentsim("analytic", "--json").stdout);
    expect(out.scenario).toBe("default");
    expect(out.results.map((r: { context: string }) => r.context)).toEqual(Array(4).fill(["shared", "fresh"]).flat());
    expect(out.results.every((r: { analyticMean: number }) => r.analyticMean > 0)).toBe(true);
    for (const d of out.decision.contexts) {
      const lowest = Math.min(...out.results.filter((r: { context: string }) => r.context === d.context).map((r: { analyticMean: number }) => r.analyticMean));
      expect(d.byMean.best.value).toBe(lowest);
    }
  });

  it("crossover --json names the parameter, the strategies and the roots", () => {
    const out = JSON.parse(agentsim("crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--json").stdout);
    expect(out.param).toBe("models.weak.bugs.count");
    expect(out.between).toEqual(["strong-first", "weak-first"]);
    expect(out.crossovers.map((c: { context: string }) => c.context).sort()).toEqual(["fresh", "shared"]);
    expect(out.gaps).toEqual([]);
  });

  it("a one-line error on a closed stderr still exits 2, not 1 for the EPIPE (an audit: scripts with pipefail saw an internal error)", () => {
    // `true` exits long before agentsim writes its line, closing the pipe under it
    const r = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${CLI}" run /nonexistent/x.yaml 2>&1 | true`], { encoding: "utf8" });
    expect(r.status).toBe(2);
  });

  it("a second signal while a command tidies up finds the listener still there (the docs audit: a sweep under timeout, which signals twice, died mid-tidy: no message, its lock left)", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const seen: number[] = [];
    const stopListening = onInterrupt(() => {
      // the default action is back once no listener is left: a second SIGINT here would end the process
      seen.push(process.listenerCount("SIGINT"));
      process.emit("SIGINT", "SIGINT");
    });
    try {
      process.emit("SIGINT", "SIGINT");
      expect(seen).toEqual([1]); // once, and listening throughout
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      stopListening();
      exit.mockRestore();
    }
    expect(process.listenerCount("SIGINT")).toBe(0);
  });

  it("a progress bar gives the terminal its cursor and line wrap back on a signal, and the signal still ends the command (the environment audit: Ctrl-C in run left no cursor)", () => {
    const written: string[] = [];
    const stream = { write: (t: string) => written.push(t), isTTY: true };
    const kill = vi.spyOn(process, "kill").mockImplementation((() => true) as never);
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    try {
      // alone: the terminal back, then the signal's own end
      const release = guardTerminal(stream);
      process.emit("SIGINT", "SIGINT");
      expect(written).toEqual([RESTORE_TERMINAL]);
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
      expect(process.listenerCount("SIGINT")).toBe(0);
      release();
      // beside a command's own handler: the terminal back first, then the handler ends the process
      written.length = 0;
      const stopListening = onInterrupt(() => written.push("tidied"));
      const releaseAgain = guardTerminal(stream);
      process.emit("SIGTERM", "SIGTERM");
      expect(written).toEqual([RESTORE_TERMINAL, "tidied"]);
      expect(exit).toHaveBeenCalledWith(143);
      expect(kill).toHaveBeenCalledTimes(1);
      releaseAgain();
      stopListening();
    } finally {
      kill.mockRestore();
      exit.mockRestore();
    }
    expect(process.listenerCount("SIGTERM")).toBe(0);
  });

  it("SIGHUP tidies up, runs what an exit runs and ends as the signal would, without Node's exit (a review: on a dead terminal it aborted, exit 139)", () => {
    const emit = process.emit.bind(process);
    const exitEvents: unknown[] = [];
    const emitted = vi.spyOn(process, "emit").mockImplementation(((event: string, ...args: unknown[]) => {
      if (event === "exit") return exitEvents.push(args[0]) > 0; // not this test process's own exit
      return emit(event as never, ...(args as never[]));
    }) as never);
    const kill = vi.spyOn(process, "kill").mockImplementation((() => true) as never);
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const exitCode = process.exitCode;
    const tidied: string[] = [];
    onInterrupt((signal) => tidied.push(signal));
    try {
      process.emit("SIGHUP", "SIGHUP");
      expect(tidied).toEqual(["SIGHUP"]);
      expect(exitEvents).toEqual([129]);
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGHUP");
      expect(exit).not.toHaveBeenCalled();
      expect(process.listenerCount("SIGHUP")).toBe(0);
    } finally {
      process.exitCode = exitCode;
      for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.removeAllListeners(s);
      emitted.mockRestore();
      kill.mockRestore();
      exit.mockRestore();
    }
  });

  it("a limit of the machine or process is one line, exit 2: a deleted current folder, too few file descriptors, code generation turned off (the environment audit: stack traces)", () => {
    const gone = scratchFolder("gone");
    const cwd = spawnSync("bash", ["-c", `cd "$1" && rmdir "$1" && exec "${process.execPath}" "${CLI}" --version`, "-", gone], { encoding: "utf8" });
    expect(cwd.stderr).toBe("agentsim: the current folder is gone (ENOENT): cd to a folder that exists\n");
    expect(cwd.status).toBe(2);
    // 32: the command's own modules cannot be opened; 20: the program's (bin.ts's import: the
    // loader's stack trace before); below about 19 Node cannot open the entry point itself
    for (const limit of [32, 20]) {
      const files = spawnSync("bash", ["-c", `ulimit -n ${limit} && exec "${process.execPath}" "${CLI}" run --trials 2000 --threads 1`], { encoding: "utf8" });
      expect(files.stderr).toBe("agentsim: too many open files (ulimit -n): agentsim needs about 64 file descriptors\n");
      expect(files.status).toBe(2);
    }
    const out = join(scratchFolder("evalless"), "r.html");
    const env = { ...process.env, NODE_OPTIONS: "--disallow-code-generation-from-strings" };
    const report = spawnSync(process.execPath, [CLI, "report", "scenarios/default.yaml", "--trials", "2000", "--out", out], { encoding: "utf8", env });
    expect(report.stderr).toMatch(/^agentsim: the report's charts are compiled by vega, which needs code generation from strings: [^\n]*\n$/);
    expect(report.status).toBe(2);
    expect(readdirSync(dirname(out))).toEqual([]);
  });

  it("environmentProblem names each limit, and nothing else (a bug keeps its stack)", () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(environmentProblem(errno("ENFILE"))).toBe("too many open files on the system: agentsim needs about 64 file descriptors");
    expect(environmentProblem(errno("EAGAIN"))).toBe("the system refused a thread (EAGAIN; ulimit -u may set the limit): try --threads 1");
    expect(environmentProblem(Object.assign(new Error("EAGAIN"), { code: "ERR_WORKER_INIT_FAILED" }))).toBe("the system refused a thread (EAGAIN; ulimit -u may set the limit): try --threads 1");
    expect(environmentProblem(new RangeError("Array buffer allocation failed"))).toBe(
      "not enough memory for this job (Array buffer allocation failed; ulimit -v may set the limit): use fewer --trials",
    );
    expect(environmentProblem(new TypeError("x is undefined"))).toBeNull();
    expect(environmentProblem(new RangeError("Invalid array length"))).toBeNull();
    expect(environmentProblem(errno("ENOENT"))).toBeNull();
  });

  it("output that cannot be written (stdout on a full device) is one line, exit 2; a message that cannot be written keeps exit 2 (the environment audit: stack traces, exit 1)", () => {
    const full = openSync("/dev/full", "w");
    try {
      const out = spawnSync(process.execPath, [CLI, "analytic", "--json"], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      expect(out.stderr).toBe("agentsim: cannot write the standard output: no space or no free inode left on the device\n");
      expect(out.status).toBe(2);
      const err = spawnSync(process.execPath, [CLI, "run", "--trials", "x"], { stdio: ["ignore", "pipe", full], encoding: "utf8" });
      expect(err.stdout).toBe("");
      expect(err.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });

  it("crossover without a crossing names the strategy cheaper throughout the range (an audit: 'none' left the answer out)", () => {
    const args = ["crossover", "scenarios/ext-cache-ttl.yaml", "--param", "tokens.fixOutput", "--from", "10", "--to", "10000"];
    const out = JSON.parse(agentsim(...args, "--json").stdout);
    expect(out.crossovers).toEqual([]);
    // the closed forms at both ends of the range, each from analytic on the scenario with the key set there
    for (const tokens of [10, 10000]) {
      const text = readFileSync("scenarios/ext-cache-ttl.yaml", "utf8").replace("fixOutput: 800", `fixOutput: ${tokens}`);
      const results = JSON.parse(agentsim("analytic", scenarioFile(text), "--json").stdout).results as { strategy: string; context: string; analyticMean: number }[];
      for (const context of ["shared", "fresh"]) {
        const [a, b] = out.between.map((name: string) => results.find((r) => r.strategy === name && r.context === context)!.analyticMean);
        expect(out.cheaperThroughout).toContainEqual({ context, strategy: a < b ? out.between[0] : out.between[1] });
      }
    }
    expect(out.cheaperThroughout).toHaveLength(2);
    expect(agentsim(...args).stdout).toMatch(/^shared +none +strong-weak +strong-weak +no crossing$/m);
    // a bug count without a range, at 0 in the file, where the two cost the same: probed beyond it (a review: "-")
    const zero = scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace("count: 3, hardFraction: 0.3333333333", "count: 0, hardFraction: 0.3333333333"));
    const counted = JSON.parse(agentsim("crossover", zero, "--param", "models.strong.bugs.count", "--between", "strong-first,strong-strong", "--context", "fresh", "--json").stdout);
    expect(counted).toMatchObject({ crossovers: [], cheaperThroughout: [{ context: "fresh", strategy: "strong-first" }] });
    // a stretch without closed forms at an end of the range hides its side: none is cheaper
    // throughout (an audit: strong-first was, though the README's sweep has strong-escalate
    // cheaper at 0.04 and 0.06, inside that stretch)
    const hidden = JSON.parse(agentsim("crossover", "scenarios/escalation.yaml", "--param", "models.weak.fix.hard", "--between", "strong-escalate,strong-first", "--from", "0.04", "--to", "0.2", "--json").stdout);
    expect(hidden.crossovers).toEqual([]);
    expect(hidden.gaps.map((g: { from: number; cheaperBefore: string | null }) => [g.from, g.cheaperBefore])).toEqual([[0.04, null], [0.04, null]]);
    expect(hidden.cheaperThroughout).toEqual([]);
  });

  it("crossover of two strategies defined alike says that they never cross, not just 'none' (a review)", () => {
    const text = readFileSync("scenarios/default.yaml", "utf8").replace(/^strategies:\n/m, "strategies:\n  twin: { generator: strong, fixer: weak }\n");
    const file = scenarioFile(text);
    const args = ["crossover", file, "--param", "models.weak.fix.hard", "--from", "0.2", "--to", "0.8", "--between"];
    const twins = agentsim(...args, "twin,strong-first");
    expect(twins.code).toBe(0);
    expect(twins.stdout.replace(/\n/g, " ")).toMatch(/twin and strong-first are defined alike \(strong generates, weak fixes\): they cost the same at every value, so they never cross\./);
    expect(JSON.parse(agentsim(...args, "twin,strong-first", "--json").stdout)).toMatchObject({ definedAlike: true, crossovers: [] });
    // a pair that differs is not
    expect(JSON.parse(agentsim(...args, "twin,weak-first", "--json").stdout).definedAlike).toBe(false);
  });

  it("run --trace says what it wrote, where (an audit: nothing was said of it)", () => {
    const file = join(scratchFolder("trace"), "t.jsonl");
    const text = agentsim("run", "scenarios/default.yaml", "--trials", "2000", "--trace", file, "--trace-runs", "7").stdout;
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").length;
    expect(text.replace(/\n {2}/g, " ")).toMatch(new RegExp(`\nTraced the first 7 runs of each strategy and context \\(${lines.toLocaleString("en-US")} requests\\) to \\S*t\\.jsonl\\.\n$`));
  });

  it("run --trace of more requests than a trace holds is one line, exit 2, and no file (the worst-case audit: 100 runs at the attempts bound ran the heap out, 4.5 GB, a native stack)", () => {
    const folder = scratchFolder("trace-big");
    const file = join(folder, "t.jsonl");
    // 1e5 expected attempts a run, the bound: 1,000,000 requests in about 10 runs
    const slow = scenarioFile(`name: slow
seed: 1
trials: 100
models:
  w: { price: { input: 1, output: 5 }, bugs: { count: 10, hardFraction: 0.5 }, fix: { easy: 0.0001, hard: 0.0001 } }
tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }
contexts: [shared]
strategies:
  ww: { generator: w, fixer: w }
`);
    const r = agentsim("run", slow, "--trace", file);
    expect(r.stderr).toMatch(/^agentsim: --trace: ww \(shared\) makes more than 1,000,000 requests in its first (\d+) runs, more than a trace holds: trace fewer runs \(--trace-runs \d+\)\n$/);
    expect(r.code).toBe(2);
    expect(readdirSync(folder)).toEqual([]);
    const fewer = Number(/--trace-runs (\d+)/.exec(r.stderr)![1]);
    expect(fewer).toBeGreaterThan(1);
    expect(agentsim("run", slow, "--trace", file, "--trace-runs", String(fewer)).code).toBe(0);
  });

  it("run announces a job of minutes before it starts (the worst-case audit: 4 minutes without a word when not on a terminal)", () => {
    const slow = scenarioFile(`name: slow
seed: 1
trials: 100000
models:
  w: { price: { input: 1, output: 5 }, bugs: { count: { dist: poisson, mean: 10 }, hardFraction: 0.5 }, fix: { easy: 0.0001, hard: 0.0001 } }
tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }
contexts: [shared]
strategies:
  ww: { generator: w, fixer: w }
`);
    // stopped after 3 s: the note comes first
    const r = spawnSync(process.execPath, [CLI, "run", slow, "--threads", "2"], { encoding: "utf8", timeout: 3000 });
    expect(r.stderr.split("\n")[0]).toMatch(/^agentsim: note: \S*: a long job, about (\d+ (s|minutes)|[\d.]+ hours) on 2 threads at this tool's usual speed; fewer --trials take less, and Ctrl-C stops it$/);
    expect(agentsim("run", "--trials", "2000").stderr).toBe("");
    // and report, whose charts simulate more
    const page = join(scratchFolder("long-report"), "r.html");
    const report = spawnSync(process.execPath, [CLI, "report", slow, "--threads", "2", "--out", page], { encoding: "utf8", timeout: 3000 });
    expect(report.stderr.split("\n")[0]).toMatch(/^agentsim: note: \S*: a long job, about .* on 2 threads at this tool's usual speed, and more for its charts; fewer --trials take less, and Ctrl-C stops it$/);
    expect(existsSync(page)).toBe(false);
  });

  it("run --trace writes the requests and changes no number of --json", () => {
    const file = join(scratchFolder("trace"), "t.jsonl");
    const args = ["run", "scenarios/escalation.yaml", "--trials", "2000", "--threads", "2", "--json"];
    const strip = (text: string) => ({ ...JSON.parse(text), timing: null });
    const plain = agentsim(...args);
    const traced = agentsim(...args, "--trace", file, "--trace-runs", "20");
    expect(traced.code).toBe(0);
    expect(strip(traced.stdout)).toEqual(strip(plain.stdout));
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // 20 runs of 5 strategies in 2 contexts, each with a generation request first
    expect(new Set(lines.map((l) => `${l.strategy}/${l.context}/${l.run}`)).size).toBe(20 * 5 * 2);
  });

  it("crossover names a stretch of the range without a closed form, and the side it knows", () => {
    const args = ["crossover", "scenarios/escalation.yaml", "--param", "models.weak.fix.hard", "--between", "strong-escalate,strong-first", "--from", "0.02", "--to", "0.5"];
    const out = JSON.parse(agentsim(...args, "--context", "fresh", "--json").stdout);
    expect(out.crossovers).toEqual([]);
    expect(out.gaps).toHaveLength(1);
    expect(out.gaps[0]).toMatchObject({ context: "fresh", from: 0.02, cheaperBefore: null, cheaperAfter: "strong-first" });
    const text = agentsim(...args).stdout;
    expect(text).toMatch(/^shared: no closed form for models\.weak\.fix\.hard from 0\.02 to 0\.08\d*\. strong-first is cheaper after/m);
    expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it("crossover skips a context for the strategy without a closed form anywhere, at the value it names", () => {
    // advised has a closed form in shared context at the file's 0.3 and most of the range;
    // executor-alone has none anywhere (its window): the reason named advised too, at 0.1 unsaid
    const args = ["crossover", "scenarios/advisor.yaml", "--param", "strategies.advised.ladder[2].fix.hard", "--between", "advised,executor-alone", "--from", "0.1", "--to", "1", "--json"];
    const out = JSON.parse(agentsim(...args).stdout);
    expect(out.skipped).toHaveLength(1);
    expect(out.skipped[0].reason).toMatch(/^executor-alone \(shared\) has no closed form at any value scanned; at strategies\.advised\.ladder\[2\]\.fix\.hard = 0\.1: a context window/);
    expect(out.skipped[0].reason).not.toMatch(/advised \(shared\)/);
  });

  it("crossover's best attempts answer the context that has closed forms, and skip the one that has none (an audit: exit 2 for both)", () => {
    // a tier reached in shared context by a multi-rung ladder has no closed form there
    const file = scenarioFile(`name: tier
seed: 9
trials: 2000
models:
  strong: { price: ${tieredPrice(3, 15, 15000)}, bugs: { count: 3, hardFraction: 0.3333333333 }, fix: { easy: 0.9, hard: 0.6 } }
  weak: { price: ${tieredPrice(1, 5, 15000)}, bugs: { count: 6, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.2 } }
tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 }
caching: { readMultiplier: 0.1, writeMultiplier: 1.25 }
strategies:
  strong-first: { generator: strong, fixer: weak }
  weak-escalate: { generator: weak, ladder: [{ fixer: weak, attempts: 3 }, { fixer: strong }] }
`);
    const args = ["crossover", file, "--param", "strategies.weak-escalate.ladder[0].attempts", "--from", "1", "--to", "4"];
    const out = JSON.parse(agentsim(...args, "--json").stdout);
    expect(out.best.map((b: { context: string }) => b.context)).toEqual(["fresh"]);
    const why = "weak-escalate (shared) has no closed form for any attempts in [1, 4]: ";
    expect(out.skipped).toEqual([{ context: "shared", reason: expect.stringMatching(/^weak-escalate \(shared\) has no closed form for any attempts in \[1, 4\]: a long-context tier/) }]);
    expect(agentsim(...args).stdout.replace(/\n  /g, " ")).toContain(`\nshared: ${why}`);
    expect(agentsim(...args, "--context", "shared")).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^agentsim: \S+: --param strategies\.weak-escalate\.ladder\[0\]\.attempts: no context has a closed form for any attempts \(weak-escalate \(shared\) has no closed form for any attempts in \[1, 4\]: a long-context tier[^\n]*\)\n$/),
    });
  });

  it("crossover names the strategy cheaper throughout where the range's ends and middle are values the key may not take (an audit: no answer)", () => {
    const out = JSON.parse(agentsim("crossover", "scenarios/sweep-caching.yaml", "--param", "models.strong.fix.easy", "--between", "strong-first,weak-first", "--from", "-3", "--to", "1.5", "--json").stdout);
    expect(out.crossovers).toEqual([]);
    expect(out.cheaperThroughout).toEqual([
      { context: "shared", strategy: "strong-first" },
      { context: "fresh", strategy: "strong-first" },
    ]);
  });

  it("crossover with every context skipped: one line naming the file, the flag and each context", () => {
    // the weak model's hard rate Beta with a = 0.15 x 10 = 1.5: strong-first's expected cost is infinite
    const file = scenarioFile(readFileSync("scenarios/beta-difficulty.yaml", "utf8").replace("hard: { dist: beta, mean: 0.15, concentration: 20 }", "hard: { dist: beta, mean: 0.15, concentration: 10 }"));
    for (const extra of [[], ["--json"]]) {
      const r = agentsim("crossover", file, "--param", "models.weak.bugs.count", ...extra);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^agentsim: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: --param models\\.weak\\.bugs\\.count: no context .*\\(shared: strong-first \\(shared\\) has no closed form: infinite expected cost.*; fresh: strong-first \\(fresh\\)`));
    }
  });

  it("crossover prints a crossing to 6 significant digits (--json has them all)", () => {
    // the bisection narrows a root to within 1e-9: ten digits printed the narrowing (0.6000000001
    // for a root at 0.6); the report gives six
    const r = agentsim("crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count");
    expect(r.stdout).toMatch(/^shared +3\.02202 +weak-first +strong-first +exact$/m);
    const json = JSON.parse(agentsim("crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--json").stdout);
    expect(json.crossovers[0].value).toBeCloseTo(3.02202, 5);
    expect(String(json.crossovers[0].value).length).toBeGreaterThan(8);
  });

  it("crossover says which values of the range it left out, and why", () => {
    // steps of 0.1 from -0.5: the six values -0.5, -0.4, ..., 0 are below the rate's range [0.0001, 1]
    const args = ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.easy", "--from", "-0.5", "--to", "0.5", "--steps", "10"];
    const out = JSON.parse(agentsim(...args, "--json").stdout);
    expect(out.leftOut).toEqual([{ from: -0.5, to: 0, values: 6, scanned: 11, reason: "models.weak.fix.easy: must be a probability in [0.0001, 1], got -0.5" }]);
    const text = agentsim(...args);
    expect(text.code).toBe(0);
    // wrapped to the terminal (100 columns here)
    expect(text.stdout.replace(/\n  /g, " ")).toMatch(/^Left out of the scan: models\.weak\.fix\.easy from -0\.5 to 0 \(6 of the 11 values\), which it may not take: models\.weak\.fix\.easy: must be a probability in \[0\.0001, 1\], got -0\.5$/m);
    // a range inside the key's has nothing left out
    expect(JSON.parse(agentsim(...args.slice(0, 4), "--from", "0.5", "--to", "1", "--json").stdout).leftOut).toEqual([]);
  });
});

describe("user mistakes are one line on stderr with exit code 2", () => {
  const cases: [string, string[], RegExp][] = [
    ["a missing scenario file", ["analytic", "no/such.yaml"], /no\/such\.yaml: cannot read scenario: no such file/],
    ["a bad key", ["run", scenarioFile("name: x\nseed: 1\ntrials: 0\n")], /s\.yaml: trials: must be a whole number in \[2, 100000000\] \(runs\), got 0/],
    ["broken YAML", ["analytic", scenarioFile("name: x\nmodels: {a: [1,\n")], /s\.yaml: line \d+, column \d+: invalid YAML/],
    ["a bad --trials", ["run", "--trials", "0"], /--trials must be a whole number from 2 to 100,000,000, got 0 \(see agentsim run --help\)\n$/],
    // as root the folder passes the write check, and the write fails; it named no flag (a review)
    ["fit --out where no file can be made", ["fit", "test/fixtures/claude-code", "--format", "claude-code", "--bootstrap", "0", "--out", "/proc/agentsim-never.yaml"], /^agentsim: --out(: cannot write | "\/proc\/agentsim-never\.yaml": cannot write in \/proc)/],
    ["run --trace where no file can be made", ["run", "bench/scenario.yaml", "--trials", "2000", "--trace", "/proc/agentsim-never.jsonl"], /^agentsim: --trace(: cannot write | "\/proc\/agentsim-never\.jsonl": cannot write in \/proc)/],
    ["a crossover of a scenario of one strategy, naming the file", ["crossover", scenarioFile("name: one\nseed: 1\ntrials: 100\nmodels:\n  m: { price: { input: 1, output: 5 }, bugs: { count: 3, hardFraction: 0 }, fix: { easy: 0.5, hard: 0.5 } }\ntokens: { prompt: 100, generation: 100, fixOutput: 100, errorTrace: 100 }\n"), "--param", "models.m.bugs.count"], /^agentsim: .*s\.yaml: the scenario has one strategy; a crossover needs two\n$/],
    ["an unknown strategy in --between", ["crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--between", "a,b"], /--between: unknown strategy "a"/],
    // a recheck: a table of "none" and nothing said
    ["a bug-count range below 0", ["crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--from", "-5", "--to", "-1"], /^agentsim: --from -5 --to -1: the range leaves what models\.weak\.bugs\.count may be: must be a whole number in \[0, 1000\] \(bugs\), got -1 \(see agentsim crossover --help\)\n$/],
    ["a bug-count range above 1,000", ["crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--from", "2000", "--to", "3000"], /^agentsim: --from 2000 --to 3000: the range leaves what models\.weak\.bugs\.count may be: .*got 2000 /],
    ["a bug-count range above 1,000, one end given", ["crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count", "--from", "2000"], /^agentsim: --from 2000 --to -: the range leaves what models\.weak\.bugs\.count may be: .*got 2000 /],
    ["a crossover key that is not there", ["crossover", "scenarios/default.yaml", "--param", "models.weak.speed", "--from", "0", "--to", "1"], /no numeric key at that path \(see agentsim crossover --help\)\n$/],
    // it was "no context has the closed forms" of each context, and "only bugs.count", though a rung's attempts need none either
    ["a crossover key without a range", ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.hard"], /^agentsim: --from and --to are required for models\.weak\.fix\.hard \(only a bug count and a rung's attempts are searched without a range\) \(see agentsim crossover --help\)\n$/],
    ["an unknown option", ["run", "--trails", "5"], /^agentsim: unknown flag --trails \(see agentsim run --help\)\n$/],
    // named once, not also in camelCase ("Unknown arguments: trace-run, traceRun")
    ["unknown options", ["run", "--trace-run", "5", "--foo-bar", "-x"], /^agentsim: unknown flags --trace-run, --foo-bar, -x \(see agentsim run --help\)\n$/],
    // --no-trace was false where a text is read: a TypeError's stack trace (a review)
    ["a negated flag that takes a value", ["run", "--no-trace"], /^agentsim: --trace takes a value; it is not turned off with --no- \(see agentsim run --help\)\n$/],
    // yargs matches a flag loosely: written so without a value, it was true where a text is read (a stack trace, a review)
    ["a flag in another spelling without its value", ["run", "--TRACE-RUNS"], /^agentsim: --trace-runs needs a value \(see agentsim run --help\)\n$/],
    ["a negated flag in another spelling", ["run", "--no-trace-Runs"], /^agentsim: --trace-runs takes a value; it is not turned off with --no- /],
    // short flags written together are read one by one: "--e was given 2 times" for -seed (a review)
    ["a long flag with one dash", ["run", "-seed", "3"], /^agentsim: unknown flags -s, -e, -d \(see agentsim run --help\)\n$/],
    ["a flag named like the file argument", ["run", "scenarios/default.yaml", "--scenario", "x.yaml"], /^agentsim: unknown flag --scenario \(see agentsim run --help\)\n$/],
    // an unknown flag whose value is its own name, and short flags beside a file of one letter, are flags (a review)
    ["an unknown flag valued as its name", ["run", "scenarios/default.yaml", "--out", "out"], /^agentsim: unknown flag --out \(see agentsim run --help\)\n$/],
    ["short flags beside a one-letter file", ["run", "s", "-seed", "3"], /^agentsim: unknown flags -s, -e, -d \(see agentsim run --help\)\n$/],
    // the same, in yargs' other spellings: an object of --trials, a number of --trace-runs (stack traces, a review)
    ["a flag with parts", ["run", "--trials.x", "5"], /^agentsim: unknown flag --trials\.x \(see agentsim run --help\)\n$/],
    // a required flag's name with a part: "--out is required" (a review)
    ["a required flag with parts", ["merge", "a.csv", "--out.x", "m.csv"], /^agentsim: unknown flag --out\.x \(see agentsim merge --help\)\n$/],
    // yargs' own keys: --no-_ made the file argument "false" ("false: cannot read scenario", a review)
    ["yargs' operand list as a flag", ["run", "--no-_"], /^agentsim: unknown flag --no-_ \(see agentsim run --help\)\n$/],
    ["yargs' script name as a flag", ["prices", "--$0", "x"], /^agentsim: unknown flag --\$0 \(see agentsim prices --help\)\n$/],
    ["a flag in mixed case", ["run", "--trace-Runs", "5"], /^agentsim: --trace-runs needs --trace FILE/],
    // operands the command does not take are no flags ("unknown flag --s.yaml")
    ["an extra operand", ["run", "scenarios/default.yaml", "scenarios/advisor.yaml"], /^agentsim: unexpected argument "scenarios\/advisor\.yaml" \(see agentsim run --help\)\n$/],
    ["a report crossover key that is not there", ["report", "scenarios/default.yaml", "--crossover", "models.weak.nope", "--out", join(tmpdir(), "agentsim-never.html")], /default\.yaml: --crossover models\.weak\.nope: no numeric key at that path/],
    [
      "a report crossover over more bugs than a scenario may hold (2e8 once aborted V8 listing them)",
      ["report", "scenarios/default.yaml", "--crossover", "models.weak.bugs.count", "--to", "2e8", "--out", join(tmpdir(), "agentsim-never.html")],
      /--from 0 --to 200000000: models\.weak\.bugs\.count is a whole number in \[0, 1000\] \(bugs\); draw it over a range inside that/,
    ],
    ["a report crossover key without a range", ["report", "scenarios/default.yaml", "--crossover", "tokens.prompt", "--out", join(tmpdir(), "agentsim-never.html")], /--from and --to are required for --crossover tokens\.prompt \(only a bugs\.count has a default range\) \(see agentsim report --help\)\n$/],
    ["an empty report range", ["report", "scenarios/default.yaml", "--from", "3", "--to", "1"], /--from \(3\) must be less than --to \(1\)/],
    ["a report written to a folder", ["report", "scenarios/default.yaml", "--out", tmpdir()], /is a folder, not a file name/],
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

/** The CLI in-process: main() with its output in strings. */
async function inProcess(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe("flags mean what they say", () => {
  const dir = scratchFolder("flags");
  mkdirSync(join(dir, "empty"));
  const cases: [string, string[], RegExp][] = [
    ["a flag without its value", ["run", "--seed"], /^agentsim: --seed needs a value \(see agentsim run --help\)\n$/],
    ["--trials without its value", ["run", "--trials", "--json"], /^agentsim: --trials needs a value/],
    ["a repeated flag", ["run", "--seed", "1", "--seed", "2"], /^agentsim: --seed was given 2 times; it takes one value \(see agentsim run --help\)\n$/],
    ["a switch given a value (yargs read it as false)", ["run", "--json=yes"], /^agentsim: --json is a switch: it takes no value \(or true or false\), got "yes" \(see agentsim run --help\)\n$/],
    ["--wide=3", ["analytic", "--wide=3"], /^agentsim: --wide is a switch: it takes no value \(or true or false\), got "3"/],
    ["--trace-runs without --trace", ["run", "--trace-runs", "5"], /^agentsim: --trace-runs needs --trace FILE: without it nothing is traced/],
    ["run --trials 1: no standard error", ["run", "--trials", "1"], /--trials must be a whole number from 2 to 100,000,000, got 1/],
    ["a number that is not one", ["run", "--trials", "lots"], /--trials must be a whole number from 2 to 100,000,000, got lots/],
    // JavaScript's Number() read 0x10 as 16 (a review)
    ["a number in hexadecimal", ["run", "--trials", "0x10"], /^agentsim: --trials must be a whole number from 2 to 100,000,000, got 0x10 /],
    ["a range end in binary", ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.hard", "--from", "0b1", "--to", "1"], /^agentsim: --from must be a finite number, got 0b1 /],
    ["a choice that is not one", ["run", "--path", "bogus"], /^agentsim: --path must be one of "auto", "fast", "attempt", got "bogus" \(see agentsim run --help\)\n$/],
    ["--path fast on an extension scenario", ["run", "scenarios/ext-regressions.yaml", "--path", "fast"], /--path fast simulates the base model only; scenarios\/ext-regressions.yaml uses regressions, which need --path attempt/],
    ["a typo'd command", ["rn"], /^agentsim: unknown command "rn" \(did you mean run\?\) \(see agentsim --help\)\n$/],
    ["validate --dir that is missing", ["validate", "--dir", join(dir, "nope")], /--dir .*nope: no such folder \(see agentsim validate --help\)/],
    ["validate --dir that is a file", ["validate", "--dir", "README.md"], /--dir README\.md: is not a folder/],
    // a path through a file was a stack trace (ENOTDIR, a review)
    ["validate --dir through a file", ["validate", "--dir", "README.md/x"], /^agentsim: --dir README\.md\/x: cannot read: a part of the path is not a folder \(see agentsim validate --help\)\n$/],
    ["validate --dir with no scenarios", ["validate", "--dir", join(dir, "empty")], /holds no scenario files/],
    ["sweep --out ''", ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", ""], /^agentsim: --out must not be empty/],
    ["sweep --out /dev/null", ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", "/dev/null"], /--out "\/dev\/null": is not a regular file/],
    ["sweep --out a folder", ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", dir], /is a folder, not a file name/],
    ["sweep --out of 300 characters", ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", "x".repeat(300)], /the file name is 300 bytes long/],
    // 236 passed the check but not its record's temporary <out>.sweep.json.<pid>.tmp: a stack trace after the whole sweep
    ["sweep --out of 236 characters", ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", join(tmpdir(), "x".repeat(236))], /the file name is 236 bytes long; at most 223/],
    ["merge --out /dev/null", ["merge", "a.csv", "--out", "/dev/null"], /--out "\/dev\/null": is not a regular file/],
    [
      "a crossover range outside the key's domain names the flags",
      ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.easy", "--from", "-2", "--to", "-1"],
      /^agentsim: --from -2 --to -1: the range leaves what models\.weak\.fix\.easy may be: must be a probability in \[0\.0001, 1\], got -/,
    ],
    ["crossover --steps beyond the bound", ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.easy", "--from", "0.5", "--to", "1", "--steps", "1000000"], /--steps must be a whole number from 1 to 1,000,/],
    ["crossover --from 1e400", ["crossover", "scenarios/default.yaml", "--param", "models.weak.fix.easy", "--from", "1e400", "--to", "1"], /--from must be a finite number, got 1e400/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const { code, stdout, stderr } = await inProcess(...args);
      expect(stderr).toMatch(message);
      expect(code).toBe(2);
      expect(stderr.split("\n")).toHaveLength(2); // one line and its newline
      expect(stdout).toBe("");
    });
  }

  it("report: --out that names a folder, or one no page can be written in, fails before any work; Ctrl-C leaves nothing", async () => {
    expect((await inProcess("report", "scenarios/default.yaml", "--out", "newdir/")).stderr).toBe('agentsim: --out "newdir/": names a folder (it ends with a slash, . or ..), not a file\n');
    expect((await inProcess("report", "scenarios/default.yaml", "--out", "newdir/.")).stderr).toMatch(/--out "newdir\/\.": names a folder/);
    // the lock is taken first: /proc takes no file, and a million runs per strategy are never simulated
    const proc = agentsim("report", "scenarios/default.yaml", "--out", "/proc/agentsim-report.html", "--trials", "100000000", "--threads", "1");
    // (as root the folder passes the write check, and the lock is what fails)
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^agentsim: --out "\/proc\/agentsim-report\.html": (cannot create a file there \(its lock, \/proc\/agentsim-report\.html\.lock: [^\n]+\)|cannot write in \/proc: [^\n]+)\n$/);
    const root = scratchFolder("report-int");
    const out = join(root, "made", "r.html");
    const child = spawn(process.execPath, [CLI, "report", "scenarios/default.yaml", "--out", out, "--trials", "20000000", "--threads", "1"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    for (let waited = 0; waited < 60_000 && !existsSync(`${out}.lock`); waited += 10) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toBe("agentsim: interrupted (SIGINT); nothing was written\n");
    expect(readdirSync(root)).toEqual([]); // no page, no lock, no folder
  });

  it("run --trace: Ctrl-C while the trace is written leaves none of it, nor the folder made for it (a review: 346 MB of its temporary file)", async () => {
    const root = scratchFolder("trace-int");
    const trace = join(root, "made", "t.jsonl");
    const child = spawn(process.execPath, [CLI, "run", "scenarios/default.yaml", "--trials", "50000", "--trace", trace, "--trace-runs", "20000", "--threads", "1"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    const tmp = `${trace}.agentsim-${child.pid}.tmp`;
    for (let waited = 0; waited < 60_000 && !existsSync(tmp); waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(tmp)).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toBe("agentsim: interrupted (SIGINT); no trace was written\n");
    expect(readdirSync(root)).toEqual([]);
  });

  it("a pipe put where a command's own temporary files go (names with its pid) is replaced, not opened: opening it waited for a reader forever, deaf to Ctrl-C", () => {
    const root = scratchFolder("fifo-tmp");
    // before the command runs, a pipe at each name with this pid that it writes beside its output
    const preload = join(root, "pipes.mjs");
    writeFileSync(
      preload,
      `import { execFileSync } from "node:child_process";
import { isMainThread } from "node:worker_threads";
const [out, ...names] = process.env.AGENTSIM_TEST_PIPES.split("|");
for (const name of isMainThread ? names : []) execFileSync("mkfifo", [out + name.replace("PID", process.pid)]);
`,
    );
    const [trace, sweep, merged] = ["t.jsonl", "s.csv", "m.csv"].map((f) => join(root, f));
    const [temporary, lock, record] = [".agentsim-PID.tmp", ".lock.PID", ".sweep.json.agentsim-PID.tmp"];
    for (const [pipes, args] of [
      [[trace, temporary], ["run", "scenarios/default.yaml", "--trials", "2000", "--trace", trace]],
      [[sweep, lock, record], ["sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "200", "--out", sweep]],
      [[merged, temporary, lock, record], ["merge", sweep, "--out", merged]],
    ] as const) {
      const env = { ...process.env, AGENTSIM_TEST_PIPES: pipes.join("|") };
      const r = spawnSync(process.execPath, ["--import", preload, CLI, ...args], { encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL", env });
      expect([r.status, r.signal, r.stderr]).toEqual([0, null, ""]);
    }
    expect(readFileSync(merged, "utf8")).toBe(readFileSync(sweep, "utf8"));
    expect(readFileSync(trace, "utf8")).toMatch(/^\{/);
    expect(readdirSync(root).sort()).toEqual(["m.csv", "m.csv.sweep.json", "pipes.mjs", "s.csv", "s.csv.sweep.json", "t.jsonl"]);
  });

  it("an output that is one of the command's inputs, under any name, is refused before any work", async () => {
    // run --trace s.yaml, report/sweep --out s.yaml, merge --out <a shard> and fit --out <a trace>
    // each replaced their own input with exit 0
    const own = scratchFolder("own");
    const scenario = join(own, "s.yaml");
    const text = readFileSync("scenarios/sweep-weak-bugs.yaml", "utf8");
    writeFileSync(scenario, text);
    symlinkSync(scenario, join(own, "link.yaml"));
    writeFileSync(join(own, "t.jsonl"), "");
    writeFileSync(`${scenario}.sweep.json`, "{}"); // as merge reads beside a shard
    writeFileSync(join(own, "d.csv.sweep.json"), text);
    writeFileSync(join(own, "d.csv.partial"), text);
    writeFileSync(join(own, "d.csv.partial.json"), text);
    writeFileSync(join(own, "d.csv.partial.json.tmp"), text);
    symlinkSync(join(own, "d.csv.sweep.json"), join(own, "link.json"));
    const cases: [string[], RegExp][] = [
      [["run", scenario, "--trace", scenario], /^agentsim: --trace ".*s\.yaml": is an input of this command; refusing to write over it\n$/],
      [["run", join(own, "link.yaml"), "--trace", scenario], /--trace ".*s\.yaml": is ".*link\.yaml", an input of this command/],
      [["report", scenario, "--out", scenario], /--out ".*s\.yaml": is an input of this command/],
      [["sweep", scenario, "--out", scenario], /--out ".*s\.yaml": is an input of this command/],
      [["merge", scenario, "--out", scenario], /--out ".*s\.yaml": is an input of this command/],
      [["merge", scenario, "--out", `${scenario}.sweep.json`], /--out ".*s\.yaml\.sweep\.json": is an input of this command/],
      [["fit", join(own, "t.jsonl"), "--prices", scenario, "--out", join(own, "t.jsonl")], /--out ".*t\.jsonl": is an input of this command/],
      [["fit", join(own, "t.jsonl"), "--prices", scenario, "--out", scenario], /--out ".*s\.yaml": is an input of this command/],
      // the record written beside --out was an input: sweep replaced its own scenario, merge a shard (an audit)
      [["sweep", join(own, "d.csv.sweep.json"), "--out", join(own, "d.csv")], /^agentsim: --out ".*d\.csv": its record, .*d\.csv\.sweep\.json, is an input of this command; refusing/],
      [["sweep", join(own, "link.json"), "--out", join(own, "d.csv")], /--out ".*d\.csv": its record, .*d\.csv\.sweep\.json, is ".*link\.json", an input of this command/],
      [["merge", join(own, "d.csv.sweep.json"), "--out", join(own, "d.csv")], /--out ".*d\.csv": its record, .*d\.csv\.sweep\.json, is an input of this command/],
      // and so were the CSV in progress and the resume state: sweep removed its own scenario (a review)
      [["sweep", join(own, "d.csv.partial"), "--out", join(own, "d.csv")], /--out ".*d\.csv": its CSV in progress, .*d\.csv\.partial, is an input of this command/],
      [["sweep", join(own, "d.csv.partial.json"), "--out", join(own, "d.csv")], /--out ".*d\.csv": its resume state, .*d\.csv\.partial\.json, is an input of this command/],
      [["sweep", join(own, "d.csv.partial.json.tmp"), "--out", join(own, "d.csv")], /--out ".*d\.csv": its resume state's temporary file, .*d\.csv\.partial\.json\.tmp, is an input/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await inProcess(...args);
      expect(stderr, args.join(" ")).toMatch(message);
      expect(code).toBe(2);
      expect(stdout).toBe("");
    }
    expect(readFileSync(scenario, "utf8")).toBe(text);
    for (const name of ["d.csv.sweep.json", "d.csv.partial", "d.csv.partial.json", "d.csv.partial.json.tmp"]) expect(readFileSync(join(own, name), "utf8")).toBe(text);
  });

  it("a file name's control characters are escaped in the lines that name it, as in errors (a review: ESC went raw to the terminal)", () => {
    const own = scratchFolder("esc");
    const file = join(own, "a\u001b[31mb.yaml");
    writeFileSync(file, readFileSync("bench/scenario.yaml", "utf8"));
    const r = spawnSync(process.execPath, [CLI, "run", file, "--trials", "2000", "--threads", "1"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout.replace(/\n\s*/g, " ")).toContain("a\\u001b[31mb.yaml");
  });

  it("sweep refuses a folder, link or pipe where it writes beside --out, before any work (a review: a stack trace, or a link written through)", async () => {
    const own = scratchFolder("beside");
    const scenario = join(own, "s.yaml");
    writeFileSync(scenario, readFileSync("scenarios/sweep-weak-bugs.yaml", "utf8"));
    writeFileSync(join(own, "victim"), "precious");
    const cases: [string, (file: string) => void, string][] = [
      ["x.csv.partial", (f) => mkdirSync(f), "its CSV in progress's name, %, is taken by a folder"],
      ["x.csv.partial.json", (f) => mkdirSync(f), "its resume state's name, %, is taken by a folder"],
      ["x.csv.partial.json.tmp", (f) => symlinkSync(join(own, "victim"), f), "its resume state's temporary file's name, %, is taken by a link, pipe or other file that is not a regular one"],
      ["x.csv.sweep.json", (f) => spawnSync("mkfifo", [f]), "its record's name, %, is taken by a link, pipe or other file that is not a regular one"],
    ];
    for (const [name, make, why] of cases) {
      const file = join(own, name);
      make(file);
      const { code, stderr } = await inProcess("sweep", scenario, "--out", join(own, "x.csv"), "--trials", "200");
      expect(stderr, name).toBe(`agentsim: --out ${JSON.stringify(join(own, "x.csv"))}: ${why.replace("%", file)}; move it, or write elsewhere\n`);
      expect(code).toBe(2);
      rmSync(file, { recursive: true });
    }
    expect(readdirSync(own).sort()).toEqual(["s.yaml", "victim"]);
    expect(readFileSync(join(own, "victim"), "utf8")).toBe("precious");
  });

  it("a caching multiplier that no model's price reads is not swept nor scanned, and is not needed for a TTL (the prices audit: equal rows and 'no crossing', exit 0)", () => {
    const text = readFileSync("scenarios/default.yaml", "utf8").replace(/^contexts:/m, "caching: { ttlSeconds: 3600 }\ncontexts:");
    const file = scenarioFile(text);
    expect(agentsim("analytic", file).code).toBe(0); // no multiplier needed beside ttlSeconds
    const swept = scenarioFile(`${text}sweep:\n  caching.readMultiplier: [1, 0.1]\n`);
    const idle = "changes nothing: every cache read price of the models the strategies use is given (by a preset or by hand), which the multiplier only stands in for where it is missing";
    expect(agentsim("sweep", swept, "--out", join(scratchFolder("idle"), "s.csv"))).toMatchObject({ code: 2, stderr: `agentsim: ${swept}: sweep.caching.readMultiplier: ${idle}\n` });
    const scanned = agentsim("crossover", file, "--param", "caching.writeMultiplier", "--from", "1", "--to", "2");
    expect(scanned.code).toBe(2);
    expect(scanned.stderr).toContain("--param caching.writeMultiplier: changes nothing: every cache write price of the models the strategies use is given");
    // a model priced by hand without a cache price reads them
    expect(agentsim("crossover", "scenarios/sweep-caching.yaml", "--param", "caching.readMultiplier", "--from", "0.1", "--to", "1").code).toBe(0);
    // ... but not where no strategy compared uses it (a review: a spare model's missing price let
    // the sweep print equal rows and the crossover 'no crossing', exit 0)
    const spare = "  spare:\n    price: { input: 3, output: 15 }\n    bugs: { count: 3, hardFraction: 0.3333333333 }\n    fix: { easy: 0.9, hard: 0.6 }\ntokens:";
    const unused = scenarioFile(`${text.replace(/^tokens:/m, spare)}sweep:\n  caching.readMultiplier: [1, 0.1]\n`);
    expect(agentsim("sweep", unused, "--out", join(scratchFolder("idle"), "u.csv"))).toMatchObject({ code: 2, stderr: `agentsim: ${unused}: sweep.caching.readMultiplier: ${idle}\n` });
    expect(agentsim("crossover", unused, "--param", "caching.readMultiplier", "--from", "0.1", "--to", "1")).toMatchObject({ code: 2, stderr: expect.stringContaining(idle) });
  });

  it("a report's default crossover chart too costly to scan is left out with why, and the page is written (an audit: refused, naming flags no one gave)", () => {
    const file = scenarioFile(`name: tier-mid
seed: 1
trials: 200
models:
  strong: { price: ${tieredPrice(5, 25, 52000)}, bugs: { count: 50, hardFraction: 0.5 }, fix: { easy: 0.02, hard: 0.011 } }
  weak: { price: ${tieredPrice(1, 5, 52000)}, bugs: { count: 50, hardFraction: 0.5 }, fix: { easy: 0.015, hard: 0.011 } }
tokens: { prompt: 1000, generation: 1000, fixOutput: 5, errorTrace: 5 }
`);
    const page = join(scratchFolder("costly"), "r.html");
    expect(agentsim("report", file, "--out", page)).toMatchObject({ code: 0 });
    expect(readFileSync(page, "utf8")).toMatch(
      /<h2 id="crossover">Crossover<\/h2>\n<p>The crossover chart along models\.strong\.bugs\.count from 0 to 100 is left out: at models\.strong\.bugs\.count = \d+ \(the \d+th value scanned\) the closed forms passed 1,000,000,000 multiply-adds/,
    );
    // asked for, it is the command's error, as before
    expect(agentsim("report", file, "--crossover", "models.strong.bugs.count", "--out", page)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^agentsim: --crossover models\.strong\.bugs\.count --from 0 --to 100: at /) });
  });

  it("trials and the seed are not scanned by a crossover, as they are not swept (an audit: 'no crossing', and a report of re-seeded circles)", () => {
    expect(agentsim("crossover", "scenarios/default.yaml", "--param", "trials", "--from", "2", "--to", "100")).toMatchObject({
      code: 2,
      stderr: "agentsim: scenarios/default.yaml: --param trials: cannot be varied: a sweep runs each point the same number of runs (its --trials), and a closed form has none (see agentsim crossover --help)\n",
    });
    const page = join(scratchFolder("seed"), "r.html");
    expect(agentsim("report", "scenarios/default.yaml", "--crossover", "seed", "--from", "1", "--to", "5", "--out", page)).toMatchObject({
      code: 2,
      stderr: "agentsim: scenarios/default.yaml: --crossover seed: cannot be varied: a sweep seeds each point from the scenario's seed and the point, and a closed form has no seed\n",
    });
    expect(existsSync(page)).toBe(false);
  });

  it("a cache lifetime that changes no cost at any value is not swept nor scanned, as an idle multiplier is not (left alone last stop: equal rows, exit 0, and a note)", () => {
    const hand = readFileSync("scenarios/default.yaml", "utf8").replace(/price: \{ preset: [^}]*\}/g, "price: { input: 1, output: 5 }");
    const clockless = "no time passes in the strategies' runs, so no cache entry expires (give the models a speed, or the tests a toolSeconds)";
    const folder = scratchFolder("idle-ttl");
    const withCaching = (text: string, caching: string) => text.replace(/^contexts:/m, `caching: ${caching}\ncontexts:`);
    // hand prices with a cache discount, but no clock: nothing expires
    const still = scenarioFile(withCaching(hand, "{ readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 60 }"));
    expect(agentsim("analytic", still)).toMatchObject({ code: 0, stderr: `agentsim: note: ${still}: caching.ttlSeconds 60 changes no cost here: ${clockless}\n` });
    const swept = scenarioFile(`${readFileSync(still, "utf8")}sweep:\n  caching.ttlSeconds: [30, 600]\n`);
    expect(agentsim("sweep", swept, "--out", join(folder, "s.csv"))).toMatchObject({ code: 2, stderr: `agentsim: ${swept}: sweep.caching.ttlSeconds: changes nothing: at every value, ${clockless}\n` });
    // from 0, a value a TTL may not take (a review: the ends were probed, and 0 let it through)
    for (const from of ["10", "0"]) {
      expect(agentsim("crossover", still, "--param", "caching.ttlSeconds", "--from", from, "--to", "1000")).toMatchObject({ code: 2, stderr: expect.stringContaining(`--param caching.ttlSeconds: changes nothing: at every value, ${clockless}`) });
    }
    expect(agentsim("report", still, "--crossover", "caching.ttlSeconds", "--from", "10", "--to", "1000", "--out", join(folder, "r.html"))).toMatchObject({ code: 2, stderr: `agentsim: ${still}: --crossover caching.ttlSeconds: changes nothing: at every value, ${clockless}\n` });
    // every cache read priced as a write, with a clock: a miss costs what a hit does
    const flat = scenarioFile(`${withCaching(hand, "{ ttlSeconds: 60 }").replace(/^contexts:/m, "toolSeconds: 100\ncontexts:")}sweep:\n  caching.ttlSeconds: [30, 600]\n`);
    expect(agentsim("sweep", flat, "--out", join(folder, "f.csv"))).toMatchObject({ code: 2, stderr: expect.stringContaining("sweep.caching.ttlSeconds: changes nothing: at every value, no model the strategies use pays a cache read other than a cache write") });
    // a clock, or a preset's 1-hour write price picked above 300 s, is a change
    const timed = scenarioFile(readFileSync(swept, "utf8").replace(/^contexts:/m, "toolSeconds: 100\ncontexts:"));
    expect(agentsim("sweep", timed, "--trials", "200", "--out", join(folder, "t.csv")).code).toBe(0);
    const presets = withCaching(readFileSync("scenarios/default.yaml", "utf8"), "{ ttlSeconds: 60 }");
    expect(agentsim("sweep", scenarioFile(`${presets}sweep:\n  caching.ttlSeconds: [60, 3600]\n`), "--trials", "200", "--out", join(folder, "p.csv")).code).toBe(0);
    const short = scenarioFile(`${presets}sweep:\n  caching.ttlSeconds: [30, 60]\n`);
    // ... which says that a longer lifetime would pick it (a review)
    const longer = clockless.replace(/\)$/, ", or a lifetime above 300 s, which picks the presets' 1-hour cache write price)");
    expect(agentsim("sweep", short, "--out", join(folder, "q.csv"))).toMatchObject({ code: 2, stderr: `agentsim: ${short}: sweep.caching.ttlSeconds: changes nothing: at every value, ${longer}\n` });
    expect(readdirSync(folder).sort()).toEqual(["p.csv", "p.csv.sweep.json", "t.csv", "t.csv.sweep.json"]);
  });

  it("a gap that meets the TTL exactly hits in the closed form and in the runs alike (an audit: h = 0 against 1 simulated, 'inconsistent', as 25.51 <= 35.8 - 10.29 is false in doubles)", () => {
    const base = readFileSync("scenarios/default.yaml", "utf8").replace(/price: \{ preset: [^}]*\}/g, "price: { input: 1, output: 5 }");
    // the weak fixer's calls: ttft + 800 tokens at 100 a second; tests of a constant time; call + tool = ttl
    for (const [ttft, tool, ttl] of [[2.29, 25.51, 35.8], [2.68, 79.68, 90.36]]) {
      const text = base
        .replace(/^ {2}weak:\n/m, `  weak:\n    speed: { ttftSeconds: ${ttft}, outputTokensPerSecond: 100 }\n`)
        .replace(/^contexts:/m, `caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: ${ttl} }\ntoolSeconds: ${tool}\ncontexts:`);
      const out = JSON.parse(agentsim("run", scenarioFile(text), "--json", "--trials", "2000", "--threads", "1").stdout);
      const fixedByWeak = out.results.filter((r: { strategy: string }) => r.strategy === "strong-first");
      expect(fixedByWeak).toHaveLength(2);
      for (const r of fixedByWeak) expect([ttl, r.expectedCacheHitRate, r.cacheHitRate, r.verdict]).toEqual([ttl, 1, 1, "consistent"]);
    }
  });

  it("notes what the price table leaves unsaid, after the answer: no context window, no 1-hour write price (the prices audit: silently unlimited, silently 5-minute writes)", () => {
    // Opus 4.6 on Vertex: a 5-minute write price, no 1-hour one; Gemini 2.5 Pro: no context window
    const text = readFileSync("scenarios/default.yaml", "utf8")
      .replace("anthropic/claude-opus-4-5", "google/claude-opus-4-6")
      .replace("anthropic/claude-haiku-4-5", "google/gemini-2.5-pro")
      .replace(/^contexts:/m, "caching: { ttlSeconds: 3600 }\ncontexts:");
    const file = scenarioFile(text);
    const r = agentsim("analytic", file);
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")).toEqual([
      `agentsim: note: ${file}: models.strong: the price table gives google/claude-opus-4-6 no 1-hour cache write price, so under caching.ttlSeconds 3600 its writes cost the 5-minute price ($6.25 per million tokens)`,
      `agentsim: note: ${file}: models.weak: the price table gives google/gemini-2.5-pro no context window, so its conversations have no limit here (set models.weak.contextWindow to its real one)`,
      // neither preset has a 1-hour price to pick, and no time passes
      `agentsim: note: ${file}: caching.ttlSeconds 3600 changes no cost here: no time passes in the strategies' runs, so no cache entry expires (give the models a speed, or the tests a toolSeconds)`,
      "",
    ]);
    // none for a preset without any cache write price (no write premium at all: OpenAI's; a review)
    const openai = scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace("anthropic/claude-opus-4-5", "openai/gpt-4o").replace(/^contexts:/m, "caching: { ttlSeconds: 3600 }\ncontexts:"));
    expect(agentsim("analytic", openai)).toMatchObject({ code: 0, stderr: "" });
    // a TTL on prices whose cache read costs what a write does changes no cost (a review: silent, exit 0)
    const flat = scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace(/price: \{ preset: [^}]*\}/g, "price: { input: 1, output: 5 }").replace(/^contexts:/m, "caching: { ttlSeconds: 60 }\ntoolSeconds: 100\ncontexts:"));
    expect(agentsim("analytic", flat).stderr).toBe(
      `agentsim: note: ${flat}: caching.ttlSeconds 60 changes no cost here: no model the strategies use pays a cache read other than a cache write (set caching.readMultiplier and writeMultiplier, or the models' cache prices)\n`,
    );
    // none where the table says it all (Opus 4.5 and Haiku 4.5 have windows and 1-hour prices)
    expect(agentsim("analytic", scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace(/^contexts:/m, "caching: { ttlSeconds: 3600 }\ncontexts:"))).stderr).toBe("");
  });

  it("notes a preset's prices at other hours and from a later date, which no cost uses (the prices audit: DeepSeek's peak, twice its off-peak price, said only by agentsim prices)", () => {
    const text = readFileSync("scenarios/default.yaml", "utf8")
      .replace("anthropic/claude-opus-4-5", "deepseek/deepseek-v4-pro")
      .replace("anthropic/claude-haiku-4-5", "google/gemini-3.6-flash")
      .replace(/^( {2}weak:\n)/m, "$1    contextWindow: 1048576\n")
      .replace(/^( {2}strong:\n)/m, "$1    contextWindow: 1000000\n");
    const file = scenarioFile(text);
    const r = agentsim("analytic", file);
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")).toEqual([
      `agentsim: note: ${file}: models.strong: deepseek/deepseek-v4-pro is priced at its peak hours; the price table gives it cheaper prices at other hours of the day, which no cost here uses`,
      `agentsim: note: ${file}: models.weak: the price table gives google/gemini-3.6-flash new prices from 2027-01-01; its costs here are at the prices of 2026-09-23, the table's date`,
      "",
    ]);
  });

  it("notes caching multipliers that no price reads, every model being a preset (the prices audit: 0.1 and 0.5 priced alike, silently)", () => {
    const presets = readFileSync("scenarios/default.yaml", "utf8").replace(/^contexts:/m, "caching: { readMultiplier: 0.5 }\ncontexts:");
    const file = scenarioFile(presets);
    expect(agentsim("analytic", file).stderr).toBe(
      `agentsim: note: ${file}: caching.readMultiplier 0.5 changes no cost here: every model the strategies use is a preset, priced at the table's cache prices (a multiplier stands in for a cache price missing from a price by hand)\n`,
    );
    // one model priced by hand reads it: no note
    const hand = scenarioFile(presets.replace("price: { preset: anthropic/claude-haiku-4-5 }", "price: { input: 1, output: 5 }"));
    expect(agentsim("analytic", hand).stderr).toBe("");
  });

  it("an output written over keeps its permissions (a report audit: a 0600 page became 0644)", () => {
    const own = scratchFolder("mode");
    const page = join(own, "p.html");
    const csv = join(own, "s.csv");
    writeFileSync(page, "old");
    chmodSync(page, 0o600);
    writeFileSync(csv, "old");
    chmodSync(csv, 0o640);
    expect(agentsim("report", "scenarios/default.yaml", "--trials", "200", "--threads", "1", "--out", page).code).toBe(0);
    expect(agentsim("sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "200", "--threads", "1", "--out", csv).code).toBe(0);
    expect([statSync(page).mode & 0o777, statSync(csv).mode & 0o777]).toEqual([0o600, 0o640]);
    expect(readFileSync(page, "utf8")).toMatch(/^<!DOCTYPE html>/);
  });

  it("an output in a missing folder under /proc is one line, exit 2, at once (a recheck: as root, Node's recursive mkdir retried forever, deaf to SIGTERM)", () => {
    for (const args of [
      ["sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "200", "--out", "/proc/agentsim-none/y.csv"],
      ["report", "scenarios/default.yaml", "--trials", "200", "--out", "/proc/agentsim-none/y.html"],
      ["run", "--trials", "200", "--trace", "/proc/agentsim-none/t.jsonl"],
    ]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 20_000 });
      expect([args[0], r.status]).toEqual([args[0], 2]);
      expect(r.stderr).toMatch(/^agentsim: [^\n]*\/proc\/agentsim-none\/[^\n]*\n$/);
    }
  });

  it("an output's folder is made as the path reads, through a folder and back (a review: a/../b/c.html failed and left b)", () => {
    const root = scratchFolder("dotdot");
    mkdirSync(join(root, "a"));
    const r = spawnSync(process.execPath, [CLI, "report", resolve("scenarios/default.yaml"), "--trials", "200", "--threads", "1", "--out", "a/../b/c.html"], { cwd: root, encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(existsSync(join(root, "b", "c.html"))).toBe(true);
  });

  it("a command that fails leaves no folder it would have made for its output", () => {
    const root = scratchFolder("folders");
    writeFileSync(join(root, "afile"), "");
    const failing: [string[], RegExp][] = [
      [["report", "no/such.yaml", "--out", join(root, "r", "deep", "r.html")], /no\/such\.yaml: cannot read scenario/],
      // after the report took its lock (and made its folder), before it wrote
      [["report", "scenarios/default.yaml", "--crossover", "no.such.key", "--out", join(root, "r2", "deep", "r.html")], /--crossover no\.such\.key: no numeric key at that path/],
      [["merge", join(root, "afile"), "--out", join(root, "m", "deep", "m.csv")], /afile: is empty, not a sweep CSV/],
      [["merge", "/dev/null", "--out", join(root, "m", "deep", "m.csv")], /\/dev\/null: not a regular file: merge reads each shard twice/],
      [["fit", join(root, "none.jsonl"), "--prices", "scenarios/default.yaml", "--out", join(root, "f", "deep", "f.yaml")], /none\.jsonl: cannot read/],
      [["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", join(root, "afile", "s.csv")], /afile\/s\.csv": a part of the path is not a folder/],
    ];
    for (const [args, message] of failing) {
      const r = agentsim(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(root)).toEqual(["afile"]);
    // a folder is made when the output is written
    const out = join(root, "new", "deeper", "s.csv");
    expect(agentsim("sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "20", "--threads", "1", "--out", out).code).toBe(0);
    expect(readdirSync(join(root, "new", "deeper")).sort()).toEqual(["s.csv", "s.csv.sweep.json"]);
  });

  it("--version, -V, -h and bare agentsim work as in every CLI", async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) expect(await inProcess(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    for (const args of [["-h"], ["--help"], []]) {
      const r = await inProcess(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^agentsim <command> \[options\]/);
      expect(r.stdout).toMatch(/agentsim crossover <scenario>/);
      expect(r.stderr).toBe("");
    }
    const sub = await inProcess("sweep", "--help");
    expect(sub.stdout).toMatch(/^agentsim sweep <scenario>/);
    expect(sub.code).toBe(0);
  });

  it("-- ends the options: the operands after it are read as without it, one starting with - is refused in one line", async () => {
    // "---- was given 3 times" for run, "needs its file argument" for crossover and fit, before
    const run = await inProcess("run", "--trials", "200", "--json", "--", "scenarios/default.yaml");
    expect(run.code).toBe(0);
    const withoutTiming = (json: string) => ({ ...JSON.parse(json), timing: null });
    expect(withoutTiming(run.stdout)).toEqual(withoutTiming((await inProcess("run", "--trials", "200", "--json", "scenarios/default.yaml")).stdout));
    const crossover = await inProcess("crossover", "--param", "models.weak.bugs.count", "--json", "--", "scenarios/default.yaml");
    expect([crossover.code, crossover.stderr]).toEqual([0, ""]);
    expect((await inProcess("prices", "--json", "--", "opus")).stdout).toBe((await inProcess("prices", "--json", "opus")).stdout);
    expect(await inProcess("run", "--", "scenarios/default.yaml", "--trials", "20")).toEqual({
      code: 2,
      stdout: "",
      stderr: 'agentsim: "--trials" after -- would be a file or filter starting with "-", which agentsim does not take (write a file as ./--trials) (see agentsim run --help)\n',
    });
    expect((await inProcess("--")).stdout).toMatch(/^agentsim <command> \[options\]/);
    // a lone "-": run ran the default scenario, --seed - took "" and fit - said ": no .jsonl files" (a review)
    for (const args of [["run", "-"], ["run", "--seed", "-"], ["fit", "-"], ["prices", "-"]]) {
      expect(await inProcess(...args), args.join(" ")).toEqual({
        code: 2,
        stdout: "",
        stderr: `agentsim: "-" is no file or value agentsim takes: it reads no standard input (name a file, or /dev/stdin) (see agentsim ${args[0]} --help)\n`,
      });
    }
    // a flag right before -- took the file after it as its value: the trace was written over the scenario (a review)
    const own = scratchFolder("dashdash");
    const mine = join(own, "mine.yaml");
    writeFileSync(mine, readFileSync("scenarios/default.yaml", "utf8"));
    for (const [args, token] of [
      [["run", "--trials", "100", "--trace", "--", mine], "--trace"],
      [["run", "--traceRuns", "--", mine], "--traceRuns"],
      [["run", "--trace-Runs", "--", mine], "--trace-Runs"],
      // the same file given before too: the flag still took the one after -- (a seed "mine.yaml", exit 0)
      [["run", mine, "--seed", "--", mine], "--seed"],
    ] as const) {
      const r = await inProcess(...args);
      expect([r.code, r.stdout], args.join(" ")).toEqual([2, ""]);
      expect(r.stderr).toBe(`agentsim: ${token} comes right before --, so it takes ${JSON.stringify(mine)} after -- as its value: write the flags after the files (see agentsim run --help)\n`);
    }
    expect(readFileSync(mine, "utf8")).toBe(readFileSync("scenarios/default.yaml", "utf8"));
    // where the command needs the file, yargs finds it missing first: said the same way, not "needs its file argument"
    expect((await inProcess("sweep", "--out", "--", mine)).stderr).toBe(
      `agentsim: --out comes right before --, so it takes ${JSON.stringify(mine)} after -- as its value: write the flags after the files (see agentsim sweep --help)\n`,
    );
    expect((await inProcess("run", "--json", "--trials", "20", "--", mine)).code).toBe(0); // a switch before -- takes nothing
    // but "true" or "false": --json -- true read no file "true" and ran the default scenario (a review)
    expect((await inProcess("run", "--json", "--", "true")).stderr).toBe(
      'agentsim: --json comes right before --, so it takes "true" after -- as its value: write the flags after the files (see agentsim run --help)\n',
    );
    // a negative number after -- is an operand, as it is without -- (prices -- -4 was refused, prices -4 not)
    expect((await inProcess("prices", "--json", "--", "-4")).stdout).toBe((await inProcess("prices", "--json", "-4")).stdout);
    // a switch may be turned off so, as in other tools
    expect((await inProcess("run", "--no-json", "--trials", "20", mine)).code).toBe(0);
    // a flag the command lacks is named as unknown, not told to take a value
    expect((await inProcess("analytic", "--trials", "--", mine)).stderr).toBe("agentsim: unknown flag --trials (see agentsim analytic --help)\n");
    // an empty file name: ": cannot read" without a name before
    for (const args of [["run", ""], ["fit", "", "--bootstrap", "0"], ["merge", "", "--out", join(own, "m.csv")]]) {
      const r = await inProcess(...args);
      expect([r.code, r.stdout], args.join(" ")).toEqual([2, ""]);
      expect(r.stderr).toMatch(/^agentsim: "" is no file name \(an empty (scenario|traces|csv) argument\)/);
    }
    const assigned = await inProcess("run", "--trials=100", "--", mine);
    expect([assigned.code, assigned.stderr]).toEqual([0, ""]);
  });

  it("main still turns off yargs' help rendering after each command (a start-up cost; see skipHelpCache)", () => {
    // false when a yargs upgrade has moved the internals: the commands work, only slower to start
    expect(skipHelpCache(yargs([]))).toBe(true);
  });

  it("the bin sets up no Intl service (13-18 ms of ICU) for run, and segments its help text as before", () => {
    // a preload that reports every Intl constructor and toLocaleString the process calls
    const spy = `data:text/javascript,${encodeURIComponent(
      `for (const k of ["Segmenter", "NumberFormat", "Collator", "DateTimeFormat", "PluralRules", "ListFormat"]) {
         const C = Intl[k]; Intl[k] = new Proxy(C, { construct: (t, a) => (process.stderr.write("Intl." + k + "\\n"), Reflect.construct(t, a)) }); }
       for (const P of [Number, BigInt, Date, Array]) { const f = P.prototype.toLocaleString;
         P.prototype.toLocaleString = function (...a) { process.stderr.write(P.name + ".toLocaleString\\n"); return f.apply(this, a); }; }`,
    )}`;
    const run = spawnSync(process.execPath, ["--import", spy, CLI, "run", "scenarios/default.yaml", "--trials", "2000", "--threads", "1"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const help = spawnSync(process.execPath, ["--import", spy, CLI, "--help"], { encoding: "utf8" });
    expect(help.stderr).toMatch(/Intl\.Segmenter/); // made when the help text is measured, not on import
    expect(help.stdout).toBe(agentsim("--help").stdout);
  });

  it("the bin behaves the same as a process: version, and a one-line error", () => {
    expect(agentsim("-V")).toMatchObject({ code: 0, stderr: "" });
    const r = agentsim("run", "--threads");
    expect(r).toMatchObject({ code: 2, stdout: "", stderr: "agentsim: --threads needs a value (see agentsim run --help)\n" });
  });
});

describe("a scenario of one strategy", () => {
  it("is not called cheapest, nor its p90 the lowest, of nothing to compare (a report audit: 'Cheapest per run: only ...; lowest p90 too')", () => {
    const file = scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace(/^strategies:\n(?: {2}.*\n)*/m, "strategies:\n  only: { generator: strong, fixer: weak }\n"));
    const run = agentsim("run", file, "--trials", "2000", "--threads", "1").stdout.split("\n");
    expect(run[0]).toBe("The scenario's one strategy, in both contexts: only (strong generates, weak fixes).");
    expect(run[1]).toMatch(/^ {2}shared: \$[\d.]+ per run; p90 \$[\d.]+$/);
    expect(agentsim("analytic", file).stdout.split("\n")[0]).toBe("The scenario's one strategy, in both contexts: only (strong generates, weak fixes).");
  });
});

describe("runs that would not fit in memory", () => {
  it("are refused before any work, naming the flag or the file's key and the most that fits (a review: 100,000,000 runs held 7 GB, and a smaller machine kills the process without a word)", () => {
    // bench/scenario.yaml: 2 strategies x 2 contexts, untimed: 4 x 8 bytes a run; of 1e9 bytes of memory 60% may hold them
    const jobs = jobsOf(loadScenario("bench/scenario.yaml").scenario);
    expect(jobs).toHaveLength(4);
    expect(() => checkRunsFit("100000000", "s.yaml", jobs, 1e8, 1, 1e9)).toThrow(
      "--trials 100000000: 100,000,000 runs of each of 4 strategy and context pairs hold 3.2 GB of per-run costs, more than this machine's memory allows (0.6 GB: at most 18,750,000 runs here)",
    );
    // two at a time (a sweep's large points, a report's sorted copies): half as many
    expect(() => checkRunsFit(undefined, "s.yaml", jobs, 1e8, 2, 1e9)).toThrow(/^s\.yaml: trials: 100,000,000 runs .* hold 6\.4 GB .*at most 9,375,000 runs here\)$/);
    expect(() => checkRunsFit("18750000", "s.yaml", jobs, 18_750_000, 1, 1e9)).not.toThrow();
  });
});

describe("JSON says why a number is missing", () => {
  it("crossover's best attempts: the other strategy's null cost comes with its reason", () => {
    const r = agentsim("crossover", "scenarios/advisor.yaml", "--param", "strategies.advised.ladder[0].attempts", "--between", "advised,executor-alone", "--to", "5", "--json");
    expect(r.code).toBe(0);
    const others = JSON.parse(r.stdout).best.map((b: { other: unknown }) => b.other);
    expect(others).toContainEqual({ strategy: "executor-alone", cost: null, reason: expect.stringMatching(/context window/) });
    for (const o of others) expect(o.cost === null).toBe(o.reason !== null);
  });
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN: here and in CI), for the full-disk tests. */
function canMount(): boolean {
  const dir = scratchFolder("mount");
  const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).status === 0;
  if (ok) spawnSync("umount", [dir]);
  return ok;
}

describe.skipIf(!canMount())("a full disk (a 64 KiB tmpfs)", () => {
  const full = scratchFolder("full");
  beforeAll(() => {
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full]).status).toBe(0);
  });
  afterAll(() => {
    spawnSync("umount", [full]);
  });

  it("a report's page cut short is one line, exit 2, and no file (an audit: a cut page, 'Wrote', exit 0)", () => {
    const r = agentsim("report", "scenarios/default.yaml", "--trials", "2000", "--threads", "1", "--out", join(full, "r.html"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentsim: cannot write .*r\.html: no space or no free inode left on the device\n$/);
    expect(readdirSync(full)).toEqual([]);
  });

  it("a sweep that fills the disk keeps its points for --resume, which finishes it once there is room (an audit: a stack trace, every point lost)", () => {
    const text = readFileSync("scenarios/sweep-weak-bugs.yaml", "utf8").replace(/^sweep:[\s\S]*$/m, "sweep:\n  models.weak.bugs.count: { from: 2, to: 120, steps: 60 }\n");
    const file = scenarioFile(text);
    const out = join(full, "o.csv");
    const args = ["sweep", file, "--trials", "500", "--threads", "1", "--out", out];
    const first = agentsim(...args);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/^agentsim: cannot write .*o\.csv\.partial: no space or no free inode left on the device \(\d+ points are kept: run the same command with --resume to continue\)\n$/);
    expect(spawnSync("mount", ["-o", "remount,size=1m", full]).status).toBe(0);
    const resumed = agentsim(...args, "--resume");
    expect(resumed.stderr).toBe("");
    expect(resumed.stdout).toMatch(/resumed/);
    const whole = join(scratchFolder("room"), "o.csv");
    expect(agentsim("sweep", file, "--trials", "500", "--threads", "1", "--out", whole).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(whole, "utf8"));
  });
});

describe("text fits the width COLUMNS gives a pipe", () => {
  const at = (columns: number, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, COLUMNS: String(columns) } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

  it("run says its checks' verdicts in a line where the verdict column does not fit (a recheck: an 11-character model name hid it at 100 columns)", () => {
    const text = readFileSync("scenarios/default.yaml", "utf8").replace(/\bweak\b(?!-)/g, "weakmodelxyz");
    const long = at(100, "run", scenarioFile(text), "--trials", "2000", "--threads", "1");
    expect(long.split("\n").find((l) => / +verdict *$/.test(l))).toBeUndefined();
    expect(long).toContain("All 8 checks are consistent with the closed forms (the verdict column did not fit; --wide shows it).");
    expect(at(100, "run", "scenarios/default.yaml", "--trials", "2000", "--threads", "1")).not.toContain("the verdict column did not fit");
  });

  it("run's and analytic's main table fit 40 columns: the generator and fixer go last", () => {
    for (const command of ["run", "analytic"]) {
      const text = at(40, command, "scenarios/default.yaml", ...(command === "run" ? ["--trials", "2000"] : []));
      expect(widest(text)).toBeLessThanOrEqual(40); // 43-57 before
      expect(text).toMatch(/\n {2}strong-first +\$0\.\d+/);
    }
  });

  it("the verdict's rule is explained only where the table shows verdicts (an audit: under a table without them)", () => {
    expect(at(100, "run", "scenarios/default.yaml", "--trials", "2000")).toMatch(/^verdict: consistent when/m);
    const narrow = at(60, "run", "scenarios/default.yaml", "--trials", "2000");
    expect(narrow).not.toMatch(/verdict: consistent when/);
    // the verdicts, said in a line instead (a recheck: an inconsistent check went unseen)
    expect(narrow.replace(/\n/g, " ")).toContain("All 8 checks are consistent with the closed forms (the verdict column did not fit; --wide shows it).");
    expect(narrow).toMatch(/^--wide adds p50/m);
    // one strategy: no pair, and --wide prints no P(cheaper) matrix; it said it would
    const one = scenarioFile(readFileSync("scenarios/default.yaml", "utf8").replace(/^strategies:[\s\S]*$/m, "strategies:\n  strong-first: { generator: strong, fixer: weak }\n"));
    const single = at(100, "run", one, "--trials", "2000");
    expect(single.replace(/\n/g, " ")).toMatch(/--wide adds p50, p99, z and relative error, the extensions' outputs and the cost by model\. $/);
  });

  it("sweep's and report's closing line are wrapped, the file's name whole", () => {
    // ~100 and 77 columns at COLUMNS=40; a name of two spaces stays as it is
    const dir = scratchFolder("wrote");
    const csv = join(dir, "a  b.csv");
    // (the name, longer than 40 columns here, is a line of its own, unbroken)
    const fits = (text: string, name: string) => text.split("\n").filter((l) => !l.includes(name)).every((l) => l.length <= 40);
    const swept = at(40, "sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "200", "--out", csv);
    expect(fits(swept, csv)).toBe(true);
    expect(swept.replace(/\n {2}/g, " ")).toMatch(new RegExp(`^Wrote ${csv.replace(/[.]/g, "\\.")}: 64 rows, 8 points x 4 strategies x 2 contexts, 200 runs each, `));
    expect(existsSync(csv)).toBe(true);
    const html = join(dir, "r.html");
    const reported = at(40, "report", "scenarios/default.yaml", "--trials", "200", "--threads", "1", "--out", html);
    expect(fits(reported, html)).toBe(true);
    expect(reported.replace(/\n {2}/g, " ")).toMatch(/^Wrote .*r\.html \(\d+ kB\), 200 runs per strategy and context, /);
  });

  it("run's ladder table, crossover's title and table, and validate's checks", () => {
    const ladders = at(80, "run", "scenarios/escalation.yaml", "--trials", "2000");
    expect(ladders).toMatch(/Ladders:/);
    expect(widest(ladders)).toBeLessThanOrEqual(80); // the ladder table was 81 to 89 wide
    expect(widest(at(60, "run", "scenarios/escalation.yaml", "--trials", "2000"))).toBeLessThanOrEqual(60);
    expect(ladders).toMatch(/\nescalate \(shared\)\n {2}1 weak fixes +100\.0%/); // a section per strategy and context
    expect(ladders).not.toMatch(/\n\n\n/); // two blank lines came before "Ladders:" where no note did
    const advised = at(40, "run", "scenarios/advisor.yaml", "--trials", "2000");
    expect(widest(advised)).toBeLessThanOrEqual(40); // 43 when the rung and the model had a column each
    expect(advised).toMatch(/\n {2}2 advisor advises +\d+\.\d%/);
    expect(advised).toMatch(/An advising rung's attempts are its\s+consults\./);
    const crossover = at(60, "crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count");
    expect(widest(crossover)).toBeLessThanOrEqual(60); // 69, title and table
    expect(crossover).toMatch(/^context +models\.weak\.bugs\.count +cheaper/m); // the key heads its column where it fits
    // at 42 columns the key gives way to "value" (57 wide with it), the method dropped: 7 + 7 + 10 +
    // 12 (strong-first) and three gaps of 2 = 42
    const valued = at(42, "crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count");
    expect(valued).toMatch(/^context +value +cheaper +cheaper\n +below +above\nshared +3\.02202 +weak-first +strong-first\n/m);
    expect(widest(valued)).toBe(42);
    // at 40 that is still too wide: each context lists its crossing, under the key, with its method
    const narrow = at(40, "crossover", "scenarios/default.yaml", "--param", "models.weak.bugs.count");
    expect(narrow).toMatch(/^shared\n {2}models\.weak\.bugs\.count 3\.02202;\n {2}cheaper below weak-first;\n {2}cheaper above strong-first;\n {2}method exact\n/m);
    expect(widest(narrow)).toBeLessThanOrEqual(40);
    const best = at(80, "crossover", "scenarios/escalation.yaml", "--param", "strategies.escalate.ladder[0].attempts", "--to", "8");
    expect(widest(best)).toBeLessThanOrEqual(80); // 96, its title
    const dir = scratchFolder("validate");
    writeFileSync(join(dir, "binomial.yaml"), readFileSync("scenarios/validation/binomial.yaml", "utf8"));
    // a pipe named like a scenario is no scenario: with no writer it blocked the validation for good (a review)
    expect(spawnSync("mkfifo", [join(dir, "pipe.yaml")]).status).toBe(0);
    const checks = at(60, "validate", "--dir", dir, "--trials", "200", "--threads", "1");
    // the answer first (an audit: it came after every row), then a section per scenario, not a column
    expect(checks).toMatch(/^\d+ checks, \d+ inconsistent/);
    const table = checks.split("\n\n")[1]!.split("\n");
    expect(table[1]).toBe("binomial");
    expect(widest(checks)).toBeLessThanOrEqual(60); // 113 to 118 at any width
    // at 40 the closed form and z go too (55 to 60 wide): the verdict stays
    const narrowChecks = at(40, "validate", "--dir", dir, "--trials", "200", "--threads", "1");
    expect(widest(narrowChecks)).toBeLessThanOrEqual(40);
    expect(narrowChecks.split("\n\n")[1]!.split("\n")[0]).toMatch(/^strategy +context +verdict$/);
  });
});
