/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `agentsim report`: the data behind its charts (distributions, crossover, sweep), and the pages
 * themselves opened in headless Chromium with JavaScript off: no console errors, every chart
 * drawn at a non-zero size, nothing fetched, one colour per strategy across charts.
 *
 * `UPDATE_SCREENSHOT=1 npx vitest run test/report.test.ts` also writes docs/report.png (the
 * README's picture) from the default scenario's report at its own trial count.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchFolder } from "./scratch.js";
import { evaluateScenario, type SimResult } from "../src/evaluate/evaluate.js";
import { collectReport } from "../src/report/collect.js";
import { renderPage } from "../src/report/page.js";
import { breakdownChart, cheapestMap, dollarFormat, sweepChart } from "../src/report/charts.js";
import { toSvg } from "../src/report/svg.js";
import { strategyColours } from "../src/report/palette.js";
import { planCrossover, crossoverData, CROSSOVER_TRIALS } from "../src/report/crossover.js";
import { drawnSweep, panelRows, sweepData } from "../src/report/sweep.js";
import { loadScenario, parseScenario, readScenarioFile } from "../src/scenario/load.js";
import { SimulationPool } from "../src/sim/pool.js";
import { checkMean } from "../src/stats/check.js";
import seedrandom from "seedrandom";
import { ecdfPoints, ecdfPointsOf, sortedCopy } from "../src/stats/ecdf.js";
import { summarize } from "../src/stats/summary.js";
import { familyThreshold, t95 } from "../src/stats/threshold.js";
import { buildSweep } from "../src/sweep/points.js";
import { runSweep } from "../src/sweep/sweep.js";
import { openChromium, type Browser } from "./browser.js";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "dist", "agentsim.mjs"); // the bin, as built by `npm test`
const DEFAULT = join(ROOT, "scenarios", "default.yaml");
const SWEEP = join(ROOT, "scenarios", "sweep-weak-bugs.yaml");

function agentsim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = scratchFolder("report");

describe("the drawn distribution", () => {
  it("passes through the quantiles of the tables, rises, and stops at the asked quantile", async () => {
    const pool = new SimulationPool(1);
    try {
      const { scenario } = loadScenario(DEFAULT);
      const e = await evaluateScenario(pool, scenario, { trials: 5000, seedKey: "ecdf", keepCosts: true });
      expect(e.costs).toHaveLength(e.results.length);
      e.results.forEach((r, i) => {
        const costs = e.costs![i]!;
        expect(summarize(costs).mean).toBe(r.mean); // the kept costs are the runs summarized
        const points = ecdfPoints(sortedCopy(costs), 100, 0.999);
        expect(ecdfPointsOf(costs, 100, 0.999)).toEqual(points); // the report's, without the sort
        const at = (p: number) => points.find((x) => x.share === p)!.value;
        expect([at(0.5), at(0.9), at(0.99)]).toEqual([r.p50, r.p90, r.p99]);
        expect(points[0]!.value).toBe(r.min);
        expect(points.at(-1)!.share).toBe(0.999);
        for (let k = 1; k < points.length; k++) {
          expect(points[k]!.value).toBeGreaterThanOrEqual(points[k - 1]!.value);
          expect(points[k]!.share).toBeGreaterThan(points[k - 1]!.share);
        }
      });
    } finally {
      await pool.close();
    }
  });
});

describe("the drawn distribution without a sort", () => {
  it("gives the points of the sorted values, for odd and even counts, ties, one or two values", () => {
    const random = seedrandom("ecdf-linear");
    const samples = [
      Float64Array.from({ length: 1 }, () => random()),
      Float64Array.from({ length: 2 }, () => random()),
      Float64Array.from({ length: 1001 }, () => random() ** 3),
      Float64Array.from({ length: 20_000 }, () => Math.floor(random() * 7) * 0.25), // ties: discrete costs
      Float64Array.from({ length: 100_000 }, () => Math.exp(5 * random())), // a long right tail
      new Float64Array(10).fill(3),
    ];
    for (const values of samples) {
      for (const [steps, upTo] of [[400, 0.999], [7, 1], [100, 0.5]] as const) {
        expect(ecdfPointsOf(values, steps, upTo)).toEqual(ecdfPoints(sortedCopy(values), steps, upTo));
      }
    }
    expect(ecdfPointsOf(new Float64Array(0), 10)).toEqual([]);
  });
});

describe("dollar axes", () => {
  it("carry enough decimals that neighbouring ticks differ: three, more where the values span little", () => {
    expect(dollarFormat([0.1, 0.5])).toBe("$,.3~f");
    expect(dollarFormat([12, 80])).toBe("$,.3~f");
    expect(dollarFormat([0.00002, 0.00013])).toBe("$,.5~f"); // every tick read "$0" to three decimals
    expect(dollarFormat([0.3001, 0.3003], false)).toBe("$,.5~f"); // an axis that does not start at 0
    expect(dollarFormat([0.3001, 0.3003])).toBe("$,.3~f"); // one that does spans 0 to 0.3
    expect(dollarFormat([0, 0])).toBe("$,.3~f");
    // a 40,000-point sweep's chart: as many values as no spread into Math.max takes (it threw)
    expect(dollarFormat(Array.from({ length: 500_000 }, (_, i) => 0.3 + i * 1e-9), false)).toBe("$,.5~f");
    // costs of prices of 1e-300 $/M: twelve decimals read "$0" on every tick; exponents tell them apart
    expect(dollarFormat([1e-298, 5e-298])).toBe("$.3~e");
    expect(dollarFormat([0, 3e-11])).toBe("$,.12~f"); // the most decimals before exponents
    expect(dollarFormat([0.32959, 0.32959 + 1e-15], false)).toBe("$,.12~f"); // rounding apart: exponents would not tell them apart either
  });
});

describe("the sweep chart's axis", () => {
  it("gives a sweep of one value an axis around it, with that value as its one tick", () => {
    const point = (x: number) => ({ x, row: "", context: "shared", strategy: "a", mean: 0.2, ciLow: 0.19, ciHigh: 0.21 });
    const x = (points: ReturnType<typeof point>[], log = false) =>
      (sweepChart("k", log, null, points, { contexts: ["shared"], rows: [] }, strategyColours(["a"])) as { spec: { layer: { encoding: { x: { scale: unknown; axis?: unknown } } }[] } }).spec.layer[0]!.encoding.x;
    expect(x([point(4)])).toMatchObject({ scale: { zero: false, domain: [2, 6] }, axis: { values: [4] } }); // was 4 to 4, "4.000000"
    expect(x([point(0)]).scale).toMatchObject({ domain: [-1, 1] });
    expect(x([point(8)], true).scale).toMatchObject({ type: "log", domain: [4, 16] });
    expect(x([point(4), point(8)])).toEqual({ field: "x", type: "quantitative", title: "k", scale: { zero: false } });
  });
});

