/**
 * Crossovers (docs/model.md, section 4): where two strategies' expected costs are equal.
 *
 * In a model's `bugs.count` the difference is at most quadratic (fresh: linear; shared: the I^2
 * term), so its roots are exact. For any other numeric key the roots are found by a sign scan on
 * a grid over the user's range, each sign change refined by bisection to 1e-9 relative (roots.ts).
 */
import { FlagError, ScenarioError, UserError } from "../errors.js";
import { RANGES } from "../scenario/bounds.js";
import { parseScenario, withDefaults } from "../scenario/load.js";
import { cannotVary } from "../scenario/normalize.js";
import { isTtlKey, ttlIdleThroughout } from "../scenario/notes.js";
import { getPath, noNumericKey, withPath } from "../scenario/paths.js";
import { isOneRung } from "../scenario/ladder.js";
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import { groupDigits } from "../text.js";
import { convolutionWork } from "./pmf.js";
import { tierReachable } from "./prices.js";
import { grid, quadraticRoots, scanCrossovers } from "./roots.js";
import { expectedMean } from "./strategy.js";

export interface Crossover {
  context: Context;
  /** the parameter value where the two expected costs are equal */
  value: number;
  /** the strategy that is cheaper just below and just above the value */
  cheaperBelow: string;
  cheaperAbove: string;
  /**
   * exact: a root of the polynomial in a bug count; bisection: a numeric key's root narrowed to
   * 1e-9; integer: for a bug count where the cost is no low polynomial in it (a multi-rung ladder
   * in shared context), the first whole count past the change; step: the first allowed value past
   * the change, where the key takes separate values only (a hard fraction under exact assignment)
   * or the values inside the last bracket are not allowed
   */
  method: "exact" | "bisection" | "integer" | "step";
}

export interface CrossoverQuery {
  param: string;
  between: [Strategy, Strategy];
  contexts: Context[];
  /** range to search; optional for bugs.count (default: every root >= 0) and a rung's attempts (1 to 20) */
  from?: number;
  to?: number;
  /** grid intervals for the sign scan */
  steps: number;
  /**
   * Called for a context where the search cannot run (no closed form at any point); without it,
   * such a context is an error.
   */
  onSkip?: (context: Context, reason: string, error: UserError) => void;
  /** Called for each stretch of the scanned range where a strategy has no closed form. */
  onGap?: (gap: Gap) => void;
  /** Called once for each stretch of the grid scan's values that the key may not take. */
  onLeftOut?: (stretch: LeftOut) => void;
}

/**
 * A stretch of the grid scan's values that are no scenario (the key may not take them: a rate of
 * 0, a negative count), left out of the scan. A range wholly outside is an error instead.
 */
export interface LeftOut {
  /** the first and last values left out */
  from: number;
  to: number;
  /** how many values were left out (of a whole-count scan: those between from and to that break the rule, not every one) */
  values: number;
  /** how many values the scan tried: the grid's, or the whole counts' */
  scanned: number;
  /** why, at the first of them: the scenario's validation message */
  reason: string;
}

/**
 * A stretch of the scanned range where a strategy has no closed form (a context window in reach,
 * an infinite expectation): the scan cannot see a crossover inside it. Where the cheaper strategy
 * differs on its two sides, the costs cross somewhere in it, and only simulation can say where.
 */
export interface Gap {
  context: Context;
  /** the first and last values scanned without a closed form */
  from: number;
  to: number;
  /** why, at the first of them */
  reason: string;
  /** the strategy cheaper at the nearest value scanned before and after it (null at the range's end) */
  cheaperBefore: string | null;
  cheaperAfter: string | null;
}

/**
 * Whether the cheaper strategy may change inside a gap: it differs on the gap's two sides, or the
 * gap reaches an end of the range, beyond which nothing was scanned (a strategy cheaper on the one
 * side seen was named cheaper throughout, though the other was cheaper inside: an audit).
 */
export function choiceMayChangeIn(gap: Gap): boolean {
  return gap.cheaperBefore === null || gap.cheaperAfter === null || gap.cheaperBefore !== gap.cheaperAfter;
}

/** The key of a model's fixed bug count, `models.<name>.bugs.count`; group 1 is the model's name. */
export const COUNT_PATH = /^models\.([^.]+)\.bugs\.count$/;

/** Grid intervals of a scan, unless asked otherwise (crossover's --steps, the report's search). */
export const DEFAULT_SCAN_STEPS = 400;

