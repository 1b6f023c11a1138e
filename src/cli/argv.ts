/**
 * Checks of the argument vector that yargs does not make, or makes in words of its own: `--`
 * (the end of options), a lone "-", `--no-<flag>`, and the names of unknown arguments. Each
 * refusal is a FlagError, one line.
 */
import { FlagError } from "../errors.js";

/** What yargs knows of a command's flags (its getOptions()): their names, aliases and switches. */
export interface FlagKinds {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
}

/** The arguments before `--` (all of them without one). */
export function beforeEnd(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return args.slice(0, end >= 0 ? end : args.length);
}

/**
 * The arguments with `--` taken out, the operands after it kept in place; or why that is
 * refused. yargs leaves what follows `--` out of a command's positional arguments (`crossover --
 * s.yaml` "needs its file argument"), so only operands it reads the same way without `--` are
 * taken: none starting with "-" (no file or filter of agentsim's needs to: a file can be written
 * ./-name). A flag right before `--` may still take the first operand: see checkFlagBeforeEnd.
 * A lone "-" is refused too: yargs reads it as a flag without a name (`run -` ran the default
 * scenario).
 */
export function withoutEndOfOptions(args: readonly string[]): string[] | string {
  if (beforeEnd(args).includes("-")) {
    return `"-" is no file or value agentsim takes: it reads no standard input (name a file, or /dev/stdin)`;
  }
  const end = args.indexOf("--");
  if (end < 0) return [...args];
  const operands = args.slice(end + 1);
  const dashed = operands.find((a) => a.startsWith("-"));
  if (dashed !== undefined) {
    return `${JSON.stringify(dashed)} after -- would be a file or filter starting with "-", which agentsim does not take (write a file as ./${dashed})`;
  }
  return [...args.slice(0, end), ...operands];
}

/** The flag right before `--`, as written (`--trace`, `-h`), where it has no `=value` and an operand follows `--`; else null. */
export function flagBeforeEnd(args: readonly string[]): string | null {
  const end = args.indexOf("--");
  const token = args[end - 1];
  return end > 0 && end < args.length - 1 && /^--?[^-=][^=]*$/.test(token!) ? token! : null;
}

/** The message for a flag right before `--` that takes the operand after it as its value. */
export function tookOperand(token: string, operand: string): string {
  return `${token} comes right before --, so it takes ${JSON.stringify(operand)} after -- as its value: write the flags after the files`;
}

/** The names yargs may key a flag token by: `--trace-runs` and `--traceRuns` are both trace-runs and traceRuns. */
function spellings(token: string): string[] {
  const name = token.replace(/^--?/, "").split("=")[0]!;
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return [...new Set([name, kebab, camel])];
}

/** The flag the command declares under one of a token's spellings (its name or an alias), or null. */
function declared(token: string, flags: FlagKinds): string | null {
  for (const name of spellings(token)) {
    if (name in flags.key) return name;
    const of = Object.keys(flags.alias).find((key) => flags.alias[key]!.includes(name));
    if (of !== undefined) return of;
  }
  return null;
}

const isSwitch = (name: string, flags: FlagKinds) => flags.boolean.includes(name);

/**
 * Refuse the flag right before `--` (`token`) that took the operand after it as its value: a flag
 * with a value takes any (`--trace -- s.yaml` would write the trace over s.yaml), a switch takes
 * "true" or "false" (`--json -- true` read no file "true"). A flag the command lacks is left to
 * yargs, which names it as unknown.
 */
export function checkFlagBeforeEnd(token: string, operand: string, flags: FlagKinds): void {
  const name = declared(token, flags);
  if (name === null) return;
  if (!isSwitch(name, flags) || operand === "true" || operand === "false") throw new FlagError(tookOperand(token, operand));
}

/**
 * Refuse `--no-<flag>` where the flag takes a value: yargs makes it false, where a text or
 * number is read (a stack trace). A switch may be turned off so (`--no-json`).
 */
export function checkNegations(args: readonly string[], flags: FlagKinds): void {
  for (const token of beforeEnd(args)) {
    const m = /^--no-([^=]+)/.exec(token);
    if (!m) continue;
    const name = declared(`--${m[1]}`, flags);
    if (name !== null && !isSwitch(name, flags)) throw new FlagError(`${m[0]}: --${m[1]} takes a value; it is not turned off with --no-`);
  }
}

/**
 * yargs' "Unknown arguments: trails, trace-run, traceRun, s.yaml" in words: each flag once, as
 * written (yargs lists a kebab-case one again in camelCase), and the operands a command does not
 * take, quoted.
 */
export function unknownArgumentsText(names: readonly string[], args: readonly string[]): string {
  const flagTokens = beforeEnd(args).filter((a) => /^--?[^-]/.test(a));
  const flags = new Set<string>();
  const operands: string[] = [];
  for (const name of names) {
    const token = flagTokens.find((t) => spellings(t).includes(name) || spellings(t.replace(/^--no-/, "--")).includes(name));
    if (token !== undefined) flags.add(token.split("=")[0]!);
    else operands.push(JSON.stringify(name));
  }
  const parts = [
    flags.size > 0 ? `unknown flag${flags.size === 1 ? "" : "s"} ${[...flags].join(", ")}` : "",
    operands.length > 0 ? `unexpected argument${operands.length === 1 ? "" : "s"} ${operands.join(", ")}` : "",
  ];
  return parts.filter(Boolean).join("; ");
}
