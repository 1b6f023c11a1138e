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

/** A deep copy of obj with the value at path replaced (the path must exist). */
export function withPath<T>(obj: T, path: string, value: unknown): T {
  const copy = structuredClone(obj);
  const keys = splitPath(path);
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
  return copy;
}
