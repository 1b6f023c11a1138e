/**
 * Whole processes, wall clock, on bench/scenario.yaml (2 strategies x 2 contexts, 6 and 20 bugs
 * per run): `agentsim run` on 1 and 2 threads against the vectorised numpy Monte Carlo of the same
 * runs (bench/numpy_baseline.py) at 100,000, 1,000,000 and 5,000,000 trials, and a sweep of 2,000
 * points at 2,000 runs each on 1 and 2 threads; beside each, the same command of another build
 * (today's main, `--baseline DIR`), so that both are measured on the machine as it is.
 *
 * Every command runs once per round, the rounds alternate all commands, and each figure is the
 * best round (this machine's speed drifts from minute to minute; the best run is the least
 * disturbed one). numpy at 5,000,000 trials takes 20 s a run: it runs in the first round only.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface ProcessOptions {
  /** the package folder of this build */
  root: string;
  /** the package folder of a build to compare with (its dist/agentsim.mjs), or null */
  baseline: string | null;
  rounds: number;
}

const SCENARIO = "bench/scenario.yaml";
const TRIALS = [100_000, 1_000_000, 5_000_000] as const;
const SWEEP = { points: 2000, trials: 2000 };

/** A command of the table: what it runs, and whether it runs in every round. */
interface Command {
  key: string;
  command: string;
  args: string[];
  everyRound: boolean;
}

/** A python3 with numpy and yaml: the interpreter itself (a version manager's shim would add its own start-up), or null. */
function findPython(): string | null {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(python, ["-c", "import sys, numpy, yaml; print(sys.executable)"], { encoding: "utf8" });
    if (r.status === 0) return r.stdout.trim();
  }
  return null;
}

function seconds(c: Command, cwd: string): number {
  const start = performance.now();
  const r = spawnSync(c.command, c.args, { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const elapsed = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${c.command} ${c.args.join(" ")} failed (${r.status ?? r.error}): ${r.stderr}`);
  return elapsed;
}

export function measureProcesses(options: ProcessOptions): string {
  const { root, baseline, rounds } = options;
  const python = findPython();
  const dir = mkdtempSync(join(tmpdir(), "agentsim-bench-"));
  const sweepFile = join(dir, "sweep.yaml");
  const scenarioText = readFileSync(resolve(root, SCENARIO), "utf8");
  writeFileSync(sweepFile, `${scenarioText}sweep:\n  models.weak.fix.hard: { from: 0.2, to: 0.6, steps: ${SWEEP.points} }\n`);
  const scenario = resolve(root, SCENARIO);
  const builds: [string, string][] = [["new", root], ...(baseline ? [["base", resolve(baseline)] as [string, string]] : [])];
  const commands: Command[] = [];
  for (const trials of TRIALS) {
    for (const [build, dir] of builds) {
      for (const threads of [1, 2]) {
        const args = [join(dir, "dist/agentsim.mjs"), "run", scenario, "--threads", String(threads), "--trials", String(trials)];
        commands.push({ key: `${build} run ${trials} ${threads}`, command: process.execPath, args, everyRound: true });
      }
    }
    if (python) commands.push({ key: `numpy ${trials}`, command: python, args: [resolve(root, "bench/numpy_baseline.py"), scenario, String(trials)], everyRound: trials < 5_000_000 });
  }
  for (const [build, buildDir] of builds) {
    for (const threads of [1, 2]) {
      const out = join(dir, `${build}-${threads}.csv`);
      const args = [join(buildDir, "dist/agentsim.mjs"), "sweep", sweepFile, "--threads", String(threads), "--trials", String(SWEEP.trials), "--out", out];
      commands.push({ key: `${build} sweep ${threads}`, command: process.execPath, args, everyRound: true });
    }
  }
  const best = new Map<string, number>();
  const load = loadavg()[0]!;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const c of commands) {
        if (round > 0 && !c.everyRound) continue;
        const t = seconds(c, root);
        best.set(c.key, Math.min(best.get(c.key) ?? Infinity, t));
        if (c.key.includes("sweep")) rmSync(c.args.at(-1)!, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report(best, { python, baseline, rounds, load, loadAfter: loadavg()[0]! });
}

function report(best: Map<string, number>, how: { python: string | null; baseline: string | null; rounds: number; load: number; loadAfter: number }): string {
  const s = (key: string) => (best.has(key) ? `${best.get(key)!.toFixed(2)} s` : "-");
  const ratio = (a: string, b: string) => (best.has(a) && best.has(b) ? best.get(a)! / best.get(b)! : NaN);
  const x = (r: number) => (Number.isNaN(r) ? "-" : `${r.toFixed(2)}x`);
  const base = how.baseline !== null;
  const head = ["trials", "1 thread", "2 threads", ...(base ? ["main, 1 thread", "main, 2 threads"] : []), "numpy"];
  const rows = TRIALS.map((t) => [
    t.toLocaleString("en-US"),
    s(`new run ${t} 1`),
    s(`new run ${t} 2`),
    ...(base ? [s(`base run ${t} 1`), s(`base run ${t} 2`)] : []),
    s(`numpy ${t}`),
  ]);
  const sweepRow = [
    `sweep ${SWEEP.points.toLocaleString("en-US")} x ${SWEEP.trials.toLocaleString("en-US")}`,
    s("new sweep 1"),
    s("new sweep 2"),
    ...(base ? [s("base sweep 1"), s("base sweep 2")] : []),
    "",
  ];
  const lines = [
    `Whole processes on ${SCENARIO} (2 strategies x 2 contexts, 6 and 20 bugs per run), best of ${how.rounds} alternating rounds` +
      ` (numpy at 5,000,000: one run); load average ${how.load.toFixed(2)} before, ${how.loadAfter.toFixed(2)} after`,
    `numpy: ${how.python ?? "no python3 with numpy and yaml found: skipped"}${base ? `; main: ${how.baseline}` : ""}`,
    "",
    ...table([head, ...rows, sweepRow]),
    "",
    "targets (issue 8):",
    `  1 thread vs numpy at 100,000: ${x(ratio("numpy 100000", "new run 100000 1"))} (faster: > 1)`,
    `  1 thread vs numpy at 1,000,000: ${x(ratio("numpy 1000000", "new run 1000000 1"))} (>= 2)`,
    `  2 threads vs 1 at 5,000,000: ${x(ratio("new run 5000000 1", "new run 5000000 2"))} (>= 1.7)`,
    `  sweep, 2 threads vs 1: ${x(ratio("new sweep 1", "new sweep 2"))} (>= 1.6)`,
    ...(base ? [`  sweep, 1 thread vs today's main on 1 thread: ${x(ratio("base sweep 1", "new sweep 1"))} (>= 2)`] : []),
  ];
  return lines.join("\n");
}

/** Rows as aligned text: the first column left, the others right. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd());
}
