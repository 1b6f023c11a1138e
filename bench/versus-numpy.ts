/**
 * `node dist/bench/versus-numpy.js [scenario] [trials] [rounds]`: `agentsim run --threads 1`
 * against the vectorised numpy Monte Carlo of the same scenario and trial count
 * (bench/numpy_baseline.py), whole processes, wall clock, timed alternately so that a slow spell
 * of the machine falls on both. Needs Debian's python3-numpy and python3-yaml.
 */
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const [scenario = "scenarios/default.yaml", trials = "1000000", rounds = "10"] = process.argv.slice(2);

function seconds(command: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status ?? r.error})`);
  return (performance.now() - start) / 1000;
}

const numpy: number[] = [];
const ours: number[] = [];
for (let i = 0; i < Number(rounds); i++) {
  numpy.push(seconds("/usr/bin/python3", ["bench/numpy_baseline.py", scenario, trials]));
  ours.push(seconds(process.execPath, ["dist/agentsim.mjs", "run", scenario, "--threads", "1", "--trials", trials]));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const min = (xs: number[]) => Math.min(...xs);
console.log(`${scenario}, ${trials} trials per strategy and context, ${rounds} alternating rounds`);
console.log(`                        median     min`);
console.log(`numpy                  ${median(numpy).toFixed(2)} s  ${min(numpy).toFixed(2)} s`);
console.log(`agentsim --threads 1   ${median(ours).toFixed(2)} s  ${min(ours).toFixed(2)} s`);
console.log(`agentsim is ${(median(numpy) / median(ours)).toFixed(2)}x as fast as numpy (medians)`);
