/**
 * Independent reference for ladders, per-model prices and caches, long-context tiers, Beta fix
 * rates and random bug counts (docs/model.md sections 3-5 and 8-10), written without
 * reading src/. Entry point: `referenceStrategy(raw, strategyName, context)`.
 *
 * Methods (each chosen to differ from the textbook closed form where that is cheap):
 *
 * - Fresh context, any ladder ("fresh-requests"): a bug's conversation is deterministic up to
 *   where it stops, so its expected cost is the sum over its *potential requests* of
 *   P(request happens) x cost(request), every request priced by its own model and tier with the
 *   cache rule (P_m = the same model's previous input in the bug's conversation). Fixed-number
 *   rates: the unbounded rung is enumerated until its rest is below 1e-18; Beta rates: a closed
 *   tail from the mixed moments E[(1-p)^K / p^j] (see walk.ts). Regressions: a two-type
 *   (easy/hard) branching process whose expected bug counts are summed generation by generation;
 *   random counts: Wald (E[Q] bugs of the mixed class).
 * - Shared context, one rung ("shared-attempt-pmf" / "shared-attempt-moments"): the t-th attempt of
 *   the conversation reads X_t = L1 + (t-1) Delta, of which X_t - Delta is cached (t >= 2), so
 *   E[C_fix] = sum_{t >= 1} P(T >= t) c(t). With fixed-number rates and a fixed count the PMF of
 *   T is convolved exactly and summed; otherwise c(t) is affine in t beyond ts (tier crossed,
 *   t >= 2) and the sum beyond ts comes from E[T], E[T^2] with the PMF of T below ts (P(T = 0)).
 * - Shared context, any ladder without tiers/TTL/regressions ("shared-blocks"): by the
 *   telescoping identity model m's new tokens are the input of its last request, its cached
 *   tokens the sum of its inputs minus that. Bugs are blocks in sequence; given the order of
 *   classes the blocks are independent, so E[sum of inputs] and E[last input] follow from per-block
 *   expectations. Exact assignment averages over every distinct order of the classes (enumerated;
 *   beyond 5000 orders, a sum over positions with hypergeometric prefix compositions), binomial
 *   and random counts use Q i.i.d. mixed blocks (random Q: summed over the PMF of Q).
 *
 * Context-independent results (no limits, no windows): per rung the reach and attempts, the
 * expected attempts, bugs and consults per run, and the completion probability (a fixed point
 * for regressions).
 */
import { distCdf, distIsConstant, distMean, geometricPmf, convolve } from "./closedForm.js";
import { countMean, countPmf, fixedAtAttempt, mixed, survival, type RateLaw } from "./laws.js";
import {
  readLadderScenario,
  type Context,
  type LModel,
  type LScenario,
  type LStrategy,
  type ModelPrices,
  type Rung,
} from "./ladderScenario.js";
import { blockOf, mixBlocks, walkLadder, type Block, type BugClass, type Walk } from "./walk.js";

export type { Context } from "./ladderScenario.js";

// ---------------------------------------------------------------------------------------------
// Cost categories (docs/model.md section 8): per model, $ per run

