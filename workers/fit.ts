/** Worker entry point of the fit's bootstrap: one slice of replicates per task. */
import { runReplicates, type BootstrapTask, type Replicate } from "../src/fit/bootstrap.js";

export default function fit(task: BootstrapTask): Replicate[] {
  return runReplicates(task);
}
