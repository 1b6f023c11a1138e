"""A vectorised numpy Monte Carlo of a base-model scenario, for comparison with `agentsim run`.

Same work as `agentsim run --path fast`: for every strategy and context, `trials` runs whose bug
attempt counts are geometric draws, priced with the token accounting of docs/model.md section 4, then
mean, standard error and p50/p90/p99 of the cost. Each context draws its own counts. Used only to
measure (`npm run bench`, bench/processes.ts; see the README's Performance section); not part of
the tests.

    python3 bench/numpy_baseline.py bench/scenario.yaml 1000000
"""
import sys
import time

import numpy as np
import yaml


def simulate(rng, s, gen, fix, context, n):
    g, f = s["models"][gen], s["models"][fix]
    q = g["bugs"]["count"]
    hard = round(q * g["bugs"]["hardFraction"])
    counts = np.zeros((n, q), dtype=np.int64)
    if q - hard:
        counts[:, : q - hard] = rng.geometric(f["fix"]["easy"], size=(n, q - hard))
    if hard:
        counts[:, q - hard :] = rng.geometric(f["fix"]["hard"], size=(n, hard))
    t = s["tokens"]
    l1 = t["prompt"] + t["generation"]
    delta = t["fixOutput"] + t["errorTrace"]
    total = counts.sum(axis=1).astype(np.float64)
    if context == "shared":
        follow = np.maximum(total - 1, 0)
        new = np.where(total > 0, l1 + follow * delta, 0.0)
        cached = follow * l1 + delta * follow * np.maximum(total - 2, 0) / 2
    else:
        follow = total - q
        new = q * l1 + follow * delta
        cached = follow * l1 + delta * ((counts - 1) * (counts - 2) / 2).sum(axis=1)
    c = s.get("caching", {"readMultiplier": 1, "writeMultiplier": 1})
    cin, cout = f["price"]["input"] / 1e6, f["price"]["output"] / 1e6
    generation = g["price"]["input"] / 1e6 * t["prompt"] + g["price"]["output"] / 1e6 * t["generation"]
    cost = generation + c["writeMultiplier"] * cin * new + c["readMultiplier"] * cin * cached + cout * t["fixOutput"] * total
    return cost.mean(), cost.std(ddof=1) / np.sqrt(n), np.percentile(cost, [50, 90, 99])


def main():
    start = time.perf_counter()
    s = yaml.safe_load(open(sys.argv[1]))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else s["trials"]
    rng = np.random.default_rng(s["seed"])
    names = list(s["models"])
    strategies = s.get("strategies") or {f"{a}-{b}": {"generator": a, "fixer": b} for a in names for b in names}
    for name, st in strategies.items():
        for context in s.get("contexts", ["shared", "fresh"]):
            mean, se, (p50, p90, p99) = simulate(rng, s, st["generator"], st["fixer"], context, n)
            print(f"{name:14} {context:7} mean ${mean:.5f} se {se:.2e} p50 ${p50:.5f} p90 ${p90:.5f} p99 ${p99:.5f}")
    print(f"{n} trials per strategy and context, {time.perf_counter() - start:.2f} s")


main()
