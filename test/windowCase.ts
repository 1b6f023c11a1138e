/**
 * windows.test.ts's hand case (its doc comment works out every cost): one model that fixes every
 * bug at its first attempt, six bugs, shared context, L1 = 1000, Delta = 500 and a window of 2,600
 * tokens, reached at the fifth request; with `compaction`, a summary of 200 tokens then. `extra`
 * keys replace the case's own (contexts, strategies, caching, ...).
 */
import { parseScenario } from "../src/scenario/load.js";

export function windowCase(compaction: boolean, extra: Record<string, unknown> = {}) {
  return parseScenario(
    {
      name: "window",
      seed: 1,
      trials: 10,
      models: {
        a: {
          price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
          bugs: { count: 6, hardFraction: 0.5 },
          fix: { easy: 1, hard: 1 },
          contextWindow: 2600,
        },
      },
      tokens: { prompt: 600, generation: 400, fixOutput: 300, errorTrace: 200 },
      contexts: ["shared"],
      ...(compaction ? { compaction: { summary: 200 } } : {}),
      ...extra,
    },
    "window.yaml",
  );
}
