/**
 * Where sweep and merge write: the default file name, checks of an output path before any work,
 * an exclusive lock, and atomic replacement.
 *
 * - The default name `results/<name>.csv` encodes the scenario name injectively: letters,
 *   digits, `_` and `-` as they are, every other byte of its UTF-8 as `%XX` (so `.`, `..`, `~`
 *   and `é` each get their own file), a long name cut with a hash of the whole.
 * - Only a regular file is ever replaced: a device, a pipe or a link under the output's name is
 *   refused (as root, renaming over /dev/null would replace the device).
 * - `<out>.lock` is created exclusively (linked into place, so it always holds its owner's pid)
 *   for as long as a sweep or merge writes `out`; a second one fails at once. A lock whose
 *   process is gone (a kill) is taken over.
 */
import { createHash } from "node:crypto";
import { chmodSync, close, constants, fsync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFile, writeFileSync } from "node:fs";
import { access, lstat, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { fileErrorText, UserError } from "../errors.js";
import type { Shard } from "./shard.js";

/** What marks a temporary file as agentsim's: `<file>.agentsim-<pid>.tmp` (see temporaryOf). */
const TEMPORARY_INFIX = ".agentsim-";

/**
 * The longest suffix added to an output's name: its record's temporary file,
 * `<out>.sweep.json.agentsim-<pid>.tmp`, a pid of up to 7 digits (Linux's largest, 4,194,304).
 */
const LONGEST_SUFFIX = ".sweep.json".length + TEMPORARY_INFIX.length + 7 + ".tmp".length;
/** Bytes of a file name on common file systems. */
const NAME_MAX = 255;
/** Longest encoded scenario name kept whole in a default file name. */
const NAME_KEPT = 120;

/** `results/<name>.csv`, or `results/<name>.shard-<i>-of-<n>.csv`, the name encoded injectively. */
export function defaultOut(name: string, shard: Shard | null): string {
  return `results/${fileSafe(name)}${shard ? `.shard-${shard.index}-of-${shard.count}` : ""}.csv`;
}

/** Letters, digits, `_` and `-` kept, other bytes `%XX`; past NAME_KEPT, cut and `~` + a hash of the name. */
export function fileSafe(name: string): string {
  let text = "";
  for (const byte of Buffer.from(name, "utf8")) {
    const c = String.fromCharCode(byte);
    text += /[A-Za-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (text.length <= NAME_KEPT) return text;
  // `~` is otherwise always encoded, so a cut name never equals a whole one
  return `${text.slice(0, NAME_KEPT - 17)}~${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

/** A file a command writes beside its output under a name of its own (`<out>.sweep.json`), and what it is, for messages. */
export interface Beside {
  file: string;
  /** "its record" */
  role: string;
}

/**
 * Fail with one line, before any work, when `out` cannot be written: empty, too long a name,
 * a folder or anything but a regular file, one of the command's `inputs` (the same file, under
 * any name), or a folder that cannot be made; or when a file the command writes `beside` it (a
 * sweep's record) is one of the inputs. `label` names where the path came from (`--out`).
 * Nothing is created: a missing folder is made when the output is written (`makeFolderOfSync`),
 * so a command that fails first leaves no empty folder behind.
 */
export async function checkOutput(out: string, label = "--out", inputs: readonly string[] = [], beside: readonly Beside[] = []): Promise<void> {
  const fail = (why: string): never => {
    throw new UserError(`${label} ${JSON.stringify(out)}: ${why}`);
  };
  if (out === "") fail("must name a file");
  if (/(^|[\\/])\.{0,2}$/.test(out)) fail("names a folder (it ends with a slash, . or ..), not a file");
  const bytes = Buffer.byteLength(basename(out));
  if (bytes + LONGEST_SUFFIX > NAME_MAX) fail(`the file name is ${bytes} bytes long; at most ${NAME_MAX - LONGEST_SUFFIX}`);
  const existing = await lstat(out, { bigint: true }).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : fail(fileErrorText(err))));
  if (existing?.isDirectory()) fail("is a folder, not a file name");
  if (existing && !existing.isFile()) fail("is not a regular file (a device, pipe, socket or link); refusing to replace it");
  /** The input that `file` (which exists as `found`) is, under any name, or null. */
  const inputAs = async (found: { dev: bigint; ino: bigint }): Promise<string | null> => {
    for (const input of inputs) {
      const read = await stat(input, { bigint: true }).catch(() => null);
      if (read && read.dev === found.dev && read.ino === found.ino) return input;
    }
    return null;
  };
  const input = existing && (await inputAs(existing));
  if (input) fail(`is ${input === out ? "an input" : `${JSON.stringify(input)}, an input`} of this command; refusing to write over it`);
  // a file its owner made read-only is not replaced behind the owner's back, as a shell's > would
  // not write it (the rename that replaces it needs only the folder's permission: an audit)
  if (existing) await access(out, constants.W_OK).catch((err: NodeJS.ErrnoException) => fail(`is write-protected (${fileErrorText(err)}); make it writable, or write elsewhere`));
  for (const { file, role } of beside) {
    const found = await stat(file, { bigint: true }).catch(() => null);
    const taken = found && (await inputAs(found));
    if (taken) fail(`${role}, ${file}, is ${taken === file ? "an input" : `${JSON.stringify(taken)}, an input`} of this command; refusing to write over it`);
    // written or removed beside the output: anything there but a regular file (a folder, a link, a
    // pipe) would fail after the work, or be written through
    const entry = await lstat(file).catch(() => null);
    if (entry && !entry.isFile()) fail(`${role}'s name, ${file}, is taken by ${entry.isDirectory() ? "a folder" : "a link, pipe or other file that is not a regular one"}; move it, or write elsewhere`);
  }
  // the nearest folder of the path that exists must be a folder this process may write in
  for (let dir = dirname(out); ; dir = dirname(dir)) {
    const found = await stat(dir).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : fail(`cannot create its folder: ${fileErrorText(err)}`)));
    if (found === null && dirname(dir) !== dir) continue;
    if (!found?.isDirectory()) fail(`cannot create its folder: ${fileErrorText({ code: "ENOTDIR" })}`);
    await access(dir, constants.W_OK).catch((err: NodeJS.ErrnoException) => fail(`cannot write in ${dir}: ${fileErrorText(err)}`));
    return;
  }
}

