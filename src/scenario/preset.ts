/**
 * `price: {preset: provider/model}` (section 9): the prices and context window a preset stands
 * for, from the price table (src/prices). An unknown preset is a one-line error naming the key
 * and the nearest names.
 */
import { ScenarioError } from "../errors.js";
import { findPreset, nearestPresets, presetPrice } from "../prices/index.js";
import type { HandPrice } from "./normalize.js";

export function resolvePreset(preset: string, ttlSeconds: number | null, file: string, key: string): { price: HandPrice; contextWindow: number | null } {
  const found = findPreset(preset);
  if (!found) {
    throw new ScenarioError(file, key, `unknown preset ${JSON.stringify(preset)} (nearest: ${nearestPresets(preset).join(", ")}; see agentsim prices)`);
  }
  return presetPrice(found, ttlSeconds);
}
