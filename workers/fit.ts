/** Worker entry point of the fit's bootstrap: one slice of replicates per task. */
import { runReplicates, type BootstrapTask, type Replicate } from "../src/fit/bootstrap.js";
import { loadPriceTableFor } from "../src/scenario/load.js";

export default async function fit(task: BootstrapTask): Promise<Replicate[]> {
  // a replicate's scenario is parsed here: its presets need the price table
  if (task.plan) await loadPriceTableFor(task.plan.base);
  return runReplicates(task);
}
