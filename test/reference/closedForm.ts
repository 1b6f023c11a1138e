/**
 * An independent reference for the expected cost of a strategy, written from
 * docs/model.md alone (not from src/model).
 *
 * It reads the raw scenario object (the file's shape: prices in $ per million tokens) with its own
 * defaults, and computes:
 *
 * - shared context, no regressions: the exact distribution of the total attempts T (the bugs'
 *   per-attempt geometric PMFs, or the easy/hard mixture under binomial assignment, convolved and
 *   truncated where the tail mass is below 1e-17), then E[C_fix] = sum_t C_fix(t) P(T = t) with
 *   C_fix(t) accumulated attempt by attempt from the token accounting of docs/model.md section 4;
 * - fresh context: per bug, sum over the PMF of N of the attempt-by-attempt cost of one
 *   conversation (error-trace growth included), summed over bugs;
 * - regressions: moments of T from a branching-process argument (subtree sizes), then the
 *   quadratic C_fix(t) in expectation (shared) or E[R] times a new bug's cost (fresh);
 * - TTL: alpha_eff = h alpha + (1 - h) w on the cached tokens, h = P(call + tool <= ttl);
 * - wall time: generation call + I * (fixer call + mean tool time).
 *
 * `formulaMean` is a second, formula-level implementation (docs/model.md's I, V, Vc expressions) that
 * accepts a real bug count, used for crossover checks.
 */

export type RawDist =
  | number
  | { dist: "constant"; value: number }
  | { dist: "uniform"; min: number; max: number }
  | { dist: "lognormal"; mean: number; cv: number }
  | { dist: "empirical"; values: number[] };

export interface RefModel {
  name: string;
  /** $ per token */
  cin: number;
  cout: number;
  q: number;
  phi: number;
  binomial: boolean;
  pe: number;
  ph: number;
  speed: { ttft: number; tps: number } | null;
  regressions: { r: number; poisson: boolean; phiR: number } | null;
}

export interface RefScenario {
  models: Record<string, RefModel>;
  L0: number;
  G0: number;
  G: RawDist;
  E: RawDist;
  g: number;
  alpha: number;
  w: number;
  ttl: number | null;
  tool: RawDist | null;
  contexts: ("shared" | "fresh")[];
  strategies: { name: string; generator: string; fixer: string }[];
  hasLimits: boolean;
}

export interface RefBreakdown {
  generation: number;
  fixInputNew: number;
  fixInputCached: number;
  fixOutput: number;
}

export interface RefResult {
  strategy: string;
  generator: string;
  fixer: string;
  context: "shared" | "fresh";
  /** null where docs/model.md / the decided semantics give no closed form */
  mean: number | null;
  breakdown: RefBreakdown | null;
  /** moments of the total attempts T (uncapped) */
  I: number;
  V: number;
  bugs: number;
  /** null when no model has a speed and there is no tool time */
  wall: number | null;
  /** cache hit probability of a follow-up request (1 without TTL) */
  h: number;
}

// ---------------------------------------------------------------------------------------------
// Reading the raw scenario

