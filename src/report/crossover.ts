/**
 * The report's crossover chart: the expected cost of two strategies along one scenario key, as
 * closed-form lines (the scenario edited at the key and analyzed, as `agentsim crossover` does),
 * simulated means with 95% intervals at a few values, and the crossovers that findCrossovers
 * finds between them.
 */
import { FlagError, UserError } from "../errors.js";
import { evaluateScenario } from "../evaluate/evaluate.js";
import { grid } from "../model/roots.js";
import { cheaperThroughoutEach, COUNT_PATH, DEFAULT_SCAN_STEPS, findCrossovers, runsOf, scanMeter, type Crossover, type Gap, type LeftOut } from "../model/crossover.js";
import { expectedMean } from "../model/strategy.js";
import { RANGES } from "../scenario/bounds.js";
import { parseScenario, takesWholeNumbers, withDefaults } from "../scenario/load.js";
import { cannotVary } from "../scenario/normalize.js";
import { isTtlKey, ttlIdleThroughout } from "../scenario/notes.js";
import { getPath, noNumericKey, withPath } from "../scenario/paths.js";
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import type { SimulationPool } from "../sim/pool.js";
import { formatNumber } from "../sweep/csv.js";
import { groupDigits } from "../text.js";

/** What to draw: two strategies, a key and its range, and the values of the range that are scenarios. */
export interface CrossoverPlan {
  key: string;
  from: number;
  to: number;
  between: [Strategy, Strategy];
  /** the key takes whole numbers only (a bug count, a rung's attempts, a cap, a window) */
  whole: boolean;
  /** where the closed forms are drawn: the values of the range the key may take */
  line: { x: number; scenario: Scenario }[];
  /** the values to simulate (at most SIMULATED_POINTS of them) */
  simulated: { x: number; scenario: Scenario }[];
  /** stretches of the range left out: values the key may not take */
  leftOut: LeftOut[];
  /**
   * bug counts drawn on the line that are no scenario (hard bugs not a whole number under exact
   * assignment): the closed form's polynomial in the count there, which the crossovers solve
   */
  polynomial: number[];
}

export interface CrossoverFlags {
  key?: string;
  from?: number;
  to?: number;
}

/** Grid intervals of the closed-form lines (a key other than a bug count); the search scans DEFAULT_SCAN_STEPS. */
const LINE_STEPS = 120;
/** Values of the key that are simulated, at most. */
const SIMULATED_POINTS = 9;
/**
 * Whole values a whole-number key is drawn at, at most (every one of them: crossovers lie between
 * neighbours): every count of the bug-count range, 0 to 1,000, the default range of a count of 500
 * or more (1,000 refused those, blaming --from and --to that were not given).
 */
const MAX_WHOLE_VALUES = RANGES.bugCount.max + 1;
/** Runs per strategy and context at each simulated value (at most; fewer if the report runs fewer). */
export const CROSSOVER_TRIALS = 20_000;

/**
 * The crossover to draw: the scenario's first two strategies (as `agentsim crossover` takes
 * them), along --crossover KEY over --from..--to; by default along the bug count of the second
 * strategy's generator (of the first's when they share it), from 0 to twice its value (at least
 * to 4, at most to the largest count a scenario may hold), or for a random count along its mean,
 * from half to twice it. A bug count needs no range; any other key does. Every value of the range
 * is checked here, before anything is simulated: values the key may not take are left out (and
 * said), and a range with none it may take is a FlagError. Null when there are fewer than two
 * strategies and nothing was asked for.
 */
