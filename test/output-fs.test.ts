/**
 * Outputs on file systems and files that refuse what agentsim does to them, with the refusal
 * made in-process (mocked), since neither can be set up everywhere the tests run:
 * - a file system without hard links (FAT, exFAT, some network shares) answers link() with EPERM:
 *   the lock of a sweep, merge or report is made by a link, so the message must say that, not
 *   "permission denied" in a folder that is writable (the environment audit);
 * - an output its owner made read-only is refused, as a shell's > would refuse it, not replaced by
 *   the rename that needs only the folder's permission (the environment audit; as root, which may
 *   write any file, access() never refuses, so it is mocked here).
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { scratchFolder } from "./scratch.js";

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const linkSync = () => {
    throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
  };
  return { ...fs, default: { ...fs, linkSync }, linkSync };
});

/** Files access() says this process may not write, as for a non-root user's read-only file. */
const readOnly = new Set<string>();
vi.mock("node:fs/promises", async (original) => {
  const fs = await original<typeof import("node:fs/promises")>();
  const access = async (path: string, mode?: number) => {
    if (readOnly.has(String(path)) && mode !== undefined && (mode & fs.constants.W_OK) !== 0) {
      throw Object.assign(new Error("EACCES: permission denied, access"), { code: "EACCES" });
    }
    return fs.access(path, mode);
  };
  return { ...fs, default: { ...fs, access }, access };
});

const { checkOutput, lockOutput } = await import("../src/sweep/output.js");

describe("an output's lock on a file system without hard links", () => {
  it("is refused in one line that names the cause, and leaves nothing", async () => {
    const dir = scratchFolder("nolink");
    const out = join(dir, "sub", "s.csv");
    await expect(lockOutput(out)).rejects.toThrow(
      `--out ${JSON.stringify(out)}: cannot create a file there (its lock, ${out}.lock: the file system there makes no hard links, which the lock needs: write to another folder and copy the file)`,
    );
    expect(existsSync(join(dir, "sub"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("an output its owner made read-only", () => {
  it("is refused before any work, and left as it was", async () => {
    const out = join(scratchFolder("readonly"), "ro.csv");
    writeFileSync(out, "keep\n", { mode: 0o444 });
    readOnly.add(out);
    await expect(checkOutput(out)).rejects.toThrow(`--out ${JSON.stringify(out)}: is write-protected (permission denied); make it writable, or write elsewhere`);
    readOnly.delete(out);
    await expect(checkOutput(out)).resolves.toBeUndefined(); // a writable one is replaced, as before
  });
});
