/**
 * The report's charts as vega-lite specifications: pure functions from the report's data to a
 * spec, which svg.ts renders. Every chart colours a strategy by the same scale (palette.ts) and
 * labels its cost axis in $ per run.
 */
import type { TopLevelSpec } from "vega-lite";
import type { EcdfPoint } from "../stats/ecdf.js";
import type { ColourScale } from "./palette.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const WIDTH = 620;
const HEIGHT = 280;
/**
 * The d3 format of a dollar axis over these values (and 0, for an axis that starts there): "$0.123", with more decimals where the
 * values span less (about ten ticks), so that neighbouring ticks never read alike ($0.00012
 * where every tick would read "$0" to three decimals), and exponents ($1.2e-300) where even
 * MAX_DECIMALS would not tell them apart.
 */
export function dollarFormat(values: readonly number[], fromZero = true): string {
  // a loop, not Math.max(...values): a sweep's chart may hold hundreds of thousands of values
  let low = fromZero ? 0 : Infinity;
  let high = fromZero ? 0 : -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const span = high > low ? high - low : 0;
  const needed = span > 0 ? Math.max(3, Math.ceil(-Math.log10(span / 10))) : 3;
  if (needed <= MAX_DECIMALS) return `$,.${needed}~f`;
  // Past 12 decimals: tiny costs (of a 1e-300 price, say), whose every tick would read "$0", in
  // exponents; costs that differ by rounding alone stay as they read best, to 12 decimals.
  return Math.max(Math.abs(low), Math.abs(high)) < 10 ** -MAX_DECIMALS ? "$.3~e" : `$,.${MAX_DECIMALS}~f`;
}

/** Decimals a dollar axis writes at most before it turns to exponent notation. */
const MAX_DECIMALS = 12;

/** The longest strategy label (in characters) a legend of two columns holds: vega gives 400 px to each, at 11 px a character of about 8.8 px. */
const TWO_COLUMNS_UP_TO = 45;

/**
 * The colour channel of a strategy: the same scale in every chart; the legend lists `shown`
 * (default: every strategy).
 */
function strategyColour(colours: ColourScale, shown?: string[]) {
  // Labels are never cut (vega cut them at about 45 characters, its guess of 400 px, so that
  // long names alike but for their ends showed as one): long ones take a column each.
  const long = colours.domain.some((label) => [...label].length > TWO_COLUMNS_UP_TO);
  return {
    field: "strategy",
    type: "nominal" as const,
    title: "strategy (generator → fixer)",
    scale: { domain: colours.domain, range: colours.range },
    legend: {
      orient: "bottom" as const,
      columns: long ? 1 : 2,
      labelLimit: 0,
      titleLimit: 400,
      ...(shown ? { values: colours.domain.filter((name) => shown.includes(name)) } : {}),
    },
  };
}

/** One strategy's simulated cost distribution in one context. */
export interface DistributionSeries {
  /** the strategy's label in the colour scale */
  strategy: string;
  points: EcdfPoint[];
  p50: number;
  p90: number;
  p99: number;
  /** the closed-form mean, null where there is none */
  analyticMean: number | null;
}

/**
 * Empirical CDFs of the cost per run, one curve per strategy, p50/p90/p99 and the closed-form
 * means marked; on a logarithmic cost axis with `log` (a heavy tail), which leaves out costs of $0.
 */
