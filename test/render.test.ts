/**
 * The text renderers: word wrapping, tables that fit the terminal, and the decision in words
 * (a strategy called cheapest always has its completion beside it when runs end incomplete).
 */
import { describe, expect, it } from "vitest";
import { analyticDecisionLines, decisionLines } from "../src/render/decision.js";
import { ladderTable, PAIR_COLUMN } from "../src/cli/render/run.js";
import { ladderText } from "../src/scenario/ladder.js";
import type { Rung } from "../src/scenario/types.js";
import { crossingValue, money, num, percent, percentStrict, seconds, zText } from "../src/render/format.js";
import { joinMoments, momentsOf, summaryOf } from "../src/stats/summary.js";
import { GLUE, plainTable, sectionTable, shortenMiddle, terminalWidth, textWidth, unbroken, wrap, type Column } from "../src/cli/render/layout.js";
import { decide, decideAnalytic, type SimRow } from "../src/decision/decision.js";
import { groupDigits } from "../src/text.js";

describe("layout", () => {
  it("uses the terminal's columns when stdout is one, else COLUMNS when it is a whole number, else 100", () => {
    expect(terminalWidth({ isTTY: true, columns: 80 }, { COLUMNS: "60" })).toBe(80);
    expect(terminalWidth({ isTTY: false, columns: 80 }, {})).toBe(100);
    expect(terminalWidth({}, {})).toBe(100);
    expect(terminalWidth({}, { COLUMNS: "60" })).toBe(60);
    for (const bad of ["", "0", "-5", "7.5", "wide", "1e400"]) expect(terminalWidth({}, { COLUMNS: bad })).toBe(100);
    // narrower than 40 columns, a sentence would be a column of single words
    expect(terminalWidth({}, { COLUMNS: "3" })).toBe(40);
    expect(terminalWidth({ isTTY: true, columns: 12 }, {})).toBe(40);
  });

  it("groups a count's digits by threes as en-US does (Intl's own toLocaleString is the reference)", () => {
    const counts = [0, 7, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 4_294_967_296, Number.MAX_SAFE_INTEGER, -1, -1234, -999_999_999];
    for (let k = 0; k < 200; k++) counts.push(Math.floor(1.2 ** k), -Math.floor(1.17 ** k));
    for (const n of counts) expect(groupDigits(n), String(n)).toBe(n.toLocaleString("en-US"));
    for (const n of [0.5, 1234.5678]) expect(groupDigits(n)).toBe(n.toLocaleString("en-US"));
    // beyond 2^53 (and 1e16) an absurd count reads as its magnitude, not 300 digits or "∞" (a fuzzer's
    // --to 1e308 printed a 400-character message)
    expect([1e16, 1e21, -1e300, 1e308].map(groupDigits)).toEqual(["1.00e+16", "1.00e+21", "-1.00e+300", "1.00e+308"]);
    expect([Infinity, Number.NaN].map(groupDigits)).toEqual(["infinitely many", "NaN"]);
  });

  it("wraps at spaces with a hanging indent, never splitting a word", () => {
    expect(wrap("aa bb cc dd", 8, "> ", "  ")).toEqual(["> aa bb", "  cc dd"]);
    expect(wrap("abcdefghij k", 5)).toEqual(["abcdefghij", "k"]);
    expect(wrap("", 10, "x")).toEqual(["x"]);
  });

  it("keeps a number and its unit on one line, printed with a plain space", () => {
    expect(wrap(`2 threads, 0.02${GLUE}s`, 15)).toEqual(["2 threads,", "0.02 s"]);
    expect(wrap(`2 threads, 0.02 s`, 15)).toEqual(["2 threads, 0.02", "s"]);
  });

  const columns: Column<{ a: string; b: string; c: string }>[] = [
    { head: "name", cell: (r) => r.a },
    { head: "kept", numeric: true, cell: (r) => r.b },
    { head: "optional", drop: 1, cell: (r) => r.c },
    { head: "only wide", wide: true, cell: () => "w" },
  ];
  const sections = [{ title: "shared", rows: [{ a: "one", b: "1", c: "x".repeat(30) }] }];

  it("keeps a file's name whole in a wrapped line, its spaces and no-break spaces as they are", () => {
    // a no-break space in the name printed as a plain one: "Wrote r x.html" named no file
    const name = "r\u00a0x  y.html";
    expect(wrap(`Wrote ${unbroken(name)} (12 kB)`, 40).join("\n")).toBe(`Wrote ${name} (12 kB)`);
    expect(wrap(`Wrote ${unbroken(name)} (12 kB)`, 12)).toEqual(["Wrote", name, "(12 kB)"]);
  });

  it("measures text in terminal columns: a Chinese character or an emoji takes two", () => {
    expect(textWidth("strategy")).toBe(8);
    expect(textWidth("日本語の戦略")).toBe(12);
    expect(textWidth("ab\n🚀 fast")).toBe(7);
    // each line of the wrapped sentence fits 20 columns, though its characters number fewer
    for (const line of wrap("日本語 日本語 日本語 日本語 日本語", 20)) expect(textWidth(line)).toBeLessThanOrEqual(20);
    expect(wrap("日本語 日本語 日本語 日本語 日本語", 20)).toEqual(["日本語 日本語 日本語", "日本語 日本語"]); // 20 columns, then 13
  });

  it("puts each section's title on its own line and indents its rows", () => {
    const text = sectionTable(columns, sections, { width: 100, wide: false });
    // the title is wider than the first column's cells ("  one"), which keep their own width
    expect(text.split("\n")).toEqual(["name   kept  optional", "shared", "  one     1  " + "x".repeat(30)]);
  });

  it("does not widen the first column for a long title, with two-line heads too", () => {
    const title = "strong-escalate (shared)";
    const two: Column<{ a: string; b: string; c: string }>[] = [columns[0]!, { ...columns[1]!, head: "kept\nper run" }];
    const text = sectionTable(two, [{ title, rows: [{ a: "one", b: "1", c: "" }] }, { title: "fresh", rows: [{ a: "two", b: "2", c: "" }] }], { width: 100, wide: false });
    expect(text.split("\n")).toEqual(["name      kept", "       per run", title, "  one        1", "fresh", "  two        2"]);
  });

  it("drops the droppable columns when too wide, and shows everything with wide", () => {
    const narrow = sectionTable(columns, sections, { width: 20, wide: false });
    expect(narrow).not.toMatch(/optional/);
    expect(textWidth(narrow)).toBeLessThanOrEqual(20);
    const wide = sectionTable(columns, sections, { width: 20, wide: true });
    expect(wide).toMatch(/optional +only wide/);
  });

  it("drops columns of one rank together: the parts of a sum are shown all or none", () => {
    // width 24: every column takes 29; one part at a time, dropping part1 was enough (22), and
    // left a breakdown that no longer added up (analytic's "fix input new" went alone)
    type Row = { a: string };
    const part = (head: string): Column<Row> => ({ head, numeric: true, drop: 2, cell: () => "1" });
    const parts: Column<Row>[] = [{ head: "name", cell: (r) => r.a }, part("part1"), part("part2"), part("part3"), { head: "x", drop: 1, cell: () => "x" }];
    const text = sectionTable(parts, [{ title: "shared", rows: [{ a: "one" }] }], { width: 24, wide: false });
    expect(text.split("\n")[0]).toBe("name   x");
  });
});

