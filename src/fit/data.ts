/**
 * The observations in the compact form the estimators and the bootstrap read: runs as rows of
 * numbers, bugs as likelihood patterns with per-run counts. Plain arrays and typed arrays only, so
 * that a worker thread gets it by structured clone.
 */
import type { MixtureData } from "./mixture.js";
import type { RunObservation } from "./observations.js";

/** Per-run numbers that the estimates are weighted sums of. One declaration for all of them. */
export const RUN_COLUMNS = [
  "bugs", // bugs the run worked
  "prompt", // L0 of its generation
  "generation", // G0
  "fixOutputSum", // sum of G over its fix attempts
  "fixOutputCount",
  "errorTraceSum", // sum of E over its consecutive attempt pairs
  "errorTraceCount",
] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

export interface FitData {
  /** rate sources (fixer models, or rungs with their own fix rates; see rateSource) and generators, in order of first appearance */
  sources: string[];
  /** the model of each source */
  sourceModels: string[];
  generators: string[];
  /** (strategy, context) of the runs */
  strata: string[];
  runs: number;
  runStratum: Int32Array;
  /** each run's bootstrap unit, (file, strategy, run index): its runs in both contexts (see RunObservation.unit) */
  runUnit: Int32Array;
  runGenerator: Int32Array;
  columns: Record<RunColumn, Float64Array>;
  /** the bug patterns of the mixture likelihood */
  mixture: MixtureData;
  /** run r holds patternCount[i] bugs of pattern patternId[i] for i in [patternStart[r], patternStart[r+1]) */
  patternStart: Int32Array;
  patternId: Int32Array;
  patternCount: Float64Array;
}

/** Index of each distinct string, in order of first appearance. */
function indexer(): { names: string[]; index: (name: string) => number } {
  const names: string[] = [];
  const map = new Map<string, number>();
  return {
    names,
    index: (name) => {
      let i = map.get(name);
      if (i === undefined) {
        i = names.length;
        names.push(name);
        map.set(name, i);
      }
      return i;
    },
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function compileFitData(observations: RunObservation[]): FitData {
  const sources = indexer();
  const generators = indexer();
  const strata = indexer();
  const units = indexer();
  const modelOf = new Map<string, string>();
  for (const run of observations) {
    for (const bug of run.bugs) {
      for (const t of bug.tallies) {
        sources.index(t.source);
        modelOf.set(t.source, t.model);
      }
    }
  }
  const S = sources.names.length;

  const patterns = indexer(); // key: generator and (F_s, S_s) of every source
  const patternRows: { generator: number; failures: number[]; fixes: number[] }[] = [];
  const runs = observations.length;
  const runStratum = new Int32Array(runs);
  const runUnit = new Int32Array(runs);
  const runGenerator = new Int32Array(runs);
  const columns = Object.fromEntries(RUN_COLUMNS.map((c) => [c, new Float64Array(runs)])) as Record<RunColumn, Float64Array>;
  const patternStart = new Int32Array(runs + 1);
  const ids: number[] = [];
  const multiplicities: number[] = [];

  observations.forEach((run, r) => {
    const g = generators.index(run.generator);
    runStratum[r] = strata.index(run.stratum);
    runUnit[r] = units.index(run.unit);
    runGenerator[r] = g;
    columns.bugs[r] = run.bugs.length;
    columns.prompt[r] = run.prompt;
    columns.generation[r] = run.generation;
    columns.fixOutputSum[r] = sum(run.fixOutputs);
    columns.fixOutputCount[r] = run.fixOutputs.length;
    columns.errorTraceSum[r] = sum(run.errorTraces);
    columns.errorTraceCount[r] = run.errorTraces.length;
    const perRun = new Map<number, number>();
    for (const bug of run.bugs) {
      const failures = new Array<number>(S).fill(0);
      const fixes = new Array<number>(S).fill(0);
      for (const t of bug.tallies) {
        const s = sources.index(t.source);
        failures[s] = t.failures;
        fixes[s] = t.fixed ? 1 : 0;
      }
      const before = patterns.names.length;
      const k = patterns.index(JSON.stringify([g, failures, fixes]));
      if (k === before) patternRows.push({ generator: g, failures, fixes });
      perRun.set(k, (perRun.get(k) ?? 0) + 1);
    }
    for (const [k, n] of perRun) {
      ids.push(k);
      multiplicities.push(n);
    }
    patternStart[r + 1] = ids.length;
  });

  return {
    sources: sources.names,
    sourceModels: sources.names.map((s) => modelOf.get(s)!),
    generators: generators.names,
    strata: strata.names,
    runs,
    runStratum,
    runUnit,
    runGenerator,
    columns,
    mixture: {
      sources: S,
      generators: generators.names.length,
      generator: Int32Array.from(patternRows, (p) => p.generator),
      failures: Float64Array.from(patternRows.flatMap((p) => p.failures)),
      fixes: Float64Array.from(patternRows.flatMap((p) => p.fixes)),
    },
    patternStart,
    patternId: Int32Array.from(ids),
    patternCount: Float64Array.from(multiplicities),
  };
}

/** n_k = sum over runs of (the run's weight) x (its bugs of pattern k). */
export function patternCounts(data: FitData, weights: Float64Array): Float64Array {
  const counts = new Float64Array(data.mixture.generator.length);
  for (let r = 0; r < data.runs; r++) {
    const w = weights[r]!;
    if (w === 0) continue;
    for (let i = data.patternStart[r]!; i < data.patternStart[r + 1]!; i++) counts[data.patternId[i]!] += w * data.patternCount[i]!;
  }
  return counts;
}

/** Every run once: the observed data. */
export function unitWeights(data: FitData): Float64Array {
  return new Float64Array(data.runs).fill(1);
}