/** A scenario in which some of the strategies compared have no closed form (`missing`: each, with why). */
export class NoClosedForm extends UserError {
  constructor(
    message: string,
    readonly missing: { name: string; reason: string }[],
  ) {
    super(message);
  }
}

/**
 * Whether two strategies are one strategy under two names, whatever the value of `param`: the
 * same generator and the same ladder, and a key that is neither's own. Their costs are then equal
 * at every value, so they never cross.
 */
export function definedAlike(param: string, [a, b]: readonly [Strategy, Strategy]): boolean {
  return !param.startsWith("strategies.") && a.generator === b.generator && JSON.stringify(a.ladder) === JSON.stringify(b.ladder);
}

/** E[C_first] - E[C_second] of a scenario; both must have closed forms (else NoClosedForm). */
export function costDifference(scenario: Scenario, between: [Strategy, Strategy], context: Context): number {
  // the scenario's own strategies: an edited key may be one of a ladder's
  const [a, b] = between.map((st) => {
    const strategy = scenario.strategies.find((s) => s.name === st.name) ?? st;
    return { name: strategy.name, ...expectedMean(scenario, strategy, context) };
  });
  const missing = [a!, b!].filter((r) => r.mean === null).map((r) => ({ name: r.name, reason: r.reason! }));
  if (missing.length > 0) {
    throw new NoClosedForm(missing.map((r) => `${r.name} (${context}) has no closed form: ${r.reason}`).join("; "), missing);
  }
  return a!.mean! - b!.mean!;
}

/** Grid intervals searched for allowed probes when the range's own probes are all left out. */
const PROBE_STEPS = 400;

/** `f`, remembering each value it gave: a probe looked at twice (a parse and closed forms) costs once. */
function remembered<T>(f: (x: number) => T): (x: number) => T {
  const seen = new Map<number, T>();
  return (x) => {
    if (!seen.has(x)) seen.set(x, f(x));
    return seen.get(x)!;
  };
}

/** The indexes of the first and the last of `xs` where `ok` holds, each looked for from its end; null where none does. */
function outermost(xs: readonly number[], ok: (x: number) => boolean): [number, number] | null {
  const first = xs.findIndex(ok);
  if (first < 0) return null;
  let last = xs.length - 1;
  while (last > first && !ok(xs[last]!)) last--;
  return [first, last];
}

/**
 * Where a context's scan found no crossover: the strategy cheaper throughout the range, probed at
 * its ends and middle (or at the key's own value and beyond it when no range is given), or where
 * those are values the key may not take, at the first, last and middle allowed values of a grid of
 * the range; null where no probe has both closed forms, or where they cost the same. (Without a
 * crossover the sign of the difference does not change between values with both closed forms;
 * `crossover` said "none" and left the reader to guess which one wins.)
 */
export function cheaperThroughout(fileData: Record<string, unknown>, file: string, query: Pick<CrossoverQuery, "param" | "between" | "from" | "to">, context: Context): string | null {
  const raw = withDefaults(fileData);
  const own = getPath(raw, query.param);
  // without a range (a bug count): its own value, and beyond it, where at 0 bugs the two cost the same (a review)
  const probes = query.from !== undefined && query.to !== undefined ? [query.from, (query.from + query.to) / 2, query.to] : typeof own === "number" ? [own, own + 1, 2 * own + 1] : [];
  const options = COUNT_PATH.test(query.param) ? { allowFractionalHardBugs: true } : {};
  const sides = new Set<string>();
  const outcomes = outcomesOf((w) => parseScenario(withPath(raw, query.param, w), file, options), query.between, [context]);
  const at = (v: number) => differenceAt(v, outcomes, context, new Map());
  const add = (d: number) => {
    if (Number.isFinite(d) && d !== 0) sides.add(d < 0 ? query.between[0].name : query.between[1].name);
  };
  for (const x of probes) add(at(x));
  // a range whose ends and middle are values the key may not take (left out of the scan): probe
  // the first and last values of the scan's grid that it may take instead
  if (sides.size === 0 && query.from !== undefined && query.to !== undefined) {
    const xs = grid(query.from, query.to, PROBE_STEPS);
    const ends = outermost(xs, (x) => Number.isFinite(at(x)));
    if (ends) for (const i of [ends[0], ends[1], Math.floor((ends[0] + ends[1]) / 2)]) add(at(xs[i]!));
  }
  return sides.size === 1 ? [...sides][0]! : null;
}

/**
 * The strategy cheaper throughout the range (cheaperThroughout) in each of `contexts` where the
 * scan found no crossover, nor a gap the choice may change in, and one is; none for strategies
 * defined alike in the key, which cost the same everywhere. `crossover` and the report's page
 * both say these (the page left such a context out: the consistency audit).
 */
