/**
 * Dotted key paths into a plain scenario object: `models.weak.bugs.count`, and list items by
 * index, `strategies.escalate.ladder[0].attempts` (or `ladder.0.attempts`).
 */

export function splitPath(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, ".$1").split(".");
}

/** The value at a dotted path, or undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let node: unknown = obj;
  for (const key of splitPath(path)) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Why `path` names no number in a scenario's data: "no numeric key at that path", and where the
 * strategy it means has a name holding a `.` or `[n]` (which a path reads as steps), that no path
 * reaches it.
 */
export function noNumericKey(data: unknown, path: string): string {
  const strategies = (data as { strategies?: unknown } | null)?.strategies;
  // a strategy the path means to address: its name follows "strategies." in the path
  // (a path reads "." and "[n]" as steps: a name holding either cannot be reached; "]" alone can)
  const meant = (name: string) => /\.|\[\d+\]/.test(name) && (path.startsWith(`strategies.${name}.`) || path.startsWith(`strategies.${name}[`));
  const unreachable = strategies && typeof strategies === "object" ? Object.keys(strategies).filter(meant) : [];
  const hint = unreachable.length > 0 ? ` (a path cannot reach strategy ${JSON.stringify(unreachable[0])}: its name holds "." or "[n]"; rename it)` : "";
  return `no numeric key at that path${hint}`;
}

/**
 * A copy of obj with the value at path replaced (the path must exist): the objects along the path
 * are copied, everything off it is shared with obj, which is left as it was. A scan parses one
 * copy per value, and a deep copy of a long ladder was a fifth of its time; the parse reads its
 * input and never writes it.
 */
export function withPath<T>(obj: T, path: string, value: unknown): T {
  const copyAlong = (node: unknown, keys: readonly string[]): unknown => {
    if (keys.length === 0) return value;
    const [key, ...rest] = keys as [string, ...string[]];
    const copy = (Array.isArray(node) ? [...node] : { ...(node as object) }) as Record<string, unknown>;
    copy[key] = copyAlong(copy[key], rest);
    return copy;
  };
  return copyAlong(obj, splitPath(path)) as T;
}

/** Replace the value at path in obj itself (the path must exist). */
export function setPath(obj: unknown, path: string, value: unknown): void {
  const keys = splitPath(path);
  let node = obj as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** A key shown as it is: letters, digits, `_`, `-` and `.` (model names and the sweep's dotted keys). */
const PLAIN_KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * A key path as messages show it: `models.weak.fix.hard`, list items by index
 * (`strategies.escalate.ladder[1].attempts`); a key with any other character (a space, a quote,
 * a newline) or none is JSON-quoted, `strategies."a b".fixer`, so that a message stays one line and
 * shows where the key begins and ends.
 */
export function keyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const k of path) {
    if (typeof k === "number") text += `[${k}]`; // a list item, as splitPath reads it: ladder[1]
    else text += `${text ? "." : ""}${PLAIN_KEY.test(String(k)) ? String(k) : JSON.stringify(String(k))}`;
  }
  return text;
}
