/**
 * Section 9's presets: a scenario written with `price: {preset}` gives byte-identical closed forms
 * and simulations to the same scenario with the preset's prices (and context window) written by
 * hand, because a preset stands for exactly the numbers a user would type.
 */
import { describe, expect, it } from "vitest";
import { analyzeScenario } from "../src/model/strategy.js";
import { findPreset, presetPrice } from "../src/prices/index.js";
import { parseScenario } from "../src/scenario/load.js";
import { column } from "../src/sim/columns.js";
import { compileParams } from "../src/sim/compile.js";
import { simulateChunk } from "../src/sim/kernel.js";

type Raw = Record<string, unknown>;

function scenario(prices: { strong: unknown; weak: unknown }, windows: { strong?: number; weak?: number } = {}): Raw {
  return {
    name: "presets",
    seed: 1,
    trials: 1000,
    models: {
      strong: { price: prices.strong, bugs: { count: 3, hardFraction: 0.3333333333 }, fix: { easy: 0.9, hard: 0.6 }, ...(windows.strong ? { contextWindow: windows.strong } : {}) },
      weak: { price: prices.weak, bugs: { count: 8, hardFraction: 0.5 }, fix: { easy: 0.7, hard: 0.15 }, ...(windows.weak ? { contextWindow: windows.weak } : {}) },
    },
    tokens: { prompt: 40000, generation: 4000, fixOutput: 800, errorTrace: 2400 },
    strategies: {
      "strong-first": { generator: "strong", fixer: "weak" },
      "weak-first": { generator: "weak", fixer: "strong" },
      escalate: { generator: "weak", ladder: [{ fixer: "weak", attempts: 3 }, { consult: "strong", output: 1500 }, { fixer: "strong" }] },
    },
  };
}

/** The scenario with each preset replaced by the prices and window the table gives, as a user would write them. */
function byHand(presets: { strong: string; weak: string }, ttl: number | null): Raw {
  const hand = (id: string) => presetPrice(findPreset(id)!, ttl);
  const strong = hand(presets.strong);
  const weak = hand(presets.weak);
  return scenario(
    { strong: strong.price, weak: weak.price },
    { ...(strong.contextWindow ? { strong: strong.contextWindow } : {}), ...(weak.contextWindow ? { weak: weak.contextWindow } : {}) },
  );
}

describe("a scenario with presets equals the same scenario with the prices written by hand", () => {
  const pairs = [
    { strong: "anthropic/claude-opus-4-5", weak: "anthropic/claude-haiku-4-5" },
    { strong: "google/gemini-2.5-pro", weak: "google/gemini-2.5-flash" },
    { strong: "openai/gpt-5", weak: "openai/gpt-5-mini" },
  ];
  for (const presets of pairs) {
    it(`${presets.strong} and ${presets.weak}: closed forms and simulated runs, byte for byte`, () => {
      const withPresets = parseScenario(scenario({ strong: { preset: presets.strong }, weak: { preset: presets.weak } }), "presets.yaml");
      const handWritten = parseScenario(byHand(presets, null), "hand.yaml");
      expect(JSON.stringify(analyzeScenario(withPresets))).toBe(JSON.stringify(analyzeScenario(handWritten)));
      for (const st of withPresets.strategies) {
        for (const context of withPresets.contexts) {
          const run = (s: typeof withPresets) => column(simulateChunk(compileParams(s, s.strategies.find((x) => x.name === st.name)!, context), "presets", 5000).columns, 5000, "cost");
          expect(Buffer.from(run(withPresets).buffer).equals(Buffer.from(run(handWritten).buffer))).toBe(true);
        }
      }
    });
  }

  it("a cache lifetime above 5 minutes takes the 1-hour write price where the table has one", () => {
    const presets = { strong: "anthropic/claude-opus-4-5", weak: "anthropic/claude-haiku-4-5" };
    const raw = scenario({ strong: { preset: presets.strong }, weak: { preset: presets.weak } });
    raw.caching = { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 3600 };
    const hand = byHand(presets, 3600);
    hand.caching = { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 3600 };
    const a = parseScenario(raw, "presets.yaml");
    expect(a.models.strong!.price.cacheWrite).toBe(10 / 1e6); // Opus 4.5: $10 per million for 1-hour writes
    expect(JSON.stringify(analyzeScenario(a))).toBe(JSON.stringify(analyzeScenario(parseScenario(hand, "hand.yaml"))));
  });

  it("a cache lifetime where no time passes (no speed, no tool time) expires nothing: the closed forms and runs of no lifetime, at its write price (an audit: the escalation lost its closed form)", () => {
    const presets = { strong: "anthropic/claude-opus-4-5", weak: "anthropic/claude-haiku-4-5" };
    const raw = scenario({ strong: { preset: presets.strong }, weak: { preset: presets.weak } });
    raw.caching = { readMultiplier: 0.1, writeMultiplier: 1.25, ttlSeconds: 3600 };
    const withLifetime = parseScenario(raw, "presets.yaml");
    // the same 1-hour write prices written by hand, and no lifetime
    const without = parseScenario(byHand(presets, 3600), "hand.yaml");
    expect(without.caching.ttlSeconds).toBeNull();
    const analyzed = analyzeScenario(withLifetime);
    expect(analyzed.filter((a) => a.strategy === "escalate").map((a) => a.reason)).toEqual([null, null]);
    expect(JSON.stringify(analyzed)).toBe(JSON.stringify(analyzeScenario(without)));
    for (const st of withLifetime.strategies) {
      const run = (s: typeof withLifetime) => column(simulateChunk(compileParams(s, s.strategies.find((x) => x.name === st.name)!, "shared"), "ttl", 5000).columns, 5000, "cost");
      expect(Buffer.from(run(withLifetime).buffer).equals(Buffer.from(run(without).buffer))).toBe(true);
    }
    // with a clock, the lifetime counts again: a multi-rung ladder has no closed form
    const timed = parseScenario({ ...raw, toolSeconds: 30 }, "timed.yaml");
    expect(analyzeScenario(timed).find((a) => a.strategy === "escalate")!.reason).toMatch(/cache expiry with a multi-rung ladder/);
  });
});

