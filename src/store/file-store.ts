/**
 * The file store: a directory of handoff files, the source of truth
 * (design.md, "Stores and the index"; "Decisions" > "Stores, index, speed").
 *
 * Writes never replace a file: the content goes to a dot temp file in the
 * same directory, is fsynced, and the final name is claimed with `link(2)`,
 * which fails with EEXIST instead of overwriting (a `rename` would silently
 * replace a handoff another writer claimed in the same minute). A crash
 * leaves at most a `.tmp-*` file, which no listing shows. A write removes
 * the ones that are an hour old among those its process saw while listing
 * the directory (every `store` syncs the index first, and a sync lists the
 * directory when it changed and at least once a minute): listing the
 * directory again for every write cost ~6 ms at 10,000 handoffs and ~70 ms
 * at 100,000.
 *
 * Synchronous fs calls are used on purpose: this runs in short-lived CLI
 * processes and hooks where a thread-pool round trip per stat costs more
 * than it saves.
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { runGit } from '../_git.js';
import { InvalidInputError, NotFoundError, StoreError } from '../errors.js';
import { findRepoRoot } from './locate.js';
import { assertStoreKey, isHandoffFileName, withSuffix } from './naming.js';
import type { HandoffStore, StoreEntry } from './types.js';

/** Temp files older than this are left over from a crashed writer and removed by the next write. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * A directory mtime younger than this is not trusted as a change token:
 * file systems stamp directories with a coarse clock (a kernel tick on Linux,
 * a whole second on HFS+ and some network file systems), so a second change
 * within the same tick would leave the mtime unchanged (git's "racy" problem).
 */
export const RACY_WINDOW_MS = 2000;

const TEMP_PREFIX = '.tmp-';
const SUFFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

let tempCounter = 0;
let racyCounter = 0;

/**
 * Opens the store in `dir` (created on the first write, not before).
 * Handoffs are the `*.md`, `*.markdown`, `*.yaml`, `*.yml` files directly in
 * `dir`, except dot-files and `README.md`.
 *
 * - `kind: 'user'`: directory created 0700, files 0600 (private notes outside any repository).
 * - `kind: 'repo'`: normal umask (the files are committed), and a `.gitignore`
 *   with `.tmp-*` is written when missing so temp files never reach git.
 *
 * @param dir store directory (made absolute).
 * @example const store = createFileStore('/repo/docs/session_handoffs', 'repo');
 */
