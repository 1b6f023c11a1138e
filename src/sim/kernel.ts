/**
 * The simulation kernel: n runs of one (strategy, context) from one random stream.
 *
 * Two paths that agree in distribution on the base model:
 * - fast: each bug's attempt count by inversion, N = 1 + floor(ln(1-U) / ln(1-p)), one uniform
 *   per bug (binomial difficulty reuses it: U < phi is hard, and U/phi is again uniform), and the
 *   run priced from the counts with the formulas of section 4. A guide table over U answers most
 *   draws without the logarithm (see `inversionTable`);
 * - attempt: every attempt stepped through with its token accounting, which the extensions
 *   (time, cache expiry, variable tokens, growth, regressions, caps) need.
 * Neither allocates per run or per attempt.
 */
import seedrandom from "seedrandom";
import { Col, runTable, type RunTable } from "./columns.js";
import { DistKind, fastPathApplies, type DistParams, type SimParams } from "./params.js";

export type SimPath = "auto" | "fast" | "attempt";
type Random = () => number;

/**
 * Simulate `runs` runs from the stream named by `seed` into a run table (see columns.ts):
 * `table` when given (all of it is overwritten), else a new one.
 */
export function simulateChunk(p: SimParams, seed: string, runs: number, path: SimPath = "auto", table = runTable(runs)): RunTable {
  if (table.runs !== runs) throw new Error(`a run table of ${table.runs} runs cannot take ${runs}`);
  table.sums.fill(0);
  const random: Random = seedrandom.alea(seed);
  const fast = path === "fast" || (path === "auto" && fastPathApplies(p));
  if (fast && !fastPathApplies(p)) throw new Error("the fast path only simulates the base model");
  if (fast) fastPath(p, random, runs, table.columns, table.sums);
  else attemptPath(p, random, runs, table.columns, table.sums);
  return table;
}

/** $ per token of the fixer: w c_in for new input, alpha c_in for cached input, c_out for output. */
interface Prices {
  newToken: number;
  cachedToken: number;
  outputToken: number;
  generation: number;
}

/** Built on the worker's own thread, so the hot loops read a compact object, not a cloned one. */
function pricesOf(p: SimParams): Prices {
  return {
    newToken: p.writeMultiplier * p.inputPrice,
    cachedToken: p.readMultiplier * p.inputPrice,
    outputToken: p.outputPrice,
    generation: p.generationCost,
  };
}

/**
 * Price run r's fix-phase tokens, c_in (w new + alpha cached) + c_out output, write its row
 * (column c of run r is out[c * runs + r], see columns.ts) and add it to the column sums.
 */
function record(
  out: Float64Array,
  sums: Float64Array,
  runs: number,
  r: number,
  price: Prices,
  newTokens: number,
  cachedTokens: number,
  outputTokens: number,
  attempts: number,
  bugs: number,
  wallSeconds: number,
  cacheHits: number,
  followUps: number,
  allFixed: number,
): void {
  const costNew = price.newToken * newTokens;
  const costCached = price.cachedToken * cachedTokens;
  const costOut = price.outputToken * outputTokens;
  const cost = price.generation + costNew + costCached + costOut;
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

function fastPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array): void {
  const q = p.bugCount;
  const hardBugs = p.hardBugs;
  const binomial = p.binomial;
  const phi = p.hardFraction;
  // 1/ln(1-p); -0 when p = 1, which makes every N exactly 1.
  const invLogEasy = 1 / Math.log1p(-p.fixEasy);
  const invLogHard = 1 / Math.log1p(-p.fixHard);
  const tableEasy = inversionTable(p.fixEasy);
  const tableHard = inversionTable(p.fixHard);
  const price = pricesOf(p);
  const L1 = p.handoffTokens;
  const G = p.fixOutput.a;
  const delta = G + p.errorTrace.a;
  const fresh = p.fresh;

  for (let r = 0; r < runs; r++) {
    let total = 0; // T
    let retryPairs = 0; // sum over bugs of (N-1)(N-2)/2, for fresh context
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
    record(out, sums, runs, r, price, newTokens, cachedTokens, G * total, total, q, 0, followUps, followUps, 1);
  }
}

