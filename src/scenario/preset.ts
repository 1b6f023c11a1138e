/**
 * `price: {preset: provider/model}` (section 9): the prices and context window a preset stands
 * for, from the price table. An unknown preset is a one-line error naming the key.
 */
import { ScenarioError } from "../errors.js";
import type { HandPrice } from "./normalize.js";

export function resolvePreset(preset: string, _ttlSeconds: number | null, file: string): { price: HandPrice; contextWindow: number | null } {
  throw new ScenarioError(file, "price.preset", `unknown preset ${JSON.stringify(preset)}`);
}
