/**
 * The reference's own reading of a raw scenario (the YAML shape, prices in $ per million tokens)
 * for ladders, per-model prices, tiers, Beta rates and random counts (docs/model.md sections 8-10), with its own defaults. Written without src/.
 */
import type { RawDist } from "./closedForm.js";
import { countLaw, rateLaw, type CountLaw, type RateLaw } from "./laws.js";

export type Context = "shared" | "fresh";

/** Prices of one tier, $ per token. */
export interface TierPrices {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface ModelPrices {
  base: TierPrices;
  /** long-context tier: every request whose whole input exceeds `above` is priced at it */
  tier: (TierPrices & { above: number }) | null;
  /** books new/cached input as cacheWrite/cacheRead; otherwise everything as uncachedInput */
  caches: boolean;
}

/** A fix-rate source: a model's `fix` or a rung's own `fix` (docs/model.md section 10: one draw per bug each). */
export interface RateSource {
  /** the dotted key, e.g. `models.weak.fix` or `strategies.advised.ladder[2].fix` */
  key: string;
  easy: RateLaw;
  hard: RateLaw;
}

export interface Regressions {
  /** mean new bugs per successful fix */
  r: number;
  poisson: boolean;
  /** probability that a new bug is hard */
  phiR: number;
}

export interface LModel {
  name: string;
  prices: ModelPrices;
  count: CountLaw;
  phi: number;
  /** exact assignment (whole fixed count, not binomial) */
  exact: boolean;
  fix: RateSource;
  speed: { ttft: number; tps: number } | null;
  regressions: Regressions | null;
  contextWindow: number | null;
}

export type Rung =
  | { kind: "fix"; model: string; attempts: number | null; source: RateSource; ownFix: boolean }
  | { kind: "consult"; model: string; output: number };

export interface LStrategy {
  name: string;
  generator: string;
  rungs: Rung[];
}

export interface LScenario {
  models: Record<string, LModel>;
  L0: number;
  G0: number;
  /** fixOutput and errorTrace distributions (the closed forms use their means) */
  G: RawDist;
  E: RawDist;
  g: number;
  alpha: number;
  w: number;
  hasCaching: boolean;
  ttl: number | null;
  tool: RawDist | null;
  contexts: Context[];
  strategies: LStrategy[];
  hasLimits: boolean;
  compaction: { summary: number } | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Per-model prices (docs/model.md section 9):
 *   cacheRead  = price.cacheRead  ?? input * caching.readMultiplier  (1 without a caching section)
 *   cacheWrite = price.cacheWrite ?? input * caching.writeMultiplier (1 without a caching section)
 *   tier cacheRead/cacheWrite default: tier input * (base cacheRead / base input), the same for
 *   writes; with a base input price of 0, tier input * the caching multipliers.
 * A model caches when the scenario has a caching section or its price (or its tier) gives cacheRead/cacheWrite.
 */
export function readPrices(price: any, alpha: number, w: number, hasCaching: boolean): ModelPrices {
  if (price.preset !== undefined) throw new Error("reference: price presets are not supported; write prices by hand");
  const input = price.input as number;
  const cacheRead = (price.cacheRead as number | undefined) ?? input * alpha;
  const cacheWrite = (price.cacheWrite as number | undefined) ?? input * w;
  const base: TierPrices = { input: input / 1e6, output: price.output / 1e6, cacheRead: cacheRead / 1e6, cacheWrite: cacheWrite / 1e6 };
  let tier: ModelPrices["tier"] = null;
  if (price.longContext) {
    const lc = price.longContext;
    const readRatio = input > 0 ? cacheRead / input : alpha;
    const writeRatio = input > 0 ? cacheWrite / input : w;
    tier = {
      above: lc.above,
      input: lc.input / 1e6,
      output: lc.output / 1e6,
      cacheRead: (lc.cacheRead ?? lc.input * readRatio) / 1e6,
      cacheWrite: (lc.cacheWrite ?? lc.input * writeRatio) / 1e6,
    };
  }
  const lcKeys = price.longContext as { cacheRead?: number; cacheWrite?: number } | undefined;
  const caches = hasCaching || price.cacheRead !== undefined || price.cacheWrite !== undefined || lcKeys?.cacheRead !== undefined || lcKeys?.cacheWrite !== undefined;
  return { base, tier, caches };
}

function readSource(key: string, fix: any): RateSource {
  return { key, easy: rateLaw(fix.easy), hard: rateLaw(fix.hard) };
}

export function readLadderScenario(raw: Record<string, unknown>): LScenario {
  const r = raw as any;
  const hasCaching = r.caching !== undefined;
  const alpha = r.caching?.readMultiplier ?? 1;
  const w = r.caching?.writeMultiplier ?? 1;
  const models: Record<string, LModel> = {};
  for (const [name, m] of Object.entries<any>(r.models)) {
    const count = countLaw(m.bugs.count);
    const exact = count.kind === "fixed" && m.bugs.assignment !== "binomial";
    models[name] = {
      name,
      prices: readPrices(m.price, alpha, w, hasCaching),
      count,
      phi: m.bugs.hardFraction,
      exact,
      fix: readSource(`models.${name}.fix`, m.fix),
      speed: m.speed ? { ttft: m.speed.ttftSeconds, tps: m.speed.outputTokensPerSecond } : null,
      regressions:
        m.regressions && m.regressions.probability > 0
          ? { r: m.regressions.probability, poisson: m.regressions.offspring === "poisson", phiR: m.regressions.hardFraction }
          : null,
      contextWindow: m.contextWindow ?? null,
    };
  }
  const names = Object.keys(models);
  const strategies: LStrategy[] = r.strategies
    ? Object.entries<any>(r.strategies).map(([name, s]) => readStrategy(name, s, models))
    : names.flatMap((gen) => names.map((fix) => readStrategy(`${gen}-${fix}`, { generator: gen, fixer: fix }, models)));
  return {
    models,
    L0: r.tokens.prompt,
    G0: r.tokens.generation,
    G: r.tokens.fixOutput,
    E: r.tokens.errorTrace,
    g: r.tokens.errorGrowth ?? 0,
    alpha,
    w,
    hasCaching,
    ttl: r.caching?.ttlSeconds ?? null,
    tool: r.toolSeconds ?? null,
    contexts: r.contexts ?? ["shared", "fresh"],
    strategies,
    hasLimits:
      r.limits !== undefined && (r.limits.maxAttemptsPerBug !== undefined || r.limits.maxAttemptsPerRun !== undefined),
    compaction: r.compaction ?? null,
  };
}

/** `{ generator, fixer }` is the one-rung ladder `[{ fixer }]`. */
function readStrategy(name: string, s: any, models: Record<string, LModel>): LStrategy {
  const rawRungs: any[] = s.ladder ?? [{ fixer: s.fixer }];
  const rungs: Rung[] = rawRungs.map((rung, i) => {
    if (rung.consult !== undefined) return { kind: "consult", model: rung.consult, output: rung.output ?? 0 };
    const model = models[rung.fixer];
    if (!model) throw new Error(`reference: unknown fixer ${rung.fixer}`);
    const ownFix = rung.fix !== undefined;
    return {
      kind: "fix",
      model: rung.fixer,
      attempts: rung.attempts ?? null,
      source: ownFix ? readSource(`strategies.${name}.ladder[${i}].fix`, rung.fix) : model.fix,
      ownFix,
    };
  });
  return { name, generator: s.generator, rungs };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