export function cheaperThroughoutEach(
  fileData: Record<string, unknown>,
  file: string,
  query: Pick<CrossoverQuery, "param" | "between" | "from" | "to">,
  contexts: readonly Context[],
  crossovers: readonly Crossover[],
  gaps: readonly Gap[],
): { context: Context; strategy: string }[] {
  if (definedAlike(query.param, query.between)) return [];
  return contexts
    .filter((ctx) => !crossovers.some((c) => c.context === ctx) && !gaps.some((g) => g.context === ctx && choiceMayChangeIn(g)))
    .flatMap((context) => {
      const strategy = cheaperThroughout(fileData, file, query, context);
      return strategy === null ? [] : [{ context, strategy }];
    });
}

/**
 * Why a scan found no value with both closed forms (`missing`: each value scanned without one,
 * with its error, in scan order): the strategies without one at every such value, named with the
 * reason at the first; else (each value lacks one or the other) the first value's reason, with
 * that value.
 */
function noneInRange(param: string, context: Context, missing: [number, NoClosedForm][]): NoClosedForm {
  const [x, first] = missing[0]!;
  const everywhere = first.missing.filter((m) => missing.every(([, err]) => err.missing.some((o) => o.name === m.name)));
  const at = `${param} = ${Number(x.toPrecision(6))}`;
  if (everywhere.length === 0) return new NoClosedForm(`no value scanned has a closed form for both strategies in ${context} context; at ${at}: ${first.message}`, first.missing);
  const names = everywhere.map((m) => m.name).join(" and ");
  return new NoClosedForm(`${names} (${context}) ha${everywhere.length === 1 ? "s" : "ve"} no closed form at any value scanned; at ${at}: ${everywhere[0]!.reason}`, everywhere);
}

/**
 * Multiply-adds of run distributions (pmf.ts's convolutionWork) that one scan, a crossover or an
 * attempts scan, may spend on its closed forms: about 3 s here. A value whose context window or
 * long-context tier lies thousands of requests away can take up to MAX_PMF_WORK (pmf.ts) per
 * check, and a scan of hundreds of such values would run for minutes.
 */
export const MAX_SCAN_WORK = 1e9;

/** A scan stopped by MAX_SCAN_WORK: an error of the whole command, never one context's skip. */
export class ScanTooLong extends FlagError {
  override name = "ScanTooLong";
  /** `flags`: the flags that chose the scan; `where`: where it stopped; `advice`: what fits */
  constructor(
    flags: string,
    readonly where: string,
    advice: string,
  ) {
    super(`${flags}: ${where}; ${advice}`);
  }
}

/**
 * The meter of a scan over values of `param`, chosen by `flags` (--steps among them or not):
 * called after each value, it throws ScanTooLong once the closed forms since it was made have done
 * more than MAX_SCAN_WORK multiply-adds. A count of work, not a clock: the same scan stops at the
 * same value on every machine.
 */
export function scanMeter(param: string, flags: string, steps: boolean): Meter {
  const start = convolutionWork();
  let done = 0;
  return (value) => {
    done++;
    const work = convolutionWork() - start;
    if (work <= MAX_SCAN_WORK) return;
    const fit = Math.floor((MAX_SCAN_WORK * done) / work);
    const advice =
      fit >= 10
        ? `about ${groupDigits(fit)} values fit: scan ${steps ? "fewer (--steps) or " : ""}a narrower range`
        : "too slow to scan here: compare the strategies with `agentsim analytic` at a few values";
    throw new ScanTooLong(
      flags,
      `at ${param} = ${Number(value.toPrecision(6))} (the ${ordinal(done)} value scanned) the closed forms passed ` +
        `${groupDigits(MAX_SCAN_WORK)} multiply-adds of run distributions (a context window or tier many requests away)`,
      advice,
    );
  };
}

