/** Whether time passes in a strategy's runs (docs/model.md, section 5: the "time" row). */
import { strategyModels } from "./ladder.js";
import type { Scenario, Strategy } from "./types.js";

/** Whether a run has a clock: a model of the strategy has a speed, or the tests take tool time. */
export function hasTimeModel(scenario: Scenario, strategy: Strategy): boolean {
  return scenario.toolSeconds !== null || strategyModels(strategy).some((m) => scenario.models[m]!.speed !== null);
}
