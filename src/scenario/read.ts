/**
 * Reading a scenario file (YAML, or JSON as its subset) into plain data, in time and memory linear
 * in its size, with every problem a one-line ScenarioError:
 *
 * - at most MAX_SCENARIO_BYTES are read, whatever the file is (a device such as /dev/zero, a
 *   pipe, a 50 MB file), and more is refused;
 * - syntax errors, duplicate keys and aliases to no anchor give their line and column;
 * - alias expansion is capped (the yaml library's limit, against "billion laughs" files);
 * - a number that is not finite (`.nan`, `.inf`, `1e400`) is reported as written.
 *
 * The yaml library's own duplicate-key check compares every key with every earlier one of its
 * map (40,000 keys took 13 s), so keys are checked here, with a set per map.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node, type YAMLError } from "yaml";
import { fileErrorText, ScenarioError } from "../errors.js";
import { keyPath } from "./paths.js";

/** A scenario file is a few kilobytes; 1 MiB leaves room for long sweep lists and empirical values. */
export const MAX_SCENARIO_BYTES = 1 << 20;

/** The yaml library's default bound: an anchor's uses times the aliases inside its value (it stops a "billion laughs" file). */
const MAX_ALIAS_COUNT = 100;

/** What passing MAX_ALIAS_COUNT means, for the message: the library counts the anchor's definition as a use, so 99 aliases. */
const ALIAS_BOUND = `used too often (at most ${MAX_ALIAS_COUNT - 1} aliases of one anchor, fewer when its value holds aliases)`;

/** YAML 1.1's tags whose values are no plain data (a Date, a Buffer, a Set, a Map), which the messages misread ("got a map"). */
const NOT_DATA_TAGS = new Set(["timestamp", "binary", "set", "omap"].map((t) => `tag:yaml.org,2002:${t}`));

