/**
 * The quantiles a summary reports (p50, p90, p99), as simple-statistics' `quantile` defines them
 * (numpy's linear method: with h = (n-1) p over the sorted values x_(0) <= ... <= x_(n-1),
 * x_(floor h) + (h - floor h) (x_(ceil h) - x_(floor h))), found faster on large samples by
 * counting (`orderStatistics`). Exact: the same numbers as `quantile` (test/stats.test.ts). With
 * them, the two order statistics that bound the p90 (p90IntervalRanks), in the same passes.
 */
import { quantile } from "simple-statistics";

export const SUMMARY_PROBABILITIES = [0.5, 0.9, 0.99] as const;

/** p50, p90, p99, and the 95% interval of the p90 (see p90IntervalRanks). */
export type SummaryQuantiles = readonly [p50: number, p90: number, p99: number, p90Low: number, p90High: number];

/** Below this many values, quickselect (simple-statistics) is the faster. */
const COUNTING_FROM = 1024;

/** z_0.975: the p90's interval is 95%. */
const Z = 1.959963984540054;

/**
 * The 0-based ranks of the order statistics that bound the p-quantile with about 95% confidence,
 * whatever the distribution: the number of values below the quantile is Binomial(n, p), so
 * x_(r) <= q_p <= x_(s) for the 1-based ranks r = floor(n p - z sqrt(n p (1 - p))) and
 * s = ceil(n p + z sqrt(n p (1 - p))) (the normal approximation). A rank outside the sample
 * (below 0, or n and above: fewer than 35 runs for the p90's upper end) means that no value of
 * the sample bounds the quantile on that side.
 */
export function p90IntervalRanks(n: number, p = 0.9): [number, number] {
  const half = Z * Math.sqrt(n * p * (1 - p));
  return [Math.floor(n * p - half) - 1, Math.ceil(n * p + half) - 1];
}

/**
 * p50, p90, p99 of values whose least and greatest are min and max, and the p90's 95% interval,
 * whose end is -Infinity or Infinity where no value of the sample bounds it (see
 * p90IntervalRanks: clamped to the sample's largest value, the interval of 10 runs covered the
 * p90 64% of the time, and "lowest p90 too" was said where the runs could not tell).
 */
export function summaryQuantiles(values: Float64Array, min: number, max: number): SummaryQuantiles {
  const n = values.length;
  const [low, high] = p90IntervalRanks(n);
  const inSample = (rank: number) => rank >= 0 && rank <= n - 1;
  const ends = (at: (rank: number) => number): [number, number] => [inSample(low) ? at(low) : -Infinity, inSample(high) ? at(high) : Infinity];
  if (n < COUNTING_FROM) {
    const [p50, p90, p99] = quantile(values as unknown as number[], [...SUMMARY_PROBABILITIES]) as [number, number, number];
    const sorted = Float64Array.from(values).sort();
    return [p50, p90, p99, ...ends((rank) => sorted[rank]!)];
  }
  const { quantiles, at } = linearQuantiles(values, min, max, SUMMARY_PROBABILITIES, [low, high].filter(inSample));
  const [p50, p90, p99] = quantiles as [number, number, number];
  return [p50, p90, p99, ...ends(at)];
}

/**
 * The quantiles at `probabilities` of values in [min, max] as `quantile` defines them (with
 * h = (n-1) p, x_(floor h) + (h - floor h) (x_(ceil h) - x_(floor h))), and `at`, the order
 * statistic of each of `ranks` too, all from one counting (orderStatistics).
 */
export function linearQuantiles(
  values: Float64Array,
  min: number,
  max: number,
  probabilities: readonly number[],
  ranks: readonly number[] = [],
): { quantiles: number[]; at: (rank: number) => number } {
  const positions = probabilities.map((p) => (values.length - 1) * p);
  const wanted = [...new Set([...positions.flatMap((h) => [Math.floor(h), Math.ceil(h)]), ...ranks])].sort((a, b) => a - b);
  const stats = orderStatistics(values, min, max, wanted);
  const at = (rank: number) => stats[wanted.indexOf(rank)]!;
  const quantiles = positions.map((h) => {
    const lower = Math.floor(h);
    return h === lower ? at(lower) : at(lower) + (h - lower) * (at(Math.ceil(h)) - at(lower));
  });
  return { quantiles, at };
}

/** Buckets for n values: about one per two values, from 64 to 4,096. */
function bucketsFor(n: number): number {
  return 2 ** Math.min(12, Math.max(6, Math.floor(Math.log2(n / 2))));
}

/**
 * x_(r) for each rank r (ascending, 0-based) of values in [min, max], in two passes: count the
 * values per bucket, bucket(x) = floor((x - min) B / (max - min)) (B about n/2) (non-decreasing in x, so the
 * buckets are in value order, the maximum joining the last), find each rank's bucket from the
 * running counts, then gather only those buckets' values and sort them (a bucket of equal values,
 * frequent in discrete costs, needs no sort). Linear time.
 */
export function orderStatistics(values: Float64Array, min: number, max: number, ranks: readonly number[]): number[] {
  if (min === max) return ranks.map(() => min);
  const n = values.length;
  const buckets = bucketsFor(n);
  const scale = buckets / (max - min);
  const counts = bucketCounts(values, min, scale, buckets);
  counts[buckets - 1]! += counts[buckets]!;
  counts[buckets] = 0;
  // the wanted buckets: each one's slot among the gathered, and each rank's slot and offset in it
  const slot = new Int32Array(buckets + 1).fill(-1);
  const sizes: number[] = [];
  const at: { slot: number; offset: number }[] = [];
  let bucket = 0;
  let before = 0; // values in the buckets below `bucket`
  for (const rank of ranks) {
    while (before + counts[bucket]! <= rank) before += counts[bucket++]!;
    if (slot[bucket] === -1) {
      slot[bucket] = sizes.length;
      sizes.push(counts[bucket]!);
    }
    at.push({ slot: slot[bucket]!, offset: rank - before });
  }
  slot[buckets] = slot[buckets - 1]!; // the maximum's own index
  const gathered = sizes.map((size) => new Float64Array(size));
  gather(values, min, scale, slot, gathered);
  for (const g of gathered) if (!allEqual(g)) g.sort();
  return at.map(({ slot: s, offset }) => gathered[s]![offset]!);
}

/*
 * The two passes over the values are functions that end with their loop: V8 compiles a long loop
 * while it runs, and code after it that needs type feedback would deoptimize (see momentsOf in
 * summary.ts).
 */

/** How many values fall in each bucket floor((x - min) scale), 0..buckets (the maximum's own). */
function bucketCounts(values: Float64Array, min: number, scale: number, buckets: number): Int32Array {
  const counts = new Int32Array(buckets + 1);
  for (let i = 0; i < values.length; i++) counts[((values[i]! - min) * scale) | 0]!++;
  return counts;
}

/** Each value whose bucket has a slot (slot >= 0) into that slot's array, in order. */
function gather(values: Float64Array, min: number, scale: number, slot: Int32Array, gathered: Float64Array[]): void {
  const filled = new Int32Array(gathered.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const s = slot[((x - min) * scale) | 0]!;
    if (s >= 0) gathered[s]![filled[s]!++] = x;
  }
}

function allEqual(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}
