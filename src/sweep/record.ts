/**
 * The record beside every sweep CSV, `<csv>.sweep.json`: which sweep the CSV belongs to (the
 * scenario, seed and trials, and a fingerprint of all of them), which shard of it, how many
 * points the whole grid has, and a hash of the CSV's bytes, so that a record always describes
 * the very file beside it. `merge` reads the records to refuse an incomplete set of shards or
 * shards of different sweeps. The CSV itself stays plain CSV for any tool; an unsharded sweep and
 * the merge of its shards write the same CSV and the same record, byte for byte.
 */
import { stat } from "node:fs/promises";
import { fileErrorText, UserError } from "../errors.js";
import { readBoundedText } from "../scenario/read.js";
import { groupDigits, shownJson } from "../text.js";
import type { Shard } from "./shard.js";

export const RECORD_FORMAT = "agentsim-sweep-record/1";

/** The most a record, or a sweep's resume state, may hold: each is a few hundred bytes. */
export const MAX_RECORD_BYTES = 1 << 16;

export interface SweepRecord {
  format: typeof RECORD_FORMAT;
  /** the version and build of agentsim that simulated the rows, "0.1.0+3f2a9c1b2d4e" (buildVersion; absent in records of earlier versions) */
  agentsim?: string;
  scenario: string;
  seed: number | string;
  trials: number;
  /** sha256 of agentsim's version and build, the scenario file's data and the trial count: the same for every shard of one sweep */
  sweep: string;
  /** points of the whole grid */
  gridPoints: number;
  shard: Shard | null;
  /** sha256 of the CSV's bytes */
  csv: string;
}

/** What every shard of one sweep shares. */
export type SweepIdentity = Pick<SweepRecord, "agentsim" | "scenario" | "seed" | "trials" | "sweep" | "gridPoints">;

export function recordFile(csv: string): string {
  return `${csv}.sweep.json`;
}

/** A record with its keys always in the same order, so equal records are equal text. */
export function makeRecord(identity: SweepIdentity, shard: Shard | null, csvHash: string): SweepRecord {
  const { agentsim, scenario, seed, trials, sweep, gridPoints } = identity;
  return { format: RECORD_FORMAT, agentsim, scenario, seed, trials, sweep, gridPoints, shard, csv: csvHash };
}

/** A record's text, as it is written beside its CSV. */
export function recordText(record: SweepRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}

/** The record of `csv`, checked against the CSV's text; a missing or foreign record is a one-line UserError. */
/** The record beside `csv`, checked for its form; `csvHash` (sha256 of the CSV's bytes) must be the one it describes. */
export async function readRecord(csv: string, csvHash: string): Promise<SweepRecord> {
  const file = recordFile(csv);
  // a record that is no regular file (a FIFO) would block its reading
  const regular = await stat(file).then(
    (st) => st.isFile(),
    (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new UserError(`${file}: cannot read it: ${fileErrorText(err)}`);
      throw new UserError(`${csv}: no ${file} beside it: merge takes the CSVs that agentsim sweep wrote, each with its record`);
    },
  );
  if (!regular) throw new UserError(`${file}: not a regular file, not a sweep record`);
  // a record is a few hundred bytes: a 600 MB one was read whole, then said to be missing (an audit)
  const text = readBoundedText(file, MAX_RECORD_BYTES, (why) => {
    throw new UserError(`${file}: not a sweep record: ${why}`);
  });
  let record: SweepRecord;
  try {
    record = JSON.parse(text) as SweepRecord;
  } catch {
    throw new UserError(`${file}: not valid JSON`);
  }
  const shardOk =
    record?.shard === null ||
    (Number.isSafeInteger(record?.shard?.index) && Number.isSafeInteger(record?.shard?.count) && record.shard!.index >= 1 && record.shard!.index <= record.shard!.count);
  if (record?.format !== RECORD_FORMAT || typeof record.sweep !== "string" || !Number.isSafeInteger(record.gridPoints) || !shardOk) {
    throw new UserError(`${file}: not a sweep record (${RECORD_FORMAT})`);
  }
  if (record.csv !== csvHash) throw new UserError(`${file}: does not describe ${csv} as it is now (was the CSV changed or replaced?)`);
  return record;
}

/**
 * Check that records are the complete set of shards of one sweep: the same sweep, the same
 * shard count, every shard once. Returns what they share.
 */
export function checkShardSet(inputs: readonly { file: string; record: SweepRecord }[]): SweepIdentity {
  const [first, ...rest] = inputs;
  if (!first) throw new UserError("merge needs at least one CSV file");
  const told = (v: unknown) => (v === undefined ? "(not recorded)" : shownJson(v, 60));
  // compared whole: told() cuts a long value in the middle, where an edit would pass unseen
  const whole = (v: unknown) => {
    try {
      return v === undefined ? "" : JSON.stringify(v);
    } catch {
      return null; // nested too deeply to serialize: equal to nothing
    }
  };
  for (const { file, record } of rest) {
    const differs = (["agentsim", "scenario", "seed", "trials", "gridPoints"] as const)
      .filter((k) => whole(record[k]) === null || whole(record[k]) !== whole(first.record[k]))
      .map((k) => `${k} ${told(record[k])} vs ${told(first.record[k])}`);
    if (record.sweep === first.record.sweep && differs.length === 0) continue;
    // one fingerprint with other fields: a record was edited (its trials and seed went into the
    // merged record unchecked: an audit)
    const edited = record.sweep === first.record.sweep ? "; the fingerprints agree, so a record was edited" : "";
    throw new UserError(
      `${file}: not a shard of the same sweep as ${first.file} (${differs.length ? differs.join(", ") : "the scenario files differ"}${edited})`,
    );
  }
  const count = first.record.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { file, record } of inputs) {
    const shard = record.shard ?? { index: 1, count: 1 };
    if (shard.count !== count) throw new UserError(`${file}: is shard ${shard.index}/${shard.count}, but ${first.file} is one of ${count}`);
    const other = seen.get(shard.index);
    if (other) throw new UserError(`${file}: shard ${shard.index}/${count} is also given as ${other}`);
    seen.set(shard.index, file);
  }
  // every index seen is in 1..count: the rest are missing (a record's count may be huge, so the
  // missing ones are counted, and only the first few listed)
  const missing = count - seen.size;
  if (missing > 0) {
    const first: number[] = [];
    for (let i = 1; first.length < Math.min(missing, 5); i++) if (!seen.has(i)) first.push(i);
    const list = first.map((i) => `${i}/${count}`).join(", ") + (missing > 5 ? `, ... (${groupDigits(missing)} in all)` : "");
    throw new UserError(`shard${missing === 1 ? "" : "s"} ${list} missing: a merge takes every shard of the sweep`);
  }
  const { agentsim, scenario, seed, trials, sweep, gridPoints } = first.record;
  return { agentsim, scenario, seed, trials, sweep, gridPoints };
}
