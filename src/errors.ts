/**
 * A mistake in the user's input: the CLI prints its one-line message and exits with code 2,
 * never a stack trace. Control characters (a newline in a key, a file name or a value) are
 * escaped, so the message stays one line whatever the input held.
 */
export class UserError extends Error {
  override name = "UserError";
  constructor(message: string) {
    super(oneLine(message));
  }
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

/** A mistake in one command-line flag: the CLI adds a pointer to the command's --help. */
export class FlagError extends UserError {
  override name = "FlagError";
}

/**
 * Characters that do not print as themselves: controls (a newline, ESC, which starts a terminal's
 * escape sequences, DEL, the C1 controls), formatting characters (a right-to-left override, a
 * zero-width space) and the line and paragraph separators.
 */
export const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** UNPRINTABLE, and a lone surrogate (half of a pair, which UTF-8 output turns into U+FFFD). */
export const NOT_PRINTED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Text with its NOT_PRINTED characters written as escapes (`\n`, `\u001b`, `\u202e`, `\ud800`). */
export function oneLine(text: string): string {
  return text.replace(NOT_PRINTED, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    if (json !== c) return json;
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** What a file operation's error code means, in words (the code itself where none is known). */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "a part of the path is a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "a loop of symbolic links",
  ENOSPC: "no space or no free inode left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EFBIG: "the file is larger than this process may write (ulimit -f)",
  EMFILE: "too many open files (ulimit -n)",
  ENFILE: "too many open files on the system",
};

/**
 * A limit of the machine or the process that stopped a command, in one line, or null for any other
 * error (a bug, thrown with its stack): too few file descriptors to load a command's modules, too
 * few threads to start the workers, too little memory for the per-run values (ulimit -v), or code
 * generation turned off under the report's chart compiler (the environment audit found each a
 * stack trace).
 */
export function environmentProblem(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : "";
  if (code === "EMFILE" || code === "ENFILE") return `${FILE_ERRORS[code]}: agentsim needs about 64 file descriptors`;
  if (code === "EAGAIN" || code === "ERR_WORKER_INIT_FAILED") {
    return `the system refused a thread (${message || code}; ulimit -u may set the limit): try --threads 1`;
  }
  if (code === "ENOMEM" || (err instanceof RangeError && /allocation failed/i.test(message))) {
    return `not enough memory for this job (${code ?? message}; ulimit -v may set the limit): use fewer --trials`;
  }
  if (err instanceof EvalError && /code generation from strings/i.test(message)) {
    return "the report's charts are compiled by vega, which needs code generation from strings: run without --disallow-code-generation-from-strings";
  }
  return null;
}

/** Why a file operation failed, for a one-line message; `words` overrides a code's words where a caller says it better. */
export function fileErrorText(err: unknown, words: Record<string, string> = {}): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (code && (words[code] ?? FILE_ERRORS[code])) ?? code ?? String(err);
}
