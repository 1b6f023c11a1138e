/**
 * The simulation kernel: n runs of one (strategy, context) from one random stream.
 *
 * Two paths that agree in distribution where both apply:
 * - fast (one unbounded fixer rung, the base model): each bug's attempt count by inversion,
 *   N = 1 + floor(ln(1-U) / ln(1-p)), one uniform per bug (binomial difficulty reuses it: U < phi
 *   is hard, and U/phi is again uniform), and the run priced from the counts with the formulas of
 *   section 4. A guide table over U answers most draws without the logarithm (`inversionTable`).
 *   The counts do not depend on the context, so one stream's runs are priced in both contexts
 *   of a strategy (`simulateContexts`). A run whose conversation reaches a long-context tier or a
 *   context window, and a traced run, is replayed request by request through the Ledger from the
 *   same counts;
 * - attempt: every request of the ladder stepped through (ledger.ts), which the extensions and
 *   ladders need: rungs in order, consults, per-model caches, time, expiry, variable tokens,
 *   growth, regressions, caps, beta rates, random bug counts, windows.
 * Neither allocates per run or per attempt (tracing aside).
 */
import seedrandom from "seedrandom";
import { Col, ModelSum, RungSum, Sum, runTable, sumsLayout, type RunTable, type SumsLayout } from "./columns.js";
import { Ledger, Role, type TraceSink } from "./ledger.js";
import { CountKind, DistKind, RungKind, fastPathApplies, type DistParams, type SimParams } from "./params.js";
import { samplers } from "./samplers.js";

/** How runs are simulated: the fast path, the per-attempt path, or the fast path where it applies. */
export const SIM_PATHS = ["auto", "fast", "attempt"] as const;
export type SimPath = (typeof SIM_PATHS)[number];
type Random = () => number;

/** The layout of a strategy's sums (see columns.ts). */
export function layoutOf(p: SimParams): SumsLayout {
  return sumsLayout(p.models.length, p.rungs.length);
}

/**
 * Simulate `runs` runs from the stream named by `seed` into a run table (see columns.ts):
 * `table` when given (all of it is overwritten), else a new one. With `trace`, every request of
 * every run is reported to it (the numbers do not change).
 */
export function simulateChunk(
  p: SimParams,
  seed: string,
  runs: number,
  path: SimPath = "auto",
  table = runTable(runs, layoutOf(p)),
  trace: TraceSink | null = null,
): RunTable {
  return simulateContexts([p], seed, runs, path, [table], trace)[0]!;
}

/** Whether a simulation of these parameters takes the fast path. */
export function takesFastPath(p: SimParams, path: SimPath): boolean {
  if (path === "fast" && !fastPathApplies(p)) throw new Error("the fast path only simulates the base model");
  return path === "fast" || (path === "auto" && fastPathApplies(p));
}

/**
 * Simulate `runs` runs of one strategy in each of its contexts (`ps`, parameters that differ in the
 * context only) from the stream named by `seed`, into `tables`. Only the fast path can price one
 * stream's runs in several contexts (the counts it draws do not depend on the context); the
 * attempt path draws differently in each and takes one context. With `costOnly` the fast path
 * writes each run's cost and no other column (the sums are complete): what a chunk task keeps.
 */
export function simulateContexts(
  ps: readonly SimParams[],
  seed: string,
  runs: number,
  path: SimPath,
  tables: readonly RunTable[] = ps.map((p) => runTable(runs, layoutOf(p))),
  trace: TraceSink | null = null,
  costOnly = false,
): RunTable[] {
  tables.forEach((table, i) => {
    const layout = layoutOf(ps[i]!);
    if (table.runs !== runs || table.sums.length !== layout.length) throw new Error(`a run table of ${table.runs} runs cannot take ${runs} of this strategy`);
    table.sums.fill(0);
  });
  const fast = takesFastPath(ps[0]!, path);
  if (!fast && ps.length > 1) throw new Error("the attempt path simulates one context per stream");
  const random: Random = seedrandom.alea(seed);
  if (fast) fastPath(ps, random, seed, runs, tables, trace, costOnly);
  else attemptPath(ps[0]!, random, runs, tables[0]!.columns, tables[0]!.sums, layoutOf(ps[0]!), trace);
  return [...tables];
}

/**
 * Write run r's row (column c of run r is out[c * runs + r], see columns.ts; its cost only, with
 * `costOnly`) and add it to the column sums: cost = generation + new + cached + output, each in $.
 */