export function planCrossover(raw: Record<string, unknown>, scenario: Scenario, file: string, flags: CrossoverFlags): CrossoverPlan | null {
  if (scenario.strategies.length < 2) {
    if (flags.key !== undefined) throw new UserError(`${file}: --crossover: the scenario has one strategy; a crossover needs two`);
    return null;
  }
  const between: [Strategy, Strategy] = [scenario.strategies[0]!, scenario.strategies[1]!];
  const data = withDefaults(raw);
  const defaultKey = (): string => {
    const owner = between[1].generator !== between[0].generator ? between[1].generator : between[0].generator;
    const count = `models.${owner}.bugs.count`;
    return typeof getPath(data, count) === "number" ? count : `${count}.mean`; // a random count: its mean
  };
  const key = flags.key ?? defaultKey();
  const named = flags.key === undefined ? `the default crossover key ${key}` : `--crossover ${key}`;
  const value = getPath(data, key);
  if (typeof value !== "number") throw new UserError(`${file}: ${named}: ${noNumericKey(data, key)}`);
  const idle = cannotVary(data, key, between);
  if (idle !== null) throw new UserError(`${file}: ${named}: ${idle}`);
  const isCount = COUNT_PATH.test(key);
  const isMean = flags.key === undefined && !isCount;
  if (!isCount && !isMean && (flags.from === undefined || flags.to === undefined)) {
    throw new FlagError(`--from and --to are required for --crossover ${key} (only a bugs.count has a default range)`);
  }
  const { min, max } = RANGES.bugCount;
  const defaultTo = isMean ? Math.min(2 * value, max) : Math.min(Math.max(2 * value, 4), max);
  const from = flags.from ?? (isMean ? value / 2 : 0);
  const to = flags.to ?? defaultTo;
  if (!(from < to)) {
    const given = flags.to === undefined ? ` by default: ${isMean ? "twice the mean" : "twice the count, at least 4"}` : "";
    throw new FlagError(`--from (${formatNumber(from)}) must be less than --to (${formatNumber(to)}${given})`);
  }
  // a count is drawn at every whole number of the range: only those a scenario may hold
  if (isCount && (from < min || to > max)) {
    throw new FlagError(`--from ${from} --to ${to}: ${key} is a whole number in [${min}, ${max}] (bugs); draw it over a range inside that`);
  }
  const whole = isCount || takesWholeNumbers(key);
  const wholes = whole ? wholeNumbers(from, to) : [];
  if (whole && wholes.length > MAX_WHOLE_VALUES) {
    throw new FlagError(`--from ${from} --to ${to}: ${groupDigits(wholes.length)} whole values of ${key}, more than the ${groupDigits(MAX_WHOLE_VALUES)} a report draws`);
  }
  const lineXs = whole ? wholes : grid(from, to, LINE_STEPS);
  const invalid = new Map<number, string>();
  const scenarioAt = (x: number, fractionalHardBugs: boolean): Scenario | null => {
    try {
      return parseScenario(withPath(data, key, x), file, { allowFractionalHardBugs: fractionalHardBugs });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      invalid.set(x, err.message);
      return null;
    }
  };
  // a bug count whose hard bugs are not a whole number is drawn as a line only (the polynomial's)
  const line = lineXs.flatMap((x) => {
    const at = scenarioAt(x, isCount);
    return at ? [{ x, scenario: at }] : [];
  });
  if (line.length === 0) {
    const range = flags.from === undefined && flags.to === undefined ? `over its default range ${formatNumber(from)} to ${formatNumber(to)}` : `between --from ${formatNumber(from)} and --to ${formatNumber(to)}`;
    throw new FlagError(`${named}: no value ${range} is a valid scenario (at ${formatNumber(lineXs[0]!)}: ${invalid.get(lineXs[0]!)})`);
  }
  const idleTtl = isTtlKey(key) ? ttlIdleThroughout(line.map((p) => p.scenario)) : null;
  if (idleTtl !== null) throw new UserError(`${file}: ${named}: changes nothing: ${idleTtl}`);
  const leftOut = runsOf(lineXs, (x) => invalid.has(x)).map((run) => ({ from: run[0]!, to: run.at(-1)!, values: run.length, scanned: lineXs.length, reason: invalid.get(run[0]!)! }));
  const candidates = whole ? line.map((p) => p.x) : grid(from, to, SIMULATED_POINTS - 1);
  const simulated = candidates.flatMap((x) => {
    const at = isCount ? scenarioAt(x, false) : (line.find((p) => p.x === x)?.scenario ?? scenarioAt(x, false));
    return at ? [{ x, scenario: at }] : [];
  });
  const picked = simulated.length <= SIMULATED_POINTS ? simulated : grid(0, simulated.length - 1, SIMULATED_POINTS - 1).map((i) => simulated[Math.round(i)]!);
  const polynomial = isCount ? line.map((p) => p.x).filter((x) => !simulated.some((q) => q.x === x)) : [];
  return { key, from, to, between, whole, line, simulated: picked, leftOut, polynomial };
}

/** One closed-form value, or one simulated mean with its interval. */
export interface CrossoverPoint {
  x: number;
  strategy: string;
  context: Context;
  mean: number;
  ciLow?: number;
  ciHigh?: number;
}

export interface CrossoverData {
  plan: CrossoverPlan;
  /** closed-form expected costs on a grid of the range (values without a closed form left out) */
  line: CrossoverPoint[];
  /** simulated means with 95% intervals, where the expected cost is finite */
  simulated: CrossoverPoint[];
  /** the simulated values left out: the expected cost is infinite there, and a simulated mean estimates nothing */
  infinite: { x: number; strategy: string; context: Context }[];
  /** runs per strategy and context at each simulated value */
  trials: number;
  crossovers: Crossover[];
  /** the contexts searched without a crossover, each with the strategy cheaper throughout the range (as `crossover` says them) */
  throughout: { context: Context; strategy: string }[];
  /**
   * The contexts where a strategy (or both) has no closed form at the scenario's value, with why:
   * such a strategy has no line there, and no crossover is sought there.
   */
  missing: MissingClosedForm[];
  /** stretches of the range without a closed form (a window reached, say), which the search cannot see into, as `crossover` reports them */
  gaps: Gap[];
  /** simulated values where a strategy's runs do not all fix every bug: their means are not what a finished run costs */
  incomplete: { x: number; strategy: string; context: Context; completion: number }[];
}

