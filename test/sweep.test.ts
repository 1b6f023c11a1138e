import { spawn, spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchFolder } from "./scratch.js";
import { createHash } from "node:crypto";
import { UserError } from "../src/errors.js";
import { evaluateScenario } from "../src/evaluate/evaluate.js";
import { SimulationPool } from "../src/sim/pool.js";
import { EXTENSION_COLUMNS, FIXED_COLUMNS, csvLayout, formatNumber } from "../src/sweep/csv.js";
import { evaluatePoints, type PointTask } from "../src/sweep/tasks.js";
import { grid } from "../src/model/roots.js";
import { axisValues, gridPoints, keptPerAxis, pointAt, spreadIndexes } from "../src/sweep/grid.js";
import { mergeFiles, mergeTexts, planMerge, scanInputs, writeMerged } from "../src/sweep/merge.js";
import { buildSweep, pointSeedKey, sweepGrid, sweepPoints, thinSweep } from "../src/sweep/points.js";
import { inShard, parseShard, shardPoint, shardSize } from "../src/sweep/shard.js";
import { defaultOut, fileSafe, lockOutput, removeCreatedFolders, takeOverStale, temporaryOf } from "../src/sweep/output.js";
import { recordFile } from "../src/sweep/record.js";
import { partialFiles, runSweep, type SweepHandle, type SweepOptions } from "../src/sweep/sweep.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = resolve(ROOT, "dist/agentsim.mjs"); // the bin, bundled from src/ by test/setup/bundle.ts

/** The default scenario's parameters, as plain data, with a sweep section. */
function scenarioData(sweep: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "sweep-test",
    seed: 7,
    trials: 2000,
    models: {
      strong: { price: { input: 5, output: 25 }, bugs: { count: 3, hardFraction: 1 / 3 }, fix: { easy: 0.9, hard: 0.6 } },
      weak: { price: { input: 1, output: 5 }, bugs: { count: 8, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.15 } },
    },
    tokens: { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 },
    caching: { readMultiplier: 0.1, writeMultiplier: 1.25 },
    contexts: ["shared", "fresh"],
    strategies: {
      "strong-first": { generator: "strong", fixer: "weak" },
      "weak-first": { generator: "weak", fixer: "strong" },
      "strong-strong": { generator: "strong", fixer: "strong" },
      "weak-weak": { generator: "weak", fixer: "weak" },
    },
    ...extra,
    sweep,
  };
}

/** 10 points: weak bug counts 2, 4, ..., 20. */
const TEN_POINTS = { "models.weak.bugs.count": { from: 2, to: 20, steps: 10 } };

/** The message of the UserError fn throws (fails the test when it throws nothing or something else). */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("expected a UserError");
}

async function userErrorAsync(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return (err as Error).message;
}

let dir: string;
let pool: SimulationPool;

beforeAll(() => {
  dir = scratchFolder("sweep");
  pool = new SimulationPool(2);
});

afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("grid", () => {
  it("lists points with the last axis varying fastest", () => {
    const points = [
      ...gridPoints([
        { path: "a", values: [1, 2] },
        { path: "b", values: [10, 20, 30] },
      ]),
    ];
    expect(points.map((p) => p.values)).toEqual([[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]]);
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("spaces linear and log ranges and ends exactly at `to`", () => {
    expect(axisValues("x", { from: 0, to: 1, steps: 5, scale: "linear" }, "f")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(axisValues("x", { from: 0.1, to: 0.7, steps: 7, scale: "linear" }, "f").at(-1)).toBe(0.7);
    const log = axisValues("x", { from: 1, to: 1000, steps: 4, scale: "log" }, "f");
    expect(log[0]).toBe(1);
    expect(log[3]).toBe(1000);
    // 1000^(1/3) is 9.999999999999998 in floating point: a value within rounding of a whole
    // number is that number, so a whole-number key (a bug count) takes the range
    expect(log).toEqual([1, 10, 100, 1000]);
    const attempts = axisValues("x", { from: 1, to: 40, steps: 40, scale: "linear" }, "f");
    expect(attempts).toEqual(Array.from({ length: 40 }, (_, i) => i + 1)); // point 25 was 26.000000000000004
    // values off a whole number keep every digit
    expect(axisValues("x", { from: 0.2, to: 0.6, steps: 3, scale: "linear" }, "f")).toEqual([0.2, 0.2 + 0.4 * 0.5, 0.6]);
    expect(axisValues("x", { from: 1, to: 2, steps: 4, scale: "log" }, "f").slice(1, 3)).toEqual([2 ** (1 / 3), 2 ** (2 / 3)]);
    expect(axisValues("x", { from: 3, to: 9, steps: 1, scale: "log" }, "f")).toEqual([3]);
    expect(axisValues("x", [5, 1, 3], "f")).toEqual([5, 1, 3]);
    const msg = userError(() => axisValues("caching.readMultiplier", { from: 0, to: 1, steps: 3, scale: "log" }, "s.yaml"));
    expect(msg).toMatch(/^s\.yaml: sweep\.caching\.readMultiplier: .*from > 0/);
  });

  it("spaces ranges whose width or ratio overflows a double without an infinite point", () => {
    // to - from = Infinity: the midpoint was NaN, printed as an empty value in the message
    expect(axisValues("x", { from: -1e308, to: 1e308, steps: 3, scale: "linear" }, "f")).toEqual([-1e308, 0, 1e308]);
    expect(grid(-1e308, 1e308, 4)).toEqual([-1e308, -5e307, 0, 5e307, 1e308]); // crossover's scan
    // the width fits, but not width x steps: the midpoint was Infinity ("to Infinity" in the table)
    expect(grid(-1e308, 0, 400).every(Number.isFinite)).toBe(true);
    // a descending log range whose ratio underflows to 0 gave points of 0
    const down = axisValues("x", { from: 1e5, to: 5e-324, steps: 3, scale: "log" }, "f");
    expect(down[1]! > 0 && Math.abs(Math.log(down[1]!) - (Math.log(1e5) + Math.log(5e-324)) / 2) < 1e-12).toBe(true);
    // to / from = Infinity: every point but the ends was Infinity ("got Infinity"); in logarithms,
    // the midpoint of 5e-324 and 1e7 is their geometric mean
    const log = axisValues("x", { from: 5e-324, to: 1e7, steps: 3, scale: "log" }, "f");
    expect(Math.abs(Math.log(log[1]!) - (Math.log(5e-324) + Math.log(1e7)) / 2)).toBeLessThan(1e-12);
  });

  it("deals points to shards round-robin, disjoint and complete", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/2", "3/2", "1/0", "x", "1/2/3", "-1/2", "1.5/2", ""]) {
      const msg = userError(() => parseShard(bad));
      expect(msg).toMatch(/^--shard must be i\/n/);
      expect(msg).not.toContain("\n");
    }
    const owners = Array.from({ length: 11 }, (_, k) => [1, 2, 3].filter((i) => inShard({ index: i, count: 3 }, k)));
    expect(owners.every((o) => o.length === 1)).toBe(true);
    expect(owners.map((o) => o[0])).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]);
    // a shard's points, enumerated without the grid: exactly those inShard picks
    for (const size of [0, 1, 2, 5, 11]) {
      for (const shard of [null, { index: 1, count: 3 }, { index: 3, count: 3 }, { index: 4, count: 4 }]) {
        const listed = Array.from({ length: shardSize(shard, size) }, (_, j) => shardPoint(shard, j));
        expect(listed).toEqual(Array.from({ length: size }, (_, k) => k).filter((k) => inShard(shard, k)));
      }
    }
  });
});