function record(
  out: Float64Array,
  sums: Float64Array,
  runs: number,
  r: number,
  generation: number,
  costNew: number,
  costCached: number,
  costOut: number,
  attempts: number,
  bugs: number,
  wallSeconds: number,
  cacheHits: number,
  followUps: number,
  allFixed: number,
  costOnly = false,
): void {
  const cost = generation + costNew + costCached + costOut;
  out[Col.cost * runs + r] = cost;
  if (!costOnly) {
    out[Col.fixInputNew * runs + r] = costNew;
    out[Col.fixInputCached * runs + r] = costCached;
    out[Col.fixOutput * runs + r] = costOut;
    out[Col.attempts * runs + r] = attempts;
    out[Col.bugs * runs + r] = bugs;
    out[Col.wallSeconds * runs + r] = wallSeconds;
    out[Col.cacheHits * runs + r] = cacheHits;
    out[Col.followUps * runs + r] = followUps;
    out[Col.allFixed * runs + r] = allFixed;
  }
  sums[Col.cost] += cost;
  sums[Col.fixInputNew] += costNew;
  sums[Col.fixInputCached] += costCached;
  sums[Col.fixOutput] += costOut;
  sums[Col.attempts] += attempts;
  sums[Col.bugs] += bugs;
  sums[Col.wallSeconds] += wallSeconds;
  sums[Col.cacheHits] += cacheHits;
  sums[Col.followUps] += followUps;
  sums[Col.allFixed] += allFixed;
}

/** The generation call, as a trace records it. */
function traceGeneration(p: SimParams, trace: TraceSink, run: number): void {
  trace({
    run, bug: -1, model: p.generator, role: Role.Generate, attempt: 0, fixed: null, input: p.generationInput,
    cacheRead: 0, cacheWrite: 0, output: p.generationOutput, seconds: p.timed ? p.generationSeconds : null,
  });
}

/** Cells of the inversion guide table. */
const TABLE_CELLS = 4096;

/**
 * A guide table for N = 1 + floor(ln(1-u) / ln(1-p)): cell c holds N for every u in
 * [c/K, (c+1)/K) when N is the same at both ends of the cell (N is nondecreasing in u), else 0,
 * meaning "compute it". The table gives exactly the formula's value, only faster; with K = 4096
 * cells, a cell holds one value except where N steps, so almost every draw is a lookup.
 */
export function inversionTable(fixProbability: number): Int32Array {
  let table = tableCache.get(fixProbability);
  if (!table) {
    if (tableCache.size >= TABLE_CACHE_SIZE) tableCache.clear();
    table = buildInversionTable(fixProbability);
    tableCache.set(fixProbability, table);
  }
  return table;
}

/** A worker meets the same few probabilities chunk after chunk: their tables are kept. */
const tableCache = new Map<number, Int32Array>();
const TABLE_CACHE_SIZE = 64;

/**
 * One logarithm per cell: N at the start of the next cell equal to N at this cell's start means,
 * N being nondecreasing, the same N all through the cell; only where they differ is the cell's
 * last u worked out too (a sweep builds a table for each new rate, often for fewer draws than
 * cells).
 */
function buildInversionTable(fixProbability: number): Int32Array {
  const invLog = 1 / Math.log1p(-fixProbability);
  const attempts = (u: number) => 1 + Math.floor(Math.log(1 - u) * invLog);
  const table = new Int32Array(TABLE_CELLS);
  let first = attempts(0);
  for (let c = 0; c < TABLE_CELLS; c++) {
    const next = attempts((c + 1) / TABLE_CELLS);
    table[c] = first === next || first === attempts((c + 1) / TABLE_CELLS - 2 ** -53) ? first : 0;
    first = next;
  }
  return table;
}

/**
 * The fast path for the contexts of one strategy: each run's attempt counts are drawn once (they
 * do not depend on the context) and priced in every context, so a context's runs are the same
 * whether it is simulated alone or beside the other.
 *
 * Section 4's accounting from the counts: shared context, one conversation of T attempts; fresh,
 * q conversations, each opening with L1 new, each retry adding Delta new and rereading the rest.
 */
function fastPath(ps: readonly SimParams[], random: Random, seed: string, runs: number, tables: readonly RunTable[], trace: TraceSink | null, costOnly: boolean): void {
  const plan = fastPlan(ps, seed, runs, tables, trace, costOnly);
  // In slices: a short loop called often is optimized as a whole, sooner than one long loop.
  for (let from = 0; from < runs; from += FAST_SLICE) fastRuns(plan, random, from, Math.min(runs, from + FAST_SLICE));
  ps.forEach((pc, i) => fastSums(pc, tables[i]!.sums, layoutOf(pc)));
}

/** Runs per call of fastRuns. */
const FAST_SLICE = 256;