/** A context where some strategies of a crossover have no closed form at the scenario's value. */
export interface MissingClosedForm {
  context: Context;
  strategies: string[];
  /** why, for the first of them */
  reason: string;
}

/** Whole numbers in [from, to]. */
function wholeNumbers(from: number, to: number): number[] {
  const values: number[] = [];
  for (let q = Math.ceil(from); q <= to; q++) values.push(q);
  return values;
}

export async function crossoverData(
  pool: SimulationPool,
  fileData: Record<string, unknown>,
  scenario: Scenario,
  file: string,
  plan: CrossoverPlan,
  options: { trials: number; seedKey: string; onProgress?: (done: number, total: number) => void },
): Promise<CrossoverData> {
  const contexts = scenario.contexts;
  // a strategy without a closed form at the file's value in a context (an infinite expectation,
  // caps, a window in reach) has no line there; the other keeps its own, but nothing crosses there
  const missing: MissingClosedForm[] = [];
  for (const context of contexts) {
    const none = plan.between.map((st) => ({ st, reason: expectedMean(scenario, st, context).reason })).filter((r) => r.reason !== null);
    if (none.length > 0) missing.push({ context, strategies: none.map((r) => r.st.name), reason: none[0]!.reason! });
  }
  const lacks = (name: string, context: Context) => missing.some((m) => m.context === context && m.strategies.includes(name));
  const searched = contexts.filter((ctx) => !missing.some((m) => m.context === ctx));

  // the search and the lines share one bound on the closed forms' work, which names this command's flags
  const meter = scanMeter(plan.key, `--crossover ${plan.key} --from ${plan.from} --to ${plan.to}`, false);
  // A whole-number key other than a bug count (whose roots are exact) is searched at whole values
  // only, each crossing reported at the first whole value on the other side (as `crossover` does
  // for a bug count it cannot solve).
  const stepped = plan.whole && !COUNT_PATH.test(plan.key);
  const [first, last] = [plan.line[0]!.x, plan.line.at(-1)!.x];
  const [searchFrom, searchTo, steps] = stepped ? [first, last, Math.max(1, last - first)] : [plan.from, plan.to, DEFAULT_SCAN_STEPS];
  const gaps: Gap[] = [];
  const found =
    searched.length === 0
      ? []
      : findCrossovers(fileData, file, { param: plan.key, between: plan.between, contexts: searched, from: searchFrom, to: searchTo, steps, onGap: (g) => gaps.push(g) }, meter);
  const crossovers = stepped ? found.map((c) => ({ ...c, value: Math.ceil(c.value), method: "integer" as const })) : found;
  const throughout = cheaperThroughoutEach(fileData, file, { param: plan.key, between: plan.between, from: plan.from, to: plan.to }, searched, crossovers, gaps);
  const line: CrossoverPoint[] = [];
  const lined = contexts.flatMap((context) => plan.between.filter((st) => !lacks(st.name, context)).map((st) => ({ st, context })));
  if (lined.length > 0) {
    for (const { x, scenario: at } of plan.line) {
      for (const { st, context } of lined) {
        const mean = expectedMean(at, st, context).mean;
        if (mean !== null) line.push({ x, strategy: st.name, context, mean });
      }
      meter(x);
    }
  }

  const trials = Math.min(options.trials, CROSSOVER_TRIALS);
  const values = plan.simulated;
  const done = values.map(() => 0);
  const total = values.length * plan.between.length * contexts.length * trials;
  const evaluations = await Promise.all(
    values.map(({ x, scenario: at }, i) =>
      evaluateScenario(pool, { ...at, strategies: [...plan.between] }, {
        trials,
        seedKey: `${options.seedKey}|crossover:${plan.key}=${formatNumber(x)}`,
        onProgress: (d) => {
          done[i] = d;
          options.onProgress?.(done.reduce((a, b) => a + b, 0), total);
        },
      }),
    ),
  );
  const results = evaluations.flatMap((e, i) => e.results.map((r) => ({ x: values[i]!.x, r })));
  const simulated = results
    .filter(({ r }) => r.verdict !== "infinite mean")
    .map(({ x, r }) => ({ x, strategy: r.strategy, context: r.context, mean: r.mean, ciLow: r.ciLow ?? undefined, ciHigh: r.ciHigh ?? undefined }));
  const infinite = results.filter(({ r }) => r.verdict === "infinite mean").map(({ x, r }) => ({ x, strategy: r.strategy, context: r.context }));
  const incomplete = results.filter(({ r }) => r.allFixedFraction < 1).map(({ x, r }) => ({ x, strategy: r.strategy, context: r.context, completion: r.allFixedFraction }));
  return { plan, line, simulated, infinite, trials, crossovers, throughout, missing, gaps, incomplete };
}
