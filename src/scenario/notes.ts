/**
 * What a scenario takes from the price table that the table does not say, in words, for the
 * commands to print beside their answer: a preset model without a context window (its
 * conversations have no limit here; Gemini 2.5 Pro's 3,000,000-token requests were priced), a
 * cache lifetime above 5 minutes for a preset without a 1-hour write price (its writes cost the
 * 5-minute price), and a cache lifetime that changes no cost. Only models that a strategy uses;
 * no note changes a number.
 */
import { strategyModels } from "./ladder.js";
import { keyPath } from "./paths.js";
import { oneHourWriteMissing } from "./preset.js";
import type { Scenario } from "./types.js";

export function scenarioNotes(scenario: Scenario): string[] {
  const used = new Set(scenario.strategies.flatMap(strategyModels));
  const ttl = scenario.caching.ttlSeconds;
  const notes: string[] = [];
  for (const name of used) {
    const model = scenario.models[name]!;
    const id = model.price.preset;
    if (id === null) continue;
    const key = keyPath(["models", name]);
    if (model.contextWindow === null) {
      notes.push(`${key}: the price table gives ${id} no context window, so its conversations have no limit here (set ${key}.contextWindow to its real one)`);
    }
    const fiveMinutes = oneHourWriteMissing(id, ttl);
    if (fiveMinutes !== null) {
      notes.push(`${key}: the price table gives ${id} no 1-hour cache write price, so under caching.ttlSeconds ${ttl} its writes cost the 5-minute price ($${fiveMinutes} per million tokens)`);
    }
  }
  // A lifetime expires entries only for a price whose miss (a write) costs other than its hit (a
  // read): with every cache price the input price (caching's multipliers are 1 when left out) a
  // TTL changes no number, though a file that sets it means it to.
  const sameOnMiss = (p: { cacheRead: number; cacheWrite: number }) => p.cacheRead === p.cacheWrite;
  const models = [...used].map((name) => scenario.models[name]!);
  if (ttl !== null && models.every((m) => sameOnMiss(m.price) && (m.price.longContext === null || sameOnMiss(m.price.longContext)))) {
    notes.push(`caching.ttlSeconds ${ttl} changes no cost here: no model the strategies use pays a cache read other than a cache write (set caching.readMultiplier and writeMultiplier, or the models' cache prices)`);
  }
  return notes;
}
