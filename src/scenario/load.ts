/**
 * Reading and validating scenario files (YAML, or JSON as its subset).
 *
 * `loadScenario` reads a file; `parseScenario` validates an already-parsed object, which is what
 * sweeps and crossovers do after changing one key. Data that names a price preset needs the price
 * table, which is loaded only then: `openScenario`, or `loadPriceTableFor(raw)` before parsing. Both throw a ScenarioError naming the file,
 * the dotted key path and what is allowed.
 */
import type { z } from "zod";
import { ScenarioError } from "../errors.js";
import { groupDigits } from "../text.js";
import { checkCounts, checkExpectedAttempts, checkGrowth, checkLadders, checkRungCount, checkTiers } from "./bounds.js";
import { crossChecks, shapeChecks, type CheckOptions } from "./checks.js";
import { normalize } from "./normalize.js";
import { keyPath, splitPath } from "./paths.js";
import { checkPresetAlone, loadPriceTableFor, resolvePreset } from "./preset.js";
import { readScenarioFile } from "./read.js";
import { scenarioSchema } from "./schema.js";
import type { Scenario } from "./types.js";

export { loadPriceTableFor, readScenarioFile };

export interface LoadedScenario {
  file: string;
  /** The file's content as plain data (sweeps and crossovers edit this and re-validate). */
  raw: Record<string, unknown>;
  scenario: Scenario;
}

/**
 * Read, parse and validate a scenario file. A file that names a price preset needs the price
 * table loaded first (`openScenario` does that).
 */
export function loadScenario(file: string): LoadedScenario {
  const raw = readScenarioFile(file);
  return { file, raw, scenario: parseScenario(raw, file) };
}

/** `loadScenario`, with the price table loaded first when the file names a preset. */
export async function openScenario(file: string): Promise<LoadedScenario> {
  const raw = readScenarioFile(file);
  await loadPriceTableFor(raw);
  return { file, raw, scenario: parseScenario(raw, file) };
}

export type ParseOptions = CheckOptions;

/** Validate plain scenario data and normalize it. `file` is only used in error messages. */
export function parseScenario(raw: unknown, file: string, options: ParseOptions = {}): Scenario {
  rejectProtoKeys(raw, file);
  checkPresetAlone(raw, file);
  checkRungCount(raw, file);
  // jitless: zod would otherwise generate (new Function) and compile a parser for each object
  // schema on its first use; a command validates a file once, and a sweep's points validate as
  // fast without them (2,000 points: 168-193 ms, against 173-233 ms).
  const result = scenarioSchema.safeParse(raw, { reportInput: true, jitless: true });
  if (!result.success) {
    const issues = result.error.issues;
    const first = describeIssue(issues[0]!);
    // other keys with problems (zod may report one key twice, e.g. a whole number beyond 2^53)
    const others = new Set(issues.map((i) => keyPath(i.path))).size - 1;
    const more = others > 0 ? ` (+${others} more)` : "";
    throw new ScenarioError(file, first.path, first.problem + more);
  }
  shapeChecks(result.data, file);
  const scenario = normalize(result.data, (preset, ttl, key) => resolvePreset(preset, ttl, file, key));
  crossChecks(scenario, file, options);
  checkCounts(scenario, file);
  checkLadders(scenario, file);
  checkTiers(scenario, file);
  checkExpectedAttempts(scenario, file);
  checkGrowth(scenario, file);
  return scenario;
}

/**
 * What is wrong with a seed by the file's rule (a whole number in [0, 2^53 - 1], or printable
 * text), or null: for a seed given elsewhere (a flag), with the same words.
 */
export function seedProblem(seed: number | string): string | null {
  const result = scenarioSchema.shape.seed.safeParse(seed, { reportInput: true, jitless: true });
  return result.success ? null : describeIssue(result.error.issues[0]!).problem;
}

/**
 * `__proto__` cannot name a model, a strategy or any key: assigning it to an object sets the
 * object's prototype instead of adding an entry, so it would vanish without a word.
 */
function rejectProtoKeys(raw: unknown, file: string): void {
  const stack: { node: unknown; path: PropertyKey[] }[] = [{ node: raw, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === "__proto__") throw new ScenarioError(file, keyPath([...path, key]), "__proto__ is reserved and cannot be used as a name or key");
      if (value !== null && typeof value === "object") stack.push({ node: value, path: [...path, Array.isArray(node) ? Number(key) : key] });
    }
  }
}

/**
 * The file's data with the schema's defaults filled in (caching, contexts, errorGrowth, ...), so
 * that a key left at its default can still be edited by its dotted path. Call on valid data.
 */
export function withDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  return scenarioSchema.parse(raw) as Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

