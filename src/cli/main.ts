/**
 * The agentsim command line: one yargs command per module in ./commands.
 *
 * `main(argv, io)` runs one command line and returns its exit code: 0 done, 1 a finding
 * (validate: a check failed), 2 a user mistake, reported as one line on stderr. Anything else
 * is a bug and is thrown with its stack. bin.ts calls it with the process's arguments and
 * streams; tests call it in-process.
 */
import yargs, { type CommandModule } from "yargs";
import { FlagError, UserError } from "../errors.js";
import { packageVersion } from "../packageRoot.js";
import { COMMANDS, commandName } from "./commands/index.js";
import { terminalWidth, type Cli, type Output } from "./io.js";

/** Options that take a list; any other option given twice is a mistake. */
const LIST_OPTIONS = new Set(["_", "csv", "traces"]);

/** The commands' file arguments (positional), which must not be empty. */
const FILE_OPERANDS = ["scenario", "traces", "csv"];

export async function main(argv: readonly string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const cli: Cli = { ...io, exitCode: 0 };
  const names = COMMANDS.map(commandName);
  const given = [...argv];
  const operands = withoutEndOfOptions(given);
  // Bare `agentsim` shows the usage, as --help does.
  const args = operands.length === 0 ? ["--help"] : operands;
  const first = typeof args === "string" ? given[0]! : args[0]!;
  const command = names.includes(first) ? first : null;
  // a flag right before -- with an operand after it (see flagBeforeEnd)
  const end = given.indexOf("--");
  const dashFlag = end >= 0 && end < given.length - 1 ? flagBeforeEnd(given) : null;
  if (typeof args === "string") {
    io.stderr.write(`agentsim: ${args} (see agentsim ${command ? `${command} ` : ""}--help)\n`);
    return 2;
  }
  // Only the command that runs is loaded; the others are their usage lines for --help.
  const commands: CommandModule<object, never>[] = await Promise.all(
    COMMANDS.map(async (entry, i) => {
      const usage = { command: entry.command, describe: entry.describe };
      return names[i] === command ? { ...usage, ...(await entry.load())(cli) } : { ...usage, handler: () => {} };
    }),
  );
  let output = "";
  try {
    let parser = yargs(args);
    skipHelpCache(parser);
    parser = parser
      // `--no-trace` would be false where a text is read (a stack trace): no flag has a negation
      .parserConfiguration({ "boolean-negation": false })
      .scriptName("agentsim")
      .usage("$0 <command> [options]\n\nExpected cost and Monte Carlo simulation of generate-and-fix agent workflows.");
    for (const c of commands) parser = parser.command(c);
    await parser
      .middleware((parsed) => {
        for (const [key, value] of Object.entries(parsed)) {
          if (Array.isArray(value) && !LIST_OPTIONS.has(key)) throw new FlagError(`--${key} was given ${value.length} times; it takes one value`);
        }
        for (const key of FILE_OPERANDS) {
          const value: unknown = parsed[key];
          if (value === "" || (Array.isArray(value) && value.includes(""))) throw new FlagError(`"" is no file name (an empty ${key} argument)`);
        }
        // the command's flags, as its builder declared them on this parser
        if (dashFlag !== null) checkFlagBeforeEnd(dashFlag, given[end + 1]!, (parser as unknown as { getOptions(): FlagKinds }).getOptions());
        // yargs reads `--json=yes` as false: a switch takes no value but true or false
        for (const token of args) {
          const m = /^--([^=]+)=(.*)$/s.exec(token);
          if (m && typeof parsed[m[1]!] === "boolean" && m[2] !== "true" && m[2] !== "false") {
            throw new FlagError(`--${m[1]} is a switch and takes no value, got ${JSON.stringify(m[2])}`);
          }
        }
      }, true)
      .recommendCommands()
      .strict()
      .exitProcess(false)
      .fail((message, err) => {
        throw err ?? new FlagError(yargsMessage(message, args[0]!, command, names, dashFlag));
      })
      .help()
      .alias("h", "help")
      .version(packageVersion())
      .alias("V", "version")
      .wrap(Math.min(100, terminalWidth(io.stdout)))
      // With a callback yargs hands over --help and --version text instead of printing it.
      .parseAsync(args, {}, (_err, _parsed, text) => {
        output = text;
      });
  } catch (thrown) {
    // yargs throws some parse errors (a flag without its value) past .fail as a YError
    const err = thrown instanceof Error && thrown.name === "YError" ? new FlagError(yargsMessage(thrown.message, args[0]!, command, names, dashFlag)) : thrown;
    if (!(err instanceof UserError)) throw err;
    const hint = err instanceof FlagError ? ` (see agentsim ${command ? `${command} ` : ""}--help)` : "";
    io.stderr.write(`agentsim: ${err.message}${hint}\n`);
    return 2;
  }
  if (output) io.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  return cli.exitCode;
}

