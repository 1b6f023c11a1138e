/**
 * A seeded fuzz test of the command line: hundreds of mutated scenario files and random flag
 * lines, and mutated traces (fit) and sweep shards (merge), each run through main() in-process (a few through the bundled bin as real processes).
 * Whatever the input, the CLI must either succeed with numbers and nothing else (on stderr at most whole "agentsim: note:" lines), or fail with
 * one line on stderr and exit code 2: never a crash (a thrown error, a stack trace), a hang, a
 * multi-line error, or NaN, Infinity or an empty number in an output that exits 0.
 *
 * The seed is fixed, so CI runs the same cases every time; AGENTSIM_FUZZ_SEED and
 * AGENTSIM_FUZZ_CASES run others (a failure message names its case's arguments and file), and
 * AGENTSIM_FUZZ_TALLY=1 prints how many cases ended with which exit code; AGENTSIM_FUZZ_LOG=FILE
 * appends each case's start time and arguments (to find a slow one), and AGENTSIM_FUZZ_KEEP=1
 * keeps the generated files.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import seedrandom from "seedrandom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main } from "../src/cli/main.js";
import { NAME_LENGTH } from "../src/scenario/schema.js";
import { FIXED_COLUMNS } from "../src/sweep/csv.js";
import { LONG_EXACT, LONG_LADDER, LONG_SCAN } from "./longScan.js";

const ROOT = resolve(__dirname, "..");
const CLI = resolve(ROOT, "dist/agentsim.mjs");
const SEED = process.env.AGENTSIM_FUZZ_SEED ?? "agentsim-fuzz-1";
const CASES = Number(process.env.AGENTSIM_FUZZ_CASES ?? 300);

const rng = seedrandom.alea(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const chance = (p: number) => rng() < p;

const dir = mkdtempSync(join(tmpdir(), "agentsim-fuzz-"));
afterAll(() => process.env.AGENTSIM_FUZZ_KEEP || rmSync(dir, { recursive: true, force: true }));

/**
 * The cases run in a folder of their own, where `scenarios` leads to the shipped ones: a relative
 * path that a flag line passes to --out, --trace or --dir (such as "1/0") is written there, not
 * into the repository.
 */
const WORK = join(dir, "cwd");
mkdirSync(WORK);
symlinkSync(resolve(ROOT, "scenarios"), join(WORK, "scenarios"));
const startedIn = process.cwd();
beforeAll(() => process.chdir(WORK));
afterAll(() => process.chdir(startedIn));

/** The shipped scenarios, the seeds of every mutation. */
const BASES = ["scenarios", "scenarios/validation"].flatMap((d) =>
  readdirSync(resolve(ROOT, d))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({ name: `${d}/${f}`, text: readFileSync(resolve(ROOT, d, f), "utf8") })),
);

/** Values that have broken parsers and arithmetic before. */
const EDGE_VALUES: unknown[] = [
  0, -0, -1, 1, 2, 0.5, 1e-4, 9.9e-5, 1e-300, 5e-324, 1e7, 1e7 + 1, 1e9, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.NaN,
  Infinity, -Infinity, "", "abc", "1e400", "0x10", null, true, false, [], {}, [1, 2], [0.1, 0.5], { from: 0, to: 1, steps: 3 },
  { dist: "lognormal", mean: 1e7, cv: 10 }, { dist: "uniform", min: 5, max: 1 }, { dist: "empirical", values: [] }, "__proto__",
];
/** Values at or near the ends of the allowed ranges, where arithmetic is most likely to break. */
const EXTREME_VALUES = [0, 1e-4, 1.5e-4, 1e-3, 0.0625, 0.5, 0.9999, 1, 2, 10, 100, 999, 1e4, 9999, 1e5, 1e6, 1e7];
const ODD_KEYS = ["__proto__", "constructor", "a\nb", "a b", "é", "x.y", "", "0", "toString", "sweep", "models", "\u001b[2J", "a\u202eb", "m".repeat(NAME_LENGTH.model + 1)];

