/**
 * Closed forms of a fix ladder (section 8) in both contexts, from the bugs' schedules
 * (schedule.ts): expected tokens by model, tier (base or long-context) and kind (new, cached,
 * output), priced afterwards.
 *
 * Fresh context: a bug's conversation starts at L1 with every cache cold, so each potential
 * request's input X = L1 + w, its cached tokens (the same model's previous input in the bug) and
 * its tier are fixed; a bug's expected tokens are the reach-weighted sum over its requests.
 *
 * Shared context (bugs one after another in one conversation, no tier, no expiry): the cache rule
 * telescopes. Model m's new tokens over the conversation add up to the input of its last request,
 * NEW_m = X_last(m) (0 if m never spoke); its cached tokens are the sum of its requests' inputs,
 * INPUTS_m, minus NEW_m. A request of bug b by m reads X = L1 + S_b + w, with S_b the growth of
 * the bugs before b, so
 *   INPUTS_m = sum_b n_m(b) (L1 + S_b) + W_m(b),   W_m(b) = sum of w over m's requests in bug b,
 *   NEW_m = sum_b 1{m speaks in b, silent in every later bug} (L1 + S_b + w_last,m(b)),
 * and their expectations need, per class, E[n_m], E[W_m], E[D] (a bug's growth), pi_m = P(m
 * speaks in a bug) and omega_m = E[1{m speaks} w_last,m]. Bugs are independent given their
 * classes; under exact assignment the classes come in a uniformly random order (docs/model.md, section 8), which
 * makes the pairs in INPUTS half one order, half the other, and NEW_m an integral over a bug's
 * uniform time (see exactNewTokens).
 */
import type { ModelSpec } from "../scenario/types.js";
import { tierReachable, tokenLimit } from "./prices.js";
import { countMean, countPmf, countVariance, exactClasses } from "./counts.js";
import { noTokens, type FixTokens } from "./fixCost.js";
import { gaussLegendre } from "./quadrature.js";
import { rateMoment, tailSum } from "./rates.js";
import { tailReach, type BugSchedule } from "./schedule.js";

/** Expected tokens of one model, at its base tier and at its long-context tier. */
export interface TieredTokens {
  base: FixTokens;
  tier: FixTokens;
}

export type TokensByModel = Map<string, TieredTokens>;

/** Tokens that never reach a long-context tier (none at all by default): a fresh object each call. */
export const untiered = (base: FixTokens = noTokens()): TieredTokens => ({ base, tier: noTokens() });

function tally(tokens: TokensByModel, model: string): TieredTokens {
  let t = tokens.get(model);
  if (!t) tokens.set(model, (t = untiered()));
  return t;
}

function add(into: FixTokens, weight: number, inputNew: number, inputCached: number, output: number): void {
  into.inputNew += weight * inputNew;
  into.inputCached += weight * inputCached;
  into.output += weight * output;
}

/** The input above which a model's requests pay its long-context tier (Infinity: never; see tokenLimit). */
export function threshold(model: ModelSpec): number {
  return tierReachable(model) ? tokenLimit(model.price.longContext!.above) : Infinity;
}

/** The input above which a model's requests overflow its context window (Infinity: none; see tokenLimit). */
export function windowLimit(model: ModelSpec): number {
  return model.contextWindow === null ? Infinity : tokenLimit(model.contextWindow);
}

/**
 * The first attempt t >= 2 of a run of attempts whose input X_t = X1 + (t - 1) Delta exceeds
 * `above`: X_t > above  <=>  t - 1 > (above - X1)/Delta.
 */
export function firstAbove(X1: number, delta: number, above: number): number {
  if (above === Infinity) return Infinity;
  if (X1 + delta > above) return 2;
  if (delta <= 0) return Infinity;
  return Math.floor((above - X1) / delta) + 2;
}

/**
 * A fresh conversation's expected tokens for one bug, by model and tier. Finite requests: X = L1
 * + w, cached = L1 + w of the model's previous request in the bug (0 if none), new = X - cached.
 * The unbounded tail: attempt 1 reads X1 = L1 + w (new X1 - P, cached P); attempt t >= 2 reads
 * Delta new and X1 + (t - 2) Delta cached, so the tail's sums are tailSum's with
 * new: (A, B) = (Delta, 0), cached: (X1 - 2 Delta, Delta), output: (G, 0), split where X_t passes
 * the tier's threshold.
 */
