/**
 * The assumptions of the base model that a scenario may drop (docs/model.md, sections 5 and 10), declared once:
 * for each, whether a scenario drops it, and how the base model's scenario puts it back. A run
 * reports the base formula's error (the bias) for every scenario that uses one, and the sweep CSV
 * carries the extension columns for it.
 */
import { isLadder } from "./ladder.js";
import type { FixRate, ModelSpec, Scenario } from "./types.js";

export interface Extension {
  name: string;
  used: (s: Scenario) => boolean;
  /** the scenario with this assumption back in place */
  base: (s: Scenario) => Scenario;
}

const anyModel = (s: Scenario, f: (m: ModelSpec) => boolean) => Object.values(s.models).some(f);
const mapModels = (s: Scenario, f: (m: ModelSpec) => ModelSpec): Scenario => ({
  ...s,
  models: Object.fromEntries(Object.entries(s.models).map(([k, m]) => [k, f(m)])),
});
const fixed = (r: FixRate): FixRate => (r.kind === "beta" ? { kind: "fixed", p: r.mean } : r);

/** Whether limits cap the attempts (per bug or per run): every run's cost is then bounded. */
export function capsAttempts(s: Scenario): boolean {
  return s.limits.maxAttemptsPerBug !== null || s.limits.maxAttemptsPerRun !== null;
}

export const EXTENSIONS: readonly Extension[] = [
  {
    name: "binomial difficulty",
    used: (s) => anyModel(s, (m) => m.assignment === "binomial" && m.bugs.kind === "fixed"),
    base: (s) => mapModels(s, (m) => (m.bugs.kind === "fixed" ? { ...m, assignment: "exact" } : m)),
  },
  {
    name: "random bug counts",
    used: (s) => anyModel(s, (m) => m.bugs.kind !== "fixed"),
    base: (s) => mapModels(s, (m) => (m.bugs.kind === "fixed" ? m : { ...m, bugs: { kind: "fixed", count: m.bugs.mean }, assignment: "binomial" })),
  },
  {
    name: "beta fix rates",
    used: (s) => anyModel(s, (m) => m.fix.easy.kind === "beta" || m.fix.hard.kind === "beta") || s.strategies.some((st) => st.ladder.some((r) => r.kind === "fix" && r.fix !== null && (r.fix.easy.kind === "beta" || r.fix.hard.kind === "beta"))),
    base: (s) => ({
      ...mapModels(s, (m) => ({ ...m, fix: { easy: fixed(m.fix.easy), hard: fixed(m.fix.hard) } })),
      strategies: s.strategies.map((st) => ({
        ...st,
        ladder: st.ladder.map((r) => (r.kind === "fix" && r.fix ? { ...r, fix: { easy: fixed(r.fix.easy), hard: fixed(r.fix.hard) } } : r)),
      })),
    }),
  },
  {
    name: "cache expiry",
    used: (s) => s.caching.ttlSeconds !== null,
    base: (s) => ({ ...s, caching: { ...s.caching, ttlSeconds: null } }),
  },
  {
    name: "time",
    used: (s) => s.toolSeconds !== null || anyModel(s, (m) => m.speed !== null),
    base: (s) => s, // time changes no cost by itself
  },
  {
    name: "variable tokens",
    used: (s) => s.tokens.fixOutput.kind !== "constant" || s.tokens.errorTrace.kind !== "constant",
    base: (s) => s, // the closed forms use the means
  },
  {
    name: "error-trace growth",
    used: (s) => s.tokens.errorGrowth > 0,
    base: (s) => ({ ...s, tokens: { ...s.tokens, errorGrowth: 0 } }),
  },
  {
    name: "regressions",
    used: (s) => anyModel(s, (m) => m.regressions !== null),
    base: (s) => mapModels(s, (m) => ({ ...m, regressions: null })),
  },
  {
    name: "retry caps",
    used: (s) => capsAttempts(s),
    base: (s) => ({ ...s, limits: { maxAttemptsPerBug: null, maxAttemptsPerRun: null } }),
  },
  {
    name: "context windows",
    used: (s) => anyModel(s, (m) => m.contextWindow !== null),
    base: (s) => ({ ...mapModels(s, (m) => ({ ...m, contextWindow: null })), compaction: null }),
  },
  {
    name: "fix ladders",
    used: (s) => s.strategies.some((st) => isLadder(st.ladder)),
    base: (s) => s, // a ladder is a strategy, not an assumption: its base formula keeps it
  },
];

/** Whether a scenario uses any extension (beyond the base model). */
export function usesExtensions(s: Scenario): boolean {
  return EXTENSIONS.some((e) => e.used(s));
}

/**
 * The base model's scenario: every dropped assumption put back (exact difficulty classes, a fixed
 * count at the mean, fixed rates at the beta means, no expiry, growth, regressions, caps or windows).
 * Only the assumptions the scenario drops are put back, so a scenario of the base model is its own
 * base (the same object: the closed forms then see one shape of scenario, and need not run twice).
 */
export function baseScenario(s: Scenario): Scenario {
  return EXTENSIONS.reduce((acc, e) => (e.used(acc) ? e.base(acc) : acc), s);
}