export interface Cat {
  uncachedInput: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

export interface ModelCost extends Cat {
  /** the generation call (input and output), generator only */
  generation: number;
  total: number;
}

const CATS = ["uncachedInput", "cacheWrite", "cacheRead", "output"] as const;

export function zeroCat(): Cat {
  return { uncachedInput: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
}

/** into += k c */
function addTo(into: Cat, c: Cat, k = 1): void {
  for (const key of CATS) if (c[key] !== 0) into[key] += k * c[key];
}

function diff(a: Cat, b: Cat): Cat {
  const out = zeroCat();
  for (const key of CATS) out[key] = a[key] - b[key];
  return out;
}

export function catTotal(c: Cat): number {
  return c.uncachedInput + c.cacheWrite + c.cacheRead + c.output;
}

/**
 * Expected cost of one request by a model whose whole input is X tokens, P of them cached (the
 * model's previous input in the conversation), `out` output tokens; with a TTL the cache entry is
 * alive with probability h, else the whole input is new (a miss books P at the write price).
 * The tier applies when X > above, to every part of the request.
 *   caching:  cacheWrite = cw (X - P + (1-h) P),  cacheRead = h cr P
 *   not:      uncachedInput = c_in X
 */
export function requestCost(prices: ModelPrices, X: number, P: number, out: number, h = 1): Cat {
  const t = prices.tier && X > prices.tier.above ? prices.tier : prices.base;
  const c = zeroCat();
  if (prices.caches) {
    c.cacheWrite = t.cacheWrite * (X - P + (1 - h) * P);
    c.cacheRead = h * t.cacheRead * P;
  } else c.uncachedInput = t.input * X;
  c.output = t.output * out;
  return c;
}

/** The generation call: input L0 and output G0 at the generator's prices, its tier when L0 > above. */
export function generationCost(prices: ModelPrices, L0: number, G0: number): number {
  const t = prices.tier && L0 > prices.tier.above ? prices.tier : prices.base;
  return t.input * L0 + t.output * G0;
}

/** h = P(call + tool <= ttl) for the one fixer (1 without a TTL); call = ttft + mean G / tps. */
export function hitProbability(s: LScenario, fixer: LModel): number {
  if (s.ttl === null) return 1;
  const call = fixer.speed ? fixer.speed.ttft + distMean(s.G) / fixer.speed.tps : 0;
  const room = s.ttl - call;
  if (s.tool === null) return room >= 0 ? 1 : 0;
  return distCdf(s.tool, room);
}

// ---------------------------------------------------------------------------------------------
// Where a closed form exists (docs/model.md section 8's list, rules 1-6 in order; rule 7 needs the walks)

function fixPhaseModels(st: LStrategy): string[] {
  return [...new Set(st.rungs.map((r) => r.model))];
}

function fixerRungs(st: LStrategy): Extract<Rung, { kind: "fix" }>[] {
  return st.rungs.filter((r): r is Extract<Rung, { kind: "fix" }> => r.kind === "fix");
}

/** Whether time passes in a strategy's runs, so that a TTL can expire anything: tool time, or a call of a model with a speed. */
function hasClock(s: LScenario, st: LStrategy): boolean {
  return s.tool !== null || [st.generator, ...st.rungs.map((r) => r.model)].some((m) => s.models[m]!.speed !== null);
}

/** The first of docs/model.md section 8's rules 1-6 that denies a closed form, as a short reason; else null. */
export function ruleReason(s: LScenario, st: LStrategy, context: Context): { rule: number; reason: string } | null {
  const oneRung = st.rungs.length === 1;
  const fixModels = fixPhaseModels(st).map((m) => s.models[m]!);
  const fixers = [...new Set(fixerRungs(st).map((r) => r.model))].map((m) => s.models[m]!);
  const randomTokens = !distIsConstant(s.G) || !distIsConstant(s.E);
  const tiered = fixModels.find((m) => m.prices.tier !== null);
  if (s.hasLimits) return { rule: 1, reason: "limits: retry caps have no closed form" };
  const windowed = fixModels.find((m) => m.contextWindow !== null);
  if (windowed) return { rule: 2, reason: `models.${windowed.name}.contextWindow: context windows have no closed form` };
  if (s.ttl !== null && hasClock(s, st)) {
    if (!oneRung) return { rule: 3, reason: "caching.ttlSeconds with a multi-rung ladder has no closed form" };
    if (tiered) return { rule: 3, reason: `caching.ttlSeconds with the long-context tier of models.${tiered.name} has no closed form` };
    if (fixers.some((m) => m.speed !== null) && !distIsConstant(s.G)) {
      return { rule: 3, reason: "caching.ttlSeconds with a fixer speed and a random tokens.fixOutput has no closed form" };
    }
  }
  // a generator that leaves no bug makes no retry for the growth to act on
  const generator = s.models[st.generator]!;
  const leavesBugs = generator.count.kind === "fixed" ? generator.count.q > 0 : generator.count.mean > 0;
  if (s.g > 0 && leavesBugs) {
    const rung = st.rungs[0]!;
    const fixedRates = rung.kind === "fix" && rung.source.easy.kind === "fixed" && rung.source.hard.kind === "fixed";
    if (!(context === "fresh" && oneRung && fixedRates)) {
      return { rule: 4, reason: "tokens.errorGrowth has a closed form only in fresh context, one rung, fixed-number rates" };
    }
  }
  if (tiered) {
    const gen = s.models[st.generator]!;
    const why = randomTokens
      ? "random tokens"
      : context === "shared" && !oneRung
        ? "a multi-rung ladder in shared context"
        : context === "shared" && gen.count.kind !== "fixed"
          ? "a random bug count in shared context"
          : context === "shared" && fixers.some((m) => m.regressions !== null)
            ? "regressions in shared context"
            : null;
    if (why) return { rule: 5, reason: `models.${tiered.name}.price.longContext with ${why} has no closed form` };
  }
  if (context === "shared") {
    const regressing = fixModels.find((m) => m.regressions !== null);
    const bounded = fixerRungs(st).some((r) => r.attempts !== null);
    if (regressing && (!oneRung || bounded)) {
      return {
        rule: 6,
        reason: `models.${regressing.name}.regressions in shared context with ${oneRung ? "a bounded rung" : "a multi-rung ladder"} has no closed form`,
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Bugs: classes, the branching process of regressions, completion

type PerClass<T> = Record<BugClass, T>;
const CLASSES: BugClass[] = ["easy", "hard"];

/** Hard bugs under exact assignment: round(q phi). */
function hardCount(gen: LModel): number {
  return gen.count.kind === "fixed" ? Math.round(gen.count.q * gen.phi) : 0;
}

/** Expected original bugs per run of each class. */
function originalBugs(gen: LModel): PerClass<number> {
  if (gen.count.kind === "fixed" && gen.exact) {
    const H = hardCount(gen);
    return { easy: gen.count.q - H, hard: H };
  }
  const q = countMean(gen.count);
  return { easy: q * (1 - gen.phi), hard: q * gen.phi };
}

/**
 * Expected new bugs of each class per bug of class c: sum over fixer rungs r of
 * P(fixed on r | c) * r_m * (1 - phi_r, phi_r) of the rung's model m (Bernoulli(r) and Poisson(r)
 * offspring both have mean r).
 */
function offspringMatrix(s: LScenario, st: LStrategy, walks: PerClass<Walk>): PerClass<PerClass<number>> {
  const out: PerClass<PerClass<number>> = { easy: { easy: 0, hard: 0 }, hard: { easy: 0, hard: 0 } };
  for (const c of CLASSES) {
    st.rungs.forEach((rung, r) => {
      if (rung.kind !== "fix") return;
      const reg = s.models[rung.model]!.regressions;
      if (!reg) return;
      const fixed = walks[c].fixedAt[r]!;
      out[c].easy += fixed * reg.r * (1 - reg.phiR);
      out[c].hard += fixed * reg.r * reg.phiR;
    });
  }
  return out;
}

/**
 * Expected bugs of each class over all generations: n = n0 + n0 M + n0 M^2 + ..., summed until a
 * generation adds less than 1e-18 of the total (each generation shrinks by at most max r < 1).
 */
export function totalBugs(n0: PerClass<number>, M: PerClass<PerClass<number>>): PerClass<number> {
  const total = { ...n0 };
  let cur = { ...n0 };
  for (let gen = 0; gen < 100_000; gen++) {
    const next = {
      easy: cur.easy * M.easy.easy + cur.hard * M.hard.easy,
      hard: cur.easy * M.easy.hard + cur.hard * M.hard.hard,
    };
    total.easy += next.easy;
    total.hard += next.hard;
    cur = next;
    if (cur.easy + cur.hard <= 1e-18 * (total.easy + total.hard)) break;
  }
  return total;
}

/**
 * P(a bug of class c and every bug descending from it get fixed):
 *   v_c = sum_{fixer rungs r} P(fixed on r | c) G_r((1 - phi_r) v_easy + phi_r v_hard),
 * G_r the offspring PGF of the rung's model (1 - r + r z, or e^(r (z - 1)); 1 without regressions).
 * Iterated from v = 1 (the finite-tree solution), to a change below 1e-17.
 */
function completionPerBug(s: LScenario, st: LStrategy, walks: PerClass<Walk>): PerClass<number> {
  let v = { easy: 1, hard: 1 };
  for (let it = 0; it < 100_000; it++) {
    const next = { easy: 0, hard: 0 };
    for (const c of CLASSES) {
      st.rungs.forEach((rung, r) => {
        if (rung.kind !== "fix") return;
        const fixed = walks[c].fixedAt[r]!;
        if (fixed === 0) return;
        const reg = s.models[rung.model]!.regressions;
        let pgf = 1;
        if (reg) {
          const z = (1 - reg.phiR) * v.easy + reg.phiR * v.hard;
          pgf = reg.poisson ? Math.exp(reg.r * (z - 1)) : 1 - reg.r + reg.r * z;
        }
        next[c] += fixed * pgf;
      });
    }
    const change = Math.abs(next.easy - v.easy) + Math.abs(next.hard - v.hard);
    v = next;
    if (change < 1e-17) break;
  }
  return v;
}

/** P(every bug of a run fixed): exact v_e^(q-H) v_h^H; otherwise E[vbar^Q] summed over Q's PMF. */
function runCompletion(gen: LModel, v: PerClass<number>): number {
  if (gen.count.kind === "fixed" && gen.exact) {
    const H = hardCount(gen);
    return Math.pow(v.easy, gen.count.q - H) * Math.pow(v.hard, H);
  }
  const vbar = (1 - gen.phi) * v.easy + gen.phi * v.hard;
  const pmf = countPmf(gen.count);
  let out = 0;
  for (let q = 0; q < pmf.length; q++) out += pmf[q]! * Math.pow(vbar, q);
  return out;
}

/** Classes that a bug of the run can have with positive probability (original or regression). */
function possibleClasses(s: LScenario, st: LStrategy, gen: LModel): Set<BugClass> {
  const out = possibleOriginal(gen);
  if (out.size === 0) return out;
  for (const rung of fixerRungs(st)) {
    const reg = s.models[rung.model]!.regressions;
    if (!reg) continue;
    if (reg.phiR < 1) out.add("easy");
    if (reg.phiR > 0) out.add("hard");
  }
  return out;
}

function formatA(a: number): string {
  return String(+a.toPrecision(12));
}

/**
 * Rule 7: a Beta rate with a <= 2 met on the unbounded last rung by a class that occurs, when
 * the rung is reached with positive probability: E[1/p^2] diverges, and with it the expected
 * cached input of the rung's run of attempts, which grows by Delta an attempt. With Delta = 0
 * every attempt reads the same tokens, and where that growth is free (the last rung's model reads
 * its cache, or if it does not cache its input, at price 0, always hitting: no TTL, no tier it can
 * reach; what later bugs' requests pay for the growth is linear in it) every attempt costs
 * the same: the cost needs E[1/p] alone, infinite for a <= 1.
 */
function infiniteReason(s: LScenario, st: LStrategy, walks: PerClass<Walk>, Delta: number): string | null {
  const gen = s.models[st.generator]!;
  const last = st.rungs.length - 1;
  const rung = st.rungs[last]!;
  if (rung.kind !== "fix" || rung.attempts !== null) return null;
  const fixer = s.models[rung.model]!;
  const tier = fixer.prices.tier;
  const freeGrowth =
    s.ttl === null &&
    (fixer.prices.caches ? fixer.prices.base.cacheRead : fixer.prices.base.input) === 0 &&
    (tier === null || (fixer.contextWindow !== null && fixer.contextWindow <= tier.above));
  const bound = Delta > 0 && !freeGrowth ? 2 : 1;
  for (const c of possibleClasses(s, st, gen)) {
    const law: RateLaw = rung.source[c];
    if (law.kind === "beta" && law.a <= bound && walks[c].reach[last]! > 0) {
      return `infinite expected cost: ${rung.source.key}.${c} is beta with a = ${formatA(law.a)} <= ${bound} (E[1/p${bound === 2 ? "^2" : ""}] diverges)`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Fresh context

/**
 * Expected cost of one bug in its own conversation: sum over potential requests of
 * P(request) * requestCost(X = L1 + offset, P = L1 + previous offset of the same model, or 0).
 * The linear tail (one tier, n >= n0 >= 2): X_n = X_n0 + (n - n0) Delta, P = X_n - Delta, and
 * requestCost is affine in X within a tier, so sum_n P(n) c(X_n) = Z0 c(X_n0) + Z1 (c(X_n0 + Delta) - c(X_n0)).
 */
export function freshBugCost(walk: Walk, L1: number, prices: Record<string, ModelPrices>, h: number): Record<string, Cat> {
  if (!walk.tokensValid) throw new Error("reference: a closed tail with error-trace growth");
  const out: Record<string, Cat> = {};
  const add = (m: string, c: Cat, k: number) => addTo((out[m] ??= zeroCat()), c, k);
  for (const q of walk.requests) {
    if (q.prob === 0) continue;
    const X = L1 + q.offset;
    const P = q.prevOffset === null ? 0 : L1 + q.prevOffset;
    add(q.model, requestCost(prices[q.model]!, X, P, q.output, h), q.prob);
  }
  const t = walk.tail;
  if (t && t.Z0 > 0) {
    const X0 = L1 + t.offset0;
    const c0 = requestCost(prices[t.model]!, X0, X0 - t.Delta, t.G, h);
    const c1 = requestCost(prices[t.model]!, X0 + t.Delta, X0, t.G, h);
    add(t.model, c0, t.Z0);
    add(t.model, diff(c1, c0), t.Z1);
  }
  return out;
}

/** First attempt number n >= 2 from which L1 + offset1 + (n-1) Delta stays in one tier. */
function tierTailStart(prices: ModelPrices, L1: number, Delta: number, offset1: number): number {
  if (!prices.tier || Delta <= 0) return 2;
  const x = prices.tier.above - L1 - offset1;
  return Math.max(2, x < 0 ? 1 : Math.floor(x / Delta) + 2);
}

// ---------------------------------------------------------------------------------------------
// Shared context, any ladder: blocks

interface ModelTokens {
  /** E[sum of the inputs of the model's requests] */
  sumInputs: number;
  /** E[input of the model's last request] (0 if it never speaks) */
  last: number;
}

/**
 * Given the classes' order (blocks independent given it), for every model m:
 *   E[sum inputs] = sum_j n_j (L1 + sum_{i<j} A_i) + s_j
 *   E[last input] = sum_j prod_{i>j} (1 - pi_i) (pi_j (L1 + sum_{i<j} A_i) + lambda_j)
 * (j is the last block in which m speaks: it speaks there, in no later block).
 */
export function orderTokens(order: Block[], L1: number, models: string[]): Record<string, ModelTokens> {
  const prefix: number[] = [];
  let acc = 0;
  for (const b of order) {
    prefix.push(acc);
    acc += b.growth;
  }
  const out: Record<string, ModelTokens> = {};
  for (const m of models) {
    let sumInputs = 0;
    let last = 0;
    let none = 1;
    for (let j = order.length - 1; j >= 0; j--) {
      const b = order[j]!.models[m]!;
      const start = L1 + prefix[j]!;
      sumInputs += b.requests * start + b.offsetSum;
      last += none * (b.speaks * start + b.lastOffset);
      none *= 1 - b.speaks;
    }
    out[m] = { sumInputs, last };
  }
  return out;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let out = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) out = (out * (n - Math.min(k, n - k) + i)) / i;
  return out;
}

/** Every distinct order of (q - H) easy and H hard blocks, each equally likely: the average. */
export function exactOrdersByEnumeration(easy: Block, hard: Block, q: number, H: number, L1: number, models: string[]): Record<string, ModelTokens> {
  const sum: Record<string, ModelTokens> = {};
  for (const m of models) sum[m] = { sumInputs: 0, last: 0 };
  let count = 0;
  const order: Block[] = [];
  const visit = (e: number, h: number) => {
    if (e === 0 && h === 0) {
      const t = orderTokens(order, L1, models);
      for (const m of models) {
        sum[m]!.sumInputs += t[m]!.sumInputs;
        sum[m]!.last += t[m]!.last;
      }
      count++;
      return;
    }
    if (e > 0) {
      order.push(easy);
      visit(e - 1, h);
      order.pop();
    }
    if (h > 0) {
      order.push(hard);
      visit(e, h - 1);
      order.pop();
    }
  };
  visit(q - H, H);
  for (const m of models) {
    sum[m]!.sumInputs /= count;
    sum[m]!.last /= count;
  }
  return sum;
}

/**
 * The same average as a sum over positions: position j (0-based) follows a prefix of j bugs of
 * which h' are hard with probability C(H, h') C(q-H, j-h') / C(q, j); the bug at j is hard with
 * probability (H - h')/(q - j); the suffix then holds the remaining bugs in any order. The terms
 * of `orderTokens` depend on the prefix's composition, the class at j and the suffix's
 * composition only.
 */
export function exactOrdersByPosition(easy: Block, hard: Block, q: number, H: number, L1: number, models: string[]): Record<string, ModelTokens> {
  const E = q - H;
  const out: Record<string, ModelTokens> = {};
  for (const m of models) {
    const be = easy.models[m]!;
    const bh = hard.models[m]!;
    let sumInputs = 0;
    let last = 0;
    for (let j = 0; j < q; j++) {
      const total = binomial(q, j);
      for (let hp = Math.max(0, j - E); hp <= Math.min(j, H); hp++) {
        const pPrefix = (binomial(H, hp) * binomial(E, j - hp)) / total;
        const start = L1 + (j - hp) * easy.growth + hp * hard.growth;
        for (const [b, remaining, isHard] of [
          [be, E - (j - hp), false],
          [bh, H - hp, true],
        ] as const) {
          if (remaining <= 0) continue;
          const p = (pPrefix * remaining) / (q - j);
          const suffixEasy = E - (j - hp) - (isHard ? 0 : 1);
          const suffixHard = H - hp - (isHard ? 1 : 0);
          const none = Math.pow(1 - be.speaks, suffixEasy) * Math.pow(1 - bh.speaks, suffixHard);
          sumInputs += p * (b.requests * start + b.offsetSum);
          last += p * none * (b.speaks * start + b.lastOffset);
        }
      }
    }
    out[m] = { sumInputs, last };
  }
  return out;
}

export interface SharedOptions {
  /** exact assignment: "auto" enumerates up to 5000 orders, else sums over positions */
  orders?: "auto" | "enumerate" | "position";
}

/**
 * Shared context by blocks: per model, cacheWrite cw * E[last input] and cacheRead
 * cr * (E[sum of inputs] - E[last input]) (a model that does not cache: c_in * E[sum of inputs]),
 * output c_out * E[output tokens]. No tiers, no TTL, no regressions.
 */
export function sharedByBlocks(
  s: LScenario,
  st: LStrategy,
  blocks: PerClass<Block>,
  L1: number,
  options: SharedOptions = {},
): Record<string, Cat> {
  const gen = s.models[st.generator]!;
  const models = fixPhaseModels(st);
  for (const m of models) {
    if (s.models[m]!.prices.tier) throw new Error("reference: the blocks method has no tiers");
    if (s.models[m]!.regressions) throw new Error("reference: the blocks method has no regressions");
  }
  if (s.ttl !== null) throw new Error("reference: the blocks method has no TTL");
  let tokens: Record<string, ModelTokens>;
  const outputs: Record<string, number> = {};
  const n0 = originalBugs(gen);
  if (gen.count.kind === "fixed" && gen.exact) {
    const q = gen.count.q;
    const H = hardCount(gen);
    const mode = options.orders ?? "auto";
    const enumerate = mode === "enumerate" || (mode === "auto" && binomial(q, H) <= 5000);
    tokens = enumerate
      ? exactOrdersByEnumeration(blocks.easy, blocks.hard, q, H, L1, models)
      : exactOrdersByPosition(blocks.easy, blocks.hard, q, H, L1, models);
  } else {
    const mix = mixBlocks(blocks.easy, blocks.hard, gen.phi);
    const pmf = countPmf(gen.count);
    tokens = {};
    for (const m of models) tokens[m] = { sumInputs: 0, last: 0 };
    for (let q = 0; q < pmf.length; q++) {
      if (pmf[q] === 0) continue;
      const t = orderTokens(new Array<Block>(q).fill(mix), L1, models);
      for (const m of models) {
        tokens[m]!.sumInputs += pmf[q]! * t[m]!.sumInputs;
        tokens[m]!.last += pmf[q]! * t[m]!.last;
      }
    }
  }

  for (const m of models) outputs[m] = times(n0.easy, blocks.easy.models[m]!.outputTokens) + times(n0.hard, blocks.hard.models[m]!.outputTokens);
  const out: Record<string, Cat> = {};
  for (const m of models) {
    const p = s.models[m]!.prices.base;
    const c = zeroCat();
    const t = tokens[m]!;
    // (a free cached read of an infinite expected number of tokens costs nothing: see infiniteReason)
    if (s.models[m]!.prices.caches) {
      c.cacheWrite = p.cacheWrite * t.last;
      c.cacheRead = times(p.cacheRead, t.sumInputs - t.last);
    } else c.uncachedInput = times(p.input, t.sumInputs);
    c.output = p.output * outputs[m]!;
    out[m] = c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared context, one rung: the attempts of the conversation

/** P(N = n), n = 0..len-1, of one bug's attempts on a rung with `attempts` k (null: unbounded), cut at len. */
function attemptsPmfPrefix(law: RateLaw, k: number | null, len: number): Float64Array {
  const out = new Float64Array(len);
  for (let n = 1; n < len; n++) {
    if (k !== null && n > k) break;
    out[n] = k !== null && n === k ? survival(law, k - 1) : fixedAtAttempt(law, n);
  }
  return out;
}

/** The whole PMF of N for a fixed-number rate (geometric cut at 1e-17, or capped at k). */
function attemptsPmfFixed(p: number, k: number | null): Float64Array {
  if (k === null) return geometricPmf(p);
  const out = new Float64Array(k + 1);
  for (let n = 1; n < k; n++) out[n] = Math.pow(1 - p, n - 1) * p;
  out[k] = Math.pow(1 - p, k - 1);
  return out;
}

/**
 * E[N] and E[N^2] of one bug's attempts on the rung: bounded, sum_{n<=k} P(N >= n) and
 * sum_{n<=k} (2n - 1) P(N >= n); unbounded, E[1/p] and 2 E[1/p^2] - E[1/p].
 */
function attemptMoments(law: RateLaw, k: number | null): { m1: number; m2: number } {
  if (k === null) {
    const m1 = mixed(law, 0, 1);
    return { m1, m2: 2 * mixed(law, 0, 2) - m1 };
  }
  let m1 = 0;
  let m2 = 0;
  for (let n = 1; n <= k; n++) {
    const tail = survival(law, n - 1);
    m1 += tail;
    m2 += (2 * n - 1) * tail;
  }
  return { m1, m2 };
}

/**
 * Moments of the attempts of one original bug's tree when the fixer regresses (unbounded rung):
 * a new bug's subtree S = M + sum_{i=1}^{O} S_i (M: a new bug's attempts, hard with phi_r;
 * O: Bernoulli(r), var r(1-r), or Poisson(r), var r):
 *   E[S] = E[M]/(1-r),  Var(S) = (Var(M) + Var(O) E[S]^2)/(1-r);
 * an original bug with attempts N: N + sum_{i=1}^{O} S_i, mean E[N] + r E[S],
 * variance Var(N) + r Var(S) + Var(O) E[S]^2.
 */
function withRegressionTree(
  n: { m1: number; m2: number },
  reg: { r: number; poisson: boolean; phiR: number } | null,
  newBug: { m1: number; m2: number },
): { m1: number; m2: number } {
  if (!reg) return n;
  const varO = reg.poisson ? reg.r : reg.r * (1 - reg.r);
  const eS = newBug.m1 / (1 - reg.r);
  const vS = (newBug.m2 - newBug.m1 ** 2 + varO * eS * eS) / (1 - reg.r);
  const m1 = n.m1 + reg.r * eS;
  const v = n.m2 - n.m1 ** 2 + reg.r * vS + varO * eS * eS;
  return { m1, m2: v + m1 * m1 };
}

export interface AttemptOptions {
  /** "pmf": the exact PMF of T; "moments": E[T], E[T^2] and the PMF of T below ts; "auto": pmf where possible */
  route?: "auto" | "pmf" | "moments";
}

/**
 * E[C_fix] = sum_{t >= 1} P(T >= t) c(t), c(t) = requestCost(X_t = L1 + (t-1) Delta,
 * P = X_t - Delta for t >= 2, else 0). Returns the categories and E[T].
 *
 * Moments route: with ts >= 2 the first attempt index from which c is affine, c(t) = a + b t,
 *   sum_{t=ts}^{T} (a + b t) = a (T - ts + 1) + b (T(T+1)/2 - (ts-1) ts/2) =: H(T)  (T >= ts - 1)
 * so E[sum] = E[H(T)] - sum_{tau < ts-1} P(T = tau) H(tau), with E[H(T)] from E[T], E[T^2].
 */
export function sharedOneRung(
  s: LScenario,
  st: LStrategy,
  L1: number,
  h: number,
  options: AttemptOptions = {},
): { cats: Cat; ET: number; route: "pmf" | "moments" } {
  const rung = st.rungs[0]!;
  if (rung.kind !== "fix" || st.rungs.length !== 1) throw new Error("reference: one fixer rung expected");
  const gen = s.models[st.generator]!;
  const fixer = s.models[rung.model]!;
  const prices = fixer.prices;
  const G = distMean(s.G);
  const Delta = G + distMean(s.E);
  const k = rung.attempts;
  const reg = fixer.regressions;
  const c = (t: number): Cat => {
    const X = L1 + (t - 1) * Delta;
    return requestCost(prices, X, t === 1 ? 0 : X - Delta, G, h);
  };
  const classes = [...possibleOriginal(gen)];
  const allFixed = classes.every((cl) => rung.source[cl].kind === "fixed");
  const route = options.route ?? "auto";
  const pmfRoute =
    route === "pmf" || (route === "auto" && gen.count.kind === "fixed" && !reg && allFixed);

  if (pmfRoute) {
    if (gen.count.kind !== "fixed" || reg || !allFixed) throw new Error("reference: the PMF route needs fixed counts and rates, no regressions");
    const q = gen.count.q;
    const perBug = (cl: BugClass) => attemptsPmfFixed((rung.source[cl] as { p: number }).p, k);
    let pmf: Float64Array = Float64Array.from([1]);
    if (gen.exact) {
      const H = hardCount(gen);
      for (let j = 0; j < q - H; j++) pmf = convolve(pmf, perBug("easy"));
      for (let j = 0; j < H; j++) pmf = convolve(pmf, perBug("hard"));
    } else if (q > 0) {
      const e = gen.phi < 1 ? perBug("easy") : new Float64Array(1);
      const hd = gen.phi > 0 ? perBug("hard") : new Float64Array(1);
      const mix = new Float64Array(Math.max(e.length, hd.length));
      for (let i = 0; i < e.length; i++) mix[i] += (1 - gen.phi) * e[i]!;
      for (let i = 0; i < hd.length; i++) mix[i] += gen.phi * hd[i]!;
      for (let j = 0; j < q; j++) pmf = convolve(pmf, mix);
    }
    const cats = zeroCat();
    let atLeast = 0;
    let ET = 0;
    for (let t = pmf.length - 1; t >= 1; t--) {
      atLeast += pmf[t]!;
      ET += t * pmf[t]!;
      addTo(cats, c(t), atLeast);
    }
    return { cats, ET, route: "pmf" };
  }

  // moments route
  let tStar = 2;
  if (prices.tier && Delta > 0) {
    const x = prices.tier.above - L1;
    tStar = Math.max(2, x < 0 ? 1 : Math.floor(x / Delta) + 2);
  }
  const newBug = reg
    ? mixMoments(attemptMoments(rung.source.easy, k), attemptMoments(rung.source.hard, k), reg.phiR)
    : { m1: 0, m2: 0 };
  const bug = (cl: BugClass) => withRegressionTree(attemptMoments(rung.source[cl], k), reg, newBug);
  // E[T], E[T^2] and P(T = tau) for tau < ts - 1
  let ET: number;
  let ET2: number;
  let low: Float64Array;
  if (gen.count.kind === "fixed" && gen.exact) {
    const H = hardCount(gen);
    const q = gen.count.q;
    const per = (cl: BugClass, count: number) => (count > 0 ? bug(cl) : { m1: 0, m2: 0 });
    const e = per("easy", q - H);
    const hd = per("hard", H);
    ET = (q - H) * e.m1 + H * hd.m1;
    ET2 = (q - H) * (e.m2 - e.m1 ** 2) + H * (hd.m2 - hd.m1 ** 2) + ET * ET;
  } else {
    const m = mixMoments(gen.phi < 1 ? bug("easy") : { m1: 0, m2: 0 }, gen.phi > 0 ? bug("hard") : { m1: 0, m2: 0 }, gen.phi);
    const pq = countPmf(gen.count);
    ET = 0;
    ET2 = 0;
    for (let q = 1; q < pq.length; q++) {
      if (pq[q] === 0) continue;
      ET += pq[q]! * q * m.m1;
      ET2 += pq[q]! * (q * (m.m2 - m.m1 ** 2) + q * q * m.m1 ** 2);
    }
  }
  const lowLen = tStar - 1; // P(T = tau), tau = 0 .. ts - 2
  if (lowLen === 1) {
    low = Float64Array.from([gen.count.kind === "fixed" ? (gen.count.q === 0 ? 1 : 0) : countPmf(gen.count)[0]!]);
  } else {
    // ts > 2 only with a tier: fixed count, no regressions (rule 5)
    if (gen.count.kind !== "fixed" || reg) throw new Error("reference: tier with random count or regressions");
    const q = gen.count.q;
    const per = (cl: BugClass) => attemptsPmfPrefix(rung.source[cl], k, lowLen);
    let pmf = new Float64Array(lowLen);
    pmf[0] = 1;
    const conv = (a: Float64Array, b: Float64Array) => {
      const o = new Float64Array(lowLen);
      for (let i = 0; i < lowLen; i++) for (let j = 0; i + j < lowLen; j++) o[i + j] += a[i]! * b[j]!;
      return o;
    };
    if (gen.exact) {
      const H = hardCount(gen);
      for (let j = 0; j < q - H; j++) pmf = conv(pmf, per("easy"));
      for (let j = 0; j < H; j++) pmf = conv(pmf, per("hard"));
    } else if (q > 0) {
      const e = gen.phi < 1 ? per("easy") : new Float64Array(lowLen);
      const hd = gen.phi > 0 ? per("hard") : new Float64Array(lowLen);
      const mix = new Float64Array(lowLen);
      for (let i = 0; i < lowLen; i++) mix[i] = (1 - gen.phi) * e[i]! + gen.phi * hd[i]!;
      for (let j = 0; j < q; j++) pmf = conv(pmf, mix);
    }
    low = pmf;
  }
  const cats = zeroCat();
  let below = 0; // P(T < t)
  for (let t = 1; t < tStar; t++) {
    below += low[t - 1]!;
    addTo(cats, c(t), 1 - below);
  }
  const cT = c(tStar);
  const b = diff(c(tStar + 1), cT);
  const a = diff(cT, scaleCat(b, tStar));
  const H = (tau: number, coefA: number, coefB: number) =>
    coefA * (tau - tStar + 1) + coefB * ((tau * (tau + 1)) / 2 - ((tStar - 1) * tStar) / 2);
  for (const key of CATS) {
    if (a[key] === 0 && b[key] === 0) continue;
    // b = 0 when Delta = 0: then E[T^2] (infinite for a Beta rate with a <= 2) is not needed
    let v = a[key] * (ET - tStar + 1) + times(b[key], (ET2 + ET) / 2 - ((tStar - 1) * tStar) / 2);
    for (let tau = 0; tau < tStar - 1; tau++) v -= low[tau]! * H(tau, a[key], b[key]);
    cats[key] += v;
  }
  return { cats, ET, route: "moments" };
}

function scaleCat(c: Cat, k: number): Cat {
  const out = zeroCat();
  addTo(out, c, k);
  return out;
}

function mixMoments(e: { m1: number; m2: number }, h: { m1: number; m2: number }, phi: number): { m1: number; m2: number } {
  if (phi === 0) return e;
  if (phi === 1) return h;
  return { m1: (1 - phi) * e.m1 + phi * h.m1, m2: (1 - phi) * e.m2 + phi * h.m2 };
}

/** Classes of the original bugs with positive probability. */
function possibleOriginal(gen: LModel): Set<BugClass> {
  const out = new Set<BugClass>();
  if (countMean(gen.count) === 0) return out;
  if (gen.count.kind === "fixed" && gen.exact) {
    const H = hardCount(gen);
    if (gen.count.q - H > 0) out.add("easy");
    if (H > 0) out.add("hard");
  } else {
    if (gen.phi < 1) out.add("easy");
    if (gen.phi > 0) out.add("hard");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The whole strategy

export interface RungResult {
  rung: number;
  kind: "fix" | "consult";
  model: string;
  /** E[bugs reaching the rung per run] / E[bugs per run] (null with no bugs) */
  reachFraction: number | null;
  /** E[bugs reaching the rung per run] */
  reachPerRun: number;
  /** E[fix attempts on the rung per run]; for a consult rung E[consults per run] */
  attemptsPerRun: number;
}

export interface LadderResult {
  strategy: string;
  context: Context;
  generator: string;
  /** expected $ per run, or null (no closed form, or infinite) */
  mean: number | null;
  /** null, or why there is no number; "infinite ..." when the expectation is infinite */
  reason: string | null;
  /** which derivation produced `mean` */
  method: "fresh-requests" | "shared-attempt-pmf" | "shared-attempt-moments" | "shared-blocks" | null;
  /** $ of the generation call */
  generation: number;
  /** expected $ per run by model and category (null where mean is null) */
  byModel: Record<string, ModelCost> | null;
  /** per rung (null with limits or context windows) */
  rungs: RungResult[] | null;
  /** E[fix attempts per run] (Infinity where it diverges; null with limits or windows) */
  attempts: number | null;
  /** E[consults per run] */
  consultsPerRun: number | null;
  /** E[bugs per run], regressions included */
  bugs: number | null;
  /** P(every bug of the run, regressions included, gets fixed) */
  expectedCompletion: number | null;
  /** cache hit probability of a follow-up request (TTL; 1 without) */
  h: number;
}

export interface ReferenceOptions extends SharedOptions, AttemptOptions {
  /** shared context: "auto" (one rung: attempts, else blocks), or force one of them */
  shared?: "auto" | "attempts" | "blocks";
  /** the unbounded rung's tail: see walk.ts */
  tail?: "auto" | "closed" | "enumerate";
}

export function referenceStrategy(
  raw: Record<string, unknown> | LScenario,
  strategyName: string,
  context: Context,
  options: ReferenceOptions = {},
): LadderResult {
  const read = isLScenario(raw) ? raw : readLadderScenario(raw);
  const st = read.strategies.find((x) => x.name === strategyName);
  if (!st) throw new Error(`reference: no strategy ${strategyName}`);
  // a TTL where no time passes (no tool time, no speed among the strategy's models) expires nothing
  const s = hasClock(read, st) ? read : { ...read, ttl: null };
  const gen = s.models[st.generator]!;
  const L1 = s.L0 + s.G0;
  const G = distMean(s.G);
  const E = distMean(s.E);
  const Delta = G + E;
  const generation = generationCost(gen.prices, s.L0, s.G0);
  const oneRung = st.rungs.length === 1;
  const h = oneRung ? hitProbability(s, s.models[st.rungs[0]!.model]!) : 1;
  const base: LadderResult = {
    strategy: st.name,
    context,
    generator: st.generator,
    mean: null,
    reason: null,
    method: null,
    generation,
    byModel: null,
    rungs: null,
    attempts: null,
    consultsPerRun: null,
    bugs: null,
    expectedCompletion: null,
    h,
  };
  const rule = ruleReason(s, st, context);
  if (rule && rule.rule <= 2) return { ...base, reason: rule.reason };

  const prices: Record<string, ModelPrices> = {};
  for (const m of Object.keys(s.models)) prices[m] = s.models[m]!.prices;
  const walkOptions = {
    tailFrom: (m: string, offset1: number) => tierTailStart(prices[m]!, L1, Delta, offset1),
    tail: options.tail ?? "auto",
  };
  const tok = { G, E, g: s.g };
  const walks: PerClass<Walk> = {
    easy: walkLadder(st.rungs, "easy", tok, walkOptions),
    hard: walkLadder(st.rungs, "hard", tok, walkOptions),
  };
  // context-independent results
  const n = totalBugs(originalBugs(gen), offspringMatrix(s, st, walks));
  const bugs = n.easy + n.hard;
  const rungs: RungResult[] = st.rungs.map((rung, r) => {
    const reachPerRun = n.easy * walks.easy.reach[r]! + n.hard * walks.hard.reach[r]!;
    return {
      rung: r,
      kind: rung.kind,
      model: rung.model,
      reachFraction: bugs > 0 ? reachPerRun / bugs : null,
      reachPerRun,
      attemptsPerRun: times(n.easy, walks.easy.attempts[r]!) + times(n.hard, walks.hard.attempts[r]!),
    };
  });
  const attempts = rungs.filter((r) => r.kind === "fix").reduce((a, r) => a + r.attemptsPerRun, 0);
  const consultsPerRun = rungs.filter((r) => r.kind === "consult").reduce((a, r) => a + r.attemptsPerRun, 0);
  const expectedCompletion = runCompletion(gen, completionPerBug(s, st, walks));
  const stats = { ...base, rungs, attempts, consultsPerRun, bugs, expectedCompletion };
  if (rule) return { ...stats, reason: rule.reason };
  const infinite = infiniteReason(s, st, walks, Delta);
  if (infinite) return { ...stats, reason: infinite };

  // the expected cost
  const fix: Record<string, Cat> = {};
  let method: LadderResult["method"];
  const sharedMode = options.shared ?? "auto";
  if (context === "fresh") {
    method = "fresh-requests";
    for (const c of CLASSES) {
      if (n[c] === 0) continue;
      const perBug = freshBugCost(walks[c], L1, prices, h);
      for (const [m, cat] of Object.entries(perBug)) addTo((fix[m] ??= zeroCat()), cat, n[c]);
    }
  } else if ((sharedMode === "auto" && oneRung) || sharedMode === "attempts") {
    const res = sharedOneRung(s, st, L1, h, options);
    method = res.route === "pmf" ? "shared-attempt-pmf" : "shared-attempt-moments";
    fix[st.rungs[0]!.model] = res.cats;
  } else {
    method = "shared-blocks";
    const models = fixPhaseModels(st);
    const blocks = { easy: blockOf(walks.easy, models), hard: blockOf(walks.hard, models) };
    Object.assign(fix, sharedByBlocks(s, st, blocks, L1, options));
  }
  const byModel: Record<string, ModelCost> = {};
  for (const m of new Set([st.generator, ...fixPhaseModels(st)])) {
    const c = fix[m] ?? zeroCat();
    const g = m === st.generator ? generation : 0;
    byModel[m] = { generation: g, ...c, total: g + catTotal(c) };
  }
  const mean = Object.values(byModel).reduce((a, c) => a + c.total, 0);
  return { ...stats, mean, method, byModel };
}

/** n * x with 0 * Infinity = 0 (a class that never occurs) */
function times(n: number, x: number): number {
  return n === 0 ? 0 : n * x;
}

function isLScenario(x: unknown): x is LScenario {
  return typeof x === "object" && x !== null && "L0" in x && "strategies" in x && Array.isArray((x as LScenario).strategies);
}

/** Every strategy of the scenario in every context. */
export function referenceAllStrategies(raw: Record<string, unknown>, options: ReferenceOptions = {}): LadderResult[] {
  const s = readLadderScenario(raw);
  return s.strategies.flatMap((st) => s.contexts.map((c) => referenceStrategy(s, st.name, c, options)));
}