/** Make the folder `out` goes in, when missing (one line on failure); the outermost folder made, or null. */
export function makeFolderOfSync(out: string): string | null {
  // Folder by folder, not mkdirSync's { recursive: true }: where mkdir answers ENOENT although the
  // parent exists (a missing path under /proc, as root), Node's recursive mkdir retries the parent
  // forever in C++, at 100% CPU, deaf to SIGTERM (nodejs/node: procfs returns ENOENT, not EPERM).
  // The path as typed, not resolve()d: the system reads "a/../b" and "link/../b" through a and
  // link (resolve() made ./b and nothing else, and the write then failed), as checkOutput does.
  const cannot = (err: unknown) => new UserError(`cannot create the folder of ${out}: ${fileErrorText(err)}`);
  const missing: string[] = [];
  for (let dir = dirname(out); ; dir = dirname(dir)) {
    let found;
    try {
      found = lstatSync(dir, { throwIfNoEntry: false });
    } catch (err) {
      throw cannot(err);
    }
    if (found || dirname(dir) === dir) break;
    missing.unshift(dir);
  }
  let first: string | null = null;
  try {
    for (const dir of missing) {
      try {
        mkdirSync(dir);
        first ??= resolve(dir);
      } catch (err) {
        // made meanwhile (another shard starting beside this one), or "a/.." once a is made
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(dir).isDirectory()) throw err;
      }
    }
  } catch (err) {
    removeCreatedFolders(out, first);
    throw cannot(err);
  }
  return first;
}