/** What the fast path's runs read, worked out once per chunk. */
interface FastPlan {
  seed: string;
  runs: number;
  trace: TraceSink | null;
  q: number;
  hardBugs: number;
  binomial: boolean;
  phi: number;
  /** 1/ln(1-p); -0 when p = 1, which makes every N exactly 1 */
  invLogEasy: number;
  invLogHard: number;
  tableEasy: Int32Array;
  tableHard: Int32Array;
  /** $ per token of the fixer: new, cached, output */
  newToken: number;
  cachedToken: number;
  outputToken: number;
  generation: number;
  L1: number;
  G: number;
  delta: number;
  contexts: FastContext[];
  /** write each run's cost only, not its other columns (their sums are kept) */
  costOnly: boolean;
  /** whether any context replays runs (then the counts are kept), or needs retryPairs and most */
  replayable: boolean;
  needsPairs: boolean;
  counts: Int32Array;
  /**
   * A fresh run that stops at a window puts its bugs in a random order: from a stream of its
   * own, made when first needed, so that the shared stream's draws are the same whichever
   * contexts are simulated.
   */
  order: Random | null;
}

function fastPlan(ps: readonly SimParams[], seed: string, runs: number, tables: readonly RunTable[], trace: TraceSink | null, costOnly: boolean): FastPlan {
  const p = ps[0]!; // the draws depend only on what the contexts share: the fixer's rates and the bugs
  const rung = p.rungs[0]!;
  const fixer = p.models[rung.model]!;
  const pe = p.rates[rung.easyRate]!.p;
  const ph = p.rates[rung.hardRate]!.p;
  const contexts = ps.map((pc, i) => fastContext(pc, tables[i]!, trace));
  const replayable = contexts.some((c) => c.replayable);
  return {
    seed,
    runs,
    trace,
    q: p.bugCount,
    hardBugs: p.hardBugs,
    binomial: p.binomial,
    phi: p.hardFraction,
    invLogEasy: 1 / Math.log1p(-pe),
    invLogHard: 1 / Math.log1p(-ph),
    tableEasy: inversionTable(pe),
    tableHard: inversionTable(ph),
    newToken: fixer.cacheWrite,
    cachedToken: fixer.cacheRead,
    outputToken: fixer.output,
    generation: p.generationCost,
    L1: p.handoffTokens,
    G: p.fixOutput.a,
    delta: p.fixOutput.a + p.errorTrace.a,
    contexts,
    costOnly,
    replayable,
    needsPairs: replayable || contexts.some((c) => c.fresh),
    counts: new Int32Array(p.bugCount),
    order: null,
  };
}

/** Runs [from, to) of the chunk: draw each run's counts once, price them in every context. */
function fastRuns(plan: FastPlan, random: Random, from: number, to: number): void {
  const { runs, trace, q, hardBugs, binomial, phi, invLogEasy, invLogHard, tableEasy, tableHard, contexts, replayable, needsPairs, counts, costOnly } = plan;
  const { newToken, cachedToken, outputToken, generation, L1, G, delta } = plan;
  for (let r = from; r < to; r++) {
    let total = 0; // T
    let retryPairs = 0; // sum over bugs of (N-1)(N-2)/2, for fresh context
    let most = 0; // the largest N, for fresh context's largest request
    for (let j = 0; j < q; j++) {
      let u = random();
      let hard: boolean;
      if (binomial) {
        hard = u < phi;
        u = hard ? u / phi : (u - phi) / (1 - phi);
      } else {
        hard = j < hardBugs;
      }
      let n = (hard ? tableHard : tableEasy)[(u * TABLE_CELLS) | 0]!;
      if (n === 0) n = 1 + Math.floor(Math.log(1 - u) * (hard ? invLogHard : invLogEasy));
      total += n;
      if (needsPairs) {
        retryPairs += ((n - 1) * (n - 2)) / 2;
        if (n > most) most = n;
        if (replayable) counts[j] = n;
      }
    }
    for (let c = 0; c < contexts.length; c++) {
      const x = contexts[c]!;
      const fresh = x.fresh;
      if (x.replayable && (trace !== null || (total > 0 && L1 + ((fresh ? most : total) - 1) * delta > x.threshold))) {
        x.ordered.set(counts);
        if (x.shuffleAtWindow && L1 + (most - 1) * delta > x.window) shuffle(x.ordered, (plan.order ??= seedrandom.alea(`${plan.seed}|order`)));
        replay(x.p, x.ledger!, x.ordered, r, x.out, x.sums, runs, x.priced, trace);
        continue;
      }
      let newTokens = 0;
      let cachedTokens = 0;
      let followUps = 0;
      if (total > 0) {
        if (fresh) {
          followUps = total - q;
          newTokens = q * L1 + followUps * delta;
          cachedTokens = followUps * L1 + delta * retryPairs;
        } else {
          followUps = total - 1;
          newTokens = L1 + followUps * delta;
          cachedTokens = followUps * L1 + (delta * followUps * (total - 2)) / 2;
        }
      }
      const costNew = newToken * newTokens;
      const costCached = cachedToken * cachedTokens;
      const costOut = outputToken * (G * total);
      record(x.out, x.sums, runs, r, generation, costNew, costCached, costOut, total, q, 0, followUps, followUps, 1, costOnly);
    }
  }
}

