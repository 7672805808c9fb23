/**
 * The index: a SQLite (FTS5, better-sqlite3) cache over one store, in
 * `<cacheDir>/<indexFileName(store.location)>` (design.md, "Stores and the
 * index"). It is never needed for correctness: a missing, corrupt or
 * old-schema database is deleted and rebuilt from the files, and an
 * unwritable cache directory means an in-memory database and a warning.
 *
 * Sync (design.md, "Decisions" > "Stores, index, speed"):
 * - every call: one stat of the store directory (`store.version()`) and one
 *   SELECT of the meta table; same token and a full scan less than
 *   {@link FULL_SCAN_INTERVAL_MS} ago => nothing to do (the hot path);
 * - token changed (files added, removed, renamed; `git pull`/checkout;
 *   editors that save by rename; this tool's own writes) => the directory is
 *   listed; when the digest of its names equals the digest of the indexed
 *   keys (meta `keys_digest`, kept by every write), nothing else is done.
 *   Otherwise the key list is diffed against the index and only new keys are
 *   read and parsed, gone keys deleted;
 * - once a minute, on `rescan`, and on the first sync => a full stat scan
 *   re-parses files whose mtime or size changed. An edit made in place
 *   (same directory entry, e.g. `echo >> file`) is therefore seen within a
 *   minute, or at once with `--rescan`.
 *
 * Files whose front matter cannot be read, or breaks the schema, are
 * reported in `SyncReport.errors` (by path) and not served; every other file
 * still is. Ids shared by several files are reported in `duplicates`.
 *
 * Layout: `handoffs` (metadata, front matter, and its sections as JSON:
 * heading, canonical name, offsets, cached token count), one FTS5 table
 * holding the text once (name, summary, tags, `other`, one column per
 * canonical section: see FTS_COLUMNS), `failures`, `meta` (store version
 * token, last full scan, duplicate ids, digest of the indexed keys). The database schema version is
 * `user_version`.
 *
 * `handoffs` also holds each handoff's `list` cells (`list_*`, see
 * list-table.ts), and `handoffs_created` (the list order) carries every
 * column `list` prints: the table of 10k handoffs is read from that index
 * alone (~260 8 KiB pages) instead of one multi-KB row page per handoff.
 * It is ascending (scanned backwards): file names begin with their date,
 * so a rebuild indexes the oldest first, and a new handoff is the newest;
 * entries are appended and pages fill. A descending index split its first
 * page on every insert and was half empty (~470 pages).
 *
 * Rebuild speed (measured on 2 cores, 10k-100k synthetic handoffs of ~3 KB):
 * the FTS insert is most of the cost. A larger FTS5 pending-terms buffer
 * (`hashsize` 8 MiB instead of 1 MiB) and `automerge` 16 (instead of 4)
 * write fewer, larger segments and merge them less often: ~180 -> ~100 µs
 * a file at 100k, with no measurable cost to queries. 8 KiB pages hold two
 * ~3 KB texts where 4 KiB pages held one (index ~10% smaller). An external-
 * content or contentless FTS table was measured too: the text is stored
 * once either way (handoffs.content is null unless the parser's pieces do
 * not add up), inserts were not faster (~118 vs ~122 µs), and contentless
 * tables lose snippet() and highlight().
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { HandoffError, InvalidInputError, NotFoundError, StoreError } from '../errors.js';
import { CANONICAL_SECTIONS } from '../format/constants.js';
import type { HandoffSummary, SearchHit } from '../format/schema.js';
import type { ParsedHandoff } from '../format/types.js';
import {
  buildRow,
  CJK,
  type DocRow,
  derivedId,
  FIRST_SECTION_COLUMN,
  FTS_COLUMNS,
  type Failure,
  isoFromMs,
  type PrepareInput,
  type Prepared,
  packSections,
  prepareDoc,
  type RowParsers,
  redate,
  sectionTexts,
  unpackSections,
  validDate,
  validId,
} from './_index-rows.js';
import type { ParseRequest, ParseResponse, WorkerResult } from './parse-worker.js';
import { hash64, setDigest, updateSetDigest } from '../_hash.js';
import { LIST_HEADER, listTableHeader, localTime, renderListTable } from './list-table.js';
import { openSqlite } from './sqlite.js';
import type {
  HandoffFilter,
  HandoffIndex,
  HandoffStore,
  IndexedSection,
  ListColumns,
  StoreEntry,
  SyncReport,
} from './types.js';

/** Bumped whenever the tables change; a database with another version is rebuilt. */
export const SCHEMA_VERSION = 5; // 5: list_* cells; handoffs_created ascending, covers `list`; 4: sections as JSON in handoffs; 8 KiB pages; FTS hashsize/automerge

/** A full stat scan of the store runs at most this often without `rescan` (milliseconds). */
export const FULL_SCAN_INTERVAL_MS = 60_000;

/** Files read, parsed and written per transaction while syncing. Bounds memory on a rebuild. */
export const SYNC_BATCH_SIZE = 1000;

/** `onProgress` is called only when a sync has at least this many files to (re)index. */
export const PROGRESS_MIN_FILES = 500;

/**
 * A sync with more files than this to (re)index reads and parses them in
 * worker threads (when available). Starting a worker costs ~30-50 ms;
 * measured on 2 cores, 1,000 new files in a 100k store synced in ~0.78 s
 * with one worker against ~0.97 s without (since the workers read the files
 * and this thread parses while they start: ~0.6 s).
 */
export const PARSE_WORKER_MIN_FILES = 500;

/** Options of {@link openIndex}. */
export interface IndexOptions {
  /** Directory for the database files (`HANDOFF_CACHE` or `$XDG_CACHE_HOME/handoff`); created 0700 when missing. */
  cacheDir: string;
  /** Called with a one-line note when the index falls back to memory or had to be rebuilt. */
  onWarning?: (message: string) => void;
  /**
   * Parse workers for syncs of more than {@link PARSE_WORKER_MIN_FILES} files.
   * Default: one fewer than the CPU cores, at least 1 and at most 2 (on 2
   * cores, one worker plus this thread measured fastest); 0 parses here.
   * Used only when the built `parse-worker.js` is found (see parse-worker.ts).
   */
  parseWorkers?: number;
}

// unicode61 folds case and (with remove_diacritics 2) accents of every
// Latin-script language; `_` joins identifiers such as `user_id` into one
// token. `-` and `.` stay separators: a query for `off-ind` or `handler.go`
// becomes a phrase of adjacent tokens, which still matches exactly.
const TOKENIZER = `unicode61 remove_diacritics 2 tokenchars '_'`;

/** BM25 column weights, in FTS_COLUMNS order: a match in the name or summary counts most. */
const BM25_WEIGHTS = ['10.0', '5.0', '3.0', ...FTS_COLUMNS.slice(3).map(() => '1.0')].join(', ');

/**
 * FTS5 pending-terms buffer per connection (bytes; default 1 MiB): the
 * terms of ~1,000 handoffs are flushed as one segment instead of ~4. Bounds
 * the memory a write transaction holds.
 */
const FTS_HASH_BYTES = 8 * 1024 * 1024;

/** FTS5 segments of one level merged together (default 4): fewer merges while building. */
const FTS_AUTOMERGE = 16;

