/** Prices per request (section 9): the tier a request pays, and the generation call. */
import type { ModelSpec, Price, Scenario, TierPrice } from "../scenario/types.js";

/**
 * A token limit (a tier's threshold, a context window) as inputs are compared with it: an input is
 * above it when it exceeds it by more than a billionth of it. The simulator sums a conversation's
 * input request by request while the closed forms multiply (X1 + (t - 1) Delta), and with
 * fractional tokens the sum carries rounding (6000 + ten times 0.1 is 6001.000000000004): an input
 * that meets the limit exactly must be below it on both sides (the simulator charged the tier one
 * attempt early, and its verdict was "inconsistent").
 */
export function tokenLimit(tokens: number): number {
  return tokens * (1 + 1e-9);
}

/** The prices of a request whose whole input (new + cached) is `input` tokens: the long-context tier above its threshold. */
export function tierPrice(price: Price, input: number): TierPrice {
  return price.longContext !== null && input > tokenLimit(price.longContext.above) ? price.longContext : price;
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
  return tier !== null && windowReaches(model.contextWindow, tier.above);
}

/** Whether a request whose input exceeds `above` tokens fits a context window of `window` tokens (null: no window). */
export function windowReaches(window: number | null, above: number): boolean {
  return window === null || window > above;
}

