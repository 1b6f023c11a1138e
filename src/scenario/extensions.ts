/** Whether a scenario uses any extension of section 5 of docs/model.md (beyond the base model). */
import type { Scenario } from "./types.js";

export function usesExtensions(s: Scenario): boolean {
  return (
    s.caching.ttlSeconds !== null ||
    s.toolSeconds !== null ||
    s.tokens.errorGrowth > 0 ||
    s.tokens.fixOutput.kind !== "constant" ||
    s.tokens.errorTrace.kind !== "constant" ||
    s.limits.maxAttemptsPerBug !== null ||
    s.limits.maxAttemptsPerRun !== null ||
    Object.values(s.models).some((m) => m.speed !== null || m.regressions !== null || m.assignment === "binomial")
  );
}
