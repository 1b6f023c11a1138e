/**
 * Price presets: a model's list prices by `provider/model` id, for `price: { preset: ... }` in a
 * scenario and for `agentsim prices`. Everything is in $ per million tokens.
 */
import { distance } from "fastest-levenshtein";
import { matchedId, tablePresets } from "./table.js";
import type { Preset, ScenarioPrice } from "./types.js";

/** Cache lifetimes above this many seconds are written at the 1-hour price (Anthropic's 5-minute cache). */
export const DEFAULT_CACHE_SECONDS = 300;

/**
 * Every preset whose id or name contains `filter` (case-insensitive), in the table's order;
 * every preset without a filter.
 */
export function listPresets(filter?: string): Preset[] {
  const needle = filter?.toLowerCase() ?? "";
  return tablePresets().filter((p) => p.id.toLowerCase().includes(needle) || (p.name?.toLowerCase().includes(needle) ?? false));
}

let byId: Map<string, Preset> | undefined;

/**
 * The preset for a `provider/model` id. Case does not matter (the table's ids differ in more than
 * case). An id that is not the table's own is read as the provider's API model name through the
 * table's matching rules, so "anthropic/claude-sonnet-4-5-20250929" (a dated snapshot) or
 * "anthropic/claude-sonnet-4.5" give the preset "anthropic/claude-sonnet-4-5", but only where
 * the name is that id written another way (see lookUp); the returned preset's `id` is always the
 * table's. The provider part must be the table's provider id.
 */
export function findPreset(id: string): Preset | undefined {
  const { preset, sameModel } = lookUp(id);
  return sameModel ? preset : undefined;
}

/**
 * The table id that the table's rules match to `id` other than as a spelling of it, which
 * findPreset does not take, and whether a rule names `id` exactly (an alias the entry lists:
 * "x-ai/grok-4-0709" for "x-ai/grok-4") or by a pattern ("anthropic/claude-opus-4-6" for
 * "anthropic/claude-opus-4-6-fast", by its start); undefined otherwise.
 */
export function matchedOtherwise(id: string): { id: string; alias: boolean } | undefined {
  const { preset, sameModel, alias } = lookUp(id);
  return preset && !sameModel ? { id: preset.id, alias } : undefined;
}

/**
 * The preset of the table's id `id` or of the entry its rules match, and whether that is the
 * same model. The rules are mostly prefixes ("claude-opus-4-6" matches "claude-opus-4-6-fast", a
 * mode at 6 times the price, and "claude-sonnet-4-55", a typo): a name they match counts only
 * when it is the preset's id written another way (see sameModelName). Not even an alias the entry
 * lists by name (`alias`: "x-ai/grok-4" for "x-ai/grok-4-0709") counts: the table files other
 * models so too ("mistral-medium-3" under Medium 3.5, at 4 times Medium 3's price; a review).
 */
function lookUp(id: string): { preset: Preset | undefined; sameModel: boolean; alias: boolean } {
  byId ??= new Map(tablePresets().map((p) => [p.id.toLowerCase(), p]));
  const key = id.toLowerCase();
  const exact = byId.get(key);
  if (exact) return { preset: exact, sameModel: true, alias: false };
  const slash = key.indexOf("/");
  const matched = slash < 0 ? undefined : matchedId(key.slice(0, slash), key.slice(slash + 1));
  const preset = matched === undefined ? undefined : byId.get(matched.id.toLowerCase());
  return { preset, sameModel: preset !== undefined && sameModelName(key.slice(slash + 1), preset.model), alias: matched?.alias ?? false };
}

/**
 * Whether an API model name is a table model id written another way: "." for "-", a dated
 * snapshot ("-20250929", "-2025-08-07", "@20250929", "-preview-05-20"), "-latest", a version
 * suffix ("-v1:0"), "4-0" for "4".
 */
function sameModelName(name: string, tableModel: string): boolean {
  const plain = (s: string) =>
    s
      .toLowerCase()
      .replace(/[-@]20\d{2}-?\d{2}-?\d{2}(?=$|[-:@])/g, "")
      .replace(/-v\d+(:\d+)?$/, "")
      .replace(/-latest$/, "")
      .replace(/-preview-\d{2}-\d{2}$/, "-preview")
      .replace(/\./g, "-")
      .replace(/-0$/, "");
  return plain(name) === plain(tableModel);
}

/**
 * The `n` preset ids nearest to `id` by edit distance (Levenshtein), for an "unknown preset"
 * message: measured on the whole id when `id` names a provider ("provider/..."), else on the
 * model part alone; ties keep the table's order.
 */
export function nearestPresets(id: string, n = 3): string[] {
  const query = id.toLowerCase();
  const whole = query.includes("/");
  return tablePresets()
    .map((p, order) => ({ id: p.id, order, d: distance(query, (whole ? p.id : p.model).toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.order - b.order)
    .slice(0, n)
    .map((c) => c.id);
}

/** The write price for a cache lifetime: the 1-hour price above 300 s where there is one. */
function writePrice(level: { cacheWrite: number; cacheWrite1h: number | null }, oneHour: boolean): number {
  return oneHour && level.cacheWrite1h !== null ? level.cacheWrite1h : level.cacheWrite;
}

/**
 * The scenario-file price a preset stands for, with `caching.ttlSeconds` (null: no TTL): cache
 * writes at the 1-hour price when ttlSeconds > 300 and the table has one, else at the 5-minute
 * price; the long-context tier in full (every price explicit, so no default applies to it).
 * The numbers are the table's own, so the result equals the same prices written by hand.
 */
export function presetPrice(preset: Preset, ttlSeconds: number | null): { price: ScenarioPrice; contextWindow: number | null } {
  const oneHour = ttlSeconds !== null && ttlSeconds > DEFAULT_CACHE_SECONDS;
  const price: ScenarioPrice = {
    input: preset.input,
    output: preset.output,
    cacheRead: preset.cacheRead,
    cacheWrite: writePrice(preset, oneHour),
  };
  const tier = preset.longContext;
  if (tier !== null) {
    price.longContext = { above: tier.above, input: tier.input, output: tier.output, cacheRead: tier.cacheRead, cacheWrite: writePrice(tier, oneHour) };
  }
  return { price, contextWindow: preset.contextWindow };
}
