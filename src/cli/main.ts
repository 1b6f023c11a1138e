#!/usr/bin/env node
/** The agentsim command line: one yargs command per module in ./commands. */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { UserError } from "../errors.js";
import { analyticCommand } from "./commands/analytic.js";
import { crossoverCommand } from "./commands/crossover.js";
import { fitCommand } from "./commands/fit.js";
import { mergeCommand } from "./commands/merge.js";
import { pricesCommand } from "./commands/prices.js";
import { reportCommand } from "./commands/report.js";
import { runCommand } from "./commands/run.js";
import { sweepCommand } from "./commands/sweep.js";
import { validateCommand } from "./commands/validate.js";

/** A user mistake is one line on stderr and exit code 2; anything else is a bug and keeps its stack. */
function reportAndExit(err: unknown): never {
  if (err instanceof UserError) {
    process.stderr.write(`agentsim: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

try {
  await yargs(hideBin(process.argv))
    .scriptName("agentsim")
    .usage("$0 <command> [options]\n\nExpected cost and Monte Carlo simulation of generate-and-fix agent workflows.")
    .command(runCommand)
    .command(analyticCommand)
    .command(crossoverCommand)
    .command(validateCommand)
    .command(sweepCommand)
    .command(mergeCommand)
    .command(pricesCommand)
    .command(reportCommand)
    .command(fitCommand)
    .demandCommand(1, "name a command (see --help)")
    .strict()
    .fail((msg, err) => {
      if (err) reportAndExit(err);
      process.stderr.write(`agentsim: ${msg} (see agentsim --help)\n`);
      process.exit(2);
    })
    .help()
    .version(false)
    .parseAsync();
} catch (err) {
  reportAndExit(err);
}
