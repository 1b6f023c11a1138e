/** Model price presets from the price table (@pydantic/genai-prices, offline). Imports nothing from the model or the kernel. */
export { DEFAULT_CACHE_SECONDS, findPreset, listPresets, matchedOtherwise, nearestPresets, presetPrice } from "./presets.js";
export { TABLE, tableEntryCount, whyNoPreset } from "./table.js";
export type { LongContextTier, Preset, PriceLevel, ScenarioPrice } from "./types.js";