export type Meter = (value: number) => void;

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${groupDigits(n)}${suffix}`;
}

/** The flags that chose a scan's values, for its messages. */
function rangeFlags(query: CrossoverQuery, steps: boolean): string {
  return `--from ${query.from ?? "-"} --to ${query.to ?? "-"}${steps ? ` --steps ${query.steps}` : ""}`;
}

/**
 * Every crossover of the query, for each context, in increasing value; the scan's work is bounded
 * by `meter` (by default one of MAX_SCAN_WORK that names --from, --to and --steps).
 */
export function findCrossovers(fileData: Record<string, unknown>, file: string, query: CrossoverQuery, meter?: Meter): Crossover[] {
  const stepped = !COUNT_PATH.test(query.param);
  meter ??= scanMeter(query.param, rangeFlags(query, stepped), stepped);
  if (query.onLeftOut) {
    // every context scans the same values: each stretch is reported once
    const report = query.onLeftOut;
    const seen = new Set<string>();
    const once = (stretch: LeftOut) => {
      const key = `${stretch.from},${stretch.to}`;
      if (seen.has(key)) return;
      seen.add(key);
      report(stretch);
    };
    query = { ...query, onLeftOut: once };
  }
  if (!query.onSkip) return searchCrossovers(fileData, file, query, meter);
  return query.contexts.flatMap((context) => {
    try {
      return searchCrossovers(fileData, file, { ...query, contexts: [context] }, meter);
    } catch (err) {
      // a context without a closed form is skipped; the flags' own problems are every context's
      if (!(err instanceof UserError) || err instanceof ScanTooLong || err instanceof FlagError) throw err;
      query.onSkip!(context, err.message, err);
      return [];
    }
  });
}

function searchCrossovers(fileData: Record<string, unknown>, file: string, query: CrossoverQuery, meter: Meter): Crossover[] {
  const raw = withDefaults(fileData);
  const countModel = COUNT_PATH.exec(query.param)?.[1];
  const at = (x: number) => parseScenario(withPath(raw, query.param, x), file);
  const value = getPath(raw, query.param);
  if (typeof value !== "number") {
    throw new FlagError(`${file}: --param ${query.param}: ${noNumericKey(raw, query.param)}`);
  }
  const idle = cannotVary(raw, query.param, query.between);
  if (idle !== null) throw new FlagError(`${file}: --param ${query.param}: ${idle}`);
  if (countModel !== undefined) {
    // a range of counts no scenario may hold (below 0, above 1,000) is the key's own error: it
    // printed a table of "none" and nothing else (a recheck)
    const { min, max } = RANGES.bugCount;
    // one end given is enough: --from 2000 alone (to every root) or --to -5 alone (from 0)
    const lo = query.from ?? min;
    const hi = query.to ?? Infinity;
    if (hi < min || lo > max) parseScenario(withPath(raw, query.param, hi < min ? hi : lo), file);
    const scenario = parseScenario(raw, file, { allowFractionalHardBugs: true });
    // the cost is a polynomial of degree <= 2 in the count in fresh context, and in shared context
    // for one-rung ladders whose fixer pays no long-context tier; elsewhere whole counts are scanned
    const tiered = query.between.some((st) => st.ladder.some((r) => tierReachable(scenario.models[r.model]!)));
    const polynomial = (ctx: Context) => ctx === "fresh" || (query.between.every((st) => isOneRung(st.ladder)) && !tiered);
    // only the contexts scanned count by count are worked out at each count
    const outcomes = outcomesOf(at, query.between, query.contexts.filter((ctx) => !polynomial(ctx)));
    return query.contexts.flatMap((ctx) => (polynomial(ctx) ? countCrossovers(scenario, countModel, query, ctx) : integerCrossovers(outcomes, query, ctx, meter)));
  }
  if (query.from === undefined || query.to === undefined) {
    throw new FlagError(`--from and --to are required for ${query.param} (only a bug count and a rung's attempts are searched without a range)`);
  }
  const outcomes = outcomesOf(at, query.between, query.contexts);
  const lattice = hardFractionLattice(raw, query.param);
  if (lattice !== null) return query.contexts.flatMap((ctx) => latticeCrossovers(outcomes, query, ctx, meter, lattice));
  if (isTtlKey(query.param)) {
    // the first and last values of the scan the key may take (--from 0 is none: a TTL is above 0)
    const scenarioAt = remembered((x: number): Scenario | null => {
      try {
        return at(x);
      } catch {
        return null; // a value the key may not take is left out below
      }
    });
    const xs = grid(query.from, query.to, query.steps);
    const ends = outermost(xs, (x) => scenarioAt(x) !== null);
    const idleTtl = ends ? ttlIdleThroughout(ends.map((i) => scenarioAt(xs[i]!)!)) : null;
    if (idleTtl !== null) throw new FlagError(`${file}: --param ${query.param}: changes nothing: ${idleTtl}`);
  }
  return query.contexts.flatMap((ctx) => {
    // A value the key may not take is no scenario, and is left out; a scenario without a closed
    // form (a window reached, an infinite expectation) is a gap, which is reported.
    const invalid = new Map<number, UserError>();
    const noClosedForm = new Map<number, NoClosedForm>();
    const difference = (x: number) => {
      const d = differenceAt(x, outcomes, ctx, noClosedForm, (err) => invalid.set(x, err));
      meter(x);
      return d;
    };
    const xs = grid(query.from!, query.to!, query.steps);
    const ys = new Map(xs.map((x) => [x, difference(x)]));
    const roots = scanCrossovers((x) => ys.get(x) ?? difference(x), query.from!, query.to!, query.steps);
    if (roots.length === 0 && xs.every((x) => Number.isNaN(ys.get(x)))) {
      throw noClosedForm.size > 0 ? noneInRange(query.param, ctx, [...noClosedForm]) : invalid.values().next().value;
    }
    if (query.onGap) {
      for (const gap of gapsOf(xs, (x) => ys.get(x)!, (x) => noClosedForm.get(x)?.message, query.between, ctx)) query.onGap(gap);
    }
    for (const run of runsOf(xs, (x) => invalid.has(x))) {
      query.onLeftOut?.({ from: run[0]!, to: run.at(-1)!, values: run.length, scanned: xs.length, reason: invalid.get(run[0]!)!.message });
      // the costs cross inside values the key may not take: the change is at the first value past
      // them, a step (as a grid that skips them finds it); the scan passed over it (a review)
      const [before, after] = [xs.indexOf(run[0]!) - 1, xs.indexOf(run.at(-1)!) + 1];
      const [yBefore, yAfter] = [ys.get(xs[before]!), ys.get(xs[after]!)];
      if (yBefore !== undefined && yAfter !== undefined && yBefore !== 0 && yAfter !== 0 && Math.sign(yBefore) === -Math.sign(yAfter)) {
        roots.push({ value: xs[after]!, slope: yAfter - yBefore, step: true });
      }
    }
    roots.sort((a, b) => a.value - b.value);
    return roots.map((root) => describe(root.value, root.slope, query.between, ctx, root.step ? "step" : "bisection"));
  });
}

