/**
 * `run --trace`: every request of the first runs of every strategy and context, as JSON lines
 * (section 11). The traced runs are simulated again on this thread from the first chunk's stream,
 * so they are exactly the runs the simulation made and tracing changes no result (on the fast
 * path a context alone draws what it draws beside the other, see simulate.ts).
 */
import { UserError } from "../errors.js";
import type { Scenario } from "../scenario/types.js";
import { runTable } from "../sim/columns.js";
import type { TraceRequest } from "../sim/ledger.js";
import { Role } from "../sim/ledger.js";
import { layoutOf, simulateChunk, type SimPath } from "../sim/kernel.js";
import { CHUNK_RUNS, jobsOf, streamName } from "../sim/simulate.js";

import { groupDigits } from "../text.js";
import { TRACE_ROLES, type TraceRecord } from "./traceRecord.js";

/** The most runs a trace may take per strategy and context: the first chunk. */
export const MAX_TRACE_RUNS = CHUNK_RUNS;

/**
 * The most requests a trace may hold per strategy and context: a job's requests are held until
 * its runs are done (a request's outcome is set after it is made), and 100 runs at the attempts
 * bound (1e7 requests) ran the heap out, 4.5 GB, with a native stack (the worst-case audit).
 * 1,000,000 lines are some 200 MB, near what fit reads (256 MiB).
 */
export const MAX_TRACE_REQUESTS = 1_000_000;

/** The trace of the first `runs` runs of every job, one JSON line per request, in job order. */
export function traceLines(scenario: Scenario, options: { runs: number; seedKey: string; path?: SimPath }): string[] {
  return [...traceJobs(scenario, options)].flat();
}

/**
 * The same lines, one job's at a time: the whole trace of a large --trace-runs is more text than
 * one JavaScript string holds (1.2 GB for the default scenario's 50,000 runs), so it is written job
 * by job.
 */
export function* traceJobs(scenario: Scenario, options: { runs: number; seedKey: string; path?: SimPath }): Generator<string[]> {
  for (const job of jobsOf(scenario)) {
    const lines: string[] = [];
    const models = job.params.models.map((m) => m.name);
    const record = (r: TraceRequest): TraceRecord => ({
        run: r.run,
        strategy: job.strategy.name,
        context: job.context,
        bug: r.role === Role.Generate ? null : r.bug,
        model: models[r.model]!,
        role: TRACE_ROLES[r.role]!, // the kernel's Role numbers the trace's roles in this order
        attempt: r.role === Role.Generate ? null : r.attempt,
        fixed: r.fixed,
        input: r.input,
        cacheRead: r.cacheRead,
        cacheWrite: r.cacheWrite,
        output: r.output,
        seconds: r.seconds,
    });
    // `fixed` is set on a fix request after its outcome is drawn: convert once the chunk is done.
    const pending: TraceRequest[] = [];
    const sink = (r: TraceRequest) => {
      if (pending.length === MAX_TRACE_REQUESTS) {
        // its first run alone: no count of runs fits (a review: it said --trace-runs 1, which failed alike)
        const fewer = r.run === 0 ? "a trace of it cannot hold one run" : `trace fewer runs (--trace-runs ${r.run})`;
        throw new UserError(
          `--trace: ${job.strategy.name} (${job.context}) makes more than ${groupDigits(MAX_TRACE_REQUESTS)} requests in its first ` +
            `${r.run === 0 ? "run" : `${groupDigits(r.run + 1)} runs`}, more than a trace holds: ${fewer}`,
        );
      }
      pending.push(r);
    };
    const runs = Math.min(options.runs, CHUNK_RUNS);
    const path = options.path ?? "auto";
    simulateChunk(job.params, streamName(options.seedKey, job, path, 0), runs, path, runTable(runs, layoutOf(job.params)), sink);
    for (const r of pending) lines.push(JSON.stringify(record(r)));
    yield lines;
  }
}