describe("thinning a grid (the report draws at most 2,000 points)", () => {
  it("spreads the kept indexes evenly, ends included", () => {
    // round(i 9/3) = 0, 3, 6, 9 and round(i 10/4) = 0, 2.5 -> 3, 5, 7.5 -> 8, 10 (half rounds up)
    expect(spreadIndexes(10, 4)).toEqual([0, 3, 6, 9]);
    expect(spreadIndexes(11, 5)).toEqual([0, 3, 5, 8, 10]);
    expect(spreadIndexes(5, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(spreadIndexes(5, 9)).toEqual([0, 1, 2, 3, 4]);
    expect(spreadIndexes(7, 1)).toEqual([0]);
    // one value too many: every gap is 1 but one, which is 2
    const picks = spreadIndexes(2001, 2000);
    const gaps = picks.slice(1).map((x, i) => x - picks[i]!);
    expect([picks.length, picks[0], picks.at(-1)]).toEqual([2000, 0, 2000]);
    expect(gaps.filter((g) => g === 2).length).toBe(1);
    expect(gaps.every((g) => g === 1 || g === 2)).toBe(true);
  });

  it("keeps a near-square share of each axis, within the budget", () => {
    expect(keptPerAxis([10_000], 2000)).toEqual([2000]);
    expect(keptPerAxis([1500], 2000)).toEqual([1500]);
    // floor(sqrt(2000)) = 44, then floor(2000 / 44) = 45
    expect(keptPerAxis([300, 300], 2000)).toEqual([44, 45]);
    // a short axis keeps every value and leaves the rest to the long one, in either order
    expect(keptPerAxis([5, 20_000], 2000)).toEqual([5, 400]);
    expect(keptPerAxis([20_000, 5], 2000)).toEqual([400, 5]);
    expect(keptPerAxis([2, 2, 2], 8)).toEqual([2, 2, 2]);
    for (const lengths of [[3, 1000, 1000], [2001, 2], [7, 99_999], [100_000], [316, 316]]) {
      const kept = keptPerAxis(lengths, 2000);
      expect(kept.reduce((a, b) => a * b, 1)).toBeLessThanOrEqual(2000);
      expect(kept.every((k, j) => k >= 1 && k <= lengths[j]!)).toBe(true);
    }
  });

  it("keeps the whole sweep's very points: index, values, scenario and seed", () => {
    const sweep = buildSweep(
      scenarioData({ "caching.readMultiplier": [1, 0.5, 0.25], "models.weak.fix.hard": { from: 0.1, to: 0.6, steps: 1000 } }),
      "s.yaml",
    );
    const thin = thinSweep(sweep, 2000);
    // 3 values of the first key (all), floor(2000 / 3) = 666 of the second
    expect(thin.thinned).toEqual([
      { path: "caching.readMultiplier", kept: 3, of: 3 },
      { path: "models.weak.fix.hard", kept: 666, of: 1000 },
    ]);
    expect(thin.size).toBe(1998);
    const second = spreadIndexes(1000, 666);
    expect(thin.axes[1]!.values).toEqual(second.map((i) => sweep.axes[1]!.values[i]));
    for (const k of [0, 1, 665, 666, 1000, 1997]) {
      const p = thin.point(k);
      // point k of the thinned grid is (k div 666, k mod 666) there, so (k div 666, picks[k mod 666]) in the whole grid
      const index = Math.floor(k / 666) * 1000 + second[k % 666]!;
      expect(p.index).toBe(index);
      expect(p.values).toEqual(sweep.point(index).values);
      expect(p.values).toEqual([thin.axes[0]!.values[Math.floor(k / 666)], thin.axes[1]!.values[k % 666]]);
      expect(p.seedKey).toBe(pointSeedKey(7, p.values));
      expect(p.scenario).toEqual(sweep.point(index).scenario);
    }
    expect(thin.point(0).values).toEqual([1, 0.1]);
    expect(thin.point(1997).values).toEqual([0.25, 0.6]);
    // a sweep within the bound is kept whole
    expect(thinSweep(sweep, 3000).size).toBe(3000);
  });
});

describe("points", () => {
  it("derives each point's seed from the scenario seed and its values only", () => {
    const sweep = buildSweep(scenarioData({ "caching.readMultiplier": [1, 0.5], "models.weak.fix.hard": [0.1, 0.3] }), "s.yaml");
    expect([...sweepPoints(sweep)].map((p) => p.seedKey)).toEqual([
      "7|point:1,0.1", "7|point:1,0.3", "7|point:0.5,0.1", "7|point:0.5,0.3",
    ]);
    expect(pointSeedKey("abc", [0.1 + 0.2, 1e21])).toBe("abc|point:0.30000000000000004,1e+21");
    expect(sweep.point(2).scenario.caching.readMultiplier).toBe(0.5);
    expect(sweep.point(2).scenario.models.weak!.fix.hard).toEqual({ kind: "fixed", p: 0.1 });
  });

  it("a worker evaluates a point the grid did not keep (beyond KEPT_POINTS) to the same rows as a kept one", async () => {
    const sweep = buildSweep(scenarioData({ "caching.readMultiplier": [1, 0.5], "models.weak.fix.hard": [0.1, 0.3] }), "s.yaml");
    const layout = csvLayout(sweep.base, sweep.extensions);
    const task = (k: number, kept: boolean): PointTask => {
      const { index, values } = pointAt(sweep.axes, k);
      return { raw: kept ? null : sweep.raw, file: sweep.file, index, values, scenario: kept ? sweep.kept(k) : null, trials: 500, seedKey: pointSeedKey(sweep.base.seed, values), layout };
    };
    const ks = [0, 1, 2, 3];
    const kept = await evaluatePoints(ks.map((k) => task(k, true)));
    // a batch of points not kept (validated once for the batch), and one that mixes both kinds
    expect(await evaluatePoints(ks.map((k) => task(k, false)))).toEqual(kept);
    expect(await evaluatePoints(ks.map((k) => task(k, k % 2 === 0)))).toEqual(kept);
    expect(new Set(kept).size).toBe(4);
  });

  it("rejects a bad path, a bad value, trials and seed with one line naming the key", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ "models.weak.bugs.cont": [1, 2] }, /^s\.yaml: sweep\.models\.weak\.bugs\.cont: no numeric key at that path$/],
      [{ "caching.ttlSeconds": [10] }, /^s\.yaml: sweep\.caching\.ttlSeconds: no numeric key at that path$/],
      [{ name: [1] }, /^s\.yaml: sweep\.name: no numeric key at that path$/],
      [
        { "models.weak.fix.hard": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.5] },
        /^s\.yaml: sweep\.models\.weak\.fix\.hard: value 1\.5 at point 7: must be a probability in \[0\.0001, 1\]/,
      ],
      [{ "models.weak.bugs.count": [2, 3] }, /^s\.yaml: sweep\.models\.weak\.bugs\.count: value 3 at point 1: models\.weak\.bugs\.hardFraction: /],
      [{ trials: [10, 20] }, /^s\.yaml: sweep\.trials: cannot be varied: a sweep runs each point the same number of runs \(its --trials\), and a closed form has none$/],
      [{ seed: [1, 2] }, /^s\.yaml: sweep\.seed: cannot be varied: a sweep seeds each point from the scenario's seed and the point, and a closed form has no seed$/],
      [{}, /^s\.yaml: sweep: must name at least one key/],
      [{ "caching.readMultiplier": { from: 0, to: 1, steps: 2, scale: "log" } }, /^s\.yaml: sweep\.caching\.readMultiplier: a log range/],
    ];
    for (const [sweep, expected] of cases) {
      const msg = userError(() => buildSweep(scenarioData(sweep), "s.yaml"));
      expect(msg).toMatch(expected);
      expect(msg).not.toContain("\n");
    }
    // a strategy whose name holds a dot, which a path reads as a step: said so
    const dotted = scenarioData({ "strategies.a.b.ladder[0].attempts": [1, 2] });
    (dotted.strategies as Record<string, unknown>)["a.b"] = { generator: "weak", ladder: [{ fixer: "weak", attempts: 2 }, { fixer: "strong" }] };
    expect(userError(() => buildSweep(dotted, "s.yaml"))).toBe(
      's.yaml: sweep.strategies.a.b.ladder[0].attempts: no numeric key at that path (a path cannot reach strategy "a.b": its name holds "." or "[n]"; rename it)',
    );
    // a typo in the path of another strategy: no word of the dotted one
    const typo = scenarioData({ "strategies.strong-first.ladder[0].atempts": [1, 2] });
    (typo.strategies as Record<string, unknown>)["a.b"] = (dotted.strategies as Record<string, unknown>)["a.b"];
    expect(userError(() => buildSweep(typo, "s.yaml"))).toBe("s.yaml: sweep.strategies.strong-first.ladder[0].atempts: no numeric key at that path");
    // ladder[0] and ladder.0 name one key: two axes on it contradicted each other at every point (a review)
    const twice = scenarioData({ "strategies.a.ladder.0.attempts": [3], "strategies.a.ladder[0].attempts": [400] });
    (twice.strategies as Record<string, unknown>).a = { generator: "weak", ladder: [{ fixer: "weak", attempts: 2 }, { fixer: "strong" }] };
    expect(userError(() => buildSweep(twice, "s.yaml"))).toBe("s.yaml: sweep.strategies.a.ladder[0].attempts: names the same key as sweep.strategies.a.ladder.0.attempts");
    const { sweep: _, ...noSweep } = scenarioData({});
    expect(userError(() => buildSweep(noSweep, "s.yaml"))).toMatch(/^s\.yaml: sweep: is missing/);
  });

  it("bounds the grid before building it: 1e10 points and steps: 10000000 are one line", () => {
    const huge = { "caching.readMultiplier": { from: 0.1, to: 1, steps: 100_000 }, "models.weak.fix.hard": { from: 0.1, to: 1, steps: 100_000 } };
    expect(userError(() => buildSweep(scenarioData(huge), "s.yaml"))).toBe(
      "s.yaml: sweep: the grid has 10,000,000,000 points (100000 x 100000), more than the 100,000 a sweep may have: use fewer values, or several sweeps",
    );
    const steps = userError(() => buildSweep(scenarioData({ "caching.readMultiplier": { from: 0.1, to: 1, steps: 10_000_000 } }), "s.yaml"));
    expect(steps).toMatch(/^s\.yaml: sweep\.caching\.readMultiplier\.steps: must be a whole number in \[1, 100000\]/);
  });
});