/**
 * What one value of the key gives: no scenario (`at` threw: a value the key may not take), or
 * in each context the cost difference, or why a strategy has no closed form there.
 */
type ValueOutcome = { invalid: UserError } | { differences: ReadonlyMap<Context, number | NoClosedForm> };

/**
 * Each value's outcome in every one of `contexts` at once, remembered: a value's scenario is
 * built once for all contexts, and a long ladder's parse is most of a scan's time (a scan of two
 * 500-rung ladders parsed each value once per context).
 */
function outcomesOf(at: (x: number) => Scenario, between: [Strategy, Strategy], contexts: readonly Context[]): (x: number) => ValueOutcome {
  return remembered((x) => {
    let scenario: Scenario;
    try {
      scenario = at(x);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return { invalid: err };
    }
    const differenceIn = (context: Context): number | NoClosedForm => {
      try {
        return costDifference(scenario, between, context);
      } catch (err) {
        if (!(err instanceof NoClosedForm)) throw err;
        return err;
      }
    };
    return { differences: new Map(contexts.map((ctx) => [ctx, differenceIn(ctx)])) };
  });
}

/**
 * The cost difference at value x of the key in `context`, or NaN: where x is no scenario (a value
 * the key may not take, passed to `onInvalid`), or where a strategy has no closed form (recorded
 * in `noClosedForm` with why).
 */
function differenceAt(
  x: number,
  outcomes: (x: number) => ValueOutcome,
  context: Context,
  noClosedForm: Map<number, NoClosedForm>,
  onInvalid: (err: UserError) => void = () => {},
): number {
  const outcome = outcomes(x);
  if ("invalid" in outcome) {
    onInvalid(outcome.invalid);
    return NaN;
  }
  const difference = outcome.differences.get(context)!;
  if (difference instanceof NoClosedForm) {
    noClosedForm.set(x, difference);
    return NaN;
  }
  return difference;
}

/** The maximal runs of consecutive xs for which `inside` holds. */
export function runsOf<T>(xs: readonly T[], inside: (x: T) => boolean): T[][] {
  const runs: T[][] = [];
  let run: T[] | null = null;
  for (const x of xs) {
    if (!inside(x)) run = null;
    else if (run) run.push(x);
    else runs.push((run = [x]));
  }
  return runs;
}

/**
 * The maximal runs of scanned values without a closed form, each with the cheaper strategy at
 * the nearest values with one on either side (values the key may not take are passed over).
 */