export interface Lock {
  /** remove the lock (after the output is complete, or on failure) */
  release(): Promise<void>;
  /** the same, synchronously, for a signal handler about to exit */
  releaseSync(): void;
  /** the outermost folder taking the lock created (the output's folder was missing), or null */
  createdFolder: string | null;
}

/**
 * What a failed link means once `mine` was made beside it: not a permission, but a file system
 * without hard links (FAT, exFAT, some network shares; an audit found "permission denied" there).
 */
const NO_HARD_LINKS: Record<string, string> = Object.fromEntries(
  ["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].map((code) => [code, "the file system there makes no hard links, which the lock needs: write to another folder and copy the file"]),
);

/** The locks this process holds (resolved paths). */
const held = new Set<string>();

/**
 * Take `<out>.lock`, or fail with one line when another live process holds it. Synchronous
 * inside: a signal handler (which runs between event-loop turns) never finds it half taken.
 * A `<out>.lock.<pid>` or `<out>.lock.stale.<pid>` left by a process killed while taking it is removed.
 */
export async function lockOutput(out: string): Promise<Lock> {
  const lock = `${out}.lock`;
  const mine = `${lock}.${process.pid}`;
  // the lock is the first file made beside the output: where it cannot be, neither can the output
  const cannotLock = (err: unknown, words: Record<string, string> = {}) =>
    new UserError(`--out ${JSON.stringify(out)}: cannot create a file there (its lock, ${lock}: ${fileErrorText(err, words)})`);
  const createdFolder = makeFolderOfSync(out);
  removeStaleLockFiles(lock);
  try {
    writeFileSync(clearedName(mine), `${process.pid}\n`, { flag: "wx" });
  } catch (err) {
    rmSync(mine, { force: true }); // a full disk leaves it empty (a review)
    removeCreatedFolders(out, createdFolder);
    throw cannotLock(err);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lock); // fails if the lock exists: exclusive
        const key = resolve(lock);
        held.add(key);
        return {
          release: async () => {
            held.delete(key);
            await rm(lock, { force: true });
          },
          releaseSync: () => {
            held.delete(key);
            rmSync(lock, { force: true });
          },
          createdFolder,
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
          rmSync(mine, { force: true });
          removeCreatedFolders(out, createdFolder);
          throw cannotLock(err, NO_HARD_LINKS);
        }
      }
      const found = lstatSync(lock, { throwIfNoEntry: false });
      const owner = lockOwner(lock);
      if (owner === "not a lock") {
        throw new UserError(`${out}: ${lock} exists and is not an agentsim lock; refusing to remove it (move it, or write elsewhere with --out)`);
      }
      if (owner === null || found === undefined) continue; // released meanwhile: try again
      // a lock holding this process's own pid that this process did not take is stale: its owner
      // was killed, and this process got the same pid (a container's entry point is pid 1 at
      // every restart, and --resume was refused for good)
      const ours = owner === process.pid && !held.has(resolve(lock));
      if (!ours && processAlive(owner)) {
        // a pid reused after a kill (a container's restart) is alive too: say what to do then
        throw new UserError(`${out}: another agentsim (process ${owner}) is writing it; wait for it, or write elsewhere with --out (if no agentsim is running, remove ${lock})`);
      }
      takeOverStale(lock, found);
    }
    throw new UserError(`${out}: another agentsim is writing it; wait for it, or write elsewhere with --out`);
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Remove a stale lock, the file `stale` (its inode and modification time: its process is gone), and
 * nothing else. Removed by its name, a lock another process had just put in its place went too,
 * and both went on writing. So it is moved aside first (atomic), and a lock that turns out not to
 * be the stale one is put back. (The time too: a new lock may get a freed inode's number.)
 */
export function takeOverStale(lock: string, stale: { ino: number; mtimeMs: number }): void {
  const aside = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // gone already: another process took it over, and the next link attempt says so
  }
  const moved = lstatSync(aside);
  if (moved.ino !== stale.ino || moved.mtimeMs !== stale.mtimeMs) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third process took the lock meanwhile: the one moved aside is its owner's no longer
    }
  }
  rmSync(aside, { force: true });
}

