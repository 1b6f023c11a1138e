/**
 * Everything a report shows, computed: the scenario simulated (with every run's cost kept for the
 * distributions), the decision, the closed forms, the crossover along a key and, when the file has
 * a sweep section, every point of the sweep. The page is drawn from this alone (page.ts).
 */
import { decide, decideAnalytic, type AnalyticDecision, type Decision } from "../decision/decision.js";
import { evaluateScenario, type Evaluation } from "../evaluate/evaluate.js";
import { ScanTooLong } from "../model/crossover.js";
import { analyzeScenario, type AnalyticResult } from "../model/strategy.js";
import type { LoadedScenario } from "../scenario/load.js";
import type { Context, Scenario } from "../scenario/types.js";
import type { SimulationPool } from "../sim/pool.js";
import { ecdfPointsOf, type EcdfPoint } from "../stats/ecdf.js";
import { formatNumber } from "../sweep/csv.js";
import { sweepGrid, buildSweepFrom } from "../sweep/points.js";
import { crossoverData, planCrossover, type CrossoverData, type CrossoverFlags } from "./crossover.js";
import { drawnSweep, sweepData, sweepNotDrawn, type SweepData } from "./sweep.js";

/** Probability steps of each drawn distribution, and where it stops (the far tail is left out). */
const ECDF_STEPS = 400;
export const ECDF_UP_TO = 0.999;

export interface ReportRequest {
  trials: number;
  /** the random seed (the scenario's unless --seed says otherwise) */
  seed: string;
  crossover: CrossoverFlags;
  /** runs done and runs planned, over every stage */
  onProgress?: (done: number, total: number) => void;
}

/** One simulated cost distribution, as drawn. */
export interface Distribution {
  strategy: string;
  context: Context;
  points: EcdfPoint[];
}

export interface ReportData {
  file: string;
  scenario: Scenario;
  trials: number;
  seed: string;
  evaluation: Evaluation;
  decision: Decision;
  analytic: AnalyticResult[];
  analyticDecision: AnalyticDecision;
  distributions: Distribution[];
  /** null when the scenario has a single strategy, or where the default chart is too costly to draw (see crossoverNote) */
  crossover: CrossoverData | null;
  /** why the default crossover chart is left out, else null */
  crossoverNote: string | null;
  /** null without a sweep section, or with more keys than the report draws (see sweepNote) */
  sweep: SweepData | null;
  /** why the sweep is not drawn, or which of its points are (a sweep of more than MAX_DRAWN_POINTS); else null */
  sweepNote: string | null;
}

/**
 * Progress over several stages, each reporting its own (done, total); `totals` are the planned
 * totals, which a stage's own report replaces (the crossover knows its count only once planned).
 */
function stagedProgress(totals: number[], report?: (done: number, total: number) => void) {
  const done = totals.map(() => 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (stage: number) => (d: number, total: number) => {
    done[stage] = d;
    totals[stage] = total;
    report?.(sum(done), sum(totals));
  };
}

export async function collectReport(pool: SimulationPool, loaded: LoadedScenario, request: ReportRequest): Promise<ReportData> {
  const { scenario, raw, file } = loaded;
  const { trials, seed } = request;
  const plan = planCrossover(raw, scenario, file, request.crossover);
  const section = raw.sweep as Record<string, unknown> | undefined;
  // the grid is counted (and its file checked) before any point is built
  const grid = section === undefined ? null : sweepGrid(raw, file, scenario);
  const why = grid === null ? null : sweepNotDrawn(grid.axes.length);
  // every point validated, as agentsim sweep validates them, before the drawn ones are picked
  const thinned = grid && why === null ? drawnSweep(buildSweepFrom(grid)) : null;
  const drawn = thinned?.sweep ?? null;
  const sweepNote = why ? `${why} (agentsim sweep writes every point to CSV).` : (thinned?.note ?? null);

  const jobs = scenario.strategies.length * scenario.contexts.length;
  const progress = stagedProgress(
    [jobs * trials, 0, drawn ? drawn.size * jobs * trials : 0],
    request.onProgress,
  );
  const evaluation = await evaluateScenario(pool, scenario, { trials, seedKey: seed, keepCosts: true, onProgress: progress(0) });
  // the chart the user did not ask for is left out, with why, where its closed forms cost too much to
  // scan; the page was refused, naming --crossover, --from and --to, which no one gave (an audit)
  const asked = request.crossover.key !== undefined || request.crossover.from !== undefined || request.crossover.to !== undefined;
  let crossover: CrossoverData | null = null;
  let crossoverNote: string | null = null;
  try {
    crossover = plan ? await crossoverData(pool, raw, scenario, file, plan, { trials, seedKey: seed, onProgress: progress(1) }) : null;
  } catch (err) {
    if (asked || !(err instanceof ScanTooLong)) throw err;
    crossoverNote =
      `The crossover chart along ${plan!.key} from ${formatNumber(plan!.from)} to ${formatNumber(plan!.to)} is left out: ${err.where}; ` +
      `agentsim report --crossover ${plan!.key} --from A --to B over a narrower range may draw one`;
  }
  const swept = drawn ? await sweepData(pool, drawn, { trials, onProgress: progress(2) }) : null;

  const distributions = evaluation.results.map((r, i) => ({
    strategy: r.strategy,
    context: r.context,
    points: ecdfPointsOf(evaluation.costs![i]!, ECDF_STEPS, ECDF_UP_TO),
  }));
  const analytic = analyzeScenario(scenario);
  return {
    file,
    scenario,
    trials,
    seed,
    evaluation,
    decision: decide(evaluation.results, evaluation.comparisons),
    analytic,
    analyticDecision: decideAnalytic(analytic),
    distributions,
    crossover,
    crossoverNote,
    sweep: swept,
    sweepNote,
  };
}
