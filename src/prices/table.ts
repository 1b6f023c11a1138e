/**
 * The price table: the data bundled with @pydantic/genai-prices, read offline and turned into presets.
 *
 * How the package organises it: a list of providers (id "anthropic", "openai", "google", ...), each
 * with models (id "claude-sonnet-4-5", optional name, context_window, deprecated, and `match`
 * rules for the model names an API reports). A model's `prices` is one price set, or a list of
 * sets with constraints (from a start date on, or during hours of the day). A price
 * set maps keys to prices; the key's suffix is its unit (`_mtok`: $ per million tokens). The
 * token keys agentsim uses are input_mtok, output_mtok, cache_read_mtok, cache_write_mtok (the
 * default, 5-minute write) and cache_write_1h_mtok. A cached-token key that is absent means those
 * tokens are billed as plain input. A price is a number, or `{ base, tiers: [{ start, price }] }`:
 * the package charges every token of that key at the price of the last tier whose `start` the
 * request's whole input (`input_tokens`: new + cache read + cache write) exceeds, else at `base`.
 * Prices are written in the package's code as decimal literals (3.75, 0.3), so they are the very
 * doubles a YAML file with the same decimals gives: no arithmetic is done on them here.
 *
 * Offline: the data is part of the package's code; the package fetches nothing by itself and
 * changes its data only through updatePrices(), which agentsim never calls. waitForUpdate() then
 * resolves at once to the bundled providers.
 */
