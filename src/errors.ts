/**
 * A mistake in the user's input: the CLI prints its one-line message and exits with code 2,
 * never a stack trace.
 */
export class UserError extends Error {
  override name = "UserError";
}

/** A problem with one key of one scenario file: `file: key.path: what is wrong`. */
export class ScenarioError extends UserError {
  override name = "ScenarioError";
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly problem: string,
  ) {
    super(keyPath ? `${file}: ${keyPath}: ${problem}` : `${file}: ${problem}`);
  }
}
