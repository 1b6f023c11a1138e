/**
 * The agentsim command line: one yargs command per module in ./commands.
 *
 * `main(argv, io)` runs one command line and returns its exit code: 0 done, 1 a finding
 * (validate: a check failed), 2 a user mistake, reported as one line on stderr. Anything else
 * is a bug and is thrown with its stack. program.ts calls it with the process's arguments and
 * streams; tests call it in-process.
 */
import yargs, { type CommandModule } from "yargs";
import { FlagError, UserError } from "../errors.js";
import { packageVersion } from "../packageRoot.js";
import { COMMANDS, commandName } from "./commands/index.js";
import {
  checkFlagBeforeEnd,
  checkFlagNames,
  checkTextFlags,
  flagBeforeEnd,
  isDeclared,
  tookOperand,
  unknownArgumentsText,
  withoutEndOfOptions,
  type FlagKinds,
} from "./argv.js";
import { terminalWidth, type Cli, type Output } from "./io.js";

/** Options that take a list; any other option given twice is a mistake. */
const LIST_OPTIONS = new Set(["_", "csv", "traces"]);

/** The commands' file arguments (positional), which must not be empty. */
const FILE_OPERANDS = ["scenario", "traces", "csv"];

/** Every positional argument of the commands: the files, and prices' filter. */
const POSITIONALS = [...FILE_OPERANDS, "filter"];

export async function main(argv: readonly string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const cli: Cli = { ...io, exitCode: 0 };
  const names = COMMANDS.map(commandName);
  const given = [...argv];
  const operands = withoutEndOfOptions(given);
  // Bare `agentsim` shows the usage, as --help does.
  const args = operands.length === 0 ? ["--help"] : operands;
  const first = typeof args === "string" ? given[0]! : args[0]!;
  const command = names.includes(first) ? first : null;
  const dashFlag = flagBeforeEnd(given);
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
  let parser = yargs(args);
  skipHelpCache(parser);
  try {
    parser = parser
      // Every flag's value is read as text by the command (args.ts): `--trials.x 5` made an object of
      // --trials, and `--trace-Runs 5` a number of --trace-runs (stack traces both)
      .parserConfiguration({ "dot-notation": false, "parse-numbers": false })
      .scriptName("agentsim")
      .usage("$0 <command> [options]\n\nExpected cost and Monte Carlo simulation of generate-and-fix agent workflows.");
    for (const c of commands) parser = parser.command(c);
    await parser
      .middleware((parsed) => {
        // the command's flags, as its builder declared them on this parser
        const flags = optionsOf(parser);
        checkFlagNames(given, POSITIONALS);
        for (const [key, value] of Object.entries(parsed)) {
          if (Array.isArray(value) && !LIST_OPTIONS.has(key) && isDeclared(key, flags)) {
            throw new FlagError(`--${key} was given ${value.length} times; it takes one value`);
          }
        }
        for (const key of FILE_OPERANDS) {
          const value: unknown = parsed[key];
          if (value === "" || (Array.isArray(value) && value.includes(""))) throw new FlagError(`"" is no file name (an empty ${key} argument)`);
        }
        checkTextFlags(parsed, flags, POSITIONALS);
        if (dashFlag !== null) checkFlagBeforeEnd(dashFlag, parsed, flags);
        // yargs reads `--json=yes` as false: a switch takes no value but true or false
        for (const token of args) {
          const m = /^--([^=]+)=(.*)$/s.exec(token);
          if (m && typeof parsed[m[1]!] === "boolean" && m[2] !== "true" && m[2] !== "false") {
            throw new FlagError(`--${m[1]} is a switch: it takes no value (or true or false), got ${JSON.stringify(m[2])}`);
          }
        }
      }, true)
      .recommendCommands()
      .strict()
      .exitProcess(false)
      .fail((message, err) => {
        throw err ?? new FlagError(yargsMessage(message, given, command, names, optionsOf(parser), dashFlag));
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
    const err = thrown instanceof Error && thrown.name === "YError" ? new FlagError(yargsMessage(thrown.message, given, command, names, optionsOf(parser), dashFlag)) : thrown;
    if (!(err instanceof UserError)) throw err;
    const hint = err instanceof FlagError ? ` (see agentsim ${command ? `${command} ` : ""}--help)` : "";
    io.stderr.write(`agentsim: ${err.message}${hint}\n`);
    return 2;
  }
  if (output) io.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  return cli.exitCode;
}

/** The flags yargs knows on `parser`: the running command's, as its builder declared them. */
function optionsOf(parser: unknown): FlagKinds {
  return (parser as { getOptions(): FlagKinds }).getOptions();
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

/**
 * One line for each of yargs' messages, in this tool's words where they are unclear (`given`: the
 * arguments as given; `dashFlag`: the flag right before `--`, see flagBeforeEnd).
 */
function yargsMessage(
  message: string,
  given: readonly string[],
  command: string | null,
  names: string[],
  flags: FlagKinds,
  dashFlag: ReturnType<typeof flagBeforeEnd>,
): string {
  const line = message.replace(/\s*\n\s*/g, " ").trim();
  const first = given[0] ?? "";
  if (command === null && !first.startsWith("-")) {
    const near = /^Did you mean (\S+)\?/.exec(line)?.[1];
    return `unknown command ${JSON.stringify(first)} (${near ? `did you mean ${near}?` : `commands: ${names.join(", ")}`})`;
  }
  const unknown = /^Unknown arguments?: (.*)$/.exec(line);
  if (unknown) return unknownArgumentsText(unknown[1]!.split(", "), given, flags);
  let m = /^Not enough arguments following: (\S+)$/.exec(line);
  if (m) return `--${m[1]} needs a value`;
  m = /^Invalid values: Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(line);
  if (m) return `--${m[1]} must be one of ${m[3]}, got ${m[2]}`;
  m = /^Missing required argument: (\S+)$/.exec(line);
  if (m) return `--${m[1]} is required`;
  if (/^Not enough non-option arguments/.test(line)) {
    // the file was given after --, and the flag right before it took it
    return dashFlag ? tookOperand(dashFlag.token, dashFlag.operand) : `${command ?? "the command"} needs its file argument`;
  }
  return line;
}