import { calcPrice, waitForUpdate, type ConditionalPrice, type MatchLogic, type ModelInfo, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import type { PriceLevel, Preset } from "./types.js";

/**
 * The table in use. `version` is the exact version in package.json (a test checks both against
 * the installed package); `asOf` is the date that version was published to npm: presets take the
 * prices in effect on that day, so a preset's numbers do not change with the day agentsim runs.
 */
export const TABLE = { package: "@pydantic/genai-prices", version: "0.1.8", asOf: "2026-09-23" } as const;

const PROVIDERS: readonly Provider[] = (await waitForUpdate()) ?? [];

/** The keys of a price set that a preset reads. */
const TOKEN_KEYS = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_1h_mtok"] as const;
type TokenKey = (typeof TOKEN_KEYS)[number];

/**
 * Keys for other media and for tool calls (audio, images, video, documents, web searches, code
 * execution): an agentsim request has none of them, so their prices do not change its cost. Any
 * other key (per-request fees, reasoning or text-only token prices, 5-minute-only writes) would,
 * and a model priced with one is not a preset.
 */
const OTHER_USAGE = /audio|image|video|pixels|document|searches|executions/;

type TablePrice = ModelPrice[string];

/**
 * The model's prices on `date` (YYYY-MM-DD). The table may give a model several price sets: one
 * without a constraint; sets from a start date on (the latest on or before `date` replaces it);
 * and sets for hours of the day (DeepSeek's peak hours), which replace it during those hours. A
 * preset takes the day's peak: of the sets in force at some hour of `date`, the one with the
 * highest input (then output) price, so that it never understates a request's cost. `offPeak`
 * says whether cheaper sets apply at other hours of the day.
 */
export function pricesOn(model: ModelInfo, date: string): { set: ModelPrice; offPeak: boolean } {
  if (!Array.isArray(model.prices)) return { set: model.prices, offPeak: false };
  let base = model.prices.find((s) => s.constraint === undefined) ?? model.prices[0]!;
  let since = "";
  for (const s of model.prices) {
    const start = startDate(s.constraint);
    if (start !== null && start <= date && start >= since) [base, since] = [s, start];
  }
  const inForce = [base, ...model.prices.filter((s) => s.constraint?.type === "time_of_date")].map((s) => s.prices);
  const peak = inForce.reduce((a, b) => (comparePrices(b, a) > 0 ? b : a));
  return { set: peak, offPeak: inForce.some((s) => comparePrices(s, peak) < 0) };
}

/** Positive when set `a` charges more than `b` at the base level: by input price, then output price. */
function comparePrices(a: ModelPrice, b: ModelPrice): number {
  const base = (set: ModelPrice, key: TokenKey) => priceOf(set[key], false) ?? 0;
  return base(a, "input_mtok") - base(b, "input_mtok") || base(a, "output_mtok") - base(b, "output_mtok");
}

/** The first date after `date` on which the table gives the model new prices, or null. */
export function nextPriceChange(model: ModelInfo, date: string): string | null {
  if (!Array.isArray(model.prices)) return null;
  const later = model.prices.map((set) => startDate(set.constraint)).filter((d): d is string => d !== null && d > date);
  return later.length ? later.sort()[0]! : null;
}

function startDate(constraint: ConditionalPrice["constraint"]): string | null {
  return constraint?.type === "start_date" ? constraint.start_date : null;
}

/**
 * The one tier threshold of a price set: the `start` shared by every tiered token price, null
 * without tiers, undefined when the tiers do not fit agentsim's single long-context tier (more
 * than one tier, or different thresholds for different keys).
 */
export function tierThreshold(set: ModelPrice): number | null | undefined {
  const starts = new Set<number>();
  for (const key of TOKEN_KEYS) {
    const p = set[key];
    if (typeof p !== "object") continue;
    if (p.tiers.length !== 1) return undefined;
    starts.add(p.tiers[0]!.start);
  }
  if (starts.size > 1) return undefined;
  return starts.size === 1 ? [...starts][0]! : null;
}

/** One key's price at the base level or in the tier; a flat price is the same in both. */
function priceOf(p: TablePrice, inTier: boolean): number | undefined {
  if (p === undefined || typeof p === "number") return p;
  return inTier ? p.tiers[0]!.price : p.base;
}

/**
 * The prices of one level. The table's tier semantics are docs/model.md section 9's: a request whose
 * whole input exceeds the threshold pays the tier price for every token of a tiered key, and a
 * key without tiers keeps its price above the threshold, so the tier lists it unchanged. An
 * absent cache price bills those tokens as input, at the input price of the same level.
 */
export function levelOf(set: ModelPrice, inTier: boolean): PriceLevel {
  const at = (key: TokenKey) => priceOf(set[key], inTier);
  const input = at("input_mtok")!;
  const [read, write] = [at("cache_read_mtok"), at("cache_write_mtok")];
  return {
    input,
    output: at("output_mtok")!,
    cacheRead: read ?? input,
    cacheWrite: write ?? input,
    cacheWrite1h: at("cache_write_1h_mtok") ?? null,
    cacheReadListed: read !== undefined,
    cacheWriteListed: write !== undefined,
  };
}

/**
 * The preset a table entry stands for, or why agentsim cannot price its requests with it: no
 * input or output token price (embeddings, speech, free entries with no prices), a key that would
 * change the price of text tokens beyond the five agentsim reads (a fee per request), or tiers
 * that are not a single long-context tier.
 */
function presetOrReason(provider: Provider, model: ModelInfo): Preset | string {
  const { set, offPeak } = pricesOn(model, TABLE.asOf);
  if (set.input_mtok === undefined || set.output_mtok === undefined) return "it has no price per input or output token (an embedding, speech or unpriced entry)";
  const other = Object.keys(set).find((key) => !(TOKEN_KEYS as readonly string[]).includes(key) && !OTHER_USAGE.test(key));
  if (other !== undefined) return `it also charges ${other.startsWith("requests") ? "a fee per request" : `by "${other}"`}, beside the token prices agentsim counts`;
  const above = tierThreshold(set);
  if (above === undefined) return "its prices have more than one long-context tier";
  return {
    id: `${provider.id}/${model.id}`,
    provider: provider.id,
    model: model.id,
    name: model.name ?? null,
    ...levelOf(set, false),
    longContext: above === null ? null : { above, ...levelOf(set, true) },
    contextWindow: model.context_window ?? null,
    deprecated: model.deprecated ?? false,
    nextPriceChange: nextPriceChange(model, TABLE.asOf),
    offPeak,
  };
}

/** The preset a table entry stands for, or null where agentsim cannot price it (presetOrReason). */
export function toPreset(provider: Provider, model: ModelInfo): Preset | null {
  const preset = presetOrReason(provider, model);
  return typeof preset === "string" ? null : preset;
}

/** Why the table's entry `id` (provider/model, any case) is no preset, or null where it is one or is not in the table. */
export function whyNoPreset(id: string): string | null {
  const key = id.toLowerCase();
  for (const provider of PROVIDERS) {
    for (const model of provider.models) {
      if (`${provider.id}/${model.id}`.toLowerCase() !== key) continue;
      const preset = presetOrReason(provider, model);
      return typeof preset === "string" ? preset : null;
    }
  }
  return null;
}

let presets: readonly Preset[] | undefined;

/** Every preset, in the table's order (providers, then their models). */
export function tablePresets(): readonly Preset[] {
  presets ??= PROVIDERS.flatMap((provider) =>
    provider.models.map((model) => toPreset(provider, model)).filter((p): p is Preset => p !== null),
  );
  return presets;
}

/** The number of entries in the table, presets or not. */
export function tableEntryCount(): number {
  return PROVIDERS.reduce((n, provider) => n + provider.models.length, 0);
}

/**
 * The `provider/model` id of the entry that the table's own `match` rules give for an API model
 * name of that provider ("claude-sonnet-4-5-20250929", "claude-sonnet-4.5"), as the package's
 * calcPrice resolves it, and whether one of those rules names it exactly (`equals`: an alias the
 * table lists, "grok-4" for "grok-4-0709"), not by a start, an end or a pattern; undefined when
 * the provider is not in the table or no entry of its own matches (another provider's entry,
 * reached through the table's fallbacks, does not count).
 */
export function matchedId(providerId: string, modelName: string): { id: string; alias: boolean } | undefined {
  const provider = PROVIDERS.find((p) => p.id === providerId);
  if (!provider || modelName === "") return undefined;
  const result = calcPrice({}, modelName, { providerId: provider.id, timestamp: new Date(`${TABLE.asOf}T00:00:00Z`) });
  if (!result || !provider.models.includes(result.model)) return undefined;
  return { id: `${provider.id}/${result.model.id}`, alias: namesExactly(result.model.match, modelName) };
}

/** Whether a rule lists `name` itself (an `equals` clause of it or of an `or`), any case. */
function namesExactly(rule: MatchLogic, name: string): boolean {
  if ("equals" in rule) return rule.equals.toLowerCase() === name.toLowerCase();
  if ("or" in rule) return rule.or.some((r) => namesExactly(r, name));
  return false;
}