/* eslint-disable @typescript-eslint/no-explicit-any */
export function readRaw(raw: Record<string, unknown>): RefScenario {
  const r = raw as any;
  const models: Record<string, RefModel> = {};
  for (const [name, m] of Object.entries<any>(r.models)) {
    models[name] = {
      name,
      cin: m.price.input / 1e6,
      cout: m.price.output / 1e6,
      q: m.bugs.count,
      phi: m.bugs.hardFraction,
      binomial: m.bugs.assignment === "binomial",
      pe: m.fix.easy,
      ph: m.fix.hard,
      speed: m.speed ? { ttft: m.speed.ttftSeconds, tps: m.speed.outputTokensPerSecond } : null,
      regressions: m.regressions
        ? {
            r: m.regressions.probability,
            poisson: m.regressions.offspring === "poisson",
            phiR: m.regressions.hardFraction,
          }
        : null,
    };
  }
  const names = Object.keys(models);
  const strategies = r.strategies
    ? Object.entries<any>(r.strategies).map(([name, s]) => ({ name, generator: s.generator, fixer: s.fixer }))
    : names.flatMap((gen) => names.map((fix) => ({ name: `${gen}-${fix}`, generator: gen, fixer: fix })));
  return {
    models,
    L0: r.tokens.prompt,
    G0: r.tokens.generation,
    G: r.tokens.fixOutput,
    E: r.tokens.errorTrace,
    g: r.tokens.errorGrowth ?? 0,
    alpha: r.caching?.readMultiplier ?? 1,
    w: r.caching?.writeMultiplier ?? 1,
    ttl: r.caching?.ttlSeconds ?? null,
    tool: r.toolSeconds ?? null,
    contexts: r.contexts ?? ["shared", "fresh"],
    strategies,
    hasLimits:
      r.limits !== undefined &&
      (r.limits.maxAttemptsPerBug !== undefined || r.limits.maxAttemptsPerRun !== undefined),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

// ---------------------------------------------------------------------------------------------
// Distributions

export function distMean(d: RawDist): number {
  if (typeof d === "number") return d;
  switch (d.dist) {
    case "constant":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "lognormal":
      return d.mean;
    case "empirical":
      return d.values.reduce((a, b) => a + b, 0) / d.values.length;
  }
}

export function distIsConstant(d: RawDist): boolean {
  if (typeof d === "number") return true;
  switch (d.dist) {
    case "constant":
      return true;
    case "uniform":
      return d.min === d.max;
    case "lognormal":
      return d.cv === 0;
    case "empirical":
      return d.values.every((v) => v === d.values[0]);
  }
}

/**
 * erf by the everywhere-positive series erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (2n+1)!!
 * (no cancellation, so about 1e-16 absolute accuracy for |x| <= 6.5).
 */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x > 6.5) return 1;
  let term = x;
  let sum = x;
  for (let n = 0; n < 2000; n++) {
    term *= (2 * x * x) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-18) break;
  }
  return Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
}

export function normalCdf(z: number): number {
  return z >= 0 ? 0.5 + 0.5 * erf(z / Math.SQRT2) : 0.5 - 0.5 * erf(-z / Math.SQRT2);
}

/** P(X <= x) */
export function distCdf(d: RawDist, x: number): number {
  if (typeof d === "number") return d <= x ? 1 : 0;
  switch (d.dist) {
    case "constant":
      return d.value <= x ? 1 : 0;
    case "uniform":
      if (x >= d.max) return 1;
      if (x < d.min) return 0;
      return (x - d.min) / (d.max - d.min);
    case "lognormal": {
      if (d.cv === 0) return d.mean <= x ? 1 : 0;
      if (x <= 0) return 0;
      const s2 = Math.log(1 + d.cv * d.cv);
      const mu = Math.log(d.mean) - s2 / 2;
      return normalCdf((Math.log(x) - mu) / Math.sqrt(s2));
    }
    case "empirical":
      return d.values.filter((v) => v <= x).length / d.values.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Exact attempt distributions

const TAIL = 1e-17;

/** P(N = n), n = 0..len-1, for N ~ Geometric(p) on {1, 2, ...}, cut where P(N > n) < TAIL. */
export function geometricPmf(p: number): Float64Array {
  if (p >= 1) return Float64Array.from([0, 1]);
  const s = 1 - p;
  const nMax = Math.ceil(Math.log(TAIL) / Math.log(s));
  const pmf = new Float64Array(nMax + 1);
  let mass = p;
  for (let n = 1; n <= nMax; n++) {
    pmf[n] = mass;
    mass *= s;
  }
  return pmf;
}

/** Attempts of one bug that is hard with probability phi. */
export function mixturePmf(phi: number, pe: number, ph: number): Float64Array {
  const a = geometricPmf(pe);
  const b = geometricPmf(ph);
  const out = new Float64Array(Math.max(a.length, b.length));
  for (let i = 0; i < a.length; i++) out[i] += (1 - phi) * a[i]!;
  for (let i = 0; i < b.length; i++) out[i] += phi * b[i]!;
  return out;
}

/** Drop the far tail whose total mass is below TAIL. */
function truncate(pmf: Float64Array): Float64Array {
  let tail = 0;
  let end = pmf.length;
  while (end > 1 && tail + pmf[end - 1]! < TAIL) {
    tail += pmf[end - 1]!;
    end--;
  }
  return end === pmf.length ? pmf : pmf.slice(0, end);
}

export function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j]!;
  }
  return truncate(out);
}