type Data = Record<string, unknown>;

/** Every path to a value in the data (objects and lists), as key lists. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (node === null || typeof node !== "object") return [prefix];
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node as Data);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function parentOf(data: Data, path: (string | number)[]): { parent: Data; key: string | number } | null {
  if (path.length === 0) return null;
  let node: unknown = data;
  for (const k of path.slice(0, -1)) node = (node as Data)[k as string];
  return { parent: node as Data, key: path.at(-1)! };
}

/** One to three structural edits of the scenario's data. */
function mutateData(data: Data): Data {
  const edits = 1 + Math.floor(rng() * 3);
  for (let e = 0; e < edits; e++) {
    const at = parentOf(data, pick(paths(data)));
    if (!at) continue;
    const { parent, key } = at;
    const r = rng();
    if (r < 0.55) parent[key as string] = structuredClone(pick(EDGE_VALUES));
    else if (r < 0.7 && !Array.isArray(parent)) delete parent[key as string];
    else if (r < 0.85 && !Array.isArray(parent)) {
      Object.defineProperty(parent, pick(ODD_KEYS), { value: parent[key as string], enumerable: true, configurable: true, writable: true });
      delete parent[key as string];
    } else if (typeof parent[key as string] === "number") parent[key as string] = (parent[key as string] as number) * pick([10, 1000, 1e6, -1, 1e-6]);
    else parent[key as string] = structuredClone(data);
  }
  return data;
}

/** One to three numbers set to extreme but mostly allowed values: the runs that succeed must stay finite. */
function mutateNumbers(data: Data): Data {
  const numeric = paths(data).filter((p) => typeof p.reduce<unknown>((n, k) => (n as Data)?.[k as string], data) === "number");
  const edits = 1 + Math.floor(rng() * 3);
  for (let e = 0; e < edits && numeric.length > 0; e++) {
    const at = parentOf(data, pick(numeric));
    if (at) at.parent[at.key as string] = pick(EXTREME_VALUES);
  }
  return data;
}