describe("shortening in the middle", () => {
  it("keeps what fits, and cuts the rest between whole characters to the width in columns", () => {
    expect(shortenMiddle("claude-sonnet-4-5", 20)).toBe("claude-sonnet-4-5");
    // 9 columns left for the text: 5 at the head, 4 at the tail
    expect(shortenMiddle("abcdefghijklmnopqrstuvwxyz", 10)).toBe("abcde…wxyz");
    // an emoji is two UTF-16 units (a cut between them printed U+FFFD) and two columns
    const emoji = shortenMiddle("😀".repeat(100), 21);
    expect(emoji).toBe(`${"😀".repeat(5)}…${"😀".repeat(5)}`);
    expect(emoji).not.toMatch(/\p{Cs}/u); // no lone surrogate
    // a Chinese character takes two columns: a cut by code units was twice the width
    expect(textWidth(shortenMiddle("模".repeat(100), 50))).toBeLessThanOrEqual(50);
    // a family (joined by ZWJ) and a flag stay whole
    const joined = shortenMiddle("👨‍👩‍👧🇫🇷".repeat(20), 11);
    expect(joined.startsWith("👨‍👩‍👧🇫🇷")).toBe(true);
    expect(joined.endsWith("👨‍👩‍👧🇫🇷")).toBe(true);
    expect(textWidth(joined)).toBeLessThanOrEqual(11);
  });

  it("shortens a text of a million characters by its ends (segmenting all of it is quadratic in Node 20: a 200,000-character model id took 50 s)", () => {
    expect(shortenMiddle(`${"a".repeat(1_000_000)}z`, 10)).toBe("aaaaa…aaaz");
    expect(shortenMiddle(`模${"😀".repeat(500_000)}模`, 11)).toBe("模😀…😀😀模"); // 11 columns
  });
});