describe("csv numbers", () => {
  it("writes the shortest round-trip form and empty cells for null and non-finite", () => {
    for (const x of [0.1 + 0.2, 1 / 3, 1e-300, 123456789.123, 5e-324, 0, -1.5e22]) {
      expect(Number(formatNumber(x))).toBe(x);
    }
    expect(formatNumber(-0)).toBe("-0");
    expect(Object.is(Number(formatNumber(-0)), -0)).toBe(true);
    expect(formatNumber(Infinity)).toBe("");
    expect(formatNumber(NaN)).toBe("");
    expect(formatNumber(null)).toBe("");
  });
});

/** Run a sweep of the data into `name` under the test folder; returns the CSV text. */
async function sweepTo(data: Record<string, unknown>, name: string, options: Partial<SweepOptions> = {}): Promise<string> {
  const out = join(dir, name);
  await runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, ...options });
  return readFileSync(out, "utf8");
}

describe("sweep", () => {
  const data = scenarioData(TEN_POINTS);
  let full: string;

  beforeAll(async () => {
    full = await sweepTo(data, "results/full.csv");
  });

  it("writes 10 points x 4 strategies x 2 contexts = 80 rows with the required columns", async () => {
    const lines = full.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(["point", "models.weak.bugs.count", ...FIXED_COLUMNS].join(","));
    expect(FIXED_COLUMNS.join(",")).toBe(
      "strategy,generator,fixer,context,trials,analyticMean,reason,mean,stdError,ciLow,ciHigh,p50,p90,p99,z,relError,verdict,meanAttempts",
    );
    const rows = lines.slice(1, -1).map((l) => l.split(","));
    expect(rows).toHaveLength(80);
    expect(rows.every((r) => r.length === 2 + FIXED_COLUMNS.length)).toBe(true);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 80 }, (_, i) => String(Math.floor(i / 8))));
    expect(rows.map((r) => r[1])).toEqual(Array.from({ length: 80 }, (_, i) => String(2 + 2 * Math.floor(i / 8))));
    expect(existsSync(join(dir, "results/full.csv.partial"))).toBe(false);
    expect(existsSync(join(dir, "results/full.csv.partial.json"))).toBe(false);
  });

  it("writes every number so that it reads back to the evaluated double", async () => {
    const sweep = buildSweep(data, "t.yaml");
    const rows = full.split("\n").slice(1, -1).map((l) => l.split(","));
    const header = full.split("\n")[0]!.split(",");
    for (const point of sweepPoints(sweep)) {
      const { results } = await evaluateScenario(pool, point.scenario, { trials: 2000, seedKey: point.seedKey });
      results.forEach((r, j) => {
        const row = rows[point.index * 8 + j]!;
        for (const c of FIXED_COLUMNS) {
          const cell = row[header.indexOf(c)]!;
          const value = r[c];
          if (typeof value === "number" && Number.isFinite(value)) expect(Number(cell)).toBe(value);
          else if (typeof value === "number" || value === null) expect(cell).toBe("");
          else expect(cell).toBe(String(value));
        }
      });
    }
  });

  it("adds the extension columns when a point uses an extension", async () => {
    const text = await sweepTo(
      scenarioData({ "caching.ttlSeconds": [20, 300] }, {
        caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 60 },
        toolSeconds: { dist: "lognormal", mean: 30, cv: 1 },
        strategies: { "strong-first": { generator: "strong", fixer: "weak" } },
      }),
      "ext.csv",
      { trials: 500 },
    );
    const [head, ...rest] = text.trimEnd().split("\n");
    expect(head).toBe(["point", "caching.ttlSeconds", ...FIXED_COLUMNS, ...EXTENSION_COLUMNS].join(","));
    expect(rest).toHaveLength(4);
  });

  it("merges shards into the unsharded file byte for byte", async () => {
    const a = await sweepTo(data, "shards/a.csv", { shard: { index: 1, count: 2 } });
    const b = await sweepTo(data, "shards/b.csv", { shard: { index: 2, count: 2 } });
    expect(a.split("\n")).toHaveLength(1 + 40 + 1);
    expect(a.split("\n")[1]!.startsWith("0,")).toBe(true);
    expect(b.split("\n")[1]!.startsWith("1,")).toBe(true);
    const merged = join(dir, "merged/ab.csv");
    const result = await mergeFiles([join(dir, "shards/b.csv"), join(dir, "shards/a.csv")], merged);
    expect(result).toMatchObject({ points: 10, rows: 80 });
    expect(readFileSync(merged, "utf8")).toBe(full);
    // Three shards, one of them a single point, in any order.
    const parts = await Promise.all([1, 2, 3].map((i) => sweepTo(data, `shards/3-${i}.csv`, { shard: { index: i, count: 3 } })));
    expect(await mergeTexts(parts.reverse().map((text, i) => ({ file: `p${i}`, text })))).toBe(full);
  });

  it("merge checks everything before it writes: a refused merge leaves no folder; Ctrl-C while writing leaves nothing", async () => {
    const parts = [1, 2, 3].map((i) => join(dir, `shards/3-${i}.csv`)); // written by the test above
    // a shard missing (a gap in the points): refused before the lock, so no folder is made for --out
    const refused = join(dir, "refused-new", "deep", "m.csv");
    expect(await userErrorAsync(mergeFiles(parts.slice(0, 2), refused))).toMatch(/shard 3\/3 missing/);
    expect(existsSync(join(dir, "refused-new"))).toBe(false);
    // SIGINT while the merged file is written: the lock is taken once the shards are checked, and
    // shards of 6,000 points (48,000 rows) keep the merge writing for a while after it (a FIFO at
    // its temporary file held it there before, but Node cannot exit while a thread waits to open
    // one, and the merge of 10 points raced the signal)
    const big = { ...data, sweep: { "models.weak.fix.hard": { from: 0.1, to: 0.9, steps: 6000 } } };
    const bigParts = await Promise.all([1, 2, 3].map(async (i) => (await sweepTo(big, `big/3-${i}.csv`, { shard: { index: i, count: 3 }, trials: 2 }), join(dir, `big/3-${i}.csv`))));
    const root = scratchFolder("merge-int");
    const out = join(root, "made", "m.csv");
    const child = spawn(process.execPath, [CLI, "merge", ...bigParts, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    for (let waited = 0; waited < 60_000 && !existsSync(`${out}.lock`); waited += 2) await new Promise((r) => setTimeout(r, 2));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toBe("agentsim: interrupted (SIGINT); nothing was written\n");
    expect(readdirSync(root)).toEqual([]); // no merged file, no temporary file, no lock, no folder
  });

  it("merge refuses an input that is not a regular file: it reads each shard twice", async () => {
    // /dev/urandom was read without end (its first line no sweep CSV, read on for the hash), and a
    // FIFO hung at its second opening, past Ctrl-C
    const out = join(dir, "merged/never.csv");
    const fifo = join(dir, "shard.fifo");
    spawnSync("mkfifo", [fifo]);
    for (const input of ["/dev/urandom", fifo]) {
      expect(await userErrorAsync(mergeFiles([input], out))).toBe(`${input}: not a regular file: merge reads each shard twice, as a pipe or a device cannot be read`);
    }
    expect(await userErrorAsync(mergeFiles([dir], out))).toBe(`${dir}: is a folder, not a sweep CSV`);
    // a shard's record that is a FIFO hung its reading, past SIGTERM
    const shard = join(dir, "shards/3-1.csv");
    const fifoShard = join(dir, "fifo-record.csv");
    writeFileSync(fifoShard, readFileSync(shard));
    spawnSync("mkfifo", [recordFile(fifoShard)]);
    expect(await userErrorAsync(mergeFiles([fifoShard], out))).toBe(`${recordFile(fifoShard)}: not a regular file, not a sweep record`);
    // the merged file's record name taken by a folder: refused before anything is written (the CSV
    // was put in place, and then its record failed)
    mkdirSync(recordFile(out), { recursive: true });
    const parts = [1, 2, 3].map((i) => join(dir, `shards/3-${i}.csv`));
    expect(await userErrorAsync(mergeFiles(parts, out))).toMatch(/^--out ".*never\.csv": its record's name, .*never\.csv\.sweep\.json, is taken by a folder/);
    rmSync(recordFile(out), { recursive: true });
    expect(await userErrorAsync(mergeFiles([join(dir, "no-such.csv")], out))).toBe(`${join(dir, "no-such.csv")}: cannot read: no such file`);
    expect(existsSync(out)).toBe(false);
  });

  it("merge refuses an input that changed between its check and its merge", async () => {
    const header = "point,x,strategy\n";
    let reads = 0;
    const input = { file: "a.csv", chunks: async function* () { yield Buffer.from(header + (reads++ === 0 ? "0,1,s\n" : "0,2,s\n")); } };
    const plan = planMerge([input], await scanInputs([input]));
    expect(await userErrorAsync(writeMerged([input], plan, async () => {}))).toBe("a.csv: changed while it was merged");
  });

  it("merge refuses an incomplete set of shards, shards of another sweep and CSVs without their record", async () => {
    const parts = [1, 2, 3].map((i) => join(dir, `shards/3-${i}.csv`)); // written by the test above
    const out = join(dir, "merged/refused.csv");
    expect(await userErrorAsync(mergeFiles(parts.slice(0, 2), out))).toBe("shard 3/3 missing: a merge takes every shard of the sweep");
    const other = join(dir, "shards/other-3.csv");
    await runSweep(pool, buildSweep(data, "t.yaml"), { out: other, trials: 1000, shard: { index: 3, count: 3 } });
    const mixed = await userErrorAsync(mergeFiles([parts[0]!, parts[1]!, other], out));
    expect(mixed).toMatch(/other-3\.csv: not a shard of the same sweep as .*3-1\.csv \(trials 1000 vs 2000\)$/);
    // a shard simulated by another version of agentsim (its record says which)
    const olderRecord = JSON.parse(readFileSync(recordFile(parts[2]!), "utf8"));
    // the version and the build (dist/build-id: the tests' global setup bundles src)
    expect(olderRecord.agentsim).toBe(`${JSON.parse(readFileSync("package.json", "utf8")).version}+${readFileSync("dist/build-id", "utf8").trim()}`);
    const older = join(dir, "shards/older-3.csv");
    writeFileSync(older, readFileSync(parts[2]!));
    writeFileSync(recordFile(older), JSON.stringify({ ...olderRecord, agentsim: "0.0.9", sweep: "0".repeat(64) }));
    expect(await userErrorAsync(mergeFiles([parts[0]!, parts[1]!, older], out))).toMatch(/older-3\.csv: not a shard of the same sweep as .*3-1\.csv \(agentsim "0\.0\.9" vs "\d+\.\d+\.\d+\+[0-9a-f]{12}"\)$/);
    const twice = await userErrorAsync(mergeFiles([parts[0]!, parts[1]!, parts[1]!], out));
    expect(twice).toMatch(/shard 2\/3 is also given as/);
    const bare = join(dir, "bare.csv");
    writeFileSync(bare, readFileSync(parts[0]!));
    expect(await userErrorAsync(mergeFiles([bare], out))).toMatch(/bare\.csv: no .*bare\.csv\.sweep\.json beside it/);
    writeFileSync(recordFile(bare), readFileSync(recordFile(parts[0]!)));
    writeFileSync(bare, `\ufeff${readFileSync(parts[0]!, "utf8")}`); // as a spreadsheet saves it (an audit: "its first column is not point")
    expect(await userErrorAsync(mergeFiles([bare], out))).toMatch(/bare\.csv: not a sweep CSV as agentsim wrote it: it starts with a byte-order mark \(saved by another program\?\)$/);
    writeFileSync(bare, readFileSync(parts[0]!));
    appendFileSync(bare, "99,x\n");
    expect(await userErrorAsync(mergeFiles([bare], out))).toMatch(/does not describe .*bare\.csv as it is now/);
    // a record edited to a huge shard count: the missing shards are counted, not listed (an array
    // of 2^32 entries was a RangeError, of 1e9 an out-of-memory abort)
    const huge = join(dir, "huge.csv");
    writeFileSync(huge, readFileSync(parts[0]!));
    const record = JSON.parse(readFileSync(recordFile(parts[0]!), "utf8"));
    writeFileSync(recordFile(huge), JSON.stringify({ ...record, shard: { index: 1, count: 2 ** 32 } }));
    expect(await userErrorAsync(mergeFiles([huge], out))).toBe(
      "shards 2/4294967296, 3/4294967296, 4/4294967296, 5/4294967296, 6/4294967296, ... (4,294,967,295 in all) missing: a merge takes every shard of the sweep",
    );
    // a count beyond 2^53 is no record's (it printed "shards 2/1e+300, ... (1,000,...,000 in all)")
    writeFileSync(recordFile(huge), JSON.stringify({ ...record, shard: { index: 1, count: 1e300 } }));
    expect(await userErrorAsync(mergeFiles([huge], out))).toMatch(/huge\.csv\.sweep\.json: not a sweep record/);
    // a record whose fields were edited under its fingerprint: its trials went into the merged
    // record unchecked; one nested 20,000 deep overflowed the stack quoting it (an audit)
    const first = JSON.parse(readFileSync(recordFile(parts[0]!), "utf8"));
    const edited = join(dir, "edited-1.csv");
    writeFileSync(edited, readFileSync(parts[0]!));
    writeFileSync(recordFile(edited), JSON.stringify({ ...first, trials: 100000 }));
    expect(await userErrorAsync(mergeFiles([parts[1]!, parts[2]!, edited], out))).toMatch(
      /edited-1\.csv: not a shard of the same sweep as .*3-2\.csv \(trials 100000 vs 2000; the fingerprints agree, so a record was edited\)$/,
    );
    // compared whole, not as the message cuts them (a review: an edit in the middle of a long value passed)
    writeFileSync(recordFile(edited), JSON.stringify({ ...first, scenario: `${"a".repeat(70)}b${"a".repeat(70)}` }));
    const parts2 = parts.slice(1).map((p) => {
      const copy = join(dir, `long-${basename(p)}`);
      writeFileSync(copy, readFileSync(p));
      writeFileSync(recordFile(copy), JSON.stringify({ ...JSON.parse(readFileSync(recordFile(p), "utf8")), scenario: `${"a".repeat(70)}c${"a".repeat(70)}` }));
      return copy;
    });
    expect(await userErrorAsync(mergeFiles([...parts2, edited], out))).toMatch(/edited-1\.csv: not a shard of the same sweep as .*long-3-2\.csv \(scenario "a+…a+" \(141 characters\) vs "a+…a+" \(141 characters\); the fingerprints agree, so a record was edited\)$/);
    writeFileSync(recordFile(edited), JSON.stringify({ ...first, sweep: "0".repeat(64) }).replace(/"seed":[^,]*/, `"seed":${"[".repeat(20_000)}${"]".repeat(20_000)}`));
    expect(await userErrorAsync(mergeFiles([parts[1]!, parts[2]!, edited], out))).toMatch(/edited-1\.csv: not a shard of the same sweep as .*3-2\.csv \(seed a value nested too deeply to show vs \d+\)$/);
    writeFileSync(recordFile(edited), " ".repeat(70_000));
    expect(await userErrorAsync(mergeFiles([edited], out))).toMatch(/edited-1\.csv\.sweep\.json: not a sweep record: larger than 65536 bytes/);
    expect(existsSync(out)).toBe(false);
  });

  it("the merged CSV and its record are byte-identical to the unsharded sweep's", async () => {
    const merged = join(dir, "merged/all3.csv");
    // both written under temporary names and renamed with the lock's release in one synchronous
    // step (a signal's handler once ran between the CSV's rename and its record's)
    const handle = { cleanup: null, written: false };
    await mergeFiles([3, 1, 2].map((i) => join(dir, `shards/3-${i}.csv`)), merged, handle);
    expect(handle).toEqual({ cleanup: null, written: true });
    expect(readdirSync(join(dir, "merged")).filter((f) => f.startsWith("all3.csv")).sort()).toEqual(["all3.csv", "all3.csv.sweep.json"]);
    expect(readFileSync(merged, "utf8")).toBe(full);
    expect(readFileSync(recordFile(merged), "utf8")).toBe(readFileSync(recordFile(join(dir, "results/full.csv")), "utf8"));
    expect(JSON.parse(readFileSync(recordFile(merged), "utf8"))).toMatchObject({ scenario: "sweep-test", seed: 7, trials: 2000, gridPoints: 10, shard: null });
  });

  it("a second sweep to the same output fails at once, and a lock left by a dead process is taken over", async () => {
    const out = join(dir, "locked.csv");
    let locked!: () => void;
    const taken = new Promise<void>((resolve) => (locked = resolve));
    const first = runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, onLock: () => locked() });
    await taken;
    const second = await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 1000 }));
    expect(second).toMatch(new RegExp(`locked\\.csv: another agentsim \\(process ${process.pid}\\) is writing it`));
    await first;
    expect(readFileSync(out, "utf8")).toBe(full);
    expect(existsSync(`${out}.lock`)).toBe(false);
    // a lock whose process is gone (a kill) does not block
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    writeFileSync(`${out}.lock`, dead.stdout);
    const lock = await lockOutput(out);
    expect(readFileSync(`${out}.lock`, "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
    // nor does one holding this process's own pid: its owner was killed, and a container's entry
    // point (pid 1 at every restart) refused --resume for good (a review)
    writeFileSync(`${out}.lock`, `${process.pid}\n`);
    await (await lockOutput(out)).release();
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it("a partial file replaced while the sweep writes it is not renamed to the output (an audit: another command's file became the CSV)", async () => {
    const out = join(dir, "replaced.csv");
    const files = partialFiles(out);
    const run = runSweep(pool, buildSweep(data, "t.yaml"), {
      out,
      trials: 2000,
      onProgress: (done) => {
        if (done !== 3) return;
        rmSync(files.partial);
        writeFileSync(files.partial, "another command's rows\n");
      },
    });
    expect(await userErrorAsync(run)).toMatch(/replaced\.csv\.partial was removed or replaced while the sweep wrote it \(its folder deleted\? another command writing that file\?\): .*replaced\.csv is not written$/);
    expect(existsSync(out) || existsSync(recordFile(out))).toBe(false);
  });

  it("a sweep whose folder is deleted under it says so at its next sync (every 100 ms; an hour's sweep went on to the end to say \"no such file\")", async () => {
    const folder = join(dir, "deleted");
    const out = join(folder, "out.csv");
    const run = runSweep(pool, buildSweep(data, "t.yaml"), {
      out,
      trials: 2000,
      onProgress: (done) => done === 3 && rmSync(folder, { recursive: true }),
    });
    // (before: "cannot write .../out.csv: no such file", once every point was done)
    expect(await userErrorAsync(run)).toMatch(/deleted\/out\.csv\.partial was removed or replaced while the sweep wrote it \(its folder deleted\? .*deleted\/out\.csv is not written$/);
    expect(existsSync(folder)).toBe(false);
  });

  it("an output that cannot be replaced at the end is one line; the old CSV and its record stay a pair, the partial stays for --resume", async () => {
    const out = join(dir, "blocked.csv");
    const files = partialFiles(out);
    expect(await sweepTo(data, "blocked.csv")).toBe(full);
    const record = readFileSync(recordFile(out), "utf8");
    rmSync(out);
    // a folder appears under the output's name while the sweep runs: the final rename fails
    const run = runSweep(pool, buildSweep(data, "t.yaml"), {
      out,
      trials: 2000,
      onProgress: (done) => done === 3 && (mkdirSync(out), writeFileSync(join(out, "x"), "")),
    });
    expect(await userErrorAsync(run)).toMatch(/^cannot write .*blocked\.csv: .* \(the rows are kept in .*blocked\.csv\.partial: run the same command with --resume to finish\)$/);
    expect(readFileSync(recordFile(out), "utf8")).toBe(record);
    expect(readdirSync(dir).filter((f) => f.startsWith("blocked.csv.sweep.json."))).toEqual([]);
    expect(existsSync(files.partial) && existsSync(files.state)).toBe(true);
    rmSync(out, { recursive: true });
    expect((await runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true })).resumed).toBe(10);
    expect(readFileSync(out, "utf8")).toBe(full);
  });

  it("a temporary file left by a killed writer (<out>.<pid>.tmp) goes with the next write; a live one's, another file's and a folder stay", () => {
    const out = join(dir, "tmps/out.csv");
    mkdirSync(join(dir, "tmps"));
    const dead = Number(spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout);
    // only agentsim's names: a user's out.csv.<n>.tmp stays (it was removed, even as the command's own input)
    const keep = [`out.csv.agentsim-${process.ppid}.tmp`, `other.csv.agentsim-${dead}.tmp`, `out.csv.agentsim-${dead}.tmpx`, `out.csv.${dead}.tmp`];
    for (const name of [`out.csv.agentsim-${dead}.tmp`, ...keep]) writeFileSync(join(dir, "tmps", name), "x");
    mkdirSync(join(dir, "tmps", `out.csv.agentsim-${dead + 1}.tmp`));
    expect(temporaryOf(out)).toBe(`${out}.agentsim-${process.pid}.tmp`);
    expect(readdirSync(join(dir, "tmps")).sort()).toEqual([...keep, `out.csv.agentsim-${dead + 1}.tmp`].sort());
  });

  it("taking over a stale lock removes that lock only, never one another process put in its place (an audit: both went on writing)", () => {
    const lock = join(dir, "race.csv.lock");
    writeFileSync(lock, "4000000\n"); // a dead process's
    const stale = statSync(lock);
    // another process took it over between this one's look at it and its removal
    writeFileSync(join(dir, "other"), `${process.pid}\n`);
    rmSync(lock);
    linkSync(join(dir, "other"), lock);
    takeOverStale(lock, stale);
    expect(readFileSync(lock, "utf8")).toBe(`${process.pid}\n`);
    expect(statSync(lock).ino).toBe(statSync(join(dir, "other")).ino);
    // the stale one itself is removed, and nothing is left aside
    rmSync(lock);
    writeFileSync(lock, "4000000\n");
    takeOverStale(lock, statSync(lock));
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith("race.csv.lock"))).toEqual([]);
  });

  it("default output names are injective: ., .., ~, non-ASCII and long names each get their own file", () => {
    const names = [".", "..", "~", "_", "%2E", "café", "cafe", "a b", "a_b", "a.b", "x".repeat(300), "x".repeat(299) + "y"];
    const outs = names.map((n) => defaultOut(n, null));
    expect(new Set(outs).size).toBe(names.length);
    for (const o of outs) expect(o).toMatch(/^results\/[A-Za-z0-9_%~-]+\.csv$/);
    expect(defaultOut("default", null)).toBe("results/default.csv");
    expect(defaultOut("sweep-weak-bugs", { index: 2, count: 4 })).toBe("results/sweep-weak-bugs.shard-2-of-4.csv");
    expect(defaultOut("a.shard-1-of-2", null)).not.toBe(defaultOut("a", { index: 1, count: 2 }));
    expect(fileSafe("x".repeat(300)).length).toBeLessThanOrEqual(120);
  });

  it("leaves no final file when interrupted, and resumes to the same bytes", async () => {
    const out = join(dir, "interrupted.csv");
    const files = partialFiles(out);
    const controller = new AbortController();
    const run = runSweep(pool, buildSweep(data, "t.yaml"), {
      out,
      trials: 2000,
      signal: controller.signal,
      onProgress: (done) => done === 3 && controller.abort(),
    });
    await expect(run).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    expect(JSON.parse(readFileSync(files.state, "utf8")).completedPoints).toBe(3);
    // A kill in the middle of the next point's write leaves a torn row after the recorded bytes.
    appendFileSync(files.partial, "3,8,strong-first,strong,weak,sha");
    // Another scenario, trial count or shard may not take it over.
    const other = await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 1000, resume: true }));
    // it says which differs (an audit: "a different scenario, --trials or --shard", whichever it was)
    expect(other).toMatch(/^cannot resume .*interrupted\.csv: .*interrupted\.csv\.partial was started with 2000 runs a point, not 1000 \(run without --resume to start over\)$/);
    const sharded = await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, shard: { index: 1, count: 2 }, resume: true }));
    expect(sharded).toMatch(/was started with no --shard, not --shard 1\/2 /);
    const edited = await userErrorAsync(runSweep(pool, buildSweep({ ...data, seed: 8 }, "t.yaml"), { out, trials: 2000, resume: true }));
    expect(edited).toMatch(/was started from other scenario data \(the file's values changed since\) /);
    expect(other).not.toContain("\n");
    // nor rows of another version of agentsim, which may simulate other numbers (a review: its
    // rows went on from ours); a record from before versions were recorded says so
    const recorded = readFileSync(files.state, "utf8");
    const state = JSON.parse(recorded);
    expect(state.started.agentsim).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    writeFileSync(files.state, JSON.stringify({ ...state, fingerprint: "0".repeat(64), started: { ...state.started, agentsim: "0.0.9" } }));
    expect(await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true }))).toMatch(
      /was started by agentsim 0\.0\.9, not \d+\.\d+\.\d+\+[0-9a-f]{12} \(run without --resume to start over\)$/,
    );
    const { agentsim: _agentsim, ...unversioned } = state.started;
    writeFileSync(files.state, JSON.stringify({ ...state, fingerprint: "0".repeat(64), started: unversioned }));
    expect(await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true }))).toMatch(/was started by an earlier agentsim, not /);
    // a record edited by hand is not quoted back (an audit: "--shard a/undefined", and a value
    // nested 20,000 deep overflowed the stack), nor read whole (600 MB, then "missing")
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    for (const started of [{ shard: "a", trials: [1] }, "zz", { ...state.started, trials: "deep" }]) {
      writeFileSync(files.state, JSON.stringify({ ...state, fingerprint: "x", started }).replace('"deep"', deep));
      expect(await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true }))).toMatch(
        /^cannot resume .*interrupted\.csv: .*interrupted\.csv\.partial was started with a different agentsim, scenario, --trials or --shard \(run without --resume to start over\)$/,
      );
    }
    writeFileSync(files.state, `${recorded.trimEnd()}${" ".repeat(70_000)}\n`);
    expect(await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true }))).toMatch(
      /interrupted\.csv\.partial\.json is not the state of a sweep: larger than 65536 bytes, the most such a file may have \(run without --resume to start over\)$/,
    );
    writeFileSync(files.state, recorded);
    // the handle says when the output is in place, whole (a signal after that has nothing to resume)
    const handle: SweepHandle = { flush: null, createdPartial: false };
    // the file's trials: changed meanwhile count for nothing under the same --trials (a review:
    // refused, "started with a different scenario, --trials or --shard")
    const outcome = await runSweep(pool, buildSweep({ ...data, trials: 777 }, "t.yaml"), { out, trials: 2000, resume: true, handle });
    expect(outcome).toMatchObject({ points: 10, resumed: 3, rows: 80 });
    expect(handle.written).toBe(true);
    expect(readFileSync(out, "utf8")).toBe(full);
    expect(existsSync(files.partial) || existsSync(files.state)).toBe(false);
    // With nothing to resume, --resume starts fresh.
    expect(await sweepTo(data, "fresh.csv", { resume: true })).toBe(full);
  });

  it("refuses to resume from rows or a record changed after they were written", async () => {
    const out = join(dir, "edited.csv");
    const files = partialFiles(out);
    const interrupt = async () => {
      const controller = new AbortController();
      const run = runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, signal: controller.signal, onProgress: (done) => done === 3 && controller.abort() });
      await expect(run).rejects.toThrow();
      return { record: readFileSync(files.state, "utf8"), rows: readFileSync(files.partial) };
    };
    const resume = () => userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true }));
    const { record, rows } = await interrupt();
    const state = JSON.parse(record);
    expect(state.sha256).toMatch(/^[0-9a-f]{64}$/);
    // one point more or fewer than the rows hold (8 rows a point: strategies x contexts)
    writeFileSync(files.state, JSON.stringify({ ...state, completedPoints: 4 }));
    expect(await resume()).toMatch(/edited\.csv\.partial\.json does not match .*edited\.csv\.partial \(4 points would be 33 lines, the file has 25\)/);
    writeFileSync(files.state, JSON.stringify({ ...state, completedPoints: 2 }));
    expect(await resume()).toMatch(/\(2 points would be 17 lines, the file has 25\)/);
    // a record cut into a row, and a digit changed in a row: the checksum differs
    writeFileSync(files.state, JSON.stringify({ ...state, bytes: state.bytes - 7 }));
    expect(await resume()).toMatch(/edited\.csv\.partial was changed after it was written \(its checksum differs/);
    writeFileSync(files.state, record);
    const flipped = Buffer.from(rows);
    const at = flipped.indexOf(",", flipped.indexOf("\n") + 1) - 1; // the first row's point index
    flipped[at] = flipped[at] === 0x37 ? 0x38 : 0x37;
    writeFileSync(files.partial, flipped);
    expect(await resume()).toMatch(/changed after it was written/);
    // a record of the format before the checksum
    const { sha256: _sha256, ...older } = state;
    writeFileSync(files.state, JSON.stringify({ ...older, version: 1 }));
    writeFileSync(files.partial, rows);
    expect(await resume()).toMatch(/edited\.csv\.partial\.json was written by an older agentsim, without a checksum of its rows \(run without --resume to start over\)$/);
    writeFileSync(files.state, record);
    // as written, it resumes to the bytes of an uninterrupted sweep
    writeFileSync(files.partial, rows);
    await runSweep(pool, buildSweep(data, "t.yaml"), { out, trials: 2000, resume: true });
    expect(readFileSync(out, "utf8")).toBe(full);
  });

  it("refuses to resume a partial file whose progress record is missing", async () => {
    const out = join(dir, "orphan.csv");
    writeFileSync(partialFiles(out).partial, "point\n");
    const msg = await userErrorAsync(runSweep(pool, buildSweep(data, "t.yaml"), { out, resume: true }));
    expect(msg).toMatch(/orphan\.csv\.partial\.json is missing/);
    expect(msg).not.toContain("\n");
  });

  it("starts fresh when a partial file without its record holds only the header (killed while starting)", async () => {
    const out = join(dir, "starting.csv");
    writeFileSync(partialFiles(out).partial, full.slice(0, 20));
    expect(await sweepTo(data, "starting.csv", { resume: true })).toBe(full);
  });
});