export function distributionChart(title: string, series: DistributionSeries[], colours: ColourScale, log = false): TopLevelSpec {
  const drawable = (cost: number) => !log || cost > 0;
  const curves = series.flatMap((s) => s.points.filter((p) => drawable(p.value)).map((p) => ({ strategy: s.strategy, cost: p.value, share: p.share })));
  const quantiles = series.flatMap((s) =>
    ([["p50", s.p50, 0.5], ["p90", s.p90, 0.9], ["p99", s.p99, 0.99]] as const).map(([quantile, cost, share]) => ({
      strategy: s.strategy,
      quantile,
      cost,
      share,
    })),
  ).filter((q) => drawable(q.cost));
  const means = series.flatMap((s) => (s.analyticMean === null || !drawable(s.analyticMean) ? [] : [{ strategy: s.strategy, cost: s.analyticMean, what: "closed-form mean" }]));
  const costs = curves.map((c) => c.cost);
  const scale = log ? { type: "log" as const } : costScale(costs);
  const x = { field: "cost", type: "quantitative" as const, title: log ? "cost ($ per run, logarithmic)" : "cost ($ per run)", scale, axis: { format: dollarFormat(costs) } };
  const color = strategyColour(colours);
  return {
    $schema: SCHEMA,
    description: `${title}: share of runs costing at most a given amount, per strategy`,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: curves },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.6 },
        encoding: {
          x,
          y: { field: "share", type: "quantitative", title: "share of runs costing at most x", axis: { format: "%" }, scale: { domain: [0, 1] } },
          color,
        },
      },
      {
        data: { values: means },
        mark: { type: "rule", strokeWidth: 1.2 },
        encoding: {
          x: { field: "cost", type: "quantitative" },
          color,
          strokeDash: { field: "what", type: "nominal", title: null, scale: { domain: ["closed-form mean"], range: [[5, 3]] }, legend: { orient: "bottom" } },
        },
      },
      {
        data: { values: quantiles },
        mark: { type: "point", filled: true, size: 55, opacity: 1 },
        encoding: {
          x: { field: "cost", type: "quantitative" },
          y: { field: "share", type: "quantitative" },
          color,
          shape: {
            field: "quantile",
            type: "nominal",
            title: "marked",
            scale: { domain: ["p50", "p90", "p99"], range: ["circle", "square", "triangle-up"] },
            legend: { orient: "bottom" },
          },
        },
      },
    ],
  };
}

/** One bar segment: a strategy's (or a strategy's model's) mean cost in one category. */
export interface BreakdownRow {
  /** the bar's label: the strategy, or "strategy · model" */
  bar: string;
  context: string;
  category: string;
  /** $ per run */
  value: number;
}

/** A cost axis from 0; over [0, 1 cent] where every value is 0 (free models), which would leave it no length. */
function costScale(values: readonly number[]): { zero: true; domain?: [number, number] } {
  return values.some((v) => v !== 0) ? { zero: true } : { zero: true, domain: [0, 0.01] };
}

/** Each bar's length: the sum of its segments, per context. */
function barTotals(rows: readonly BreakdownRow[]): number[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(`${r.context}\u0000${r.bar}`, (totals.get(`${r.context}\u0000${r.bar}`) ?? 0) + r.value);
  return [...totals.values()];
}

