/**
 * What a scenario takes from the price table that the table does not say, in words, for the
 * commands to print beside their answer: a preset model without a context window (its
 * conversations have no limit here; Gemini 2.5 Pro's 3,000,000-token requests were priced), a
 * cache lifetime above 5 minutes for a preset without a 1-hour write price (its writes cost the
 * 5-minute price), prices the table gives a preset at other hours of the day or from a later date
 * (its costs are the peak's, as of the table's date), caching multipliers that no price reads (every
 * model a preset), and a cache lifetime that changes no cost.
 * Only models that a strategy uses;
 * no note changes a number.
 */
import { strategyModels } from "./ladder.js";
import { keyPath, splitPath } from "./paths.js";
import { hasTimeModel } from "./clock.js";
import { oneHourPriceAbove, oneHourWriteMissing, pricesAtOtherTimes, ttlChangesPrice } from "./preset.js";
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
    const times = pricesAtOtherTimes(id);
    if (times?.offPeak) {
      notes.push(`${key}: ${id} is priced at its peak hours; the price table gives it cheaper prices at other hours of the day, which no cost here uses`);
    }
    if (times?.nextPriceChange) {
      notes.push(`${key}: the price table gives ${id} new prices from ${times.nextPriceChange}; its costs here are at the prices of ${times.asOf}, the table's date`);
    }
    const fiveMinutes = oneHourWriteMissing(id, ttl);
    if (fiveMinutes !== null) {
      notes.push(`${key}: the price table gives ${id} no 1-hour cache write price, so under caching.ttlSeconds ${ttl} its writes cost the 5-minute price ($${fiveMinutes} per million tokens)`);
    }
  }
  // a multiplier only stands in for a hand price's missing cache price: with presets alone it
  // changes nothing, as a sweep over it is refused for (the prices audit: 0.1 and 0.5 priced alike)
  const set = (["readMultiplier", "writeMultiplier"] as const).filter((k) => scenario.caching[k] !== 1);
  if (set.length > 0 && [...used].every((name) => scenario.models[name]!.price.preset !== null)) {
    const keys = set.map((k) => `caching.${k} ${scenario.caching[k]}`).join(" and ");
    notes.push(`${keys} ${set.length === 1 ? "changes" : "change"} no cost here: every model the strategies use is a preset, priced at the table's cache prices (a multiplier stands in for a cache price missing from a price by hand)`);
  }
  const idle = ttlChangesNothing(scenario);
  if (idle !== null) notes.push(`caching.ttlSeconds ${ttl} changes no cost here: ${idle}`);
  return notes;
}

/**
 * Why the scenario's cache lifetime changes no cost, in words, or null where it may (or there is
 * none). A lifetime expires entries only where a miss (a write)
 * costs other than a hit (a read): with every cache price the input price (caching's multipliers
 * are 1 when left out) it changes no number. Nor where no time passes in any strategy's runs,
 * unless it picks a preset's 1-hour write price. A file that sets it means it to change something.
 */
export function ttlChangesNothing(scenario: Scenario): string | null {
  const ttl = scenario.caching.ttlSeconds;
  if (ttl === null) return null;
  const used = [...new Set(scenario.strategies.flatMap(strategyModels))].map((name) => scenario.models[name]!);
  const sameOnMiss = (p: { cacheRead: number; cacheWrite: number }) => p.cacheRead === p.cacheWrite;
  if (used.every((m) => sameOnMiss(m.price) && (m.price.longContext === null || sameOnMiss(m.price.longContext)))) {
    return "no model the strategies use pays a cache read other than a cache write (set caching.readMultiplier and writeMultiplier, or the models' cache prices)";
  }
  const clockless = !scenario.strategies.some((strategy) => hasTimeModel(scenario, strategy));
  if (clockless && !used.some((m) => m.price.preset !== null && ttlChangesPrice(m.price.preset, ttl))) {
    // a longer lifetime may pick a preset's 1-hour write price, a change of cost (a review)
    const above = used.map((m) => (m.price.preset === null ? null : oneHourPriceAbove(m.price.preset))).find((s) => s !== null);
    const longer = above === undefined ? "" : `, or a lifetime above ${above} s, which picks the presets' 1-hour cache write price`;
    return `no time passes in the strategies' runs, so no cache entry expires (give the models a speed, or the tests a toolSeconds${longer})`;
  }
  return null;
}

/** Whether a dotted key (sweep, crossover) is the cache lifetime, however its path is spelt. */
export function isTtlKey(path: string): boolean {
  return splitPath(path).join(".") === "caching.ttlSeconds";
}

/**
 * Why a cache lifetime varied over `scenarios` (a sweep's points, the values of a crossover's
 * range) changes no cost at any of them, in words after "changes nothing: ", or null. Of a range,
 * its two ends stand for it: the lifetime picks a preset's write price by one threshold (300 s),
 * and nothing else in ttlChangesNothing depends on it.
 */
export function ttlIdleThroughout(scenarios: Iterable<Scenario>): string | null {
  let first: string | null = null;
  for (const scenario of scenarios) {
    const idle = ttlChangesNothing(scenario);
    if (idle === null) return null;
    first ??= idle;
  }
  return first === null ? null : `at every value, ${first}`;
}
