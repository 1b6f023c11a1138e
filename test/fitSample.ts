/**
 * Test data for the fit: seeded per-bug attempt sequences drawn from the model the fit assumes
 * (a two-class mixture of geometrics, each rung of a ladder a geometric run of attempts cut at its
 * bound), wrapped as trace records with constant token sizes. Not a simulator of scenarios: no
 * prices, caches, regressions or time; `run --trace` output is the end-to-end check.
 */
import seedrandom from "seedrandom";
import type { TraceRecord } from "../src/fit/trace.js";

export interface Rung {
  model: string;
  easy: number;
  hard: number;
  /** attempts on this rung at most; absent = until fixed */
  attempts?: number;
}

export interface SampleSpec {
  runs: number;
  strategy: string;
  context?: "shared" | "fresh";
  generator: string;
  /** bugs per run: a whole number, or a Poisson mean */
  count: number | { poisson: number };
  hardFraction: number;
  /** exact: round(count x hardFraction) hard bugs per run, in random positions; binomial: each bug hard with probability hardFraction */
  assignment?: "exact" | "binomial";
  ladder: Rung[];
  /** a run stops after this many fix attempts in all (its open bugs are censored, later ones unseen) */
  maxAttemptsPerRun?: number;
  tokens?: { prompt: number; generation: number; fixOutput: number; errorTrace: number };
  seed: string;
}

export const SAMPLE_TOKENS = { prompt: 2000, generation: 4000, fixOutput: 800, errorTrace: 400 };

/** Knuth's Poisson draw: fine for the small means of tests. */
function poisson(rng: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

/** Which bugs of a run are hard. */
function hardLabels(rng: () => number, q: number, spec: SampleSpec): boolean[] {
  if ((spec.assignment ?? "binomial") === "binomial") return Array.from({ length: q }, () => rng() < spec.hardFraction);
  const labels = Array.from({ length: q }, (_, j) => j < Math.round(q * spec.hardFraction));
  for (let j = q - 1; j > 0; j--) {
    const i = Math.floor(rng() * (j + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}

/** The trace records of spec.runs runs. */
export function sampleRecords(spec: SampleSpec): TraceRecord[] {
  const rng = seedrandom.alea(spec.seed);
  const t = spec.tokens ?? SAMPLE_TOKENS;
  const context = spec.context ?? "shared";
  const base = { strategy: spec.strategy, context, cacheRead: 0, cacheWrite: 0, seconds: null };
  const out: TraceRecord[] = [];
  for (let run = 0; run < spec.runs; run++) {
    out.push({ ...base, run, bug: null, model: spec.generator, role: "generate", attempt: null, fixed: null, input: t.prompt, output: t.generation });
    const q = typeof spec.count === "number" ? spec.count : poisson(rng, spec.count.poisson);
    const hard = hardLabels(rng, q, spec);
    let input = t.prompt + t.generation;
    let runAttempts = 0;
    bugs: for (let bug = 0; bug < q; bug++) {
      if (context === "fresh") input = t.prompt + t.generation;
      let attempt = 0;
      for (const rung of spec.ladder) {
        const p = hard[bug] ? rung.hard : rung.easy;
        for (let k = 0; rung.attempts === undefined || k < rung.attempts; k++) {
          if (spec.maxAttemptsPerRun !== undefined && runAttempts >= spec.maxAttemptsPerRun) break bugs;
          const fixed = rng() < p;
          attempt++;
          runAttempts++;
          out.push({ ...base, run, bug, model: rung.model, role: "fix", attempt, fixed, input, output: t.fixOutput });
          input += t.fixOutput + t.errorTrace;
          if (fixed) continue bugs;
        }
      }
    }
  }
  return out;
}

/** Records as the JSON lines of a trace file. */
export function toJsonLines(records: TraceRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