export function freshBugTokens(schedule: BugSchedule, models: Record<string, ModelSpec>, L1: number): TokensByModel {
  // remembered per schedule (bugSchedule's: a scan over a price meets them at every value) by all
  // else they are made of, L1 and the models' tier thresholds; callers read them only
  const key = JSON.stringify([L1, Object.entries(models).map(([name, m]) => [name, threshold(m)])]);
  let known = freshTokensOf.get(schedule);
  if (!known) freshTokensOf.set(schedule, (known = new Map()));
  let tokens = known.get(key);
  if (!tokens) known.set(key, (tokens = bugTokens(schedule, models, L1)));
  return tokens;
}

const freshTokensOf = new WeakMap<BugSchedule, Map<string, TokensByModel>>();

function bugTokens(schedule: BugSchedule, models: Record<string, ModelSpec>, L1: number): TokensByModel {
  const tokens: TokensByModel = new Map();
  for (const r of schedule.requests) {
    const X = L1 + r.w;
    const cached = r.previousW >= 0 ? L1 + r.previousW : 0;
    const t = tally(tokens, r.model);
    add(X > threshold(models[r.model]!) ? t.tier : t.base, r.reach, X - cached, cached, r.output);
  }
  const tail = schedule.tail;
  if (tail && tail.factor > 0) {
    const t = tally(tokens, tail.model);
    const above = threshold(models[tail.model]!);
    const X1 = L1 + tail.w;
    const P = tail.previousW >= 0 ? L1 + tail.previousW : 0;
    add(X1 > above ? t.tier : t.base, tailReach(tail, 1), X1 - P, P, tail.output);
    const split = Math.max(2, firstAbove(X1, tail.delta, above));
    const range = (from: number, to: number, A: number, B: number) =>
      from > to ? 0 : tail.factor * (tailSum(tail.rate, tail.failed, from, A, B) - (to === Infinity ? 0 : tailSum(tail.rate, tail.failed, to + 1, A, B)));
    const d = tail.delta;
    const part = (from: number, to: number): FixTokens => ({
      inputNew: range(from, to, d, 0),
      inputCached: range(from, to, X1 - 2 * d, d),
      output: range(from, to, tail.output, 0),
    });
    const below = part(2, split - 1);
    const beyond = split === Infinity ? noTokens() : part(split, Infinity);
    add(t.base, 1, below.inputNew, below.inputCached, below.output);
    add(t.tier, 1, beyond.inputNew, beyond.inputCached, beyond.output);
  }
  return tokens;
}

/** What the shared context needs of one bug of one class, per model m (see the module comment). */
export interface SharedModelStats {
  /** E[n_m]: requests */
  requests: number;
  /** E[W_m]: sum of the in-bug growth before each of m's requests */
  inputsW: number;
  /** E[output tokens of m] */
  output: number;
  /** pi_m = P(m speaks in the bug) */
  speaks: number;
  /** omega_m = E[1{m speaks} w of m's last request] */
  lastW: number;
}

export interface SharedBugStats {
  /** E[D]: the bug's growth of the conversation */
  growth: number;
  byModel: Map<string, SharedModelStats>;
}

/**
 * Per-bug expectations of the shared context from a schedule. For the unbounded tail (attempt t
 * made with probability rho_t = factor M(f + t - 1, 0), at in-bug growth w0 + (t - 1) Delta):
 * sum rho_t = factor M(f, 1); sum rho_t (w0 + (t-1) Delta) = tailSum with (A, B) = (w0 - Delta, Delta);
 * and the last attempt's w, by Abel summation, sum_t (rho_t - rho_{t+1}) w_t = rho_1 w0 + Delta sum_{t>=2} rho_t.
 */
export function sharedBugStats(schedule: BugSchedule): SharedBugStats {
  let stats = bugStatsOf.get(schedule);
  if (!stats) bugStatsOf.set(schedule, (stats = bugStats(schedule)));
  return stats;
}

/** sharedBugStats of the schedules bugSchedule remembers: each read only, as they are. */
const bugStatsOf = new WeakMap<BugSchedule, SharedBugStats>();

