/**
 * Shards: `--shard i/n` runs the i-th of n disjoint parts of a grid, so that one sweep can run as
 * an array job (a Kubernetes Indexed Job, a Slurm array, a CI matrix) and be merged afterwards.
 *
 * Points are dealt round-robin: shard i (1-based) takes the points whose grid index k has
 * k % n == i - 1. Neighbouring points often cost about the same, so this balances the shards.
 */
import { FlagError } from "../errors.js";

export interface Shard {
  /** 1-based: 1 <= index <= count */
  index: number;
  count: number;
}

/** Parse `i/n` (whole numbers, 1 <= i <= n); anything else is a one-line FlagError. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new FlagError(`--shard must be i/n with whole numbers 1 <= i <= n (e.g. 2/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new FlagError(`--shard must be i/n with whole numbers 1 <= i <= n (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** Whether grid point k belongs to the shard (no shard: every point). */
export function inShard(shard: Shard | null | undefined, k: number): boolean {
  return !shard || k % shard.count === shard.index - 1;
}

/** `i/n`, as the CLI writes it. */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The number of points of a grid of `size` points that the shard takes (no shard: all of them). */
export function shardSize(shard: Shard | null | undefined, size: number): number {
  if (!shard) return size;
  const first = shard.index - 1;
  return first < size ? Math.ceil((size - first) / shard.count) : 0;
}

/** The grid index of the shard's j-th point (0-based j < shardSize). */
export function shardPoint(shard: Shard | null | undefined, j: number): number {
  return shard ? shard.index - 1 + j * shard.count : j;
}
