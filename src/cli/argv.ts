/**
 * Checks of the argument vector that yargs does not make, or makes in words of its own: `--`
 * (the end of options), a lone "-", a text flag without its text (`--no-<flag>`), flags named like
 * a file argument, and the names of unknown arguments. Each refusal is a FlagError, one line.
 */
import { FlagError } from "../errors.js";

/** What yargs knows of a command's flags (its getOptions()): their names, aliases and which take a text. */
export interface FlagKinds {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  string: string[];
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
 * taken: none starting with "-" but a negative number (no file or filter of agentsim's needs to:
 * a file can be written ./-name). A flag right before `--` may still take the first operand: see checkFlagBeforeEnd.
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
  // a negative number is an operand to yargs too (`prices -4` filters by "-4")
  const dashed = operands.find((a) => a.startsWith("-") && !/^-\d+(\.\d+)?$/.test(a));
  if (dashed !== undefined) {
    return `${JSON.stringify(dashed)} after -- would be a file or filter starting with "-", which agentsim does not take (write a file as ./${dashed})`;
  }
  return [...args.slice(0, end), ...operands];
}

/**
 * The flag right before `--`, as written (`--trace`, `-h`), where it has no `=value`, with the
 * operand after `--` that it may take; null where there is no such flag or no operand.
 */
export function flagBeforeEnd(args: readonly string[]): { token: string; operand: string } | null {
  const end = args.indexOf("--");
  const token = args[end - 1];
  return end > 0 && end < args.length - 1 && /^--?[^-=][^=]*$/.test(token!) ? { token: token!, operand: args[end + 1]! } : null;
}

/** The message for a flag right before `--` that takes the operand after it as its value. */
export function tookOperand(token: string, operand: string): string {
  return `${token} comes right before --, so it takes ${JSON.stringify(operand)} after -- as its value: write the flags after the files`;
}

/** A flag's name as yargs may match it, loosely: `--Trace-Runs`, `--traceRuns` and `--trace_runs` are all "traceruns". */
function loose(token: string): string {
  return token.replace(/^-+/, "").split("=")[0]!.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** `name` in camelCase, as yargs also keys it (trace-runs: traceRuns). */
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Refuse the flag right before `--` (`token`) that took the operand after it as its value, whatever
 * its spelling: a flag with a value takes any operand (`--trace -- s.yaml` would write the trace
 * over s.yaml), a switch "true" or "false" (`--json -- true` read no file "true"). A flag the
 * command lacks is left to yargs, which names it as unknown.
 */
export function checkFlagBeforeEnd({ token, operand }: { token: string; operand: string }, parsed: Record<string, unknown>, flags: FlagKinds): void {
  const name = declaredName(token, flags);
  if (name === null) return;
  const values = [parsed[name], parsed[camel(name)]];
  const took = values.some((v) => v === operand || (typeof v === "boolean" && String(v) === operand));
  if (took) throw new FlagError(tookOperand(token, operand));
}

/**
 * Refuse a flag that takes a text but got none: yargs gives true to one written without a value
 * in a spelling of its own (`--trace-Runs`), and false to `--no-<flag>`, where the command reads a
 * text (stack traces both). A switch may be turned off so (`--no-json`).
 */
export function checkTextFlags(parsed: Record<string, unknown>, flags: FlagKinds, positionals: readonly string[]): void {
  for (const name of flags.string) {
    if (positionals.includes(name)) continue;
    for (const value of [parsed[name], parsed[camel(name)]]) {
      if (value === undefined || typeof value === "string" || Array.isArray(value)) continue;
      throw new FlagError(value === false ? `--${name} takes a value; it is not turned off with --no-` : `--${name} needs a value`);
    }
  }
}

/**
 * Refuse a flag that no command has but yargs reads as something else: one named like a command's
 * file argument (`--scenario x`: yargs would set the argument from it, or ignore it), like yargs'
 * own keys (`--no-_` made the file argument "false"), or with a dot in its name (`merge --out.x
 * m.csv` said that --out is required).
 */
export function checkFlagNames(args: readonly string[], positionals: readonly string[]): void {
  const names = positionals.map(loose);
  const token = beforeEnd(args).find((a) => {
    if (!/^--?[^-]/.test(a)) return false;
    const name = a.split("=")[0]!.replace(/^--?(no-)?/, "");
    return names.includes(loose(name)) || name === "_" || name === "$0" || (a.startsWith("--") && name.includes("."));
  });
  if (token !== undefined) throw new FlagError(`unknown flag ${token.split("=")[0]}`);
}

/** Whether a key yargs parsed is one of the command's flags (or its camelCase twin), not a word yargs made up (`-seed` is -s -e -e -d). */
export function isDeclared(key: string, flags: FlagKinds): boolean {
  return Object.keys(flags.key).some((name) => name === key || camel(name) === key || flags.alias[name]?.includes(key));
}

/**
 * yargs' "Unknown arguments: trails, trace-run, traceRun, s.yaml" in words: each flag once, as
 * written (yargs lists a kebab-case one again in camelCase, and short flags written together one
 * by one), and the operands a command does not take, quoted. A name is a flag where a flag the
 * command lacks was written so (`--out out` is the flag --out, whose value is "out"), else an
 * operand.
 */
export function unknownArgumentsText(names: readonly string[], args: readonly string[], flags: FlagKinds): string {
  const options = beforeEnd(args);
  // a group of short flags (-seed is -s -e -e -d) is never one of the command's long flags
  const lacked = options.filter((t) => /^-[^-]{2,}/.test(t) || (/^--?[^-]/.test(t) && declaredName(t, flags) === null));
  const found = new Set<string>();
  const operands: string[] = [];
  for (const name of names) {
    const token = lacked.find((t) => /^--/.test(t) && (loose(t) === loose(name) || loose(t.replace(/^--no-/, "--")) === loose(name)));
    if (token !== undefined) found.add(token.split("=")[0]!);
    else if (lacked.some((t) => /^-[^-]/.test(t) && (t.slice(1).split("=")[0]!.includes(name) || t.split("=")[0] === `-${name}`))) found.add(`-${name}`); // -xyz is -x -y -z
    else operands.push(JSON.stringify(name));
  }
  const parts = [
    found.size > 0 ? `unknown flag${found.size === 1 ? "" : "s"} ${[...found].join(", ")}` : "",
    operands.length > 0 ? `unexpected argument${operands.length === 1 ? "" : "s"} ${operands.join(", ")}` : "",
  ];
  return parts.filter(Boolean).join("; ");
}

/** The command's flag that a token names, in yargs' loose match (by its name or an alias), or null. */
function declaredName(token: string, flags: FlagKinds): string | null {
  return Object.keys(flags.key).find((key) => loose(key) === loose(token) || flags.alias[key]?.some((a) => loose(a) === loose(token))) ?? null;
}
