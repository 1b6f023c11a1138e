/**
 * Plain-text helpers shared by the library's messages and the CLI's output. No Intl: its first
 * use costs 13-18 ms of ICU set-up, which a command should not pay to print a count.
 */

import stringWidth from "string-width";

/**
 * The columns a line of text takes on a terminal: a Chinese character or an emoji takes two, a
 * combining accent none (string-width, as the tables measure their cells); plain ASCII, one a
 * character, without string-width's work.
 */
export function displayWidth(line: string): number {
  return /^[\x20-\x7e]*$/.test(line) ? line.length : stringWidth(line);
}

/**
 * A count with its digits grouped by threes, as en-US writes it: 1234567 -> "1,234,567". Other
 * numbers (fractions, beyond 2^53, not finite) as toLocaleString("en-US") writes them.
 */
export function groupDigits(n: number): string {
  // beyond 2^53 the digits are not the number's own; an absurd count reads as its magnitude
  if (!Number.isFinite(n)) return n > 0 ? "infinitely many" : n < 0 ? "-infinitely many" : "NaN";
  if (Math.abs(n) >= 1e16) return n.toExponential(2);
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ",");
  return n < 0 ? `-${digits}` : digits;
}

/**
 * A value read from a file as a message shows it: its JSON, cut in the middle past `max`
 * characters with the length said (a 10 MB string made a 10 MB "one line"), and never a throw (a
 * value nested 10,000 deep overflowed JSON.stringify's stack: a RangeError and a stack trace).
 */
export function shownJson(v: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    return "a value nested too deeply to show";
  }
  if (text.length <= max) return text;
  // not between the two halves of a surrogate pair
  const cut = (at: number) => (/[\uD800-\uDBFF]/.test(text[at - 1] ?? "") ? at - 1 : at);
  const head = text.slice(0, cut(Math.ceil(max / 2)));
  const tail = text.slice(cut(text.length - Math.floor(max / 2)));
  // a string's own length (its JSON has two quotes more: an id of 1,001 was "1,003 characters", a review)
  return `${head}…${tail} (${groupDigits(typeof v === "string" ? v.length : text.length)} characters)`;
}

/** The word for n of a thing: "point" for 1, else "points" (or the plural given). */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** Names in a sentence: "a", "a and b", "a, b and c". */
export function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
