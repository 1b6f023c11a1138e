/**
 * `node dist/bench/false-alarms.js [scenario] [runs] [checks] [context]`: how often the z-check
 * of docs/model.md, section 6, fails when the closed form is right.
 *
 * For each strategy, `checks` independent samples of `runs` runs each (fast path, one thread)
 * are checked against the strategy's closed form, and the checks beyond +/-4 are counted, below
 * and above, for the plain z and for Hall's skewness-corrected z that the verdict reads. Under
 * a correct formula and a normal z the rate would be 6.3e-5. A statistical measurement, not a
 * timing: its numbers do not depend on the machine (the streams are seeded).
 */
import erfc from "@stdlib/math-base-special-erfc";
import { analyzeStrategy } from "../src/model/strategy.js";
import { openScenario } from "../src/scenario/load.js";
import type { Context } from "../src/scenario/types.js";
import { column } from "../src/sim/columns.js";
import { compileParams } from "../src/sim/compile.js";
import { simulateChunk } from "../src/sim/kernel.js";
import { hallZ, Z_THRESHOLD } from "../src/stats/check.js";
import { summarize } from "../src/stats/summary.js";

const [file = "scenarios/default.yaml", runsText = "2000", checksText = "200000", context = "shared"] = process.argv.slice(2);
const runs = Number(runsText);
const checks = Number(checksText);
const { scenario } = await openScenario(file);
const nominal = erfc(Z_THRESHOLD / Math.SQRT2);

console.log(`${file}, ${context} context: ${checks} checks of ${runs} runs per strategy; nominal rate ${nominal.toExponential(2)}`);
const totals = { plain: [0, 0], corrected: [0, 0] };
for (const strategy of scenario.strategies) {
  const params = compileParams(scenario, strategy, context as Context);
  const expected = analyzeStrategy(scenario, strategy, context as Context).analyticMean!;
  const plain = [0, 0];
  const corrected = [0, 0];
  let skewness = 0;
  for (let k = 0; k < checks; k++) {
    const cost = column(simulateChunk(params, `false-alarms|${strategy.name}|${k}`, runs, "fast").columns, runs, "cost");
    const s = summarize(cost);
    const z = (s.mean - expected) / s.stdError;
    const h = hallZ(z, runs, s.skewness);
    skewness += s.skewness / checks;
    if (z < -Z_THRESHOLD) plain[0]!++;
    if (z > Z_THRESHOLD) plain[1]!++;
    if (h < -Z_THRESHOLD) corrected[0]!++;
    if (h > Z_THRESHOLD) corrected[1]!++;
  }
  const rate = (c: number[]) => `${((c[0]! + c[1]!) / checks).toExponential(2)} (${c[0]} below, ${c[1]} above)`;
  console.log(`  ${strategy.name}: skewness ${skewness.toFixed(2)}; plain z ${rate(plain)}; corrected ${rate(corrected)}`);
  for (const i of [0, 1]) {
    totals.plain[i]! += plain[i]!;
    totals.corrected[i]! += corrected[i]!;
  }
}
const all = checks * scenario.strategies.length;
const rate = (c: number[]) => `${((c[0]! + c[1]!) / all).toExponential(2)} (${c[0]} below, ${c[1]} above)`;
console.log(`  all: plain z ${rate(totals.plain)}; corrected ${rate(totals.corrected)}; expected ${(nominal * all).toFixed(1)} events`);