describe("a section table whose names are wider than the terminal", () => {
  type Row = { name: string; cost: string };
  const columns: Column<Row>[] = [
    { head: "strategy", cell: (r) => r.name },
    { head: "E[cost]", numeric: true, cell: (r) => r.cost },
  ];
  const long = (end: string) => "x".repeat(24) + "-middle-" + "y".repeat(16) + end; // 49 columns
  const sections = (names: string[]) => [{ title: "shared", rows: names.map((name) => ({ name, cost: "$0.20533" })) }];

  it("cuts them in their middle to fit (a 49-column name made a table 61 wide at 40 columns)", () => {
    const text = sectionTable(columns, sections([long("a"), "s9"]), { width: 40, wide: false });
    expect(textWidth(text)).toBeLessThanOrEqual(40);
    const [cut] = text.split("\n").filter((l) => l.includes("…"));
    expect(cut).toMatch(/^  x+…y+a +\$0\.20533$/);
    // at a width that takes them, as they are
    expect(sectionTable(columns, sections([long("a"), "s9"]), { width: 80, wide: false })).toContain(long("a"));
  });

  it("keeps them whole where cutting would make two alike: they differ only in what the cut removes", () => {
    const [a, b] = ["x".repeat(20) + "-one-" + "y".repeat(20), "x".repeat(20) + "-two-" + "y".repeat(20)];
    const text = sectionTable(columns, sections([a, b]), { width: 40, wide: false });
    expect(text).toContain(a);
    expect(text).toContain(b);
  });
});

describe("a plain table that cannot fit", () => {
  type Row = { key: string; estimate: string; low: string };
  const columns: Column<Row>[] = [
    { head: "parameter", cell: (r) => r.key },
    { head: "estimate", numeric: true, cell: (r) => r.estimate },
    { head: "95% interval", numeric: true, cell: (r) => r.low },
    { head: "from", drop: 1, cell: () => "fix attempts" },
  ];
  const rows = [
    { key: "models.strong.bugs.hardFraction", estimate: "0.3123", low: "0.2845 .. 0.3428" },
    { key: "tokens.prompt", estimate: "2,000", low: "2,000 .. 2,000" },
  ];
  it("is a table where it fits, its droppable columns dropped first", () => {
    expect(plainTable(columns, rows, { width: 80, wide: false })).toBe(
      [
        "parameter                        estimate      95% interval  from",
        "models.strong.bugs.hardFraction    0.3123  0.2845 .. 0.3428  fix attempts",
        "tokens.prompt                       2,000    2,000 .. 2,000  fix attempts",
      ].join("\n"),
    );
    expect(plainTable(columns, rows, { width: 60, wide: false }).split("\n")[0]).toBe("parameter                        estimate      95% interval");
  });
  it("is a list where it does not (fit's parameters at 40 columns were 59 wide): each row's first cell, then its headed cells, every one", () => {
    const text = plainTable(columns, rows, { width: 40, wide: false });
    expect(text).toBe(
      [
        "models.strong.bugs.hardFraction",
        "  estimate 0.3123;",
        "  95% interval 0.2845 .. 0.3428;",
        "  from fix attempts",
        "tokens.prompt",
        // "estimate 2,000; 95% interval 2,000 .. 2,000" takes 45 with its indent: the interval goes whole to a line of its own
        "  estimate 2,000;",
        "  95% interval 2,000 .. 2,000;",
        "  from fix attempts",
      ].join("\n"),
    );
  });
});

function row(strategy: string, mean: number, p90: number, allFixedFraction = 1): SimRow {
  const [generator, fixer] = strategy.split("-") as [string, string];
  return { strategy, generator, fixer, context: "shared", trials: 2000, mean, p90, stdError: 0.001, allFixedFraction };
}

describe("numbers", () => {
  it("a share that rounds to zero has no sign", () => {
    expect(percent(-1e-12, 3)).toBe("0.000%");
    expect(percent(-0, 1)).toBe("0.0%");
    expect(percent(-0.0004, 1)).toBe("0.0%");
    expect(percent(-0.0006, 1)).toBe("-0.1%");
  });
  it("large dollars and seconds are written out, not in exponent notation; a z of -0.00 has no sign", () => {
    // a scenario within bounds printed "$2.1395e+5" and "1.440e+4 s"
    expect(money(213950.3)).toBe("$213,950");
    expect(money(-101690.2)).toBe("-$101,690");
    expect(money(12345.67)).toBe("$12,346");
    expect(money(1234.567)).toBe("$1234.6");
    expect(money(0.123456)).toBe("$0.12346");
    expect(money(-5.11e-5)).toBe("-$5.1100e-5"); // 5 significant digits below $0.0001 too
    // a crossover's value, in crossover and on the report's page alike: no trailing zeros, no narrowing
    expect([crossingValue(1.012099999), crossingValue(0.6000000001), crossingValue(25980.91878)]).toEqual(["1.0121", "0.6", "25980.9"]);
    expect(crossingValue(1234567, true)).toBe("1234567"); // a whole-number crossing in full (a review: 1234570)
    expect(seconds(14400.2)).toBe("14,400 s");
    expect(seconds(12.34567)).toBe("12.35 s");
    expect(num(25980.91878, 6)).toBe("25980.9");
    expect(num(1234567.8, 4)).toBe("1,235,000");
    expect(zText(-0.001)).toBe("0.00");
    expect(zText(-0.006)).toBe("-0.01");
    expect(zText(null)).toBe("-");
  });

  it("a completion short of all (or above none) never rounds to 100% (0%)", () => {
    // 99.955% of runs completing printed "100.0%", hiding what the column is there to show
    expect(percentStrict(0.99955, 1)).toBe(">99.9%");
    expect(percentStrict(0.9994, 1)).toBe("99.9%");
    expect(percentStrict(1, 1)).toBe("100.0%");
    expect(percentStrict(0.0004, 1)).toBe("<0.1%");
    expect(percentStrict(0.001, 0)).toBe("<1%");
    expect(percentStrict(0.996, 0)).toBe(">99%");
    expect(percentStrict(0, 1)).toBe("0.0%");
    expect(percentStrict(null, 1)).toBe("-");
  });
  it("values all equal have that mean and no spread, however they were summed", () => {
    const values = new Float64Array(100_001).fill(0.1 + 0.2);
    const parts = [momentsOf(values.subarray(0, 33_333)), momentsOf(values.subarray(33_333))];
    const s = summaryOf(joinMoments(parts), [0.3, 0.3, 0.3, 0.3, 0.3]);
    expect(s.mean).toBe(0.1 + 0.2);
    expect([s.stdDev, s.stdError, s.skewness]).toEqual([0, 0, 0]);
    expect([s.ciLow, s.ciHigh]).toEqual([s.mean, s.mean]);
  });
});