/** Text edits: a cut, a stray character, an alias, a line dropped or repeated. */
function mutateText(text: string): string {
  const lines = text.split("\n");
  switch (Math.floor(rng() * 6)) {
    case 0:
      return text.slice(0, Math.floor(rng() * text.length));
    case 1: {
      const i = Math.floor(rng() * text.length);
      return text.slice(0, i) + pick(["{", "[", ":", "*a", "&a ", "\t", "\u0000", '"', "\n  x: 1\n", "é", "#"]) + text.slice(i);
    }
    case 2:
      return text + pick(["x: &a 1\n" + "y: [" + Array(200).fill("*a").join(", ") + "]\n", "z: *nope\n", "name: again\n", "models:\n  a: 1\n"]);
    case 3:
      lines.splice(Math.floor(rng() * lines.length), 1);
      return lines.join("\n");
    case 4: {
      const i = Math.floor(rng() * lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    default:
      return JSON.stringify(parse(text), (_k, v: unknown) => (typeof v === "number" && chance(0.1) ? 1e400 : v)).replace(/null/g, "1e400");
  }
}

/**
 * Preset names and cache lifetimes that have been misread before: a name the table matches only
 * by its start (a 6x dearer mode), spellings of an id, entries that are no presets, presets
 * without a window or a 1-hour write price, a preset beside another key; a TTL alone, at the
 * 5-minute boundary, with and without multipliers.
 */
const PRESETS = [
  "anthropic/claude-opus-4-6-fast", "anthropic/claude-sonnet-4-5-20250929", "Anthropic/Claude-Sonnet-4.5", "anthropic/claude-sonnet-4-55",
  "perplexity/sonar", "google/gemini-embedding-001", "google/gemini-2.5-pro", "google/claude-opus-4-6", "openai/gpt-4o", "anthropic/", "/x", "",
];
function mutatePrices(data: Data): Data {
  const models = data.models;
  if (models && typeof models === "object" && !Array.isArray(models)) {
    for (const model of Object.values(models as Data)) {
      if (model && typeof model === "object" && chance(0.6)) {
        (model as Data).price = chance(0.8) ? { preset: pick(PRESETS) } : { preset: pick(PRESETS), cacheWrite: 5 };
      }
    }
  }
  if (chance(0.6)) data.caching = pick([{ ttlSeconds: 3600 }, { ttlSeconds: 300 }, { ttlSeconds: 301 }, { readMultiplier: 0.1, ttlSeconds: 60 }, {}]);
  if (chance(0.3)) data.toolSeconds = pick([10, 299, { dist: "empirical", values: [1, 300] }]);
  return data;
}

function mutatedScenario(i: number): { file: string; base: string; data: Data | null } {
  const base = pick(BASES);
  const file = join(dir, `case-${i}.${chance(0.2) ? "json" : "yaml"}`);
  let text: string;
  let data: Data | null = null;
  const r = rng();
  if (r < 0.75) {
    data = r < 0.1 ? mutatePrices(parse(base.text) as Data) : r < 0.4 ? mutateNumbers(parse(base.text) as Data) : mutateData(parse(base.text) as Data);
    text = file.endsWith(".json") ? JSON.stringify(data) : stringify(data);
  } else {
    text = mutateText(base.text);
  }
  writeFileSync(file, text);
  return { file, base: base.name, data };
}

/** A numeric key of the data, for crossover's --param. */
function numericPath(data: Data | null): string {
  const numeric = data ? paths(data).filter((p) => typeof p.reduce<unknown>((n, k) => (n as Data)?.[k as string], data) === "number") : [];
  return numeric.length > 0 && chance(0.85) ? pick(numeric).join(".") : pick(["models.weak.bugs.count", "caching.readMultiplier", "nope.x", ""]);
}

function commandFor(i: number, file: string, data: Data | null): string[] {
  const json = chance(0.3) ? ["--json"] : [];
  const r = rng();
  const sweep = data !== null && typeof data === "object" && "sweep" in data;
  if (sweep && r < 0.6) return ["sweep", file, "--out", join(dir, `out-${i}.csv`), "--trials", pick(["2", "30"]), "--threads", "1"];
  if (r < 0.4) return ["analytic", file, ...json];
  if (r < 0.65) return ["run", file, "--trials", pick(["2", "40", "200"]), "--threads", "1", ...json];
  // the report along its default crossover, or along a key of the file over an odd range
  if (r < 0.72) {
    const along = chance(0.5) ? [] : ["--crossover", numericPath(data), "--from", pick(["0", "0.5", "1", "-1"]), "--to", pick(["1", "3", "20"])];
    return ["report", file, "--trials", pick(["2", "40"]), "--threads", "1", "--out", join(dir, `report-${i}.html`), ...along];
  }
    const from = pick(["0", "0.01", "1", "-5", "1e-300", "100"]);
    const to = pick(["1", "2", "10", "1e6", "0.5"]);
  return ["crossover", file, "--param", numericPath(data), "--from", from, "--to", to, "--steps", pick(["5", "50"]), ...json];
}

/** Random command lines: commands, flags with and without values, repeats, odd values. */
function flagLine(): string[] {
  const commands = ["run", "analytic", "crossover", "validate", "sweep", "merge", "report", "prices", "fit", "rn", "swep", "", "--help", "-V"];
  const flags = ["--trials", "--seed", "--threads", "--path", "--json", "--param", "--from", "--to", "--steps", "--between", "--context", "--out", "--shard", "--resume", "--dir", "--trace", "--trace-runs", "--wide", "--crossover", "--bootstrap", "--format", "--prices", "--bogus", "-x"];
  const values = ["", "0", "1", "2", "-1", "1e400", "abc", "1/0", "2/1", "1/2", "auto", "fast", "attempt", "shared", "other", "/dev/null", "scenarios/default.yaml", "x".repeat(300), "a,b", "strong-first,weak-first", "models.weak.bugs.count", "9999999999"];
  const line = [pick(commands)];
  if (chance(0.5)) line.push(pick(["scenarios/default.yaml", "scenarios/sweep-weak-bugs.yaml", "nope.yaml", "/dev/zero", "."]));
  const n = Math.floor(rng() * 5);
  for (let k = 0; k < n; k++) {
    line.push(pick(flags));
    if (chance(0.8)) line.push(pick(values));
  }
  // keep the work small when a line happens to be valid
  if (["run", "validate", "sweep", "report"].includes(line[0]!)) line.push("--trials", "20", "--threads", "1");
  if (line[0] === "fit") line.push("--bootstrap", "0", "--threads", "1");
  if (["sweep", "report"].includes(line[0]!) && !line.includes("--out")) line.push("--out", join(dir, `flags-${Math.floor(rng() * 1e9)}.out`));
  if (line.includes("--trace")) line.push("--trace-runs", "2");
  return line;
}

/**
 * A trace's JSON lines with one to three edits: a field set to an edge value, a number scaled, a
 * line dropped, repeated or cut; or every line's tokens scaled alike (a consistent trace of
 * absurd sizes, whose sums once overflowed).
 */
/**
 * Values no file of ours holds, as JSON text: nested 20,000 deep (quoting one back overflowed the
 * stack) and a string of a million characters (quoted back whole, a 1 MB "line"; an audit).
 */
const HOSTILE_JSON = [`${"[".repeat(20_000)}${"]".repeat(20_000)}`, JSON.stringify("a".repeat(1_000_000))];

/** A JSON object's text with one key's value replaced by a hostile one (which JSON.stringify could not write). */
function withHostileValue(record: Data, key: string): string {
  return JSON.stringify({ ...record, [key]: "\u0001hostile" }).replace('"\\u0001hostile"', pick(HOSTILE_JSON));
}

function mutatedTrace(lines: string[]): string {
  if (chance(0.15)) {
    const factor = pick([1e9, 1e200, 1e300, 1e-300]);
    const scaled = lines.map((line) => {
      const record = JSON.parse(line) as Data;
      for (const key of ["input", "cacheRead", "cacheWrite", "output"]) record[key] = (record[key] as number) * factor;
      return JSON.stringify(record);
    });
    return scaled.join("\n") + "\n";
  }
  const out = [...lines];
  const edits = 1 + Math.floor(rng() * 3);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rng() * out.length);
    const r = rng();
    if (r < 0.05) {
      const record = JSON.parse(out[i]!) as Data;
      out[i] = withHostileValue(record, pick(Object.keys(record)));
    } else if (r < 0.45) {
      const record = JSON.parse(out[i]!) as Data;
      const key = pick([...Object.keys(record), ...ODD_KEYS]);
      if (chance(0.5) && typeof record[key] === "number") record[key] = (record[key] as number) * pick([1e200, 1e300, -1, 0, 1e-300, 0.5]);
      else record[key] = structuredClone(pick(EDGE_VALUES));
      out[i] = JSON.stringify(record);
    } else if (r < 0.6) out.splice(i, 1);
    else if (r < 0.75) out.splice(i, 0, out[i]!);
    else if (r < 0.9) out[i] = out[i]!.slice(0, Math.floor(rng() * out[i]!.length));
    else out.splice(i, 0, pick(["", "{}", "[]", "null", '{"run": 0}', "\u0000"]));
  }
  return out.join("\n") + "\n";
}

