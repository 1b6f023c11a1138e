/** Text for people: aligned tables and units. */
import { groupDigits } from "../text.js";
import { hasInfiniteCost } from "../model/strategy.js";
import Table from "cli-table3";
import { MIN_CHECK_RUNS, SKEW_CHECK_RUNS } from "../stats/check.js";

/** A borderless table with right-aligned number columns (those whose header is in `numeric`). */
export function table(head: string[], rows: (string | number)[][], numeric: Set<string> = new Set()): string {
  const t = new Table({
    head,
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "",
      bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
      left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
    colAligns: head.map((h) => (numeric.has(h) ? "right" : "left")),
  });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString().split("\n").map((line) => line.trimEnd()).join("\n");
}

/** Dollars to 5 significant digits: $0.061234, $12.345. */
export function money(x: number | null | undefined): string {
  if (x === Infinity) return "infinite";
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  if (x === 0) return "$0";
  const abs = Math.abs(x);
  // below $0.0001 in exponent notation, to the same 5 significant digits (it had 4: "-$5.110e-5"
  // beside "$0.0030348", the consistency audit)
  const text = abs >= 1e-4 ? significant(x, 5) : x.toExponential(4);
  return `${x < 0 ? "-" : ""}$${text.replace(/^-/, "")}`;
}

/**
 * x to `digits` significant digits, a large one written out with its digits grouped (213,950 for
 * 213,950.3 to 5 digits, where toPrecision says 2.1395e+5; 12,346 for 12,345.67).
 */
export function significant(x: number, digits: number): string {
  const text = x.toPrecision(digits);
  // a whole number of five digits or more is grouped (12,346, as 213,950 is)
  return text.includes("e+") || (/^-?\d{5,}$/.test(text)) ? groupDigits(Number(text)) : text;
}

/**
 * A crossover's value to 6 significant digits, without trailing zeros: a crossing is narrowed to
 * 1e-9, but 0.6000000001 for a root at 0.6 shows only the narrowing (`--json` has every digit).
 * `crossover` and the report's table write it alike (1.01210 against 1.0121: the consistency audit);
 * `whole` for a crossing found among whole numbers (method "integer").
 */
export function crossingValue(x: number, whole = false): string {
  // a whole-number key's crossing is a whole number, in full (a context window of 1,234,567)
  return whole ? String(x) : String(Number(x.toPrecision(6)));
}

/** A plain number to `digits` significant digits, or "-" when absent. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  return Number.isInteger(x) && Math.abs(x) < 1e9 ? String(x) : significant(x, digits);
}

/** A z value to two decimals; one that rounds to 0 has no sign ("0.00", not "-0.00"). */
export function zText(z: number | null): string {
  if (z === null) return "-";
  const text = z.toFixed(2);
  return text === "-0.00" ? "0.00" : text;
}

export function percent(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  const text = (100 * x).toFixed(digits);
  // a tiny negative share rounds to zero: no sign on it ("0.000%", not "-0.000%")
  return `${/^-0(\.0*)?$/.test(text) ? text.slice(1) : text}%`;
}

/**
 * A share such as the runs that complete, where the difference from none or all is the point:
 * as `percent`, but a share strictly between 0 and 1 never rounds to 0% or 100% (0.99955 at one
 * digit is ">99.9%", not "100.0%", and 0.0004 is "<0.1%").
 */
export function percentStrict(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x) || x <= 0 || x >= 1) return percent(x, digits);
  const step = 10 ** -digits;
  const text = percent(x, digits);
  if (Number(text.slice(0, -1)) >= 100) return `>${(100 - step).toFixed(digits)}%`;
  if (Number(text.slice(0, -1)) <= 0) return `<${step.toFixed(digits)}%`;
  return text;
}

export function seconds(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  return `${significant(x, 4)} s`;
}

/** Why a check says "too few runs" (see stats/check.ts and docs/model.md, section 6). */
export const tooFewRunsNote =
  `too few runs for the normal approximation behind z (a check needs at least ${MIN_CHECK_RUNS} runs and ` +
  `${SKEW_CHECK_RUNS} x skewness^2 of them): raise --trials`;

/** A closed form's cell: its dollars, "infinite" where the expectation diverges, "-" where there is none. */
export function closedForm(r: { analyticMean: number | null; reason: string | null }): string {
  return r.analyticMean === null && hasInfiniteCost(r) ? "infinite" : money(r.analyticMean);
}