/** One zod issue as a dotted key path and a sentence; unions report their closest branch. */
function describeIssue(issue: Issue, prefix: PropertyKey[] = []): { path: string; problem: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors.every((errs) => errs.some(isMissing))) return { path: keyPath(path), problem: "is required" };
  if (issue.code === "invalid_union") {
    // Prefer a branch that got past the type check: its message is the specific one; of those,
    // the one whose keys the value has (a price {preset: 5} was told that its input is required).
    const branches = issue.errors.filter((errs) => errs.length > 0 && errs.some((e) => e.path.length > 0 || e.code !== "invalid_type"));
    const misfit = (errs: Issue[]) => errs.filter((e) => e.code === "unrecognized_keys" || (e.code === "invalid_type" && e.input === undefined)).length;
    const branch = branches.reduce<Issue[] | undefined>((best, errs) => (best === undefined || misfit(errs) < misfit(best) ? errs : best), undefined);
    if (branch && !("note" in issue && issue.note)) return describeIssue(branch[0]!, path);
  }
  if (issue.code === "invalid_key" && issue.issues.length > 0) {
    // a name the record's key schema refused: its own sentence, not the record's
    const inner = describeIssue({ ...issue.issues[0]!, path: [], input: undefined } as Issue, path);
    return { path: inner.path, problem: `is not a valid name: ${inner.problem}` };
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(path);
    const key = issue.keys[0]!;
    return {
      path: keyPath([...path, key]),
      problem: `unknown key${allowed ? ` (allowed here: ${allowed.join(", ")})` : ""}`,
    };
  }
  let problem = issue.message;
  if (issue.code === "invalid_type" && issue.input === undefined) return { path: keyPath(path), problem: "is required" };
  // zod's own words ("Invalid input: expected object, received null") for a value of the wrong kind
  if (issue.code === "invalid_type" && problem.startsWith("Invalid input")) problem = `must be ${KINDS[issue.expected] ?? issue.expected}`;
  if (problem === "must be a map") {
    const allowed = allowedKeys(path);
    if (allowed) problem += ` of ${allowed.join(", ")}`;
  }
  if ("input" in issue && issue.input !== undefined) problem += `, got ${shown(issue.input)}`;
  return { path: keyPath(path), problem };
}

/** What a value of each of zod's kinds is, in a message. */
const KINDS: Record<string, string> = { object: "a map", array: "a list", number: "a number", string: "a string", boolean: "true or false" };

/** Whether a union's branch says that its value is missing (every branch does when the key is not given). */
function isMissing(issue: Issue): boolean {
  return issue.code === "invalid_type" && issue.path.length === 0 && issue.input === undefined;
}

/**
 * A value as a message shows it: numbers as JavaScript writes them (NaN, Infinity), a list or a
 * map by its kind, a long text by its start and length (a 900 KB preset was echoed whole, the
 * prices audit), the rest as JSON.
 */
function shown(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a map";
  if (typeof value === "string" && value.length > SHOWN_LENGTH) return `${JSON.stringify(value.slice(0, SHOWN_LENGTH))}... (${groupDigits(value.length)} characters)`;
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
}

/** The characters of a text a message shows. */
const SHOWN_LENGTH = 80;

/**
 * Whether the key at a dotted path takes whole numbers only (a rung's attempts, a cap, a context
 * window, a bug count): every number the schema allows there is an integer one. Unions (a count
 * or its distribution) are followed into each of their options.
 */
export function takesWholeNumbers(path: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const expand = (wrapped: any): any[] => {
    const node = unwrapped(wrapped);
    return node?.def?.type === "union" ? node.def.options.flatMap(expand) : [node];
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let nodes: any[] = expand(scenarioSchema);
  for (const key of splitPath(path)) {
    nodes = nodes.flatMap((node) => {
      const type = node?.def?.type;
      if (type === "object") return node.def.shape[key] ? expand(node.def.shape[key]) : [];
      if (type === "record") return expand(node.def.valueType);
      if (type === "array" && /^\d+$/.test(key)) return expand(node.def.element);
      return [];
    });
  }
  const numbers = nodes.filter((node) => node?.def?.type === "number");
  return numbers.length > 0 && numbers.every((node) => node.isInt === true);
}

/** The keys the schema allows at a path, for "unknown key" messages. */
function allowedKeys(path: PropertyKey[]): string[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = unwrapped(scenarioSchema);
  for (const key of path) {
    if (node?.def?.type === "object") node = unwrapped(node.def.shape[key as string]);
    else if (node?.def?.type === "record") node = unwrapped(node.def.valueType);
    else return undefined;
  }
  return node?.def?.type === "object" ? Object.keys(node.def.shape) : undefined;
}

/** A schema node without the wrappers that do not change what it accepts here (optional, default, nullable, pipe). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function unwrapped(node: any): any {
  while (node?.def && ["optional", "default", "nullable", "pipe"].includes(node.def.type)) node = node.def.innerType ?? node.def.in;
  return node;
}
