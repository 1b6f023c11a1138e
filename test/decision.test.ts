/**
 * The decision module on hand-made results whose answers are worked out in the comments, and the
 * strategy descriptions.
 */
import { describe, expect, it } from "vitest";
import { costPerCompletedRun, decide, decideAnalytic, type AnalyticRow, type SimRow } from "../src/decision/decision.js";
import { pairLabel, rolesText } from "../src/decision/describe.js";
import { analyticDecisionText } from "../src/render/decision.js";
import type { Comparison } from "../src/evaluate/evaluate.js";
import type { Context } from "../src/scenario/types.js";

/** t_0.975 with 10 degrees of freedom, from a published t table */
const T95_10 = 2.228138852;

function row(strategy: string, context: Context, mean: number, p90: number, stdError = 0.01, allFixedFraction = 1, trials = 2000): SimRow {
  const [generator, fixer] = strategy.split("-") as [string, string];
  return { strategy, generator, fixer, context, trials, mean, p90, stdError, allFixedFraction };
}

function comparison(context: Context, a: string, b: string, probabilityCheaper: number): Comparison {
  return { context, a, b, probabilityCheaper };
}

describe("decide", () => {
  // shared: means 0.30 (strong-weak), 0.20 (weak-strong), 0.25 (weak-weak); p90s 0.35, 0.40, 0.30.
  const results = [
    row("strong-weak", "shared", 0.3, 0.35, 0.003),
    row("weak-strong", "shared", 0.2, 0.4, 0.004),
    row("weak-weak", "shared", 0.25, 0.3, 0.005),
    row("strong-weak", "fresh", 1, 1.5),
    row("weak-strong", "fresh", 2, 2.5),
  ];
  const comparisons = [
    comparison("shared", "weak-strong", "weak-weak", 0.61),
    comparison("shared", "weak-weak", "weak-strong", 0.39),
    comparison("fresh", "strong-weak", "weak-strong", 0.97),
  ];
  const decision = decide(results, comparisons);

  it("gives one decision per context, in the order of the results", () => {
    expect(decision.contexts.map((c) => c.context)).toEqual(["shared", "fresh"]);
    expect(decision.contexts[0]!.byMean.ranking.map((c) => c.strategy)).toEqual(["weak-strong", "weak-weak", "strong-weak"]);
  });

  it("by mean: the cheapest, the runner-up, the savings in $ and as a share of the runner-up's mean", () => {
    const m = decision.contexts[0]!.byMean;
    expect(m.best).toEqual({ strategy: "weak-strong", value: 0.2, completion: 1 });
    expect(m.runnerUp?.strategy).toBe("weak-weak");
    expect(m.savings).toBeCloseTo(0.05, 15);
    expect(m.savingsShare).toBeCloseTo(0.05 / 0.25, 15); // 20%
  });

  it("by mean: a 95% interval of the savings from the two standard errors, Student's t with Welch's degrees of freedom", () => {
    // two errors of 0.004 from 6 runs each: 10 degrees of freedom
    const m = decide([row("a-x", "shared", 0.2, 0.3, 0.004, 1, 6), row("b-x", "shared", 0.25, 0.3, 0.004, 1, 6)], []).contexts[0]!.byMean;
    const half = T95_10 * Math.sqrt(0.004 ** 2 + 0.004 ** 2);
    expect(m.savingsLow).toBeCloseTo(0.05 - half, 8);
    expect(m.savingsHigh).toBeCloseTo(0.05 + half, 8);
    // at 2,000 runs a side, t is within 0.1% of z_0.975
    const wide = decision.contexts[0]!.byMean;
    const halfWide = wide.savingsHigh! - wide.savings!;
    expect(halfWide / Math.sqrt(0.004 ** 2 + 0.005 ** 2)).toBeGreaterThan(1.959964);
    expect(halfWide / Math.sqrt(0.004 ** 2 + 0.005 ** 2)).toBeLessThan(1.959964 * 1.001);
  });

  it("by mean: P(cheaper in a single run) is the comparison of the cheapest against the runner-up, in that order", () => {
    expect(decision.contexts[0]!.byMean.probabilityCheaper).toBe(0.61);
    expect(decision.contexts[1]!.byMean.probabilityCheaper).toBe(0.97);
  });

  it("by p90 ranks on its own: weak-weak (0.30) before strong-weak (0.35)", () => {
    const p = decision.contexts[0]!.byP90;
    expect(p.best.strategy).toBe("weak-weak");
    expect(p.runnerUp?.strategy).toBe("strong-weak");
    expect(p.savings).toBeCloseTo(0.05, 15);
    expect(p.savingsShare).toBeCloseTo(0.05 / 0.35, 15);
  });

  it("calls two p90s apart only where one's 95% interval lies wholly below the other's: intervals that share an end are not", () => {
    // a: cheapest by mean (0.20), p90 0.30 in [0.21, 0.35]; b: cheapest by p90 (0.20) in [0.19, q].
    // Both p90s can be 0.21 when q = 0.21 (costs on a lattice of attempt counts share such ends):
    // not apart (a mutation that read <= as < passed every test: the mutation audit)
    const p90s = (q: number) => [
      { ...row("a-x", "shared", 0.2, 0.3), p90Low: 0.21, p90High: 0.35 },
      { ...row("b-x", "shared", 0.21, 0.2), p90Low: 0.19, p90High: q },
    ];
    expect(decide(p90s(0.21), []).contexts[0]!.p90Apart).toBe(false);
    expect(decide(p90s(0.2099), []).contexts[0]!.p90Apart).toBe(true);
  });

  it("has no cost-per-completed-run ranking when every run completes", () => {
    expect(decision.contexts.every((c) => c.byCompletedRun === null)).toBe(true);
  });

  it("ranks by mean / completion where runs end incomplete, and keeps the completion beside every candidate", () => {
    // a: mean 1.0, completes 50% -> 2.0 per completed run; b: 1.5, 100% -> 1.5; c: 1.2, 75% -> 1.6.
    const d = decide(
      [row("a-x", "fresh", 1, 2, 0.01, 0.5), row("b-x", "fresh", 1.5, 2, 0.01, 1), row("c-x", "fresh", 1.2, 2, 0.01, 0.75)],
      [],
    ).contexts[0]!;
    expect(d.byMean.best).toEqual({ strategy: "a-x", value: 1, completion: 0.5 });
    const c = d.byCompletedRun!;
    expect(c.best).toEqual({ strategy: "b-x", value: 1.5, completion: 1 });
    expect(c.runnerUp?.strategy).toBe("c-x");
    expect(c.runnerUp?.value).toBeCloseTo(1.6, 15);
    expect(c.runnerUp?.completion).toBe(0.75);
    expect(c.savings).toBeCloseTo(0.1, 14);
    expect(d.byMean.probabilityCheaper).toBeNull(); // no comparison given
  });

  it("puts a strategy that never completes last, at an infinite cost per completed run, with no savings against it", () => {
    expect(costPerCompletedRun(0.3, 0)).toBe(Infinity);
    const d = decide([row("a-x", "shared", 0.1, 0.2, 0.01, 0), row("b-x", "shared", 0.4, 0.5, 0.01, 0.9)], []).contexts[0]!;
    expect(d.byCompletedRun!.best.strategy).toBe("b-x");
    expect(d.byCompletedRun!.best.value).toBeCloseTo(0.4 / 0.9, 15);
    expect(d.byCompletedRun!.runnerUp?.value).toBe(Infinity);
    expect(d.byCompletedRun!.savings).toBeNull();
  });

  it("keeps the input order among equal means, and reports zero savings", () => {
    const d = decide([row("b-x", "shared", 0.5, 0.6), row("a-x", "shared", 0.5, 0.6)], []).contexts[0]!;
    expect(d.byMean.best.strategy).toBe("b-x");
    expect(d.byMean.savings).toBe(0);
    expect(d.byMean.tied).toEqual(["a-x"]);
  });

  it("ties only equal means: a mean one part in 10^15 above is not tied", () => {
    const d = decide([row("a-x", "shared", 0.5, 0.6), row("b-x", "shared", 0.5 * (1 + 1e-15), 0.6), row("c-x", "shared", 0.5, 0.6)], []).contexts[0]!;
    expect(d.byMean.ranking.map((c) => c.strategy)).toEqual(["a-x", "c-x", "b-x"]);
    expect(d.byMean.tied).toEqual(["c-x"]);
    expect(d.byP90.tied).toEqual(["b-x", "c-x"]);
  });

  it("ties strategies whose closed forms give the same expected cost, however their simulated means fall", () => {
    // a-x and c-x: the same expected cost 0.5 (their closed forms differ in the last place, as two
    // formulas equal in exact arithmetic may), simulated 0.499 and 0.497; b-x: 0.5 (1 + 1e-9)
    // expected, not the same, simulated 0.503.
    const withClosedForm = (r: SimRow, analyticMean: number): SimRow => ({ ...r, analyticMean });
    const rows = [
      withClosedForm(row("a-x", "shared", 0.499, 0.6), 0.5),
      withClosedForm(row("b-x", "shared", 0.503, 0.6), 0.5 * (1 + 1e-9)),
      withClosedForm(row("c-x", "shared", 0.497, 0.6), 0.5 * (1 + 2 ** -52)),
    ];
    const m = decide(rows, []).contexts[0]!.byMean;
    expect(m.best.strategy).toBe("c-x");
    expect(m.tied).toEqual(["a-x"]);
    expect(m.expectedTie).toBe(0.5 * (1 + 2 ** -52));
    // b-x simulated between them (0.498): the tie is not said, as b-x would sit inside it (a
    // review found "cheaper than it" read against b-x, said of a-x)
    const between = decide([rows[0]!, { ...rows[1]!, mean: 0.498 }, rows[2]!], []).contexts[0]!.byMean;
    expect(between.tied).toEqual([]);
    expect(between.expectedTie).toBeNull();
    // b-x of a lower closed form (0.4999), simulated after both: the tie is not said either, as it
    // would be said at a value that is not the lowest in expectation (a review's tie3.yaml)
    const lower = decide([rows[0]!, { ...rows[1]!, analyticMean: 0.4999 }, rows[2]!], []).contexts[0]!.byMean;
    expect(lower.tied).toEqual([]);
    expect(lower.expectedTie).toBeNull();
    // without closed forms, the same simulated means tie nothing
    const plain = decide(rows.map((r) => ({ ...r, analyticMean: null })), []).contexts[0]!.byMean;
    expect(plain.tied).toEqual([]);
    expect(plain.expectedTie).toBeNull();
    // a best of its own expected cost: no tie, whatever the others share
    const apart = decide([withClosedForm(row("a-x", "shared", 0.49, 0.6), 0.49), ...rows.slice(0, 1), rows[2]!], []).contexts[0]!.byMean;
    expect(apart.tied).toEqual([]);
    expect(apart.expectedTie).toBeNull();
  });

  it("per completed run too: the same E[C] / P(complete) by the closed forms is a tie", () => {
    // two identical bounded ladders (a review: "$0.52070, against $0.52664 for a" where analytic
    // ties them): expected 0.4 per run and 0.8 completion each, simulated 0.41 / 0.79 and 0.405 / 0.81
    const bounded = (name: string, mean: number, fixed: number): SimRow => ({ ...row(name, "shared", mean, 0.6, 0.01, fixed), analyticMean: 0.4, expectedCompletion: 0.8 });
    const d = decide([bounded("a-x", 0.41, 0.79), bounded("b-x", 0.405, 0.81)], []).contexts[0]!;
    expect(d.byCompletedRun!.best.strategy).toBe("b-x"); // 0.405 / 0.81 = 0.5 < 0.41 / 0.79 = 0.519
    expect(d.byCompletedRun!.tied).toEqual(["a-x"]);
    // completions of different expectation are no tie
    const apart = decide([bounded("a-x", 0.41, 0.79), { ...bounded("b-x", 0.405, 0.81), expectedCompletion: 0.85 }], []).contexts[0]!;
    expect(apart.byCompletedRun!.tied).toEqual([]);
  });

  it("with a single strategy names it, with no runner-up and no savings", () => {
    const d = decide([row("a-x", "shared", 0.1, 0.2)], []).contexts[0]!;
    expect(d.byMean).toMatchObject({ best: { strategy: "a-x" }, runnerUp: null, savings: null, savingsLow: null, probabilityCheaper: null });
  });

  it("ranks a heavy-tailed strategy by its expected cost, names it with both, and bounds the savings by the other's error alone", () => {
    // Its sample mean (0.2) is mostly far too low where the variance is infinite: ranked by it, an
    // audit's strategy was named cheapest at $0.253 against $0.258, its expected cost being $0.376.
    const heavy = { ...row("strong-weak", "shared", 0.2, 0.3), varianceReason: "beta with a = 3", analyticMean: 0.26 };
    const infinite = { ...row("weak-weak", "shared", 0.5, 0.3), reason: "infinite expected cost: ...", varianceReason: "beta with a = 1.5" };
    const plain = row("weak-strong", "shared", 0.25, 0.35, 0.01, 1, 11);
    const d = decide([heavy, plain, infinite], []).contexts[0]!.byMean;
    expect(d.ranking.map((c) => [c.strategy, c.value])).toEqual([["weak-strong", 0.25], ["strong-weak", 0.26], ["weak-weak", Infinity]]);
    expect(d.heavyTailed).toEqual([{ strategy: "strong-weak", expected: 0.26, simulated: 0.2 }]);
    // the closed form is exact: the savings' interval is the plain strategy's error alone (none was
    // given, and savings of a quarter of that error were said as a fact, a review)
    // (11 runs: t with 10 degrees of freedom)
    expect(d.savingsLow).toBeCloseTo(0.01 - T95_10 * plain.stdError, 8);
    expect(d.savingsHigh).toBeCloseTo(0.01 + T95_10 * plain.stdError, 8);
    expect(decide([plain, heavy], []).contexts[0]!.byMean.heavyTailed).toEqual([{ strategy: "strong-weak", expected: 0.26, simulated: 0.2 }]);
    // without a closed form the sample mean is all there is, and it bounds nothing
    const bare = { ...heavy, analyticMean: null };
    expect(decide([bare, plain], []).contexts[0]!.byMean).toMatchObject({ best: { strategy: "strong-weak", value: 0.2 }, heavyTailed: [{ expected: null, simulated: 0.2 }], savingsLow: null, savingsHigh: null });
    // against a runner-up of infinite expected cost the choice is clear, and nothing is heavy-tailed to say
    const clear = decide([plain, infinite], []).contexts[0]!.byMean;
    expect(clear).toMatchObject({ savings: null, savingsLow: null, heavyTailed: [] });
    expect(decide([plain, row("a-x", "shared", 0.3, 0.3)], []).contexts[0]!.byMean.heavyTailed).toEqual([]);
    // the runs tell the choice apart against an infinite runner-up (the report's sweep map faded
    // it: its rule looked for infinite savings, which are none); they cannot without an interval
    expect(clear.distinguishable).toBe(true);
    expect(decide([bare, plain], []).contexts[0]!.byMean.distinguishable).toBeNull();
  });

  it("distinguishable: savings whose interval lies above 0, never a tie, alone, and none where all are infinite", () => {
    // savings 0.05, errors 0.004 from 6 runs each: half-width 2.228 x 0.00566 = 0.0126, above 0
    const apart = [row("a-x", "shared", 0.2, 0.3, 0.004, 1, 6), row("b-x", "shared", 0.25, 0.3, 0.004, 1, 6)];
    expect(decide(apart, []).contexts[0]!.byMean.distinguishable).toBe(true);
    // errors of 0.02: half-width 2.228 x 0.0283 = 0.063 > 0.05, the interval includes 0
    const near = [row("a-x", "shared", 0.2, 0.3, 0.02, 1, 6), row("b-x", "shared", 0.25, 0.3, 0.02, 1, 6)];
    expect(decide(near, []).contexts[0]!.byMean.distinguishable).toBe(false);
    const tie = [row("a-x", "shared", 0.2, 0.3, 0, 1, 6), row("b-x", "shared", 0.2, 0.3, 0, 1, 6)];
    expect(decide(tie, []).contexts[0]!.byMean).toMatchObject({ tied: ["b-x"], distinguishable: false });
    expect(decide([apart[0]!], []).contexts[0]!.byMean.distinguishable).toBe(true);
    const infinite = (name: string) => ({ ...row(name, "shared", 0.5, 0.3), reason: "infinite expected cost: ...", varianceReason: "beta with a = 1.5" });
    expect(decide([infinite("a-x"), infinite("b-x")], []).contexts[0]!.byMean).toMatchObject({ allInfinite: true, distinguishable: null });
  });
});

