/**
 * Checks that span several keys of a scenario, each failing with a one-line ScenarioError that
 * names the key: which keys go together in a strategy or a rung (`shapeChecks`, on the validated
 * file), and what must hold between models, strategies and extensions (`crossChecks`, on the
 * normalized scenario).
 */
import { ScenarioError } from "../errors.js";
import { groupDigits } from "../text.js";
import { MAX_STRATEGIES, WHOLE_TOLERANCE } from "./bounds.js";
import { fixingModels, hasBoundedEnd, rateKey, rungKey, rungRates } from "./ladder.js";
import type { ParsedScenario } from "./schema.js";
import type { FixRate, FixRung, Scenario } from "./types.js";

export interface CheckOptions {
  /**
   * Skip "count x hardFraction is a whole number": the closed forms accept any real number of
   * hard bugs, and crossover searches move hardFraction continuously. The simulator needs it.
   */
  allowFractionalHardBugs?: boolean;
}

/** How far a negative binomial's variance must exceed its mean, relative to it (see shapeChecks). */
const MIN_OVERDISPERSION = 1e-6;

/** Which keys go together: a strategy has a fixer or a ladder; a rung is a fixer rung or a consult rung. */
export function shapeChecks(p: ParsedScenario, file: string): void {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioError(file, path, problem);
  };
  for (const [name, m] of Object.entries(p.models)) {
    const count = m.bugs.count;
    if (typeof count !== "number" && m.bugs.assignment === "exact") {
      fail(`models.${name}.bugs.assignment`, `exact needs a whole-number count; a random count (${count.dist}) assigns difficulty binomially`);
    }
    // by at least a millionth of the mean: closer, its draws lose every digit of 1 - p (variance
    // 100.00000000000003 over a mean of 100 drew 117 bugs a run on average)
    if (typeof count !== "number" && count.dist === "negbinomial" && !(count.variance >= count.mean * (1 + MIN_OVERDISPERSION))) {
      fail(
        `models.${name}.bugs.count.variance`,
        `must exceed the mean (${count.mean}) by at least ${MIN_OVERDISPERSION} of it for a negative binomial, got ${count.variance}; use poisson for variance = mean`,
      );
    }
  }
  const defined = Object.keys(p.models);
  // before the default strategies are made: every ordered pair of models
  const listed = p.strategies ? Object.keys(p.strategies).length : null;
  if ((listed ?? defined.length ** 2) > MAX_STRATEGIES) {
    if (listed !== null) fail("strategies", `lists ${groupDigits(listed)} strategies, more than the ${MAX_STRATEGIES} a scenario may compare: use several scenarios`);
    fail(
      "models",
      `${groupDigits(defined.length)} models make ${groupDigits(defined.length ** 2)} strategies (each generating with each fixing), more than the ` +
        `${MAX_STRATEGIES} a scenario may compare: list the strategies you mean under strategies`,
    );
  }
  const model = (path: string, name: string) => {
    if (!Object.hasOwn(p.models, name)) fail(path, `unknown model ${JSON.stringify(name)} (defined: ${defined.join(", ")})`);
  };
  for (const [name, s] of Object.entries(p.strategies ?? {})) {
    const key = `strategies.${name}`;
    model(`${key}.generator`, s.generator);
    if (s.fixer !== undefined && s.ladder !== undefined) fail(key, "give either fixer or ladder, not both");
    if (s.fixer === undefined && s.ladder === undefined) fail(`${key}.fixer`, "is required (or give a ladder of rungs)");
    if (s.fixer !== undefined) model(`${key}.fixer`, s.fixer);
    if (s.ladder && !s.ladder.some((r) => r.fixer !== undefined)) fail(`${key}.ladder`, "needs at least one fixer rung");
    // the first fixer rung without an attempts bound before rung i, kept as the ladder is walked
    // (a search of the rungs before each one was quadratic: 10 s for 100 ladders of 10,000 rungs,
    // paid again at every value a crossover or report scans; the worst-case audit)
    let open = -1;
    s.ladder?.forEach((r, i) => {
      const at = rungKey(name, i);
      const prev = i > 0 ? s.ladder![i - 1]! : null;
      if (open < 0 && prev && prev.fixer !== undefined && prev.attempts === undefined) open = i - 1;
      if (open >= 0) fail(at, `can never be reached: rung ${open} (fixer ${s.ladder![open]!.fixer}) has no attempts bound`);
      if ((r.fixer === undefined) === (r.consult === undefined)) fail(at, "a rung is either {fixer, attempts?, fix?} or {consult, output}");
      if (r.fixer !== undefined) model(`${at}.fixer`, r.fixer);
      if (r.consult !== undefined) {
        model(`${at}.consult`, r.consult);
        if (r.attempts !== undefined) fail(`${at}.attempts`, "only a fixer rung has attempts");
        if (r.fix !== undefined) fail(`${at}.fix`, "only a fixer rung has fix rates");
        if (r.output === undefined) fail(`${at}.output`, "is required for a consult rung (tokens of advice)");
      } else if (r.output !== undefined) {
        fail(`${at}.output`, "only a consult rung has output (a fixer's output is tokens.fixOutput)");
      }
    });
  }
}