/** PMF of T, the total attempts on the bugs that generator `gen` leaves for fixer `fix`. */
export function totalAttemptsPmf(gen: RefModel, fix: RefModel): Float64Array {
  const q = gen.q;
  if (!Number.isInteger(q)) throw new Error("exact distribution needs a whole bug count");
  const perBug: Float64Array[] = [];
  if (gen.binomial) {
    const m = mixturePmf(gen.phi, fix.pe, fix.ph);
    for (let j = 0; j < q; j++) perBug.push(m);
  } else {
    const hard = Math.round(q * gen.phi);
    const ge = geometricPmf(fix.pe);
    const gh = geometricPmf(fix.ph);
    for (let j = 0; j < q - hard; j++) perBug.push(ge);
    for (let j = 0; j < hard; j++) perBug.push(gh);
  }
  let pmf: Float64Array = Float64Array.from([1]);
  for (const b of perBug) pmf = convolve(pmf, b);
  return pmf;
}

export function pmfMoments(pmf: Float64Array): { mean: number; variance: number } {
  let m1 = 0;
  for (let t = 0; t < pmf.length; t++) m1 += t * pmf[t]!;
  let v = 0;
  for (let t = 0; t < pmf.length; t++) v += (t - m1) * (t - m1) * pmf[t]!;
  return { mean: m1, variance: v };
}

// ---------------------------------------------------------------------------------------------
// Token accounting of docs/model.md section 4, attempt by attempt

export interface Tokens {
  /** input tokens new to the cache */
  inputNew: number;
  /** input tokens read from the cache */
  inputCached: number;
  output: number;
}

/**
 * Expected tokens of one shared conversation over T attempts with the given PMF:
 * attempt 1 reads L1 new; attempt s >= 2 reads Delta new and L1 + (s-2) Delta cached.
 */
export function sharedTokensExact(pmf: Float64Array, L1: number, G: number, Delta: number): Tokens {
  let inputNew = 0;
  let inputCached = 0;
  let output = 0;
  let newSoFar = 0;
  let cachedSoFar = 0;
  for (let t = 1; t < pmf.length; t++) {
    if (t === 1) newSoFar += L1;
    else {
      newSoFar += Delta;
      cachedSoFar += L1 + (t - 2) * Delta;
    }
    const pt = pmf[t]!;
    inputNew += pt * newSoFar;
    inputCached += pt * cachedSoFar;
    output += pt * G * t;
  }
  return { inputNew, inputCached, output };
}

/**
 * Expected tokens of one fresh conversation on one bug fixed with probability p per attempt,
 * summed over N's PMF. Attempt k produces G output and an error trace E (1+g)^(k-1); attempt s >= 2
 * reads the previous attempt's output and trace as new tokens and everything before from the cache.
 */
export function freshBugTokens(p: number, L1: number, G: number, E: number, g: number): Tokens {
  if (p >= 1) return { inputNew: L1, inputCached: 0, output: G };
  const s = 1 - p;
  const a = 1 + g;
  const rho = s * a;
  if (rho >= 1) throw new Error("infinite expected error trace");
  let inputNew = 0;
  let inputCached = 0;
  let output = 0;
  // state after attempt n of the conversation
  let newSoFar = L1;
  let cachedSoFar = 0;
  let outSoFar = G;
  let context = L1; // tokens the next attempt will read except the newest Delta
  let probN = p; // P(N = n)
  let tailN = s; // P(N > n)
  for (let n = 1; ; n++) {
    inputNew += probN * newSoFar;
    inputCached += probN * cachedSoFar;
    output += probN * outSoFar;
    if (tailN < TAIL && Math.pow(rho, n) * (n + 1) * (n + 1) * (n + 1) < TAIL * (1 - rho)) break;
    if (n > 1e6) throw new Error("no convergence");
    // attempt n+1
    const delta = G + E * Math.pow(a, n - 1); // produced by attempt n
    newSoFar += delta;
    cachedSoFar += context;
    context += delta;
    outSoFar += G;
    probN *= s;
    tailN *= s;
  }
  return { inputNew, inputCached, output };
}