export function gapsOf(
  xs: number[],
  difference: (x: number) => number,
  reason: (x: number) => string | undefined,
  between: [Strategy, Strategy],
  context: Context,
): Gap[] {
  const cheaper = (x: number | undefined) => {
    const d = x === undefined ? NaN : difference(x);
    return Number.isNaN(d) || d === 0 ? null : d < 0 ? between[0].name : between[1].name;
  };
  const known = (x: number) => !Number.isNaN(difference(x));
  const gaps: Gap[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (reason(xs[i]!) === undefined) continue;
    let j = i;
    while (j + 1 < xs.length && !known(xs[j + 1]!)) j++;
    const inside = xs.slice(i, j + 1).filter((x) => reason(x) !== undefined);
    const before = xs.slice(0, i).reverse().find(known);
    const after = xs.slice(j + 1).find(known);
    gaps.push({
      context,
      from: inside[0]!,
      to: inside[inside.length - 1]!,
      reason: reason(xs[i]!)!,
      cheaperBefore: cheaper(before),
      cheaperAfter: cheaper(after),
    });
    i = j;
  }
  return gaps;
}

function describe(value: number, slope: number, between: [Strategy, Strategy], context: Context, method: Crossover["method"]): Crossover {
  // difference = first - second: rising through zero means first is cheaper below.
  const [first, second] = [between[0].name, between[1].name];
  return {
    context,
    value,
    cheaperBelow: slope > 0 ? first : second,
    cheaperAbove: slope > 0 ? second : first,
    method,
  };
}

/**
 * Roots of d(q) = a q^2 + b q + c, the cost difference as a function of one model's bug count
 * (treated as a real number). The coefficients come from d at q = 1, 2, 3, where the closed
 * form holds (T >= 1); each root is polished by Newton steps on the closed form itself.
 */
export function countCrossovers(scenario: Scenario, model: string, query: CrossoverQuery, context: Context): Crossover[] {
  const d = (q: number) => {
    const m = scenario.models[model]!;
    return costDifference({ ...scenario, models: { ...scenario.models, [model]: { ...m, bugs: { kind: "fixed", count: q } } } }, query.between, context);
  };
  const [d1, d2, d3] = [d(1), d(2), d(3)];
  let a = (d3 - 2 * d2 + d1) / 2;
  const b = d2 - d1 - 3 * a;
  const c = d1 - a - b;
  if (Math.abs(a) <= 1e-12 * (Math.abs(b) + Math.abs(c))) a = 0; // fresh context: linear
  const slope = (x: number) => 2 * a * x + b;
  const lo = query.from ?? 0;
  const hi = query.to ?? Infinity;
  // No count lies below 0, so a root at 0 is no crossing: there, strategies with the same
  // generator tie, having nothing to fix (a root of 1e-31 is that 0, in rounding).
  const kept = (x: number) => x > ZERO_COUNT && x >= lo && x <= hi;
  // Only the polynomial's roots near the range are polished: d itself may have no closed form at
  // a root far outside it (a context window in reach at 60 bugs), which must not stop the others.
  const near = (x: number) => x >= lo - POLISH_MARGIN * (1 + Math.abs(lo)) && x <= hi + POLISH_MARGIN * (1 + Math.abs(hi));
  // A root where d itself has no closed form (a context window reached at that many bugs) is the
  // polynomial's only: it is reported as a gap, not a crossover, and the other roots stand.
  const polished: number[] = [];
  for (let x of quadraticRoots(a, b, c).filter(near)) {
    try {
      for (let i = 0; i < 3 && slope(x) !== 0; i++) x -= d(x) / slope(x);
      polished.push(x);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      if (kept(x)) query.onGap?.({ context, from: x, to: x, reason: err.message, cheaperBefore: null, cheaperAfter: null });
    }
  }
  return polished
    .sort((x, y) => x - y) // polishing may swap the two roots of a near-double root
    .filter(kept)
    .map((x) => describe(x, slope(x), query.between, context, "exact"));
}

/** Roots of a count's cost difference at most this far from 0 are 0 (the difference at 0 is a sum of terms that cancel). */
const ZERO_COUNT = 1e-9;

/** How far (relative) outside --from..--to a polynomial root is still polished, as polishing may move it inside. */
const POLISH_MARGIN = 1e-6;

/**
 * Crossovers in a bug count where the cost is no polynomial in it (shared context, multi-rung
 * ladders: the chance that a model speaks in none of the later bugs is a power of the count):
 * the sign of the difference at every whole count from --from (0) to --to (100); each change is
 * reported at the first count on the new side.
 */
