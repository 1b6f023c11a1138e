/**
 * Roots of a cost difference: a grid over a range, each sign change refined by bisection to 1e-9
 * relative (a jump told from a root), and the real roots of a quadratic. Pure numerics on a
 * function of one number; crossover.ts builds that function from scenarios.
 */

const RELATIVE_TOLERANCE = 1e-9;

/** The scan's points: `steps` equal intervals over [from, to], ending exactly at `to`. */
export function grid(from: number, to: number, steps: number): number[] {
  // (where (to - from) x steps overflows, from -1e308 to 0, the same point in a form that cannot)
  const width = to - from;
  const at = Number.isFinite(width * steps) ? (i: number) => from + (width * i) / steps : (i: number) => from * (1 - i / steps) + to * (i / steps);
  return Array.from({ length: steps + 1 }, (_, i) => (i === steps ? to : at(i)));
}

/** Real roots of a x^2 + b x + c in increasing order (numerically stable form). */
export function quadraticRoots(a: number, b: number, c: number): number[] {
  if (a === 0) return b === 0 ? [] : [-c / b];
  const disc = b * b - 4 * a * c;
  if (disc < 0) return [];
  const q = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(disc));
  const roots = [q / a, q === 0 ? 0 : c / q];
  return roots[0] === roots[1] ? [roots[0]!] : roots.sort((x, y) => x - y);
}

/**
 * Every sign change of f on a grid of `steps` intervals over [from, to], each refined by
 * bisection until the bracket is within 1e-9 of its value (relative). Where f is exactly 0 at
 * grid points between two of opposite signs, the first of those points is the root. Touching
 * zero without a sign change is not reported, nor is a change across a point where f is NaN (no
 * scenario, or no closed form there). A zero at an end of the range is a root only if f beyond
 * that end, one grid step away, has the other sign (a value the key may not take has none).
 */
export function scanCrossovers(f: (x: number) => number, from: number, to: number, steps: number): { value: number; slope: number; step?: true }[] {
  const roots: { value: number; slope: number; step?: true }[] = [];
  const xs = grid(from, to, steps);
  const ys = xs.map(f);
  const h = (to - from) / steps;
  // the last nonzero value (index, value) with no NaN since, and where the zeros after it start
  let last: { i: number; y: number } | null = null;
  let zeros = -1;
  const beforeStart = ys[0] === 0 ? f(from - h) : NaN;
  if (Number.isFinite(beforeStart) && beforeStart !== 0) [last, zeros] = [{ i: -1, y: beforeStart }, 0];
  const cross = (j: number, y: number) => {
    if (!last || Math.sign(y) === Math.sign(last.y)) return;
    if (zeros >= 0) roots.push({ value: xs[zeros]!, slope: y - last.y });
    else roots.push({ ...bisect(f, xs[last.i]!, xs[j]!, last.y, y), slope: y - last.y });
  };
  for (let j = 0; j <= steps; j++) {
    const y = ys[j]!;
    if (Number.isNaN(y)) {
      [last, zeros] = [null, -1];
    } else if (y === 0) {
      if (last && zeros < 0) zeros = j;
    } else {
      cross(j, y);
      [last, zeros] = [{ i: j, y }, -1];
    }
  }
  // zeros up to the end: a root if f one step beyond the end has the other sign
  if (last && zeros >= 0) {
    const beyond = f(to + h);
    if (Number.isFinite(beyond) && beyond !== 0) cross(steps + 1, beyond);
  }
  return roots;
}

/**
 * How a jump is told from a root: a continuous f is a line near its root, so |f(lo)| + |f(hi)|
 * shrinks with the bracket: by 2^10 over its last 10 halvings. Where it shrinks by less than
 * 2^10 / JUMP_RATIO (about 10 times), f jumps there. Judged on the bracket's own history, so
 * neither the grid (--steps) nor the range's width decides it: a bracket at the tolerance after
 * fewer than 10 halvings (a narrow range) is halved on until it has 10 to judge by.
 */
const JUMP_LOOKBACK = 10;
const JUMP_RATIO = 100;

/**
 * The sign change of f in [lo, hi] narrowed by halving. Where f has no value at a midpoint (no
 * scenario, or no closed form there), the bracket cannot be halved: its upper end is returned, the
 * first value known to be past the change, as a step. So is a jump, where f changes sign without
 * passing 0 (a preset's 1-hour write price from a TTL above 300 s: the costs never meet there).
 */
function bisect(f: (x: number) => number, lo: number, hi: number, fLo: number, fHi: number): { value: number; step?: true } {
  // the bracket's width and |f(lo)| + |f(hi)| after each halving
  const history: { width: number; sum: number }[] = [];
  const note = () => history.push({ width: hi - lo, sum: Math.abs(fLo) + Math.abs(fHi) });
  const jumped = (): boolean => {
    const now = history.at(-1)!;
    const then = history[Math.max(0, history.length - 1 - JUMP_LOOKBACK)]!;
    return now.sum > JUMP_RATIO * then.sum * (now.width / then.width);
  };
  const done = (value: number) => (jumped() ? { value: hi, step: true as const } : { value });
  note();
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const narrow = Math.abs(hi - lo) <= RELATIVE_TOLERANCE * Math.max(Math.abs(mid), 1e-300);
    if ((narrow && history.length > JUMP_LOOKBACK) || mid === lo || mid === hi) return done(mid);
    const fMid = f(mid);
    if (fMid === 0) return { value: mid };
    if (Number.isNaN(fMid)) return { value: hi, step: true };
    if (Math.sign(fMid) === Math.sign(fLo)) [lo, fLo] = [mid, fMid];
    else [hi, fHi] = [mid, fMid];
    note();
  }
  return done((lo + hi) / 2);
}
