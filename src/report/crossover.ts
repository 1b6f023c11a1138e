/**
 * The report's crossover chart: the expected cost of two strategies along one scenario key, as
 * closed-form lines (the scenario edited at the key and analyzed, as `agentsim crossover` does),
 * simulated means with 95% intervals at a few values, and the crossovers that findCrossovers
 * finds between them.
 */
import { FlagError, UserError } from "../errors.js";
import { evaluateScenario } from "../evaluate/evaluate.js";
import { findCrossovers, grid, scanMeter, type Crossover } from "../model/crossover.js";
import { expectedMean } from "../model/strategy.js";
import { RANGES } from "../scenario/bounds.js";
import { parseScenario, withDefaults } from "../scenario/load.js";
import { getPath, withPath } from "../scenario/paths.js";
import type { Context, Scenario, Strategy } from "../scenario/types.js";
import type { SimulationPool } from "../sim/pool.js";
import { formatNumber } from "../sweep/csv.js";

/** What to draw: two strategies, a key and its range. */
export interface CrossoverPlan {
  key: string;
  from: number;
  to: number;
  between: [Strategy, Strategy];
}

export interface CrossoverFlags {
  key?: string;
  from?: number;
  to?: number;
}

/** Grid intervals of the closed-form lines (a key other than a bug count), and of the crossover search. */
const LINE_STEPS = 120;
const SEARCH_STEPS = 400;
/** Values of the key that are simulated, at most. */
const SIMULATED_POINTS = 9;
/** Runs per strategy and context at each simulated value (at most; fewer if the report runs fewer). */
export const CROSSOVER_TRIALS = 20_000;

const COUNT_KEY = /^models\.([^.]+)\.bugs\.count$/;

/**
 * The crossover to draw: the scenario's first two strategies (as `agentsim crossover` takes
 * them), along --crossover KEY over --from..--to; by default along the bug count of the second
 * strategy's generator (of the first's when they share it), from 0 to twice its value (at least
 * to 4, at most to the largest count a scenario may hold). A bug count needs no range; any other key does. Null when there are fewer than two
 * strategies and nothing was asked for.
 */
export function planCrossover(raw: Record<string, unknown>, scenario: Scenario, file: string, flags: CrossoverFlags): CrossoverPlan | null {
  if (scenario.strategies.length < 2) {
    if (flags.key !== undefined) throw new UserError(`--crossover: the scenario has one strategy; a crossover needs two`);
    return null;
  }
  const between: [Strategy, Strategy] = [scenario.strategies[0]!, scenario.strategies[1]!];
  const owner = between[1].generator !== between[0].generator ? between[1].generator : between[0].generator;
  const key = flags.key ?? `models.${owner}.bugs.count`;
  const value = getPath(withDefaults(raw), key);
  if (typeof value !== "number") throw new UserError(`${file}: --crossover ${key}: no numeric key at that path`);
  const isCount = COUNT_KEY.test(key);
  if (!isCount && (flags.from === undefined || flags.to === undefined)) {
    throw new UserError(`--from and --to are required for --crossover ${key} (only a bugs.count has a default range)`);
  }
  const { min, max } = RANGES.bugCount;
  const from = flags.from ?? 0;
  const to = flags.to ?? Math.min(Math.max(2 * value, 4), max);
  if (!(from < to)) throw new UserError(`--from (${from}) must be less than --to (${to})`);
  // a count is drawn at every whole number of the range: only those a scenario may hold
  if (isCount && (from < min || to > max)) {
    throw new FlagError(`--from ${from} --to ${to}: ${key} is a whole number in [${min}, ${max}] (bugs); draw it over a range inside that`);
  }
  return { key, from, to, between };
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
  /** simulated means with 95% intervals */
  simulated: CrossoverPoint[];
  /** runs per strategy and context at each simulated value */
  trials: number;
  crossovers: Crossover[];
  /** why there are no lines, when the two strategies have no closed form at the scenario's value */
  noClosedForm: string | null;
}

/** Whole numbers in [from, to]. */
function wholeNumbers(from: number, to: number): number[] {
  const values: number[] = [];
  for (let q = Math.ceil(from); q <= to; q++) values.push(q);
  return values;
}

/**
 * Where the closed form is drawn: a bug count only at whole counts (the scenario schema takes no
 * other; a crossover root between two counts is the polynomial's), any other key on a fine grid.
 */
function lineValues(plan: CrossoverPlan): number[] {
  return COUNT_KEY.test(plan.key) ? wholeNumbers(plan.from, plan.to) : grid(plan.from, plan.to, LINE_STEPS);
}

/** The values to simulate: whole numbers for a bug count, and only values the simulator accepts. */
function simulatedValues(raw: Record<string, unknown>, file: string, plan: CrossoverPlan): { x: number; scenario: Scenario }[] {
  const candidates = COUNT_KEY.test(plan.key) ? wholeNumbers(plan.from, plan.to) : grid(plan.from, plan.to, SIMULATED_POINTS - 1);
  const valid = candidates.flatMap((x) => {
    try {
      return [{ x, scenario: parseScenario(withPath(raw, plan.key, x), file) }];
    } catch {
      return []; // e.g. a bug count whose hard bugs are not a whole number: drawn as a line only
    }
  });
  if (valid.length <= SIMULATED_POINTS) return valid;
  return grid(0, valid.length - 1, SIMULATED_POINTS - 1).map((i) => valid[Math.round(i)]!);
}

export async function crossoverData(
  pool: SimulationPool,
  fileData: Record<string, unknown>,
  scenario: Scenario,
  file: string,
  plan: CrossoverPlan,
  options: { trials: number; seedKey: string; onProgress?: (done: number, total: number) => void },
): Promise<CrossoverData> {
  const raw = withDefaults(fileData);
  const contexts = scenario.contexts;
  const missing = plan.between.flatMap((st) => contexts.map((ctx) => expectedMean(scenario, st, ctx))).find((r) => r.mean === null);
  const noClosedForm = missing ? missing.reason : null;

  // the search and the lines share one bound on the closed forms' work, which names this command's flags
  const meter = scanMeter(plan.key, `--crossover ${plan.key} --from ${plan.from} --to ${plan.to}`, false);
  const crossovers = noClosedForm
    ? []
    : findCrossovers(fileData, file, { param: plan.key, between: plan.between, contexts, from: plan.from, to: plan.to, steps: SEARCH_STEPS }, meter);
  const line: CrossoverPoint[] = [];
  if (!noClosedForm) {
    for (const x of lineValues(plan)) {
      const at = parseScenario(withPath(raw, plan.key, x), file, { allowFractionalHardBugs: true });
      for (const st of plan.between) {
        for (const context of contexts) {
          const mean = expectedMean(at, st, context).mean;
          if (mean !== null) line.push({ x, strategy: st.name, context, mean });
        }
      }
      meter(x);
    }
  }

  const trials = Math.min(options.trials, CROSSOVER_TRIALS);
  const values = simulatedValues(raw, file, plan);
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
  const simulated = evaluations.flatMap((e, i) =>
    e.results.map((r) => ({ x: values[i]!.x, strategy: r.strategy, context: r.context, mean: r.mean, ciLow: r.ciLow ?? undefined, ciHigh: r.ciHigh ?? undefined })),
  );
  return { plan, line, simulated, trials, crossovers, noClosedForm };
}
