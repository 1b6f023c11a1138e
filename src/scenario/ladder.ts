/**
 * Questions about a strategy's fix ladder (section 8) that the loader, the model, the simulator
 * and the CLI all ask, answered in one place.
 */
import { groupDigits } from "../text.js";
import type { FixRates, FixRung, ModelSpec, Rung, Scenario, Strategy } from "./types.js";

/** The one-rung ladder `[{fixer: model}]`: what `{generator, fixer}` means. */
export function singleFixerLadder(model: string): Rung[] {
  return [{ kind: "fix", model, attempts: null, fix: null }];
}

/** The fixer rungs of a ladder, in order. */
export function fixRungs(ladder: readonly Rung[]): FixRung[] {
  return ladder.filter((r): r is FixRung => r.kind === "fix");
}

/**
 * Whether a ladder goes beyond the base model's single unbounded fixer at its model's rates: more
 * than one rung, or one bounded or with fix rates of its own (the "fix ladders" extension).
 */
export function isLadder(ladder: readonly Rung[]): boolean {
  return ladder.length > 1 || ladder.some((r) => r.kind === "fix" && (r.attempts !== null || r.fix !== null));
}

/** True for a ladder of one fixer rung (bounded or not): the base model's shape. */
export function isOneRung(ladder: readonly Rung[]): boolean {
  return ladder.length === 1 && ladder[0]!.kind === "fix";
}

/** The model of a one-rung ladder, or null for a longer ladder. */
export function singleFixer(ladder: readonly Rung[]): string | null {
  return isOneRung(ladder) ? ladder[0]!.model : null;
}

/** The models that make requests in the fix phase (fixers and advisors), each once, in ladder order. */
export function fixPhaseModels(ladder: readonly Rung[]): string[] {
  return [...new Set(ladder.map((r) => r.model))];
}

/** Every model the strategy uses: the generator first, then the fix phase's. */
export function strategyModels(strategy: Strategy): string[] {
  return [...new Set([strategy.generator, ...fixPhaseModels(strategy.ladder)])];
}

/** True when the last rung is a bounded fixer rung (or a consult): some bugs may stay unfixed. */
export function hasBoundedEnd(ladder: readonly Rung[]): boolean {
  const last = ladder[ladder.length - 1]!;
  return last.kind !== "fix" || last.attempts !== null;
}

/** The fix rates a fixer rung applies: its own, or its model's. */
export function rungRates(models: Record<string, ModelSpec>, rung: FixRung): FixRates {
  return rung.fix ?? models[rung.model]!.fix;
}

/**
 * Rungs of a ladder shown one by one, in its short text and in the tables of rungs: a ladder
 * may have thousands (an audit's of 9,998 filled a 400 KB headline and took 20 s to print).
 */
export const RUNGS_SHOWN = 40;

/**
 * The ladder in short, for tables: "weak" (one unbounded rung), "weak x3 > strong",
 * "weak x2 > consult strong > weak*" (* marks a rung with its own fix rates). A ladder of more
 * than RUNGS_SHOWN rungs shows two at each end around the count of the others
 * ("weak x1 > consult strong > ... 9,994 rungs ... > weak x1 > consult strong").
 */
export function ladderText(ladder: readonly Rung[]): string {
  const label = (r: Rung) =>
    r.kind === "consult" ? `consult ${r.model}` : `${r.model}${r.fix ? "*" : ""}${r.attempts === null ? "" : ` x${r.attempts}`}`;
  if (ladder.length <= RUNGS_SHOWN) return ladder.map(label).join(" > ");
  return [...ladder.slice(0, 2).map(label), `... ${groupDigits(ladder.length - 4)} rungs ...`, ...ladder.slice(-2).map(label)].join(" > ");
}

/** The dotted key of a rung, as error messages and sweeps name it: `strategies.escalate.ladder[1]`. */
export function rungKey(strategy: string, index: number): string {
  return `strategies.${strategy}.ladder[${index}]`;
}

/**
 * The dotted key of the fix rates a fixer rung applies, as error messages name it: the rung's own
 * (`strategies.escalate.ladder[1].fix`) or its model's (`models.weak.fix`).
 */
export function rateKey(strategy: string, index: number, rung: FixRung): string {
  return rung.fix ? `${rungKey(strategy, index)}.fix` : `models.${rung.model}.fix`;
}

/** Models of the scenario that fix in some strategy (their regressions and growth bounds matter). */
export function fixingModels(scenario: Pick<Scenario, "strategies">): Set<string> {
  return new Set(scenario.strategies.flatMap((s) => fixRungs(s.ladder).map((r) => r.model)));
}