/** Page size of new index files: two ~3 KB handoff texts per page instead of one. */
const PAGE_SIZE = 8192;

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS handoffs (
  rid INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  id TEXT NOT NULL,
  name TEXT,
  project TEXT,
  summary TEXT,
  tags TEXT NOT NULL,
  created TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires TEXT,
  expires_ms INTEGER,
  work_type TEXT,
  agent TEXT,
  branch TEXT,
  git_commit TEXT,
  parent TEXT,
  auto INTEGER NOT NULL,
  mtime REAL NOT NULL,
  size INTEGER NOT NULL,
  front_matter TEXT NOT NULL,
  content TEXT,
  has_front_matter INTEGER NOT NULL,
  has_cjk INTEGER NOT NULL,
  sections TEXT NOT NULL,
  list_name TEXT NOT NULL,
  list_project TEXT NOT NULL,
  list_tags TEXT NOT NULL,
  list_summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS handoffs_created ON handoffs(created_ms, mtime, key,
  expires_ms, id, expires, list_name, list_project, list_tags, list_summary);
CREATE INDEX IF NOT EXISTS handoffs_id ON handoffs(id);
CREATE INDEX IF NOT EXISTS handoffs_name ON handoffs(name);
CREATE INDEX IF NOT EXISTS handoffs_project ON handoffs(project);
CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, mtime REAL NOT NULL, size INTEGER NOT NULL, message TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(${FTS_COLUMNS.join(', ')}, tokenize="${TOKENIZER}");
INSERT INTO fts(fts, rank) VALUES('hashsize', ${FTS_HASH_BYTES});
INSERT INTO fts(fts, rank) VALUES('automerge', ${FTS_AUTOMERGE});
`;

/** Built once: a statement's SQL is its cache key, and a new string per row cost a hash of ~500 characters. */
const FTS_INSERT_SQL = `INSERT INTO fts (rowid, ${FTS_COLUMNS.join(', ')})
  VALUES (CAST(? AS INTEGER)${', CAST(? AS TEXT)'.repeat(FTS_COLUMNS.length)})`;

const SUMMARY_COLUMNS =
  'h.key, h.id, h.name, h.project, h.summary, h.tags, h.created, h.expires, h.expires_ms, h.work_type, h.agent, h.branch, h.git_commit, h.parent, h.auto';

/** The `list` table's columns, in {@link ListColumns} order. */
const LIST_TABLE_COLUMNS = 'h.id, h.name, h.project, h.tags, h.expires, h.summary';

/**
 * The EXPIRES cell in SQL: {@link localTime} of `expires` as SQLite's C
 * library sees the local time zone (checked against localTime before use).
 * Milliseconds divided as a real: integer division rounds toward zero, so
 * the last millisecond of a minute before 1970 would show the next minute.
 */
const LIST_EXPIRES_CELL = `CASE WHEN h.expires IS NULL THEN 'never'
  ELSE strftime('%Y-%m-%d %H:%M', h.expires_ms / 1000.0, 'unixepoch', 'localtime') END`;

/** A row of {@link SUMMARY_COLUMNS} read as an object: the `handoffs` columns a summary needs. */
type SummaryRow = Pick<
  DocRow,
  | 'key'
  | 'id'
  | 'name'
  | 'project'
  | 'summary'
  | 'tags'
  | 'created'
  | 'expires'
  | 'expires_ms'
  | 'work_type'
  | 'agent'
  | 'branch'
  | 'git_commit'
  | 'parent'
  | 'auto'
>;

interface Meta {
  version: string | null;
  scannedAt: number | null;
  duplicates: string | null;
  hasFailures: number;
  /** `setDigest` (src/_hash.ts) of every key with a row (handoffs and failures); null until a sync lists the store. */
  keys: string | null;
}

type Db = Database.Database;
type Statement = Database.Statement;
type Progress = (done: number, total: number) => void;

/**
 * Opens (creating or rebuilding as needed) the index of `store`.
 *
 * - File stores: `<cacheDir>/<indexFileName(store.location)>`,
 *   WAL mode, `busy_timeout` 10 s (several processes may sync at once),
 *   `synchronous=NORMAL` (a crash can lose the last sync, which the next
 *   sync redoes from the files).
 * - A corrupt file (`SQLITE_CORRUPT`, `SQLITE_NOTADB`) or another schema
 *   version: deleted and rebuilt on the next `sync()`.
 * - Cache directory unwritable, or a memory store: an in-memory database;
 *   for the former `onWarning("index unavailable (...); working without it, slower")`.
 *
 * Call `sync()` before the read methods. Never throws for a cache problem.
 * @example const index = openIndex(store, { cacheDir: resolvePaths().cache }); await index.sync();
 */
export function openIndex(store: HandoffStore, options: IndexOptions): HandoffIndex {
  const warn = options.onWarning ?? (() => {});
  const dbPath = store.kind === 'memory' ? null : join(options.cacheDir, indexFileName(store.location));
  let db: Db;
  let path: string | null = dbPath;
  if (dbPath === null) {
    db = openDatabase(':memory:');
  } else {
    try {
      db = openFileDatabase(options.cacheDir, dbPath, warn);
    } catch (e) {
      warn(`index unavailable (${describeError(e)}); working without it, slower`);
      db = openDatabase(':memory:');
      path = null;
    }
  }
  const parseWorkers = options.parseWorkers ?? Math.min(2, Math.max(1, availableParallelism() - 1));
  return new SqliteIndex(store, db, path, options.cacheDir, warn, parseWorkers);
}

/**
 * The index file name for a store location: `<hash64(location)>.db`
 * (src/_hash.ts; no node:crypto on the way to the first answer).
 * @example indexFileName('/home/me/repo/docs/session_handoffs') // '3f0c9a6e1b2d4c58.db'
 */
export function indexFileName(location: string): string {
  return `${hash64(location)}.db`;
}

function openDatabase(file: string): Db {
  // busy_timeout through the constructor: set in C at open, no statement needed.
  const db = openSqlite(file, { timeout: 10_000 });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      throw new SchemaMismatch(version);
    }
    if (version === 0) {
      // Persistent settings, set once on the new file: the page size takes
      // effect only before WAL mode writes its header; WAL stays on.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      if (file !== ':memory:') db.pragma('journal_mode = WAL');
      // IMMEDIATE: several processes may open a new cache at the same time; one creates, the others wait.
      db.transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) === 0) {
          db.exec(SCHEMA_SQL);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }
      }).immediate();
    }
    // Per connection; NORMAL is safe in WAL mode (a crash may lose the last
    // commits, never corrupt) and this is a cache that is rebuilt anyway.
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

class SchemaMismatch extends Error {
  constructor(version: number) {
    super(`index schema ${version}, expected ${SCHEMA_VERSION}`);
  }
}

function openFileDatabase(cacheDir: string, dbPath: string, warn: (m: string) => void): Db {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  try {
    return openDatabase(dbPath);
  } catch (e) {
    if (!(e instanceof SchemaMismatch) && !isCorruption(e)) throw e;
    if (!(e instanceof SchemaMismatch)) warn(`index ${dbPath} was corrupt (${describeError(e)}); rebuilding it`);
    removeDatabaseFiles(dbPath);
    return openDatabase(dbPath);
  }
}

function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function removeDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbPath + suffix, { force: true });
}

/** Library errors pass through; a database failure becomes a StoreError that says what to do. */
function toStoreError(e: unknown, path: string | null): unknown {
  if (e instanceof HandoffError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const where = path ?? 'in memory';
  if (code.startsWith('SQLITE_BUSY')) {
    return new StoreError(`the index ${where} is busy (another handoff process holds it); retry in a moment`, {
      cause: e,
    });
  }
  return new StoreError(`the index ${where} failed (${describeError(e)}); delete it to rebuild, it is only a cache`, {
    cause: e,
  });
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | null;
  if (err?.code && err.message && !err.message.includes(err.code)) return `${err.code}: ${err.message}`;
  return err?.message ?? String(e);
}

class SqliteIndex implements HandoffIndex {
  readonly #store: HandoffStore;
  readonly #cacheDir: string;
  readonly #warn: (m: string) => void;
  #db: Db;
  #path: string | null;
  readonly #statements = new Map<string, Statement>();
  readonly #parseWorkers: number;
  #syncing: Promise<void> = Promise.resolve();

  constructor(
    store: HandoffStore,
    db: Db,
    path: string | null,
    cacheDir: string,
    warn: (m: string) => void,
    parseWorkers: number,
  ) {
    this.#store = store;
    this.#parseWorkers = parseWorkers;
    this.#db = db;
    this.#path = path;
    this.#cacheDir = cacheDir;
    this.#warn = warn;
  }

  get path(): string | null {
    return this.#path;
  }

  /** Prepared once per SQL text. Each text is used in one mode only (`raw`/`pluck` stick to a statement). */
  #stmt(sql: string): Statement {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** A file path for messages: absolute for file stores, the key for the memory store. */
  #display(key: string): string {
    return this.#store.kind === 'memory' ? key : join(this.#store.location, key);
  }

  async sync(options: { rescan?: boolean; onProgress?: Progress } = {}): Promise<SyncReport> {
    // One sync at a time per index (an MCP server may get two requests at once):
    // a sync holds a write transaction across awaits.
    const previous = this.#syncing;
    let release!: () => void;
    this.#syncing = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    try {
      return await this.#syncOrRebuild(options);
    } finally {
      release();
    }
  }

  async #syncOrRebuild(options: { rescan?: boolean; onProgress?: Progress }): Promise<SyncReport> {
    try {
      return await this.#sync(options);
    } catch (e) {
      if (!isCorruption(e) || this.#path === null) throw toStoreError(e, this.#path);
      // The cache went bad under us (disk trouble, a cache on a network file
      // system): start over from the files.
      this.#warn(`index ${this.#path} was corrupt (${describeError(e)}); rebuilding it`);
      this.#db.close();
      this.#statements.clear();
      removeDatabaseFiles(this.#path);
      try {
        this.#db = openFileDatabase(this.#cacheDir, this.#path, this.#warn);
      } catch (e2) {
        this.#warn(`index unavailable (${describeError(e2)}); working without it, slower`);
        this.#db = openDatabase(':memory:');
        this.#path = null;
      }
      try {
        return await this.#sync({ ...options, rescan: true });
      } catch (e2) {
        throw toStoreError(e2, this.#path);
      }
    }
  }

  /**
   * Runs a read or a small write. A corrupt database found here is deleted
   * (the next command rebuilds it) and reported as a StoreError; other
   * SQLite failures become StoreErrors too.
   */
  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isCorruption(e) && this.#path !== null) {
        const path = this.#path;
        this.#db.close();
        this.#statements.clear();
        removeDatabaseFiles(path);
        throw new StoreError(
          `the index ${path} was corrupt and has been deleted; run the command again to rebuild it`,
          {
            cause: e,
          },
        );
      }
      throw toStoreError(e, this.#path);
    }
  }

  async #sync(options: { rescan?: boolean; onProgress?: Progress }): Promise<SyncReport> {
    const store = this.#store;
    const started = Date.now();
    const version = await store.version();
    const meta = this.#stmt(
      `SELECT (SELECT v FROM meta WHERE k = 'store_version') AS version,
              (SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'scanned_at') AS scannedAt,
              (SELECT v FROM meta WHERE k = 'duplicates') AS duplicates,
              (SELECT v FROM meta WHERE k = 'keys_digest') AS keys,
              EXISTS (SELECT 1 FROM failures) AS hasFailures`,
    ).get() as Meta;
    const fullScan =
      options.rescan === true || meta.scannedAt === null || started - meta.scannedAt >= FULL_SCAN_INTERVAL_MS;
    const unchanged = () => this.#report(meta, { added: 0, updated: 0, removed: 0, scanned: false });
    if (!fullScan && version === meta.version) return unchanged();
    // The directory changed (often only by this tool's own writes, already
    // indexed by noteWritten): if its names are the keys the index holds, as
    // their digest says, nothing needs reading. Costs the listing, not a read
    // of every key from the index (~25 ms less for a store after a store in
    // 10k). The digest was read before the listing, so a file another
    // process adds meanwhile shows as a mismatch, never as a match.
    let names: string[] | null = null;
    if (!fullScan && meta.keys !== null) {
      names = await (store.names?.() ?? store.keys());
      if (setDigest(names) === meta.keys) {
        this.#setMeta('store_version', version);
        return unchanged();
      }
    }

    // Read what the index holds BEFORE listing the store: a row another
    // process adds meanwhile (its file was created before its row) is then
    // either absent from this snapshot or present in the listing, so it is
    // never deleted by mistake. (The digest check's listing came first; its
    // gone keys are checked on disk below.)
    // Rows as arrays (`raw`): building 100k objects costs more than the query.
    // A key diff needs the keys only, which SQLite reads from the small key index.
    const known = new Map<string, [mtime: number, size: number] | null>();
    for (const table of ['handoffs', 'failures']) {
      if (fullScan) {
        const rows = this.#stmt(`SELECT key, mtime, size FROM ${table}`).raw().all() as Array<[string, number, number]>;
        for (const [key, mtime, size] of rows) known.set(key, [mtime, size]);
      } else {
        for (const key of this.#stmt(`SELECT key FROM ${table}`).pluck().all() as string[]) known.set(key, null);
      }
    }

    // A key alone (not yet stat'ed) is stat'ed when its file is read, by the
    // thread that reads it: a rebuild of 100k files saves 100k stats here.
    // Listed keys are taken out of `known` as they are seen; what is left is gone.
    const toIndex: Pending[] = [];
    const listed: string[] = [];
    const rebuild = known.size === 0;
    if (fullScan && !rebuild) {
      for (const entry of await store.list()) {
        listed.push(entry.key);
        const k = known.get(entry.key);
        if (k !== undefined) known.delete(entry.key);
        if (!k || k[0] !== entry.mtimeMs || k[1] !== entry.size) toIndex.push(entry);
      }
    } else {
      // Not a full scan, or a (re)build: nothing to compare mtimes with, so no stat here.
      for (const key of names ?? (await store.keys())) {
        listed.push(key);
        if (!known.delete(key)) toIndex.push(key);
      }
      // Name order (for file stores: date order) instead of directory order:
      // neighbouring rows of the key and date indexes are written together.
      if (rebuild) (toIndex as string[]).sort();
    }
    let gone = [...known.keys()];
    known.clear();
    // A listing made before the index was read (the digest check above, reused: a second listing of
    // 100k files cost ~150 ms) may miss a file whose row another process added meanwhile: such a key
    // is gone only if its file is gone now.
    if (names !== null && gone.length > 0) {
      const present = await Promise.all(gone.map((key) => store.stat(key)));
      for (const [i, key] of gone.entries()) if (present[i] !== null) listed.push(key);
      gone = gone.filter((_, i) => present[i] === null);
    }

    const counts = { added: 0, updated: 0, removed: 0 };
    const touchedIds: string[] = [];
    const unlisted = gone.length;
    if (toIndex.length > 0) {
      const progress = toIndex.length >= PROGRESS_MIN_FILES ? options.onProgress : undefined;
      await this.#indexEntries(toIndex, counts, gone, touchedIds, progress);
    }
    // The keys the index holds after this sync: the listed ones, less the files that vanished
    // before they were read (#indexEntries appends those to `gone`).
    const vanished = new Set(gone.slice(unlisted));
    const keysDigest = setDigest(vanished.size > 0 ? listed.filter((k) => !vanished.has(k)) : listed);

    this.#db
      .transaction(() => {
        const goneIds: string[] = [];
        for (const key of gone) {
          const id = this.#deleteDoc(key);
          if (id !== null) {
            counts.removed++;
            goneIds.push(id);
          }
        }
        if (this.#duplicatesTouched(meta.duplicates, touchedIds, goneIds)) this.#refreshDuplicates();
        this.#setMeta('store_version', version);
        this.#setMeta('keys_digest', keysDigest);
        if (fullScan) this.#setMeta('scanned_at', String(started));
      })
      .immediate();
    const after = this.#stmt(
      `SELECT (SELECT v FROM meta WHERE k = 'duplicates') AS duplicates, EXISTS (SELECT 1 FROM failures) AS hasFailures`,
    ).get() as Meta;
    return this.#report(after, { ...counts, scanned: fullScan });
  }

  /**
   * Reads, parses and writes `entries`, one transaction per
   * {@link SYNC_BATCH_SIZE} files. In this thread each file is written as
   * soon as it is parsed, so memory stays flat however big the store; with
   * parse workers, small chunks are read and parsed ahead while this thread
   * writes. Keys whose file vanished meanwhile are appended to `gone`.
   */
  async #indexEntries(
    entries: Pending[],
    counts: { added: number; updated: number },
    gone: string[],
    touchedIds: string[],
    progress: Progress | undefined,
  ): Promise<void> {
    const total = entries.length;
    progress?.(0, total);
    const parsers = await loadParsers();
    const pool =
      total > PARSE_WORKER_MIN_FILES && this.#parseWorkers > 0 ? await ParsePool.start(this.#parseWorkers) : null;
    const source = pool
      ? this.#preparedByPool(entries, pool, parsers, gone)
      : this.#preparedHere(entries, parsers, gone);
    let gitDates: Map<string, string> | null = null;
    let done = 0;
    let inBatch = 0;
    const db = this.#db;
    // A large (re)build skips fsync until it is done (~15% faster here). The
    // database is a cache: a crash of the OS meanwhile can at worst corrupt
    // it, which the next open detects and answers with a rebuild.
    const bulk = total > PARSE_WORKER_MIN_FILES;
    if (bulk) db.pragma('synchronous = OFF');
    try {
      for await (const prepared of source) {
        if ('row' in prepared && prepared.datedByMtime) {
          // One git call per sync, made only when some file has no `created`.
          gitDates ??= this.#store.firstCommitDates
            ? await this.#store.firstCommitDates(entries.map(keyOf))
            : new Map<string, string>();
          const date = gitDates.get(prepared.row.key);
          if (date) redate(prepared.row, date);
        }
        if (inBatch === 0) db.exec('BEGIN IMMEDIATE');
        const previousId = this.#write(prepared, counts);
        // Past DUPLICATE_CHECK_LIMIT ids the duplicates are regrouped anyway: stop collecting.
        if (touchedIds.length <= DUPLICATE_CHECK_LIMIT) {
          if ('row' in prepared) touchedIds.push(prepared.row.id);
          if (previousId !== null) touchedIds.push(previousId);
        }
        done++;
        if (++inBatch === SYNC_BATCH_SIZE) {
          db.exec('COMMIT');
          inBatch = 0;
          progress?.(done, total);
        }
      }
      if (inBatch > 0) db.exec('COMMIT');
      progress?.(total, total);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    } finally {
      // The WAL is fsynced at the next checkpoint (SQLite runs one every 1,000 pages).
      if (bulk && db.open) db.pragma('synchronous = NORMAL');
      await pool?.close();
    }
  }

  /** Writes one prepared file: its rows, or its failure. Returns the id the key had before, if any. */
  #write(prepared: Prepared, counts: { added: number; updated: number }): string | null {
    if ('row' in prepared) {
      const previousId = this.#deleteDoc(prepared.row.key);
      if (previousId !== null) counts.updated++;
      else counts.added++;
      this.#insertDoc(prepared.row);
      return previousId;
    } else {
      const f = prepared.failure;
      const previousId = this.#deleteDoc(f.key);
      if (previousId !== null) counts.updated++;
      this.#stmt('INSERT INTO failures (key, mtime, size, message) VALUES (?, ?, ?, ?)').run(
        f.key,
        f.mtime,
        f.size,
        f.message,
      );
      return previousId;
    }
  }

  /**
   * Whether the duplicate-id list may have changed: an id just written now
   * has more than one row, or an id written or removed was listed before.
   * Saves a GROUP BY over every row on each sync of a large store.
   */
  #duplicatesTouched(listed: string | null, touched: string[], removed: string[]): boolean {
    // Past a few thousand lookups, one GROUP BY over the id index is cheaper.
    if (touched.length + removed.length > DUPLICATE_CHECK_LIMIT) return true;
    const before = new Set((listed ? (JSON.parse(listed) as Array<{ id: string }>) : []).map((d) => d.id));
    if ([...touched, ...removed].some((id) => before.has(id))) return true;
    const count = this.#stmt('SELECT count(*) AS n FROM handoffs WHERE id = ?');
    return touched.some((id) => (count.get(id) as { n: number }).n > 1);
  }

  /** Stats (when only the key is known) and reads one entry; null when it vanished (appended to `gone`). */
  async #readInput(pending: Pending, gone: string[]): Promise<PrepareInput | { failure: Failure } | null> {
    const key = keyOf(pending);
    const entry = typeof pending === 'string' ? await this.#store.stat(key) : pending;
    if (entry === null) {
      gone.push(key);
      return null;
    }
    try {
      return { entry, text: await this.#store.read(key), path: this.#display(key) };
    } catch (e) {
      if (e instanceof NotFoundError) {
        gone.push(key);
        return null;
      }
      return { failure: failureOf(entry, e) };
    }
  }

  /** Reads and prepares one entry in this thread; null when it vanished. */
  async #prepareHere(pending: Pending, parsers: RowParsers, gone: string[]): Promise<Prepared | null> {
    const input = await this.#readInput(pending, gone);
    if (input === null) return null;
    return 'text' in input ? prepareDoc(input, parsers) : input;
  }

  async *#preparedHere(entries: Pending[], parsers: RowParsers, gone: string[]): AsyncGenerator<Prepared> {
    for (const pending of entries) {
      const prepared = await this.#prepareHere(pending, parsers, gone);
      if (prepared !== null) yield prepared;
    }
  }

  /**
   * Files prepared by the pool, {@link PARSE_CHUNK} at a time with a few
   * chunks in flight, in order except for the chunks this thread prepares
   * itself from the end of the list while the workers start. The workers
   * read (and stat) the files of a file store themselves; for other stores
   * this thread reads and sends the texts. Falls back to this thread if a
   * worker dies.
   */
  async *#preparedByPool(
    entries: Pending[],
    pool: ParsePool,
    parsers: RowParsers,
    gone: string[],
  ): AsyncGenerator<Prepared> {
    const direct = this.#store.kind !== 'memory';
    const inFlight: Array<Promise<{ rows: Prepared[]; buffer: ArrayBuffer | null }>> = [];
    let next = 0;
    /** Entries from `end` on are prepared in this thread (see below). */
    let end = entries.length;
    /** This thread's answer for a chunk: a worker died, or a file needs the store's own read. */
    const prepareHere = async (chunk: Pending[]): Promise<Prepared[]> => {
      const results: Prepared[] = [];
      for (const pending of chunk) {
        const prepared = await this.#prepareHere(pending, parsers, gone);
        if (prepared !== null) results.push(prepared);
      }
      return results;
    };
    const collect = async (results: WorkerResult[], chunk: Pending[]): Promise<Prepared[]> => {
      const out: Prepared[] = [];
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if ('gone' in r) gone.push(r.gone);
        else if ('retry' in r) out.push(...(await prepareHere([chunk[i]!])));
        else out.push(r);
      }
      return out;
    };
    const send = async (): Promise<void> => {
      const chunk = entries.slice(next, Math.min(next + PARSE_CHUNK, end));
      next += chunk.length;
      if (direct) {
        const keys = chunk.map(keyOf);
        inFlight.push(
          pool.request({ dir: this.#store.location, keys }).then(
            async (r) => ({ rows: await collect(r.results, chunk), buffer: r.buffer }),
            async () => ({ rows: await prepareHere(chunk), buffer: null }),
          ),
        );
        return;
      }
      const inputs: PrepareInput[] = [];
      const early: Prepared[] = [];
      for (const pending of chunk) {
        const input = await this.#readInput(pending, gone);
        if (input === null) continue;
        if ('text' in input) inputs.push(input);
        else early.push(input);
      }
      inFlight.push(
        pool.request({ items: inputs }).then(
          (r) => ({ rows: [...(r.results as Prepared[]), ...early], buffer: r.buffer }),
          async () => {
            const rows: Prepared[] = [...early];
            for (const input of inputs) rows.push(await prepareDoc(input, parsers));
            return { rows, buffer: null };
          },
        ),
      );
    };
    while (next < end && inFlight.length < pool.size * CHUNKS_IN_FLIGHT) await send();
    // Until the first answer comes (a worker starts in ~30-60 ms: a thread and
    // its modules), this thread prepares chunks from the end of the list: ~0.1 s
    // of a 1,000-file sync. Not in large syncs, where it saves nothing that
    // counts and, in half the 100k rebuilds measured, left V8 promoting ~3 MB
    // per young-generation collection for the rest of the run (peak RSS ~210
    // MB instead of ~157).
    let answered = inFlight.length === 0 || entries.length > LOCAL_HEAD_MAX_FILES;
    const markAnswered = () => {
      answered = true;
    };
    inFlight[0]?.then(markAnswered, markAnswered);
    while (!answered && end > next) {
      const chunk = entries.slice(Math.max(next, end - PARSE_CHUNK), end);
      end -= chunk.length;
      yield* await prepareHere(chunk);
      // Reading is synchronous: let a worker's message in before deciding again.
      await new Promise((resolve) => setImmediate(resolve));
    }
    while (inFlight.length > 0) {
      const { rows, buffer } = await inFlight.shift()!;
      if (next < end) await send();
      yield* rows;
      // Every row of the chunk is written now (for-await ran its body for each).
      pool.recycle(buffer);
    }
  }

  /** Deletes a key's rows (handoff, FTS, failure); returns the id it had, or null when it had no handoff row. */
  #deleteDoc(key: string): string | null {
    return this.#deleteKey(key).id;
  }

  /** {@link #deleteDoc}, also telling whether the key had any row (a failure counts). */
  #deleteKey(key: string): { id: string | null; existed: boolean } {
    const failed = this.#stmt('DELETE FROM failures WHERE key = ?').run(key).changes > 0;
    const row = this.#stmt('SELECT rid, id FROM handoffs WHERE key = ?').get(key) as
      | { rid: number; id: string }
      | undefined;
    if (!row) return { id: null, existed: failed };
    this.#stmt('DELETE FROM fts WHERE rowid = CAST(? AS INTEGER)').run(row.rid);
    this.#stmt('DELETE FROM handoffs WHERE rid = ?').run(row.rid);
    return { id: row.id, existed: true };
  }

  #insertDoc(doc: DocRow): void {
    // Positional parameters: cheaper than binding a 27-key object per row.
    // CAST: large texts may come as UTF-8 bytes from a parse worker (RowText).
    const rid = this.#stmt(
      `INSERT INTO handoffs (key, id, name, project, summary, tags, created, created_ms, expires, expires_ms, work_type,
         agent, branch, git_commit, parent, auto, mtime, size, front_matter, content, has_front_matter, has_cjk, sections,
         list_name, list_project, list_tags, list_summary)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT), ?, ?, CAST(? AS TEXT),
         ?, ?, ?, ?)`,
    ).run(
      doc.key,
      doc.id,
      doc.name,
      doc.project,
      doc.summary,
      doc.tags,
      doc.created,
      doc.created_ms,
      doc.expires,
      doc.expires_ms,
      doc.work_type,
      doc.agent,
      doc.branch,
      doc.git_commit,
      doc.parent,
      doc.auto,
      doc.mtime,
      doc.size,
      doc.front_matter,
      doc.content,
      doc.has_front_matter,
      doc.has_cjk,
      doc.sections,
      doc.list_name,
      doc.list_project,
      doc.list_tags,
      doc.list_summary,
    ).lastInsertRowid;
    this.#stmt(FTS_INSERT_SQL).run(rid, ...doc.fts);
  }

  /** The duplicate-id list and the indexed keys' digest (meta `duplicates`, `keys_digest`), read in one statement. */
  #metaPair(): [duplicates: string | null, keysDigest: string | null] {
    const s = this.#stmt(
      `SELECT (SELECT v FROM meta WHERE k = 'duplicates'), (SELECT v FROM meta WHERE k = 'keys_digest') -- raw`,
    );
    s.raw(true);
    return s.get() as [string | null, string | null];
  }

  #setMeta(k: string, v: string | null): void {
    this.#stmt('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)').run(k, v);
  }

  #refreshDuplicates(): void {
    const rows = this.#stmt(
      `SELECT id, json_group_array(key) AS keys FROM
         (SELECT id, key FROM handoffs WHERE id IN (SELECT id FROM handoffs GROUP BY id HAVING count(*) > 1) ORDER BY id, key)
       GROUP BY id ORDER BY id`,
    ).all() as Array<{ id: string; keys: string }>;
    this.#setMeta('duplicates', JSON.stringify(rows.map((r) => ({ id: r.id, keys: JSON.parse(r.keys) as string[] }))));
  }

  #report(
    meta: Pick<Meta, 'duplicates' | 'hasFailures'>,
    counts: Omit<SyncReport, 'errors' | 'duplicates'>,
  ): SyncReport {
    const errors = meta.hasFailures
      ? (this.#stmt('SELECT key, message FROM failures ORDER BY key').all() as Failure[]).map((f) => ({
          path: this.#display(f.key),
          message: f.message,
        }))
      : [];
    const dups = meta.duplicates ? (JSON.parse(meta.duplicates) as Array<{ id: string; keys: string[] }>) : [];
    return {
      ...counts,
      errors,
      duplicates: dups.map((d) => ({ id: d.id, paths: d.keys.map((k) => this.#display(k)) })),
    };
  }

  list(filter: HandoffFilter = {}): HandoffSummary[] {
    return this.#guard(() => this.#list(filter));
  }

  #list(filter: HandoffFilter): HandoffSummary[] {
    const now = Date.now();
    return (this.#listRaw(SUMMARY_COLUMNS, filter, now) as RawSummaryRow[]).map((r) => rawToSummary(r, now));
  }

  listTable(filter: HandoffFilter = {}): Buffer {
    return this.#guard(() => this.#listTable(filter));
  }

  /**
   * The `list` table rendered by SQLite into one UTF-8 blob, from the cells
   * stored at index time (list-table.ts) and the covering index
   * `handoffs_created`: a cold `list` of 10k handoffs spent most of its time
   * making ~50k JavaScript strings (six cells a row), building the table
   * from them and encoding it again for the write (~93 ms against ~46 ms now).
   *
   * Two passes over the rows. The first gives the column widths and each
   * row's EXPIRES cell as SQLite computes it; when one of those differs from
   * {@link localTime} (SQLite takes the offset of a year outside 1970-2037
   * from a year inside it; a C library without the zone's files; an
   * `expires` without a zone indexed under another TZ), the table is built
   * in JavaScript instead (renderListTable), so the output is the same
   * either way. The second pass aggregates the lines in the order of its
   * subquery: SQLite keeps a FROM subquery's ORDER BY when the outer query
   * uses an aggregate other than count, min or max (an ORDER BY inside
   * string_agg cost a sort, ~4 ms at 10k rows).
   */
  #listTable(filter: HandoffFilter): Buffer {
    const limit = limitOf(filter);
    if (limit === 0) return Buffer.alloc(0);
    const now = Date.now();
    const { where, params } = buildFilter(filter, now);
    const rows = (ordered: boolean) => `SELECT h.id AS i, h.list_name AS n, h.list_project AS p, h.list_tags AS t,
        h.expires AS x, ${LIST_EXPIRES_CELL} AS e, h.list_summary AS s
      FROM handoffs h ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ${ordered ? `ORDER BY h.created_ms DESC, h.mtime DESC, h.key DESC ${limit !== null ? `LIMIT ${limit}` : ''}` : ''}`;
    // The widths need an order only when a limit picks the rows (unordered, the subquery is flattened: ~0.5 ms less).
    const stats = this.#stmt(
      `SELECT count(*), max(length(i)), max(length(n)), max(length(p)), max(length(t)), max(length(e)),
         json_group_array(json_array(x, e)) FILTER (WHERE x IS NOT NULL)
       FROM (${rows(limit !== null)}) -- raw`,
    );
    stats.raw(true);
    const r = stats.get(...params) as [number, number, number, number, number, number, string];
    if (r[0] === 0) return Buffer.alloc(0);
    for (const [iso, e] of JSON.parse(r[6]) as Array<[string, string | null]>) {
      if (e !== localTime(iso)) {
        return Buffer.from(renderListTable(this.#listRaw(LIST_TABLE_COLUMNS, filter, now) as ListColumns[]));
      }
    }
    const w = r.slice(1, 6).map((n, c) => Math.max(n as number, LIST_HEADER[c]!.length));
    // Cells padded to their column's width plus two, in code points (`!`). A blank
    // summary ends the line at EXPIRES, unpadded: what trimEnd() leaves, since EXPIRES
    // (a date or `never`) never ends in a blank. The header is joined in JavaScript:
    // `? || string_agg(...)` copied the 1.5 MB text once more (~0.8 ms).
    const table = this.#stmt(
      `SELECT CAST(string_agg(
           CASE WHEN s = '' THEN printf('%-!*s  %-!*s  %-!*s  %-!*s  %s' || char(10), @w0, i, @w1, n, @w2, p, @w3, t, e)
           ELSE printf('%-!*s  %-!*s  %-!*s  %-!*s  %-!*s  %s' || char(10), @w0, i, @w1, n, @w2, p, @w3, t, @w4, e, s)
           END, '') AS BLOB)
       FROM (${rows(true)}) -- pluck`,
    );
    table.pluck(true);
    const body = table.get({ w0: w[0], w1: w[1], w2: w[2], w3: w[3], w4: w[4] }, ...params) as Buffer;
    return Buffer.concat([Buffer.from(listTableHeader(w)), body]);
  }

  /** Rows of `columns` as arrays, newest first. */
  #listRaw(columns: string, filter: HandoffFilter, now: number): unknown[][] {
    const limit = limitOf(filter);
    if (limit === 0) return [];
    const { where, params } = buildFilter(filter, now);
    const sql = `SELECT ${columns} FROM handoffs h ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY h.created_ms DESC, h.mtime DESC, h.key DESC ${limit !== null ? `LIMIT ${limit}` : ''} -- raw`;
    // Arrays instead of objects: listing 10k handoffs spent half its time building row objects (cold `list`).
    const stmt = this.#stmt(sql);
    stmt.raw(true);
    return stmt.all(...params) as unknown[][];
  }

  findById(prefix: string): HandoffSummary[] {
    return this.#guard(() => this.#findById(prefix));
  }

  #findById(prefix: string): HandoffSummary[] {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]{1,8}$/.test(p)) {
      throw new InvalidInputError(
        `invalid handoff id ${JSON.stringify(prefix)}: expected 1-8 hex characters, e.g. a3f9c12e or a3f9`,
      );
    }
    const now = Date.now();
    // GLOB with a hex-only prefix is a range scan on the id index.
    const rows = this.#stmt(
      `SELECT ${SUMMARY_COLUMNS} FROM handoffs h WHERE h.id GLOB ? ORDER BY h.created_ms DESC, h.mtime DESC, h.key DESC`,
    ).all(`${p}*`) as SummaryRow[];
    return rows.map((r) => toSummary(r, now));
  }

  search(query: string, filter: HandoffFilter & { section?: string } = {}): SearchHit[] {
    return this.#guard(() => this.#search(query, filter));
  }

  #search(query: string, filter: HandoffFilter & { section?: string }): SearchHit[] {
    const limit = limitOf(filter);
    const section = filter.section === undefined ? null : canonicalSectionName(filter.section);
    const terms = queryTerms(query);
    if (terms.length === 0 || limit === 0) return [];
    const ftsTerms = terms.filter((t) => !CJK.test(t));
    const cjkTerms = terms.filter((t) => CJK.test(t)).map((t) => t.toLowerCase());
    // Each term a quoted phrase (`"off-ind"`): the user's words, never FTS5 syntax.
    let match = ftsTerms.length ? ftsTerms.map((t) => `"${t}"`).join(' AND ') : null;
    if (match !== null && section !== null) match = `${section} : (${match})`;
    const now = Date.now();
    const { where, params } = buildFilter(filter, now);
    if (cjkTerms.length > 0) {
      const hits = this.#searchSubstring(cjkTerms, match, section, where, params, now);
      return limit === null ? hits : hits.slice(0, limit);
    }
    // Several words: documents holding them as one exact phrase rank first (issue 2: a distinctive
    // phrase from a document finds that document first), then BM25 over all the words.
    let phrase = ftsTerms.length > 1 ? `"${ftsTerms.join(' ')}"` : null;
    if (phrase !== null && section !== null) phrase = `${section} : ${phrase}`;
    return this.#searchFts(match!, phrase, section, where, params, now, limit);
  }

  /**
   * Ranks in one query (bm25, the exact phrase first), then builds snippets
   * and finds each hit's best section only for the hits returned: snippet()
   * and highlight() tokenize a hit's text again, which for a word in 1% of
   * a 100k store meant 1,000 snippets for 20 lines of output.
   */
  #searchFts(
    match: string,
    phrase: string | null,
    section: string | null,
    where: string[],
    params: unknown[],
    now: number,
    limit: number | null,
  ): SearchHit[] {
    const ranked =
      limit === null ? this.#rankAll(match, phrase, where, params) : this.#rankTop(match, phrase, where, params, limit);
    if (ranked.length === 0) return [];

    const snippetColumn = section === null ? -1 : FTS_COLUMNS.indexOf(section as (typeof FTS_COLUMNS)[number]);
    // highlight() marks every matched phrase of a column; \u0001 cannot occur in the text's tokens.
    const highlights =
      section === null
        ? CANONICAL_SECTIONS.map((_, i) => `, highlight(fts, ${FIRST_SECTION_COLUMN + i}, char(1), '') AS c${i}`).join(
            '',
          )
        : '';
    const rows = this.#stmt(
      `SELECT ${SUMMARY_COLUMNS}, h.rid AS rid, snippet(fts, ${snippetColumn}, '[', ']', '…', 12) AS snippet${highlights}
       FROM fts JOIN handoffs h ON h.rid = fts.rowid
       WHERE fts MATCH ? AND fts.rowid IN (SELECT value FROM json_each(?))`,
    ).all(match, JSON.stringify(ranked.map((r) => r[0]))) as Array<
      SummaryRow & { rid: number; snippet: string } & Record<string, string | null>
    >;
    const byRid = new Map(rows.map((r) => [r.rid, r]));
    const hits: SearchHit[] = [];
    for (const [rid, score] of ranked) {
      const r = byRid.get(rid);
      if (!r) continue;
      hits.push({
        ...toSummary(r, now),
        score,
        snippet: tidySnippet(r.snippet),
        section: section ?? bestSection(r),
      });
    }
    return hits;
  }

  /** Every hit in rank order: [rid, score]. */
  #rankAll(match: string, phrase: string | null, where: string[], params: unknown[]): Array<[number, number]> {
    const stmt = this.#stmt(`SELECT h.rid, bm25(fts, ${BM25_WEIGHTS}) AS score
      FROM fts JOIN handoffs h ON h.rid = fts.rowid
      WHERE fts MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}
      ORDER BY ${phrase !== null ? 'h.rid IN (SELECT rowid FROM fts WHERE fts MATCH ?) DESC, ' : ''}score,
        h.created_ms DESC, h.mtime DESC, h.key DESC -- raw`);
    stmt.raw(true);
    return stmt.all(match, ...params, ...(phrase !== null ? [phrase] : [])) as Array<[number, number]>;
  }

  /**
   * The first `limit` hits in the order of {@link #rankAll}, reading
   * `handoffs` rows only for the best-scored candidates: the score comes
   * from the FTS tables alone, so candidates are taken in (phrase first,
   * score) order and looked up in growing batches until `limit` pass the
   * filters and the next candidate scores worse than the last one kept (rows
   * that tie on score are then ordered by date, mtime and key, as SQL
   * would). A word in 1% of a 100k store read 1,000 scattered rows of
   * `handoffs` for 20 hits (~8 ms of a cold search); now ~20-30.
   */
  #rankTop(
    match: string,
    phrase: string | null,
    where: string[],
    params: unknown[],
    limit: number,
  ): Array<[number, number]> {
    const candStmt = this.#stmt(
      `SELECT rowid, ${phrase !== null ? 'rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)' : '0'} AS p,
         bm25(fts, ${BM25_WEIGHTS}) AS score
       FROM fts WHERE fts MATCH ? ORDER BY p DESC, score -- raw`,
    );
    candStmt.raw(true);
    const cands = candStmt.all(...(phrase !== null ? [phrase] : []), match) as Array<[number, number, number]>;
    const lookup = this.#stmt(
      `SELECT h.rid, h.created_ms, h.mtime, h.key FROM handoffs h
       WHERE h.rid IN (SELECT value FROM json_each(?)) ${where.map((w) => `AND ${w}`).join(' ')} -- raw`,
    );
    lookup.raw(true);
    type Kept = [rid: number, p: number, score: number, createdMs: number, mtime: number, key: string];
    const kept: Kept[] = [];
    let i = 0;
    let batch = Math.max(16, limit + 8);
    while (i < cands.length) {
      if (kept.length >= limit) {
        const edge = kept[limit - 1]!;
        const next = cands[i]!;
        if (next[1] < edge[1] || (next[1] === edge[1] && next[2] > edge[2])) break;
      }
      const slice = cands.slice(i, i + batch);
      i += slice.length;
      batch = Math.min(batch * 2, 1024);
      const rows = lookup.all(JSON.stringify(slice.map((c) => c[0])), ...params) as Array<
        [number, number, number, string]
      >;
      const found = new Map(rows.map((r) => [r[0], r]));
      for (const [rid, p, score] of slice) {
        const r = found.get(rid);
        if (r) kept.push([rid, p, score, r[1], r[2], r[3]]);
      }
    }
    kept.sort((a, b) => b[1] - a[1] || a[2] - b[2] || b[3] - a[3] || b[4] - a[4] || compareUtf8(b[5], a[5]));
    return kept.slice(0, limit).map((k) => [k[0], k[2]]);
  }

  /**
   * Terms in scripts written without spaces (CJK) are one token per run of
   * characters to unicode61, so they are matched as substrings of the
   * handoffs that contain such text; other terms of the same query still go
   * through FTS. Score: weighted occurrence count, negated (lower is better,
   * like bm25).
   */
  #searchSubstring(
    terms: string[],
    match: string | null,
    section: string | null,
    where: string[],
    params: unknown[],
    now: number,
  ): SearchHit[] {
    const hay = `lower(${FTS_COLUMNS.map((c) => `coalesce(f.${c}, '')`).join(' || char(10) || ')})`;
    const conditions = ['h.has_cjk = 1', ...where, ...terms.map(() => `instr(${hay}, ?) > 0`)];
    if (match) conditions.push('h.rid IN (SELECT rowid FROM fts WHERE fts MATCH ?)');
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM handoffs h JOIN fts f ON f.rowid = h.rid WHERE ${conditions.join(' AND ')}`;
    const rows = this.#stmt(sql).all(...params, ...terms, ...(match ? [match] : [])) as SummaryRow[];
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const stored = this.#stored(r.key);
      if (!stored) continue;
      const sections = stored.sections.filter((s) => s.canonical !== null);
      let text = stored.sections.map((s) => s.raw).join('');
      let sectionName: string | null = null;
      if (section !== null) {
        // Every term must occur in that one section (as FTS does with a column filter).
        const own = sections.filter((s) => s.canonical === section).map((s) => s.text);
        text = own.join('\n\n');
        const lower = text.toLowerCase();
        if (own.length === 0 || !terms.every((t) => lower.includes(t))) continue;
        sectionName = section;
      } else {
        let bestCount = 0;
        for (const s of sections) {
          const n = countAll(s.text, terms);
          if (n > bestCount) {
            bestCount = n;
            sectionName = s.canonical;
          }
        }
      }
      const score = -(
        10 * countAll(r.name, terms) +
        5 * countAll(r.summary, terms) +
        3 * countAll(r.tags, terms) +
        countAll(text, terms)
      );
      hits.push({
        ...toSummary(r, now),
        score,
        snippet: substringSnippet(text, terms) ?? substringSnippet(r.summary ?? r.name ?? '', terms) ?? '',
        section: sectionName,
      });
    }
    return hits.sort((a, b) => a.score - b.score || b.created.localeCompare(a.created));
  }

  /**
   * A handoff's stored text: front matter, the file when stored whole, and
   * its sections rebuilt from the FTS columns (where the text is kept once).
   */
  #stored(key: string): {
    frontMatter: string;
    content: string | null;
    sections: Array<IndexedSection & { raw: string }>;
  } | null {
    const row = this.#stmt('SELECT rid, front_matter, content, sections FROM handoffs WHERE key = ?').get(key) as
      | { rid: number; front_matter: string; content: string | null; sections: string }
      | undefined;
    if (!row) return null;
    const columns = this.#stmt(`SELECT ${FTS_COLUMNS.join(', ')} FROM fts WHERE rowid = CAST(? AS INTEGER)`)
      .raw()
      .get(row.rid) as Array<string | null> | undefined;
    const rows = unpackSections(row.sections);
    const texts = sectionTexts(rows, columns ?? []);
    return {
      frontMatter: row.front_matter,
      content: row.content,
      sections: rows.map((s, i) => ({
        heading: s.heading,
        canonical: s.canonical,
        text: texts[i]!.text,
        tokens: s.tokens,
        raw: texts[i]!.raw,
      })),
    };
  }

  sections(key: string): IndexedSection[] {
    return this.#guard(
      () =>
        this.#stored(key)?.sections.map((s) => ({
          heading: s.heading,
          canonical: s.canonical,
          text: s.text,
          tokens: s.tokens,
        })) ?? [],
    );
  }

  setSectionTokens(key: string, tokens: number[]): void {
    this.#guard(() => {
      this.#db.transaction(() => {
        const json = this.#stmt('SELECT sections FROM handoffs WHERE key = ?').pluck().get(key) as string | undefined;
        if (json === undefined) return;
        const sections = unpackSections(json);
        tokens.forEach((n, ord) => {
          const s = sections[ord];
          if (s) s.tokens = n;
        });
        this.#stmt('UPDATE handoffs SET sections = ? WHERE key = ?').run(packSections(sections), key);
      })();
    });
  }

  content(key: string): string | null {
    return this.#guard(() => {
      const stored = this.#stored(key);
      if (!stored) return null;
      return stored.content ?? stored.frontMatter + stored.sections.map((s) => s.raw).join('');
    });
  }

  hasFrontMatter(key: string): boolean | null {
    return this.#guard(() => {
      const row = this.#stmt('SELECT has_front_matter AS f FROM handoffs WHERE key = ?').get(key) as
        | { f: number }
        | undefined;
      return row ? row.f === 1 : null;
    });
  }

  count(): number {
    return this.#guard(() => (this.#stmt('SELECT count(*) AS n FROM handoffs').get() as { n: number }).n);
  }

  /**
   * Indexes a file this process just wrote, so the next command sees it
   * without a sync. The stored store-version token is left alone: the
   * directory's new mtime cannot be told apart from a concurrent writer's
   * change in the same clock tick, so the next sync diffs the key list once
   * (one readdir) and finds this key already indexed.
   */
  noteWritten(entry: StoreEntry, text: string, parsed: ParsedHandoff): void {
    const id = validId(parsed.data.id) ?? derivedId(entry.key);
    const created = validDate(parsed.data.created) ?? isoFromMs(entry.mtimeMs);
    const row = buildRow(entry, text, parsed, parsed.data, id, created);
    this.#guard(() =>
      this.#db
        .transaction(() => {
          const { id: previousId, existed } = this.#deleteKey(entry.key);
          this.#insertDoc(row);
          const [listed, digest] = this.#metaPair();
          if (!existed && digest) this.#setMeta('keys_digest', updateSetDigest(digest, entry.key, 1));
          if (this.#duplicatesTouched(listed, previousId ? [id, previousId] : [id], [])) {
            this.#refreshDuplicates();
          }
        })
        .immediate(),
    );
  }

  noteRemoved(key: string): void {
    this.#guard(() =>
      this.#db
        .transaction(() => {
          const { id, existed } = this.#deleteKey(key);
          const [listed, digest] = this.#metaPair();
          if (existed && digest) this.#setMeta('keys_digest', updateSetDigest(digest, key, -1));
          if (id !== null && this.#duplicatesTouched(listed, [], [id])) this.#refreshDuplicates();
        })
        .immediate(),
    );
  }

  close(): void {
    if (this.#db.open) this.#db.close();
    this.#statements.clear();
  }
}

