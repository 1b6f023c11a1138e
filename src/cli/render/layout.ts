/**
 * Fitting text to the terminal: its width, word wrapping, and tables declared once as a list of
 * columns, grouped in sections (one per context), that drop their least needed columns when the
 * terminal is too narrow.
 */
import { displayWidth } from "../../text.js";
import { table } from "../../render/format.js";

export { terminalWidth } from "../io.js";
export { displayWidth };
export { GLUE, unbroken, wrap } from "../../render/wrap.js";
import { unbroken, wrap } from "../../render/wrap.js";

/** The widest line of a text, in terminal columns. */
export function textWidth(text: string): number {
  return Math.max(0, ...text.split("\n").map(displayWidth));
}

/**
 * `text` cut in its middle to at most `width` columns (an ellipsis in place of what is left out),
 * between whole characters as a reader sees them (an emoji, a flag, an accented letter stays
 * whole) and by the columns each takes (a Chinese character two); `text` itself where it fits.
 */
export function shortenMiddle(text: string, width: number): string {
  // Node 20's segment iterator copies the whole text into every segment: segmenting all of a long
  // text is quadratic (a 200,000-character model id took 50 s), and so is string-width's measure
  // of it. Only its ends are shown: a text far longer than the columns is cut at both ends first.
  const keep = 4 * Math.max(width, 0) + 64;
  if (text.length > 2 * keep) text = `${text.slice(0, keep)}${text.slice(-keep)}`;
  else if (displayWidth(text) <= width) return text;
  const characters = Array.from(new Intl.Segmenter().segment(text), (s) => s.segment);
  const room = width - 1; // the ellipsis takes one column
  const take = (from: readonly string[], columns: number): string[] => {
    const kept: string[] = [];
    let used = 0;
    for (const c of from) {
      used += displayWidth(c);
      if (used > columns) break;
      kept.push(c);
    }
    return kept;
  };
  const head = take(characters, Math.ceil(room / 2));
  const tail = take([...characters].reverse(), room - textWidth(head.join(""))).reverse();
  return `${head.join("")}…${tail.join("")}`;
}

/** One column of a table: its header (may be two lines), its cell, and when it may be left out. */
export interface Column<R> {
  head: string;
  cell: (row: R) => string;
  /** right-aligned */
  numeric?: boolean;
  /** shown only with --wide */
  wide?: boolean;
  /**
   * when the table is too wide, columns are dropped highest `drop` first, those of the same `drop`
   * together (the parts of one sum, which mislead when some are missing); absent: always kept
   */
  drop?: number;
}

export interface Section<R> {
  title: string;
  rows: R[];
}

export interface FitOptions {
  width: number;
  /** every column (also the `wide` ones), never dropping any */
  wide: boolean;
  /** plainTable: a table that cannot fit becomes a list (the default), or is printed as narrow as it goes (false) */
  list?: boolean;
}

/**
 * A table whose rows come in titled sections: a section's title on a line of its own, from the
 * first column on (a title wider than the first column does not widen it), its rows indented
 * under it. Without `wide`, columns are dropped (highest `drop` first) until the table fits
 * `width`; a table that cannot fit is printed as narrow as it goes.
 */
export function sectionTable<R>(columns: Column<R>[], sections: Section<R>[], options: FitOptions): string {
  const all = sections.flatMap((s) => s.rows);
  const text = fitted(
    columns,
    options,
    (shown) => sections.flatMap((s) => [shown.map(() => ""), ...s.rows.map((r) => shown.map((c, i) => (i === 0 ? "  " : "") + c.cell(r)))]),
    (first, over) => shortenedColumn(first, all, over),
  );
  // The title rows were laid out empty; each table line is one row, under the header's lines.
  const lines = text.split("\n");
  const rows = sections.reduce((n, s) => n + 1 + s.rows.length, 0);
  let at = lines.length - rows;
  for (const s of sections) {
    lines[at] = options.wide ? s.title : shortenMiddle(s.title, Math.max(options.width, MIN_SHORTENED));
    at += 1 + s.rows.length;
  }
  return lines.join("\n");
}

/**
 * A table of rows, fitted to the width as sectionTable's are; one that cannot fit even so (a long
 * first cell: a scenario key) is a list instead, each row's first cell on a line and its other
 * cells (those dropped from the table too), each after its column's head, wrapped under it:
 *
 *     models.strong.bugs.hardFraction
 *       estimate 0.3123; 95% interval 0.2845 .. 0.3428
 */
export function plainTable<R>(columns: Column<R>[], rows: R[], options: FitOptions): string {
  const text = fitted(columns, options, (kept) => rows.map((r) => kept.map((c) => c.cell(r))));
  if (options.wide || options.list === false || textWidth(text) <= options.width) return text;
  // each cell has a line's room: none is dropped for the width (a `wide` one still needs --wide)
  const [first, ...others] = columns.filter((c) => !c.wide);
  return rows
    .map((r) => {
      // each cell kept on one line with its head, unless it is wider than a line
      const item = (c: Column<R>) => `${c.head.replaceAll("\n", " ")} ${c.cell(r)}`;
      const cells = others.map((c) => (displayWidth(item(c)) <= options.width - 2 ? unbroken(item(c)) : item(c))).join("; ");
      return [first!.cell(r), ...wrap(cells, options.width, "  ")].join("\n");
    })
    .join("\n");
}

/**
 * The table of the columns shown (`cells` gives its rows), dropping columns (highest `drop` first,
 * those of one `drop` together) until it fits.
 */
function fitted<R>(
  columns: Column<R>[],
  options: FitOptions,
  cells: (shown: Column<R>[]) => string[][],
  shorten?: (first: Column<R>, over: number) => Column<R> | null,
): string {
  let shown = columns.filter((c) => options.wide || !c.wide);
  const render = () => table(shown.map((c) => c.head), cells(shown), new Set(shown.filter((c) => c.numeric).map((c) => c.head)));
  let text = render();
  while (!options.wide && textWidth(text) > options.width) {
    const ranks = shown.filter((c) => c.drop !== undefined).map((c) => c.drop!);
    if (ranks.length === 0) break;
    const next = Math.max(...ranks);
    shown = shown.filter((c) => c.drop !== next);
    text = render();
  }
  // still too wide with every column that may go gone: the first column's names are cut in their
  // middle (a strategy's name may be 49 columns wide), where they stay told apart
  const first = shown[0];
  if (!options.wide && shorten && first && textWidth(text) > options.width) {
    const cut = shorten(first, textWidth(text) - options.width);
    if (cut) {
      shown = [cut, ...shown.slice(1)];
      text = render();
    }
  }
  return text;
}

/** The narrowest a name is cut to (see shortenedColumn). */
const MIN_SHORTENED = 12;

/**
 * The column with its cells cut in their middle by `over` columns (to no fewer than
 * MIN_SHORTENED), or null where that leaves nothing to gain or makes two different cells alike.
 */
function shortenedColumn<R>(column: Column<R>, rows: readonly R[], over: number): Column<R> | null {
  const names = [...new Set(rows.map((r) => column.cell(r)))];
  const widest = Math.max(0, ...names.map(displayWidth));
  const room = Math.max(MIN_SHORTENED, widest - over);
  if (room >= widest) return null;
  if (new Set(names.map((n) => shortenMiddle(n, room))).size < names.length) return null;
  return { ...column, cell: (r) => shortenMiddle(column.cell(r), room) };
}
