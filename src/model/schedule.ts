/**
 * One bug's walk up a fix ladder (section 8), as the closed forms see it: the list of requests
 * the bug *may* make, in order, each with the chance that it is made. Given that a request is
 * made, everything about it is fixed: its model, the growth of the bug's conversation before it
 * (w), what it adds, and which earlier request of the same model it rereads from the cache. So an
 * expected sum over the bug's requests is a sum over this list weighted by the reach
 * probabilities, and the unbounded last rung's endless list is summed in closed form
 * (rates.ts: tailSum).
 *
 * Reach probabilities: request i is made when every fix attempt before it failed. Attempts at
 * one rate source (a model's own rate, or a rung's own; docs/model.md, section 10: one p per bug per source)
 * fail together with probability M(n, 0) = E[(1-p)^n]; different sources are independent, so
 * P(reach i) = prod over sources of M(n_s(i), 0).
 */
import { rungRates } from "../scenario/ladder.js";
import type { FixRate, ModelSpec, Rung } from "../scenario/types.js";
import { TAIL } from "./counts.js";
import { nextSurvival, rateMoment } from "./rates.js";

export interface ScheduledRequest {
  rung: number;
  model: string;
  /** a fix attempt (else a consult) */
  fix: boolean;
  /** P(the bug makes this request) */
  reach: number;
  /** in-bug growth of the conversation before this request, tokens */
  w: number;
  /** what it adds to the conversation: Delta for an attempt, the advice for a consult */
  growth: number;
  output: number;
  /** w of the same model's previous request in this bug (what its cache holds beyond the bug's start), or -1 */
  previousW: number;
}

/** The attempts of an unbounded last rung: attempt t is made with probability factor x M(failed + t - 1, 0). */
export interface ScheduledTail {
  rung: number;
  model: string;
  rate: FixRate;
  /** attempts at this rate before the rung (an earlier rung of the same model without its own rates) */
  failed: number;
  /** P(all other sources' attempts failed) */
  factor: number;
  /** in-bug growth before the first attempt of the tail */
  w: number;
  previousW: number;
  delta: number;
  output: number;
}

export interface BugSchedule {
  requests: ScheduledRequest[];
  tail: ScheduledTail | null;
  /** P(the bug is still open after the last rung): 0 when the ladder ends unbounded */
  unfixed: number;
}

/**
 * The requests a bug of one class may make on a ladder, with Delta = E[G] + E[E] per attempt and
 * G output; remembered (the last SCHEDULES_KEPT), so callers share them and read them only (frozen,
 * their 10,000-element lists made every reader three times slower): a scan over a
 * price (a crossover, a report's line) builds the same schedules at every value, and on long
 * ladders they were most of its time (two 250-rung ladders of 10,000 requests: 2.4 s of 8).
 */
export function bugSchedule(models: Record<string, ModelSpec>, ladder: readonly Rung[], hard: boolean, delta: number, output: number): BugSchedule {
  const key = scheduleKey(models, ladder, hard, delta, output);
  const known = schedules.get(key);
  if (known) return known;
  const made = walkLadder(models, ladder, hard, delta, output);
  schedules.set(key, made);
  if (schedules.size > SCHEDULES_KEPT) schedules.delete(schedules.keys().next().value!);
  return made;
}

const SCHEDULES_KEPT = 64;
const schedules = new Map<string, BugSchedule>();

/**
 * Everything a schedule is made of: the class, Delta, the output, and each rung's model, bound,
 * rate source (its own rates or its model's) and the class's rate there; a consult's advice length.
 */
function scheduleKey(models: Record<string, ModelSpec>, ladder: readonly Rung[], hard: boolean, delta: number, output: number): string {
  const rungs = ladder.map((r) => (r.kind === "consult" ? ["consult", r.model, r.output] : ["fix", r.model, r.attempts, r.fix !== null, rungRates(models, r)[hard ? "hard" : "easy"]]));
  return JSON.stringify([hard, delta, output, rungs]);
}

/** bugSchedule's walk up the ladder. */
function walkLadder(models: Record<string, ModelSpec>, ladder: readonly Rung[], hard: boolean, delta: number, output: number): BugSchedule {
  const sources = new Map<string, { rate: FixRate; failed: number; survive: number }>();
  const lastW = new Map<string, number>();
  const requests: ScheduledRequest[] = [];
  const reach = () => {
    let r = 1;
    for (const s of sources.values()) r *= s.survive;
    return r;
  };
  let w = 0;
  for (let k = 0; k < ladder.length; k++) {
    const rung = ladder[k]!;
    const previousW = lastW.get(rung.model) ?? -1;
    if (rung.kind === "consult") {
      requests.push({ rung: k, model: rung.model, fix: false, reach: reach(), w, growth: rung.output, output: rung.output, previousW });
      lastW.set(rung.model, w);
      w += rung.output;
      continue;
    }
    const rates = rungRates(models, rung);
    const key = rung.fix ? `rung ${k}` : `model ${rung.model}`;
    if (!sources.has(key)) sources.set(key, { rate: hard ? rates.hard : rates.easy, failed: 0, survive: 1 });
    const source = sources.get(key)!;
    if (rung.attempts === null) {
      let factor = 1;
      for (const other of sources.values()) if (other !== source) factor *= other.survive;
      const tail = { rung: k, model: rung.model, rate: source.rate, failed: source.failed, factor, w, previousW, delta, output };
      return { requests, tail, unfixed: 0 };
    }
    for (let j = 0; j < rung.attempts; j++) {
      requests.push({ rung: k, model: rung.model, fix: true, reach: reach(), w, growth: delta, output, previousW: lastW.get(rung.model) ?? -1 });
      lastW.set(rung.model, w);
      w += delta;
      source.survive = nextSurvival(source.rate, source.failed, source.survive);
      source.failed++;
    }
  }
  return { requests, tail: null, unfixed: reach() };
}

/** P(the tail's attempt t is made), t >= 1. */
export function tailReach(tail: ScheduledTail, t: number): number {
  return tail.factor * rateMoment(tail.rate, tail.failed + t - 1, 0);
}

/**
 * P(the bug makes at least i requests), i = 1, 2, ... up to `limit` (index i - 1 of the result),
 * consults included: the reach of its i-th potential request. The list ends at the first reach
 * below TAIL (or at `limit`): what pmfFromSurvival (pmf.ts) reads, no more; a tail out to a
 * limit tens of thousands of requests away is otherwise filled with values it never reads.
 */
export function requestReach(schedule: BugSchedule, limit: number): Float64Array {
  const out: number[] = [];
  const finite = Math.min(limit, schedule.requests.length);
  for (let i = 0; i < finite; i++) out.push(schedule.requests[i]!.reach);
  const tail = schedule.tail;
  if (!tail) {
    if (finite < limit) out.push(0);
  } else {
    let survive = rateMoment(tail.rate, tail.failed, 0); // M(failed + t - 1, 0) for t = 1
    for (let i = finite, t = 1; i < limit; i++, t++) {
      out.push(tail.factor * survive);
      if (out[i]! < TAIL) break;
      survive = nextSurvival(tail.rate, tail.failed + t - 1, survive);
    }
  }
  return Float64Array.from(out);
}
