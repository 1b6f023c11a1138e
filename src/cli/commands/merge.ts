/** `agentsim merge <csv...> --out FILE`: combine the shards of a sweep into the file the unsharded sweep writes. */
import { oneLine } from "../../errors.js";
import type { CommandModule } from "yargs";
import { mergeFiles, type Merged, type MergeHandle } from "../../sweep/merge.js";
import { textFlag } from "../args.js";
import { onInterrupt, type Cli } from "../io.js";
import { groupDigits } from "../../text.js";

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
    // Ctrl-C or SIGTERM while the merged file is written leaves nothing: no temporary file, no
    // lock, no folder made for it (listened for before anything is taken).
    const handle: MergeHandle = { cleanup: null, written: false };
    const stopListening = onInterrupt((signal) => {
      handle.cleanup?.();
      cli.stderr.write(`agentsim: interrupted (${signal}); ${handle.written ? `${out} and its record were written whole` : "nothing was written"}\n`);
    });
    let merged: Merged;
    try {
      merged = await mergeFiles(args.csv, out, handle);
    } finally {
      stopListening();
    }
    const n = args.csv.length;
    cli.stdout.write(`Merged ${n} file${n === 1 ? "" : "s"} into ${oneLine(out)}: ${groupDigits(merged.points)} points, ${groupDigits(merged.rows)} rows\n`);
  },
});
