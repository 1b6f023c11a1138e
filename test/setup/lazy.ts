/**
 * Vitest setup, run before each test file: load what agentsim loads only when a scenario needs it
 * (the price table, src/scenario/preset.ts; stdlib's Beta and count samplers, src/sim/samplers.ts),
 * so that tests may parse and simulate any scenario synchronously. The bundled CLI, which the CLI
 * tests spawn, loads them on its own.
 */
import { loadPriceTable } from "../../src/scenario/preset.js";
import { loadSamplers } from "../../src/sim/samplers.js";

await Promise.all([loadPriceTable(), loadSamplers()]);