export function createFileStore(dir: string, kind: 'repo' | 'user'): HandoffStore {
  const location = resolve(dir);
  const fileMode = kind === 'user' ? 0o600 : 0o666;

  function pathOf(key: string): string {
    assertStoreKey(key);
    return join(location, key);
  }

  function entryOf(key: string): StoreEntry | null {
    let st: import('node:fs').Stats | undefined;
    try {
      st = statSync(join(location, key), { throwIfNoEntry: false });
    } catch {
      return null; // a symlink loop or an unreadable entry is not a handoff
    }
    if (!st?.isFile()) return null;
    return { key, mtimeMs: st.mtimeMs, size: st.size };
  }

  /** `.tmp-*` names the last listing saw: what the next write checks for stale temp files. */
  let seenTemps: string[] = [];

  /**
   * Handoff file names in the directory; [] when it does not exist. Notes the
   * temp files it passes. Without `types`, names only (`names()`): a Dirent
   * per entry cost a third of a listing (10k names: ~10 -> ~7 ms, and less
   * garbage), and a directory named like a handoff is kept.
   */
  function readKeys(types: boolean): string[] {
    let entries: Array<import('node:fs').Dirent | string>;
    try {
      entries = types ? readdirSync(location, { withFileTypes: true }) : readdirSync(location);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return [];
      throw ioError(`cannot read handoff store ${location}`, e);
    }
    const keys: string[] = [];
    const temps: string[] = [];
    for (const e of entries) {
      const name = typeof e === 'string' ? e : e.name;
      // Symlinks are followed by `stat`; directories named `x.md` are not handoffs.
      if (isHandoffFileName(name) && (typeof e === 'string' || e.isFile() || e.isSymbolicLink())) keys.push(name);
      else if (name.startsWith(TEMP_PREFIX)) temps.push(name);
    }
    seenTemps = temps;
    return keys;
  }

  function ensureDirectory(): void {
    try {
      mkdirSync(location, { recursive: true, ...(kind === 'user' ? { mode: 0o700 } : {}) });
    } catch (e) {
      throw ioError(`cannot create handoff store ${location}`, e);
    }
    if (kind === 'repo') {
      try {
        // `wx`: never replace a .gitignore the team wrote.
        writeFileSync(join(location, '.gitignore'), `${TEMP_PREFIX}*\n`, { flag: 'wx' });
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw ioError(`cannot write to handoff store ${location}`, e);
      }
    }
  }

  /**
   * Removes temp files a crashed writer left behind (best effort: another
   * process may be doing the same): those the last listing in this process
   * saw ({@link readKeys}), once an hour old.
   */
  function removeStaleTemps(now: number): void {
    const names = seenTemps;
    seenTemps = [];
    for (const name of names) {
      const path = join(location, name);
      let st: import('node:fs').Stats | undefined;
      try {
        st = statSync(path, { throwIfNoEntry: false });
      } catch {
        continue;
      }
      if (st && now - st.mtimeMs > STALE_TEMP_MS) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already, or not ours to remove: a later write tries again.
        }
      }
    }
  }

  /** Claims `finalPath` for the temp file's inode; false when the name is taken. */
  function claim(tempPath: string, finalPath: string): boolean {
    try {
      linkSync(tempPath, finalPath);
      return true;
    } catch (e) {
      if (isCode(e, 'EEXIST')) return false;
      // Some file systems (FAT, some network mounts) have no hard links. The
      // temp file could be written, so the directory is writable: fall back
      // to check-then-rename, which can only lose a race inside this window.
      if (isCode(e, 'EPERM') || isCode(e, 'ENOTSUP') || isCode(e, 'ENOSYS') || isCode(e, 'EOPNOTSUPP')) {
        if (statSync(finalPath, { throwIfNoEntry: false })) return false;
        renameSync(tempPath, finalPath);
        return true;
      }
      throw e;
    }
  }

  const store: HandoffStore = {
    kind,
    location,

    async version() {
      let st: import('node:fs').BigIntStats | undefined;
      try {
        st = statSync(location, { bigint: true, throwIfNoEntry: false });
      } catch (e) {
        throw ioError(`cannot read handoff store ${location}`, e);
      }
      if (!st) return null;
      const token = `${st.mtimeNs}:${st.ino}`;
      const ageMs = Date.now() - Number(st.mtimeNs / 1_000_000n);
      // A fresh mtime may hide a second change in the same clock tick: hand
      // out a token that never repeats, so the index re-reads the key list.
      if (ageMs < RACY_WINDOW_MS) return `${token}:racy${process.pid}.${++racyCounter}.${Date.now()}`;
      return token;
    },

    async list() {
      const entries: StoreEntry[] = [];
      for (const key of readKeys(true)) {
        const entry = entryOf(key);
        if (entry) entries.push(entry);
      }
      return entries;
    },

    async keys() {
      return readKeys(true);
    },

    async names() {
      return readKeys(false);
    },

    async stat(key) {
      pathOf(key);
      return entryOf(key);
    },

    async read(key) {
      const path = pathOf(key);
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        if (isCode(e, 'ENOENT') || isCode(e, 'EISDIR')) {
          throw new NotFoundError(`no handoff file ${key} in ${location}`, { cause: e });
        }
        throw ioError(`cannot read ${path}`, e);
      }
    },

    async create(preferredKey, content, suffix) {
      const finalPath = pathOf(preferredKey);
      if (!SUFFIX_PATTERN.test(suffix)) {
        throw new InvalidInputError(
          `invalid file name suffix ${JSON.stringify(suffix)}: expected letters, digits, '-' or '_'`,
        );
      }
      ensureDirectory();
      const now = Date.now();
      removeStaleTemps(now);
      const tempPath = join(location, `${TEMP_PREFIX}${suffix}-${process.pid}-${++tempCounter}`);
      let fd: number | null = null;
      try {
        fd = openSync(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, fileMode);
        const data = Buffer.from(content, 'utf8');
        let written = 0;
        while (written < data.length) written += writeSync(fd, data, written, data.length - written);
        fsyncSync(fd);
        closeSync(fd);
        fd = null;
        let key = preferredKey;
        if (!claim(tempPath, finalPath)) {
          key = withSuffix(preferredKey, suffix);
          if (!claim(tempPath, pathOf(key))) {
            throw new StoreError(
              `cannot store handoff: both ${preferredKey} and ${key} already exist in ${location}; retry with another id`,
            );
          }
        }
        removeQuietly(tempPath);
        syncDirectory(location);
        const entry = entryOf(key);
        if (!entry) throw new StoreError(`handoff ${key} vanished right after it was written to ${location}`);
        return entry;
      } catch (e) {
        if (fd !== null) closeQuietly(fd);
        removeQuietly(tempPath);
        if (e instanceof StoreError || e instanceof InvalidInputError) throw e;
        throw ioError(`cannot write to handoff store ${location}`, e);
      }
    },

    async remove(key) {
      const path = pathOf(key);
      try {
        unlinkSync(path);
      } catch (e) {
        if (isCode(e, 'ENOENT')) throw new NotFoundError(`no handoff file ${key} in ${location}`, { cause: e });
        throw ioError(`cannot remove ${path}`, e);
      }
    },

    async firstCommitDates(keys) {
      const dates = new Map<string, string>();
      if (keys.length === 0 || findRepoRoot(location) === null) return dates;
      let result: Awaited<ReturnType<typeof runGit>>;
      try {
        // One git call for the whole directory; `--relative` prints paths
        // relative to the store, i.e. store keys; `--no-renames` makes a
        // renamed file count as added under its new name. Newest commit
        // first, so the last date seen for a path is the commit that first
        // added it.
        result = await runGit(
          [
            '-c',
            'core.quotePath=false',
            'log',
            '--diff-filter=A',
            '--no-renames',
            '--relative',
            '--format=%x00%aI',
            '--name-only',
            '--',
            '.',
          ],
          location,
        );
      } catch {
        return dates; // git is not installed
      }
      if (result.code !== 0) return dates;
      const wanted = new Set(keys);
      for (const chunk of result.stdout.split('\0')) {
        const lines = chunk.split('\n');
        const ms = Date.parse(lines[0] ?? '');
        if (Number.isNaN(ms)) continue;
        const iso = `${new Date(ms).toISOString().slice(0, 19)}Z`;
        for (const line of lines.slice(1)) {
          if (line && wanted.has(line)) dates.set(line, iso);
        }
      }
      return dates;
    },
  };
  return store;
}

