/**
 * A strategy in words: who generates and who fixes. A strategy is a generator and a fixer, or
 * (docs/model.md, section 8) a generator and a ladder of fixer and consult rungs, which the results
 * carry as short text (`ladder`, e.g. "weak x3 > strong").
 */

/** The fields of a result (simulated or closed-form) that name its models. */
export interface StrategyModels {
  generator: string;
  /** the single fixer, or null for a ladder of more than one rung */
  fixer: string | null;
  /** the fix ladder in short, where the strategy has one with more than one rung */
  ladder?: string | null;
}

/** The ladder, when it is more than the plain fixer (a one-rung ladder reads as its fixer). */
function ladderOf(s: StrategyModels): string | null {
  return s.ladder && s.ladder !== s.fixer ? s.ladder : null;
}

/** The fix phase in short: the ladder where there is one, otherwise the fixer. */
function fixPhase(s: StrategyModels): string {
  return ladderOf(s) ?? s.fixer ?? "";
}

/** "strong -> weak": generator, then fixer (or ladder). */
export function pairLabel(s: StrategyModels): string {
  return `${s.generator} -> ${fixPhase(s)}`;
}

/** "strong generates, weak fixes"; "strong generates and fixes"; "weak generates; fixes climb weak x3 > strong". */
export function rolesText(s: StrategyModels): string {
  const ladder = ladderOf(s);
  if (ladder) return `${s.generator} generates; fixes climb ${ladder}`;
  if (s.generator === s.fixer) return `${s.generator} generates and fixes`;
  return `${s.generator} generates, ${s.fixer} fixes`;
}