function attemptPath(p: SimParams, random: Random, runs: number, out: Float64Array, sums: Float64Array): void {
  const q = p.bugCount;
  const hardBugs = p.hardBugs;
  const binomial = p.binomial;
  const phi = p.hardFraction;
  const pe = p.fixEasy;
  const ph = p.fixHard;
  const L1 = p.handoffTokens;
  const fresh = p.fresh;
  const fixOutput = p.fixOutput;
  const errorTrace = p.errorTrace;
  const toolSeconds = p.toolSeconds;
  const constantOutput = fixOutput.kind === DistKind.Constant;
  const constantTrace = errorTrace.kind === DistKind.Constant;
  const growth = 1 + p.errorGrowth;
  const ttl = p.ttlSeconds;
  const timed = p.timed;
  const ttft = p.fixTtftSeconds;
  const secondsPerToken = p.fixSecondsPerToken;
  const regression = p.regressionProbability;
  const poisson = p.poissonOffspring;
  const poissonZero = Math.exp(-regression); // P(no offspring), Knuth's Poisson sampler
  const regressionHard = p.regressionHardFraction;
  const maxPerBug = p.maxAttemptsPerBug;
  const maxPerRun = p.maxAttemptsPerRun;
  const generationSeconds = p.generationSeconds;
  const price = pricesOf(p);
  const outputValue = fixOutput.a;
  const traceValue = errorTrace.a;

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
    let newTokens = 0;
    let cachedTokens = 0;
    let outputTokens = 0;
    let attempts = 0;
    let hits = 0;
    let followUps = 0;
    let wall = generationSeconds;
    let bugs = q;
    let allFixed = 1;
    let originalsLeft = q;
    let hardLeft = hardBugs;
    let newLeft = 0;
    let inConversation = false;
    let context = 0; // tokens the conversation holds so far
    let lastDelta = 0; // what the previous attempt added (new to the cache)
    let lastGap = 0; // seconds since the previous request of the conversation

    run: while (originalsLeft + newLeft > 0) {
      let hard: boolean;
      if (originalsLeft > 0) {
        originalsLeft--;
        if (binomial) hard = random() < phi;
        else {
          hard = hardLeft > 0;
          if (hard) hardLeft--;
        }
      } else {
        newLeft--;
        hard = random() < regressionHard;
      }
      const fixProbability = hard ? ph : pe;
      if (fresh) inConversation = false;
      let traceScale = 1; // (1+g)^(k-1) for the k-th attempt on this bug
      let tries = 0;
      for (;;) {
        if (attempts >= maxPerRun) {
          allFixed = 0;
          break run;
        }
        if (!inConversation) {
          inConversation = true;
          context = L1;
          newTokens += L1;
        } else {
          followUps++;
          if (lastGap <= ttl) {
            hits++;
            newTokens += lastDelta;
            cachedTokens += context - lastDelta;
          } else {
            newTokens += context;
          }
        }
        const output = constantOutput ? outputValue : draw(fixOutput);
        const trace = (constantTrace ? traceValue : draw(errorTrace)) * traceScale;
        outputTokens += output;
        lastDelta = output + trace;
        context += lastDelta;
        if (timed) {
          lastGap = ttft + output * secondsPerToken + draw(toolSeconds);
          wall += lastGap;
        }
        attempts++;
        tries++;
        if (random() < fixProbability) {
          if (regression > 0) {
            let offspring = 0;
            if (!poisson) offspring = random() < regression ? 1 : 0;
            else for (let prod = random(); prod > poissonZero; prod *= random()) offspring++;
            newLeft += offspring;
            bugs += offspring;
          }
          break;
        }
        if (tries >= maxPerBug) {
          allFixed = 0;
          break;
        }
        traceScale *= growth;
      }
    }
    record(out, sums, runs, r, price, newTokens, cachedTokens, outputTokens, attempts, bugs, wall, hits, followUps, allFixed);
  }
}