// ---------------------------------------------------------------------------------------------
// Regressions: moments from a branching argument

/**
 * A new bug's subtree: S = M + sum_{i=1}^{O} S_i with O offspring per successful fix
 * (Bernoulli(r): mean r, var r(1-r); Poisson(r): mean r, var r).
 * E[S] = E[M] / (1 - r); Var(S) (1 - r) = Var(M) + Var(O) E[S]^2.
 * An original bug with attempts A: T_j = A + sum_{i=1}^{O} S_i adds r E[S] to the mean and
 * r Var(S) + Var(O) E[S]^2 to the variance.
 */
export function regressionExtra(
  reg: { r: number; poisson: boolean; phiR: number },
  fix: RefModel,
): { meanPerBug: number; varPerBug: number; newBugsPerBug: number } {
  const { mean: mM, variance: vM } = pmfMoments(mixturePmf(reg.phiR, fix.pe, fix.ph));
  const r = reg.r;
  const varO = reg.poisson ? r : r * (1 - r);
  const eS = mM / (1 - r);
  const vS = (vM + varO * eS * eS) / (1 - r);
  return {
    meanPerBug: r * eS,
    varPerBug: r * vS + varO * eS * eS,
    // new bugs in the subtree below one bug: E[O] * E[subtree size] = r / (1 - r)
    newBugsPerBug: r / (1 - r),
  };
}

/**
 * The exact PMF of T with regressions, for small cases: a new bug's subtree S' satisfies
 * S' = M + sum_{i=1}^{O} S'_i, so its PMF is the fixed point of f = f_M * sum_k P(O = k) f^{*k}
 * (iterated from f_M, each step adds one generation of the tree). An original bug with
 * attempts A contributes A + sum_{i=1}^{O} S'_i.
 */
export function totalAttemptsPmfWithRegressions(gen: RefModel, fix: RefModel, maxIterations = 400): Float64Array {
  const reg = fix.regressions;
  if (!reg || reg.r === 0) return totalAttemptsPmf(gen, fix);
  const offspring: number[] = [];
  if (reg.poisson) {
    let pk = Math.exp(-reg.r);
    let cum = 0;
    for (let k = 0; 1 - cum > TAIL && k < 200; k++) {
      offspring.push(pk);
      cum += pk;
      pk *= reg.r / (k + 1);
    }
  } else offspring.push(1 - reg.r, reg.r);
  const compound = (f: Float64Array): Float64Array => {
    let out = Float64Array.from([offspring[0]!]);
    let power: Float64Array = Float64Array.from([1]);
    for (let k = 1; k < offspring.length; k++) {
      power = convolve(power, f);
      const next = new Float64Array(Math.max(out.length, power.length));
      next.set(out);
      for (let i = 0; i < power.length; i++) next[i] += offspring[k]! * power[i]!;
      out = next;
    }
    return out;
  };
  const fM = mixturePmf(reg.phiR, fix.pe, fix.ph);
  let f = fM;
  for (let it = 0; it < maxIterations; it++) {
    const next = convolve(fM, compound(f));
    let diff = 0;
    for (let i = 0; i < Math.max(next.length, f.length); i++) diff += Math.abs((next[i] ?? 0) - (f[i] ?? 0));
    f = next;
    if (diff < 1e-16) break;
  }
  const below = compound(f);
  const base = gen.binomial
    ? Array.from({ length: gen.q }, () => mixturePmf(gen.phi, fix.pe, fix.ph))
    : [
        ...Array.from({ length: gen.q - Math.round(gen.q * gen.phi) }, () => geometricPmf(fix.pe)),
        ...Array.from({ length: Math.round(gen.q * gen.phi) }, () => geometricPmf(fix.ph)),
      ];
  let pmf: Float64Array = Float64Array.from([1]);
  for (const a of base) pmf = convolve(pmf, convolve(a, below));
  return pmf;
}