function integerCrossovers(outcomes: (x: number) => ValueOutcome, query: CrossoverQuery, context: Context, meter: Meter): Crossover[] {
  const from = Math.max(0, Math.ceil(query.from ?? 0));
  // a count above the bug-count range is no scenario: it would be read (and refused) for nothing
  const to = Math.min(Math.floor(query.to ?? 100), RANGES.bugCount.max);
  if (to < from) throw new FlagError(`--from ${query.from ?? 0} --to ${query.to ?? 100} hold no whole count of bugs`);
  const counts = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return steppedCrossovers(outcomes, query, context, meter, counts, "integer", `any whole count in [${from}, ${to}]`);
}

/**
 * The values a hard fraction may take under exact assignment with a fixed count of n bugs: the
 * multiples of 1/n (section 7). n for such a key, else null.
 */
function hardFractionLattice(raw: Record<string, unknown>, param: string): number | null {
  const model = /^models\.([^.]+)\.bugs\.hardFraction$/.exec(param)?.[1];
  if (model === undefined) return null;
  const bugs = getPath(raw, `models.${model}.bugs`) as { count?: unknown; assignment?: unknown } | undefined;
  const n = bugs?.count;
  return typeof n === "number" && n > 0 && (bugs!.assignment ?? "exact") === "exact" ? n : null;
}

/**
 * Crossovers in a hard fraction under exact assignment: only the multiples of 1/n are scenarios,
 * so they are compared one by one (as whole counts are), each change reported at the first value
 * on the new side (method `step`).
 */
function latticeCrossovers(outcomes: (x: number) => ValueOutcome, query: CrossoverQuery, context: Context, meter: Meter, n: number): Crossover[] {
  const lo = Math.max(0, Math.ceil(query.from! * n - 1e-9));
  const hi = Math.min(n, Math.floor(query.to! * n + 1e-9));
  if (hi < lo) throw new FlagError(`--from ${query.from} --to ${query.to} hold no hard fraction of ${n} bugs (a multiple of 1/${n})`);
  const values = Array.from({ length: hi - lo + 1 }, (_, i) => (lo + i) / n);
  return steppedCrossovers(outcomes, query, context, meter, values, "step", `any multiple of 1/${n} in [${query.from}, ${query.to}]`);
}

/**
 * The sign of the difference at each of `points` in turn (whole counts, or a hard fraction's
 * multiples of 1/n); each change is reported at the first value on the new side. A value a rule
 * forbids is left out (one stretch per rule), one without a closed form is a gap.
 */
function steppedCrossovers(
  outcomes: (x: number) => ValueOutcome,
  query: CrossoverQuery,
  context: Context,
  meter: Meter,
  points: number[],
  method: "integer" | "step",
  where: string,
): Crossover[] {
  const noClosedForm = new Map<number, NoClosedForm>();
  const invalid = new Map<number, UserError>();
  const d = (q: number): number | null => {
    const value = differenceAt(q, outcomes, context, noClosedForm, (err) => invalid.set(q, err));
    meter(q);
    return Number.isNaN(value) ? null : value;
  };
  const values = new Map(points.map((q) => [q, d(q)]));
  // Counts a rule forbids come every other count or so (odd counts with half of them hard, under
  // exact assignment): one stretch per rule, from the first to the last such count, not one per count.
  const byRule = new Map<string, [number, UserError][]>();
  for (const [q, err] of invalid) {
    const rule = err instanceof ScenarioError ? err.keyPath : err.message;
    const left = byRule.get(rule) ?? byRule.set(rule, []).get(rule)!;
    left.push([q, err]);
  }
  for (const left of byRule.values()) {
    query.onLeftOut?.({ from: left[0]![0], to: left.at(-1)![0], values: left.length, scanned: points.length, reason: left[0]![1].message });
  }
  const out: Crossover[] = [];
  let previous: number | null = null;
  let known = 0;
  let gapSincePrevious = false; // a flip across a gap is the gap's to report, not a crossover
  for (const q of points) {
    const now = values.get(q)!;
    if (now === null) {
      gapSincePrevious ||= noClosedForm.has(q);
      continue;
    }
    known++;
    if (now === 0) continue;
    if (previous !== null && !gapSincePrevious && Math.sign(now) !== Math.sign(previous)) out.push(describe(q, now - previous, query.between, context, method));
    previous = now;
    gapSincePrevious = false;
  }
  if (known === 0) {
    if (noClosedForm.size > 0) throw noneInRange(query.param, context, [...noClosedForm]);
    throw new UserError(`${query.between.map((s) => s.name).join(" and ")} have no closed form at ${where} (${context})`);
  }
  if (query.onGap) {
    for (const gap of gapsOf(points, (q) => values.get(q) ?? NaN, (q) => noClosedForm.get(q)?.message, query.between, context)) query.onGap(gap);
  }
  return out;
}

