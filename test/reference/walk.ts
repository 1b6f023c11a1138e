/**
 * One bug's climb of a ladder as a list of *potential requests* (docs/model.md section 8), each with the
 * probability that it happens and the conversation growth before it, which are deterministic:
 * a request happens only if every earlier potential request of the bug happened, and reaching
 * attempt n of a rung means every earlier fixer rung used all its attempts and failed.
 *
 * Probabilities (docs/model.md section 10: one draw of p per bug and *rate source*, sources independent):
 *
 *   P(attempt n of fixer rung r happens) = prod_{sources s} E[(1 - p_s)^(K_s)]
 *
 * where K_s counts the failed attempts on source s before it (earlier rungs with the same source
 * count all their attempts; the rung's own source also its n - 1 earlier attempts). A consult
 * rung's request happens with the probability that the bug reaches the rung.
 *
 * An unbounded last rung has infinitely many potential requests. From an attempt n0 >= 2 on
 * (chosen by the caller so that every later request is priced in one tier) its requests are
 * linear in n and are kept as a *tail* in closed form:
 *
 *   Z0 = sum_{n >= n0} P(n)             = pre * E[(1-p)^(K+n0-1) / p]
 *   Z1 = sum_{n >= n0} (n - n0) P(n)    = pre * E[(1-p)^(K+n0) / p^2]
 *
 * (given p: sum_i (1-p)^i = 1/p, sum_i i (1-p)^i = (1-p)/p^2; `pre` is the other sources' factor.)
 * With a fixed-number rate the tail may instead be enumerated until it is negligible (`enumerate`),
 * which is the only way with error-trace growth; the self-checks compare the two.
 */
import { mixed, survival, type RateLaw } from "./laws.js";
import type { Rung } from "./ladderScenario.js";

export type BugClass = "easy" | "hard";

export interface WalkTokens {
  /** mean fix output G per attempt */
  G: number;
  /** mean error trace E per attempt */
  E: number;
  /** error-trace growth: the k-th attempt on a bug adds G + E (1+g)^(k-1) */
  g: number;
}

export interface PotentialRequest {
  rung: number;
  kind: "fix" | "consult";
  model: string;
  /** attempt number on its rung (1 for a consult) */
  n: number;
  /** tokens added to the bug's conversation before this request */
  offset: number;
  /** offset of the same model's previous potential request in this bug, or null */
  prevOffset: number | null;
  /** output tokens of the request */
  output: number;
  /** tokens the request adds to the conversation (output + error trace for a fix) */
  growth: number;
  /** P(the request happens) */
  prob: number;
}

/** The requests n >= n0 of an unbounded last rung (no growth): offsets offset0 + (n - n0) Delta. */
export interface LinearTail {
  rung: number;
  model: string;
  n0: number;
  /** offset of attempt n0 */
  offset0: number;
  /** growth per attempt on the tail, G + E */
  Delta: number;
  G: number;
  /** P(attempt n0 happens) */
  P0: number;
  Z0: number;
  Z1: number;
}

export interface Walk {
  requests: PotentialRequest[];
  tail: LinearTail | null;
  /** per rung: P(the bug reaches it) */
  reach: number[];
  /** per rung: P(the bug reaches it and leaves it unfixed) */
  exit: number[];
  /** per rung: P(the bug is fixed on it) (0 for consults) */
  fixedAt: number[];
  /** per rung: expected attempts on it (expected consults for a consult rung) */
  attempts: number[];
  /** P(the bug leaves the ladder unfixed) */
  unfixed: number;
  /** false when a closed tail was used with growth (its token fields are then not valid) */
  tokensValid: boolean;
}

export interface WalkOptions {
  /**
   * first attempt number n0 >= 2 of the unbounded rung from which its requests are linear (one
   * price tier), given the rung's model and the offset of its first attempt
   */
  tailFrom: (model: string, offset1: number) => number;
  /** "auto": enumerate fixed-number rates, closed tail for Beta rates */
  tail: "auto" | "closed" | "enumerate";
}

const NEGLIGIBLE = 1e-18;

