/**
 * A file system without hard links (FAT, exFAT, some network shares) answers link() with EPERM:
 * the lock of a sweep, merge or report is made by a link, so the message must say that, not
 * "permission denied" in a folder that is writable (the environment audit).
 */
import { existsSync, readdirSync } from "node:fs";
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

const { lockOutput } = await import("../src/sweep/output.js");

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