describe("sweep limits, shards and merge identity (mutation audit m32c: S-1, S-3, S-12, S-13, S-14)", () => {
  /** 3 points: weak bug counts 2, 4, 6; 200 runs a point (these tests count shards and cells, not decimals). */
  const THREE = { "models.weak.bugs.count": [2, 4, 6] };
  const small = scenarioData(THREE, { trials: 200 });

  it("the grid may have exactly 100,000 points (README: \"at most 100,000 points\"), not one more", () => {
    // sweepGrid counts the grid before it builds any point
    expect(sweepGrid(scenarioData({ "models.weak.fix.hard": { from: 0.1, to: 0.9, steps: 100_000 } }), "s.yaml").size).toBe(100_000);
    // 2 x 50,000 = 100,000 points: the limit itself
    expect(sweepGrid(scenarioData({ "models.weak.fix.easy": [0.6, 0.7], "models.weak.fix.hard": { from: 0.1, to: 0.2, steps: 50_000 } }), "s.yaml").size).toBe(100_000);
    // 2 x 50,001 = 100,002: one axis step more
    expect(userError(() => sweepGrid(scenarioData({ "models.weak.fix.easy": [0.6, 0.7], "models.weak.fix.hard": { from: 0.1, to: 0.2, steps: 50_001 } }), "s.yaml"))).toBe(
      "s.yaml: sweep: the grid has 100,002 points (2 x 50001), more than the 100,000 a sweep may have: use fewer values, or several sweeps",
    );
  });

  it("--shard n/n of an n-point grid runs and takes point n-1 alone (README: n is at most the grid's number of points); (n+1)/(n+1) is refused", async () => {
    // shard i takes the points k with k mod n = i - 1 (README): of 3 points, shard 3/3 is point 2
    const last = await sweepTo(small, "limits/a-3of3.csv", { trials: 200, shard: { index: 3, count: 3 } });
    const rows = last.trimEnd().split("\n").slice(1);
    expect(rows).toHaveLength(8); // 4 strategies x 2 contexts
    expect(rows.every((r) => r.startsWith("2,6,"))).toBe(true); // point 2, weak bug count 6
    expect(await userErrorAsync(runSweep(pool, buildSweep(small, "t.yaml"), { out: join(dir, "limits/a-4of4.csv"), trials: 200, shard: { index: 4, count: 4 } }))).toBe(
      "--shard 4/4: the grid has 3 points, so at most 3 shards",
    );
    expect(existsSync(join(dir, "limits/a-4of4.csv"))).toBe(false);
  });

  it("merge refuses shards of two scenario files that differ only in a price (same name, seed, trials and grid): only the fingerprint tells them apart", async () => {
    const models = small.models as Record<string, Record<string, unknown>>;
    const dearer = { ...small, models: { ...models, strong: { ...models.strong, price: { input: 50, output: 250 } } } };
    await sweepTo(small, "limits/a-1of2.csv", { trials: 200, shard: { index: 1, count: 2 } });
    await sweepTo(small, "limits/a-2of2.csv", { trials: 200, shard: { index: 2, count: 2 } });
    await sweepTo(dearer, "limits/b-2of2.csv", { trials: 200, shard: { index: 2, count: 2 } });
    const [a1, a2, b2] = ["a-1of2", "a-2of2", "b-2of2"].map((n) => join(dir, `limits/${n}.csv`));
    // the records agree on everything but the fingerprint
    const [ra, rb] = [a1!, b2!].map((f) => JSON.parse(readFileSync(recordFile(f), "utf8")));
    expect([rb.scenario, rb.seed, rb.trials, rb.gridPoints, rb.agentsim]).toEqual([ra.scenario, ra.seed, ra.trials, ra.gridPoints, ra.agentsim]);
    const out = join(dir, "limits/merged.csv");
    expect(await userErrorAsync(mergeFiles([a1!, b2!], out))).toBe(`${b2}: not a shard of the same sweep as ${a1} (the scenario files differ)`);
    expect(existsSync(out)).toBe(false);
    // the same scenario's two shards merge: 3 points x 8 rows
    expect(await mergeFiles([a1!, a2!], out)).toMatchObject({ points: 3, rows: 24 });
  });

  it("merge refuses shards that hold fewer points than their record's grid (a point's rows dropped and the record's hash redone)", async () => {
    // written by the test above: shard 1/2 of 3 points holds points 0 and 2; drop point 2
    const a1 = join(dir, "limits/a-1of2.csv");
    const a2 = join(dir, "limits/a-2of2.csv");
    const cut = join(dir, "limits/cut-1of2.csv");
    const kept = readFileSync(a1, "utf8").split("\n").filter((l) => !l.startsWith("2,")).join("\n");
    expect(kept.split("\n")).toHaveLength(1 + 8 + 1); // header, point 0's 8 rows, the final ""
    writeFileSync(cut, kept);
    const record = JSON.parse(readFileSync(recordFile(a1), "utf8"));
    writeFileSync(recordFile(cut), JSON.stringify({ ...record, csv: createHash("sha256").update(kept).digest("hex") }));
    const out = join(dir, "limits/cut-merged.csv");
    expect(await userErrorAsync(mergeFiles([cut, a2], out))).toBe("the shards hold 2 points of a grid of 3: a merge takes complete shards");
    expect(existsSync(out)).toBe(false);
  });

  it("writes rung<k>.reach as the fraction of bugs that reach rung k, in [0, 1], beside rung<k>.attempts", async () => {
    // escalate: weak generates, weak fixes up to 3 times, then strong; weak-first has one rung.
    // At 2 weak bugs with hardFraction 0.5 (one easy, one hard) and weak's rates 0.7 and 0.15:
    //   rung 0 is reached by every bug: 1 exactly;
    //   rung 1 by a bug that 3 weak attempts leave: (0.3^3 + 0.85^3) / 2 = (0.027 + 0.614125) / 2 = 0.3205625;
    //   rung 0's attempts per run: (1 + 0.3 + 0.09) + (1 + 0.85 + 0.7225) = 1.39 + 2.5725 = 3.9625.
    // 500 runs of 2 bugs: the reach's standard error is about sqrt(0.32 x 0.68 / 1000) = 0.015.
    const ladder = scenarioData({ "models.weak.bugs.count": [2, 4] }, {
      strategies: {
        escalate: { generator: "weak", ladder: [{ fixer: "weak", attempts: 3 }, { fixer: "strong" }] },
        "weak-first": { generator: "weak", fixer: "strong" },
      },
    });
    const text = await sweepTo(ladder, "limits/ladder.csv", { trials: 500 });
    const [head, ...lines] = text.trimEnd().split("\n");
    const header = head!.split(",");
    const cell = (row: string[], c: string) => row[header.indexOf(c)]!;
    expect(header.slice(-4)).toEqual(["rung0.reach", "rung0.attempts", "rung1.reach", "rung1.attempts"]);
    const rows = lines.map((l) => l.split(","));
    expect(rows).toHaveLength(2 * 2 * 2);
    for (const row of rows) {
      expect(cell(row, "rung0.reach")).toBe("1");
      if (cell(row, "strategy") === "weak-first") {
        expect([cell(row, "rung1.reach"), cell(row, "rung1.attempts")]).toEqual(["", ""]);
      } else {
        const reach = Number(cell(row, "rung1.reach"));
        expect(reach).toBeGreaterThan(0);
        expect(reach).toBeLessThan(1);
        expect(Math.abs(reach - 0.3205625)).toBeLessThan(0.06); // 4 standard errors
        if (cell(row, "models.weak.bugs.count") === "2") expect(Math.abs(Number(cell(row, "rung0.attempts")) - 3.9625)).toBeLessThan(0.2);
      }
    }
  });
});