export function walkLadder(rungs: Rung[], cls: BugClass, tok: WalkTokens, options: WalkOptions): Walk {
  const failures = new Map<string, { law: RateLaw; K: number }>();
  const othersFactor = (except: string | null): number => {
    let f = 1;
    for (const [key, { law, K }] of failures) if (key !== except) f *= survival(law, K);
    return f;
  };
  const lastOffset = new Map<string, number>();
  const requests: PotentialRequest[] = [];
  const reach: number[] = [];
  const exit: number[] = [];
  const fixedAt: number[] = [];
  const attempts: number[] = [];
  let tail: LinearTail | null = null;
  let tokensValid = true;
  let offset = 0;
  let attemptsOnBug = 0;
  const push = (req: Omit<PotentialRequest, "prevOffset" | "offset">) => {
    requests.push({ ...req, offset, prevOffset: lastOffset.get(req.model) ?? null });
    lastOffset.set(req.model, offset);
    offset += req.growth;
  };

  rungs.forEach((rung, r) => {
    const reached = othersFactor(null);
    reach.push(reached);
    if (rung.kind === "consult") {
      push({ rung: r, kind: "consult", model: rung.model, n: 1, output: rung.output, growth: rung.output, prob: reached });
      exit.push(reached);
      fixedAt.push(0);
      attempts.push(reached);
      return;
    }
    const key = rung.source.key;
    const law = rung.source[cls];
    const K = failures.get(key)?.K ?? 0;
    const pre = othersFactor(key);
    const prob = (n: number) => pre * survival(law, K + n - 1);
    const fixGrowth = () => tok.G + tok.E * Math.pow(1 + tok.g, attemptsOnBug);
    let onRung = 0;
    if (rung.attempts !== null) {
      for (let n = 1; n <= rung.attempts; n++) {
        const pn = prob(n);
        onRung += pn;
        push({ rung: r, kind: "fix", model: rung.model, n, output: tok.G, growth: fixGrowth(), prob: pn });
        attemptsOnBug++;
      }
      failures.set(key, { law, K: K + rung.attempts });
      const left = pre * survival(law, K + rung.attempts);
      exit.push(left);
      fixedAt.push(reached - left);
      attempts.push(onRung);
      return;
    }
    // unbounded: the bug is fixed here (p > 0 almost surely)
    if (law.kind === "fixed" && law.p <= 0 && reached > 0) {
      throw new Error(`reference: ${key}.${cls} is 0 on an unbounded rung (infinite attempts; invalid input)`);
    }
    const closed = options.tail === "closed" || (options.tail === "auto" && law.kind === "beta");
    if (closed) {
      const n0 = Math.max(2, options.tailFrom(rung.model, offset));
      for (let n = 1; n < n0; n++) {
        const pn = prob(n);
        onRung += pn;
        push({ rung: r, kind: "fix", model: rung.model, n, output: tok.G, growth: fixGrowth(), prob: pn });
        attemptsOnBug++;
      }
      if (tok.g !== 0) tokensValid = false;
      const Delta = tok.G + tok.E;
      const Z0 = pre * mixed(law, K + n0 - 1, 1);
      tail = {
        rung: r,
        model: rung.model,
        n0,
        offset0: offset,
        Delta,
        G: tok.G,
        P0: prob(n0),
        Z0,
        // Z1 only ever multiplies Delta: with Delta = 0 it adds nothing, even where a Beta rate
        // with a <= 2 makes it infinite
        Z1: Delta === 0 ? 0 : pre * mixed(law, K + n0, 2),
      };
      onRung += Z0;
    } else {
      if (law.kind !== "fixed") throw new Error("reference: an unbounded Beta rung cannot be enumerated");
      const s = 1 - law.p;
      const rho = s * Math.max(1, 1 + tok.g);
      if (rho >= 1) throw new Error("reference: divergent error-trace growth");
      for (let n = 1; ; n++) {
        const pn = prob(n);
        onRung += pn;
        push({ rung: r, kind: "fix", model: rung.model, n, output: tok.G, growth: fixGrowth(), prob: pn });
        attemptsOnBug++;
        // the rest: sum_{i>=1} P(n+i) * (a request's cost, at most ~ (n+i+m) (1+g)^(n+i) tokens)
        const rest = (pn * rho * (n + attemptsOnBug + 2) * Math.pow(Math.max(1, 1 + tok.g), attemptsOnBug)) / (1 - rho) ** 2;
        if (pn === 0 || rest < NEGLIGIBLE) break;
        if (n > 1e6) throw new Error("reference: no convergence");
      }
    }
    exit.push(0);
    fixedAt.push(reached);
    attempts.push(onRung);
  });
  return { requests, tail, reach, exit, fixedAt, attempts, unfixed: exit[exit.length - 1] ?? 0, tokensValid };
}

