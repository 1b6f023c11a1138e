/**
 * The simulation kernel: n runs of one (strategy, context) from one random stream.
 *
 * Two paths that agree in distribution where both apply:
 * - fast (one unbounded fixer rung, the base model): each bug's attempt count by inversion,
 *   N = 1 + floor(ln(1-U) / ln(1-p)), one uniform per bug (binomial difficulty reuses it: U < phi
 *   is hard, and U/phi is again uniform), and the run priced from the counts with the formulas of
 *   section 4. A guide table over U answers most draws without the logarithm (`inversionTable`).
 *   A run whose conversation reaches a long-context tier or a context window, and a traced run, is
 *   replayed request by request through the Ledger from the same counts;
 * - attempt: every request of the ladder stepped through (ledger.ts), which the extensions and
 *   ladders need: rungs in order, consults, per-model caches, time, expiry, variable tokens,
 *   growth, regressions, caps, beta rates, random bug counts, windows.
 * Neither allocates per run or per attempt (tracing aside).
 */
import seedrandom from "seedrandom";
import betaSampler from "@stdlib/random-base-beta";
import negativeBinomialSampler from "@stdlib/random-base-negative-binomial";
import poissonSampler from "@stdlib/random-base-poisson";
import { Col, ModelSum, RungSum, Sum, runTable, sumsLayout, type RunTable, type SumsLayout } from "./columns.js";
import { Ledger, Role, type TraceSink } from "./ledger.js";
import { CountKind, DistKind, RungKind, fastPathApplies, type DistParams, type SimParams } from "./params.js";

export type SimPath = "auto" | "fast" | "attempt";
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
  const layout = layoutOf(p);
  if (table.runs !== runs || table.sums.length !== layout.length) throw new Error(`a run table of ${table.runs} runs cannot take ${runs} of this strategy`);
  table.sums.fill(0);
  const random: Random = seedrandom.alea(seed);
  const fast = path === "fast" || (path === "auto" && fastPathApplies(p));
  if (fast && !fastPathApplies(p)) throw new Error("the fast path only simulates the base model");
  if (fast) fastPath(p, random, runs, table.columns, table.sums, layout, trace);
  else attemptPath(p, random, runs, table.columns, table.sums, layout, trace);
  return table;
}