function bugStats(schedule: BugSchedule): SharedBugStats {
  const byModel = new Map<string, SharedModelStats>();
  const stats = (m: string) => {
    let s = byModel.get(m);
    if (!s) byModel.set(m, (s = { requests: 0, inputsW: 0, output: 0, speaks: -1, lastW: 0 }));
    return s;
  };
  const requests = schedule.requests;
  const tail = schedule.tail;
  // P(reaching the next request of the same model) after each request: the tail's first when
  // the tail is that model's, 0 when none; from one pass backwards (a search forward from each
  // request took O(n^2) on a rung of 10,000 attempts)
  const nextReach = new Float64Array(requests.length);
  const reachOf = new Map<string, number>();
  for (let i = requests.length - 1; i >= 0; i--) {
    const m = requests[i]!.model;
    nextReach[i] = reachOf.get(m) ?? (tail && tail.model === m ? tailReach(tail, 1) : 0);
    reachOf.set(m, requests[i]!.reach);
  }
  let growth = 0;
  requests.forEach((r, i) => {
    const s = stats(r.model);
    s.requests += r.reach;
    s.inputsW += r.reach * r.w;
    s.output += r.reach * r.output;
    if (s.speaks < 0) s.speaks = r.reach;
    growth += r.reach * r.growth;
    // P(this is m's last request) = P(reach it) - P(reach m's next one)
    s.lastW += (r.reach - nextReach[i]!) * r.w;
  });
  if (tail && tail.factor > 0) {
    const s = stats(tail.model);
    const first = tailReach(tail, 1);
    const attempts = tail.factor * rateMoment(tail.rate, tail.failed, 1);
    s.requests += attempts;
    s.inputsW += tail.factor * tailSum(tail.rate, tail.failed, 1, tail.w - tail.delta, tail.delta);
    s.output += tail.output * attempts;
    if (s.speaks < 0) s.speaks = first;
    s.lastW += first * tail.w + tail.delta * (attempts - first);
    growth += tail.delta * attempts;
  }
  for (const s of byModel.values()) if (s.speaks < 0) s.speaks = 0;
  return { growth, byModel };
}

/** A model's conversation-level expected inputs, new tokens and output in shared context. */
export interface SharedModelTokens {
  inputs: number;
  newTokens: number;
  output: number;
}

const noStats: SharedModelStats = { requests: 0, inputsW: 0, output: 0, speaks: 0, lastW: 0 };

/**
 * The shared context's expected tokens by model for a generator's bugs, from the two classes'
 * per-bug stats. Cached tokens are inputs - new (the telescoping identity).
 */
export function sharedRunTokens(generator: ModelSpec, easy: SharedBugStats, hard: SharedBugStats, L1: number): Map<string, FixTokens> {
  const out = new Map<string, FixTokens>();
  const models = new Set([...easy.byModel.keys(), ...hard.byModel.keys()]);
  for (const m of models) {
    const e = easy.byModel.get(m) ?? noStats;
    const h = hard.byModel.get(m) ?? noStats;
    const t = runTokens(generator, e, h, easy.growth, hard.growth, L1);
    out.set(m, { inputNew: t.newTokens, inputCached: t.inputs - t.newTokens, output: t.output });
  }
  return out;
}

function runTokens(generator: ModelSpec, e: SharedModelStats, h: SharedModelStats, De: number, Dh: number, L1: number): SharedModelTokens {
  const phi = generator.hardFraction;
  const count = generator.bugs;
  const exact = exactClasses(generator);
  if (exact) {
    const { easy: eb, hard: hb } = exact;
    // every pair of distinct bugs is in each order half the time
    const pairs = (hb * (hb - 1) * h.requests * Dh + eb * (eb - 1) * e.requests * De + hb * eb * (h.requests * De + e.requests * Dh)) / 2;
    return {
      inputs: hb * (h.requests * L1 + h.inputsW) + eb * (e.requests * L1 + e.inputsW) + pairs,
      newTokens: exactNewTokens(hb, eb, e, h, De, Dh, L1),
      output: hb * h.output + eb * e.output,
    };
  }
  const mix = (x: number, y: number) => (1 - phi) * x + phi * y;
  const n = mix(e.requests, h.requests);
  const W = mix(e.inputsW, h.inputsW);
  const D = mix(De, Dh);
  const speaks = mix(e.speaks, h.speaks);
  const lastW = mix(e.lastW, h.lastW);
  const out = mix(e.output, h.output);
  const Eq = countMean(count);
  const pairs = countVariance(count) + Eq * Eq - Eq; // E[q (q - 1)]
  const newTokens = binomialNewTokens(countPmf(count), speaks, lastW, D, L1);
  return { inputs: Eq * (n * L1 + W) + (n * D * pairs) / 2, newTokens, output: Eq * out };
}