/** The parser and the validator load only when a sync has files to read (validate.ts defers zod itself). */
async function loadParsers(): Promise<RowParsers> {
  const [{ parseHandoff }, { validateFrontMatter }] = await Promise.all([
    import('../format/parse.js'),
    import('../format/validate.js'),
  ]);
  return { parseHandoff, validateFrontMatter };
}

/**
 * The built worker script, next to this module or one directory up (this
 * code may sit in `dist/` or `dist/chunks/`); null when running from the
 * TypeScript sources.
 */
function findParseWorker(): string | null {
  for (const rel of ['parse-worker.js', '../parse-worker.js']) {
    const path = join(import.meta.dirname, rel);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Up to this many written ids, duplicates are checked id by id; beyond, regrouped. */
const DUPLICATE_CHECK_LIMIT = 2000;

/** Files per message to a parse worker: small, so little is held in memory at once (50 measured as fast as 100). */
const PARSE_CHUNK = 50;

/**
 * Chunks queued per worker: enough that this thread does not wait when a
 * worker pauses (GC, a busy core). Rows waiting here outlive young-generation
 * collections and pile up in the old generation until a full GC: 4 chunks
 * peaked at 183-198 MB RSS rebuilding 100k, 2 at 178-180 MB, equally fast.
 */
const CHUNKS_IN_FLIGHT = 2;

/** Up to this many files, this thread also prepares files while the workers start (see #preparedByPool). */
const LOCAL_HEAD_MAX_FILES = 5000;

/** A small pool of parse workers; `request` hands a chunk to the least busy one. */
class ParsePool {
  readonly #workers: Worker[];
  readonly #busy: number[];
  readonly #waiting = new Map<number, { resolve: (r: ParseResponse) => void; reject: (e: unknown) => void }>();
  /** Buffers of answers whose rows are written, handed back with the next request. */
  readonly #recycled: ArrayBuffer[] = [];
  #nextId = 0;
  #failure: unknown = null;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    this.#busy = workers.map(() => 0);
    workers.forEach((w, i) => {
      w.on('message', (m: ParseResponse) => {
        this.#busy[i]!--;
        const waiter = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        waiter?.resolve(m);
      });
      const fail = (e: unknown) => {
        this.#failure ??= e;
        for (const waiter of this.#waiting.values()) waiter.reject(e);
        this.#waiting.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`parse worker exited with code ${code}`));
      });
    });
  }

  /** A pool of `size` workers, or null when the built worker script is not there or threads cannot start. */
  static async start(size: number): Promise<ParsePool | null> {
    const script = findParseWorker();
    if (!script) return null;
    try {
      const { Worker } = await import('node:worker_threads');
      const workers = Array.from(
        { length: size },
        () =>
          new Worker(script, {
            workerData: { handoffParseWorker: true },
            // Keeps a rebuild of a very large store within its memory budget.
            resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
          }),
      );
      return new ParsePool(workers);
    } catch {
      return null;
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Sends one request (without its id) to the least busy worker. */
  request(body: { items: PrepareInput[] } | { dir: string; keys: string[] }): Promise<ParseResponse> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#nextId;
    if (('items' in body ? body.items : body.keys).length === 0)
      return Promise.resolve({ id, results: [], buffer: null });
    const i = this.#busy.indexOf(Math.min(...this.#busy));
    this.#busy[i]!++;
    const recycled = this.#recycled.splice(0);
    return new Promise<ParseResponse>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#workers[i]!.postMessage({ id, ...body, recycled } satisfies ParseRequest, recycled);
    });
  }

  /**
   * Hands an answer's buffer back for reuse once its rows are written (the
   * rows' views into it are detached then). Keeps the texts of a rebuild in
   * a few reused buffers instead of one new buffer per chunk that only a
   * garbage collection would free.
   */
  recycle(buffer: ArrayBuffer | null): void {
    // A detached buffer (byteLength 0) was handed over already.
    if (buffer && buffer.byteLength > 0) this.#recycled.push(buffer);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** A file to (re)index: its entry from a listing, or only its key (stat'ed when read). */
type Pending = StoreEntry | string;

function keyOf(p: Pending): string {
  return typeof p === 'string' ? p : p.key;
}

function failureOf(entry: StoreEntry, e: unknown): Failure {
  return { key: entry.key, mtime: entry.mtimeMs, size: entry.size, message: (e as Error | null)?.message ?? String(e) };
}

function limitOf(filter: HandoffFilter): number | null {
  if (filter.limit === undefined) return null;
  if (!Number.isFinite(filter.limit)) throw new InvalidInputError(`invalid limit ${filter.limit}: expected a number`);
  return Math.max(0, Math.floor(filter.limit));
}

function buildFilter(filter: HandoffFilter, now: number): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.all) {
    where.push('(h.expires_ms IS NULL OR h.expires_ms >= ?)');
    params.push(now);
  }
  if (filter.since !== undefined) {
    const ms = Date.parse(filter.since);
    if (Number.isNaN(ms)) {
      throw new InvalidInputError(
        `invalid since ${JSON.stringify(filter.since)}: expected an ISO 8601 date such as 2026-11-21 or 2026-11-21T14:30:00Z`,
      );
    }
    where.push('h.created_ms >= ?');
    params.push(ms);
  }
  if (filter.project !== undefined) {
    where.push('h.project = ?');
    params.push(filter.project);
  }
  if (filter.name !== undefined) {
    where.push('h.name = ?');
    params.push(filter.name);
  }
  if (filter.branch !== undefined) {
    where.push('h.branch = ?');
    params.push(filter.branch);
  }
  if (filter.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM json_each(h.tags) WHERE json_each.value = ?)');
    params.push(filter.tag);
  }
  if (filter.includeAuto === false) where.push('h.auto = 0');
  return { where, params };
}

