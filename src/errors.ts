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
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
};

/** Why a file operation failed, for a one-line message; `words` overrides a code's words where a caller says it better. */
export function fileErrorText(err: unknown, words: Record<string, string> = {}): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (code && (words[code] ?? FILE_ERRORS[code])) ?? code ?? String(err);
}
