/**
 * Probability laws of the reference implementation (written from docs/model.md sections 3
 * and 10, not from src/): per-attempt fix rates (a fixed number or a
 * Beta draw per bug) and bug counts (fixed, Poisson, negative binomial).
 *
 * Everything the ladder reference needs from a fix rate p is one of two expectations over the
 * bug's draw of p (for a fixed number they are plain powers):
 *
 *   survival(K)   = E[(1 - p)^K]          P(the first K attempts on this rate source all fail)
 *   mixed(K, j)   = E[(1 - p)^K / p^j]    j = 1, 2: sums over an unbounded run of attempts
 *
 * because, given p, sum_{i >= 0} (1-p)^i = 1/p and sum_{i >= 0} i (1-p)^i = (1-p)/p^2.
 */

/** A per-attempt fix probability: a number, or a Beta(a, b) drawn once per bug. */
export type RateLaw = { kind: "fixed"; p: number } | { kind: "beta"; a: number; b: number };

/** A raw rate: a number or `{ dist: beta, mean, concentration }` (a = mean c, b = (1 - mean) c). */
export function rateLaw(raw: unknown): RateLaw {
  if (typeof raw === "number") return { kind: "fixed", p: raw };
  const r = raw as { dist?: string; mean?: number; concentration?: number; value?: number };
  if (r.dist === "constant" && typeof r.value === "number") return { kind: "fixed", p: r.value };
  if (r.dist === "beta" && typeof r.mean === "number" && typeof r.concentration === "number") {
    return { kind: "beta", a: r.mean * r.concentration, b: (1 - r.mean) * r.concentration };
  }
  throw new Error(`reference: unsupported fix rate ${JSON.stringify(raw)}`);
}

export function isBeta(law: RateLaw): law is { kind: "beta"; a: number; b: number } {
  return law.kind === "beta";
}

/** E[p] */
export function rateMean(law: RateLaw): number {
  return law.kind === "fixed" ? law.p : law.a / (law.a + law.b);
}

const survivalCache = new WeakMap<RateLaw, number[]>();

/**
 * survival(K) = E[(1 - p)^K].
 * Fixed p: (1 - p)^K. Beta(a, b): B(a, b + K) / B(a, b) = prod_{i=0}^{K-1} (b + i) / (a + b + i),
 * kept as a growing table per law (the ratio of consecutive terms is (b + K)/(a + b + K)).
 */
export function survival(law: RateLaw, K: number): number {
  if (K === 0) return 1;
  if (law.kind === "fixed") return Math.pow(1 - law.p, K);
  let table = survivalCache.get(law);
  if (!table) {
    table = [1];
    survivalCache.set(law, table);
  }
  while (table.length <= K) {
    const i = table.length - 1;
    table.push(table[i]! * ((law.b + i) / (law.a + law.b + i)));
  }
  return table[K]!;
}

/**
 * mixed(K, j) = E[(1 - p)^K p^-j], j = 1 or 2.
 * Fixed p: (1 - p)^K / p^j.
 * Beta(a, b): B(a - j, b + K) / B(a, b)
 *   = [B(a - j, b + K) / B(a - j, b)] [B(a - j, b) / B(a, b)]
 *   = prod_{i=0}^{K-1} (b + i)/(a - j + b + i)  *  prod_{i=1}^{j} (a + b - i)/(a - i),
 * finite only for a > j (the density near p = 0 is p^(a-1)): Infinity otherwise.
 * With K = 0: E[1/p] = (a+b-1)/(a-1), E[1/p^2] = (a+b-1)(a+b-2)/((a-1)(a-2)) (docs/model.md section 10).
 */
