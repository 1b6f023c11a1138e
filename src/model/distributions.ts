/** Moments and CDFs of the extension distributions (tokens per attempt, tool seconds). */
import erfc from "@stdlib/math-base-special-erfc";
import type { Distribution } from "../scenario/types.js";
import { lognormalParameters } from "./lognormal.js";

/** Expected value. Lognormal is given by its mean, so it is that mean. */
export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "lognormal":
      return d.mean;
    case "empirical":
      return d.values.reduce((a, b) => a + b, 0) / d.values.length;
  }
}

/** The largest draw: Infinity for a lognormal with any spread, which has none. */
export function distributionMax(d: Distribution): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return d.max;
    case "lognormal":
      return d.cv === 0 ? d.mean : Infinity;
    case "empirical":
      return d.values.reduce((a, b) => Math.max(a, b), -Infinity);
  }
}

/** True when every draw is the same number. */
export function isConstant(d: Distribution): boolean {
  switch (d.kind) {
    case "constant":
      return true;
    case "uniform":
      return d.min === d.max;
    case "lognormal":
      return d.cv === 0;
    case "empirical":
      return d.values.every((v) => v === d.values[0]);
  }
}

/** P(X <= x). Lognormal: Phi(z) = erfc(-z / sqrt 2) / 2 with z = (ln x - mu) / sigma = (ln(x / m) + sigma^2 / 2) / sigma. */
export function distributionCdf(d: Distribution, x: number): number {
  switch (d.kind) {
    case "constant":
      return x >= d.value ? 1 : 0;
    case "uniform":
      if (x >= d.max) return 1;
      if (x < d.min) return 0;
      return (x - d.min) / (d.max - d.min);
    case "lognormal": {
      if (d.cv === 0) return x >= d.mean ? 1 : 0;
      if (x <= 0) return 0;
      // ln x - mu = ln(x / m) + sigma^2 / 2, with ln(x / m) as log1p((x - m) / m): x - m is exact
      // where x is near m, and a small sigma divides what is left (an audit: cv 1e-12 with ln x - mu
      // formed as a difference of logarithms put a cache hit rate off by 9e-5)
      const { sigma } = lognormalParameters(d.mean, d.cv); // above 0: a cv whose square is 0 is read as 0 (normalize.ts)
      const z = (Math.log1p((x - d.mean) / d.mean) + (sigma * sigma) / 2) / sigma;
      return 0.5 * erfc(-z / Math.SQRT2);
    }
    case "empirical":
      return d.values.filter((v) => v <= x).length / d.values.length;
  }
}