describe("generator -> fixer", () => {
  const m = (c: string) => c.repeat(24);
  it("a single fixer is named in full, however long its name", () => {
    expect(PAIR_COLUMN.cell({ generator: m("g"), fixer: m("f"), ladder: m("f") })).toBe(`${m("g")} -> ${m("f")}`);
  });
  it("a long ladder is shortened to the models it climbs through, where that is short enough", () => {
    // advisor.yaml's hand-off read "executor -> executor..advisor", as if a range of models
    expect(PAIR_COLUMN.cell({ generator: "executor", fixer: null, ladder: "executor x2 > advisor" })).toBe("executor -> executor > advisor");
  });
  it("a long ladder with a consult is shortened to its fixers and, in brackets, the models it consults", () => {
    // advisor.yaml's advised read "executor -> executor..executor": the advisor it consults was not in sight
    const advised = "executor x2 > consult advisor > executor*";
    expect(PAIR_COLUMN.cell({ generator: "executor", fixer: null, ladder: advised })).toBe("executor -> executor (advisor)");
    expect(PAIR_COLUMN.cell({ generator: "weak", fixer: null, ladder: "weak x3 > consult strong > weak* x2 > strong" })).toBe("weak -> weak > strong (strong)");
  });
  it("a long ladder is shortened to its first and last models", () => {
    const long = "weak x3 > consult strong > weak* x2 > consult oracle > strong x2 > weak";
    expect(PAIR_COLUMN.cell({ generator: "weak", fixer: null, ladder: long })).toBe("weak -> weak..weak");
    expect(PAIR_COLUMN.cell({ generator: "weak", fixer: null, ladder: "weak x3 > strong" })).toBe("weak -> weak x3 > strong");
  });
});