/** A sweep record (.sweep.json) with one to three structural edits, or a CSV with a row edited, dropped or doubled. */
function mutatedShard(csv: string, record: string): { csv: string; record: string } {
  if (chance(0.05)) {
    const data = JSON.parse(record) as Data;
    return { csv, record: withHostileValue({ ...data, sweep: "0".repeat(64) }, pick(Object.keys(data))) };
  }
  if (chance(0.6)) return { csv, record: chance(0.1) ? record.slice(0, Math.floor(rng() * record.length)) : JSON.stringify(mutateData(JSON.parse(record) as Data)) };
  const rows = csv.split("\n");
  const i = 1 + Math.floor(rng() * Math.max(1, rows.length - 2));
  const r = rng();
  if (r < 0.4) rows[i] = rows[i]!.replace(/\d/, pick(["7", "", "x", "-", "1e400"]));
  else if (r < 0.7) rows.splice(i, 1);
  else rows.splice(i, 0, rows[i]!);
  return { csv: rows.join("\n"), record };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Everything the CLI promises about an outcome, as a list of broken promises (empty: fine). */
function problems(args: string[], o: Outcome): string[] {
  const found: string[] = [];
  if (/\n\s+at /.test(o.stderr)) found.push("a stack trace");
  if (o.code === 2) {
    if (!/^agentsim: [^\n]+\n$/.test(o.stderr)) found.push(`exit 2 without exactly one line "agentsim: ..." on stderr`);
    if (/[^\P{C}\n]|[\p{Zl}\p{Zp}]/u.test(o.stderr)) found.push("a control or formatting character in the message");
    if (o.stdout !== "") found.push("output on stdout with exit 2");
  } else if (o.code === 0 || o.code === 1) {
    // a success may note what the price table leaves unsaid: whole lines "agentsim: note: ...", nothing else
    if (!/^(agentsim: note: [^\n]+\n)*$/.test(o.stderr)) found.push("stderr with exit 0/1, other than notes");
    if (/[^\P{C}\n]|[\p{Zl}\p{Zp}]/u.test(o.stderr)) found.push("a control or formatting character in a note");
    if (/\bNaN\b|Infinity|undefined|∞|\.inf\b/.test(o.stdout)) found.push("NaN, Infinity or undefined printed");
    // a name or value that does not print as itself (ESC, a right-to-left override) reached the terminal
    if (/[^\P{C}\n]|[\p{Zl}\p{Zp}]/u.test(o.stdout)) found.push("a control or formatting character printed");
    if (args.includes("--json") && o.stdout.startsWith("{")) found.push(...jsonProblems(o.stdout));
    const out = args[args.indexOf("--out") + 1];
    if (args[0] === "sweep" && o.code === 0 && out && existsSync(out)) found.push(...csvProblems(readFileSync(out, "utf8")));
    if (args[0] === "report" && o.code === 0 && out && existsSync(out) && /\bNaN\b|Infinity|undefined/.test(readFileSync(out, "utf8"))) {
      found.push("NaN, Infinity or undefined in the report");
    }
  } else {
    found.push(`exit code ${o.code}`);
  }
  return found;
}

/** Results must carry finite numbers where a number is promised; null only with a reason. */
function jsonProblems(text: string): string[] {
  const found: string[] = [];
  const data = JSON.parse(text) as { results?: Record<string, unknown>[] };
  for (const r of data.results ?? []) {
    for (const key of ["mean", "stdError", "ciLow", "ciHigh", "p50", "p90", "p99", "meanAttempts"]) {
      if (key in r && !Number.isFinite(r[key]) && !(r[key] === null && HEAVY_TAILED.has(String(r.verdict)) && key.startsWith("ci"))) {
        found.push(`results[].${key} is ${JSON.stringify(r[key])}`);
      }
    }
    if (r.analyticMean === null ? typeof r.reason !== "string" : !Number.isFinite(r.analyticMean)) found.push(`analyticMean ${r.analyticMean} without a reason`);
  }
  return found;
}

/** Verdicts whose reason is that no interval holds: their ciLow and ciHigh are null (empty in CSV). */
const HEAVY_TAILED = new Set(["infinite variance", "infinite mean"]);

/** Every simulated number of a sweep CSV is a finite number (an empty cell only where the verdict says why). */
function csvProblems(text: string): string[] {
  const [head, ...rows] = text.trimEnd().split("\n");
  const columns = head!.split(",");
  const required = ["mean", "stdError", "ciLow", "ciHigh", "p50", "p90", "p99", "meanAttempts"].filter((c) => (FIXED_COLUMNS as readonly string[]).includes(c));
  const found: string[] = [];
  for (const row of rows) {
    const cells = row.split(",");
    for (const c of required) {
      const cell = cells[columns.indexOf(c)];
      if (cell === "" && c.startsWith("ci") && HEAVY_TAILED.has(cells[columns.indexOf("verdict")]!)) continue;
      if (cell === undefined || cell === "" || !Number.isFinite(Number(cell))) found.push(`CSV ${c} cell ${JSON.stringify(cell)}`);
    }
  }
  return found;
}

async function inProcess(args: string[]): Promise<Outcome> {
  if (process.env.AGENTSIM_FUZZ_LOG) appendFileSync(process.env.AGENTSIM_FUZZ_LOG, `${Date.now()} ${JSON.stringify(args)}\n`);
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await main(args, io); // a throw here is a crash: the test fails with its stack
  return { code, stdout, stderr };
}

function describeCase(args: string[], file?: string): string {
  const text = file && existsSync(file) ? readFileSync(file, "utf8").slice(0, 2000) : "";
  return `agentsim ${args.map((a) => JSON.stringify(a)).join(" ")}${text ? `\n--- ${file}:\n${text}` : ""}`;
}

describe(`fuzz (seed ${SEED})`, () => {
  it(`${CASES} mutated scenario files`, async () => {
    let failures = 0;
    const tally: Record<string, number> = {};
    for (let i = 0; i < CASES; i++) {
      const { file, data } = mutatedScenario(i);
      const args = commandFor(i, file, data);
      const outcome = await inProcess(args);
      tally[`${args[0]} exit ${outcome.code}`] = (tally[`${args[0]} exit ${outcome.code}`] ?? 0) + 1;
      const found = problems(args, outcome);
      if (found.length > 0) {
        failures++;
        expect.soft(found, describeCase(args, file)).toEqual([]);
      }
    }
    if (process.env.AGENTSIM_FUZZ_TALLY) console.log(tally);
    expect(failures).toBe(0);
  });

  it(`${Math.ceil(CASES / 2)} random flag lines`, async () => {
    for (let i = 0; i < Math.ceil(CASES / 2); i++) {
      const args = flagLine();
      expect.soft(problems(args, await inProcess(args)), describeCase(args)).toEqual([]);
    }
  });

  it(`${Math.ceil(CASES / 3)} mutated traces for fit and ${Math.ceil(CASES / 3)} mutated shards for merge`, async () => {
    // a trace and a two-shard sweep to mutate, made once
    const trace = join(dir, "base-trace.jsonl");
    expect((await inProcess(["run", "scenarios/default.yaml", "--trials", "40", "--threads", "1", "--trace", trace, "--trace-runs", "8"])).code).toBe(0);
    const lines = readFileSync(trace, "utf8").trimEnd().split("\n");
    const shards = [1, 2].map((i) => join(dir, `base-shard-${i}.csv`));
    for (const [i, out] of shards.entries()) {
      expect((await inProcess(["sweep", "scenarios/sweep-weak-bugs.yaml", "--trials", "20", "--threads", "1", "--shard", `${i + 1}/2`, "--out", out])).code).toBe(0);
    }
    for (let i = 0; i < Math.ceil(CASES / 3); i++) {
      const file = join(dir, `trace-${i}.jsonl`);
      writeFileSync(file, mutatedTrace(lines));
      const out = join(dir, `fitted-${i}`, "s.yaml");
      const args = ["fit", file, "--bootstrap", pick(["0", "40"]), "--threads", "1", ...(chance(0.5) ? ["--prices", "scenarios/default.yaml"] : []), ...(chance(0.3) ? ["--json"] : [])];
      if (args.includes("--prices") && chance(0.5)) args.push("--out", out);
      const outcome = await inProcess(args);
      expect.soft(problems(args, outcome), describeCase(args, file)).toEqual([]);
      if (outcome.code !== 0) expect.soft(existsSync(dirname(out)), `${describeCase(args, file)}\nleft ${dirname(out)}`).toBe(false);
    }
    for (let i = 0; i < Math.ceil(CASES / 3); i++) {
      const which = Math.floor(rng() * 2);
      const copies = shards.map((s, k) => {
        const copy = join(dir, `merge-${i}-${k}.csv`);
        const edited = k === which ? mutatedShard(readFileSync(s, "utf8"), readFileSync(`${s}.sweep.json`, "utf8")) : { csv: readFileSync(s, "utf8"), record: readFileSync(`${s}.sweep.json`, "utf8") };
        writeFileSync(copy, edited.csv);
        writeFileSync(`${copy}.sweep.json`, edited.record);
        return copy;
      });
      const out = join(dir, `merged-${i}`, "m.csv");
      const args = ["merge", ...copies, "--out", out];
      const outcome = await inProcess(args);
      expect.soft(problems(args, outcome), describeCase(args, `${copies[which]}.sweep.json`)).toEqual([]);
      if (outcome.code !== 0) expect.soft(existsSync(dirname(out)), `${describeCase(args)}\nleft ${dirname(out)}`).toBe(false);
    }
  });

  it("a few cases as real processes (the bundled bin), each within 10 s", () => {
    const lines: string[][] = [
      ["run", "--seed"],
      ["sweep", "scenarios/sweep-weak-bugs.yaml", "--out", ""],
      ["analytic", "/dev/zero"],
      ["rn"],
      [],
      // a count scanned whole number by whole number (a ladder in shared context), far past its range
      ["crossover", "scenarios/advisor.yaml", "--param", "models.executor.bugs.count", "--to", "1e6", "--json"],
      // an attempts scan whose values each take longer the larger they are
      ["crossover", "scenarios/advisor.yaml", "--param", "strategies.advised.ladder[0].attempts", "--to", "9997"],
    ];
    for (let i = 0; i < 4; i++) {
      const { file } = mutatedScenario(CASES + i);
      lines.push(["analytic", file]);
    }
    // a crossover whose every value convolves a run's requests thousands long: stopped by its
    // bound on the closed forms' work
    const longScan = join(WORK, "long-scan.json");
    writeFileSync(longScan, JSON.stringify(LONG_SCAN));
    const longLadder = join(WORK, "long-ladder.json");
    writeFileSync(longLadder, JSON.stringify(LONG_LADDER));
    lines.push(["crossover", longLadder, "--param", "models.a.fix.hard", "--from", "0.0001", "--to", "0.9"]);
    const longExact = join(WORK, "long-exact.json");
    writeFileSync(longExact, JSON.stringify(LONG_EXACT));
    lines.push(["crossover", longExact, "--param", "strategies.s2.ladder[0].attempts", "--from", "1", "--to", "1400"]);
    const longScanArgs = ["crossover", longScan, "--param", "models.b.fix.hard", "--from", "0.001", "--to", "0.9"];
    lines.push(longScanArgs);
    for (const args of lines) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: WORK, timeout: 10_000 });
      expect(r.error, describeCase(args)).toBeUndefined(); // a timeout would be an error here
      expect(problems(args, { code: r.status, stdout: r.stdout, stderr: r.stderr }), describeCase(args)).toEqual([]);
      if (args === longScanArgs) expect(r.stderr).toMatch(/^agentsim: --from 0\.001 --to 0\.9 --steps 400: at models\.b\.fix\.hard = .* multiply-adds/);
    }
  });
});