/** What the fast path keeps per context: its table, and how it replays a run request by request. */
interface FastContext {
  p: SimParams;
  fresh: boolean;
  out: Float64Array;
  sums: Float64Array;
  /** a run is replayed when it is traced, or its largest request reads more than this (a tier or a window) */
  replayable: boolean;
  threshold: number;
  /** a fresh run that stops at a window depends on which bugs came first: put them in a random order */
  shuffleAtWindow: boolean;
  window: number;
  ledger: Ledger | null;
  ordered: Int32Array;
  priced: Float64Array;
}

function fastContext(p: SimParams, table: RunTable, trace: TraceSink | null): FastContext {
  const fixer = p.models[p.rungs[0]!.model]!;
  // Runs a hair below the tier or the window are replayed too, so that rounding never decides.
  const threshold = Math.min(fixer.above, fixer.window) * (1 - 1e-12);
  const replayable = threshold < Infinity || trace !== null;
  return {
    p,
    fresh: p.fresh,
    out: table.columns,
    sums: table.sums,
    replayable,
    threshold,
    // under exact assignment (drawn hard bugs first) such a run's bugs are put in a random order
    shuffleAtWindow: p.fresh && p.randomOrder && p.compactionSummary < 0,
    window: fixer.window * (1 - 1e-12),
    ledger: replayable ? new Ledger(p.models, p.handoffTokens, Infinity, false, p.compactionSummary) : null,
    ordered: new Int32Array(replayable ? p.bugCount : 0),
    priced: new Float64Array(3),
  };
}

/** One model makes every fix-phase request: its categories are the fix-phase columns. */
function fastSums(p: SimParams, sums: Float64Array, layout: SumsLayout): void {
  const m = p.rungs[0]!.model;
  const at = layout.modelBase + m * ModelSum.stride;
  if (p.models[m]!.caches) {
    sums[at + ModelSum.cacheWrite] = sums[Col.fixInputNew]!;
    sums[at + ModelSum.cacheRead] = sums[Col.fixInputCached]!;
  } else sums[at + ModelSum.uncachedInput] = sums[Col.fixInputNew]! + sums[Col.fixInputCached]!;
  sums[at + ModelSum.output] = sums[Col.fixOutput]!;
  sums[layout.rungBase + RungSum.reached] = sums[Col.bugs]!;
  sums[layout.rungBase + RungSum.attempts] = sums[Col.attempts]!;
}

/** Fisher-Yates: a uniformly random order of the run's bugs (their attempt counts). */
function shuffle(counts: Int32Array, random: Random): void {
  for (let i = counts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = counts[i]!;
    counts[i] = counts[j]!;
    counts[j] = t;
  }
}

/** One fast-path run, request by request from its attempt counts (a tier, a window, or a trace). */
function replay(
  p: SimParams,
  ledger: Ledger,
  counts: Int32Array,
  r: number,
  out: Float64Array,
  sums: Float64Array,
  runs: number,
  priced: Float64Array,
  trace: TraceSink | null,
): void {
  const m = p.rungs[0]!.model;
  const G = p.fixOutput.a;
  const delta = G + p.errorTrace.a;
  ledger.startRun(0);
  if (trace) traceGeneration(p, trace, r);
  let attempts = 0;
  let allFixed = 1;
  run: for (let j = 0; j < counts.length; j++) {
    if (p.fresh) ledger.inConversation = false;
    const n = counts[j]!;
    for (let t = 1; t <= n; t++) {
      if (!ledger.request(m, G, delta, trace, r, j, Role.Fix, t)) {
        allFixed = 0;
        sums[Sum.windowStops] += 1;
        break run;
      }
      attempts++;
      if (trace) ledger.lastTrace!.fixed = t === n;
    }
  }
  sums[Sum.compactions] += ledger.compactions;
  // the per-model sums come from the columns afterwards (fastSums)
  ledger.price(null, 0, priced);
  record(out, sums, runs, r, p.generationCost, priced[0]!, priced[1]!, priced[2]!, attempts, counts.length, 0, ledger.hits, ledger.followUps, allFixed);
}

