/** `agentsim prices [filter] [--json]`: the model price presets, $ per million tokens. */
import type { CommandModule } from "yargs";
import { TABLE, findPreset, listPresets, matchedOtherwise, nearestPresets, whyNoPreset, type Preset } from "../../prices/index.js";
import { oneLine } from "../../errors.js";
import { windowReaches } from "../../model/prices.js";
import { table } from "../../render/format.js";
import type { Cli } from "../io.js";
import { toJson } from "../json.js";
import { shortenMiddle, terminalWidth, textWidth, wrap } from "../render/layout.js";
import { groupDigits, noun } from "../../text.js";

interface Args {
  filter?: string;
  json: boolean;
}

export const pricesCommand = (cli: Cli): CommandModule<object, Args> => ({
  builder: (y) =>
    y
      .positional("filter", { type: "string", describe: "show the presets whose id or name contains this (case-insensitive)" })
      .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" }) as never,
  handler: (args) => {
    // an empty filter is none ("1,463 presets matching """)
    const filter = args.filter || null;
    let presets = listPresets(filter ?? undefined);
    // A name that is not a table id is said as a scenario reads it (the command a user runs to
    // check a name said "no presets match", or listed the ids it is part of: the prices audit, a
    // review): a spelling of a preset, which it then lists; a name the table's rules give another
    // entry (an alias, a pattern), which a scenario refuses; an entry that is no preset.
    const isId = filter !== null && presets.some((p) => p.id.toLowerCase() === filter.toLowerCase());
    const named = filter === null || isId ? undefined : findPreset(filter);
    if (named && presets.length === 0) presets = [named];
    const other = filter === null || isId || named ? undefined : matchedOtherwise(filter);
    const excluded = filter === null || isId || named || other ? null : whyNoPreset(filter);
    if (args.json) {
      cli.stdout.write(toJson({ table: TABLE, filter, presets }) + "\n");
      return;
    }
    const width = terminalWidth(cli.stdout);
    const shown = filter === null ? "" : shownFilter(filter);
    const first = named
      ? `${shown} is the preset ${named.id}, as a scenario reads that name.`
      : other
        ? `${shown} is no preset: ${other.alias ? `the price table lists it as an alias of ${other.id}` : `the price table's rules match it to ${other.id} by a pattern, such as a common start`}, which a scenario does not take for it (write ${other.id} if you mean it).`
        : excluded !== null
          ? `${shown} is in the price table but is no preset, as ${excluded}.`
          : null;
    const said = first === null ? "" : `${wrap(first, width, "", "  ").join("\n")}\n`;
    // A filter that matches nothing is an answer, not a mistake: say so and exit 0.
    if (presets.length === 0) {
      const none = `no presets match ${shown} (nearest: ${nearestPresets(filter ?? "").join(", ")})`;
      cli.stdout.write(said + (first === null ? wrap(none, width, "", "  ").join("\n") + "\n" : ""));
      return;
    }
    cli.stdout.write((said ? said + "\n" : "") + formatPrices(presets, named && presets.length === 1 && presets[0] === named ? null : filter, width));
  },
});

/**
 * A price to 12 significant digits (the table stores some sums with float noise, such as
 * 0.18000000000000002); `--json` has the exact doubles.
 */
const exact = (x: number | null | undefined): string => (x === null || x === undefined ? "-" : String(Number(x.toPrecision(12))));
/** A token count, grouped as every count is (1,000,000). */
const tokens = (x: number | null | undefined): string => (x === null || x === undefined ? "-" : groupDigits(x));

interface Column {
  head: string;
  cell: (p: Preset) => string;
  /** 0 is always shown; on a narrow terminal the highest rank goes first */
  rank: number;
}

/** A cache price, in brackets where the table gives none and it is the input price. */
function listed(price: number, inTable: boolean): string {
  return inTable ? exact(price) : `(${exact(price)})`;
}

/** The table's columns, in display order; two-line heads keep the number columns narrow. */
const COLUMNS: Column[] = [
  { head: "preset", cell: (p) => p.id + (p.deprecated ? "*" : ""), rank: 0 },
  { head: "input", cell: (p) => exact(p.input), rank: 0 },
  { head: "output", cell: (p) => exact(p.output), rank: 0 },
  { head: "cache\nread", cell: (p) => listed(p.cacheRead, p.cacheReadListed), rank: 1 },
  { head: "write\n5m", cell: (p) => listed(p.cacheWrite, p.cacheWriteListed), rank: 2 },
  { head: "write\n1h", cell: (p) => exact(p.cacheWrite1h), rank: 7 },
  { head: "tier\nabove", cell: (p) => tokens(p.longContext?.above), rank: 3 },
  { head: "tier\ninput", cell: (p) => exact(p.longContext?.input), rank: 4 },
  { head: "tier\noutput", cell: (p) => exact(p.longContext?.output), rank: 5 },
  { head: "tier\nread", cell: (p) => (p.longContext ? listed(p.longContext.cacheRead, p.longContext.cacheReadListed) : "-"), rank: 8 },
  { head: "tier\nwrite", cell: (p) => (p.longContext ? listed(p.longContext.cacheWrite, p.longContext.cacheWriteListed) : "-"), rank: 9 },
  { head: "tier\n1h", cell: (p) => exact(p.longContext?.cacheWrite1h), rank: 10 },
  { head: "context", cell: (p) => tokens(p.contextWindow), rank: 6 },
];

