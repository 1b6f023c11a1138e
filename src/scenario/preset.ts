/**
 * `price: {preset: provider/model}` (section 9): the prices and context window a preset stands
 * for, from the price table (src/prices). An unknown preset is a one-line error naming the key
 * and the nearest names.
 *
 * The price table is large (every provider's models), so it is loaded only for data that names a
 * preset: `loadPriceTableFor(raw)` before parsing such data. A scenario priced by hand never
 * loads it.
 */
import { ScenarioError } from "../errors.js";
import { keyPath } from "./paths.js";
import type * as PriceTable from "../prices/index.js";
import type { HandPrice } from "./normalize.js";

let table: typeof PriceTable | null = null;

/** Load the price table, once. */
export async function loadPriceTable(): Promise<void> {
  table ??= await import("../prices/index.js");
}

/** Whether plain scenario data has a `preset` key anywhere (only a price has one). */
export function namesPreset(raw: unknown): boolean {
  const stack = [raw];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (!Array.isArray(node) && Object.hasOwn(node, "preset")) return true;
    stack.push(...Object.values(node));
  }
  return false;
}

/** Load the price table when the data names a preset, so that parseScenario can resolve it. */
export async function loadPriceTableFor(raw: unknown): Promise<void> {
  if (namesPreset(raw)) await loadPriceTable();
}

export function resolvePreset(preset: string, ttlSeconds: number | null, file: string, key: string): { price: HandPrice; contextWindow: number | null } {
  if (!table) throw new Error(`${file}: ${key}: the price table is not loaded (call loadPriceTableFor before parseScenario)`);
  const found = table.findPreset(preset);
  if (!found) {
    const other = table.matchedOtherwise(preset);
    if (other) {
      // the table's rules would price it as another entry: named, not taken (an alias may be another model)
      const how = other.alias
        ? `the price table lists it as an alias of ${other.id}, whose prices it would take (the table files some other models so)`
        : `not a spelling of ${other.id}, which the price table's rules match by a pattern, such as a common start (another mode or a typo may have other prices)`;
      throw new ScenarioError(file, key, `unknown preset ${JSON.stringify(preset)}: ${how}; write ${other.id} if you mean it`);
    }
    const excluded = table.whyNoPreset(preset);
    if (excluded !== null) throw new ScenarioError(file, key, `${JSON.stringify(preset)} is in the price table but is no preset: ${excluded}`);
    throw new ScenarioError(file, key, `unknown preset ${JSON.stringify(preset)} (nearest: ${table.nearestPresets(preset).join(", ")}; see agentsim prices)`);
  }
  return table.presetPrice(found, ttlSeconds);
}

/**
 * The 5-minute cache write price ($ per million tokens) a preset's writes cost under a cache
 * lifetime that asks for its 1-hour price, where the table has none; null otherwise.
 */
export function oneHourWriteMissing(id: string, ttlSeconds: number | null): number | null {
  const found = table?.findPreset(id);
  // a table without any cache write price (OpenAI's, Google's) charges no write premium, 5-minute or 1-hour
  if (!found || !found.cacheWriteListed || ttlSeconds === null || ttlSeconds <= table!.DEFAULT_CACHE_SECONDS) return null;
  return found.cacheWrite1h === null ? found.cacheWrite : null;
}

/**
 * What the table says of a preset's prices at other times than the one priced: cheaper prices at
 * other hours of the day (a preset is priced at its peak), and the date of the next price change
 * it lists (a preset is priced as of the table's date, `asOf`); null for an unknown id.
 */
export function pricesAtOtherTimes(id: string): { offPeak: boolean; nextPriceChange: string | null; asOf: string } | null {
  const found = table?.findPreset(id);
  return found ? { offPeak: found.offPeak, nextPriceChange: found.nextPriceChange, asOf: table!.TABLE.asOf } : null;
}

/** The lifetime above which a preset's cache writes cost its 1-hour price, where that differs; else null. */
export function oneHourPriceAbove(id: string): number | null {
  return table && ttlChangesPrice(id, table.DEFAULT_CACHE_SECONDS + 1) ? table.DEFAULT_CACHE_SECONDS : null;
}

/** Whether a cache lifetime prices a preset otherwise than no lifetime does (its 1-hour write price). */
export function ttlChangesPrice(id: string, ttlSeconds: number | null): boolean {
  const found = table?.findPreset(id);
  if (!found || ttlSeconds === null) return false;
  return JSON.stringify(table!.presetPrice(found, ttlSeconds)) !== JSON.stringify(table!.presetPrice(found, null));
}

/**
 * A price with a preset takes no other key: the preset is every price of the model. A key beside
 * it (a cache write price to override) is a one-line error saying how to change a price, rather
 * than the schema's "unknown key", which a price key is not.
 */
export function checkPresetAlone(raw: unknown, file: string): void {
  const models = (raw as { models?: unknown } | null)?.models;
  // a list of models, or a preset that is no text, is the schema's to describe
  if (models === null || typeof models !== "object" || Array.isArray(models)) return;
  for (const [name, model] of Object.entries(models)) {
    const price = (model as { price?: unknown } | null)?.price;
    if (price === null || typeof price !== "object" || !Object.hasOwn(price, "preset")) continue;
    const other = Object.keys(price).find((key) => key !== "preset");
    if (other === undefined) continue;
    const preset = (price as { preset: unknown }).preset;
    if (typeof preset !== "string") continue;
    // the table's own id: `agentsim prices` filters by text, and finds no dated or dotted spelling
    const id = table?.findPreset(preset)?.id ?? preset;
    throw new ScenarioError(file, keyPath(["models", name, "price", other]), `a price with a preset takes no other key: to change one of its prices, write them all by hand (agentsim prices ${JSON.stringify(id)} lists them)`);
  }
}