/** A row of {@link SUMMARY_COLUMNS} read with `.raw()`, in that order. */
type RawSummaryRow = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
];

function rawToSummary(r: RawSummaryRow, now: number): HandoffSummary {
  return {
    id: r[1],
    name: r[2],
    project: r[3],
    summary: r[4],
    tags: r[5] === '[]' ? [] : (JSON.parse(r[5]) as string[]),
    created: r[6],
    expires: r[7],
    work_type: r[9],
    agent: r[10],
    branch: r[11],
    commit: r[12],
    parent: r[13],
    auto: r[14] === 1,
    expired: r[8] !== null && r[8] < now,
    path: r[0],
  };
}

/** {@link rawToSummary} for a row read as an object (search, id lookups: a few rows). */
function toSummary(r: SummaryRow, now: number): HandoffSummary {
  return rawToSummary(
    [
      r.key,
      r.id,
      r.name,
      r.project,
      r.summary,
      r.tags,
      r.created,
      r.expires,
      r.expires_ms,
      r.work_type,
      r.agent,
      r.branch,
      r.git_commit,
      r.parent,
      r.auto,
    ],
    now,
  );
}

/**
 * The words of a user's query, never FTS5 syntax: split on whitespace,
 * double quotes dropped (each term is quoted as a phrase later), terms
 * without a letter or digit dropped.
 * @example queryTerms('off-ind "NEAR" *') // ['off-ind', 'NEAR']
 */