/**
 * The pid a lock file holds: a regular file of a few bytes whose text is the pid and a newline,
 * as lockOutput writes it; null when the file is gone; "not a lock" for any other file (a user's
 * file that happens to bear the name is never taken for a lock and removed).
 */
function lockOwner(file: string): number | null | "not a lock" {
  let text: string;
  try {
    if (!lstatSync(file).isFile()) return "not a lock";
    text = readFileSync(file, "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? null : "not a lock";
  }
  const match = /^([1-9]\d{0,9})\n$/.exec(text);
  return match ? Number(match[1]) : "not a lock";
}

/**
 * `<lock>.<pid>` files of processes that are gone (killed while taking the lock), each holding its
 * own pid, or nothing (killed before writing it).
 */
function removeStaleLockFiles(lock: string): void {
  const prefix = `${basename(lock)}.`;
  // <lock>.<pid>, or <lock>.stale.<pid>: a stale lock moved aside by process pid (see takeOverStale)
  const aside = (name: string) => name.startsWith(`${prefix}stale.`);
  const pidOf = (name: string) => (name.startsWith(prefix) ? Number(name.slice(prefix.length + (aside(name) ? "stale.".length : 0))) : NaN);
  for (const { file, name, pid } of leftByGoneProcesses(lock, pidOf)) {
    const found = lstatSync(file, { throwIfNoEntry: false });
    const empty = found !== undefined && found.isFile() && found.size === 0;
    const owner = lockOwner(file);
    if ((aside(name) ? typeof owner === "number" : owner === pid) || empty) rmSync(file, { force: true });
  }
}

/**
 * The files beside `file` whose name carries, by `pidOf` (NaN for none), the pid of a process that
 * is gone: what a process killed with -9 left (its lock's files, its temporary files).
 */
function leftByGoneProcesses(file: string, pidOf: (name: string) => number): { file: string; name: string; pid: number }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return []; // no folder yet: nothing left in it
  }
  return names.flatMap((name) => {
    const pid = pidOf(name);
    return !Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid) ? [] : [{ file: join(dirname(file), name), name, pid }];
  });
}

/**
 * Remove the folders made for `out` (from its own folder up to `created`, the outermost made),
 * where they are empty: after a command stopped before it wrote anything there.
 */
export function removeCreatedFolders(out: string, created: string | null): void {
  if (created === null) return;
  const top = resolve(created);
  for (let dir = resolve(dirname(out)); dir === top || dir.startsWith(top.endsWith(sep) ? top : top + sep); dir = dirname(dir)) {
    try {
      rmdirSync(dir); // only an empty folder
    } catch {
      return;
    }
    if (dir === top) return;
  }
}

/**
 * The temporary file `<file>.agentsim-<pid>.tmp` a whole file is written to before it is renamed
 * over `file`. Those of processes that are gone (killed with -9, which no handler sees: a 1.2 GB
 * trace was left so) are removed first; only files of that shape, which no one else names so (with
 * `<file>.<pid>.tmp` a user's file went, even the command's own input: a review).
 */
export function temporaryOf(file: string): string {
  const prefix = `${basename(file)}${TEMPORARY_INFIX}`;
  const pidOf = (name: string) => {
    const m = /^(\d+)\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    return m && Number.isSafeInteger(Number(m[1])) ? Number(m[1]) : NaN;
  };
  for (const stale of leftByGoneProcesses(file, pidOf)) {
    if (lstatSync(stale.file, { throwIfNoEntry: false })?.isFile()) rmSync(stale.file, { force: true });
  }
  return clearedName(`${file}${TEMPORARY_INFIX}${process.pid}.tmp`);
}