describe("the crossover chart", () => {
  const { raw, scenario } = loadScenario(DEFAULT);

  it("by default compares the first two strategies along the second one's generator's bug count, from 0 to twice it", () => {
    const plan = planCrossover(raw, scenario, DEFAULT, {})!;
    expect(plan.key).toBe("models.weak.bugs.count");
    expect([plan.from, plan.to]).toEqual([0, 16]);
    expect(plan.between.map((s) => s.name)).toEqual(["strong-first", "weak-first"]);
  });

  it("draws the default range of a count of 500 or more, 0 to 1,000: 1,001 whole values (a review: refused, blaming --from and --to)", () => {
    const big = { ...raw, models: { ...(raw.models as Record<string, unknown>), weak: { ...(raw.models as Record<string, Record<string, unknown>>).weak, bugs: { count: 500, hardFraction: 0.5 } } } };
    const plan = planCrossover(big, parseScenario(big, "big.yaml"), "big.yaml", {})!;
    expect([plan.key, plan.from, plan.to, plan.line.length]).toEqual(["models.weak.bugs.count", 0, 1000, 1001]);
  });

  it("draws a count of 0 or 1 (or 2) from 0 to 4, the default's least (\"twice the count, at least 4\"), and a count of 3 to 6", () => {
    const weakBugs = (bugs: Record<string, unknown>) => ({ ...raw, models: { ...(raw.models as Record<string, unknown>), weak: { ...(raw.models as Record<string, Record<string, unknown>>).weak, bugs } } });
    for (const [bugs, to] of [[{ count: 0, hardFraction: 0.5 }, 4], [{ count: 1, hardFraction: 0 }, 4], [{ count: 2, hardFraction: 0.5 }, 4], [{ count: 3, hardFraction: 0 }, 6]] as const) {
      const data = weakBugs(bugs);
      const plan = planCrossover(data, parseScenario(data, "few.yaml"), "few.yaml", {})!;
      expect([plan.key, plan.from, plan.to]).toEqual(["models.weak.bugs.count", 0, to]);
      expect(plan.line.map((p) => p.x)).toEqual(Array.from({ length: to + 1 }, (_, i) => i)); // every whole count, 0 to `to`
    }
  });

  it("rejects a key that is not there, a range that is empty, and a key that needs a range", () => {
    expect(() => planCrossover(raw, scenario, DEFAULT, { key: "models.weak.nope" })).toThrow(/--crossover models\.weak\.nope: no numeric key/);
    expect(() => planCrossover(raw, scenario, DEFAULT, { from: 5, to: 2 })).toThrow(/--from \(5\) must be less than --to \(2\)/);
    expect(() => planCrossover(raw, scenario, DEFAULT, { from: 20 })).toThrow(/--from \(20\) must be less than --to \(16 by default: twice the count, at least 4\)/);
    expect(() => planCrossover(raw, scenario, DEFAULT, { key: "tokens.prompt" })).toThrow(/--from and --to are required/);
    // a key that no number reads (every cache price of default.yaml's presets is given)
    expect(() => planCrossover(raw, scenario, DEFAULT, { key: "caching.readMultiplier", from: 0.1, to: 1 })).toThrow(/--crossover caching\.readMultiplier: changes nothing/);
  });

  it("for a random bug count, by default along its mean, from half to twice it (not an error about a flag not given)", () => {
    const file = join(ROOT, "scenarios", "validation", "random-counts.yaml");
    const loaded = loadScenario(file);
    const plan = planCrossover(loaded.raw, loaded.scenario, file, {})!;
    expect(plan.key).toMatch(/^models\.\w+\.bugs\.count\.mean$/);
    expect(plan.to / plan.from).toBeCloseTo(4, 12);
    expect(plan.line.length).toBeGreaterThan(100);
  });

  it("draws a whole-number key (a rung's attempts) at whole values only", () => {
    const file = join(ROOT, "scenarios", "validation", "ladder-escalation.yaml");
    const loaded = loadScenario(file);
    const plan = planCrossover(loaded.raw, loaded.scenario, file, { key: "strategies.escalate.ladder[0].attempts", from: 1, to: 20 })!;
    expect(plan.whole).toBe(true);
    expect(plan.line.map((p) => p.x)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(plan.simulated.every((p) => Number.isInteger(p.x))).toBe(true);
    expect(plan.simulated.length).toBeLessThanOrEqual(9);
  });

  it("leaves out the values of the range the key may not take, and refuses a range with none, naming the flags, before simulating", () => {
    const plan = planCrossover(raw, scenario, DEFAULT, { key: "models.weak.fix.hard", from: 0, to: 1 })!;
    // the line's 121 values (120 steps), of which 0 is no probability
    expect(plan.leftOut).toEqual([{ from: 0, to: 0, values: 1, scanned: 121, reason: expect.stringMatching(/models\.weak\.fix\.hard: must be a probability/) }]);
    expect(plan.line[0]!.x).toBeGreaterThan(0);
    const err = (() => {
      try {
        planCrossover(raw, scenario, DEFAULT, { key: "models.weak.fix.hard", from: -2, to: -1 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.name).toBe("FlagError");
    expect(err?.message).toMatch(/^--crossover models\.weak\.fix\.hard: no value between --from -2 and --to -1 is a valid scenario/);
  });

  it("keeps the line of the strategy that has a closed form when the other has none", async () => {
    const file = join(tmp, "one-sided.yaml");
    writeFileSync(file, readFileSync(join(ROOT, "scenarios", "beta-difficulty.yaml"), "utf8").replace("mean: 0.15, concentration: 20", "mean: 0.15, concentration: 10").replace(/sweep:\n.*\n?$/s, ""));
    const loaded = loadScenario(file); // strong-first's weak fixer: a Beta rate with a = 1.5, an infinite expected cost
    const pool = new SimulationPool(1);
    try {
      const c = await crossoverData(pool, loaded.raw, loaded.scenario, file, planCrossover(loaded.raw, loaded.scenario, file, {})!, { trials: 500, seedKey: "one-sided" });
      const infinite = { strategies: ["strong-first"], reason: expect.stringMatching(/^infinite expected cost/) };
      expect(c.missing).toEqual([{ context: "shared", ...infinite }, { context: "fresh", ...infinite }]);
      expect(new Set(c.line.map((p) => p.strategy))).toEqual(new Set(["weak-first"]));
      expect(c.crossovers).toEqual([]);
      // its simulated means estimate nothing: no circle of it, every value listed as left out
      expect(new Set(c.simulated.map((p) => p.strategy))).toEqual(new Set(["weak-first"]));
      expect(c.infinite.length).toBe(c.plan.simulated.length * 2);
      expect(c.infinite.every((p) => p.strategy === "strong-first")).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("a context without a crossing is in the table, with the strategy cheaper throughout, as crossover says it (the consistency audit: left out when the other context crossed)", async () => {
    const { raw, scenario } = loadScenario(DEFAULT);
    const pool = new SimulationPool(1);
    try {
      const data = await collectReport(pool, { raw, scenario, file: DEFAULT }, { trials: 200, seed: "1", crossover: { key: "tokens.generation", from: 1000, to: 40000 } });
      expect(data.crossover!.crossovers.map((x) => x.context)).toEqual(["shared"]);
      expect(data.crossover!.throughout).toEqual([{ context: "fresh", strategy: "strong-first" }]);
      const text = (await renderPage(data, "test")).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      // 25980.9 as crossover prints it (the table once had 6 digits with trailing zeros: 1.01210 for 1.0121)
      expect(text).toContain("shared 25980.9 strong-first weak-first bisection fresh none strong-first strong-first no crossing");
      // no crossing in either context, one strategy cheaper in both: said once
      const neither = await collectReport(pool, { raw, scenario, file: DEFAULT }, { trials: 200, seed: "1", crossover: { key: "tokens.generation", from: 1000, to: 2000 } });
      const said = (await renderPage(neither, "test")).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      expect(said).toContain("No crossover of the closed forms between 1000 and 2000. strong-first is cheaper throughout, in both contexts.");
    } finally {
      await pool.close();
    }
  });

  it("a strategy without a closed form in one context only: lines and the search in the other", async () => {
    // advisor.yaml: executor-alone reaches its window in shared context (no closed form there) but
    // has one in fresh ($0.87300); the whole crossover was once given up, in both contexts
    const file = join(ROOT, "scenarios", "advisor.yaml");
    const loaded = loadScenario(file);
    const pool = new SimulationPool(1);
    try {
      const data = await collectReport(pool, { ...loaded, file }, { trials: 200, seed: "1", crossover: {} });
      const c = data.crossover!;
      expect(c.missing).toEqual([{ context: "shared", strategies: ["executor-alone"], reason: expect.stringMatching(/context window is reached/) }]);
      expect(new Set(c.line.filter((p) => p.context === "fresh").map((p) => p.strategy))).toEqual(new Set(["executor-alone", "advised"]));
      expect(new Set(c.line.filter((p) => p.context === "shared").map((p) => p.strategy))).toEqual(new Set(["advised"]));
      expect(c.crossovers.every((x) => x.context === "fresh")).toBe(true);
      const html = await renderPage(data, "test");
      expect(html).toMatch(/<p>shared: executor-alone has no closed form, so only its simulated means are drawn, and no crossover is sought there\. Why: a context window/);
      expect(html).not.toMatch(/fresh: executor-alone has no closed form/);
    } finally {
      await pool.close();
    }
  });

  it("draws closed forms that cross where the crossovers are, and simulated means consistent with them", async () => {
    const pool = new SimulationPool(2);
    try {
      const plan = planCrossover(raw, scenario, DEFAULT, {})!;
      const c = await crossoverData(pool, raw, scenario, DEFAULT, plan, { trials: 100_000, seedKey: "crossover-test" });
      expect(c.trials).toBe(CROSSOVER_TRIALS);
      expect(c.missing).toEqual([]);
      expect(c.crossovers.length).toBeGreaterThan(0);
      for (const x of c.crossovers) {
        // the difference of the two lines changes sign between the whole counts around the root
        const diff = (q: number) => {
          const at = (name: string) => c.line.find((p) => p.x === q && p.strategy === name && p.context === x.context)!.mean;
          return at("strong-first") - at("weak-first");
        };
        expect(Math.sign(diff(Math.floor(x.value)))).not.toBe(Math.sign(diff(Math.ceil(x.value))));
      }
      // every simulated mean against the closed form at the same value: a family of checks
      const bound = familyThreshold(c.simulated.length);
      for (const s of c.simulated) {
        const line = c.line.find((p) => p.x === s.x && p.strategy === s.strategy && p.context === s.context)!;
        const stdError = (s.ciHigh! - s.ciLow!) / (2 * t95(c.trials - 1));
        // the points carry no skewness: the plain z, read against the family's bound
        const z = checkMean({ n: c.trials, mean: s.mean, stdError, skewness: 0 }, line.mean, bound);
        expect(z.verdict, `${s.strategy}/${s.context} at ${s.x}: z = ${z.z}`).toBe("consistent");
      }
    } finally {
      await pool.close();
    }
  });
});

describe("a crossover whose range runs into a context window", () => {
  it("names the stretch without a closed form, as crossover does, and the circles whose runs do not all finish", async () => {
    // The report said only "No crossover", though crossover names the window's gap, and its
    // circles at 200,000 prompt tokens (no run finishes) showed the order flipped without a word.
    const { raw, scenario } = loadScenario(DEFAULT);
    const pool = new SimulationPool(1);
    try {
      const flags = { key: "tokens.prompt", from: 0, to: 200_000 };
      const plan = planCrossover(raw, scenario, DEFAULT, flags)!;
      const c = await crossoverData(pool, raw, scenario, DEFAULT, plan, { trials: 500, seedKey: "gap" });
      expect(c.gaps.map((g) => [g.context, g.to, g.cheaperBefore])).toEqual([["shared", 200_000, "strong-first"], ["fresh", 200_000, "strong-first"]]);
      expect(c.gaps.every((g) => g.from > 50_000 && /context window/.test(g.reason))).toBe(true);
      const last = c.incomplete.filter((p) => p.x === 200_000);
      expect(last.length).toBe(4); // both strategies in both contexts: no run fits the window
      expect(last.every((p) => p.completion === 0)).toBe(true);
      const html = await renderPage({ ...(await collectReport(pool, { raw, scenario, file: DEFAULT }, { trials: 500, seed: "1", crossover: flags })) }, "test");
      expect(html).toMatch(/shared: no closed form from \d+ to 200000, where the lines stop; the search cannot see a crossover inside it\./);
      expect(html).toMatch(/Circles where not every run fixes every bug: [^<]*strong-first at 200000 \(0\.0% complete\)/);
      // the default crossover, along weak's bug count under exact assignment (hard fraction 0.5)
      const counts = await collectReport(pool, { raw, scenario, file: DEFAULT }, { trials: 500, seed: "1", crossover: {} });
      expect(counts.crossover!.plan.polynomial).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
      // every drawn distribution runs up to the 99.9% quantile (README, "cost per run": the heavy-tail
      // switch and the curves read it), from the lowest cost
      expect(counts.distributions).toHaveLength(8); // 4 strategies x 2 contexts
      for (const d of counts.distributions) expect([d.points[0]!.share, d.points.at(-1)!.share]).toEqual([0, 0.999]);
      expect(await renderPage(counts, "test")).toContain(
        "At counts 1, 3, 5 and 5 more, whose hard bugs are not a whole number under exact assignment (no scenario, no circle), the line is the closed form&#39;s polynomial in the count.",
      );
    } finally {
      await pool.close();
    }
  });
});

describe("the cheapest-strategy map", () => {
  const map = (columns: number, rows: number) => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    const cells = labels(columns).flatMap((a) => labels(rows).map((b) => ({ a, b, context: "shared", strategy: "s", margin: "clear", note: "" })));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return cheapestMap(["x", "y"], { contexts: ["shared"], a: labels(columns), b: labels(rows) }, cells, { domain: ["s"], range: ["#000"] }) as any;
  };
  it("keeps cells of 44 x 30 px with their labels while the grid fits a panel; a larger grid fills the panel, unlabelled (a report audit: 4,516 px shown at 22%)", () => {
    expect([map(8, 6).spec.width, map(8, 6).spec.height, map(8, 6).spec.layer.length]).toEqual([{ step: 44 }, { step: 30 }, 2]);
    const big = map(80, 40);
    expect([big.spec.width, big.spec.height, big.spec.layer.length]).toEqual([520, 600, 1]);
    expect(big.spec.layer[0].encoding.x.axis.labelOverlap).toBe("parity");
  });
});

describe("charts of many bars and cells", () => {
  it("draw 1,500 bars and a map of 1,000 rows: a sort by a list overflowed Vega's parser at about 1,000 (an audit: a stack trace after the runs)", async () => {
    const bars = Array.from({ length: 1500 }, (_, i) => `m${i % 3} in s${i}`);
    const rows = bars.map((bar, i) => ({ bar, context: "shared", category: "generation", value: 1 + (i % 7) }));
    const svg = await toSvg(breakdownChart(rows, bars, ["shared"], { domain: ["generation"], range: ["#000"] }));
    // in the order given, not the alphabet's (s10 before s2)
    expect(svg.indexOf(">m1 in s10<")).toBeGreaterThan(svg.indexOf(">m2 in s2<"));
    const labels = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    const cells = labels(2).flatMap((a) => labels(1000).map((b) => ({ a, b, context: "shared", strategy: "s", margin: "clear", note: "" })));
    expect(await toSvg(cheapestMap(["x", "y"], { contexts: ["shared"], a: labels(2), b: labels(1000) }, cells, { domain: ["s"], range: ["#000"] }))).toMatch(/^<svg/);
  });
});

describe("the sweep chart", () => {
  it("shows the numbers that agentsim sweep writes to its CSV", async () => {
    const pool = new SimulationPool(2);
    try {
      const sweep = buildSweep(readScenarioFile(SWEEP), SWEEP);
      const data = await sweepData(pool, sweep, { trials: 2000 });
      const out = join(tmp, "sweep.csv");
      await runSweep(pool, sweep, { out, trials: 2000 });
      const [head, ...lines] = readFileSync(out, "utf8").trim().split("\n");
      const col = head!.split(",").indexOf("mean");
      const means = lines.map((l) => Number(l.split(",")[col]));
      expect(data.rows.map((r) => r.mean)).toEqual(means);
      // and the interval drawn around each mean is the CSV's: mean +- t(0.975, 1999) x stdError,
      // t = 1.96115 (published tables), cut at 0 below (a cost is never negative)
      const column = (name: string) => lines.map((l) => Number(l.split(",")[head!.split(",").indexOf(name)]));
      const [lows, highs, errors] = [column("ciLow"), column("ciHigh"), column("stdError")];
      expect(data.rows.map((r) => r.ciLow)).toEqual(lows);
      expect(data.rows.map((r) => r.ciHigh)).toEqual(highs);
      data.rows.forEach((r, i) => {
        const half = 1.96115 * errors[i]!;
        expect(Math.abs(r.ciHigh! - (r.mean + half))).toBeLessThanOrEqual(1e-5 * half + 1e-12);
        expect(Math.abs(r.ciLow! - Math.max(0, r.mean - half))).toBeLessThanOrEqual(1e-5 * half + 1e-12);
      });
      expect(data.rows.filter((r) => r.ciHigh! > r.mean && r.ciLow! < r.mean).length).toBeGreaterThan(data.rows.length / 2); // intervals of some width
      expect(data.axes).toEqual([{ path: "models.weak.bugs.count", values: [0, 2, 4, 6, 8, 10, 12, 14], log: false }]);
      expect(data.infinite).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it("draws a key swept over a log range on a log axis, and a linear range on a linear one", async () => {
    const pool = new SimulationPool(1);
    try {
      const raw = readScenarioFile(SWEEP);
      const logged = { ...raw, sweep: { "models.weak.fix.hard": { from: 0.05, to: 0.4, steps: 3, scale: "log" }, "models.weak.fix.easy": { from: 0.6, to: 0.8, steps: 2 } } };
      const data = await sweepData(pool, buildSweep(logged, "log.yaml"), { trials: 20 });
      // 0.05, 0.05 x 8^(1/2), 0.4: evenly spaced in the logarithm
      expect(data.axes.map((a) => [a.path, a.log])).toEqual([["models.weak.fix.hard", true], ["models.weak.fix.easy", false]]);
      expect(data.axes[0]!.values[1]).toBeCloseTo(0.05 * Math.sqrt(8), 12);
    } finally {
      await pool.close();
    }
  });

  it("never draws a tie as a clear choice", async () => {
    // two strategies of the same models (weak-first and a copy): the same expected cost at every
    // point; their savings' interval leaves 0 by chance at some points (a review: 1 of 64 "clear")
    const pool = new SimulationPool(1);
    try {
      const raw = readScenarioFile(SWEEP) as Record<string, unknown> & { strategies: Record<string, unknown> };
      const twins = { ...raw, strategies: { "weak-first": raw.strategies["weak-first"], "weak-first-again": raw.strategies["weak-first"] } };
      const data = await sweepData(pool, buildSweep(twins, "twins.yaml"), { trials: 300 });
      expect(data.cheapest.length).toBe(16); // 8 points x 2 contexts
      expect(data.cheapest.filter((c) => c.clear)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it("leaves out a point whose expected cost is infinite, and has no interval where the variance is", async () => {
    const pool = new SimulationPool(1);
    try {
      // a = 0.15 x concentration: 10 gives a = 1.5 (infinite mean), 20 gives a = 3 (infinite variance)
      const raw = readScenarioFile("scenarios/beta-difficulty.yaml");
      const sweep = buildSweep({ ...raw, sweep: { "models.weak.fix.hard.concentration": [10, 20, 100] } }, "beta.yaml");
      const data = await sweepData(pool, sweep, { trials: 1000 });
      expect(data.infinite).toEqual([
        { values: [10], strategy: "strong-first", context: "shared" },
        { values: [10], strategy: "strong-first", context: "fresh" },
      ]);
      // at 100 (a = 15) the variance is finite again: an interval
      const heavy = data.rows.filter((r) => r.strategy === "strong-first");
      expect(heavy.map((r) => [r.values[0], r.ciLow === null])).toEqual([[20, true], [20, true], [100, false], [100, false]]);
      expect(data.rows.filter((r) => r.strategy === "weak-first").every((r) => r.ciLow !== null && r.ciLow < r.mean)).toBe(true);
    } finally {
      await pool.close();
    }
  });
});

describe("every expected cost infinite", () => {
  it("marks no strategy cheapest in the ranking tables, and draws no column of P(cheaper) against the first listed", async () => {
    const loaded = loadScenario("scenarios/beta-difficulty.yaml");
    const raw = structuredClone(loaded.raw) as { models: Record<string, { fix: Record<string, unknown> }> };
    raw.models.weak!.fix.hard = { dist: "beta", mean: 0.15, concentration: 10 }; // a = 1.5
    raw.models.strong!.fix.hard = { dist: "beta", mean: 0.6, concentration: 3 }; // a = 1.8
    const scenario = parseScenario(raw, "all-infinite.yaml");
    const pool = new SimulationPool(1);
    try {
      const data = await collectReport(pool, { raw, scenario, file: "all-infinite.yaml" }, { trials: 2000, seed: "1", crossover: {} });
      expect(data.decision.contexts.every((d) => d.byMean.allInfinite)).toBe(true);
      const html = await renderPage(data, "test");
      const decision = html.slice(html.indexOf('id="decision"'), html.indexOf("<h2", html.indexOf('id="decision"') + 1));
      expect(decision).toContain("every strategy&#39;s expected cost is infinite");
      expect(decision).not.toMatch(/class="mark"|P\(cheaper than/);
    } finally {
      await pool.close();
    }
  });
});

describe("a sweep the report does not draw whole", () => {
  it("beyond 2,000 points, draws 2,000 of them, evenly spaced, with the numbers agentsim sweep writes for them", async () => {
    // a 300 x 300 grid once ran the report out of memory; a 50 x 60 one is drawn at 44 x 45 of its values
    const pool = new SimulationPool(1);
    try {
      const loaded = loadScenario(SWEEP);
      const strategies = { "strong-first": (loaded.raw.strategies as Record<string, unknown>)["strong-first"] };
      const axes = { "tokens.prompt": { from: 1000, to: 5000, steps: 50 }, "tokens.generation": { from: 1000, to: 5000, steps: 60 } };
      const raw = { ...loaded.raw, strategies, sweep: axes };
      const data = await collectReport(pool, { ...loaded, raw }, { trials: 20, seed: "1", crossover: {} });
      expect(data.sweepNote).toBe(
        "The report draws 1,980 of the sweep's 3,000 points: 44 of the 50 values of tokens.prompt and 45 of the 60 " +
          "values of tokens.generation, evenly spaced, ends included (agentsim sweep writes every point to CSV).",
      );
      const [prompt, generation] = data.sweep!.axes;
      expect([prompt!.values.length, generation!.values.length]).toEqual([44, 45]);
      expect([prompt!.values[0], prompt!.values.at(-1), generation!.values[0], generation!.values.at(-1)]).toEqual([1000, 5000, 1000, 5000]);
      expect(data.sweep!.rows.length).toBe(1980 * 2); // one strategy, two contexts
      // a drawn point gives the numbers of agentsim sweep at that point (its seed depends on its values only)
      const row = data.sweep!.rows[2 * 1000]!;
      const single = { ...raw, sweep: { "tokens.prompt": [row.values[0]], "tokens.generation": [row.values[1]] } };
      const out = join(tmp, "thinned-point.csv");
      await runSweep(pool, buildSweep(single, "single.yaml"), { out, trials: 20 });
      const [head, ...lines] = readFileSync(out, "utf8").trim().split("\n");
      const col = head!.split(",").indexOf("mean");
      expect(lines.map((l) => Number(l.split(",")[col]))).toEqual([row.mean, data.sweep!.rows[2 * 1000 + 1]!.mean]);
      const html = await renderPage(data, "test");
      expect(html).toContain("The report draws 1,980 of the sweep&#39;s 3,000 points");
      expect(html).toContain("Simulated mean cost per run at every drawn point of the sweep");
      // 45 rows of panels per context before: the line chart draws 6 values of the second key
      expect(html).toContain("per value of tokens.generation (6 of its 45 values, evenly spaced, ends included; the map below has every one).");
    } finally {
      await pool.close();
    }
  });

  it("of two keys: the line chart has a row of panels for at most 6 values of the second, ends included", () => {
    const values = Array.from({ length: 45 }, (_, i) => 1000 + 100 * i);
    expect(panelRows(values)).toEqual([1000, 1900, 2800, 3600, 4500, 5400]);
    expect(panelRows([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it("of one key: says how many of its values are drawn, and draws the ends", () => {
    const raw = { ...readScenarioFile(SWEEP), sweep: { "tokens.prompt": { from: 1000, to: 3000, steps: 2001 } } };
    const { sweep, note } = drawnSweep(buildSweep(raw, "one.yaml"));
    expect(note).toBe(
      "The report draws 2,000 of the sweep's 2,001 values of tokens.prompt, evenly spaced, ends included (agentsim sweep writes every point to CSV).",
    );
    expect([sweep.size, sweep.point(0).values[0], sweep.point(1999).values[0]]).toEqual([2000, 1000, 3000]);
    expect(drawnSweep(buildSweep({ ...raw, sweep: { "tokens.prompt": { from: 1000, to: 3000, steps: 2000 } } }, "all.yaml")).note).toBeNull();
    // a key of one value beside it ("all 1 values of" before)
    const two = drawnSweep(buildSweep({ ...raw, sweep: { "models.weak.fix.hard": [0.2], "tokens.prompt": { from: 1000, to: 3000, steps: 2001 } } }, "two.yaml"));
    expect(two.note).toBe(
      "The report draws 2,000 of the sweep's 2,001 points: the one value of models.weak.fix.hard and 2,000 of the 2,001 values of tokens.prompt, " +
        "evenly spaced, ends included (agentsim sweep writes every point to CSV).",
    );
  });

  it("of more than two keys: a note, and no point is built or run", async () => {
    const pool = new SimulationPool(1);
    try {
      const loaded = loadScenario(SWEEP);
      const raw = { ...loaded.raw, sweep: { "tokens.prompt": [1000, 2000], "tokens.generation": [1000, 2000], "tokens.fixOutput": [100, 200] } };
      const data = await collectReport(pool, { ...loaded, raw }, { trials: 200, seed: "1", crossover: {} });
      expect(data.sweep).toBeNull();
      expect(data.sweepNote).toBe("The report draws sweeps of one or two keys; this one has 3 (agentsim sweep writes every point to CSV).");
    } finally {
      await pool.close();
    }
  });
});

describe("the scenario's numbers on the page", () => {
  it("are as written, grouped and without exponents (a review: 1234567.5 tokens read 1234570, $9999.99999 read $10000)", async () => {
    const pool = new SimulationPool(1);
    try {
      // prices written by hand, and no context window
      const raw = readScenarioFile(join(ROOT, "bench", "scenario.yaml")) as Record<string, unknown> & { tokens: Record<string, unknown>; models: Record<string, { price: unknown }> };
      const odd = {
        ...raw,
        contexts: ["fresh"],
        tokens: { ...raw.tokens, prompt: 1234567.5, fixOutput: 0.333333333333 },
        models: { ...raw.models, strong: { ...raw.models.strong, price: { input: 9999.99999, output: 0.0000025 } } },
      };
      const html = await renderPage(await collectReport(pool, { raw: odd, scenario: parseScenario(odd, "odd.yaml"), file: "odd.yaml" }, { trials: 200, seed: "1", crossover: {} }), "test");
      expect(html).toContain("<td>1,234,567.5</td>");
      expect(html).toContain("<td>0.333333</td>");
      expect(html).toContain("$9,999.99999");
      expect(html).toContain("$0.0000025");
    } finally {
      await pool.close();
    }
  });
});

describe("long names on the page", () => {
  it("are never cut in a chart: names alike but for their ends stay apart (a review: three legend entries read the same)", async () => {
    const pool = new SimulationPool(1);
    try {
      const loaded = loadScenario(DEFAULT);
      const raw = loaded.raw as Record<string, unknown> & { strategies: Record<string, unknown> };
      const [a, b] = ["a_very_long_model_name_1", "a_very_long_model_name_2"];
      const names = [1, 2, 3].map((i) => `escalate-weak-then-strong-with-advisor-consults-${i}`);
      const models = raw.models as Record<string, unknown>;
      const long = {
        ...raw,
        contexts: ["shared"],
        models: { [a]: models.weak, [b]: models.strong },
        strategies: Object.fromEntries(names.map((name, i) => [name, { generator: i === 2 ? b : a, fixer: i === 2 ? a : b }])),
      };
      const scenario = parseScenario(long, "long.yaml");
      const html = await renderPage(await collectReport(pool, { raw: long, scenario, file: "long.yaml" }, { trials: 200, seed: "1", crossover: {} }), "test");
      const texts = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
      expect(texts.filter((t) => t.includes("…"))).toEqual([]);
      // each legend label (strategy and its models) and each breakdown bar (model · strategy) whole
      for (const [i, name] of names.entries()) {
        expect(texts).toContain(`${name} (${i === 2 ? `${b} → ${a}` : `${a} → ${b}`})`);
        expect(texts).toContain(`${a} · ${name}`);
      }
      // the table's column against the cheapest: its name's hyphens do not break, one piece a line
      expect(html).toContain(`P(cheaper than ${names[2]!.replace(/-/g, "\u2011")})`);
    } finally {
      await pool.close();
    }
  });
});

describe("the page with the fields that ladders add to the results", () => {
  it("draws the breakdown by model and category from costByModel, and a table of rungs", async () => {
    const pool = new SimulationPool(1);
    try {
      const loaded = loadScenario(DEFAULT);
      const data = await collectReport(pool, { ...loaded, scenario: { ...loaded.scenario, contexts: ["fresh"] } }, { trials: 1000, seed: "1", crossover: {} });
      const costs = { generation: 0.1, uncachedInput: 0, cacheWrite: 0.02, cacheRead: 0.01, output: 0.03, total: 0.16 };
      for (const r of data.evaluation.results as (SimResult & Record<string, unknown>)[]) {
        r.costByModel = { [r.generator]: costs, [r.fixer ?? r.generator]: costs };
        r.rungs = [
          { rung: 0, kind: "fix", model: r.fixer!, reachFraction: 1, attemptsPerRun: 3 },
          { rung: 1, kind: "consult", model: "strong", reachFraction: 0.25, attemptsPerRun: 0.5 },
        ];
      }
      const html = await renderPage(data, "test");
      // one bar per model and strategy, the model first: what tells a strategy's bars apart survives a cut
      expect(html).toContain("weak · strong-first");
      expect(html).toContain("strong · strong-first");
      expect(html).not.toMatch(/·[^<]*…</); // no label cut short
      for (const category of ["uncached input", "cache writes", "cache reads"]) expect(html).toContain(`>${category}</text>`);
      expect(html).toMatch(/<h3>Ladders<\/h3>/);
      expect(html).toContain("<td>strong advises</td><td class=\"num\">25.0%</td>");
    } finally {
      await pool.close();
    }
  });
});

/** What a page does in Chromium: requests, console errors, and its charts' sizes. */
async function inspect(browser: Browser, file: string) {
  const page = await browser.context.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // every request is recorded; anything but the page itself is refused
  await page.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.request().url() === url ? route.continue() : route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  const charts = await page.locator("figure.chart svg").evaluateAll((svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return { width: box.width, height: box.height, visible: getComputedStyle(svg).visibility === "visible" && getComputedStyle(svg).display !== "none" };
    }),
  );
  const ids = await page.locator("[id]").evaluateAll((els) => els.map((e) => e.id));
  // legend entries of the strategy scales: label -> the colour of its symbol, in every chart
  const legend = await page.locator("g.role-legend-entry").evaluateAll((entries) =>
    entries.flatMap((entry) => {
      const symbols = [...entry.querySelectorAll("g.role-legend-symbol path")];
      const labels = [...entry.querySelectorAll("g.role-legend-label text")];
      return labels.map((t, i) => {
        const s = symbols[i]!;
        const fill = s.getAttribute("fill");
        return { label: t.textContent ?? "", colour: fill && fill !== "transparent" && fill !== "none" ? fill : s.getAttribute("stroke") };
      });
    }),
  );
  await page.close();
  return { url, requests, problems, charts, ids, legend };
}

describe("reports in Chromium", () => {
  let browser: Browser;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    const twoKeys = join(tmp, "two-keys.yaml");
    writeFileSync(
      twoKeys,
      readFileSync(SWEEP, "utf8")
        .replace("name: sweep-weak-bugs", "name: two-keys")
        .replace(/sweep:\n.*\n?$/s, "sweep:\n  models.weak.bugs.count: [0, 2, 4, 8]\n  models.strong.price.input: [2, 5, 15]\n"),
    );
    const runs: [string, string[]][] = [
      ["default", [DEFAULT, "--trials", "20000"]],
      ["sweep", [SWEEP, "--trials", "4000"]],
      ["two-keys", [twoKeys, "--trials", "2000", "--crossover", "models.strong.price.input", "--from", "1", "--to", "20"]],
      ["retry-caps", [join(ROOT, "scenarios", "ext-retry-caps.yaml"), "--trials", "3000"]],
    ];
    for (const [name, args] of runs) {
      const out = join(tmp, `${name}.html`);
      const r = agentsim("report", ...args, "--out", out);
      expect(r.stderr).toBe(""); // no chart warnings either
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+ kB\\)`));
      pages.set(name, out);
    }
    browser = await openChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  // distributions (one per context), breakdown, crossover (one per context), sweep lines, map
  const expectedCharts: [string, number][] = [["default", 5], ["sweep", 6], ["two-keys", 7], ["retry-caps", 5]];
  for (const [name, count] of expectedCharts) {
    it(`${name}: renders with JavaScript off, no console errors, every chart visible, nothing fetched`, async () => {
      const file = pages.get(name)!;
      const r = await inspect(browser, file);
      expect(r.problems).toEqual([]);
      expect(r.requests).toEqual([r.url]);
      expect(r.charts).toHaveLength(count);
      for (const c of r.charts) {
        expect(c.visible).toBe(true);
        expect(c.width).toBeGreaterThan(100);
        expect(c.height).toBeGreaterThan(100);
      }
      expect(new Set(r.ids).size).toBe(r.ids.length); // ids of several inline SVGs must not clash
      // one colour per strategy, in every chart that shows it
      const colours = new Map<string, Set<string>>();
      for (const { label, colour } of r.legend.filter((l) => l.label.includes("→"))) {
        colours.set(label, (colours.get(label) ?? new Set()).add(String(colour)));
      }
      expect(colours.size).toBeGreaterThanOrEqual(2);
      for (const [label, set] of colours) expect([label, [...set]]).toEqual([label, [...set].slice(0, 1)]);
      expect(new Set([...colours.values()].map((s) => [...s][0])).size).toBe(colours.size);
    });
  }

  it("charts are images named by their description, keep their size on a phone, and tables show every column at 1280 px (an audit: 4 px text at 375 px, the completion columns cut off)", async () => {
    const look = async (name: string, width: number) => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(pages.get(name)!).href, { waitUntil: "load" });
      const charts = await page.locator("figure.chart svg").evaluateAll((svgs) =>
        svgs.map((svg) => ({
          role: svg.getAttribute("role"),
          label: svg.getAttribute("aria-label"),
          title: svg.querySelector(":scope > title")?.textContent ?? null,
          scale: svg.getBoundingClientRect().width / Number(svg.getAttribute("width")),
        })),
      );
      const clipped = await page.locator("table").evaluateAll((tables) => tables.filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => [t.scrollWidth, t.clientWidth, t.querySelector("th")?.textContent]));
      await page.close();
      return { charts, clipped };
    };
    const phone = await look("default", 375);
    for (const c of phone.charts) {
      expect(c.role).toBe("img");
      expect(c.label!.length).toBeGreaterThan(20);
      expect(c.title).toBe(c.label);
      expect(c.scale).toBeGreaterThan(0.99); // its 11 px labels stay 11 px: the figure scrolls
    }
    expect((await look("retry-caps", 1280)).clipped).toEqual([]);
  });

  it("draws a heavy tail on a logarithmic cost axis (a report audit: an axis to $5,000 squeezed p50s of $0.17 and $0.42 into its first pixels)", () => {
    // weak's hard bugs at a Beta rate of concentration 10 (a = 1.5): an infinite expected cost, and no window to stop it
    const text = readFileSync(DEFAULT, "utf8")
      .replace("name: default", "name: heavy")
      .replace(/price: \{ preset: [^}]*\}/g, "price: { input: 1, output: 5 }")
      .replace("fix: { easy: 0.7, hard: 0.15 }", "fix: { easy: 0.7, hard: { dist: beta, mean: 0.15, concentration: 10 } }");
    const file = join(tmp, "heavy.yaml");
    writeFileSync(file, text);
    const out = join(tmp, "heavy.html");
    expect(agentsim("report", file, "--trials", "20000", "--out", out).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html.match(/the cost axis is logarithmic, as the tail is heavy \(the 99\.9% quantile reaches \$[\d,.]+\)\./g)).toHaveLength(2);
    expect(html).toContain(">cost ($ per run, logarithmic)</text>");
    expect(readFileSync(pages.get("default")!, "utf8")).not.toContain("logarithmic");
  });

  it("notes on the page what the price table leaves unsaid, as the commands do on stderr (a preset without a context window)", () => {
    const file = join(tmp, "windowless.yaml");
    writeFileSync(file, readFileSync(DEFAULT, "utf8").replace("name: default", "name: windowless").replace("anthropic/claude-haiku-4-5", "google/gemini-2.5-pro"));
    const out = join(tmp, "windowless.html");
    const r = agentsim("report", file, "--trials", "300", "--out", out);
    expect(r.code).toBe(0);
    const note = "models.weak: the price table gives google/gemini-2.5-pro no context window, so its conversations have no limit here (set models.weak.contextWindow to its real one)";
    expect(r.stderr).toBe(`agentsim: note: ${file}: ${note}\n`);
    expect(readFileSync(out, "utf8")).toContain(`<p>Note: ${note}.</p>`);
    expect(readFileSync(pages.get("default")!, "utf8")).not.toContain("<p>Note: ");
  });

  it("page text: commands as code, not backticks; the scenario by its file's name, not a path to mail around; no dashed crossover promised where there is none (a report audit)", () => {
    const out = join(tmp, "caps.html");
    expect(agentsim("report", join(ROOT, "scenarios", "ext-retry-caps.yaml"), "--trials", "500", "--out", out).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("No strategy has a closed form here; <code>agentsim run</code> simulates them.");
    expect(html).not.toContain("`");
    expect(html).toMatch(/<p class="meta">ext-retry-caps\.yaml: /);
    // a crossover key along which the two never cross (crossover says "no crossing" there): no dashes promised
    const flat = join(tmp, "flat.html");
    expect(agentsim("report", join(ROOT, "scenarios", "ext-cache-ttl.yaml"), "--trials", "500", "--crossover", "tokens.fixOutput", "--from", "10", "--to", "10000", "--out", flat).code).toBe(0);
    const flatHtml = readFileSync(flat, "utf8");
    expect(flatHtml).toContain("Lines: the closed form");
    expect(flatHtml).not.toContain("dashed: where the closed forms cross");
    expect(readFileSync(pages.get("sweep")!, "utf8")).toContain("dashed: where the closed forms cross");
  });

  it("says which strategies share a colour beyond the palette's eight (a report audit: the 1st and the 9th were one blue line)", () => {
    const many = Array.from({ length: 10 }, (_, i) => `  s${i}: { generator: ${i % 2 ? "strong" : "weak"}, fixer: ${i % 3 ? "weak" : "strong"} }\n`).join("");
    const file = join(tmp, "ten.yaml");
    writeFileSync(file, readFileSync(DEFAULT, "utf8").replace("name: default", "name: ten").replace(/^strategies:\n(?: {2}.*\n)*/m, `strategies:\n${many}`));
    const out = join(tmp, "ten.html");
    expect(agentsim("report", file, "--trials", "300", "--out", out).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(
      "<p>The charts have eight colours for 10 strategies: s8 (weak → weak) has the colour of s0 (weak → strong) and s9 (strong → strong) has the colour of s1 (strong → weak).</p>",
    );
    expect(readFileSync(pages.get("default")!, "utf8")).not.toContain("The charts have eight colours");
  });

  it("a two-key sweep's map runs in increasing order and its panels are named in 4 digits (an audit: 1, 0.5, 0.25 left to right; 0.2846153846153846)", () => {
    const file = join(tmp, "downwards.yaml");
    writeFileSync(
      file,
      readFileSync(SWEEP, "utf8")
        .replace("name: sweep-weak-bugs", "name: downwards")
        .replace(/sweep:\n.*\n?$/s, "sweep:\n  models.weak.bugs.count: [8, 4, 2, 0]\n  models.strong.fix.hard: [0.2846153846153846, 0.5]\n"),
    );
    const out = join(tmp, "downwards.html");
    expect(agentsim("report", file, "--trials", "500", "--out", out).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toContain("0.2846153846153846");
    expect(html).toContain(">0.2846</text>");
    const map = html.slice(html.lastIndexOf("<figure"));
    const at = ["0", "2", "4", "8"].map((v) => map.indexOf(`>${v}</text>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("names each swept key in its own code span, and writes the scenario's whole numbers exactly", () => {
    const html = readFileSync(pages.get("two-keys")!, "utf8");
    expect(html).toContain('<h2 id="sweep">Sweep along <code>models.weak.bugs.count</code> and <code>models.strong.price.input</code></h2>');
    expect(html).not.toContain("&lt;/code&gt;");
    const out = join(tmp, "window.html");
    const windowed = join(tmp, "window.yaml");
    writeFileSync(windowed, readFileSync(DEFAULT, "utf8").replace("name: default", "name: window").replace(/^  weak:\n/m, "  weak:\n    contextWindow: 1048576\n"));
    expect(agentsim("report", windowed, "--trials", "500", "--out", out).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("context window 1,048,576 tokens"); // not 1048580
  });

  it("free models (every cost $0): cost axes keep a length, and the breakdown says there is nothing to show", () => {
    const free = join(tmp, "free.yaml");
    writeFileSync(free, readFileSync(DEFAULT, "utf8").replace("name: default", "name: free").replace(/price: \{[^}]*\}/g, "price: { input: 0, output: 0 }"));
    const out = join(tmp, "free.html");
    expect(agentsim("report", free, "--trials", "500", "--out", out).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Every strategy costs $0 per run: there is nothing to break down.");
    const ticks = new Set([...html.matchAll(/>(\$[\d.,]+)<\/text>/g)].map((m) => m[1]));
    expect(ticks.size).toBeGreaterThan(2); // not a lone "$0" in the middle of an axis of no length
  });

  it("a crossover draws no circle where the expected cost is infinite, and says where", () => {
    // strong-first's weak fixer: a Beta rate with a = 0.15 x concentration; its shared-context cost needs a > 2
    const beta = join(tmp, "beta.yaml");
    writeFileSync(beta, readFileSync(join(ROOT, "scenarios", "beta-difficulty.yaml"), "utf8").replace(/sweep:\n.*\n?$/s, ""));
    const out = join(tmp, "beta.html");
    const r = agentsim("report", beta, "--trials", "2000", "--crossover", "models.weak.fix.hard.concentration", "--from", "2", "--to", "40", "--out", out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/No circle where the expected cost is infinite, as a simulated mean estimates nothing there: strong-first at [\d., ]+\.<\/figcaption>/);
  });

  it("is one self-contained file: no scripts, no links to anything outside it", () => {
    for (const file of pages.values()) {
      const html = readFileSync(file, "utf8");
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\s(src|href|xlink:href)\s*=/i);
      expect(html).not.toMatch(/@import|url\((?!#)/i);
    }
  });

  it("puts the decision and the scenario first", () => {
    const html = readFileSync(pages.get("default")!, "utf8");
    const answer = /<p class="answer">([^<]*)<\/p>/.exec(html)?.[1];
    expect(answer).toBe("Cheapest per run in both contexts: strong-first (strong generates, weak fixes).");
    expect(html.indexOf('id="decision"')).toBeLessThan(html.indexOf('id="scenario"'));
    expect(html.indexOf('id="scenario"')).toBeLessThan(html.indexOf("<figure"));
    for (const text of ["strong-first", "weak-first", "strong-strong", "weak-weak", "$25", "prompt tokens (L0)"]) expect(html).toContain(text);
  });

  it("gives the completion beside the cheapest, and costs per completed run, where runs end incomplete", () => {
    const html = readFileSync(pages.get("retry-caps")!, "utf8");
    expect(/<p class="answer">([^<]*)<\/p>/.exec(html)?.[1]).toMatch(/^Cheapest per run in both contexts: strong-weak \(strong generates, weak fixes\); it fixes every bug in only \d+\.\d% \(shared\) and \d+\.\d% \(fresh\) of runs\.$/);
    expect(html).toContain("<th class=\"num\">per completed run</th>");
    for (const context of ["shared", "fresh"]) expect(html).toMatch(new RegExp(`<p>${context}: neither has a closed form, so only their simulated means are drawn\\. Why: retry caps`));
  });

  it.runIf(process.env.UPDATE_SCREENSHOT)("writes docs/report.png from the default report", async () => {
    const out = join(tmp, "screenshot.html");
    expect(agentsim("report", "scenarios/default.yaml", "--out", out).code).toBe(0);
    const shot = await openChromium({ width: 1000, height: 800 });
    try {
      const page = await shot.context.newPage();
      await page.goto(pathToFileURL(out).href);
      const first = await page.locator("figure.chart").first().boundingBox();
      const clip = { x: 0, y: 0, width: 1000, height: first!.y + first!.height + 16 };
      await page.screenshot({ path: resolve(ROOT, "docs", "report.png"), fullPage: true, clip });
    } finally {
      await shot.close();
    }
  });
});