export function queryTerms(query: string): string[] {
  return query
    .split(/\s+/u)
    .map((t) => t.replace(/"/g, ''))
    .filter((t) => /[\p{L}\p{N}_]/u.test(t));
}

/**
 * Accepts `decisions`, `next-steps`, `Next Steps` for `next_steps`.
 * @throws InvalidInputError for anything that is not a canonical section.
 */
function canonicalSectionName(section: string): string {
  const name = section
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((CANONICAL_SECTIONS as readonly string[]).includes(name)) return name;
  throw new InvalidInputError(
    `unknown section ${JSON.stringify(section)}: expected one of ${CANONICAL_SECTIONS.join(', ')}`,
  );
}

/**
 * The canonical section with the most matches in one hit (null when they are
 * all elsewhere), from the `c<i>` highlight() columns of {@link SqliteIndex} search.
 */
function bestSection(row: Record<string, unknown>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  CANONICAL_SECTIONS.forEach((name, i) => {
    const text = row[`c${i}`];
    if (typeof text !== 'string') return;
    let n = 0;
    for (let j = text.indexOf('\u0001'); j !== -1; j = text.indexOf('\u0001', j + 1)) n++;
    if (n > bestCount) {
      best = name;
      bestCount = n;
    }
  });
  return best;
}

/** SQLite's BINARY collation (UTF-8 byte order), which differs from JS order past the BMP. */
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII check
  if (/^[\u0000-\u007f]*$/.test(a + b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function tidySnippet(s: string | null): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

function countAll(text: string | null, terms: string[]): number {
  if (!text) return 0;
  const hay = text.toLowerCase();
  let n = 0;
  for (const t of terms) {
    for (let i = hay.indexOf(t); i !== -1; i = hay.indexOf(t, i + t.length)) n++;
  }
  return n;
}

/** A one-line excerpt around the first match with `[term]` markers and `…` where text was cut. */
function substringSnippet(text: string, terms: string[]): string | null {
  const lower = text.toLowerCase();
  // Offsets found in the lowercased text are valid in the original only when lowercasing kept every length.
  const hay = lower.length === text.length ? lower : text;
  let first = -1;
  for (const t of terms) {
    const i = hay.indexOf(t);
    if (i !== -1 && (first === -1 || i < first)) first = i;
  }
  if (first === -1) return null;
  const from = Math.max(0, first - 30);
  const to = Math.min(text.length, first + 60);
  let out = '';
  let i = from;
  while (i < to) {
    const t = terms.find((term) => hay.startsWith(term, i));
    if (t) {
      out += `[${text.slice(i, i + t.length)}]`;
      i += t.length;
    } else {
      out += text[i];
      i++;
    }
  }
  return tidySnippet(`${from > 0 ? '…' : ''}${out}${to < text.length ? '…' : ''}`);
}
