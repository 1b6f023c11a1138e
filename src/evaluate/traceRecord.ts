/**
 * The trace format of docs/model.md section 11: what `run --trace` writes and `fit` reads. A module
 * of its own, free of code, so that the fit worker loads none of the simulator.
 */
import type { Context } from "../scenario/types.js";

/** What a request is, in a trace. */
export const TRACE_ROLES = ["generate", "fix", "consult", "compact"] as const;
export type TraceRole = (typeof TRACE_ROLES)[number];

/** The fields of a trace record, in the order the trace writer puts them (those of TraceRecord). */
export const TRACE_FIELDS = [
  "run", "strategy", "context", "bug", "model", "role", "attempt", "fixed",
  "input", "cacheRead", "cacheWrite", "output", "seconds",
] as const satisfies readonly (keyof TraceRecord)[];

/** One trace line's object (docs/model.md section 11), keys in the order of the format. */
export interface TraceRecord {
  /** 0-based run index within its (strategy, context) */
  run: number;
  strategy: string;
  context: Context;
  /** null for the generation, else the 0-based index of the bug in the order the run works them */
  bug: number | null;
  model: string;
  role: TraceRole;
  /** fix: 1-based attempt on the bug (across rungs); consult/compact: fix attempts so far; generate: null */
  attempt: number | null;
  /** fix: whether this attempt fixed the bug; null otherwise */
  fixed: boolean | null;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  seconds: number | null;
}
