/** The time model and cache expiry (docs/model.md, section 5: the "time" and "cache TTL" rows). */
import { strategyModels } from "../scenario/ladder.js";
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
 * h = P(gap <= ttl), the chance a follow-up request finds its conversation's cache alive, where
 * gap = the fixer's call seconds (constant here) + tool seconds.
 */
export function cacheHitProbability(ttlSeconds: number, fixCallSeconds: number, toolSeconds: Distribution | null): number {
  const slack = ttlSeconds - fixCallSeconds;
  if (!toolSeconds) return slack >= 0 ? 1 : 0;
  return distributionCdf(toolSeconds, slack);
}

/** Whether a run has a clock: a model of the strategy has a speed, or the tests take tool time. */
export function hasTimeModel(scenario: Scenario, strategy: Strategy): boolean {
  return scenario.toolSeconds !== null || strategyModels(strategy).some((m) => scenario.models[m]!.speed !== null);
}

/**
 * The cache lifetime that can expire anything in a strategy's runs: caching.ttlSeconds where a
 * run has a clock (hasTimeModel), else null, as every gap between requests is then 0 s and no
 * entry expires (the TTL still picks a preset's write price, when the scenario is read).
 */
export function expiringTtl(scenario: Scenario, strategy: Strategy): number | null {
  return hasTimeModel(scenario, strategy) ? scenario.caching.ttlSeconds : null;
}
