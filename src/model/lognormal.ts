/**
 * Lognormal parameters from mean m and coefficient of variation cv:
 * sigma^2 = ln(1 + cv^2), mu = ln(m) - sigma^2 / 2.
 * (A module of its own, free of dependencies, so that worker threads load only this.)
 */
export function lognormalParameters(mean: number, cv: number): { mu: number; sigma: number } {
  const variance = Math.log1p(cv * cv);
  return { mu: Math.log(mean) - variance / 2, sigma: Math.sqrt(variance) };
}
