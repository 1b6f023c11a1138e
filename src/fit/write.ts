/** A fitted scenario as YAML for people (the fit command writes it whole or not at all, with writeAtomically). */
import { Document, isScalar, isSeq, visit } from "yaml";

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