// ---------------------------------------------------------------------------------------------
// A whole strategy

function callSeconds(m: RefModel, outputTokens: number): number {
  return m.speed ? m.speed.ttft + outputTokens / m.speed.tps : 0;
}

export function hitProbability(s: RefScenario, fix: RefModel): number {
  if (s.ttl === null) return 1;
  const room = s.ttl - callSeconds(fix, distMean(s.G));
  if (s.tool === null) return room >= 0 ? 1 : 0;
  return distCdf(s.tool, room);
}

function noClosedForm(s: RefScenario, gen: RefModel, fix: RefModel, context: "shared" | "fresh"): boolean {
  if (s.hasLimits) return true;
  // growth in shared context has none, but a generator that leaves no bug makes no retry to grow
  if (context === "shared" && s.g > 0 && gen.q > 0) return true;
  if (s.ttl !== null && fix.speed !== null && !distIsConstant(s.G)) return true;
  return false;
}

export function referenceCost(
  raw: Record<string, unknown> | RefScenario,
  strategy: { name: string; generator: string; fixer: string },
  context: "shared" | "fresh",
): RefResult {
  const s = "models" in raw && "L0" in raw ? (raw as RefScenario) : readRaw(raw as Record<string, unknown>);
  const gen = s.models[strategy.generator]!;
  const fix = s.models[strategy.fixer]!;
  const L1 = s.L0 + s.G0;
  const G = distMean(s.G);
  const E = distMean(s.E);
  const Delta = G + E;
  const h = hitProbability(s, fix);
  const alphaEff = h * s.alpha + (1 - h) * s.w;
  const generation = gen.cin * s.L0 + gen.cout * s.G0;
  const reg = fix.regressions && fix.regressions.r > 0 ? fix.regressions : null;
  const extra = reg ? regressionExtra(reg, fix) : { meanPerBug: 0, varPerBug: 0, newBugsPerBug: 0 };

  // moments of T (both contexts)
  const pmf = totalAttemptsPmf(gen, fix);
  const base = pmfMoments(pmf);
  const I = base.mean + gen.q * extra.meanPerBug;
  const V = base.variance + gen.q * extra.varPerBug;
  const bugs = gen.q * (1 + extra.newBugsPerBug);

  const anySpeed = Object.values(s.models).some((m) => m.speed !== null);
  const wall =
    anySpeed || s.tool !== null
      ? callSeconds(gen, s.G0) + I * (callSeconds(fix, G) + (s.tool === null ? 0 : distMean(s.tool)))
      : null;

  const result = { strategy: strategy.name, generator: gen.name, fixer: fix.name, context, I, V, bugs, wall, h };
  if (noClosedForm(s, gen, fix, context)) return { ...result, mean: null, breakdown: null };

  let tokens: Tokens;
  if (context === "shared") {
    if (gen.q === 0) tokens = { inputNew: 0, inputCached: 0, output: 0 };
    else if (!reg) tokens = sharedTokensExact(pmf, L1, G, Delta);
    else {
      // C_fix(t): new L1 + (t-1) Delta, cached (t-1) L1 + Delta (t-1)(t-2)/2, output G t; T >= 1
      const ET2 = V + I * I;
      tokens = {
        inputNew: L1 + (I - 1) * Delta,
        inputCached: (I - 1) * L1 + (Delta * (ET2 - 3 * I + 2)) / 2,
        output: G * I,
      };
    }
  } else {
    const easy = freshBugTokens(fix.pe, L1, G, E, s.g);
    const hard = freshBugTokens(fix.ph, L1, G, E, s.g);
    const mix = (w1: number, n: number): Tokens => ({
      inputNew: n * ((1 - w1) * easy.inputNew + w1 * hard.inputNew),
      inputCached: n * ((1 - w1) * easy.inputCached + w1 * hard.inputCached),
      output: n * ((1 - w1) * easy.output + w1 * hard.output),
    });
    const original = mix(gen.phi, gen.q);
    const fresh = reg ? mix(reg.phiR, gen.q * extra.newBugsPerBug) : { inputNew: 0, inputCached: 0, output: 0 };
    tokens = {
      inputNew: original.inputNew + fresh.inputNew,
      inputCached: original.inputCached + fresh.inputCached,
      output: original.output + fresh.output,
    };
  }
  // With a TTL, a follow-up request finds the cache alive with probability h; otherwise its whole
  // input is new and paid at w (docs/model.md section 5). In expectation the cached tokens cost
  // alpha_eff = h alpha + (1 - h) w; the breakdown books the missed share (1 - h) as new input.
  const breakdown: RefBreakdown = {
    generation,
    fixInputNew: s.w * fix.cin * (tokens.inputNew + (1 - h) * tokens.inputCached),
    fixInputCached: h * s.alpha * fix.cin * tokens.inputCached,
    fixOutput: fix.cout * tokens.output,
  };
  const mean = generation + s.w * fix.cin * tokens.inputNew + alphaEff * fix.cin * tokens.inputCached + breakdown.fixOutput;
  return { ...result, mean, breakdown };
}