/**
 * The arguments with `--` (the end of options) taken out, the operands after it kept in place;
 * or, where that would read them otherwise, why it is refused. yargs leaves what follows `--` out
 * of a command's positional arguments (`crossover -- s.yaml` "needs its file argument"), so only
 * operands that it reads the same way without `--` are taken: none starting with "-" (no file or
 * filter of agentsim's needs to: a file can be written ./-name). A flag right before `--` that
 * takes a value would take the first operand as it (`--trace -- s.yaml` would write the trace over
 * s.yaml): see flagBeforeEnd, checked once yargs knows which flags are switches.
 */
function withoutEndOfOptions(args: string[]): string[] | string {
  const options = args.slice(0, args.includes("--") ? args.indexOf("--") : args.length);
  // yargs would read --no-x as x false (a stack trace where x takes a text), or, without that, take the next word as its value
  const negated = options.find((a) => /^--no-/.test(a));
  if (negated !== undefined) return `${negated.split("=")[0]}: no flag of agentsim's is turned off with --no-: leave the flag out`;
  // yargs reads a lone "-" as a flag without a name, and then \`run -\` ran the default scenario
  if (options.includes("-")) {
    return `"-" is no file or value agentsim takes: it reads no standard input (name a file, or /dev/stdin)`;
  }
  const end = args.indexOf("--");
  if (end < 0) return args;
  const operands = args.slice(end + 1);
  const dashed = operands.find((a) => a.startsWith("-"));
  if (dashed !== undefined) {
    return `${JSON.stringify(dashed)} after -- would be a file or filter starting with "-", which agentsim does not take (write a file as ./${dashed})`;
  }
  return [...args.slice(0, end), ...operands];
}

/** The message for a flag that took the operand after `--` as its value. */
const tookOperand = (flag: string) => `--${flag} comes right before --, so it would take the file after -- as its value: give it its value before --`;

/** What yargs knows of a command's flags (its getOptions()): their names, and which are switches. */
interface FlagKinds {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
}

/**
 * Refuse a flag right before `--` that took the operand after it: a flag with a value takes any,
 * a switch takes "true" or "false" (`--json -- true` read no file "true"). A flag the command
 * does not have is left to yargs, which names it as unknown.
 */
function checkFlagBeforeEnd(flag: string, operand: string, flags: FlagKinds): void {
  const known = flag in flags.key || Object.values(flags.alias).some((names) => names.includes(flag));
  if (!known) return;
  const isSwitch = flags.boolean.includes(flag) || flags.boolean.some((name) => flags.alias[name]?.includes(flag));
  if (!isSwitch) throw new FlagError(tookOperand(flag));
  if (operand === "true" || operand === "false") {
    throw new FlagError(`--${flag} comes right before --, so it would take ${JSON.stringify(operand)} after -- as its value: write the switch after the files`);
  }
}

/** The flag's name right before `--` (`trace` of `--trace --`), where it is written without a value; else null. */
function flagBeforeEnd(args: readonly string[]): string | null {
  const before = args[args.indexOf("--") - 1];
  return before !== undefined && /^--?[^-=][^=]*$/.test(before) ? before.replace(/^--?/, "") : null;
}

/**
 * After calling a command's handler, yargs renders that command's help text and keeps it, for a
 * handler that might call showHelp() later; none of ours does. The rendering measures every line's
 * width with string-width, whose first use compiles its emoji regular expressions: 15-35 ms of
 * every command. This turns it off, through yargs' internal methods, and says whether it could;
 * where a version of yargs lacks them, nothing changes but the time (a test tells).
 */
export function skipHelpCache(parser: object): boolean {
  const internal = parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internal.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage !== "function") return false;
  usage.cacheHelpMessage = () => {};
  return true;
}

/** One line for each of yargs' messages, in this tool's words where they are unclear. */
function yargsMessage(message: string, first: string, command: string | null, names: string[], tookFile: string | null): string {
  const line = message.replace(/\s*\n\s*/g, " ").trim();
  if (command === null && !first.startsWith("-")) {
    const near = /^Did you mean (\S+)\?/.exec(line)?.[1];
    return `unknown command ${JSON.stringify(first)} (${near ? `did you mean ${near}?` : `commands: ${names.join(", ")}`})`;
  }
  const unknown = /^Unknown arguments?: (.*)$/.exec(line);
  if (unknown) {
    // yargs lists a kebab-case flag twice, the second time in camelCase (trace-run, traceRun)
    const names = unknown[1]!.split(", ");
    const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const flags = names.filter((name) => !names.some((other) => other !== name && other.includes("-") && camel(other) === name));
    return `unknown flag${flags.length === 1 ? "" : "s"} ${flags.map((f) => (f.length === 1 ? `-${f}` : `--${f}`)).join(", ")}`;
  }
  let m = /^Not enough arguments following: (\S+)$/.exec(line);
  if (m) return `--${m[1]} needs a value`;
  m = /^Invalid values: Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(line);
  if (m) return `--${m[1]} must be one of ${m[3]}, got ${m[2]}`;
  m = /^Missing required argument: (\S+)$/.exec(line);
  if (m) return `--${m[1]} is required`;
  if (/^Not enough non-option arguments/.test(line)) {
    // a file was given after --, and a flag right before it (one with a value: a switch would have left the file) took it
    return tookFile ? tookOperand(tookFile) : `${command ?? "the command"} needs its file argument`;
  }
  return line;
}