describe("a price with a preset and another key", () => {
  it("says how to change one of its prices (the prices audit: 'unknown key' for a price key)", () => {
    const raw = scenario({ strong: { preset: "anthropic/claude-opus-4-5", cacheWrite: 5 }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(raw, "s.yaml")).toThrow(
      /^s\.yaml: models\.strong\.price\.cacheWrite: a price with a preset takes no other key: to change one of its prices, write them all by hand \(agentsim prices "anthropic\/claude-opus-4-5" lists them\)$/,
    );
  });
});

describe("a price with a preset and another key, the preset spelt another way", () => {
  it("names the table's id for agentsim prices, which filters by text (a review: it found no dated spelling)", () => {
    const raw = scenario({ strong: { preset: "anthropic/claude-opus-4-5-20251101", cacheWrite: 5 }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(raw, "s.yaml")).toThrow(/\(agentsim prices "anthropic\/claude-opus-4-5" lists them\)$/);
  });
});

describe("a table entry that is no preset", () => {
  it("says why (the prices audit: 'unknown preset' for an entry of the table)", () => {
    const raw = scenario({ strong: { preset: "perplexity/sonar" }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(raw, "s.yaml")).toThrow(
      /^s\.yaml: models\.strong\.price\.preset: "perplexity\/sonar" is in the price table but is no preset: it also charges a fee per request, beside the token prices agentsim counts$/,
    );
  });
});

describe("a preset name that the table's rules match only by its start", () => {
  it("is one line naming the id it would have been priced as (an audit: -fast, a mode at 6x, priced as claude-opus-4-6)", () => {
    const raw = scenario({ strong: { preset: "anthropic/claude-opus-4-6-fast" }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(raw, "s.yaml")).toThrow(
      /^s\.yaml: models\.strong\.price\.preset: unknown preset "anthropic\/claude-opus-4-6-fast": not a spelling of anthropic\/claude-opus-4-6, which the price table's rules match by a pattern, such as a common start \(another mode or a typo may have other prices\); write anthropic\/claude-opus-4-6 if you mean it$/,
    );
    // an alias the entry lists by name is named as such, not taken (the prices audit: worded as a
    // common start; a review: taken, mistral-medium-3 was priced as Medium 3.5)
    const alias = scenario({ strong: { preset: "mistral/mistral-medium-3" }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(alias, "s.yaml")).toThrow(
      /^s\.yaml: models\.strong\.price\.preset: unknown preset "mistral\/mistral-medium-3": the price table lists it as an alias of mistral\/mistral-medium-3-5, whose prices it would take \(the table files some other models so\); write mistral\/mistral-medium-3-5 if you mean it$/,
    );
  });
});

describe("a preset name no table id can be", () => {
  it("is one short line: empty, or longer than any id (the prices audit: 900 KB took 16 s of edit distances and was echoed whole)", () => {
    const long = scenario({ strong: { preset: `openai/${"x".repeat(100_000)}` }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    let message = "";
    try {
      parseScenario(long, "s.yaml");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^s\.yaml: models\.strong\.price\.preset: must be at most 200 characters, as every id of the price table is, got "openai\/x{73}"\.\.\. \(100,007 characters\)$/);
    const empty = scenario({ strong: { preset: "" }, weak: { preset: "anthropic/claude-haiku-4-5" } });
    expect(() => parseScenario(empty, "s.yaml")).toThrow(/^s\.yaml: models\.strong\.price\.preset: must not be empty: a provider\/model id of the price table \(agentsim prices lists them\), got ""$/);
  });
});
