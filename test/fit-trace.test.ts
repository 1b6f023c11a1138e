/**
 * Reading traces: every kind of bad line is one `file:line: what` error, and the observations
 * (error traces with consults, compactions and fresh conversations) follow the module's formula.
 */
import { describe, expect, it } from "vitest";
import { observeRun } from "../src/fit/observations.js";
import type { Rung } from "../src/scenario/types.js";
import { LineError } from "../src/fit/files.js";
import { assembleRuns, parseTraceText, type TraceRecord } from "../src/fit/trace.js";

/** A valid record of the trace format with some fields replaced. */
function rec(fields: Partial<TraceRecord> & Record<string, unknown>): Record<string, unknown> {
  const role = fields.role ?? "fix";
  const base = {
    run: 0, strategy: "s", context: "shared", bug: role === "generate" ? null : 0, model: "weak", role,
    attempt: role === "generate" ? null : role === "fix" ? 1 : 0, fixed: role === "fix" ? false : null,
    input: 6000, cacheRead: 0, cacheWrite: 6000, output: 800, seconds: null,
  };
  return { ...base, ...fields };
}
const GEN = rec({ role: "generate", model: "strong", input: 2000, cacheWrite: 0, output: 4000 });

const text = (...lines: (Record<string, unknown> | string)[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
const read = (t: string) => assembleRuns(parseTraceText(t, "bad.jsonl"));

describe("bad traces are one line naming file and line", () => {
  const cases: [string, string, RegExp][] = [
    ["malformed JSON", text(GEN, '{"run": 0, "strategy": '), /^bad\.jsonl:2: not valid JSON \(/],
    ["not an object", text("[1, 2]"), /^bad\.jsonl:1: must be a JSON object with the fields run, strategy/],
    ["a missing field", text(GEN, (({ output: _o, ...r }) => r)(rec({}))), /^bad\.jsonl:2: missing field "output"$/],
    ["an unknown field", text(rec({ role: "generate", difficulty: "hard" })), /^bad\.jsonl:1: unknown field "difficulty"/],
    ["negative tokens", text(GEN, rec({ input: -5 })), /^bad\.jsonl:2: input: must be a number of tokens from 0 to 1,000,000,000, got -5$/],
    // JSON.parse reads 1e400 as Infinity, which JSON.stringify writes "null"
    ["tokens beyond a double", text(GEN, JSON.stringify(rec({})).replace('"output":800', '"output":1e400')), /^bad\.jsonl:2: output: must be a number of tokens from 0 to 1,000,000,000, got a number too large to represent \(such as 1e400\)$/],
    ["tokens as text", text(GEN, rec({ output: "800" as never })), /^bad\.jsonl:2: output: must be a number of tokens from 0 to 1,000,000,000, got "800"$/],
    // runs 2^60 and 2^60 + 1 are one double: they were read as one run, "a second generate request"
    ["a run number beyond 2^53 - 1", text(rec({ role: "generate", run: 2 ** 60 })), /^bad\.jsonl:1: run: must be a whole number from 0 to 2\^53 - 1, got 1152921504606847000$/],
    ["an unknown role", text(rec({ role: "review" as never })), /^bad\.jsonl:1: role: must be one of generate, fix, consult, compact, got "review"$/],
    ["an unknown context", text(rec({ role: "generate", context: "hybrid" as never })), /^bad\.jsonl:1: context: must be shared or fresh, got "hybrid"$/],
    ["a model name that cannot be a scenario key", text(rec({ role: "generate", model: "claude-haiku" })), /^bad\.jsonl:1: model: must be a model name/],
    ["a model name longer than a scenario's", text(rec({ role: "generate", model: "m".repeat(25) })), /^bad\.jsonl:1: model: must be a model name \(letters, digits and _ only, at most 24 characters\)/],
    ["a dotted model name", text(rec({ role: "generate", model: "weak.v2" })), /^bad\.jsonl:1: model: must be a model name/],
    // a strategy name heads the fit's notes: ESC cleared the screen, a newline split a note (a review)
    ["a strategy name with a control character", text(rec({ role: "generate", strategy: "x\u001b[2J" })), /^bad\.jsonl:1: strategy: must not contain control or formatting characters \(it holds U\+001B\), got "x\\u001b\[2J"$/],
    ["a strategy name longer than a scenario's", text(rec({ role: "generate", strategy: "s".repeat(50) })), /^bad\.jsonl:1: strategy: must be at most 49 characters wide \(it is 50\), got "s{50}"$/],
    // the rule the name breaks, not only that it is none (an audit: "- z" was "must be a strategy name (printable, ...)")
    ["a strategy name a spreadsheet would run", text(rec({ role: "generate", strategy: "- z" })), /^bad\.jsonl:1: strategy: must not begin with -: a spreadsheet opening a sweep's CSV would run the name as a formula, got "- z"$/],
    ["fixed missing on a fix", text(GEN, rec({ fixed: null })), /^bad\.jsonl:2: fixed: must be true or false for a fix request, got null$/],
    ["a bug on the generation", text(rec({ role: "generate", bug: 0 })), /^bad\.jsonl:1: bug: must be null for a generate request, got 0$/],
    ["cache tokens above the input", text(GEN, rec({ cacheRead: 5000, cacheWrite: 2000 })), /^bad\.jsonl:2: cacheRead \+ cacheWrite = 7000 exceeds input = 6000$/],
    ["a fix before the generation", text(rec({})), /^bad\.jsonl:1: a fix request in run 0 of s\/shared before its generate request$/],
    ["a second generation", text(GEN, GEN), /^bad\.jsonl:2: a second generate request in run 0 of s\/shared \(the first is at line 1\)$/],
    ["a fix attempt after its bug was fixed", text(GEN, rec({ fixed: true }), rec({ attempt: 2 })), /^bad\.jsonl:3: a fix request on bug 0 of run 0 of s\/shared, which was already fixed at line 2$/],
    ["an attempt skipped", text(GEN, rec({}), rec({ attempt: 3 })), /^bad\.jsonl:3: attempt 3 on bug 0 of run 0 of s\/shared, but the bug has had 1 attempt$/],
    ["a bug skipped", text(GEN, rec({ bug: 1 })), /^bad\.jsonl:2: bug 1 in run 0 of s\/shared, where bug 0 comes next/],
    ["a bug resumed", text(GEN, rec({ fixed: false }), rec({ bug: 1, attempt: 1, fixed: true }), rec({ bug: 0, attempt: 2 })), /^bad\.jsonl:4: bug 0 again after bug 1/],
    ["a consult with the wrong attempt count", text(GEN, rec({}), rec({ role: "consult", model: "strong", attempt: 0 })), /^bad\.jsonl:3: attempt: a consult request must carry the fix attempts made on bug 0 so far \(1\), got 0$/],
    ["a strategy with two generators", text(GEN, rec({ role: "generate", run: 1, model: "weak" })), /^bad\.jsonl:2: strategy s generates with weak here but with strong at line 1$/],
  ];
  for (const [what, t, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        read(t);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(LineError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    });
  }

  it("a conversation that loses tokens without a compaction", () => {
    const runs = read(text(GEN, rec({ input: 6000 }), rec({ attempt: 2, input: 6500 })));
    expect(() => observeRun(runs[0]!)).toThrow(
      /^bad\.jsonl:3: input 6500 is below the previous fix attempt's input plus its output \(6800, line 2\) with no compaction between/,
    );
  });

  it("an empty file", () => {
    expect(() => parseTraceText("\n\n", "empty.jsonl")).toThrow(/^empty\.jsonl: no trace records/);
  });
});

describe("observations", () => {
  it("error trace: input growth minus the earlier output and the advice in between; a compaction restarts", () => {
    const runs = read(
      text(
        GEN,
        rec({ input: 6000, output: 800 }),
        rec({ role: "consult", model: "strong", attempt: 1, input: 7200, output: 1500 }),
        rec({ attempt: 2, input: 8700, output: 700 }), // 8700 - 6000 - 800 - 1500 = 400
        rec({ attempt: 3, input: 9900, output: 900, fixed: true }), // 9900 - 8700 - 700 = 500
        rec({ bug: 1, attempt: 1, input: 11400 }), // 11400 - 9900 - 900 = 600 (shared: one conversation)
        rec({ bug: 1, role: "compact", attempt: 1, input: 12800, output: 3000 }),
        rec({ bug: 1, attempt: 2, input: 9000, fixed: true }), // after the compaction: no pair
      ),
    );
    const o = observeRun(runs[0]!);
    expect(o.errorTraces).toEqual([400, 500, 600]);
    expect(o.fixOutputs).toEqual([800, 700, 900, 800, 800]);
    expect(o.consultOutputs).toEqual([1500]);
    // no ladder known: bug 0 is open at its consult (after one failure); its two attempts after it are left out
    expect(o.bugs).toEqual([
      { tallies: [{ source: "weak", model: "weak", failures: 1, fixed: false }] },
      { tallies: [{ source: "weak", model: "weak", failures: 1, fixed: true }] },
    ]);
    expect(o.advisedAttempts).toBe(2);
    // the ladder known (weak x1 > consult strong > weak with its own rates): the rung's own source, nothing left out
    const ladder: Rung[] = [
      { kind: "fix", model: "weak", attempts: 1, fix: null },
      { kind: "consult", model: "strong", output: 1500 },
      { kind: "fix", model: "weak", attempts: null, fix: { easy: { kind: "fixed", p: 0.9 }, hard: { kind: "fixed", p: 0.5 } } },
    ] as Rung[];
    const known = observeRun(runs[0]!, () => ladder);
    expect(known.bugs[0]).toEqual({
      tallies: [
        { source: "weak", model: "weak", failures: 1, fixed: false },
        { source: "strategies.s.ladder[2]", model: "weak", failures: 1, fixed: true },
      ],
    });
    expect(known.advisedAttempts).toBe(0);
    // a ladder that does not match the trace (strong on the first rung) is one line naming the place
    const other = [{ ...ladder[0]!, model: "strong" }, ...ladder.slice(1)] as Rung[];
    expect(() => observeRun(runs[0]!, () => other)).toThrow(/^bad\.jsonl:2: fix attempt 1 on bug 0 is made by weak, but the prices scenario's ladder of s has strong on that rung \(1\)/);
    expect([o.generator, o.prompt, o.generation]).toEqual(["strong", 2000, 4000]);
  });

  it("fresh context: each bug is its own conversation", () => {
    const fresh = { context: "fresh" as const };
    const runs = read(
      text(
        { ...GEN, ...fresh },
        rec({ ...fresh, input: 6000, output: 800 }),
        rec({ ...fresh, attempt: 2, input: 7200, fixed: true }), // 7200 - 6000 - 800 = 400
        rec({ ...fresh, bug: 1, input: 6000, fixed: true }), // a new conversation: no pair
      ),
    );
    expect(observeRun(runs[0]!).errorTraces).toEqual([400]);
  });

  it("a ladder: each fixer's attempts on a bug are tallied apart; a bug left open is censored", () => {
    const runs = read(
      text(
        GEN,
        rec({ input: 6000 }),
        rec({ attempt: 2, input: 7200 }),
        rec({ attempt: 3, model: "strong", input: 8400, fixed: true }),
        rec({ bug: 1, input: 9600 }),
      ),
    );
    expect(observeRun(runs[0]!).bugs).toEqual([
      { tallies: [{ source: "weak", model: "weak", failures: 2, fixed: false }, { source: "strong", model: "strong", failures: 0, fixed: true }] },
      { tallies: [{ source: "weak", model: "weak", failures: 1, fixed: false }] },
    ]);
  });
});