/** Read, parse and check a YAML/JSON file into plain data. */
export function readScenarioFile(file: string): Record<string, unknown> {
  const text = readText(file);
  const lines = new LineCounter();
  // merge keys (`<<: *defaults`) in YAML 1.2 files too, as most YAML readers take them; no scenario key is "<<"
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter: lines, merge: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const what = syntax.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new ScenarioError(file, "", `${positionOf(syntax)}invalid YAML: ${what}`);
  }
  // a tag the library does not know (!foo, or !!float on "2") leaves the value as text, with a warning
  const unresolved = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (unresolved) {
    const tag = /Unresolved tag: (\S+)/.exec(unresolved.message)?.[1]?.replace("tag:yaml.org,2002:", "!!") ?? "a tag";
    throw new ScenarioError(file, "", `${positionOf(unresolved)}invalid YAML: ${tag} does not apply here (an unknown tag, or one that does not fit its value)`);
  }
  checkNodes(doc, file, lines);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const why = /alias count/i.test(String(err)) ? `an anchor ${ALIAS_BOUND}` : String(err).split("\n")[0];
    throw new ScenarioError(file, "", `invalid YAML: ${why}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ScenarioError(file, "", "must be a mapping of keys (name, seed, trials, models, tokens, ...)");
  }
  return data as Record<string, unknown>;
}

/** "line 3, column 7: " of the yaml library's error or warning, or "" where it has no position. */
function positionOf(e: YAMLError): string {
  return e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : "";
}

/** The file's text: at most MAX_SCENARIO_BYTES, read without trusting its reported size. */
function readText(file: string): string {
  return readBoundedText(file, MAX_SCENARIO_BYTES, (why) => {
    throw new ScenarioError(file, "", `cannot read scenario: ${why}`);
  });
}

/**
 * A file's text, at most `maxBytes` of it, whatever the file is: a regular file's size is checked
 * first, and a device or a pipe (/dev/zero) is read only up to the bound. Every problem goes to
 * `fail` as a short reason ("no such file", "larger than ... bytes").
 */
export function readBoundedText(file: string, maxBytes: number, fail: (why: string) => never): string {
  const reason = (err: unknown) => fileErrorText(err);
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    return fail(reason(err));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) fail("is a directory");
    const tooLarge = () => fail(`larger than ${maxBytes} bytes, the most such a file may have`);
    if (stat.isFile() && stat.size > maxBytes) tooLarge();
    const chunks: Buffer[] = [];
    let length = 0;
    // A regular file is read in one chunk of its size and one more byte, to see its end; anything
    // else in chunks from 64 KiB doubling to 1 MiB. (Two zeroed 1 MiB chunks per file took 32 s
    // over 10,000 small logs.) Only the bytes read are kept, so the chunks need no zeroing.
    let size = stat.isFile() ? stat.size + 1 : 1 << 16;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(size, 1 << 20, maxBytes + 1 - length));
      size = Math.max(2 * chunk.length, 1 << 16);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        return fail(reason(err));
      }
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) tooLarge();
    }
    return Buffer.concat(chunks, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * One pass over the document's nodes: duplicate keys (a set per map), aliases that name no
 * anchor or pass the bound on aliases, and numbers that are not finite, each named by its key
 * path and line.
 */
function checkNodes(doc: Document, file: string, lines: LineCounter): void {
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return "";
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}: `;
  };
  // The yaml library's bound on aliases (its Alias.resolve), followed in its order so that the
  // alias that passes it is named with its line: an anchor's uses, its definition counted, times
  // the aliases its value holds (the most of any branch; a plain value counts 1).
  const anchors = new Map<unknown, { count: number; aliasCount: number }>();
  /** An anchored node, counted as its first use as the library counts it. */
  const define = (node: unknown): void => {
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.set(node, { count: 1, aliasCount: 0 });
  };
  /** the lists and maps the walk is inside of */
  const open = new Set<unknown>();
  const aliasesIn = (node: unknown): number => {
    if (isAlias(node)) {
      const anchor = anchors.get(node.resolve(doc));
      return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    if (isMap(node) || isSeq(node)) return Math.max(0, ...(node.items as unknown[]).map(aliasesIn));
    if (isPair(node)) return Math.max(aliasesIn(node.key), aliasesIn(node.value));
    return 1;
  };
  /** The node an alias names, or a ScenarioError where it names no anchor. */
  const anchored = (node: Alias, path: PropertyKey[]): Node => {
    const found = node.resolve(doc);
    if (found === undefined) throw new ScenarioError(file, keyPath(path), `${at(node)}alias *${node.source} names no anchor defined before it`);
    return found;
  };
  const useAlias = (node: Alias, path: PropertyKey[]): void => {
    const found = anchored(node, path);
    // the value would hold itself: plain data cannot, and every walk over it would go on forever
    if (open.has(found)) throw new ScenarioError(file, keyPath(path), `${at(node)}invalid YAML: alias *${node.source} is inside the value it names`);
    const anchor = anchors.get(found);
    if (!anchor) return;
    anchor.count += 1;
    if (anchor.aliasCount === 0) anchor.aliasCount = aliasesIn(found);
    if (anchor.count * anchor.aliasCount > MAX_ALIAS_COUNT) {
      throw new ScenarioError(file, keyPath(path), `${at(node)}invalid YAML: alias *${node.source} ${ALIAS_BOUND}`);
    }
  };
  const isMapNode = (node: unknown) => isMap(isAlias(node) ? node.resolve(doc) : node);
  /** What a merge key may take: a map (or an alias of one), or a list of them. */
  const mergeable = (node: unknown) => isMapNode(node) || (isSeq(node) && node.items.every(isMapNode));
  /** A key and its value, in a map (`seen`: the map's keys so far) or alone in a list. */
  const visitPair = (pair: { key: unknown; value: unknown }, path: PropertyKey[], seen: Map<string, Node>): void => {
    const keyNode = pair.key as Node | null;
    // a list or a map as a key (`? [x]`) would be stringified, with a warning of several lines
    const plain = isAlias(keyNode) ? keyNode.resolve(doc) : keyNode;
    if (isMap(plain) || isSeq(plain)) throw new ScenarioError(file, keyPath(path), `${at(keyNode)}a key must be a plain name, not a list or a map`);
    if (isAlias(keyNode)) useAlias(keyNode, path);
    else define(keyNode);
    // a merge key (`<<: *defaults`), which the library reads as a symbol
    const merge = isScalar(keyNode) && typeof keyNode.value === "symbol";
    const key = merge ? "<<" : isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    // an alias to no anchor under << is that, not a value << does not take
    if (merge && isAlias(pair.value)) anchored(pair.value, [...path, key]);
    if (merge && isSeq(pair.value)) for (const [i, item] of pair.value.items.entries()) if (isAlias(item)) anchored(item, [...path, key, i]);
    if (merge && !mergeable(pair.value)) {
      throw new ScenarioError(file, keyPath([...path, key]), `${at((pair.value as Node | null) ?? keyNode)}a merge key (<<) takes a map, an alias of a map, or a list of them`);
    }
    const first = seen.get(key);
    if (first) {
      throw new ScenarioError(file, keyPath([...path, key]), `${at(keyNode)}duplicate key (first at ${at(first).slice(0, -2)})`);
    }
    if (keyNode) seen.set(key, keyNode);
    visit(pair.value, [...path, key]);
  };
  const visit = (node: unknown, path: PropertyKey[]): void => {
    define(node);
    const tag = (node as Node | null)?.tag;
    if (tag !== undefined && NOT_DATA_TAGS.has(tag)) {
      throw new ScenarioError(file, keyPath(path), `${at(node as Node)}the YAML tag !!${tag.split(":").pop()} makes a value no scenario key takes (a date, bytes, a set or an ordered map)`);
    }
    // YAML 1.1 reads an unquoted 2001-12-14 as a date of its own accord
    if (isScalar(node) && node.value instanceof Date) {
      throw new ScenarioError(file, keyPath(path), `${at(node)}${node.source ?? "this"} is read as a date under YAML 1.1, which no scenario key takes; quote it to keep it text`);
    }
    if (isMap(node) || isSeq(node)) open.add(node);
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) visitPair(pair, path, seen);
    } else if (isSeq(node)) {
      // a list's item is a pair of its own under YAML 1.1's !!pairs and !!omap
      node.items.forEach((item, i) => (isPair(item) ? visitPair(item, [...path, i], new Map()) : visit(item, [...path, i])));
    } else if (isAlias(node)) {
      useAlias(node, path);
    } else if (isScalar(node) && typeof node.value === "number" && !Number.isFinite(node.value)) {
      throw new ScenarioError(file, keyPath(path), `${at(node)}got ${node.source ?? String(node.value)}, which is not a finite number`);
    } else if (isScalar(node) && typeof node.value === "number" && !Number.isSafeInteger(node.value) && /^[-+]?\d+$/.test(node.source ?? "")) {
      // no key takes a whole number this large, and a message would show it rounded (9007199254740993 as ...992)
      throw new ScenarioError(file, keyPath(path), `${at(node)}got ${node.source}, beyond ${Number.MAX_SAFE_INTEGER}, past which a whole number is not kept exactly`);
    }
    open.delete(node);
  };
  visit(doc.contents, []);
}
