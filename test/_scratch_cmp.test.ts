import { it } from "vitest";
import { referenceAll } from "./reference/closedForm.js";
import { randomScenario } from "./reference/randomScenario.js";
import { parseScenario } from "../src/scenario/load.js";
import { analyzeStrategy } from "../src/model/strategy.js";
it("cmp", () => {
  const bad: Record<string, number> = {}; let n = 0, nulls = 0;
  for (const ext of [false, true]) for (let seed = 1; seed <= 300; seed++) {
    const raw = randomScenario(seed, { extensions: ext });
    const sc = parseScenario(raw, "r.yaml");
    for (const r of referenceAll(raw)) {
      const st = sc.strategies.find((x) => x.name === r.strategy)!;
      const a = analyzeStrategy(sc, st, r.context);
      n++;
      const tag = (k: string, msg: string) => { bad[k] = (bad[k] ?? 0) + 1; if (bad[k]! <= 3) console.log(k, seed, ext, r.strategy, r.context, msg, JSON.stringify(raw)); };
      if ((a.analyticMean === null) !== (r.mean === null)) { tag("nullness", `${a.analyticMean} ${r.mean} ${a.reason}`); continue; }
      if (r.mean === null) { nulls++; continue; }
      const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);
      if (rel(a.analyticMean!, r.mean) > 1e-9) tag("mean", `${a.analyticMean} ${r.mean}`);
      if (rel(a.expectedAttempts!, r.I) > 1e-9 && r.I > 0) tag("I", `${a.expectedAttempts} ${r.I}`);
      if (Math.abs(a.attemptVariance! - r.V) > 1e-9 * Math.max(r.V, r.I * r.I, 1)) tag("V", `${a.attemptVariance} ${r.V}`);
      if (Math.abs(a.expectedBugs! - r.bugs) > 1e-9 * Math.max(1, r.bugs)) tag("bugs", `${a.expectedBugs} ${r.bugs}`);
      if (Math.abs(a.cacheHitRate! - r.h) > 1e-12) tag("h", `${a.cacheHitRate} ${r.h}`);
      if ((a.expectedWallSeconds === null) !== (r.wall === null) || (r.wall !== null && rel(a.expectedWallSeconds!, r.wall) > 1e-9 && r.wall > 0)) tag("wall", `${a.expectedWallSeconds} ${r.wall}`);
      for (const k of ["generation", "fixInputNew", "fixInputCached", "fixOutput"] as const)
        if (Math.abs(a.breakdown![k] - r.breakdown![k]) > 1e-9 * r.mean) tag("bd-" + k, `${a.breakdown![k]} ${r.breakdown![k]}`);
    }
  }
  console.log(n, nulls, bad);
});
