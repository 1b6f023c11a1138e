/**
 * The folders of src/ import one way: each imports only the folders below it in LAYERS (the
 * closed forms never reach the kernel, the kernel never the CLI, and the report and the CLI share
 * what both print through src/render, not through each other). The files at src/'s top (text.ts,
 * errors.ts, packageRoot.ts) sit below every folder.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Bottom first: a folder may import its own layer's files and those of the layers before it. */
const LAYERS: readonly (readonly string[])[] = [
  ["stats", "prices"],
  ["scenario"],
  ["model"],
  ["sim"],
  ["evaluate"],
  ["decision"],
  ["fit", "sweep"],
  ["render"],
  ["report"],
  ["cli"],
];

const SRC = resolve("src");
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

/** A file's folder under src/ ("" for the files at its top). */
const folderOf = (file: string) => (relative(SRC, file).includes("/") ? relative(SRC, file).split("/")[0]! : "");

/** The src files a file imports, statically, by `export ... from` or by `import()`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)"(\.[^"]+)"/gm)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s));
}

const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => join(SRC, f));

describe("one-way imports between the folders of src/", () => {
  it("every folder of src/ has a layer", () => {
    const folders = new Set(files.map(folderOf).filter(Boolean));
    expect([...folders].filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it("no file imports a folder above its own", () => {
    const upward = files.flatMap((file) => {
      const from = folderOf(file);
      return importsOf(file)
        .filter((target) => {
          const to = folderOf(target);
          return to !== "" && to !== from && (from === "" || layerOf(to) > layerOf(from));
        })
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`);
    });
    expect(upward).toEqual([]);
  });

  it("reads static imports, re-exports and import() alike (the check is not blind)", () => {
    const targets = (file: string) => importsOf(join(SRC, file)).map((t) => relative(SRC, t));
    expect(targets("report/page.ts")).toContain("render/format.js");
    expect(targets("cli/render/layout.ts")).toContain("render/wrap.js"); // export { ... } from
    expect(targets("cli/commands/report.ts")).toContain("report/page.js"); // await import(...)
  });
});