/** The strategy a `strategies.<name>.ladder[i].attempts` key belongs to, or undefined for another key. */
export function attemptsKeyStrategy(param: string): string | undefined {
  return /^strategies\.([^.[\]]+)\.ladder(?:\[\d+\]|\.\d+)\.attempts$/.exec(param)?.[1];
}

/** A whole-number key's best value for one strategy: the one with the lowest expected cost. */
export interface BestValue {
  context: Context;
  strategy: string;
  best: number;
  cost: number;
  /** the expected cost at every value tried (null where there is no closed form) */
  costs: { value: number; cost: number | null }[];
  /** the other strategy's expected cost (it does not depend on the key), or null and why there is none */
  other: { strategy: string; cost: number | null; reason: string | null };
  /**
   * "to" ("from") when the best is the largest (smallest) value tried and the key could go
   * further: the lowest cost may lie beyond the range; else null
   */
  edge: "from" | "to" | null;
}

/**
 * Attempts summed over the values an attempts scan tries, at most: each value's closed forms go
 * through a bug's requests one by one, so the scan's time grows with this sum (1 to 1,400, or
 * 9,950 to 10,000, take a few seconds).
 */
export const MAX_SCAN_ATTEMPTS = 1_000_000;

/**
 * `strategies.<s>.ladder[i].attempts` is a whole number: rather than a root, the k in [from, to]
 * (default 1 to 20) with the lowest expected cost of strategy s, in each context.
 */
export function bestAttempts(fileData: Record<string, unknown>, file: string, query: CrossoverQuery): BestValue[] {
  const name = attemptsKeyStrategy(query.param)!;
  const raw = withDefaults(fileData);
  if (typeof getPath(raw, query.param) !== "number") throw new UserError(`${file}: --param ${query.param}: ${noNumericKey(raw, query.param)}`);
  const from = Math.max(1, Math.ceil(query.from ?? 1));
  const to = Math.floor(query.to ?? 20);
  if (to < from) throw new UserError(`--from ${from} and --to ${to} leave no whole number of attempts to try`);
  const work = ((from + to) * (to - from + 1)) / 2; // attempts summed over the values tried
  if (work > MAX_SCAN_ATTEMPTS) {
    throw new UserError(
      `--from ${from} --to ${to}: ${groupDigits(to - from + 1)} values of attempts, ${groupDigits(work)} attempts between them; ` +
        `at most ${groupDigits(MAX_SCAN_ATTEMPTS)} (for example --from 1 --to 1400): narrow the range`,
    );
  }
  const other = query.between.find((s) => s.name !== name) ?? null;
  const scenarios = Array.from({ length: to - from + 1 }, (_, i) => ({ k: from + i, scenario: parseScenario(withPath(raw, query.param, from + i), file) }));
  const base = parseScenario(raw, file);
  const meter = scanMeter(query.param, rangeFlags({ ...query, from, to }, false), false);
  return query.contexts.flatMap((context) => {
    let why: string | null = null; // the first k's reason, where it has no closed form
    const costs = scenarios.map(({ k, scenario }) => {
      const st = scenario.strategies.find((s) => s.name === name)!;
      const { mean: cost, reason } = expectedMean(scenario, st, context);
      why ??= reason;
      meter(k);
      return { value: k, cost };
    });
    const known = costs.filter((c) => c.cost !== null) as { value: number; cost: number }[];
    if (known.length === 0) {
      // what to change, not only that there is none (a review)
      const reason = `${name} (${context}) has no closed form for any attempts in [${from}, ${to}]: ${why ?? "no closed form"}`;
      // like the root scans, a context without a closed form is skipped where the caller collects them
      if (!query.onSkip) throw new UserError(reason);
      query.onSkip(context, reason, new UserError(reason));
      return [];
    }
    const best = known.reduce((a, b) => (b.cost < a.cost ? b : a));
    const theirs = other ? expectedMean(base, base.strategies.find((s) => s.name === other.name)!, context) : null;
    const edge = from === to ? null : best.value === to && to < RANGES.rungAttempts.max ? "to" : best.value === from && from > RANGES.rungAttempts.min ? "from" : null;
    return [{ context, strategy: name, best: best.value, cost: best.cost, costs, other: { strategy: other?.name ?? "", cost: theirs?.mean ?? null, reason: theirs?.reason ?? null }, edge }];
  });
}
