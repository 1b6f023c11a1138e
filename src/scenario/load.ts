/**
 * Reading and validating scenario files (YAML, or JSON as its subset).
 *
 * `loadScenario` reads a file; `parseScenario` validates an already-parsed object, which is what
 * sweeps and crossovers do after changing one key. Both throw a ScenarioError naming the file,
 * the dotted key path and what is allowed.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ScenarioError } from "../errors.js";
import { crossChecks, shapeChecks, type CheckOptions } from "./checks.js";
import { normalize } from "./normalize.js";
import { resolvePreset } from "./preset.js";
import { scenarioSchema } from "./schema.js";
import type { Scenario } from "./types.js";

export interface LoadedScenario {
  file: string;
  /** The file's content as plain data (sweeps and crossovers edit this and re-validate). */
  raw: Record<string, unknown>;
  scenario: Scenario;
}

/** Read, parse and validate a scenario file. */
export function loadScenario(file: string): LoadedScenario {
  const raw = readScenarioFile(file);
  return { file, raw, scenario: parseScenario(raw, file) };
}

/** Read a YAML/JSON file into plain data; syntax errors are reported with their line. */
export function readScenarioFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? err);
    throw new ScenarioError(file, "", `cannot read scenario: ${why}`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const where = syntax.linePos ? `line ${syntax.linePos[0].line}, column ${syntax.linePos[0].col}: ` : "";
    const what = syntax.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new ScenarioError(file, "", `${where}invalid YAML: ${what}`);
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ScenarioError(file, "", "must be a mapping of keys (name, seed, trials, models, tokens, ...)");
  }
  return data as Record<string, unknown>;
}

export type ParseOptions = CheckOptions;

/** Validate plain scenario data and normalize it. `file` is only used in error messages. */
export function parseScenario(raw: unknown, file: string, options: ParseOptions = {}): Scenario {
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues;
    const first = describeIssue(issues[0]!);
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : "";
    throw new ScenarioError(file, first.path, first.problem + more);
  }
  shapeChecks(result.data, file);
  const scenario = normalize(result.data, (preset, ttl, key) => resolvePreset(preset, ttl, file, key));
  crossChecks(scenario, file, options);
  return scenario;
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
  if (issue.code === "invalid_union") {
    // Prefer a branch that got past the type check: its message is the specific one.
    const branch = issue.errors.find((errs) => errs.length > 0 && errs.some((e) => e.path.length > 0 || e.code !== "invalid_type"));
    if (branch && !("note" in issue && issue.note)) return describeIssue(branch[0]!, path);
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(path);
    const key = issue.keys[0]!;
    return {
      path: dotted([...path, key]),
      problem: `unknown key${allowed ? ` (allowed here: ${allowed.join(", ")})` : ""}`,
    };
  }
  let problem = issue.message;
  if (issue.code === "invalid_type" && issue.input === undefined) problem = "is required";
  else if ("input" in issue && issue.input !== undefined && typeof issue.input !== "object") {
    problem += `, got ${JSON.stringify(issue.input)}`;
  }
  return { path: dotted(path), problem };
}

function dotted(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The keys the schema allows at a path, for "unknown key" messages. */
function allowedKeys(path: PropertyKey[]): string[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = scenarioSchema;
  const unwrap = () => {
    while (node?.def && ["optional", "default", "nullable", "pipe"].includes(node.def.type)) {
      node = node.def.innerType ?? node.def.in;
    }
  };
  for (const key of path) {
    unwrap();
    if (node?.def?.type === "object") node = node.def.shape[key as string];
    else if (node?.def?.type === "record") node = node.def.valueType;
    else return undefined;
  }
  unwrap();
  return node?.def?.type === "object" ? Object.keys(node.def.shape) : undefined;
}