/**
 * The columns to show: those with a value for some preset (an all-"-" column says nothing),
 * then, while the table is wider than `width`, without the highest rank (never rank 0). The
 * preset column is at most `idWidth` wide (longer ids wrap in it): 55% of the width, at least
 * 30, so that the prices beside it keep most of the room; on a narrow terminal, no more than the
 * input and output prices leave.
 */
function chooseColumns(presets: Preset[], width: number): { shown: Column[]; hidden: number; idWidth: number } {
  const cells = new Map(COLUMNS.map((c) => [c, presets.map((p) => c.cell(p))]));
  const useful = COLUMNS.filter((c) => c.rank === 0 || cells.get(c)!.some((text) => text !== "-"));
  const widths = new Map(useful.map((c) => [c, Math.max(textWidth(c.head), ...cells.get(c)!.map((text) => text.length))]));
  const total = (cols: Column[]) => cols.reduce((sum, c) => sum + widths.get(c)!, 0) + 2 * (cols.length - 1);
  const id = COLUMNS[0]!;
  const room = width - total(useful.filter((c) => c.rank === 0 && c !== id)) - 2;
  const idWidth = Math.min(widths.get(id)!, Math.max(Math.min(30, room), Math.floor(width * 0.55)));
  widths.set(id, idWidth);
  let shown = useful;
  while (total(shown) > width && shown.some((c) => c.rank > 0)) {
    const last = Math.max(...shown.map((c) => c.rank));
    shown = shown.filter((c) => c.rank !== last);
  }
  return { shown, hidden: useful.length - shown.length, idWidth };
}

/** An id in lines of at most `width` characters, broken after a "/" where it can be, else after a "-". */
function wrapId(id: string, width: number): string {
  const lines: string[] = [];
  let rest = id;
  while (rest.length > width) {
    const slash = rest.lastIndexOf("/", width - 1);
    const at = slash > 0 ? slash : rest.lastIndexOf("-", width - 1);
    const cut = at > 0 ? at + 1 : width;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return [...lines, rest].join("\n");
}

/** A filter as the text echoes it: quoted, what does not print escaped, and a long one shortened in the middle. */
function shownFilter(filter: string): string {
  return oneLine(JSON.stringify(shortenMiddle(filter, 60)));
}

/** The presets as an aligned table at most `width` wide where it can be, with its notes. */
export function formatPrices(presets: Preset[], filter: string | null, width: number): string {
  const { shown, hidden, idWidth } = chooseColumns(presets, width);
  const head = shown.map((c) => c.head);
  const rows = presets.map((p) => shown.map((c, i) => (i === 0 ? wrapId(c.cell(p), idWidth) : c.cell(p))));
  const count = `${groupDigits(presets.length)} ${noun(presets.length, "preset")}${filter === null ? "" : ` matching ${shownFilter(filter)}`}`;
  const notes: string[] = [];
  if (head.some((h) => h.startsWith("tier"))) {
    notes.push(`tier: a request whose whole input (new + cached) exceeds "tier above" tokens pays the tier's prices for all its tokens.`);
  }
  notes.push("write 5m / 1h: new input written to the cache for 5 minutes / 1 hour.");
  const unlisted = presets.some((p) => !p.cacheReadListed || !p.cacheWriteListed || (p.longContext && (!p.longContext.cacheReadListed || !p.longContext.cacheWriteListed)));
  if (unlisted && head.some((h) => /read|write/.test(h))) notes.push("(x): a cache price the table does not give; the input price applies.");
  if (presets.some((p) => p.deprecated)) notes.push("* deprecated in the table.");
  if (hidden > 0) notes.push(`Hidden at this width: ${hidden} column${hidden === 1 ? "" : "s"} (see --json).`);
  for (const p of presets) {
    // a request above its window is no request: the tier is never paid (as tierReachable says; a
    // window it does not reach is a number)
    if (p.longContext && !windowReaches(p.contextWindow, p.longContext.above)) {
      notes.push(`${p.id}: its tier is for input above ${groupDigits(p.longContext.above)} tokens, more than its context window (${groupDigits(p.contextWindow!)}) holds: never paid.`);
    }
    if (p.offPeak) notes.push(`${p.id}: peak-hour prices; the table has cheaper ones at other hours.`);
    if (p.nextPriceChange !== null) notes.push(`${p.id}: new prices from ${p.nextPriceChange} in the table, not used.`);
  }
  const lines = (text: string, indent = "") => wrap(text, width, "", indent).join("\n");
  return (
    `${lines(`${count}, $ per million tokens`)}\n${lines(`(${TABLE.package} ${TABLE.version}: list prices in effect on ${TABLE.asOf})`)}\n\n` +
    `${table(head, rows, new Set(head.slice(1)))}\n\n${notes.map((n) => lines(n, "  ")).join("\n")}\n`
  );
}
