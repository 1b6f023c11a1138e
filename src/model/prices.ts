/** Prices per request (section 9): the tier a request pays, and the generation call. */
import type { ModelSpec, Price, Scenario, TierPrice } from "../scenario/types.js";

/** The prices of a request whose whole input (new + cached) is `input` tokens: the long-context tier above its threshold. */
export function tierPrice(price: Price, input: number): TierPrice {
  return price.longContext !== null && input > price.longContext.above ? price.longContext : price;
}

/** c_in(gen) L0 + c_out(gen) G0: the generation call, never cached, at the tier of its L0 input tokens. */
export function generationCost(scenario: Scenario, generator: ModelSpec): number {
  const price = tierPrice(generator.price, scenario.tokens.prompt);
  return price.input * scenario.tokens.prompt + price.output * scenario.tokens.generation;
}

/**
 * Whether a model's long-context tier can be charged: a request above the tier's threshold must
 * fit the model's context window (with a window at or below the threshold, a request that large
 * compacts or stops the run first).
 */
export function tierReachable(model: ModelSpec): boolean {
  const tier = model.price.longContext;
  return tier !== null && (model.contextWindow === null || model.contextWindow > tier.above);
}

