/** `agentsim merge <csv...> --out FILE`: combine the shards of a sweep into the file the unsharded sweep writes. */
import type { CommandModule } from "yargs";
import { mergeFiles } from "../../sweep/merge.js";

interface Args {
  csv: string[];
  out: string;
}

export const mergeCommand: CommandModule<object, Args> = {
  command: "merge <csv...>",
  describe: "Merge sweep CSVs (the shards of one sweep) into one, ordered by point",
  builder: (y) =>
    y
      .positional("csv", { type: "string", array: true, demandOption: true, describe: "sweep CSV files (e.g. the outputs of --shard i/n)" })
      .option("out", { type: "string", demandOption: true, describe: "the merged CSV file" }) as never,
  handler: async (args) => {
    const merged = await mergeFiles(args.csv, args.out);
    const n = args.csv.length;
    process.stdout.write(`Merged ${n} file${n === 1 ? "" : "s"} into ${args.out}: ${merged.points} points, ${merged.rows} rows\n`);
  },
};