describe("the decision in words", () => {
  it("names the cheapest strategy with who generates and who fixes, its savings and P(cheaper)", () => {
    const results = [row("strong-weak", 0.2, 0.3), row("weak-strong", 0.4, 0.5)];
    const comparisons = [{ context: "shared" as const, a: "strong-weak", b: "weak-strong", probabilityCheaper: 0.9 }];
    const text = decisionLines(decide(results, comparisons), results, 200).join("\n");
    expect(text).toBe(
      "Cheapest per run in the shared context: strong-weak (strong generates, weak fixes).\n" +
        "  shared: $0.20000 per run; $0.20000 (50.0%) less than weak-strong; cheaper than it in 90.0% of single runs; lowest p90 too ($0.30000)\n" +
        "  (Single runs compared in pairs; a tie counts as half.)",
    );
  });

  it("a p90 cheaper than the cheapest's by less than their intervals tell apart says so", () => {
    // two strategies of the same models: their p90s differ by sampling noise alone
    const withP90 = (name: string, mean: number, p90: number, low: number, high: number) => ({ ...row(name, mean, p90), p90Low: low, p90High: high });
    const close = [withP90("a-x", 0.2, 0.3, 0.28, 0.32), withP90("b-x", 0.21, 0.29, 0.27, 0.31)];
    expect(decisionLines(decide(close, []), close, 300).join("\n")).toMatch(/by p90 b-x is cheapest \(\$0\.29000, against \$0\.30000, which this many runs cannot tell apart\)/);
    const apart = [withP90("a-x", 0.2, 0.3, 0.28, 0.32), withP90("b-x", 0.21, 0.2, 0.19, 0.21)];
    expect(decisionLines(decide(apart, []), apart, 300).join("\n")).toMatch(/by p90 b-x is cheapest \(\$0\.20000, against \$0\.30000\)/);
  });

  it("a lowest p90 too that the runs cannot tell from the next one says so", () => {
    // "lowest p90 too" was said without a caveat where the next p90 was within its interval
    const withP90 = (name: string, mean: number, p90: number, low: number, high: number) => ({ ...row(name, mean, p90), p90Low: low, p90High: high });
    const close = [withP90("a-x", 0.2, 0.29, 0.27, 0.31), withP90("b-x", 0.21, 0.3, 0.28, 0.32)];
    expect(decisionLines(decide(close, []), close, 300).join("\n")).toMatch(
      /lowest p90 too \(\$0\.29000, against \$0\.30000 for b-x, which this many runs cannot tell apart\)/,
    );
    const apart = [withP90("a-x", 0.2, 0.2, 0.19, 0.21), withP90("b-x", 0.21, 0.3, 0.28, 0.32)];
    expect(decisionLines(decide(apart, []), apart, 300).join("\n")).toMatch(/lowest p90 too \(\$0\.20000\)/);
    // a strategy tied with it (the same p90 in every run) is no runner-up: the next one after it is (a review
    // read "tied with a-y, against $0.20000 for a-y, which this many runs cannot tell apart")
    const tied = [withP90("a-x", 0.2, 0.2, 0.2, 0.2), withP90("a-y", 0.2, 0.2, 0.2, 0.2), withP90("c-x", 0.25, 0.3, 0.28, 0.32)];
    expect(decisionLines(decide(tied, []), tied, 300).join("\n")).toMatch(/lowest p90 too \(\$0\.20000, tied with a-y\)/);
    const tiedClose = [withP90("a-x", 0.2, 0.2, 0.19, 0.21), withP90("a-y", 0.2, 0.2, 0.19, 0.21), withP90("c-x", 0.25, 0.205, 0.2, 0.21)];
    expect(decisionLines(decide(tiedClose, []), tiedClose, 300).join("\n")).toMatch(
      /lowest p90 too \(\$0\.20000, tied with a-y, against \$0\.20500 for c-x, which this many runs cannot tell apart\)/,
    );
    // the same with the cheapest by mean listed second among the tied p90s: the caveat stayed away (a review)
    const reordered = [withP90("a-y", 0.21, 0.2, 0.19, 0.21), withP90("a-x", 0.2, 0.2, 0.19, 0.21), withP90("c-x", 0.25, 0.205, 0.2, 0.21)];
    const decided = decide(reordered, []);
    expect(decided.contexts[0]!.p90RunnerUpApart).toBe(false);
    // the cheapest's own interval is compared, not a tied twin's that the input lists first (a review:
    // a-x's [0.20, 0.20] is below c-x's [0.22, 0.28], a-y's [0.19, 0.23] is not)
    const twins = [withP90("a-y", 0.21, 0.2, 0.19, 0.23), withP90("a-x", 0.2, 0.2, 0.2, 0.2), withP90("c-x", 0.25, 0.25, 0.22, 0.28)];
    expect([decide(twins, []).contexts[0]!.p90RunnerUpApart, decide([twins[1]!, twins[0]!, twins[2]!], []).contexts[0]!.p90RunnerUpApart]).toEqual([true, true]);
    // and p90Apart, which compares with another strategy's lower p90, has none to compare with (false in one order, null in the other)
    expect([decided.contexts[0]!.p90Apart, decide(tiedClose, []).contexts[0]!.p90Apart]).toEqual([null, null]);
    expect(decisionLines(decided, reordered, 300).join("\n")).toMatch(
      /lowest p90 too \(\$0\.20000, tied with a-y, against \$0\.20500 for c-x, which this many runs cannot tell apart\)/,
    );
  });

  it("says so when the savings are within the noise, and when p90 picks another strategy", () => {
    const results = [row("a-x", 0.2, 0.5), row("b-x", 0.2001, 0.3)];
    const text = decisionLines(decide(results, []), results, 300).join("\n");
    expect(text).toMatch(/cannot tell apart \(95% interval -\$0\.00\d+ to \$0\.00\d+\)/);
    expect(text).toMatch(/by p90 b-x is cheapest \(\$0\.30000, against \$0\.50000\)/);
  });

  it("a p90 equal to the cheapest's is a tie, not a win", () => {
    const results = [row("a-x", 0.2, 0.3), row("b-x", 0.25, 0.3), row("c-x", 0.3, 0.5)];
    const text = decisionLines(decide(results, []), results, 300).join("\n");
    expect(text).toMatch(/lowest p90 too \(\$0\.30000, tied with b-x\)/);
    const flipped = [row("b-x", 0.25, 0.3), row("a-x", 0.2, 0.3)];
    expect(decisionLines(decide(flipped, []), flipped, 300).join("\n")).toMatch(/lowest p90 too \(\$0\.30000, tied with b-x\)/);
  });

  it("never names a cheapest strategy without its completion when runs end incomplete", () => {
    // a: 0.1 per run but completes 40% (0.25 per completed run); b: 0.2, completes every run.
    const results = [row("a-x", 0.1, 0.15, 0.4), row("b-x", 0.2, 0.3)];
    const lines = decisionLines(decide(results, []), results, 300);
    expect(lines[0]).toBe("Cheapest per run in the shared context: a-x (a generates, x fixes); it fixes every bug in only 40.0% (shared) of runs.");
    expect(lines[1]).toMatch(/^  shared: \$0\.10000 per run, completing 40\.0% of runs; .*lowest p90 too \(\$0\.15000\); per completed run \(mean \/ completion\) b-x is cheapest: \$0\.20000, against \$0\.25000 for a-x$/);
  });

  it("a * in a ladder the headline names is explained in the footnote", () => {
    const starred = { ...row("a-x", 0.2, 0.3), fixer: null, ladder: "x x2 > consult y > x*" };
    const withStar = decisionLines(decide([starred, row("b-x", 0.3, 0.4)], []), [starred, row("b-x", 0.3, 0.4)], 300).join("\n");
    expect(withStar).toMatch(/fixes climb x x2 > consult y > x\*\)\./);
    expect(withStar).toMatch(/\(In a ladder, \* marks a rung with fix rates of its own\.\)/);
    // named nowhere in the headline (not the cheapest): no footnote about it
    const cheaper = [{ ...starred, mean: 0.5 }, row("b-x", 0.3, 0.4)];
    expect(decisionLines(decide(cheaper, []), cheaper, 300).join("\n")).not.toMatch(/marks a rung/);
  });

  it("two strategies that cost the same in every run are said to, without an interval of rounding", () => {
    const results = [{ ...row("a-x", 0.022, 0.022), stdError: 0 }, { ...row("b-x", 0.022, 0.022), stdError: 0 }];
    const comparisons = [{ context: "shared" as const, a: "a-x", b: "b-x", probabilityCheaper: 0.5 }];
    const text = decisionLines(decide(results, comparisons), results, 300).join("\n");
    expect(text).toMatch(/\$0\.022000 per run; the same as b-x in every run; lowest p90 too/);
    expect(text).not.toMatch(/cannot tell apart|single runs/);
    expect(text).toMatch(/^Cheapest per run in the shared context: a-x \(a generates, x fixes\), tied with b-x\.$/m);
  });

  it("two of the same expected cost by their closed forms are tied: the closed form, not the noise between the means", () => {
    // a-x and b-x: expected $0.40621 each; simulated $0.40509 and $0.40605 (an audit's scenario of
    // two strategies of the same models, which named a-x cheapest, "which this many runs cannot
    // tell apart")
    const results = [{ ...row("b-x", 0.40605, 0.5), analyticMean: 0.40621 }, { ...row("a-x", 0.40509, 0.5), analyticMean: 0.40621 }];
    const comparisons = [{ context: "shared" as const, a: "a-x", b: "b-x", probabilityCheaper: 0.506 }];
    const lines = decisionLines(decide(results, comparisons), results, 300);
    expect(lines[0]).toBe("Cheapest per run in the shared context: a-x (a generates, x fixes), tied with b-x.");
    expect(lines[1]).toBe(
      "  shared: $0.40621 per run expected; the same as b-x by their closed forms (simulated means $0.40509 and $0.40605); " +
        "cheaper than it in 50.6% of single runs; lowest p90 too ($0.50000, tied with b-x)",
    );
  });

  it("three that cost the same in every run: the sentence names both others, as the headline does", () => {
    const constant = (name: string) => ({ ...row(name, 0.022, 0.022), stdError: 0 });
    const results = [constant("a-x"), constant("b-x"), constant("d-x")];
    const text = decisionLines(decide(results, []), results, 300).join("\n");
    expect(text).toMatch(/tied with b-x and d-x\.\n/);
    expect(text).toMatch(/per run; the same as b-x and d-x in every run;/); // it named b-x alone
  });

  it("the same in every run only for those whose runs are; one tied by its closed form is said to be (a review: 'the same as B and C in every run' of a C whose runs vary)", () => {
    // A and B: every run $0.036; C: expected $0.036 too, its runs $0.030 + $0.006 N
    const constant = (name: string) => ({ ...row(name, 0.036, 0.036), stdError: 0, analyticMean: 0.036 });
    const results = [constant("a-x"), constant("b-x"), { ...row("c-x", 0.036136, 0.048), analyticMean: 0.036 }];
    const decision = decide(results, []);
    expect(decision.contexts[0]!.byMean.sameInEveryRun).toEqual(["b-x"]);
    const text = decisionLines(decision, results, 300).join("\n");
    expect(text).toMatch(/tied with b-x and c-x\.\n/);
    expect(text).toMatch(/shared: \$0\.036000 per run; the same as b-x in every run, and as c-x by its closed form \(simulated mean \$0\.036136\);/);
    // the value said is the runs' own, not the closed form's
    const off = [{ ...constant("a-x"), mean: 0.032, p90: 0.032, analyticMean: 0.0444 }, { ...constant("b-x"), mean: 0.032, p90: 0.032, analyticMean: 0.0444 }];
    expect(decisionLines(decide(off, []), off, 300).join("\n")).toMatch(/shared: \$0\.032000 per run; the same as b-x in every run;/);
  });

  it("every expected cost infinite: none is cheapest by mean (the first listed was), p90 decides the sentence", () => {
    const infinite = (name: string, mean: number, p90: number) => ({ ...row(name, mean, p90), reason: "infinite expected cost: beta with a = 1.5" });
    const results = [infinite("a-x", 0.9, 0.5), infinite("b-x", 0.3, 0.4)];
    const comparisons = [{ context: "shared" as const, a: "a-x", b: "b-x", probabilityCheaper: 0.2 }];
    const lines = decisionLines(decide(results, comparisons), results, 300);
    expect(lines).toEqual([
      "No strategy is cheapest per run here: every expected cost is infinite (see each context's p90).",
      "  shared: every strategy's expected cost is infinite, so none is cheapest by mean; by p90 b-x is cheapest ($0.40000)",
    ]);
  });

  it("a heavy-tailed strategy is ranked by its expected cost, and the sentence says which number is which", () => {
    const heavy = (name: string, mean: number, expected: number) => ({ ...row(name, mean, 0.3), varianceReason: "beta with a = 3", analyticMean: expected });
    const best = [heavy("a-x", 0.2, 0.21), row("b-x", 0.4, 0.5)];
    // the savings run from its closed form to the other's simulated mean, which the sentence names (an audit)
    expect(decisionLines(decide(best, []), best, 300)[1]).toMatch(
      /^ {2}shared: \$0\.21000 per run expected \(its cost has infinite variance, so its simulated mean, \$0\.20000, is unreliable\); \$0\.19000 \(47\.5%\) less than b-x \(its simulated mean, \$0\.40000\);/,
    );
    // the runner-up: ranked by its expected cost, which made it lose
    const runnerUp = [heavy("a-x", 0.2, 0.45), row("b-x", 0.4, 0.5)];
    const text = decisionLines(decide(runnerUp, []), runnerUp, 300).join("\n");
    expect(text).toMatch(/Cheapest per run in the shared context: b-x/);
    expect(text).toMatch(/a-x's cost has infinite variance, so it is ranked by its expected cost, \$0\.45000 \(its simulated mean, \$0\.20000, is unreliable\)/);
  });

  it("the runner-up's completion is said in brackets, as its own (after a comma it read as the cheapest's: a review)", () => {
    const results = [row("a-x", 0.2, 0.3, 1), row("b-x", 0.3, 0.4, 0.9)];
    expect(decisionLines(decide(results, []), results, 400).join("\n")).toMatch(/\$0\.10000 \(33\.3%\) less than b-x \(which completes 90\.0% of runs\);/);
  });

  it("per completed run: not said where the cheapest and the next complete every run, which repeats their means (an audit)", () => {
    const results = [row("a-x", 0.2, 0.3, 1), row("b-x", 0.3, 0.4, 1), row("c-x", 0.25, 0.3, 0.5)];
    expect(decisionLines(decide(results, []), results, 400).join("\n")).not.toMatch(/per completed run/);
    // the next one per completed run falls short of every run: said, with its value
    const short = [row("a-x", 0.2, 0.3, 1), row("b-x", 0.3, 0.4, 1), row("c-x", 0.25, 0.3, 0.9)];
    expect(decisionLines(decide(short, []), short, 400).join("\n")).toMatch(/also cheapest per completed run \(mean \/ completion\): \$0\.20000, against \$0\.27778 for c-x/);
  });

  it("per completed run: none where no run completes, none finite where every mean with completions is infinite", () => {
    // a-x: a finite mean, but no run completes; b-x: completes some runs, at an infinite expected cost
    const results = [row("a-x", 0.2, 0.3, 0), { ...row("b-x", 0.4, 0.5, 0.5), reason: "infinite expected cost: beta with a = 1.5" }];
    expect(decisionLines(decide(results, []), results, 400).join("\n")).toMatch(/; no strategy has a finite cost per completed run$/m);
    const none = [row("a-x", 0.2, 0.3, 0), row("b-x", 0.4, 0.5, 0)];
    expect(decisionLines(decide(none, []), none, 400).join("\n")).toMatch(/; no strategy fixes every bug in any run, so none has a cost per completed run$/m);
  });

  it("a p90 that prints as the cheapest's is not said to beat it; a share near 100% is not rounded to it", () => {
    const results = [row("a-x", 0.2, 0.3000001), row("b-x", 0.25, 0.3)];
    const comparisons = [{ context: "shared" as const, a: "a-x", b: "b-x", probabilityCheaper: 0.99956 }];
    const text = decisionLines(decide(results, comparisons), results, 300).join("\n");
    expect(text).toMatch(/lowest p90 too, to the digits shown \(\$0\.30000, as b-x's\)/);
    expect(text).toMatch(/cheaper than it in >99\.9% of single runs/);
  });

  it("from the closed forms: strategies of the same expected cost are tied, in the headline and the sentence", () => {
    const base = { generator: "g", fixer: "f", reason: null };
    const results = [
      { ...base, strategy: "a", context: "shared" as const, analyticMean: 0.3 },
      { ...base, strategy: "b", context: "shared" as const, analyticMean: 0.3 },
      { ...base, strategy: "c", context: "shared" as const, analyticMean: 0.3 },
      { ...base, strategy: "d", context: "shared" as const, analyticMean: 0.4 },
      { ...base, strategy: "a", context: "fresh" as const, analyticMean: 0.3 },
      { ...base, strategy: "b", context: "fresh" as const, analyticMean: 0.35 },
    ];
    const lines = analyticDecisionLines(decideAnalytic(results), results, 300);
    expect(lines).toEqual([
      "Cheapest by expected cost in both contexts: a (g generates, f fixes), tied with b and c in shared.",
      "  shared: $0.30000 per run; the same as b and c",
      "  fresh:  $0.30000 per run; $0.050000 (14.3%) less than b",
    ]);
  });

  it("when no strategy ever fixes every bug, none is named cheapest per completed run", () => {
    const results = [row("a-x", 0.1, 0.15, 0), row("b-x", 0.2, 0.3, 0)];
    const text = decisionLines(decide(results, []), results, 300).join("\n");
    expect(text).toMatch(/no strategy fixes every bug in any run, so none has a cost per completed run/);
    expect(text).not.toMatch(/infinite/);
  });

  it("from the closed forms: the cheapest by expected cost of those that have one, and the strategies that have none (an audit: 'cheapest', the dearest of all)", () => {
    const base = { generator: "g", fixer: "f", context: "fresh" as const, reason: null };
    const results = [
      { ...base, strategy: "g-f", analyticMean: 0.3 },
      { ...base, strategy: "f-f", generator: "f", analyticMean: null, reason: "retry caps (limits) have no closed form" },
    ];
    const lines = analyticDecisionLines(decideAnalytic(results), results, 300);
    expect(lines).toEqual([
      "Cheapest by expected cost, of those with a closed form, in the fresh context: g-f (g generates, f fixes).",
      "  fresh: $0.30000 per run; not ranked, no closed form for f-f: retry caps (limits) have no closed form",
    ]);
    // another cheapest in each context: the aside closes before "in", not before the colon (the
    // consistency audit: "of those with a closed form,: in shared, ...")
    const two = [
      ...results,
      { ...base, strategy: "g-f", context: "shared" as const, analyticMean: 0.5 },
      { ...base, strategy: "f-f", generator: "f", context: "shared" as const, analyticMean: 0.4 },
    ];
    expect(analyticDecisionLines(decideAnalytic(two), two, 300)[0]).toBe(
      "Cheapest by expected cost, of those with a closed form: in fresh, g-f (g generates, f fixes); in shared, f-f (f generates and fixes).",
    );
  });
});

describe("a ladder of thousands of rungs", () => {
  // 4,999 fixer/consult pairs filled a 400 KB headline and took 17-21 s to print (cli-table3's
  // layout of a 10,000-row Ladders table is quadratic); --json took 1 s.
  const ladder: Rung[] = Array.from({ length: 9998 }, (_, i) =>
    i % 2 === 0 ? { kind: "fix", model: "weak", attempts: 1, fix: null } : { kind: "consult", model: "strong", output: 1500 },
  ) as Rung[];

  it("is named by its first and last rungs around the count of the others", () => {
    expect(ladderText(ladder)).toBe("weak x1 > consult strong > ... 9,994 rungs ... > weak x1 > consult strong");
    expect(ladderText(ladder.slice(0, 40))).toBe(Array(20).fill("weak x1 > consult strong").join(" > ")); // 40 rungs: in full
  });

  it("shows its first 40 rungs in the Ladders table, and says so", () => {
    const rungs = ladder.map((r, k) => ({ rung: k, kind: r.kind, model: r.model, reachFraction: 0.5 ** (k >> 1), attemptsPerRun: 1 }));
    const text = ladderTable([{ strategy: "x", context: "shared", rungs }], 80)!;
    expect(text).toMatch(/\n {2}40 strong advises /);
    expect(text).not.toMatch(/\n {2}41 /);
    expect(text).toContain("A ladder's first 40 rungs are shown; --json lists every rung.");
  });

  it("says that a few bugs reach a rung, not none, where its attempts are not 0 (a review: 0.0% beside 0.0003)", () => {
    const rungs = [
      { rung: 0, kind: "fix", model: "weak", reachFraction: 1, attemptsPerRun: 3 },
      { rung: 1, kind: "fix", model: "strong", reachFraction: 1e-4, attemptsPerRun: 3e-4 },
      { rung: 2, kind: "fix", model: "strong", reachFraction: 0.9996, attemptsPerRun: 1 },
    ];
    const text = ladderTable([{ strategy: "x", context: "fresh", rungs }], 80)!;
    expect(text).toMatch(/\n {2}2 strong fixes +<0\.1% +0\.0003000\n/);
    expect(text).toMatch(/\n {2}3 strong fixes +>99\.9% +1\n/);
  });
});
