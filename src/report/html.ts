/** Small pieces of HTML: escaped text, plain tables, figures around a chart. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe inside an element or a quoted attribute. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Terminal text as HTML: escaped, with its `agentsim ...` commands as code (they printed as
 * backticks); only those, as a strategy's name may hold a backtick of its own.
 */
export function prose(text: string): string {
  return esc(text).replace(/`(agentsim [^`]+)`/g, "<code>$1</code>");
}

/**
 * A table of text cells (escaped here). Columns whose header is in `numeric` are right-aligned;
 * a row may be marked (class "mark") to stand out.
 */
export function htmlTable(head: string[], rows: { cells: string[]; mark?: boolean }[], numeric: Set<string> = new Set()): string {
  const cls = (h: string) => (numeric.has(h) ? ` class="num"` : "");
  const th = head.map((h) => `<th${cls(h)}>${esc(h)}</th>`).join("");
  const body = rows
    .map((r) => `<tr${r.mark ? ` class="mark"` : ""}>${r.cells.map((c, i) => `<td${cls(head[i]!)}>${esc(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A chart (an SVG string from svg.ts, trusted) with its caption. */
export function figure(svg: string, caption: string): string {
  return `<figure class="chart">\n${svg}\n<figcaption>${esc(caption)}</figcaption>\n</figure>`;
}