/** Horizontal stacked bars of the mean cost per run by category, one panel per context. */
export function breakdownChart(rows: BreakdownRow[], bars: string[], contexts: string[], categories: ColourScale): TopLevelSpec {
  const order = Object.fromEntries(categories.domain.map((c, i) => [c, i]));
  const place = new Map(bars.map((bar, i) => [bar, i]));
  return {
    $schema: SCHEMA,
    description: "Mean cost per run by category, per strategy and context",
    data: { values: rows.map((r) => ({ ...r, order: order[r.category], place: place.get(r.bar) })) },
    facet: { row: { field: "context", type: "nominal", title: null, sort: contexts, header: { labelAngle: 0, labelAlign: "left", labelFontWeight: "bold" } } },
    spec: {
      width: WIDTH - 120,
      height: { step: 20 },
      mark: { type: "bar", stroke: "white", strokeWidth: 0.5 },
      encoding: {
        // the longest label, a model's and a strategy's names (24 + 49 characters), whole
        // sorted by a field, not by the list: Vega-Lite makes a list into one nested expression,
        // whose parse overflowed the stack at about 1,000 bars (an audit)
        y: { field: "bar", type: "nominal", title: null, sort: { field: "place", op: "min" }, axis: { labelLimit: 0 } },
        x: { field: "value", type: "quantitative", aggregate: "sum", stack: "zero", title: "mean cost ($ per run)", axis: { format: dollarFormat(barTotals(rows)) } },
        color: {
          field: "category",
          type: "nominal",
          title: "cost",
          scale: { domain: categories.domain, range: categories.range },
          legend: { orient: "bottom", columns: 2, labelLimit: 400, titleLimit: 400 },
        },
        order: { field: "order", type: "quantitative" },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

/** A point of a line with an optional 95% interval: a closed form (no interval) or a simulated mean. */
export interface LinePoint {
  x: number;
  strategy: string;
  mean: number;
  ciLow?: number;
  ciHigh?: number;
}

export interface CrossoverMark {
  x: number;
  label: string;
}

/** Expected cost along a key: closed-form lines, simulated means with intervals, crossovers marked. */
export function crossoverChart(
  title: string,
  key: string,
  range: [number, number],
  line: LinePoint[],
  simulated: LinePoint[],
  crossovers: CrossoverMark[],
  colours: ColourScale,
  whole = false,
): TopLevelSpec {
  // a key of whole numbers (a bug count, a cap) gets whole ticks: "1.0, 2.0, ..." read as fractions
  const axis = whole ? { axis: { tickMinStep: 1, format: "d" } } : {};
  const x = { field: "x", type: "quantitative" as const, title: key, scale: { domain: range, nice: false }, ...axis };
  const costs = [...line, ...simulated].flatMap((p) => [p.mean, p.ciLow ?? p.mean, p.ciHigh ?? p.mean]);
  const y = { field: "mean", type: "quantitative" as const, title: "expected cost ($ per run)", axis: { format: dollarFormat(costs) }, scale: costScale(costs) };
  const color = strategyColour(colours, [...new Set([...line, ...simulated].map((p) => p.strategy))]);
  return {
    $schema: SCHEMA,
    description: `${title}: expected cost of two strategies along ${key}`,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values: line }, mark: { type: "line", strokeWidth: 1.6 }, encoding: { x, y, color } },
      {
        data: { values: simulated },
        mark: { type: "errorbar", ticks: true },
        encoding: { x, y: { field: "ciLow", type: "quantitative", title: "expected cost ($ per run)" }, y2: { field: "ciHigh" }, color },
      },
      { data: { values: simulated }, mark: { type: "point", filled: false, size: 45, strokeWidth: 1.5 }, encoding: { x, y, color } },
      { data: { values: crossovers }, mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { x: { field: "x", type: "quantitative" } } },
      {
        data: { values: crossovers },
        mark: { type: "text", align: "left", dx: 4, dy: 4, baseline: "top", fontSize: 11, color: "#333" },
        encoding: { x: { field: "x", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
      },
    ],
  };
}

/** One point of a sweep: a strategy's simulated mean with its interval at the swept values. */
export interface SweepPoint {
  x: number;
  /** the second swept key's value, as a label, or "" with one key */
  row: string;
  context: string;
  strategy: string;
  mean: number;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Each strategy's mean cost along the first swept key, one panel per context (and per value of a second key). */
export function sweepChart(
  key: string,
  log: boolean,
  rowKey: string | null,
  points: SweepPoint[],
  order: { contexts: string[]; rows: string[] },
  colours: ColourScale,
): TopLevelSpec {
  // one value along the key leaves the axis no length: give it one around the value, ticks as written
  const xs = [...new Set(points.map((p) => p.x))];
  const one = xs.length === 1 ? xs[0]! : null;
  const around: [number, number] | null = one === null ? null : log ? [one / 2, one * 2] : one === 0 ? [-1, 1] : [one - Math.abs(one) / 2, one + Math.abs(one) / 2];
  const scale = log ? { type: "log" as const, nice: false } : { zero: false };
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: key,
    scale: around ? { ...scale, domain: around } : scale,
    ...(one !== null ? { axis: { values: [one], format: "~g" } } : {}),
  };
  const y = { field: "mean", type: "quantitative" as const, title: "mean cost ($ per run)", axis: { format: dollarFormat(points.flatMap((p) => [p.mean, p.ciLow ?? p.mean, p.ciHigh ?? p.mean]), false) } };
  const color = strategyColour(colours);
  return {
    $schema: SCHEMA,
    description: `Mean cost per run of every strategy along ${key}`,
    data: { values: points },
    facet: {
      column: { field: "context", type: "nominal", title: null, sort: order.contexts, header: { labelFontWeight: "bold" } },
      ...(rowKey ? { row: { field: "row", type: "nominal" as const, title: rowKey, sort: order.rows } } : {}),
    },
    spec: {
      width: 300,
      height: 220,
      layer: [
        { mark: { type: "line", strokeWidth: 1.4 }, encoding: { x, y, color } },
        { mark: { type: "errorbar", ticks: true }, encoding: { x, y: { field: "ciLow", type: "quantitative", title: "mean cost ($ per run)" }, y2: { field: "ciHigh" }, color } },
        { mark: { type: "point", filled: true, size: 30 }, encoding: { x, y, color } },
      ],
    },
  };
}

/** The cheapest strategy at one point of a two-key sweep. */
export interface MapCell {
  a: string;
  b: string;
  context: string;
  strategy: string;
  /** "clear" or "within noise" */
  margin: string;
  /** the completion when below 100%, else "" */
  note: string;
}

/** The largest panel of the cheapest-strategy map, px: two contexts side by side fit the page. */
const MAP_WIDTH = 520;
const MAP_HEIGHT = 600;

/** Whether the map's cells are large enough for their completion labels: its grid fits the panel at 44 x 30 px a cell. */
export function mapCellsLabelled(columns: number, rows: number): boolean {
  return columns * 44 <= MAP_WIDTH && rows * 30 <= MAP_HEIGHT;
}

/** A map of the cheapest strategy over two swept keys, one panel per context. */
export function cheapestMap(
  keys: [string, string],
  orders: { contexts: string[]; a: string[]; b: string[] },
  cells: MapCell[],
  colours: ColourScale,
): TopLevelSpec {
  // Cells of 44 x 30 px up to a panel of MAP_WIDTH x MAP_HEIGHT; a larger grid fills that panel
  // (a grid of 80 x 40 was 4,516 px wide, shown at 22%), with every other label where they would
  // overlap, and no completion labels in cells too small to hold one.
  const [columns, rows] = [orders.a.length, orders.b.length];
  const width = columns * 44 <= MAP_WIDTH ? { step: 44 } : MAP_WIDTH;
  const height = rows * 30 <= MAP_HEIGHT ? { step: 30 } : MAP_HEIGHT;
  const labelled = mapCellsLabelled(columns, rows);
  // the axes sorted by a field (see breakdownChart): a grid may keep 1,000 values of one key
  const [aPlace, bPlace] = [new Map(orders.a.map((l, i) => [l, i])), new Map(orders.b.map((l, i) => [l, i]))];
  const x = { field: "a", type: "ordinal" as const, sort: { field: "aPlace", op: "min" as const } };
  const y = { field: "b", type: "ordinal" as const, sort: { field: "bPlace", op: "min" as const, order: "descending" as const } };
  return {
    $schema: SCHEMA,
    description: `The cheapest strategy by mean cost over ${keys[0]} and ${keys[1]}`,
    data: { values: cells.map((c) => ({ ...c, aPlace: aPlace.get(c.a), bPlace: bPlace.get(c.b) })) },
    facet: { column: { field: "context", type: "nominal", title: null, sort: orders.contexts, header: { labelFontWeight: "bold" } } },
    spec: {
      width,
      height,
      layer: [
        {
          mark: { type: "rect", stroke: "white", strokeWidth: typeof width === "number" ? 0 : 1 },
          encoding: {
            x: { ...x, title: keys[0], axis: { labelAngle: orders.a.some((l) => l.length > 5) ? -45 : 0, labelOverlap: "parity" } },
            y: { ...y, title: keys[1], axis: { labelOverlap: "parity" } },
            color: { ...strategyColour(colours, [...new Set(cells.map((c) => c.strategy))]), title: "cheapest by mean" },
            opacity: {
              field: "margin",
              type: "ordinal",
              sort: ["clear", "within noise"],
              title: "savings over the runner-up",
              scale: { domain: ["clear", "within noise"], range: [1, 0.35] },
              legend: { orient: "bottom", titleLimit: 400 },
            },
          },
        },
        ...(labelled
          ? [
              {
                mark: { type: "text" as const, fontSize: 10 },
                encoding: {
                  x,
                  y,
                  text: { field: "note" },
                  // white on a faded cell was hardly legible (contrast about 1.5:1)
                  color: { condition: { test: "datum.margin === 'within noise'", value: "#222" }, value: "white" },
                },
              },
            ]
          : []),
      ],
    },
  };
}
