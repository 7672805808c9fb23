/**
 * Token counting with a real tokenizer (OpenAI's o200k_base via
 * gpt-tokenizer), loaded lazily: importing it costs ~300 ms cold on the
 * reference machine, so hot paths first try the free byte bound, and
 * `check`/`store` keep counts in a persistent cache (`countTokensCached`).
 *
 * Why the byte bound holds: o200k_base is a byte-level BPE, every token
 * covers at least one UTF-8 byte, so `tokens <= Buffer.byteLength(text)`
 * (design.md, "Decisions" > "Stores, index, speed").
 */

import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hash64 } from '../_hash.js';

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

let tokenizer: Promise<Tokenizer> | null = null;

/**
 * Special-token markers such as `<|endoftext|>` are ordinary text inside a
 * handoff; the tokenizer throws on them by default.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base');
  return tokenizer;
}

/**
 * An upper bound on the token count of `text` that costs nothing:
 * its UTF-8 size in bytes (tokens never outnumber bytes).
 *
 * @example tokenUpperBound('héllo') // 6
 */
export function tokenUpperBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The number of o200k_base tokens in `text` (GPT-4o / GPT-5 family; a
 * close proxy for other models' tokenizers). Loads the tokenizer on first use.
 * Special-token markers in the text are counted as plain text, never rejected.
 *
 * @example await countTokens('hello world') // 2
 */
export async function countTokens(text: string): Promise<number> {
  if (text.length === 0) return 0;
  const { countTokens: count } = await loadTokenizer();
  return count(text, PLAIN_TEXT);
}

/**
 * Whether `text` fits in `limit` tokens. Skips loading the tokenizer when
 * the byte bound already fits, and stops encoding once the limit is passed.
 *
 * @param limit maximum number of tokens, inclusive
 */
export async function withinTokenLimit(text: string, limit: number): Promise<boolean> {
  if (tokenUpperBound(text) <= limit) return true;
  if (limit < 0) return false;
  const { isWithinTokenLimit } = await loadTokenizer();
  return isWithinTokenLimit(text, limit, PLAIN_TEXT) !== false;
}

/** Longest cache entry worth reading: a decimal count and a newline. */
const MAX_ENTRY_BYTES = 32;

/**
 * `countTokens(text)` through a persistent cache, so that checking or
 * storing the same body again does not load the tokenizer (~150 ms to
 * import; most real handoffs are over the byte bound of the default budget).
 *
 * Entries: `<cacheDir>/tokens/<hash64 of text>` (src/_hash.ts) holding the count in
 * decimal and a newline, written to a temporary file and renamed into
 * place (atomic on one file system, so a concurrent reader sees the whole
 * entry or none). An entry that is unreadable or not a count is ignored and
 * overwritten; a cache directory that cannot be created or written is
 * ignored silently (the count is still returned). About one new entry in
 * 256 prunes the cache to {@link TOKEN_CACHE_MAX_ENTRIES}.
 *
 * The lookup is synchronous and hashes in JavaScript: on a cache hit,
 * `check FILE` loads neither `node:crypto` nor `node:fs/promises` (~3.5 ms
 * of module loading together, for one small read).
 *
 * @param cacheDir the handoff cache directory (`resolvePaths(env).cache`, src/config.ts)
 * @returns the o200k_base token count, as `countTokens` returns it
 * @example await countTokensCached(body, resolvePaths(process.env).cache)
 */
export async function countTokensCached(text: string, cacheDir: string): Promise<number> {
  if (text.length === 0) return 0;
  const dir = join(cacheDir, 'tokens');
  const key = hash64(text);
  const file = join(dir, key);
  const cached = readEntry(file);
  if (cached !== null) return cached;
  const n = await countTokens(text);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, `${n}\n`);
    renameSync(tmp, file);
    // About one new entry in 256 (those whose key starts with `00`) prunes the cache.
    if (key.startsWith('00')) pruneTokenCache(cacheDir);
  } catch {
    // Read-only or full cache: counting still works, only slower next time.
    try {
      rmSync(tmp, { force: true });
    } catch {}
  }
  return n;
}

/** Entries the token cache keeps (~4 KB of disk each): about a year of handoffs for one person. */
export const TOKEN_CACHE_MAX_ENTRIES = 2048;

/**
 * Removes the oldest entries (by mtime: when they were counted) of
 * `<cacheDir>/tokens` beyond `max`. Temporary files of writers in progress
 * are left alone; entries another process removes meanwhile are skipped.
 * @returns how many entries were removed (0 when the directory is missing)
 */
export function pruneTokenCache(cacheDir: string, max = TOKEN_CACHE_MAX_ENTRIES): number {
  const dir = join(cacheDir, 'tokens');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^[0-9a-f]{16}$/.test(n));
  } catch {
    return 0;
  }
  if (names.length <= max) return 0;
  const dated: Array<[number, string]> = [];
  for (const name of names) {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    if (st) dated.push([st.mtimeMs, name]);
  }
  dated.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  let removed = 0;
  for (const [, name] of dated.slice(0, Math.max(0, dated.length - max))) {
    try {
      rmSync(join(dir, name), { force: true });
      removed++;
    } catch {}
  }
  return removed;
}

function readEntry(file: string): number | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(MAX_ENTRY_BYTES + 1);
    const bytesRead = readSync(fd, buf, 0, buf.length, 0);
    const m = /^(\d{1,15})\n$/.exec(buf.toString('latin1', 0, bytesRead));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // absent, a directory, unreadable: count again
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
  }
}

/** Whether the tokenizer has been requested in this process (for tests and benchmarks of cold paths). */
export function isTokenizerLoaded(): boolean {
  return tokenizer !== null;
}