describe("decideAnalytic", () => {
  const base = { generator: "g", fixer: "f", reason: null };
  it("ranks an infinite expected cost last, as run does (an audit: 'not ranked, no closed form'), and ties it with nothing", () => {
    const rows = [
      { ...base, strategy: "a", context: "shared" as const, analyticMean: null, reason: "infinite expected cost: models.f.fix.hard is beta with a = 1.5 <= 2" },
      { ...base, strategy: "b", context: "shared" as const, analyticMean: 0.4 },
    ];
    const d = decideAnalytic(rows).contexts[0]!;
    expect(d.byMean!.ranking.map((c) => [c.strategy, c.value])).toEqual([["b", 0.4], ["a", Infinity]]);
    expect(d.byMean!.tied).toEqual([]);
    expect(d.noClosedForm).toEqual([]);
    // alone, an infinite cost is no cheapest: it stays without a closed form
    expect(decideAnalytic([rows[0]!]).contexts[0]!).toMatchObject({ byMean: null, noClosedForm: [{ strategy: "a" }] });
  });

  const results: AnalyticRow[] = [
    { ...base, strategy: "a", context: "shared", analyticMean: 0.5 },
    { ...base, strategy: "b", context: "shared", analyticMean: null, reason: "retry caps (limits) have no closed form" },
    { ...base, strategy: "c", context: "shared", analyticMean: 0.4 },
    { ...base, strategy: "a", context: "fresh", analyticMean: null, reason: "why" },
  ];
  const d = decideAnalytic(results);

  it("ranks the strategies with a closed form and lists the others with their reason", () => {
    const shared = d.contexts[0]!;
    expect(shared.byMean?.ranking.map((c) => c.strategy)).toEqual(["c", "a"]);
    expect(shared.byMean?.savings).toBeCloseTo(0.1, 15);
    expect(shared.byMean?.savingsShare).toBeCloseTo(0.2, 15);
    expect(shared.noClosedForm).toEqual([{ strategy: "b", reason: "retry caps (limits) have no closed form" }]);
    expect(shared.byCompletedRun).toBeNull();
  });

  it("ties expected costs within one part in 10^12 (rounding), and no further apart", () => {
    const e = decideAnalytic([
      { ...base, strategy: "a", context: "shared", analyticMean: 0.3 },
      { ...base, strategy: "b", context: "shared", analyticMean: 0.3 * (1 + 5e-13) },
      { ...base, strategy: "c", context: "shared", analyticMean: 0.3 * (1 + 5e-12) },
    ]).contexts[0]!;
    expect(e.byMean?.best.strategy).toBe("a");
    expect(e.byMean?.tied).toEqual(["b"]);
    expect(e.byMean?.runnerUp?.strategy).toBe("b");
  });

  it("ties nothing with an infinite cost", () => {
    const e = decideAnalytic([
      { ...base, strategy: "a", context: "shared", analyticMean: 0.3, expectedCompletion: 0 },
      { ...base, strategy: "b", context: "shared", analyticMean: 0.3, expectedCompletion: 0 },
    ]).contexts[0]!;
    expect(e.byMean?.tied).toEqual(["b"]);
    expect(e.byCompletedRun?.best.value).toBe(Infinity);
    expect(e.byCompletedRun?.tied).toEqual([]);
  });

  it("has no choice in a context where nothing has a closed form", () => {
    expect(d.contexts[1]).toMatchObject({ context: "fresh", byMean: null, byCompletedRun: null });
  });

  it("ranks by expected cost per completed run where the results give an expected completion below 1 (none given: every run completes)", () => {
    const e = decideAnalytic([
      { ...base, strategy: "a", context: "fresh", analyticMean: 0.3, expectedCompletion: 0.5 },
      { ...base, strategy: "b", context: "fresh", analyticMean: 0.4 },
    ]).contexts[0]!;
    expect(e.byMean?.best.strategy).toBe("a");
    expect(e.byCompletedRun?.best).toEqual({ strategy: "b", value: 0.4, completion: 1 });
    expect(e.byCompletedRun?.runnerUp).toEqual({ strategy: "a", value: 0.6, completion: 0.5 });
    expect(e.completionUnknown).toEqual([]);
  });

  it("a completion without a closed form (null) is not taken for 1, and leaves no ranking per completed run (an audit: 'every run completes', where run found 9.4%)", () => {
    const e = decideAnalytic([
      { ...base, strategy: "a", context: "fresh", analyticMean: 0.3, expectedCompletion: null },
      { ...base, strategy: "b", context: "fresh", analyticMean: 0.4, expectedCompletion: 0.5 },
      { ...base, strategy: "c", context: "fresh", analyticMean: 0.5, expectedCompletion: 1 },
    ]).contexts[0]!;
    expect(e.byMean?.best).toEqual({ strategy: "a", value: 0.3, completion: null });
    expect(e.byCompletedRun).toBeNull();
    expect(e.completionUnknown).toEqual(["a"]);
    const text = analyticDecisionText({ contexts: [e] }, [
      { strategy: "a", generator: "g", fixer: "f" },
      { strategy: "b", generator: "g", fixer: "f" },
      { strategy: "c", generator: "g", fixer: "f" },
    ]);
    expect(text.headline).toBe("Cheapest by expected cost in the fresh context: a (g generates, f fixes); the share of its runs that fix every bug has no closed form (agentsim run measures it).");
    expect(text.contexts[0]!.sentence).toBe("$0.30000 per run, with no closed form for the share of runs it completes; $0.10000 (25.0%) less than b (which completes 50.0% of runs)");
  });
});

describe("strategy descriptions", () => {
  it("say who generates and who fixes", () => {
    expect(rolesText({ generator: "strong", fixer: "weak" })).toBe("strong generates, weak fixes");
    expect(rolesText({ generator: "weak", fixer: "weak" })).toBe("weak generates and fixes");
    expect(pairLabel({ generator: "strong", fixer: "weak" })).toBe("strong -> weak");
  });

  it("show a ladder in short where there is one, and a one-rung ladder as its fixer", () => {
    const ladder = { generator: "weak", fixer: "weak", ladder: "weak x3 > strong" };
    expect(pairLabel(ladder)).toBe("weak -> weak x3 > strong");
    expect(rolesText(ladder)).toBe("weak generates; fixes climb weak x3 > strong");
    expect(rolesText({ generator: "weak", fixer: "strong", ladder: "strong" })).toBe("weak generates, strong fixes");
  });
});
