/**
 * Vitest global setup: bundle the CLI and the worker from src/ before any test runs. The worker
 * pool loads dist/worker.mjs and the CLI tests spawn dist/agentsim.mjs, so without this a plain
 * `npx vitest` would test whatever was built last, not the code under test.
 */
import { bundle } from "../../build.mjs";

export default async function setup(): Promise<void> {
  await bundle();
}