/**
 * `name`, a name this process alone uses (it holds the pid, or a lock), with whatever was there
 * removed: a file left by an earlier process of the same pid, or a FIFO put there, which an open
 * for writing waits on until a reader comes (and Node's exit waits for that open, so not even
 * Ctrl-C ended the command). Open it with the flag "wx": anything made there meanwhile is refused.
 */
export function clearedName(name: string): string {
  try {
    unlinkSync(name);
  } catch {
    // nothing there, or a folder: the exclusive open says what is wrong
  }
  return name;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Give `next`, the file about to be renamed over `file`, the permission bits of `file` where that
 * is a regular file: a replaced output keeps who may read it (a 0600 report became 0644).
 */
export function keepModeOf(file: string, next: string): void {
  const old = lstatSync(file, { throwIfNoEntry: false });
  if (old?.isFile()) chmodSync(next, old.mode & 0o777); // not setuid, setgid or sticky: a new file
}

/** Write text to `file` through a temporary file in the same folder, renamed when complete (`label`: see writeChunksAtomically). */
export async function writeAtomically(file: string, text: string, label = ""): Promise<void> {
  await writeChunksAtomically(file, [text], label);
}

/**
 * Write `chunks` to `file` through a temporary file in the same folder, synced and renamed when
 * complete; in chunks, for text too long for one string (a large trace). A failure is one line,
 * after `label` (the flag that named the file) where there is one.
 */
export async function writeChunksAtomically(file: string, chunks: Iterable<string>, label = ""): Promise<void> {
  const tmp = temporaryOf(file);
  const createdFolder = makeFolderOfSync(file);
  unfinished.set(tmp, { file, createdFolder });
  if (unfinished.size === 1) process.on("exit", leaveNothing);
  try {
    const handle = openTemporary(tmp);
    try {
      // writeFile, not write: one write(2) may write less than asked (a full disk), which write()
      // returns as a short count, no error; a report's page was cut so, and said written whole
      for (const chunk of chunks) await handle.writeFile(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    keepModeOf(file, tmp);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    removeCreatedFolders(file, createdFolder);
    // a chunk that could not be made (a trace too large to hold) says so itself
    if (err instanceof UserError) throw err;
    throw new UserError(`${label ? `${label}: ` : ""}cannot write ${file}: ${fileErrorText(err)}`);
  } finally {
    unfinished.delete(tmp);
    if (unfinished.size === 0) process.off("exit", leaveNothing);
  }
}

const [writeFd, fsyncFd, closeFd] = [promisify(writeFile), promisify(fsync), promisify(close)];

/** A temporary file being written: its whole text in parts, synced, closed. */
export interface TemporaryFile {
  /** all of `text`, however many write(2) calls it takes (one may write less than asked: a full disk) */
  writeFile(text: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A temporary file, made and opened here, exclusively and synchronously, then written through
 * its descriptor. Made by an open still pending in the thread pool when Ctrl-C's handler removed
 * its name, it appeared after, and the folder made for it was left (a merge interrupted on a
 * loaded machine: a test). (Made, closed and opened again, it could not be opened under a umask
 * that leaves its owner no write permission: a review.)
 */
export function openTemporary(tmp: string): TemporaryFile {
  const fd = openSync(tmp, "wx");
  return { writeFile: (text) => writeFd(fd, text), sync: () => fsyncFd(fd), close: () => closeFd(fd) };
}

/**
 * The temporary files being written, with the folder made for each: a process that exits first
 * (a signal's handler calls process.exit) removes them, and the folder if it is left empty (Ctrl-C
 * during a large trace left 346 MB of it).
 */
const unfinished = new Map<string, { file: string; createdFolder: string | null }>();

function leaveNothing(): void {
  for (const [tmp, { file, createdFolder }] of unfinished) {
    rmSync(tmp, { force: true });
    removeCreatedFolders(file, createdFolder);
  }
}
