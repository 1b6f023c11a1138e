/** Checks of command-line numbers that yargs' types do not cover. */
import { UserError } from "../errors.js";
import { MAX_TRIALS } from "../scenario/schema.js";

/** A whole number in [min, max], or a one-line UserError naming the flag. */
export function checkWhole(flag: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UserError(`${flag} must be a whole number ${range}, got ${value}`);
  }
}

/** --trials: the same bounds as the scenario key. */
export function checkTrials(value: number, min = 1): void {
  checkWhole("--trials", value, min, MAX_TRIALS);
}

/** --threads at most: each thread is a worker with its own heap. */
export const MAX_THREADS = 256;
