/**
 * Price presets: known entries against the providers' published list prices, the mapping of the
 * table onto docs/model.md section 9 checked against the package's own price engine, name lookup and
 * suggestions, the 5-minute / 1-hour write choice, and `agentsim prices` as built.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calcPrice, waitForUpdate, type ModelInfo, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { scratchFolder } from "./scratch.js";
import { parse } from "yaml";
import { TABLE, findPreset, listPresets, matchedOtherwise, nearestPresets, presetPrice, type Preset } from "../src/prices/index.js";
import { levelOf, tierThreshold } from "../src/prices/table.js";

const ROOT = join(__dirname, "..");
const preset = (id: string): Preset => {
  const p = findPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
};

describe("known presets match the providers' published list prices ($ per million tokens)", () => {
  // Anthropic's pricing page: Sonnet 4.5 $3 in / $15 out, cache hits $0.30, 5-minute writes $3.75
  // (1.25x), 1-hour writes $6 (2x); above 200K input tokens $6 / $22.50, hits $0.60, writes $7.50 / $12.
  it("anthropic/claude-sonnet-4-5, with its >200K tier", () => {
    expect(preset("anthropic/claude-sonnet-4-5")).toMatchObject({
      input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6,
      longContext: { above: 200000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 },
      contextWindow: 200000,
    });
  });

  // Opus 4.5: $5 / $25, hits $0.50, writes $6.25 (5 min) / $10 (1 h). Haiku 4.5: $1 / $5, $0.10, $1.25 / $2.
  it("anthropic/claude-opus-4-5 and claude-haiku-4-5, without a tier", () => {
    expect(preset("anthropic/claude-opus-4-5")).toMatchObject({ input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, cacheWrite1h: 10, longContext: null });
    expect(preset("anthropic/claude-haiku-4-5")).toMatchObject({ input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25, cacheWrite1h: 2, longContext: null });
  });

  // OpenAI: GPT-5 $1.25 / $10, cached input $0.125; mini $0.25 / $2 / $0.025; nano $0.05 / $0.40 /
  // $0.005. OpenAI charges no cache-write premium, so a write costs the input price; no 1-hour price.
  it("the GPT-5 family: writes at the input price", () => {
    expect(preset("openai/gpt-5")).toMatchObject({ input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25, cacheWrite1h: null, longContext: null, contextWindow: 400000 });
    expect(preset("openai/gpt-5-mini")).toMatchObject({ input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0.25 });
    expect(preset("openai/gpt-5-nano")).toMatchObject({ input: 0.05, output: 0.4, cacheRead: 0.005, cacheWrite: 0.05 });
  });

  // Google: Gemini 2.5 Pro $1.25 / $10 up to 200K prompt tokens, $2.50 / $15 above; context caching
  // $0.125 / $0.25. Gemini 2.5 Flash $0.30 / $2.50, caching $0.03. No write premium in the table.
  it("google/gemini-2.5-pro (>200K tier) and gemini-2.5-flash", () => {
    expect(preset("google/gemini-2.5-pro")).toMatchObject({
      input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25, cacheWrite1h: null,
      longContext: { above: 200000, input: 2.5, output: 15, cacheRead: 0.25, cacheWrite: 2.5, cacheWrite1h: null },
    });
    expect(preset("google/gemini-2.5-flash")).toMatchObject({ input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0.3, longContext: null });
  });
});

describe("presetPrice: the scenario price a preset stands for", () => {
  it("gives the very doubles of the same prices written by hand in YAML", () => {
    const byHand = parse(
      "input: 3\noutput: 15\ncacheRead: 0.3\ncacheWrite: 6\nlongContext: { above: 200000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 12 }\n",
    );
    const { price } = presetPrice(preset("anthropic/claude-sonnet-4-5"), 3600);
    expect(price).toStrictEqual(byHand);
    expect(JSON.stringify(price)).toBe(JSON.stringify(byHand));
  });

  it("writes at the 1-hour price only when the TTL is above 300 s and the table has one", () => {
    const sonnet = preset("anthropic/claude-sonnet-4-5");
    const writes = (ttl: number | null) => {
      const { price } = presetPrice(sonnet, ttl);
      return [price.cacheWrite, price.longContext?.cacheWrite];
    };
    expect(writes(null)).toEqual([3.75, 7.5]);
    expect(writes(300)).toEqual([3.75, 7.5]);
    expect(writes(301)).toEqual([6, 12]);
    expect(writes(3600)).toEqual([6, 12]);
    expect(presetPrice(preset("openai/gpt-5"), 3600).price.cacheWrite).toBe(1.25);
  });

  it("has no longContext key without a tier, and carries the context window", () => {
    const { price, contextWindow } = presetPrice(preset("anthropic/claude-haiku-4-5"), null);
    expect(Object.keys(price)).toEqual(["input", "output", "cacheRead", "cacheWrite"]);
    expect(contextWindow).toBe(200000);
    expect(presetPrice(preset("google/gemini-2.5-pro"), null).contextWindow).toBeNull();
  });
});

describe("the table's tiers map onto one long-context tier", () => {
  const set = (prices: ModelPrice) => prices;
  it("a key without tiers keeps its price above the threshold; a missing cache price is the level's input price", () => {
    const s = set({ input_mtok: { base: 2, tiers: [{ start: 1000, price: 4 }] }, output_mtok: 8, cache_read_mtok: 0.2 });
    expect(tierThreshold(s)).toBe(1000);
    const listed = { cacheReadListed: true, cacheWriteListed: false };
    expect(levelOf(s, false)).toEqual({ input: 2, output: 8, cacheRead: 0.2, cacheWrite: 2, cacheWrite1h: null, ...listed });
    expect(levelOf(s, true)).toEqual({ input: 4, output: 8, cacheRead: 0.2, cacheWrite: 4, cacheWrite1h: null, ...listed });
  });

  it("several tiers, or different thresholds per key, do not fit (no preset); no tiers give null", () => {
    expect(tierThreshold(set({ input_mtok: { base: 1, tiers: [{ start: 10, price: 2 }, { start: 20, price: 3 }] }, output_mtok: 1 }))).toBeUndefined();
    expect(tierThreshold(set({ input_mtok: { base: 1, tiers: [{ start: 10, price: 2 }] }, output_mtok: { base: 1, tiers: [{ start: 20, price: 3 }] } }))).toBeUndefined();
    expect(tierThreshold(set({ input_mtok: 1, output_mtok: 2 }))).toBeNull();
  });

  it("every preset prices text requests as the package's own engine does at the day's peak, at and above the threshold", async () => {
    // Independent check of the mapping: the package's calcPrice on the same table entry, on the
    // table's as-of date, taking the highest price over the day (every half hour) for entries with
    // hourly prices. Both sides add four products of doubles, so they may differ by a few ulps: a
    // relative bound of 1e-12 leaves room for that and nothing else.
    const providers = (await waitForUpdate()) as Provider[];
    const entry = new Map(providers.flatMap((p) => p.models.map((m) => [`${p.id}/${m.id}`, [p, m] as [Provider, ModelInfo]])));
    const noon = [new Date(`${TABLE.asOf}T12:00:00Z`)];
    const halfHours = Array.from({ length: 48 }, (_, i) => new Date(Date.parse(`${TABLE.asOf}T00:15:00Z`) + i * 1_800_000));
    let checked = 0;
    for (const p of listPresets()) {
      const [provider, model] = entry.get(p.id)!;
      const only: Provider = { ...provider, models: [{ ...model, match: { equals: model.id } }] };
      const instants = Array.isArray(model.prices) ? halfHours : noon;
      const inputs = p.longContext ? [p.longContext.above, p.longContext.above + 1] : [100000];
      for (const X of inputs) {
        const level = p.longContext && X > p.longContext.above ? p.longContext : p;
        for (const oneHour of p.cacheWrite1h === null ? [false] : [false, true]) {
          const read = Math.floor(X / 2), write = Math.floor(X * 0.3), output = 777;
          const usage = { input_tokens: X, cache_read_tokens: read, cache_write_tokens: write, output_tokens: output, ...(oneHour ? { cache_write_1h_tokens: write } : {}) };
          const theirs = Math.max(...instants.map((timestamp) => calcPrice(usage, model.id, { provider: only, timestamp })!.total_price));
          const writePrice = oneHour ? level.cacheWrite1h! : level.cacheWrite;
          const ours = ((X - read - write) * level.input + read * level.cacheRead + write * writePrice + output * level.output) / 1e6;
          expect(Math.abs(ours - theirs), `${p.id} at ${X} tokens${oneHour ? ", 1h writes" : ""}`).toBeLessThanOrEqual(1e-12 * theirs);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1400);
  });
});

describe("the table as a whole", () => {
  it("is the pinned version that package.json asks for and node_modules holds", () => {
    const ours = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const installed = JSON.parse(readFileSync(join(ROOT, "node_modules", TABLE.package, "package.json"), "utf8"));
    expect(ours.dependencies[TABLE.package]).toBe(TABLE.version);
    expect(installed.version).toBe(TABLE.version);
  });

  it("has ids that differ in more than case, and only finite, non-negative prices", () => {
    const all = listPresets();
    expect(new Set(all.map((p) => p.id.toLowerCase())).size).toBe(all.length);
    for (const p of all) {
      const levels = p.longContext ? [p, p.longContext] : [p];
      for (const l of levels) {
        for (const x of [l.input, l.output, l.cacheRead, l.cacheWrite, l.cacheWrite1h ?? 0]) expect(Number.isFinite(x) && x >= 0, p.id).toBe(true);
      }
      if (p.longContext) expect(Number.isInteger(p.longContext.above) && p.longContext.above > 0, p.id).toBe(true);
    }
  });

  it("leaves out entries agentsim cannot price: per-request fees, separate reasoning prices, no token prices", () => {
    expect(findPreset("perplexity/sonar")).toBeUndefined(); // $5 per 1000 requests on top of tokens
    expect(findPreset("perplexity/sonar-deep-research")).toBeUndefined(); // reasoning tokens priced apart
    expect(findPreset("openai/text-embedding-3-small")).toBeUndefined(); // input only
  });

  it("uses the prices in effect on the as-of date and names later scheduled ones", () => {
    // Sonnet 4.6's >200K tier ends on 2026-03-13 in the table, before the as-of date.
    expect(preset("anthropic/claude-sonnet-4-6").longContext).toBeNull();
    expect(preset("google/gemini-3.6-flash").nextPriceChange).toBe("2027-01-01");
    expect(preset("anthropic/claude-sonnet-4-5").nextPriceChange).toBeNull();
  });

  it("takes the peak-hour prices where the table has cheaper off-peak hours", () => {
    // DeepSeek's standard (daytime) V3 prices: $0.27 in (cache miss), $0.07 cache hit, $1.10 out;
    // half price off-peak (16:30-00:30 UTC).
    expect(preset("deepseek/deepseek-chat")).toMatchObject({ input: 0.27, cacheRead: 0.07, output: 1.1, offPeak: true });
    expect(preset("anthropic/claude-sonnet-4-5").offPeak).toBe(false);
  });
});

describe("finding presets by name", () => {
  it("ignores case and returns the table's spelling", () => {
    expect(findPreset("Anthropic/Claude-Sonnet-4-5")?.id).toBe("anthropic/claude-sonnet-4-5");
    expect(findPreset("baseten/deepseek-ai/deepseek-v4-pro")?.id).toBe("baseten/deepseek-ai/DeepSeek-V4-Pro");
  });

  it("reads API model names through the table's matching rules (dated snapshots, dotted versions)", () => {
    expect(findPreset("anthropic/claude-sonnet-4-5-20250929")?.id).toBe("anthropic/claude-sonnet-4-5");
    expect(findPreset("anthropic/claude-sonnet-4.5")?.id).toBe("anthropic/claude-sonnet-4-5");
    expect(findPreset("openai/gpt-5-2025-08-07")?.id).toBe("openai/gpt-5");
    expect(findPreset("anthropic/claude-sonnet-4-20250514")?.id).toBe("anthropic/claude-sonnet-4-0");
    expect(findPreset("anthropic/claude-3-opus")?.id).toBe("anthropic/claude-3-opus-latest");
  });

  it("does not take an alias the entry's own rules list by name: the table files other models so too (a review: mistral-medium-3 priced as Medium 3.5)", () => {
    expect(findPreset("x-ai/grok-4")).toBeUndefined(); // equals: grok-4, under grok-4-0709
    expect(findPreset("mistral/mistral-medium-3")).toBeUndefined(); // equals, under mistral-medium-3-5
    expect(matchedOtherwise("x-ai/grok-4")).toEqual({ id: "x-ai/grok-4-0709", alias: true });
    expect(matchedOtherwise("mistral/mistral-medium-3")).toEqual({ id: "mistral/mistral-medium-3-5", alias: true });
    expect(matchedOtherwise("anthropic/claude-opus-4-6-fast")).toEqual({ id: "anthropic/claude-opus-4-6", alias: false });
    expect(matchedOtherwise("anthropic/claude-sonnet-4-5-20250929")).toBeUndefined(); // a spelling: findPreset takes it
  });

  it("does not take a name the rules match only by its prefix (another mode, another price, a typo; an audit: -fast priced at a sixth)", () => {
    expect(findPreset("anthropic/claude-opus-4-6-fast")).toBeUndefined(); // 6x the price of claude-opus-4-6
    expect(findPreset("anthropic/claude-haiku-4-5-batch")).toBeUndefined();
    expect(findPreset("anthropic/claude-sonnet-4-55")).toBeUndefined();
  });

  it("needs the provider, and does not hand out another provider's entry", () => {
    expect(findPreset("claude-sonnet-4-5")).toBeUndefined();
    expect(findPreset("nosuch/gpt-5")).toBeUndefined();
    expect(findPreset("anthropic/claude-sonet-4-5")).toBeUndefined();
    expect(findPreset("anthropic/")).toBeUndefined();
    // the table lets google fall back to anthropic's entries; a google preset must be google's own
    expect(findPreset("anthropic/claude-2")).toBeDefined();
    expect(findPreset("google/claude-2")).toBeUndefined();
  });

  it("suggests the nearest ids for a misspelt one", () => {
    expect(nearestPresets("anthropic/claude-sonet-4-5")[0]).toBe("anthropic/claude-sonnet-4-5");
    expect(nearestPresets("anthropic/claude-sonet-4-5")).toHaveLength(3);
    expect(nearestPresets("anthropic/claude-sonet-4-5", 5)).toHaveLength(5);
    expect(nearestPresets("claude-haiku-4-5")[0]).toBe("anthropic/claude-haiku-4-5"); // the model part alone; ties in table order
    expect(findPreset(nearestPresets("claude-haiku-4.5")[0]!)?.model).toBe("claude-haiku-4.5");
    expect(nearestPresets("openai/gtp-5-mini")[0]).toBe("openai/gpt-5-mini");
  });

  it("filters by id or name, case-insensitively", () => {
    expect(listPresets("CLAUDE-SONNET-4-5").map((p) => p.id)).toContain("anthropic/claude-sonnet-4-5");
    expect(listPresets("Claude Haiku 4.5").map((p) => p.id)).toContain("anthropic/claude-haiku-4-5");
    expect(listPresets("no such model")).toEqual([]);
  });
});

describe("agentsim prices (the built CLI)", () => {
  const CLI = join(ROOT, "dist", "agentsim.mjs"); // the bin, as built by `npm test`
  function agentsim(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
    const { COLUMNS: _unset, ...rest } = process.env;
    const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: "utf8", env: { ...rest, ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  /** The table's lines: from the column heads to the blank line after the rows. */
  const tableLines = (stdout: string) => stdout.split("\n\n")[1]!.split("\n");

  it("prints every column for a filter on a wide terminal", () => {
    const { code, stdout } = agentsim(["prices", "claude-sonnet-4-5"], { COLUMNS: "200" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ presets matching "claude-sonnet-4-5", \$ per million tokens\n\(@pydantic\/genai-prices 0\.1\.8: list prices in effect on 2026-09-23\)/);
    expect(stdout).toMatch(/^anthropic\/claude-sonnet-4-5\s+3\s+15\s+0\.3\s+3\.75\s+6\s+200,000\s+6\s+22\.5\s+0\.6\s+7\.5\s+12\s+200,000$/m);
    expect(stdout).toMatch(/exceeds "tier above" tokens/);
  });

  it("fits an 80-column terminal by leaving columns out, and says so", () => {
    const { code, stdout } = agentsim(["prices", "claude"], { COLUMNS: "80" });
    expect(code).toBe(0);
    for (const line of tableLines(stdout)) expect(line.length).toBeLessThanOrEqual(80);
    expect(stdout).toMatch(/Hidden at this width: \d+ columns \(see --json\)/);
    expect(stdout).toMatch(/^anthropic\/claude-sonnet-4-5\s+3\s+15\b/m);
  });

  it("fits 100 columns when stdout is no terminal, wrapping the longest ids after a slash", () => {
    const { code, stdout } = agentsim(["prices"]);
    expect(code).toBe(0);
    for (const line of stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    expect(stdout).toMatch(/^huggingface_sambanova\/tokyotech-llm\/\s+0\.6\s+1\.2\b.*\nLlama-3\.3-Swallow-70B-Instruct-v0\.4$/m);
  });

  it("fits 40 columns, notes included: ids break after a slash, else after a hyphen", () => {
    const { code, stdout } = agentsim(["prices"], { COLUMNS: "40" });
    expect(code).toBe(0);
    for (const line of stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(stdout).toMatch(/^anthropic\/\s+0\.8\s+4\nclaude-3-5-haiku-\nlatest$/m);
    expect(stdout).toMatch(/^deepseek\/deepseek-chat: peak-hour\n  prices;/m);
  });

  it("stops quietly when its reader closes the pipe early (agentsim prices | head)", () => {
    // pipefail: the pipeline fails when agentsim does (it crashed on EPIPE, exit 1)
    const line = `set -o pipefail; "${process.execPath}" "${CLI}" prices | head -n 1 > /dev/null`;
    const r = spawnSync("bash", ["-c", line], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("--json gives the table's version and every preset field", () => {
    const out = JSON.parse(agentsim(["prices", "gemini-2.5-pro", "--json"]).stdout);
    expect(out.table).toEqual({ package: "@pydantic/genai-prices", version: "0.1.8", asOf: "2026-09-23" });
    expect(out.filter).toBe("gemini-2.5-pro");
    const pro = out.presets.find((p: Preset) => p.id === "google/gemini-2.5-pro");
    expect(pro).toEqual({ ...preset("google/gemini-2.5-pro") });
    expect(out.presets.every((p: Preset) => p.id.toLowerCase().includes("gemini-2.5-pro") || p.name?.toLowerCase().includes("gemini-2.5-pro"))).toBe(true);
  });

  it("brackets a cache price the table does not give (the input price), and says so (the prices audit: a $3 read looked listed)", () => {
    const { stdout } = agentsim(["prices", "claude-3.7-sonnet"], { COLUMNS: "120" });
    expect(stdout).toMatch(/^openrouter\/anthropic\/claude-3\.7-sonnet +3 +15 +\(3\) +\(3\)$/m);
    expect(stdout).toMatch(/^openrouter\/claude-3\.7-sonnet +3 +15 +0\.3 +3\.75$/m);
    expect(stdout).toContain("(x): a cache price the table does not give; the input price applies.");
    const json = JSON.parse(agentsim(["prices", "claude-3.7-sonnet", "--json"]).stdout);
    expect(json.presets.map((p: { cacheReadListed: boolean; cacheWriteListed: boolean }) => [p.cacheReadListed, p.cacheWriteListed])).toEqual([[false, false], [true, true]]);
  });

  it("a filter that matches nothing says so with the nearest ids, exit 0, wrapped to the width", () => {
    const { code, stdout, stderr } = agentsim(["prices", "claude-sonet-4-5"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.replace(/\n {2}/g, " ")).toBe(`no presets match "claude-sonet-4-5" (nearest: ${nearestPresets("claude-sonet-4-5").join(", ")})\n`);
    // 66 columns at COLUMNS=40, unwrapped
    for (const line of agentsim(["prices", "zzzz"], { COLUMNS: "40" }).stdout.trimEnd().split("\n")) expect(line.length).toBeLessThanOrEqual(40);
    expect(JSON.parse(agentsim(["prices", "claude-sonet-4-5", "--json"]).stdout).presets).toEqual([]);
    // echoed with what does not print escaped (a right-to-left override turned the line around), a long one shortened
    expect(agentsim(["prices", "\u202e"]).stdout).toMatch(/^no presets match "\\u202e" \(nearest: /);
    expect(agentsim(["prices", "x".repeat(300)]).stdout).toMatch(/^no presets match "x{30}…x{29}" /);
  });

  it("a full name that is no table id is said as a scenario reads it: a preset's spelling, another entry's alias or pattern, an entry that is no preset (the prices audit: 'no presets match'; a review: the ids it is part of, unsaid)", () => {
    const dated = agentsim(["prices", "anthropic/claude-sonnet-4-5-20250929"], { COLUMNS: "200" });
    expect(dated.code).toBe(0);
    expect(dated.stdout).toMatch(/^"anthropic\/claude-sonnet-4-5-20250929" is the preset anthropic\/claude-sonnet-4-5, as a scenario reads that name\.\n\n1 preset, \$ per million tokens\n/);
    expect(dated.stdout).toMatch(/^anthropic\/claude-sonnet-4-5 +3 +15 /m);
    // an alias: refused by a scenario, said so above the ids it is part of
    const alias = agentsim(["prices", "x-ai/grok-4"], { COLUMNS: "200" }).stdout;
    expect(alias).toMatch(/^"x-ai\/grok-4" is no preset: the price table lists it as an alias of x-ai\/grok-4-0709, which a scenario does not take for it \(write x-ai\/grok-4-0709 if you mean it\)\.\n\n\d+ presets matching "x-ai\/grok-4"/);
    expect(JSON.parse(agentsim(["prices", "x-ai/grok-4-latest", "--json"]).stdout).presets).toEqual([]);
    expect(agentsim(["prices", "anthropic/claude-opus-4-6-fast"], { COLUMNS: "300" }).stdout).toBe(
      '"anthropic/claude-opus-4-6-fast" is no preset: the price table\'s rules match it to anthropic/claude-opus-4-6 by a pattern, such as a common start, which a scenario does not take for it (write anthropic/claude-opus-4-6 if you mean it).\n',
    );
    expect(agentsim(["prices", "openai/text-embedding-3-small"], { COLUMNS: "200" }).stdout).toBe(
      '"openai/text-embedding-3-small" is in the price table but is no preset, as it has no price per input or output token (an embedding, speech or unpriced entry).\n',
    );
    // other presets contain the text: they are listed, after why the entry itself is not one
    expect(agentsim(["prices", "perplexity/sonar"], { COLUMNS: "200" }).stdout).toMatch(
      /^"perplexity\/sonar" is in the price table but is no preset, as it also charges a fee per request, beside the token prices agentsim counts\.\n\n5 presets matching "perplexity\/sonar"/,
    );
  });

  it("a tier beyond the context window is said never to be paid (the prices audit: Sonnet 4.5's listed without remark)", () => {
    const { stdout } = agentsim(["prices", "anthropic/claude-sonnet-4-5"], { COLUMNS: "200" });
    expect(stdout).toContain("anthropic/claude-sonnet-4-5: its tier is for input above 200,000 tokens, more than its context window (200,000) holds: never paid.");
    expect(agentsim(["prices", "google/gemini-2.5-pro"], { COLUMNS: "200" }).stdout).not.toContain("never paid"); // no window in the table
  });

  it("an empty filter is none: every preset, not '1,463 presets matching \"\"'", () => {
    expect(agentsim(["prices", ""]).stdout.split("\n")[0]).toBe(agentsim(["prices"]).stdout.split("\n")[0]);
  });

  it("touches no network: every connection attempt would fail the run", () => {
    // A preload that makes any socket, DNS lookup or fetch throw before the CLI starts.
    const dir = scratchFolder("prices");
    const guard = join(dir, "no-network.mjs");
    writeFileSync(
      guard,
      `import net from "node:net"; import dns from "node:dns";
       const deny = (what) => () => { throw new Error("network used: " + what); };
       net.Socket.prototype.connect = deny("socket"); dns.lookup = deny("dns"); dns.promises.lookup = deny("dns");
       globalThis.fetch = deny("fetch");\n`,
    );
    const probe = spawnSync(process.execPath, ["--import", guard, "-e", "fetch('http://127.0.0.1:9')"], { encoding: "utf8" });
    expect(probe.stderr).toMatch(/network used: fetch/); // the guard does bite
    const { code, stdout, stderr } = agentsim(["prices", "--json"], {}, ["--import", guard]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).presets.length).toBe(listPresets().length);
  });
});
