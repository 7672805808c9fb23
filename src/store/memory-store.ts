/**
 * An in-memory store with the file store's semantics (never overwrite,
 * suffix on a clash, version token changing on add/remove but not on an
 * in-place edit), for tests and for callers that need a scratch store.
 * It passes the same shared suite as the file store (test/store/shared-suite.ts).
 */
import { randomHex } from '../_crypto.js';
import { InvalidInputError, NotFoundError, StoreError } from '../errors.js';
import { assertStoreKey, withSuffix } from './naming.js';
import type { HandoffStore, StoreEntry } from './types.js';

/** The memory store plus helpers a test uses to play "someone edited the files by hand". */
export interface MemoryHandoffStore extends HandoffStore {
  readonly kind: 'memory';
  /**
   * Writes `key` as an editor or `git pull` would: replaces an existing
   * file in place (the version token does not change, like a directory
   * mtime) or adds a new one (the token changes).
   * @param mtimeMs modification time to record; default now (bumped past the previous one on an edit).
   */
  put(key: string, content: string, mtimeMs?: number): StoreEntry;
}

interface MemoryFile {
  content: string;
  mtimeMs: number;
  size: number;
}

/**
 * Creates an empty in-memory store. `location` is `memory:<random>`, so two
 * stores never share an index; `version()` is null until the first write.
 * @example const store = createMemoryStore(); await store.create('20261121-1430-x.md', text, id);
 */
export function createMemoryStore(): MemoryHandoffStore {
  const files = new Map<string, MemoryFile>();
  let generation = 0;
  let exists = false;
  let lastMtime = 0;

  function entryOf(key: string, f: MemoryFile): StoreEntry {
    return { key, mtimeMs: f.mtimeMs, size: f.size };
  }

  function nextMtime(): number {
    // Strictly increasing, so an edit is always visible as an mtime change.
    lastMtime = Math.max(Date.now(), lastMtime + 1);
    return lastMtime;
  }

  function add(key: string, content: string, mtimeMs: number): StoreEntry {
    const f = { content, mtimeMs, size: Buffer.byteLength(content, 'utf8') };
    files.set(key, f);
    exists = true;
    generation++;
    return entryOf(key, f);
  }

  return {
    kind: 'memory',
    location: `memory:${randomHex(6)}`,

    async version() {
      return exists ? String(generation) : null;
    },
    async list() {
      return [...files].map(([key, f]) => entryOf(key, f));
    },
    async keys() {
      return [...files.keys()];
    },
    async stat(key) {
      assertStoreKey(key);
      const f = files.get(key);
      return f ? entryOf(key, f) : null;
    },
    async read(key) {
      assertStoreKey(key);
      const f = files.get(key);
      if (!f) throw new NotFoundError(`no handoff file ${key} in the memory store`);
      return f.content;
    },
    async create(preferredKey, content, suffix) {
      assertStoreKey(preferredKey);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(suffix)) {
        throw new InvalidInputError(
          `invalid file name suffix ${JSON.stringify(suffix)}: expected letters, digits, '-' or '_'`,
        );
      }
      for (const key of [preferredKey, withSuffix(preferredKey, suffix)]) {
        if (!files.has(key)) return add(key, content, nextMtime());
      }
      throw new StoreError(
        `cannot store handoff: both ${preferredKey} and ${withSuffix(preferredKey, suffix)} already exist in the memory store; retry with another id`,
      );
    },
    async remove(key) {
      assertStoreKey(key);
      if (!files.delete(key)) throw new NotFoundError(`no handoff file ${key} in the memory store`);
      generation++;
    },
    put(key, content, mtimeMs) {
      assertStoreKey(key);
      const existing = files.get(key);
      const mtime = mtimeMs ?? nextMtime();
      if (!existing) return add(key, content, mtime);
      existing.content = content;
      existing.mtimeMs = mtime;
      existing.size = Buffer.byteLength(content, 'utf8');
      return entryOf(key, existing);
    },
  };
}
