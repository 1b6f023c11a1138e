/**
 * Reading and validating scenario files (YAML, or JSON as its subset).
 *
 * `loadScenario` reads a file; `parseScenario` validates an already-parsed object, which is what
 * sweeps and crossovers do after changing one key. Both throw a ScenarioError naming the file,
 * the dotted key path and what is allowed.
 */
import type { z } from "zod";
import { ScenarioError } from "../errors.js";
import { checkExpectedAttempts, checkGrowth } from "./bounds.js";
import { keyPath } from "./paths.js";
import { readScenarioFile } from "./read.js";
import { scenarioSchema, type DistributionInput, type ParsedScenario } from "./schema.js";
import type { Distribution, ModelSpec, Scenario, Strategy } from "./types.js";

export { readScenarioFile };

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

export interface ParseOptions {
  /**
   * Skip "count x hardFraction is a whole number": the closed forms accept any real number of
   * hard bugs, and crossover searches move hardFraction continuously. The simulator needs it.
   */
  allowFractionalHardBugs?: boolean;
}

/** Validate plain scenario data and normalize it. `file` is only used in error messages. */
export function parseScenario(raw: unknown, file: string, options: ParseOptions = {}): Scenario {
  rejectProtoKeys(raw, file);
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues;
    const first = describeIssue(issues[0]!);
    // other keys with problems (zod may report one key twice, e.g. a whole number beyond 2^53)
    const others = new Set(issues.map((i) => keyPath(i.path))).size - 1;
    const more = others > 0 ? ` (+${others} more)` : "";
    throw new ScenarioError(file, first.path, first.problem + more);
  }
  const scenario = normalize(result.data);
  crossChecks(scenario, file, options);
  checkExpectedAttempts(scenario, file);
  checkGrowth(scenario, file);
  return scenario;
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
  if (issue.code === "invalid_union") {
    // Prefer a branch that got past the type check: its message is the specific one.
    const branch = issue.errors.find((errs) => errs.length > 0 && errs.some((e) => e.path.length > 0 || e.code !== "invalid_type"));
    if (branch && !("note" in issue && issue.note)) return describeIssue(branch[0]!, path);
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
  if (issue.code === "invalid_type" && issue.input === undefined) problem = "is required";
  else if ("input" in issue && issue.input !== undefined && typeof issue.input !== "object") {
    problem += `, got ${shown(issue.input)}`;
  }
  return { path: keyPath(path), problem };
}

/** A value as a message shows it: numbers as JavaScript writes them (NaN, Infinity), the rest as JSON. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
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

function distribution(d: DistributionInput): Distribution {
  if (typeof d === "number") return { kind: "constant", value: d };
  switch (d.dist) {
    case "constant":
      return { kind: "constant", value: d.value };
    case "uniform":
      return { kind: "uniform", min: d.min, max: d.max };
    case "lognormal":
      return { kind: "lognormal", mean: d.mean, cv: d.cv };
    case "empirical":
      return { kind: "empirical", values: [...d.values] };
  }
}

const PER_MILLION = 1e6;

function normalize(p: ParsedScenario): Scenario {
  const models: Record<string, ModelSpec> = {};
  for (const [name, m] of Object.entries(p.models)) {
    models[name] = {
      name,
      inputPrice: m.price.input / PER_MILLION,
      outputPrice: m.price.output / PER_MILLION,
      bugCount: m.bugs.count,
      hardFraction: m.bugs.hardFraction,
      assignment: m.bugs.assignment,
      fixEasy: m.fix.easy,
      fixHard: m.fix.hard,
      speed: m.speed ?? null,
      regressions: m.regressions ?? null,
    };
  }
  return {
    name: p.name,
    seed: p.seed,
    trials: p.trials,
    models,
    tokens: {
      prompt: p.tokens.prompt,
      generation: p.tokens.generation,
      fixOutput: distribution(p.tokens.fixOutput),
      errorTrace: distribution(p.tokens.errorTrace),
      errorGrowth: p.tokens.errorGrowth,
    },
    caching: {
      readMultiplier: p.caching.readMultiplier,
      writeMultiplier: p.caching.writeMultiplier,
      ttlSeconds: p.caching.ttlSeconds ?? null,
    },
    toolSeconds: p.toolSeconds === undefined ? null : distribution(p.toolSeconds),
    contexts: p.contexts,
    strategies: strategies(p),
    limits: {
      maxAttemptsPerBug: p.limits?.maxAttemptsPerBug ?? null,
      maxAttemptsPerRun: p.limits?.maxAttemptsPerRun ?? null,
    },
  };
}

/** The file's strategies, or every ordered (generator, fixer) pair named `<generator>-<fixer>`. */
function strategies(p: ParsedScenario): Strategy[] {
  if (p.strategies) {
    return Object.entries(p.strategies).map(([name, s]) => ({ name, generator: s.generator, fixer: s.fixer }));
  }
  const names = Object.keys(p.models);
  return names.flatMap((generator) => names.map((fixer) => ({ name: `${generator}-${fixer}`, generator, fixer })));
}

/** Tolerance for "count x hardFraction is a whole number" (docs/model.md, section 7). */
const WHOLE_TOLERANCE = 1e-6;

/** Checks that involve more than one key. */
function crossChecks(s: Scenario, file: string, options: ParseOptions): void {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioError(file, path, problem);
  };
  for (const m of Object.values(s.models)) {
    const hard = m.bugCount * m.hardFraction;
    if (m.assignment === "exact" && !options.allowFractionalHardBugs && Math.abs(hard - Math.round(hard)) > WHOLE_TOLERANCE) {
      fail(
        `models.${m.name}.bugs.hardFraction`,
        `count x hardFraction = ${+hard.toFixed(6)} must be a whole number under assignment: exact ` +
          `(use a fraction that gives whole hard bugs, or assignment: binomial)`,
      );
    }
  }
  for (const st of s.strategies) {
    for (const role of ["generator", "fixer"] as const) {
      if (!Object.hasOwn(s.models, st[role])) {
        fail(`strategies.${st.name}.${role}`, `unknown model "${st[role]}" (defined: ${Object.keys(s.models).join(", ")})`);
      }
    }
  }
  const fixers = new Set(s.strategies.map((st) => st.fixer));
  for (const m of Object.values(s.models)) {
    const r = m.regressions;
    if (!r) continue;
    const key = `models.${m.name}.regressions.probability`;
    if (r.offspring === "bernoulli" && r.probability > 1) {
      fail(key, `must be a probability in [0, 1] with offspring: bernoulli, got ${r.probability}`);
    }
    if (fixers.has(m.name) && r.probability >= 1 && s.limits.maxAttemptsPerRun === null) {
      fail(
        key,
        `${r.probability} >= 1 with no limits.maxAttemptsPerRun: every bug fixed breeds at least one more on ` +
          `average, so a run never ends; lower it below 1 or set limits.maxAttemptsPerRun`,
      );
    }
  }
  const growth = s.tokens.errorGrowth;
  if (growth > 0 && s.limits.maxAttemptsPerBug === null && s.limits.maxAttemptsPerRun === null) {
    for (const name of fixers) {
      const m = s.models[name]!;
      const p = Math.min(m.fixEasy, m.fixHard);
      if ((1 + growth) * (1 - p) >= 1) {
        fail(
          "tokens.errorGrowth",
          `(1 + ${growth}) x (1 - ${p}) >= 1 for fixer ${name}: the expected error trace of a bug is infinite; ` +
            `lower it below ${+(p / (1 - p)).toPrecision(6)} or set limits.maxAttemptsPerBug`,
        );
      }
    }
  }
}
