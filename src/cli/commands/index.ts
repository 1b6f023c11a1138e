/**
 * The commands, in the order --help lists them: each one's usage line and summary, and its module.
 *
 * A module is imported only when its command runs (esbuild puts each into a chunk of its own), so
 * that `agentsim --help` reads no scenario, simulation or price code and `agentsim run` no report
 * or fit code.
 */
import type { CommandModule } from "yargs";
import type { Cli } from "../io.js";

/** A command's flags and handler (its module's export), for the CLI that runs it. */
export type CommandBody = (cli: Cli) => Omit<CommandModule<object, never>, "command" | "describe">;

export interface CommandEntry {
  /** the usage line: the name, then its positional arguments */
  command: string;
  describe: string;
  load: () => Promise<CommandBody>;
}

const body = (make: unknown) => make as CommandBody;

export const COMMANDS: readonly CommandEntry[] = [
  {
    command: "run [scenario]",
    describe: "Monte Carlo simulation of every strategy and context, checked against the closed forms",
    load: async () => body((await import("./run.js")).runCommand),
  },
  {
    command: "analytic [scenario]",
    describe: "Closed-form expected cost of every strategy and context",
    load: async () => body((await import("./analytic.js")).analyticCommand),
  },
  {
    command: "crossover <scenario>",
    describe: "Parameter values where two strategies' expected costs are equal",
    load: async () => body((await import("./crossover.js")).crossoverCommand),
  },
  {
    command: "validate",
    describe: "Check the simulator against the closed forms on every scenario in scenarios/validation/",
    load: async () => body((await import("./validate.js")).validateCommand),
  },
  {
    command: "sweep <scenario>",
    describe: "Simulate every point of the scenario's sweep section and write one CSV row per point, strategy and context",
    load: async () => body((await import("./sweep.js")).sweepCommand),
  },
  {
    command: "merge <csv...>",
    describe: "Merge sweep CSVs (the shards of one sweep) into one, ordered by point",
    load: async () => body((await import("./merge.js")).mergeCommand),
  },
  {
    command: "prices [filter]",
    describe: "Model price presets (for price: { preset: <id> }), $ per million tokens",
    load: async () => body((await import("./prices.js")).pricesCommand),
  },
  {
    command: "report <scenario>",
    describe: "Write one self-contained HTML page: the decision, the scenario, cost distributions, breakdown, crossover and sweep charts",
    load: async () => body((await import("./report.js")).reportCommand),
  },
  {
    command: "fit <traces..>",
    describe: "Estimate a scenario from traces (run --trace) or, with --format claude-code, its tokens from Claude Code logs",
    load: async () => body((await import("./fit.js")).fitCommand),
  },
];

/** A command's name: the first word of its usage line. */
export function commandName(entry: CommandEntry): string {
  return entry.command.split(" ")[0]!;
}