export function mixed(law: RateLaw, K: number, j: 1 | 2): number {
  if (law.kind === "fixed") {
    if (law.p <= 0) return Infinity;
    return Math.pow(1 - law.p, K) / Math.pow(law.p, j);
  }
  const { a, b } = law;
  if (a <= j) return Infinity;
  let out = 1;
  for (let i = 1; i <= j; i++) out *= (a + b - i) / (a - i);
  for (let i = 0; i < K; i++) out *= (b + i) / (a - j + b + i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bug counts

export type CountLaw =
  | { kind: "fixed"; q: number }
  | { kind: "poisson"; mean: number }
  | { kind: "negbinomial"; mean: number; variance: number };

export function countLaw(raw: unknown): CountLaw {
  if (typeof raw === "number") return { kind: "fixed", q: raw };
  const r = raw as { dist?: string; mean?: number; variance?: number };
  if (r.dist === "poisson" && typeof r.mean === "number") return { kind: "poisson", mean: r.mean };
  if (r.dist === "negbinomial" && typeof r.mean === "number" && typeof r.variance === "number") {
    return { kind: "negbinomial", mean: r.mean, variance: r.variance };
  }
  throw new Error(`reference: unsupported bug count ${JSON.stringify(raw)}`);
}

export function countMean(law: CountLaw): number {
  return law.kind === "fixed" ? law.q : law.mean;
}

/**
 * P(Q = k), k = 0, 1, ..., cut where the rest is negligible even weighted by k^3.
 *
 * Poisson(lambda): P(0) = e^-lambda, P(k+1) = P(k) lambda/(k+1).
 * Negative binomial with mean mu and variance v > mu: size r = mu^2/(v - mu), success
 * probability r/(r + mu): P(0) = (r/(r+mu))^r, P(k+1) = P(k) (k + r)/(k + 1) * mu/(r + mu).
 * The ratio rho_k = P(k+1)/P(k) is bounded above, from k on, by rho = max(rho_k, limit) (the
 * Poisson ratio decreases to 0; the negative binomial's tends to mu/(r+mu) monotonically), so
 * sum_{i>k} i^3 P(i) <= P(k) sum_{i>=1} (k+i)^3 rho^i <= P(k) (k+2)^3 * 6/(1-rho)^4; we stop when
 * that bound is below 1e-19. (Means up to a few hundred: e^-mean must not underflow.)
 */
export function countPmf(law: CountLaw): Float64Array {
  if (law.kind === "fixed") {
    const out = new Float64Array(law.q + 1);
    out[law.q] = 1;
    return out;
  }
  const mean = law.mean;
  if (mean === 0) return Float64Array.from([1]);
  let p0: number;
  let ratio: (k: number) => number;
  let limit: number;
  if (law.kind === "poisson") {
    p0 = Math.exp(-mean);
    ratio = (k) => mean / (k + 1);
    limit = 0;
  } else {
    const r = (mean * mean) / (law.variance - mean);
    const odds = mean / (r + mean);
    p0 = Math.pow(r / (r + mean), r);
    ratio = (k) => ((k + r) / (k + 1)) * odds;
    limit = odds;
  }
  if (!(p0 > 0)) throw new Error("reference: bug-count mean too large for the PMF recursion");
  const out: number[] = [p0];
  for (let k = 0; k < 1e6; k++) {
    const rho = Math.max(ratio(k), limit);
    const pk = out[k]!;
    if (k > mean && rho < 1 && (pk * 6 * (k + 2) ** 3) / (1 - rho) ** 4 < 1e-19) break;
    out.push(pk * ratio(k));
  }
  return Float64Array.from(out);
}

/**
 * E[(1 - p)^(n-1) p] = P(N = n) for N ~ Geometric(p) with p drawn once.
 * Fixed p: (1-p)^(n-1) p. Beta(a, b): B(a + 1, b + n - 1)/B(a, b) = survival(n - 1) a/(a + b + n - 1).
 */
export function fixedAtAttempt(law: RateLaw, n: number): number {
  if (law.kind === "fixed") return Math.pow(1 - law.p, n - 1) * law.p;
  return survival(law, n - 1) * (law.a / (law.a + law.b + n - 1));
}
