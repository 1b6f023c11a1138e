/** Writing a fitted scenario: YAML for people, written whole or not at all. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Document, isScalar, isSeq, visit } from "yaml";
import { fileErrorText, UserError } from "../errors.js";

/**
 * YAML of a scenario object with a comment header; lists of numbers (empirical token sizes) stay
 * on one flowing line instead of one line per value.
 */
export function scenarioYaml(raw: Record<string, unknown>, header: string[]): string {
  const doc = new Document(raw);
  visit(doc, {
    Seq(_key, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  return doc.toString({ lineWidth: 100 });
}

/**
 * Write text to the file of --out through a temporary file renamed over it: never a half-written file. The
 * temporary name carries the process id: a fixed one (`<file>.partial`) could be an input.
 */
export function writeWhole(file: string, text: string): void {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true }); // checkOutput made sure it can be
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new UserError(`--out: cannot write ${file}: ${fileErrorText(err)}`);
  }
}
