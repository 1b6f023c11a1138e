/**
 * A small Monte Carlo of the fix phase, the reference's own (not src/sim): it plays docs/model.md
 * section 8's semantics request by request, so that the reference's closed forms can be checked
 * against something that shares none of their algebra.
 *
 * Per run: the generation call; a bug count (fixed, Poisson by multiplying uniforms, negative
 * binomial as a Gamma-Poisson mixture); classes (exact: the fixed multiset shuffled; otherwise
 * each hard with probability hardFraction); per bug one draw of p per rate source (Beta through
 * two Gamma draws); the ladder climbed rung by rung with the cache rule per model (P_m, expired
 * after a gap above the TTL: call time + tool time), tiers on each request's whole input,
 * fixOutput and errorTrace drawn per attempt (error trace scaled by (1+g)^(k-1)), regressions
 * queued after the remaining bugs. No limits, no context windows.
 */
import seedrandom from "seedrandom";
import type { RawDist } from "./closedForm.js";
import type { RateLaw } from "./laws.js";
import { readLadderScenario, type Context, type LScenario, type ModelPrices } from "./ladderScenario.js";

type Rng = () => number;

function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, 1): Marsaglia and Tsang; shape < 1 by Gamma(shape + 1) U^(1/shape). */
export function gammaSample(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng();
    return gammaSample(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function betaSample(rng: Rng, a: number, b: number): number {
  const x = gammaSample(rng, a);
  const y = gammaSample(rng, b);
  return x / (x + y);
}

/** Poisson by counting uniforms whose running product stays above e^-lambda (small means). */
export function poissonSample(rng: Rng, lambda: number): number {
  if (lambda > 500) throw new Error("monte carlo: mean too large");
  const limit = Math.exp(-lambda);
  let k = 0;
  let prod = rng();
  while (prod > limit) {
    k++;
    prod *= rng();
  }
  return k;
}

function drawRate(rng: Rng, law: RateLaw): number {
  return law.kind === "fixed" ? law.p : betaSample(rng, law.a, law.b);
}

function drawDist(rng: Rng, d: RawDist): number {
  if (typeof d === "number") return d;
  switch (d.dist) {
    case "constant":
      return d.value;
    case "uniform":
      return d.min + (d.max - d.min) * rng();
    case "lognormal": {
      if (d.cv === 0) return d.mean;
      const s2 = Math.log(1 + d.cv * d.cv);
      return Math.exp(Math.log(d.mean) - s2 / 2 + Math.sqrt(s2) * normal(rng));
    }
    case "empirical":
      return d.values[Math.floor(rng() * d.values.length)]!;
  }
}

/** Sample mean and its standard error. */
export interface Estimate {
  mean: number;
  se: number;
}

export interface McResult {
  runs: number;
  cost: Estimate;
  /** per model: generation ($ per run, a constant) and fix-phase categories */
  byModel: Record<string, { generation: number } & Record<Category, Estimate>>;
  completion: Estimate;
  attempts: Estimate;
  consults: Estimate;
  bugs: Estimate;
  /** per rung: mean bugs reaching it per run, mean attempts (consults) on it per run */
  rungs: { reachPerRun: number; attemptsPerRun: number }[];
  /** every run's cost, in run order (for comparing distributions) */
  costs: Float64Array;
}

const CATEGORIES = ["uncachedInput", "cacheWrite", "cacheRead", "output"] as const;
type Category = (typeof CATEGORIES)[number];

class Moments {
  n = 0;
  sum = 0;
  sumSq = 0;
  add(x: number): void {
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
  }
  estimate(): Estimate {
    const mean = this.sum / this.n;
    const variance = Math.max(0, (this.sumSq - this.n * mean * mean) / (this.n - 1));
    return { mean, se: Math.sqrt(variance / this.n) };
  }
}

export function simulateStrategy(
  raw: Record<string, unknown>,
  strategyName: string,
  context: Context,
  runs: number,
  seed: number,
): McResult {
  const s: LScenario = readLadderScenario(raw);
  const st = s.strategies.find((x) => x.name === strategyName);
  if (!st) throw new Error(`monte carlo: no strategy ${strategyName}`);
  const rng = seedrandom.alea(`reference-mc-${seed}`);
  const gen = s.models[st.generator]!;
  const L1 = s.L0 + s.G0;
  const genPrices = gen.prices.tier && s.L0 > gen.prices.tier.above ? gen.prices.tier : gen.prices.base;
  const generation = genPrices.input * s.L0 + genPrices.output * s.G0;

  const models = [...new Set([st.generator, ...st.rungs.map((r) => r.model)])];
  // this run's cost by model and category, and their moments over runs
  const perRun: Record<string, Record<Category, number>> = {};
  const perModel: Record<string, Record<Category, Moments>> = {};
  for (const m of models) {
    perRun[m] = { uncachedInput: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
    perModel[m] = { uncachedInput: new Moments(), cacheWrite: new Moments(), cacheRead: new Moments(), output: new Moments() };
  }
  const cost = new Moments();
  const costs = new Float64Array(runs);
  const completion = new Moments();
  const attemptsM = new Moments();
  const consultsM = new Moments();
  const bugsM = new Moments();
  const rungReach = new Float64Array(st.rungs.length);
  const rungAttempts = new Float64Array(st.rungs.length);

  // conversation state
  let X = 0;
  let time = 0;
  const P = new Map<string, number>();
  const lastStart = new Map<string, number>();
  let runCost = 0;

  const request = (m: string, out: number) => {
    const prices: ModelPrices = s.models[m]!.prices;
    const speed = s.models[m]!.speed;
    const start = time;
    let Pm = P.get(m) ?? 0;
    if (s.ttl !== null && lastStart.has(m) && start - lastStart.get(m)! > s.ttl) Pm = 0;
    const t = prices.tier && X > prices.tier.above ? prices.tier : prices.base;
    const acc = perRun[m]!;
    let c: number;
    if (prices.caches) {
      const w = t.cacheWrite * (X - Pm);
      const r = t.cacheRead * Pm;
      acc.cacheWrite += w;
      acc.cacheRead += r;
      c = w + r;
    } else {
      c = t.input * X;
      acc.uncachedInput += c;
    }
    acc.output += t.output * out;
    runCost += c + t.output * out;
    P.set(m, X);
    lastStart.set(m, start);
    time += speed ? speed.ttft + out / speed.tps : 0;
  };

  for (let run = 0; run < runs; run++) {
    runCost = generation;
    for (const m of models) for (const k of CATEGORIES) perRun[m]![k] = 0;
    // bugs of the run
    let q: number;
    if (gen.count.kind === "fixed") q = gen.count.q;
    else if (gen.count.kind === "poisson") q = poissonSample(rng, gen.count.mean);
    else {
      const size = (gen.count.mean * gen.count.mean) / (gen.count.variance - gen.count.mean);
      q = poissonSample(rng, (gammaSample(rng, size) * gen.count.mean) / size);
    }
    const queue: boolean[] = []; // hard?
    if (gen.count.kind === "fixed" && gen.exact) {
      const H = Math.round(q * gen.phi);
      for (let j = 0; j < q; j++) queue.push(j < H);
      for (let j = q - 1; j > 0; j--) {
        const i = Math.floor(rng() * (j + 1));
        [queue[i], queue[j]] = [queue[j]!, queue[i]!];
      }
    } else for (let j = 0; j < q; j++) queue.push(rng() < gen.phi);

    X = L1;
    time = 0;
    P.clear();
    lastStart.clear();
    let complete = true;
    let attempts = 0;
    let consults = 0;
    for (let b = 0; b < queue.length; b++) {
      const hard = queue[b]!;
      if (context === "fresh") {
        X = L1;
        P.clear();
        lastStart.clear();
      }
      const draws = new Map<string, number>();
      let onBug = 0;
      let fixed = false;
      for (let r = 0; r < st.rungs.length && !fixed; r++) {
        const rung = st.rungs[r]!;
        rungReach[r]! += 1;
        if (rung.kind === "consult") {
          request(rung.model, rung.output);
          X += rung.output;
          consults++;
          rungAttempts[r]! += 1;
          continue;
        }
        const key = rung.source.key;
        if (!draws.has(key)) draws.set(key, drawRate(rng, hard ? rung.source.hard : rung.source.easy));
        const p = draws.get(key)!;
        const k = rung.attempts ?? Infinity;
        for (let n = 1; n <= k; n++) {
          const out = drawDist(rng, s.G);
          const trace = drawDist(rng, s.E) * Math.pow(1 + s.g, onBug);
          request(rung.model, out);
          onBug++;
          attempts++;
          rungAttempts[r]! += 1;
          if (s.tool !== null) time += drawDist(rng, s.tool);
          X += out + trace;
          if (rng() < p) {
            fixed = true;
            const reg = s.models[rung.model]!.regressions;
            if (reg) {
              const born = reg.poisson ? poissonSample(rng, reg.r) : rng() < reg.r ? 1 : 0;
              for (let i = 0; i < born; i++) queue.push(rng() < reg.phiR);
            }
            break;
          }
        }
      }
      if (!fixed) complete = false;
    }
    cost.add(runCost);
    costs[cost.n - 1] = runCost;
    completion.add(complete ? 1 : 0);
    attemptsM.add(attempts);
    consultsM.add(consults);
    bugsM.add(queue.length);
    for (const m of models) for (const k of CATEGORIES) perModel[m]![k].add(perRun[m]![k]);
  }
  const byModel: McResult["byModel"] = {};
  for (const m of models) {
    const e = (k: Category) => perModel[m]![k].estimate();
    byModel[m] = {
      generation: m === st.generator ? generation : 0,
      uncachedInput: e("uncachedInput"),
      cacheWrite: e("cacheWrite"),
      cacheRead: e("cacheRead"),
      output: e("output"),
    };
  }
  return {
    runs,
    cost: cost.estimate(),
    byModel,
    completion: completion.estimate(),
    attempts: attemptsM.estimate(),
    consults: consultsM.estimate(),
    bugs: bugsM.estimate(),
    rungs: st.rungs.map((_, r) => ({ reachPerRun: rungReach[r]! / runs, attemptsPerRun: rungAttempts[r]! / runs })),
    costs,
  };
}