/**
 * E[NEW_m] for i.i.d. bugs, averaged over the bug count's PMF. For q bugs,
 * N(q) = sum_{j=0}^{q-1} sigma^j [pi (L1 + (q - 1 - j) D) + omega], sigma = 1 - pi
 * (bug q - j is the last where m speaks when the j bugs after it are silent).
 * With A(q) = sum_{j<q} sigma^j and B(q) = sum_{j<q} (q - 1 - j) sigma^j,
 * N(q) = (pi L1 + omega) A(q) + pi D B(q), A(q + 1) = A(q) + sigma^q and B(q + 1) = B(q) + A(q):
 * every count of the PMF in one pass, O(q) rather than O(q^2), by sums of terms >= 0.
 */
function binomialNewTokens(pmf: Float64Array, speaks: number, lastW: number, D: number, L1: number): number {
  const sigma = 1 - speaks;
  let A = 0;
  let B = 0;
  let power = 1; // sigma^q
  let total = 0;
  for (let q = 0; q < pmf.length; q++) {
    if (pmf[q]! > 0) total += pmf[q]! * ((speaks * L1 + lastW) * A + speaks * D * B);
    B += A;
    A += power;
    power *= sigma;
  }
  return total;
}

/**
 * E[NEW_m] under exact assignment (hb hard, eb easy bugs in a uniformly random order). Give every
 * bug an independent uniform time u: their order is then a uniformly random order. Given the time
 * u of a bug of class c, each of the other bugs comes before it with chance u and after it with
 * chance 1 - u, independently, and m is silent in a later bug of class k with chance sigma_k, so
 * with f_k(u) = u + (1 - u) sigma_k = sigma_k + pi_k u and H, E the other hard and easy bugs,
 *   E[NEW_m] = sum_c n_c int_0^1 [ (pi_c L1 + omega_c) f_h^H f_e^E
 *                                  + pi_c u (H Dh f_h^(H-1) f_e^E + E De f_h^H f_e^(E-1)) ] du
 * (the second line: the bugs before it, each adding its growth). The integrand is a polynomial of
 * degree q - 1 in u, which Gauss-Legendre quadrature of floor(q/2) + 1 nodes integrates exactly:
 * O(q) per class, where a sum over the bugs after it and the hard ones among them (hypergeometric)
 * is O(q^2). A fixed count is at most 1,000 (RANGES.bugCount), so at most 501 nodes.
 */
export function exactNewTokens(hb: number, eb: number, e: SharedModelStats, h: SharedModelStats, De: number, Dh: number, L1: number): number {
  const q = hb + eb;
  if (q === 0) return 0;
  const { nodes, weights } = gaussLegendre(Math.floor(q / 2) + 1);
  let total = 0;
  for (const [count, stats, hard] of [[hb, h, true], [eb, e, false]] as const) {
    if (count === 0) continue;
    const H = hb - (hard ? 1 : 0); // the other bugs, by class
    const E = eb - (hard ? 0 : 1);
    let integral = 0;
    for (let i = 0; i < nodes.length; i++) {
      const u = nodes[i]!;
      const fh = 1 - h.speaks + h.speaks * u;
      const fe = 1 - e.speaks + e.speaks * u;
      // f^(H-1) and f^H from one power (f^(-1) is never used: its factor H is 0)
      const fhBelow = H > 0 ? Math.pow(fh, H - 1) : 0;
      const feBelow = E > 0 ? Math.pow(fe, E - 1) : 0;
      const fhH = H > 0 ? fhBelow * fh : 1;
      const feE = E > 0 ? feBelow * fe : 1;
      const before = u * (H * Dh * fhBelow * feE + E * De * fhH * feBelow);
      integral += weights[i]! * ((stats.speaks * L1 + stats.lastW) * fhH * feE + stats.speaks * before);
    }
    total += count * integral;
  }
  return total;
}