/**
 * The attempt path: a one-rung ladder (the base model with its extensions) steps through its
 * attempts with the conversation in local variables (`oneRungPath`); a longer ladder goes
 * through the Ledger, which keeps a cache per model (`ladderPath`). Both follow the same rules
 * and draw in the same order.
 */
function attemptPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array, layout: SumsLayout, trace: TraceSink | null): void {
  if (p.rungs.length === 1) oneRungPath(p, random, runs, out, sums, layout, trace);
  else ladderPath(p, random, runs, out, sums, layout, trace);
}

/**
 * A sampler of token counts and tool seconds on the chunk's stream: constant, uniform,
 * lognormal (Box-Muller, whose spare normal lives for this chunk's stream only) or empirical.
 */
function tokenSampler(random: Random): (d: DistParams) => number {
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };
  return (d: DistParams): number => {
    switch (d.kind) {
      case DistKind.Constant:
        return d.a;
      case DistKind.Uniform:
        return d.a + d.b * random();
      case DistKind.Lognormal:
        return Math.exp(d.a + d.b * normal());
      default:
        return d.values[Math.floor(random() * d.values.length)]!;
    }
  };
}

/** Beta samplers of the rate sources on the chunk's stream (null for a fixed rate). */
function betaSamplers(p: SimParams, random: Random): ((() => number) | null)[] {
  return p.rates.map((r) => (r.beta ? samplers().beta.factory(r.a, r.b, { prng: random }) : null));
}

/** P(no offspring) of each model's regressions, for Knuth's Poisson sampler. */
function poissonZeros(p: SimParams): Float64Array {
  return Float64Array.from(p.models, (m) => Math.exp(-m.regressionProbability));
}

/**
 * One fixer rung (bounded or not), attempt by attempt, the conversation in local variables:
 * the first request of a conversation reads L (L1, or L1 + summary after a compaction) new; a
 * follow-up whose cache is alive (the gap since the previous request within the TTL) pays the
 * previous attempt's Delta as new and rereads the rest, otherwise its whole input is new. A
 * request above the fixer's long-context threshold counts at the tier; one above its window
 * compacts (a compaction request, then a new conversation at L1 + summary) or stops the run.
 */
function oneRungPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array, layout: SumsLayout, trace: TraceSink | null): void {
  const rung = p.rungs[0]!;
  const m = rung.model;
  const fixer = p.models[m]!;
  const bound = rung.attempts;
  const hardBugs = p.hardBugs;
  const binomial = p.binomial;
  const randomOrder = p.randomOrder;
  const phi = p.hardFraction;
  const L1 = p.handoffTokens;
  const fresh = p.fresh;
  const fixOutput = p.fixOutput;
  const errorTrace = p.errorTrace;
  const toolSeconds = p.toolSeconds;
  const constantOutput = fixOutput.kind === DistKind.Constant;
  const constantTrace = errorTrace.kind === DistKind.Constant;
  const outputValue = fixOutput.a;
  const traceValue = errorTrace.a;
  const growthFactor = 1 + p.errorGrowth;
  const ttl = p.ttlSeconds;
  const timed = p.timed;
  const ttft = fixer.ttftSeconds;
  const secondsPerToken = fixer.secondsPerToken;
  const regression = fixer.regressionProbability;
  const poisson = fixer.poissonOffspring;
  const poissonZero = Math.exp(-regression);
  const regressionHard = fixer.regressionHardFraction;
  const maxPerBug = p.maxAttemptsPerBug;
  const maxPerRun = p.maxAttemptsPerRun;
  const generationSeconds = p.generationSeconds;
  const above = fixer.above;
  const window = fixer.window;
  const summary = p.compactionSummary;
  const pEasy = p.rates[rung.easyRate]!.p;
  const pHard = p.rates[rung.hardRate]!.p;
  const betas = betaSamplers(p, random);
  const easyBeta = betas[rung.easyRate]!;
  const hardBeta = betas[rung.hardRate]!;
  const { cacheWrite, cacheRead, output: outputPrice, tierCacheWrite, tierCacheRead, tierOutput, caches } = fixer;
  // a bug is left after the rung's attempts or the per-bug cap, whichever comes first
  const triesLimit = Math.min(bound, maxPerBug);
  // a request above this needs more than section 4's accounting: the tier, or the window
  const plain = Math.min(above, window);
  // a sampler of random counts (a fixed count needs no call: a new closure per chunk would cost a deoptimization)
  const count = countSampler(p, random);
  const fixedCount = p.countKind === CountKind.Fixed;
  const bugCount = p.bugCount;
  const draw = tokenSampler(random);
  const byModel = layout.modelBase + m * ModelSum.stride;
  let compactions = 0;
  let windowStops = 0;
  let started = 0; // bugs whose first attempt the run came to

  for (let r = 0; r < runs; r++) {
    if (trace) traceGeneration(p, trace, r);
    const q = fixedCount ? bugCount : count();
    // tokens at the base tier and at the long-context tier: new, cached, output
    let newTokens = 0;
    let cachedTokens = 0;
    let outputTokens = 0;
    let newTier = 0;
    let cachedTier = 0;
    let outputTier = 0;
    let attempts = 0;
    let hits = 0;
    let followUps = 0;
    let wall = generationSeconds;
    let bugs = q;
    let allFixed = 1;
    let originalsLeft = q;
    let hardLeft = hardBugs;
    let newLeft = 0;
    let bug = -1;
    let inConversation = false;
    let start = L1; // what a new conversation reads first
    let X = 0; // tokens the conversation holds so far
    let lastDelta = 0; // what the previous attempt added (new to the cache)
    let lastGap = 0; // seconds since the previous request of the conversation began

    run: while (originalsLeft + newLeft > 0) {
      bug++;
      let hard: boolean;
      if (originalsLeft > 0) {
        hard = nextOriginalHard(random, binomial, randomOrder, phi, originalsLeft, hardLeft);
        if (hard && !binomial) hardLeft--;
        originalsLeft--;
      } else {
        newLeft--;
        hard = random() < regressionHard;
      }
      const fixProbability = hard ? (hardBeta === null ? pHard : hardBeta()) : easyBeta === null ? pEasy : easyBeta();
      if (fresh) {
        inConversation = false;
        start = L1;
      }
      let traceScale = 1; // (1+g)^(k-1) for the k-th attempt on this bug
      let tries = 0;
      let fixed = false;
      for (;;) {
        if (attempts >= maxPerRun) {
          allFixed = 0;
          break run;
        }
        // the request reads `input` tokens, `cached` of them from the fixer's cache
        let input = X;
        let cached = 0;
        let tier = false;
        if (inConversation && X <= plain) {
          // a follow-up below the tier and the window: section 4's accounting
          followUps++;
          if (lastGap <= ttl) {
            hits++;
            cached = X - lastDelta;
            newTokens += lastDelta;
            cachedTokens += cached;
          } else newTokens += X;
        } else {
          // the first request of a conversation, or one that reaches the tier or the window
          if (inConversation && X > window) {
            if (summary < 0) {
              allFixed = 0;
              windowStops++;
              break run;
            }
            // the fixer summarizes the conversation (a request under the cache rule), which restarts at L1 + summary
            followUps++;
            const kept = lastGap <= ttl ? X - lastDelta : 0;
            if (lastGap <= ttl) hits++;
            if (X > above) {
              newTier += X - kept;
              cachedTier += kept;
              outputTier += summary;
            } else {
              newTokens += X - kept;
              cachedTokens += kept;
              outputTokens += summary;
            }
            if (trace) emit(trace, r, bug, m, Role.Compact, tries, X, kept, caches ? X - kept : 0, summary, timed ? ttft + summary * secondsPerToken : null);
            if (timed) wall += ttft + summary * secondsPerToken;
            compactions++;
            inConversation = false;
            start = L1 + summary;
          }
          if (!inConversation) {
            // a conversation whose first request (the hand-off) exceeds the window cannot begin:
            // the run stops before it, as the fast path's and the ladder's do (compaction's own
            // restart, L1 + summary, is below every window by validation)
            if (start > window) {
              allFixed = 0;
              windowStops++;
              break run;
            }
            inConversation = true;
            X = start;
          } else {
            followUps++;
            if (lastGap <= ttl) {
              hits++;
              cached = X - lastDelta;
            }
          }
          input = X;
          tier = input > above;
          if (tier) {
            newTier += input - cached;
            cachedTier += cached;
          } else {
            newTokens += input - cached;
            cachedTokens += cached;
          }
        }
        const output = constantOutput ? outputValue : draw(fixOutput);
        const delta = output + (constantTrace ? traceValue : draw(errorTrace)) * traceScale;
        if (tier) outputTier += output;
        else outputTokens += output;
        lastDelta = delta;
        X += delta;
        let seconds = 0;
        if (timed) {
          seconds = ttft + output * secondsPerToken;
          lastGap = seconds + draw(toolSeconds);
          wall += lastGap;
        }
        attempts++;
        tries++;
        fixed = random() < fixProbability;
        if (trace) emit(trace, r, bug, m, Role.Fix, tries, input, cached, caches ? input - cached : 0, output, timed ? seconds : null, fixed);
        if (fixed) {
          if (regression > 0) {
            const offspring = offspringCount(random, regression, poisson, poissonZero);
            newLeft += offspring;
            bugs += offspring;
          }
          break;
        }
        if (tries >= triesLimit) break;
        traceScale *= growthFactor;
      }
      if (!fixed) allFixed = 0;
    }
    started += bug + 1;
    const costNew = cacheWrite * newTokens + tierCacheWrite * newTier;
    const costCached = cacheRead * cachedTokens + tierCacheRead * cachedTier;
    const costOut = outputPrice * outputTokens + tierOutput * outputTier;
    if (caches) {
      sums[byModel + ModelSum.cacheWrite] += costNew;
      sums[byModel + ModelSum.cacheRead] += costCached;
    } else sums[byModel + ModelSum.uncachedInput] += costNew + costCached;
    sums[byModel + ModelSum.output] += costOut;
    record(out, sums, runs, r, p.generationCost, costNew, costCached, costOut, attempts, bugs, wall, hits, followUps, allFixed);
  }
  sums[Sum.compactions] += compactions;
  sums[Sum.windowStops] += windowStops;
  sums[layout.rungBase + RungSum.reached] += started;
  sums[layout.rungBase + RungSum.attempts] += sums[Col.attempts]!;
}