// ---------------------------------------------------------------------------------------------
// Per-bug expectations that a shared conversation needs (docs/model.md section 8, the telescoping
// identity): per model, its requests, the sum of their offsets, the chance it speaks at all and
// the offset of its last request.

export interface ModelBlock {
  /** E[requests by the model] */
  requests: number;
  /** E[fix attempts by the model] */
  fixAttempts: number;
  /** E[consults by the model] */
  consults: number;
  /** E[sum of the offsets of its requests] */
  offsetSum: number;
  /** pi = P(the model makes at least one request for this bug) */
  speaks: number;
  /** lambda = E[offset of its last request; it speaks] */
  lastOffset: number;
  /** E[output tokens] */
  outputTokens: number;
}

export interface Block {
  models: Record<string, ModelBlock>;
  /** E[tokens the bug adds to the conversation] */
  growth: number;
}

function emptyModelBlock(): ModelBlock {
  return { requests: 0, fixAttempts: 0, consults: 0, offsetSum: 0, speaks: 0, lastOffset: 0, outputTokens: 0 };
}

/**
 * Expected block statistics of one bug from its walk.
 *   requests   = sum P(req) (+ Z0 on the tail)
 *   offsetSum  = sum P(req) offset (+ Z0 offset0 + Z1 Delta)
 *   speaks     = P(the model's first potential request)
 *   lastOffset = sum over its requests (P(req) - P(its next request)) offset; on the tail
 *                sum_{n>=n0} (P(n) - P(n+1)) (offset0 + (n-n0) Delta) = P0 offset0 + Delta (Z0 - P0)
 *   growth     = sum P(req) growth (+ Z0 Delta)
 */
export function blockOf(walk: Walk, models: string[]): Block {
  const out: Record<string, ModelBlock> = {};
  for (const m of models) out[m] = emptyModelBlock();
  let growth = 0;
  const reqs = walk.requests;
  // P(the same model's next potential request), scanning from the end
  const nextProb = new Float64Array(reqs.length);
  const upcoming = new Map<string, number>();
  if (walk.tail) upcoming.set(walk.tail.model, walk.tail.P0);
  for (let i = reqs.length - 1; i >= 0; i--) {
    nextProb[i] = upcoming.get(reqs[i]!.model) ?? 0;
    upcoming.set(reqs[i]!.model, reqs[i]!.prob);
  }
  const seen = new Set<string>();
  for (let i = 0; i < reqs.length; i++) {
    const q = reqs[i]!;
    const b = (out[q.model] ??= emptyModelBlock());
    if (!seen.has(q.model)) {
      seen.add(q.model);
      b.speaks = q.prob;
    }
    b.requests += q.prob;
    if (q.kind === "fix") b.fixAttempts += q.prob;
    else b.consults += q.prob;
    b.offsetSum += q.prob * q.offset;
    b.outputTokens += q.prob * q.output;
    growth += q.prob * q.growth;
    b.lastOffset += (q.prob - nextProb[i]!) * q.offset;
  }
  const t = walk.tail;
  if (t) {
    const b = (out[t.model] ??= emptyModelBlock());
    b.requests += t.Z0;
    b.fixAttempts += t.Z0;
    b.offsetSum += t.Z0 * t.offset0 + t.Z1 * t.Delta;
    b.outputTokens += t.Z0 * t.G;
    b.lastOffset += t.P0 * t.offset0 + t.Delta * (t.Z0 - t.P0);
    growth += t.Z0 * t.Delta;
  }
  return { models: out, growth };
}

/** (1 - phi) x + phi y, field by field: a bug that is hard with probability phi. */
export function mixBlocks(easy: Block, hard: Block, phi: number): Block {
  if (phi === 0) return easy;
  if (phi === 1) return hard;
  const models: Record<string, ModelBlock> = {};
  for (const m of Object.keys(easy.models)) {
    const e = easy.models[m]!;
    const h = hard.models[m] ?? emptyModelBlock();
    const mix = {} as ModelBlock;
    for (const k of Object.keys(e) as (keyof ModelBlock)[]) mix[k] = (1 - phi) * e[k] + phi * h[k];
    models[m] = mix;
  }
  return { models, growth: (1 - phi) * easy.growth + phi * hard.growth };
}
