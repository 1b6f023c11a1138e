/** What a price preset is: one model's list prices from the price table, in $ per million tokens. */

/** The prices of one level (the base level, or the long-context tier), $ per million tokens. */
export interface PriceLevel {
  input: number;
  output: number;
  /** cached input read back; the input price where the table has no cache-read price */
  cacheRead: number;
  /** new input written to the cache with the default (5-minute) lifetime; the input price where
   * the table has no cache-write price (the provider charges no write premium) */
  cacheWrite: number;
  /** new input written to the cache with a 1-hour lifetime, where the table has that price */
  cacheWrite1h: number | null;
  /** whether the table gives the cache read and write prices (else they are the input price) */
  cacheReadListed: boolean;
  cacheWriteListed: boolean;
}

/** Prices for a request whose whole input (new + cached) exceeds `above` tokens: every token of it. */
export interface LongContextTier extends PriceLevel {
  above: number;
}

export interface Preset extends PriceLevel {
  /** `provider/model`, as the table spells it: "anthropic/claude-sonnet-4-5" */
  id: string;
  provider: string;
  model: string;
  /** the table's display name ("Claude Sonnet 4.5"), if it has one */
  name: string | null;
  longContext: LongContextTier | null;
  /** tokens, if the table gives it */
  contextWindow: number | null;
  deprecated: boolean;
  /** a date (YYYY-MM-DD) after the table's as-of date on which the table schedules new prices
   * for this model; those prices are not used */
  nextPriceChange: string | null;
  /** whether the table has cheaper prices for some hours of the day; the preset takes the peak */
  offPeak: boolean;
}

/** A scenario file's `models.<m>.price`, $ per million tokens (docs/model.md, section 9). */
export interface ScenarioPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  longContext?: { above: number; input: number; output: number; cacheRead: number; cacheWrite: number };
}
