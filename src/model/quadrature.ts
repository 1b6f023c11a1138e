/**
 * Gauss-Legendre quadrature on [0, 1]: sum_i w_i g(u_i) = int_0^1 g(u) du exactly for every
 * polynomial g of degree up to 2n - 1, with positive weights (so a positive integrand is a sum of
 * positive terms, without cancellation).
 */

export interface Quadrature {
  nodes: Float64Array;
  weights: Float64Array;
}

/** The rules made so far, by node count (a closed form asks for the same few again and again). */
const rules = new Map<number, Quadrature>();

/** The n-node Gauss-Legendre rule on [0, 1] (n >= 1). */
export function gaussLegendre(n: number): Quadrature {
  let rule = rules.get(n);
  if (!rule) {
    rule = legendreRule(n);
    rules.set(n, rule);
  }
  return rule;
}

/**
 * The nodes are the roots x of the Legendre polynomial P_n on [-1, 1], found by Newton's method
 * from x = cos(pi (i + 3/4) / (n + 1/2)), with P_n and P_n' from the recurrence
 * (k + 1) P_(k+1) = (2k + 1) x P_k - k P_(k-1) and P_n'(x) = n (x P_n - P_(n-1)) / (x^2 - 1); the
 * weights are 2 / ((1 - x^2) P_n'(x)^2). Mapped to [0, 1]: u = (1 + x) / 2, weight / 2. The roots
 * are symmetric about 0: each pair is found once. O(n^2).
 */
function legendreRule(n: number): Quadrature {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p = 1; // P_k(x)
      let previous = 0; // P_(k-1)(x)
      for (let k = 0; k < n; k++) {
        const next = ((2 * k + 1) * x * p - k * previous) / (k + 1);
        previous = p;
        p = next;
      }
      derivative = (n * (x * p - previous)) / (x * x - 1);
      const step = p / derivative;
      x -= step;
      if (Math.abs(step) <= 1e-15) break; // quadratic convergence: x is now exact to rounding
    }
    const weight = 1 / ((1 - x * x) * derivative * derivative);
    // x is the (i+1)-th largest root: u = (1 + x) / 2 near 1, and its mirror near 0
    nodes[n - 1 - i] = (1 + x) / 2;
    nodes[i] = (1 - x) / 2;
    weights[n - 1 - i] = weight;
    weights[i] = weight;
  }
  return { nodes, weights };
}