/** Every strategy in every context of the scenario. */
export function referenceAll(raw: Record<string, unknown>): RefResult[] {
  const s = readRaw(raw);
  return s.strategies.flatMap((st) => s.contexts.map((c) => referenceCost(s, st, c)));
}

// ---------------------------------------------------------------------------------------------
// Formula level (docs/model.md sections 3-4), real bug counts allowed; base model plus caching only.

export function formulaMean(
  raw: Record<string, unknown> | RefScenario,
  strategy: { generator: string; fixer: string },
  context: "shared" | "fresh",
  overrides: { q?: number } = {},
): number {
  const s = "models" in raw && "L0" in raw ? (raw as RefScenario) : readRaw(raw as Record<string, unknown>);
  const gen = s.models[strategy.generator]!;
  const fix = s.models[strategy.fixer]!;
  const q = overrides.q ?? gen.q;
  const L1 = s.L0 + s.G0;
  const G = distMean(s.G);
  const Delta = G + distMean(s.E);
  const { alpha, w } = s;
  const cin = fix.cin;
  const me = 1 / fix.pe;
  const mh = 1 / fix.ph;
  const ve = (1 - fix.pe) / fix.pe ** 2;
  const vh = (1 - fix.ph) / fix.ph ** 2;
  const phi = gen.phi;
  const I = q * ((1 - phi) * me + phi * mh);
  let V = q * ((1 - phi) * ve + phi * vh);
  if (gen.binomial) V += q * phi * (1 - phi) * (mh - me) ** 2;
  const Vc = q * ((1 - phi) * (1 - fix.pe) ** 2 / fix.pe ** 2 + (phi * (1 - fix.ph) ** 2) / fix.ph ** 2);
  const generation = gen.cin * s.L0 + gen.cout * s.G0;
  let fixCost: number;
  if (q === 0) fixCost = 0; // no bugs, no fix phase (the shared formula holds for T >= 1 only)
  else if (context === "shared") {
    fixCost =
      w * cin * (L1 + (I - 1) * Delta) +
      alpha * cin * ((I - 1) * L1 + (Delta * (V + I * I - 3 * I + 2)) / 2) +
      fix.cout * G * I;
  } else {
    fixCost = w * cin * (q * L1 + (I - q) * Delta) + alpha * cin * ((I - q) * L1 + Delta * Vc) + fix.cout * G * I;
  }
  return generation + fixCost;
}
