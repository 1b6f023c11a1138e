/** The time model and cache expiry (docs/model.md, section 5: the "time" and "cache TTL" rows). */
import { hasTimeModel } from "../scenario/clock.js";
import type { Distribution, ModelSpec, Scenario, Strategy } from "../scenario/types.js";
import { distributionCdf, distributionMean } from "./distributions.js";

/** Seconds one call takes: ttft + output tokens / output tokens per second (0 with no speed given). */
export function callSeconds(model: ModelSpec, outputTokens: number): number {
  return model.speed ? model.speed.ttftSeconds + outputTokens / model.speed.outputTokensPerSecond : 0;
}

/** E[tool seconds] after one fix attempt (0 when the scenario gives none). */
export function meanToolSeconds(toolSeconds: Distribution | null): number {
  return toolSeconds ? distributionMean(toolSeconds) : 0;
}

/**
 * A cache lifetime as gaps are compared with it: a gap outlives it when it exceeds it by more than
 * a billionth of it. Gaps are sums (call + tool) and round: 2.68 + 8 + 79.68 is 90.36000000000001,
 * and with a TTL of 90.36 the simulator let every entry expire while the closed form kept it alive
 * (or, with 25.51 <= 35.8 - 10.29 false in doubles, the other way round); a gap that meets the TTL
 * exactly hits on both sides, as tokenLimit (prices.ts) does for token thresholds.
 */
export function timeLimit(seconds: number): number {
  return seconds * (1 + 1e-9);
}

/**
 * h = P(gap <= ttl), the chance a follow-up request finds its conversation's cache alive, where
 * gap = the fixer's call seconds (constant here) + tool seconds. A tool time's atoms (a constant,
 * an empirical list's values, a lognormal without spread, a uniform of one point) are decided as
 * the simulator decides a gap, call + tool against timeLimit(ttl); a continuous part takes its
 * distribution function at ttl - call, where the boundary has probability 0.
 */
export function cacheHitProbability(ttlSeconds: number, fixCallSeconds: number, toolSeconds: Distribution | null): number {
  const alive = (tool: number) => (fixCallSeconds + tool <= timeLimit(ttlSeconds) ? 1 : 0);
  if (!toolSeconds) return alive(0);
  switch (toolSeconds.kind) {
    case "constant":
      return alive(toolSeconds.value);
    case "empirical":
      return toolSeconds.values.reduce((hits, v) => hits + alive(v), 0) / toolSeconds.values.length;
    case "lognormal":
      if (toolSeconds.cv === 0) return alive(toolSeconds.mean);
      break;
    case "uniform":
      if (toolSeconds.min === toolSeconds.max) return alive(toolSeconds.min);
      break;
  }
  return distributionCdf(toolSeconds, ttlSeconds - fixCallSeconds);
}

/**
 * The cache lifetime that can expire anything in a strategy's runs: caching.ttlSeconds where a
 * run has a clock (hasTimeModel), else null, as every gap between requests is then 0 s and no
 * entry expires (the TTL still picks a preset's write price, when the scenario is read).
 */
export function expiringTtl(scenario: Scenario, strategy: Strategy): number | null {
  return hasTimeModel(scenario, strategy) ? scenario.caching.ttlSeconds : null;
}
