/**
 * stdlib's samplers of Beta fix rates and of random bug counts (Poisson, negative binomial).
 * They are large and only some scenarios draw from them, so they are loaded only then:
 * `loadSamplersFor(params)` before simulating, which a worker and the main thread both do.
 */
import type * as Beta from "@stdlib/random-base-beta";
import type * as NegativeBinomial from "@stdlib/random-base-negative-binomial";
import type * as Poisson from "@stdlib/random-base-poisson";
import { CountKind, type SimParams } from "./params.js";

export interface Samplers {
  beta: typeof Beta.default;
  negativeBinomial: typeof NegativeBinomial.default;
  poisson: typeof Poisson.default;
}

let loaded: Samplers | null = null;

/** Whether a simulation of these parameters draws Beta rates or bug counts. */
export function needsSamplers(p: SimParams): boolean {
  return p.rates.some((r) => r.beta) || p.countKind !== CountKind.Fixed;
}

/** Load the samplers, once. */
export async function loadSamplers(): Promise<void> {
  if (loaded) return;
  const [beta, negativeBinomial, poisson] = await Promise.all([
    import("@stdlib/random-base-beta"),
    import("@stdlib/random-base-negative-binomial"),
    import("@stdlib/random-base-poisson"),
  ]);
  loaded = { beta: beta.default, negativeBinomial: negativeBinomial.default, poisson: poisson.default };
}

/** Load the samplers when any of these simulations needs them. */
export async function loadSamplersFor(ps: readonly SimParams[]): Promise<void> {
  if (ps.some(needsSamplers)) await loadSamplers();
}

/** The loaded samplers (the kernel's access; loading is the caller's, see the top). */
export function samplers(): Samplers {
  if (!loaded) throw new Error("the Beta and count samplers are not loaded (await loadSamplersFor(params) before simulating)");
  return loaded;
}