describe("merge errors", () => {
  const header = "point,x,strategy\n";
  it("rejects a different header, a duplicate or missing point and a torn file, naming the file", async () => {
    const cases: [{ file: string; text: string }[], RegExp][] = [
      [[{ file: "a.csv", text: header + "0,1,s\n" }, { file: "b.csv", text: "point,y,strategy\n1,2,s\n" }], /^b\.csv: header differs from a\.csv's \(column 2: "x" vs "y"\)/],
      [[{ file: "a.csv", text: header + "0,1,s\n1,2,s\n" }, { file: "b.csv", text: header + "1,2,s\n" }], /^b\.csv: point 1 is also in a\.csv/],
      [[{ file: "a.csv", text: header + "0,1,s\n" }, { file: "b.csv", text: header + "2,2,s\n" }], /^point 1 missing/],
      [[{ file: "a.csv", text: header + "0,1,s\n1,2" }], /^a\.csv: ends in the middle of a row/],
      [[{ file: "a.csv", text: "" }], /^a\.csv: is empty/],
      [[{ file: "a.csv", text: "x,y\n" }], /^a\.csv: not a sweep CSV/],
      [[{ file: "a.csv", text: header + "zero,1,s\n" }], /^a\.csv: row 1: point "zero" is not a whole number/],
      // a point of 21 digits was read as 1e20 (400 digits, as Infinity: "(Infinity in all)" missing)
      [[{ file: "a.csv", text: header + "1" + "0".repeat(20) + ",1,s\n" }], /^a\.csv: row 1: point "100000000000000000000" is not a whole number \(of at most 15 digits\)$/],
      [[{ file: "a.csv", text: header + "1,1,s\n0,2,s\n" }], /^a\.csv: row 2: point 0 after point 1: its rows are not in the order a sweep writes them/],
      [[{ file: "a.csv", text: header + "0," + "x".repeat(2 ** 20 + 1) }], /^a\.csv: a row longer than 1048576 characters: not a sweep CSV/],
    ];
    for (const [inputs, expected] of cases) {
      const msg = await userErrorAsync(mergeTexts(inputs));
      expect(msg).toMatch(expected);
      expect(msg).not.toContain("\n");
    }
  });

  it("keeps quoted fields with newlines inside one record, and merges by point", async () => {
    const a = header + '0,1,"s,t"\n2,3,"x\ny"\n';
    const b = header + '1,2,"u\n\nv"\n';
    expect(await mergeTexts([{ file: "a.csv", text: a }, { file: "b.csv", text: b }])).toBe(header + '0,1,"s,t"\n1,2,"u\n\nv"\n2,3,"x\ny"\n');
  });

  it("reads an input in chunks that split a character and a quoted field anywhere", async () => {
    // files are read 1 MiB at a time: here one byte at a time, through a two-byte "é" and a "\n" inside quotes
    const text = header + '0,1,"caf\u00e9\nx"\n1,2,s\n';
    const bytes = Buffer.from(text, "utf8");
    const input = { file: "a.csv", chunks: async function* () { for (const b of bytes) yield Buffer.from([b]); } };
    let out = "";
    const merged = await writeMerged([input], planMerge([input], await scanInputs([input])), async (t) => {
      out += t;
    });
    expect(out).toBe(text);
    expect(merged).toEqual({ points: 2, rows: 2, hash: createHash("sha256").update(bytes).digest("hex") });
  });
});

// The bundled CLI (test/setup/bundle.ts bundles it from src/ before the tests).
describe("cli", () => {
  it("reports a bad sweep as one line with exit code 2", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(scenarioData({ "models.weak.fix.hard": [0.5, 1.5] })));
    const r = spawnSync(process.execPath, [CLI, "sweep", file, "--out", join(dir, "bad.csv")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`agentsim: ${file}: sweep.models.weak.fix.hard: value 1.5 at point 1: must be a probability in [0.0001, 1], got 1.5\n`);
    const s = spawnSync(process.execPath, [CLI, "sweep", file, "--shard", "3/2"], { encoding: "utf8" });
    expect(s.status).toBe(2);
    expect(s.stderr.trim().split("\n")).toHaveLength(1);
    // more shards than points: a merge would need every one (an audit: --shard 1/2^53 was written)
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(scenarioData({ "models.weak.fix.hard": [0.3, 0.5] })));
    const many = spawnSync(process.execPath, [CLI, "sweep", good, "--shard", "1/3", "--out", join(dir, "many.csv")], { encoding: "utf8" });
    expect(many.status).toBe(2);
    expect(many.stderr).toBe("agentsim: --shard 1/3: the grid has 2 points, so at most 2 shards (see agentsim sweep --help)\n");
    expect(existsSync(join(dir, "many.csv.partial"))).toBe(false);
  });

  it("a killed sweep leaves no file under the final name and --resume completes it to the same bytes", async () => {
    // Extensions (a TTL with tool times) take the per-attempt path, and 100,000 runs a point make
    // each point a job for the pool's threads, one after another (at 40,000 they became small
    // points, evaluated in batches whose rows came all at once): slow enough to kill midway.
    const data = scenarioData(
      { "caching.ttlSeconds": { from: 10, to: 1000, steps: 10, scale: "log" } },
      {
        caching: { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 60 },
        toolSeconds: { dist: "lognormal", mean: 30, cv: 1 },
        strategies: { "strong-first": { generator: "strong", fixer: "weak" }, "weak-first": { generator: "weak", fixer: "strong" } },
      },
    );
    const file = join(dir, "kill.json");
    writeFileSync(file, JSON.stringify(data));
    const out = join(dir, "killed/out.csv");
    const files = partialFiles(out);
    const args = [CLI, "sweep", file, "--out", out, "--trials", "100000", "--threads", "2"];
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    const exited = new Promise((done) => child.once("exit", done));
    let completed = 0;
    for (let waited = 0; waited < 60_000 && completed < 1; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
      if (existsSync(files.state)) completed = JSON.parse(readFileSync(files.state, "utf8")).completedPoints;
    }
    child.kill("SIGKILL");
    await exited;
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(completed).toBeLessThan(10);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(files.partial)).toBe(true);

    const resumed = spawnSync(process.execPath, [...args, "--resume"], { encoding: "utf8" });
    expect(resumed.stderr).toBe("");
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/resumed/);
    const reference = join(dir, "killed/reference.csv");
    await runSweep(pool, buildSweep(data, file), { out: reference, trials: 100000 });
    expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"));
    expect(existsSync(files.partial)).toBe(false);
  });

  it("Ctrl-C saves the record up to the last row written: the count it prints is what --resume finds", async () => {
    const file = join(dir, "kill.json"); // the test above's scenario
    const out = join(dir, "interrupted/out.csv");
    const files = partialFiles(out);
    const child = spawn(process.execPath, [CLI, "sweep", file, "--out", out, "--trials", "100000", "--threads", "2"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    for (let waited = 0; waited < 60_000 && !existsSync(files.state); waited += 10) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300)); // a few points in, the record most likely behind
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    const said = /^agentsim: interrupted \(SIGINT\) after (\d+) of 10 points; they are kept in/.exec(stderr);
    if (said) expect(JSON.parse(readFileSync(files.state, "utf8")).completedPoints).toBe(Number(said[1]));
    else expect(stderr).toBe("agentsim: interrupted (SIGINT) before the first point was done\n");
  });

  it("a lock's leftovers and the folders made for an output go when they should", async () => {
    const root = scratchFolder("lock");
    // a process killed while taking the lock left <out>.lock.<pid>; a live one's is kept
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    mkdirSync(join(root, "a"));
    writeFileSync(join(root, "a", `o.csv.lock.${gone}`), `${gone}\n`);
    writeFileSync(join(root, "a", "o.csv.lock.4194305"), ""); // killed before it wrote its pid (above Linux's largest pid: never alive)
    expect(spawnSync("mkfifo", [join(root, "a", "o.csv.lock.4194306")]).status).toBe(0); // a pipe of that name is no leftover: kept
    writeFileSync(join(root, "a", `o.csv.lock.${process.ppid}`), `${process.ppid}\n`);
    const lock = await lockOutput(join(root, "a", "o.csv"));
    expect(readdirSync(join(root, "a")).sort()).toEqual(["o.csv.lock", "o.csv.lock.4194306", `o.csv.lock.${process.ppid}`].sort());
    expect(lock.createdFolder).toBeNull();
    lock.releaseSync();
    // the outermost folder made is reported, and removed with the ones inside while empty
    const deep = join(root, "b", "c", "o.csv");
    const made = await lockOutput(deep);
    expect(made.createdFolder).toBe(join(root, "b"));
    made.releaseSync();
    removeCreatedFolders(deep, made.createdFolder);
    expect(existsSync(join(root, "b"))).toBe(false);
    // a folder that holds something stays
    const kept = await lockOutput(deep);
    writeFileSync(join(root, "b", "c", "other"), "");
    kept.releaseSync();
    removeCreatedFolders(deep, kept.createdFolder);
    expect(readdirSync(join(root, "b", "c"))).toEqual(["other"]);
  });

  it("a file of the lock's name that is not a lock is never removed (a scenario named <out>.lock was deleted)", async () => {
    const root = scratchFolder("lock");
    const out = join(root, "o.csv");
    const scenario = readFileSync(join(ROOT, "scenarios", "sweep-weak-bugs.yaml"), "utf8");
    writeFileSync(`${out}.lock`, scenario);
    await expect(lockOutput(out)).rejects.toThrow(`${out}: ${out}.lock exists and is not an agentsim lock; refusing to remove it`);
    expect(readFileSync(`${out}.lock`, "utf8")).toBe(scenario);
    // nor is a <out>.lock.<number> that does not hold its own number, as a lock being taken does
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(join(root, `o.csv.lock.${gone}`), "my notes\n");
    rmSync(`${out}.lock`);
    (await lockOutput(out)).releaseSync();
    expect(readdirSync(root)).toEqual([`o.csv.lock.${gone}`]);
    // the command, given that file as its scenario: one line, exit 2, the file as it was
    writeFileSync(`${out}.lock`, scenario);
    const r = spawnSync(process.execPath, [CLI, "sweep", `${out}.lock`, "--trials", "20", "--out", out], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([2, `agentsim: ${out}: ${out}.lock exists and is not an agentsim lock; refusing to remove it (move it, or write elsewhere with --out)\n`]);
    expect(readFileSync(`${out}.lock`, "utf8")).toBe(scenario);
    expect(existsSync(out)).toBe(false);
  });
});
