import { it, expect } from "vitest";
import { referenceAll, formulaMean, readRaw } from "./reference/closedForm.js";
import { randomScenario } from "./reference/randomScenario.js";
it("ref self-consistency", () => {
  let worst = 0; const t0 = Date.now(); let n = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const raw = randomScenario(seed, {});
    const s = readRaw(raw);
    for (const r of referenceAll(raw)) {
      const f = formulaMean(s, r, r.context);
      const rel = Math.abs(f - r.mean!) / Math.abs(r.mean!);
      // zero bugs: formula extrapolates; skip
      if (s.models[r.generator]!.q === 0) continue;
      worst = Math.max(worst, rel); n++;
      if (rel > 1e-10) console.log(seed, r.strategy, r.context, f, r.mean);
    }
  }
  console.log("worst", worst, n, Date.now() - t0, "ms");
  let t1 = Date.now();
  for (let seed = 1; seed <= 300; seed++) referenceAll(randomScenario(seed, { extensions: true }));
  console.log("ext ms", Date.now() - t1);
});
