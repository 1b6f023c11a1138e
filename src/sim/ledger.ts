/**
 * The fix phase's conversation and its token accounting, request by request (sections 4, 8-10):
 * the per-model cache rule, cache expiry, long-context tiers, context windows and compaction.
 * Both kernel paths use it: the attempt path for every request, the fast path to replay the rare
 * runs that reach a tier or a window, and to trace.
 *
 * The cache rule: a request by model m whose input is X tokens reads P_m tokens from m's cache
 * and pays X - P_m as new, where P_m is the input of m's previous request in the conversation
 * (0 if m has not spoken, or if its entry expired); afterwards P_m = X. When m also made the
 * request just before, X - P_m is simply what that request added (its Delta), which is how it
 * is computed then, so that a one-model conversation adds exactly the numbers section 4 does.
 *
 * Tokens are kept per model and tier (base, long-context) for the run, and priced once per run.
 * Nothing here allocates after construction.
 */
import type { ModelParams } from "./params.js";
import { ModelSum } from "./columns.js";

/** What a request is, for traces: the index of its name in the trace format's TRACE_ROLES. */
export const Role = { Generate: 0, Fix: 1, Consult: 2, Compact: 3 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** A request as a trace records it (section 11). */
export interface TraceRequest {
  run: number;
  /** -1 for the generation call */
  bug: number;
  model: number;
  role: Role;
  attempt: number;
  fixed: boolean | null;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  /** the request's duration (its model's call time), or null without a time model */
  seconds: number | null;
}

export type TraceSink = (request: TraceRequest) => void;

/** Per-model token accumulators: the base tier's new, cached and output tokens, then the long-context tier's. */
const enum Tok {
  new = 0,
  cached = 1,
  output = 2,
  /** where the long-context tier's three begin */
  tier = 3,
  stride = 6,
}

export class Ledger {
  /** the conversation: tokens it holds (the next request's input) */
  X = 0;
  inConversation = false;
  /** per model: P_m, whether it has spoken in this conversation, seconds since its last request began */
  readonly cached: Float64Array;
  readonly spoke: Uint8Array;
  readonly since: Float64Array;
  /** the model of the conversation's last request and what that request added */
  lastModel = -1;
  lastDelta = 0;
  /** per model x tier: new, cached, output tokens of this run */
  readonly tokens: Float64Array;
  // counters of this run
  hits = 0;
  followUps = 0;
  compactions = 0;
  wall = 0;
  /** the last request's duration: its model's call time */
  lastSeconds = 0;
  /** the last traced request, whose `fixed` the kernel sets once the attempt's outcome is drawn */
  lastTrace: TraceRequest | null = null;
  /** per model: the input above which a request needs more than the plain cache rule (a tier or a window) */
  private readonly plain: Float64Array;

  constructor(
    readonly models: readonly ModelParams[],
    /** L1: what a conversation starts with */
    readonly handoff: number,
    readonly ttl: number,
    readonly timed: boolean,
    /** summary tokens of a compaction, or -1 */
    readonly summary: number,
  ) {
    const n = models.length;
    this.cached = new Float64Array(n);
    this.spoke = new Uint8Array(n);
    this.since = new Float64Array(n);
    this.tokens = new Float64Array(n * Tok.stride);
    this.plain = Float64Array.from(models, (m) => Math.min(m.above, m.window));
  }

  /** A new run: no conversation, nothing spent; the clock starts after the generation call. */
  startRun(generationSeconds: number): void {
    this.tokens.fill(0);
    this.inConversation = false;
    this.hits = 0;
    this.followUps = 0;
    this.compactions = 0;
    this.wall = generationSeconds;
  }

  /** A new conversation at L1 (or at `start` after a compaction), every cache cold. */
  startConversation(start: number): void {
    this.inConversation = true;
    this.X = start;
    this.spoke.fill(0);
    this.lastModel = -1;
  }

  /**
   * Account one request by model m that writes `output` tokens and grows the conversation by
   * `delta`. Returns false when the request would overflow m's context window and there is no
   * compaction: the run must stop (the request is not made).
   */
  request(m: number, output: number, delta: number, trace: TraceSink | null, run: number, bug: number, role: Role, attempt: number): boolean {
    const X = this.X;
    // The common case, kept short: the model that made the last request makes this one too, its
    // cache alive, below its tier and window, untraced: it pays the last delta as new and rereads the rest.
    if (m === this.lastModel && this.inConversation && X <= this.plain[m]! && trace === null && this.since[m]! <= this.ttl) {
      const at = m * Tok.stride;
      const tokens = this.tokens;
      const last = this.lastDelta;
      this.followUps++;
      this.hits++;
      tokens[at + Tok.new] += last;
      tokens[at + Tok.cached] += X - last;
      tokens[at + Tok.output] += output;
      this.cached[m] = X;
      this.X = X + delta;
      this.lastDelta = delta;
      if (this.timed) this.clock(m, this.models[m]!, output, role);
      return true;
    }
    return this.requestAny(m, output, delta, trace, run, bug, role, attempt);
  }

  private requestAny(m: number, output: number, delta: number, trace: TraceSink | null, run: number, bug: number, role: Role, attempt: number): boolean {
    if (!this.inConversation) this.startConversation(this.handoff);
    const model = this.models[m]!;
    if (this.X > model.window) {
      if (this.summary < 0) return false;
      this.account(m, model, this.summary, 0, trace, run, bug, Role.Compact, role === Role.Fix ? attempt - 1 : attempt);
      this.compactions++;
      this.startConversation(this.handoff + this.summary);
    }
    this.account(m, model, output, delta, trace, run, bug, role, attempt);
    return true;
  }

  private account(m: number, model: ModelParams, output: number, delta: number, trace: TraceSink | null, run: number, bug: number, role: Role, attempt: number): void {
    const X = this.X;
    let newTokens = X;
    let cachedTokens = 0;
    if (this.spoke[m] === 1) {
      this.followUps++;
      if (this.since[m] <= this.ttl) {
        this.hits++;
        if (this.lastModel === m) {
          newTokens = this.lastDelta;
          cachedTokens = X - this.lastDelta;
        } else {
          cachedTokens = this.cached[m]!;
          newTokens = X - cachedTokens;
        }
      }
    }
    const at = m * Tok.stride + (X > model.above ? Tok.tier : 0);
    const tokens = this.tokens;
    tokens[at + Tok.new] += newTokens;
    tokens[at + Tok.cached] += cachedTokens;
    tokens[at + Tok.output] += output;
    this.cached[m] = X;
    this.spoke[m] = 1;
    this.X = X + delta;
    this.lastModel = m;
    this.lastDelta = delta;
    if (this.timed) this.clock(m, model, output, role);
    if (trace !== null) {
      this.lastTrace = {
        run, bug, model: m, role, attempt, fixed: null, input: X, cacheRead: cachedTokens,
        cacheWrite: model.caches ? newTokens : 0, output, seconds: this.timed ? this.lastSeconds : null,
      };
      trace(this.lastTrace);
    }
  }

  /** The request's duration starts its model's cache clock; a fix attempt's passes with its tool time (the kernel's). */
  private clock(m: number, model: ModelParams, output: number, role: Role): void {
    this.since[m] = 0;
    this.lastSeconds = model.ttftSeconds + output * model.secondsPerToken;
    if (role !== Role.Fix) this.elapse(this.lastSeconds);
  }

  /**
   * Time passes: `seconds` after a request began (a fix attempt's call plus its tool time is
   * passed in one sum, as the gap of section 5).
   */
  elapse(seconds: number): void {
    this.wall += seconds;
    const since = this.since;
    for (let i = 0; i < since.length; i++) since[i] += seconds;
  }

  /**
   * This run's fix-phase cost, priced per model and tier: adds $ per category into `byModel`
   * (ModelSum's per model, from `base`), unless it is null, and writes the totals [new, cached,
   * output] into `out`.
   */
  price(byModel: Float64Array | null, base: number, out: Float64Array): void {
    let costNew = 0;
    let costCached = 0;
    let costOut = 0;
    const tokens = this.tokens;
    for (let m = 0; m < this.models.length; m++) {
      const model = this.models[m]!;
      const t = m * Tok.stride;
      const tier = t + Tok.tier;
      const mNew = model.cacheWrite * tokens[t + Tok.new]! + model.tierCacheWrite * tokens[tier + Tok.new]!;
      const mCached = model.cacheRead * tokens[t + Tok.cached]! + model.tierCacheRead * tokens[tier + Tok.cached]!;
      const mOut = model.output * tokens[t + Tok.output]! + model.tierOutput * tokens[tier + Tok.output]!;
      if (byModel) {
        const at = base + m * ModelSum.stride;
        if (model.caches) {
          byModel[at + ModelSum.cacheWrite] += mNew;
          byModel[at + ModelSum.cacheRead] += mCached;
        } else byModel[at + ModelSum.uncachedInput] += mNew + mCached;
        byModel[at + ModelSum.output] += mOut;
      }
      costNew += mNew;
      costCached += mCached;
      costOut += mOut;
    }
    out[0] = costNew;
    out[1] = costCached;
    out[2] = costOut;
  }
}