/** What must hold between keys of a normalized scenario. */
export function crossChecks(s: Scenario, file: string, options: CheckOptions = {}): void {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioError(file, path, problem);
  };
  for (const m of Object.values(s.models)) {
    if (m.bugs.kind !== "fixed" || m.assignment !== "exact" || options.allowFractionalHardBugs) continue;
    const hard = m.bugs.count * m.hardFraction;
    if (Math.abs(hard - Math.round(hard)) > WHOLE_TOLERANCE) {
      fail(
        `models.${m.name}.bugs.hardFraction`,
        `count x hardFraction = ${+hard.toFixed(6)} must be a whole number under assignment: exact ` +
          `(use a fraction that gives whole hard bugs, or assignment: binomial)`,
      );
    }
  }
  checkRegressions(s, fail);
  checkDivergence(s, fail);
  checkWindows(s, fail);
}

type Fail = (path: string, problem: string) => never;

/** A fixer whose fixes breed at least one new bug on average makes runs endless unless the run is capped. */
function checkRegressions(s: Scenario, fail: Fail): void {
  const fixers = fixingModels(s);
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
}

/**
 * An unbounded last rung must end its bugs in finite expected time: a beta rate there needs
 * a > 1 (E[N] = E[1/p] is infinite for a <= 1, and runs would not end), and error-trace growth g
 * needs (1 + g)(1 - p) < 1 for every fixed p there (and no beta rate, whose p comes arbitrarily
 * close to 0) — unless attempts are capped.
 */
function checkDivergence(s: Scenario, fail: Fail): void {
  if (s.limits.maxAttemptsPerBug !== null) return;
  const growth = s.tokens.errorGrowth;
  for (const st of s.strategies) {
    if (hasBoundedEnd(st.ladder)) continue;
    const last = st.ladder[st.ladder.length - 1] as FixRung; // an unbounded end is a fixer rung
    const rates = rungRates(s.models, last);
    const where = rateKey(st.name, st.ladder.length - 1, last);
    for (const cls of ["easy", "hard"] as const) {
      const rate: FixRate = rates[cls];
      if (rate.kind === "beta" && rate.a <= 1 && s.limits.maxAttemptsPerRun === null) {
        fail(
          `${where}.${cls}`,
          `beta with a = mean x concentration = ${+rate.a.toPrecision(6)} <= 1: the expected number of attempts is infinite ` +
            `and runs would not end; raise a above 1 or cap attempts (limits, or a bounded rung)`,
        );
      }
      if (growth > 0 && s.limits.maxAttemptsPerRun === null) {
        const p = rate.kind === "fixed" ? rate.p : 0;
        if ((1 + growth) * (1 - p) >= 1) {
          fail(
            "tokens.errorGrowth",
            `(1 + ${growth}) x (1 - ${rate.kind === "fixed" ? p : "p"}) >= 1 for ${where}.${cls}` +
              `${rate.kind === "beta" ? " (a beta rate comes arbitrarily close to 0)" : ""}: the expected error trace of a bug is infinite; ` +
              (rate.kind === "fixed" ? `lower it below ${+(p / (1 - p)).toPrecision(6)} or ` : "") +
              `set limits.maxAttemptsPerBug`,
          );
        }
      }
    }
  }
}

/**
 * Context windows (section 10): the generation's prompt must fit the generator's window, and a
 * compaction must leave room: L1 + summary below every window of a model that works in the fix phase.
 */
function checkWindows(s: Scenario, fail: Fail): void {
  const L1 = s.tokens.prompt + s.tokens.generation;
  for (const st of s.strategies) {
    const gen = s.models[st.generator]!;
    if (gen.contextWindow !== null && s.tokens.prompt > gen.contextWindow) {
      fail("tokens.prompt", `${s.tokens.prompt} tokens exceed models.${gen.name}.contextWindow (${gen.contextWindow}), so the generation cannot run`);
    }
    if (!s.compaction) continue;
    for (const r of st.ladder) {
      const w = s.models[r.model]!.contextWindow;
      if (w !== null && L1 + s.compaction.summary >= w) {
        fail(
          "compaction.summary",
          `prompt + generation + summary = ${L1 + s.compaction.summary} tokens do not fit models.${r.model}.contextWindow (${w}): ` +
            `a compaction would never make room`,
        );
      }
    }
  }
}