/**
 * Reads one handoff file of a file store with its stat, as the store's
 * `read` does (UTF-8) but in one open: the index's parse workers use it to
 * read and stat a file in a single pass. Opened non-blocking so that a FIFO
 * named like a handoff cannot hang the reader.
 *
 * @returns the text, mtime (ms) and size (bytes); null when the file does not
 *   exist or is not a regular file (what `list` would not show).
 * @throws the file system error for anything else (permissions, I/O).
 */
export function readStoreFile(dir: string, key: string): { text: string; mtimeMs: number; size: number } | null {
  let fd: number;
  try {
    fd = openSync(join(dir, key), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR') || isCode(e, 'ELOOP')) return null;
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    return { text: readFileSync(fd, 'utf8'), mtimeMs: st.mtimeMs, size: st.size };
  } finally {
    closeSync(fd);
  }
}

function isCode(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}

/** A StoreError whose message says what failed and what to do about it. */
function ioError(what: string, e: unknown): StoreError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  let hint: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      hint = 'permission denied; check the directory permissions or use --global';
      break;
    case 'EROFS':
      hint = 'the file system is read-only; use --global or another store';
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      hint = 'no space left on the device; free some space and retry';
      break;
    case 'ENOTDIR':
    case 'EEXIST':
      hint = 'a file is in the way where a directory is expected; move it and retry';
      break;
    default:
      hint = (e as Error | null)?.message ?? String(e);
  }
  return new StoreError(`${what}: ${hint}`, { cause: e });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (claimed by rename) or never created.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing after a failed write: nothing more to do.
  }
}

/** Makes the new directory entry durable; best effort (not every platform can fsync a directory). */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse; the data itself was fsynced.
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}