/**
 * Whether the next of a run's original bugs is hard: with probability phi (binomial); under exact
 * assignment, hardLeft of the originalsLeft still to come (a uniformly random order), or hard
 * bugs first where the order cannot change the cost.
 */
function nextOriginalHard(random: Random, binomial: boolean, randomOrder: boolean, phi: number, originalsLeft: number, hardLeft: number): boolean {
  if (binomial) return random() < phi;
  if (randomOrder) return random() * originalsLeft < hardLeft;
  return hardLeft > 0;
}

/** New bugs a fix breeds: Bernoulli(r), or Poisson(r) by Knuth's product of uniforms (poissonZero = e^-r). */
function offspringCount(random: Random, r: number, poisson: boolean, poissonZero: number): number {
  if (!poisson) return random() < r ? 1 : 0;
  let offspring = 0;
  for (let prod = random(); prod > poissonZero; prod *= random()) offspring++;
  return offspring;
}

/** A traced request (`fixed` for a fix attempt). */
function emit(trace: TraceSink, run: number, bug: number, model: number, role: Role, attempt: number, input: number, cacheRead: number, cacheWrite: number, output: number, seconds: number | null, fixed: boolean | null = null): void {
  trace({ run, bug, model, role, attempt, fixed, input, cacheRead, cacheWrite, output, seconds });
}

function ladderPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array, layout: SumsLayout, trace: TraceSink | null): void {
  const rungs = p.rungs;
  const models = p.models;
  const rates = p.rates;
  const hardBugs = p.hardBugs;
  const binomial = p.binomial;
  const randomOrder = p.randomOrder;
  const phi = p.hardFraction;
  const fresh = p.fresh;
  const fixOutput = p.fixOutput;
  const errorTrace = p.errorTrace;
  const toolSeconds = p.toolSeconds;
  const constantOutput = fixOutput.kind === DistKind.Constant;
  const constantTrace = errorTrace.kind === DistKind.Constant;
  const growthFactor = 1 + p.errorGrowth;
  const timed = p.timed;
  const maxPerBug = p.maxAttemptsPerBug;
  const maxPerRun = p.maxAttemptsPerRun;
  const outputValue = fixOutput.a;
  const traceValue = errorTrace.a;
  const ledger = new Ledger(models, p.handoffTokens, p.ttlSeconds, timed, p.compactionSummary);
  const priced = new Float64Array(3);
  const rungBase = layout.rungBase;
  // P(no offspring) per model, for Knuth's Poisson sampler; pending new bugs by the model whose fix bred them
  const poissonZero = poissonZeros(p);
  const pending = new Float64Array(models.length);
  // this bug's fix probability per rate source (NaN: not drawn yet); beta samplers on this stream
  const drawn = new Float64Array(rates.length);
  const anyBeta = rates.some((r) => r.beta);
  const betas = betaSamplers(p, random);
  const count = countSampler(p, random);
  const fixedCount = p.countKind === CountKind.Fixed;
  const bugCount = p.bugCount;
  const rungCount = rungs.length;
  // per rate source: its fixed p, or NaN for a beta one (drawn per bug)
  const fixedRate = Float64Array.from(rates, (r) => (r.beta ? NaN : r.p));
  // bugs that reached each rung in this chunk (added to the sums at the end)
  const reached = new Float64Array(rungCount);

  const draw = tokenSampler(random);

  for (let r = 0; r < runs; r++) {
    ledger.startRun(p.generationSeconds);
    if (trace) traceGeneration(p, trace, r);
    const q = fixedCount ? bugCount : count();
    let attempts = 0;
    let bugs = q;
    let allFixed = 1;
    let consults = 0;
    let originalsLeft = q;
    let hardLeft = hardBugs;
    let newLeft = 0;
    let bug = -1;
    pending.fill(0);

    run: while (originalsLeft + newLeft > 0) {
      bug++;
      let hard: boolean;
      if (originalsLeft > 0) {
        hard = nextOriginalHard(random, binomial, randomOrder, phi, originalsLeft, hardLeft);
        if (hard && !binomial) hardLeft--;
        originalsLeft--;
      } else {
        let m = 0;
        while (pending[m] === 0) m++;
        pending[m]--;
        newLeft--;
        hard = random() < models[m]!.regressionHardFraction;
      }
      if (fresh) ledger.inConversation = false;
      if (anyBeta) drawn.fill(NaN);
      let traceScale = 1; // (1+g)^(k-1) for the k-th attempt on this bug
      let tries = 0;
      let fixed = false;
      for (let k = 0; k < rungCount; k++) {
        const rung = rungs[k]!;
        const m = rung.model;
        reached[k]++;
        if (rung.kind === RungKind.Consult) {
          if (!ledger.request(m, rung.output, rung.output, trace, r, bug, Role.Consult, tries)) {
            allFixed = 0;
            sums[Sum.windowStops] += 1;
            break run;
          }
          consults++;
          sums[rungBase + k * RungSum.stride + RungSum.attempts] += 1;
          continue;
        }
        const source = hard ? rung.hardRate : rung.easyRate;
        let fixProbability = fixedRate[source]!;
        if (Number.isNaN(fixProbability)) {
          if (Number.isNaN(drawn[source]!)) drawn[source] = betas[source]!();
          fixProbability = drawn[source]!;
        }
        const model = models[m]!;
        const triesBefore = tries;
        const rungAttempts = rungBase + k * RungSum.stride + RungSum.attempts;
        for (let j = 0; j < rung.attempts; j++) {
          if (attempts >= maxPerRun) {
            allFixed = 0;
            sums[rungAttempts] += tries - triesBefore;
            break run;
          }
          const output = constantOutput ? outputValue : draw(fixOutput);
          const added = output + (constantTrace ? traceValue : draw(errorTrace)) * traceScale;
          if (!ledger.request(m, output, added, trace, r, bug, Role.Fix, tries + 1)) {
            allFixed = 0;
            sums[Sum.windowStops] += 1;
            sums[rungAttempts] += tries - triesBefore;
            break run;
          }
          if (timed) ledger.elapse(ledger.lastSeconds + draw(toolSeconds));
          attempts++;
          tries++;
          if (random() < fixProbability) {
            fixed = true;
            if (trace) ledger.lastTrace!.fixed = true;
            const rp = model.regressionProbability;
            if (rp > 0) {
              const offspring = offspringCount(random, rp, model.poissonOffspring, poissonZero[m]!);
              pending[m] += offspring;
              newLeft += offspring;
              bugs += offspring;
            }
            break;
          }
          if (trace) ledger.lastTrace!.fixed = false;
          if (tries >= maxPerBug) break;
          traceScale *= growthFactor;
        }
        sums[rungAttempts] += tries - triesBefore;
        if (fixed || tries >= maxPerBug) break;
      }
      if (!fixed) allFixed = 0;
    }
    sums[Sum.consults] += consults;
    sums[Sum.compactions] += ledger.compactions;
    ledger.price(sums, layout.modelBase, priced);
    record(out, sums, runs, r, p.generationCost, priced[0]!, priced[1]!, priced[2]!, attempts, bugs, ledger.wall, ledger.hits, ledger.followUps, allFixed);
  }
  for (let k = 0; k < rungCount; k++) sums[rungBase + k * RungSum.stride + RungSum.reached] += reached[k]!;
}

/** A run's bug count: fixed, or drawn from this chunk's stream (stdlib's samplers on it, see samplers.ts). */
function countSampler(p: SimParams, random: Random): () => number {
  switch (p.countKind) {
    case CountKind.Fixed: {
      const q = p.bugCount;
      return () => q;
    }
    case CountKind.Poisson:
      return samplers().poisson.factory(p.bugCount, { prng: random });
    default: {
      // stdlib draws Poisson(Gamma(r, ...)): for a small size r the gamma draw underflows to 0, and
      // its Poisson sampler returns NaN for a mean of 0; such a run has no bugs
      const draw = samplers().negativeBinomial.factory(p.countR, p.countP, { prng: random });
      return () => {
        const q = draw();
        return q === q ? q : 0;
      };
    }
  }
}
