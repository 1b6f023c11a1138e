/** `agentsim merge <csv...> --out FILE`: combine the shards of a sweep into the file the unsharded sweep writes. */
import type { CommandModule } from "yargs";
import { mergeFiles } from "../../sweep/merge.js";
import { textFlag } from "../args.js";
import type { Cli } from "../io.js";

interface Args {
  csv: string[];
  out: string;
}

export const mergeCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("csv", { type: "string", array: true, demandOption: true, default: undefined, describe: "sweep CSV files (e.g. the outputs of --shard i/n)" })
      .option("out", { type: "string", demandOption: true, requiresArg: true, describe: "the merged CSV file" }) as never,
  handler: async (args) => {
    const out = textFlag("--out", args.out)!;
    const merged = await mergeFiles(args.csv, out);
    const n = args.csv.length;
    cli.stdout.write(`Merged ${n} file${n === 1 ? "" : "s"} into ${out}: ${merged.points} points, ${merged.rows} rows\n`);
  },
});