/**
 * Write run r's row (column c of run r is out[c * runs + r], see columns.ts) and add it to the
 * column sums: cost = generation + new + cached + output, each in $.
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
): void {
  const cost = generation + costNew + costCached + costOut;
  out[Col.cost * runs + r] = cost;
  out[Col.fixInputNew * runs + r] = costNew;
  out[Col.fixInputCached * runs + r] = costCached;
  out[Col.fixOutput * runs + r] = costOut;
  out[Col.attempts * runs + r] = attempts;
  out[Col.bugs * runs + r] = bugs;
  out[Col.wallSeconds * runs + r] = wallSeconds;
  out[Col.cacheHits * runs + r] = cacheHits;
  out[Col.followUps * runs + r] = followUps;
  out[Col.allFixed * runs + r] = allFixed;
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

function buildInversionTable(fixProbability: number): Int32Array {
  const invLog = 1 / Math.log1p(-fixProbability);
  const attempts = (u: number) => 1 + Math.floor(Math.log(1 - u) * invLog);
  const table = new Int32Array(TABLE_CELLS);
  for (let c = 0; c < TABLE_CELLS; c++) {
    const first = attempts(c / TABLE_CELLS);
    const last = attempts((c + 1) / TABLE_CELLS - 2 ** -53);
    table[c] = first === last ? first : 0;
  }
  return table;
}

function fastPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array, layout: SumsLayout, trace: TraceSink | null): void {
  const rung = p.rungs[0]!;
  const m = rung.model;
  const fixer = p.models[m]!;
  const q = p.bugCount;
  const hardBugs = p.hardBugs;
  const binomial = p.binomial;
  const phi = p.hardFraction;
  const pe = p.rates[rung.easyRate]!.p;
  const ph = p.rates[rung.hardRate]!.p;
  // 1/ln(1-p); -0 when p = 1, which makes every N exactly 1.
  const invLogEasy = 1 / Math.log1p(-pe);
  const invLogHard = 1 / Math.log1p(-ph);
  const tableEasy = inversionTable(pe);
  const tableHard = inversionTable(ph);
  const newToken = fixer.cacheWrite;
  const cachedToken = fixer.cacheRead;
  const outputToken = fixer.output;
  const generation = p.generationCost;
  const L1 = p.handoffTokens;
  const G = p.fixOutput.a;
  const delta = G + p.errorTrace.a;
  const fresh = p.fresh;
  // A run whose largest request reads more than this (a tier or a window) is replayed request by
  // request; runs a hair below it are replayed too, so that rounding never decides.
  const threshold = Math.min(fixer.above, fixer.window) * (1 - 1e-12);
  // A fresh run that stops at a window depends on which bugs came before the one that reached it:
  // under exact assignment (drawn hard bugs first) such a run's bugs are put in a random order.
  const shuffleAtWindow = fresh && p.randomOrder && p.compactionSummary < 0;
  const window = fixer.window * (1 - 1e-12);
  const replayable = threshold < Infinity || trace !== null;
  const counts = new Int32Array(replayable ? q : 0);
  const ledger = replayable ? new Ledger(p.models, L1, Infinity, false, p.compactionSummary) : null;
  const scratch = new Float64Array(layout.length);
  const priced = new Float64Array(3);

  for (let r = 0; r < runs; r++) {
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
      if (fresh) retryPairs += ((n - 1) * (n - 2)) / 2;
      if (replayable) {
        counts[j] = n;
        if (n > most) most = n;
      }
    }
    if (replayable && (trace !== null || (total > 0 && L1 + ((fresh ? most : total) - 1) * delta > threshold))) {
      if (shuffleAtWindow && L1 + (most - 1) * delta > window) shuffle(counts, random);
      replay(p, ledger!, counts, r, out, sums, runs, scratch, priced, trace);
      continue;
    }
    let newTokens = 0;
    let cachedTokens = 0;
    let followUps = 0;
    if (total > 0) {
      if (fresh) {
        // q conversations: each opens with L1 new; each retry adds Delta new and rereads the rest.
        followUps = total - q;
        newTokens = q * L1 + followUps * delta;
        cachedTokens = followUps * L1 + delta * retryPairs;
      } else {
        // one conversation of T attempts
        followUps = total - 1;
        newTokens = L1 + followUps * delta;
        cachedTokens = followUps * L1 + (delta * followUps * (total - 2)) / 2;
      }
    }
    const costNew = newToken * newTokens;
    const costCached = cachedToken * cachedTokens;
    const costOut = outputToken * (G * total);
    record(out, sums, runs, r, generation, costNew, costCached, costOut, total, q, 0, followUps, followUps, 1);
  }
  // One model makes every fix-phase request: its categories are the fix-phase columns.
  const at = layout.modelBase + m * ModelSum.stride;
  if (fixer.caches) {
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
  scratch: Float64Array,
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
  ledger.price(scratch, 0, priced);
  record(out, sums, runs, r, p.generationCost, priced[0]!, priced[1]!, priced[2]!, attempts, counts.length, 0, ledger.hits, ledger.followUps, allFixed);
}

function attemptPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array, layout: SumsLayout, trace: TraceSink | null): void {
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
  const growth = 1 + p.errorGrowth;
  const timed = p.timed;
  const maxPerBug = p.maxAttemptsPerBug;
  const maxPerRun = p.maxAttemptsPerRun;
  const outputValue = fixOutput.a;
  const traceValue = errorTrace.a;
  const ledger = new Ledger(models, p.handoffTokens, p.ttlSeconds, timed, p.compactionSummary);
  const priced = new Float64Array(3);
  const rungBase = layout.rungBase;
  // P(no offspring) per model, for Knuth's Poisson sampler; pending new bugs by the model whose fix bred them
  const poissonZero = Float64Array.from(models, (m) => Math.exp(-m.regressionProbability));
  const pending = new Float64Array(models.length);
  // this bug's fix probability per rate source (NaN: not drawn yet); beta samplers on this stream
  const drawn = new Float64Array(rates.length);
  const anyBeta = rates.some((r) => r.beta);
  const betas = rates.map((r) => (r.beta ? betaSampler.factory(r.a, r.b, { prng: random }) : null));
  const count = countSampler(p, random);

  // Box-Muller gives normals in pairs; the spare lives for this chunk's stream only.
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
  const draw = (d: DistParams): number => {
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

  for (let r = 0; r < runs; r++) {
    ledger.startRun(p.generationSeconds);
    if (trace) traceGeneration(p, trace, r);
    const q = count();
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
        if (binomial) hard = random() < phi;
        else if (randomOrder) hard = random() * originalsLeft < hardLeft;
        else hard = hardLeft > 0;
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
      for (let k = 0; k < rungs.length; k++) {
        const rung = rungs[k]!;
        const m = rung.model;
        sums[rungBase + k * RungSum.stride + RungSum.reached] += 1;
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
        const rate = rates[source]!;
        let fixProbability = rate.p;
        if (rate.beta) {
          if (Number.isNaN(drawn[source]!)) drawn[source] = betas[source]!();
          fixProbability = drawn[source]!;
        }
        const model = models[m]!;
        for (let j = 0; j < rung.attempts; j++) {
          if (attempts >= maxPerRun) {
            allFixed = 0;
            break run;
          }
          const output = constantOutput ? outputValue : draw(fixOutput);
          const added = output + (constantTrace ? traceValue : draw(errorTrace)) * traceScale;
          if (!ledger.request(m, output, added, trace, r, bug, Role.Fix, tries + 1)) {
            allFixed = 0;
            sums[Sum.windowStops] += 1;
            break run;
          }
          if (timed) ledger.elapse(ledger.lastSeconds + draw(toolSeconds));
          attempts++;
          tries++;
          sums[rungBase + k * RungSum.stride + RungSum.attempts] += 1;
          if (random() < fixProbability) {
            fixed = true;
            if (trace) ledger.lastTrace!.fixed = true;
            const rp = model.regressionProbability;
            if (rp > 0) {
              let offspring = 0;
              if (!model.poissonOffspring) offspring = random() < rp ? 1 : 0;
              else for (let prod = random(); prod > poissonZero[m]!; prod *= random()) offspring++;
              pending[m] += offspring;
              newLeft += offspring;
              bugs += offspring;
            }
            break;
          }
          if (trace) ledger.lastTrace!.fixed = false;
          if (tries >= maxPerBug) break;
          traceScale *= growth;
        }
        if (fixed || tries >= maxPerBug) break;
      }
      if (!fixed) allFixed = 0;
    }
    sums[Sum.consults] += consults;
    sums[Sum.compactions] += ledger.compactions;
    ledger.price(sums, layout.modelBase, priced);
    record(out, sums, runs, r, p.generationCost, priced[0]!, priced[1]!, priced[2]!, attempts, bugs, ledger.wall, ledger.hits, ledger.followUps, allFixed);
  }
}

/** A run's bug count: fixed, or drawn from this chunk's stream (stdlib's samplers on it). */
function countSampler(p: SimParams, random: Random): () => number {
  switch (p.countKind) {
    case CountKind.Fixed: {
      const q = p.bugCount;
      return () => q;
    }
    case CountKind.Poisson:
      return poissonSampler.factory(p.bugCount, { prng: random });
    default:
      return negativeBinomialSampler.factory(p.countR, p.countP, { prng: random });
  }
}
