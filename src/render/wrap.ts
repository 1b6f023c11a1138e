/** Word wrapping for text a person reads: the terminal's (cli/render/layout.ts) and the report's sentences. */
import { displayWidth } from "../text.js";

/** A space that `wrap` never breaks a line at, printed as a plain space: between a number and its unit ("0.02 s"). */
export const GLUE = "\u00a0";

/** What `unbroken` writes for a no-break space of the text itself, which `wrap` gives back. */
const OWN_GLUE = "\ue000";

/** Text that `wrap` keeps whole, its spaces (no-break ones too) as they are (a file name). */
export const unbroken = (text: string): string => text.replaceAll(GLUE, OWN_GLUE).replaceAll(" ", GLUE);

/**
 * `text` broken at spaces into lines of at most `width` columns (a longer word gets a line of
 * its own): the first line starts with `first`, the others with `rest` (a hanging indent).
 * Words joined by GLUE stay on one line.
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/ +/).filter(Boolean)) {
    if (!empty && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines.map((l) => l.replaceAll(GLUE, " ").replaceAll(OWN_GLUE, GLUE));
}
