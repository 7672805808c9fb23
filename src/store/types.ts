/**
 * The storage contracts. A store is a directory of handoff files (or
 * anything that behaves like one); the index is a rebuildable cache over a
 * store. Kept small, like unstorage's Driver, so that a PostgreSQL store can
 * be added later and pass the same shared test suite
 * (test/store/shared-suite.ts).
 */
import type { HandoffSummary, SearchHit } from '../format/schema.js';
import type { ParsedHandoff } from '../format/types.js';

/** A handoff file as the index sees it. `key` is the path relative to the store root, `/`-separated. */
export interface StoreEntry {
  key: string;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
  /** Size in bytes. */
  size: number;
}

/** Where a store lives and why it was chosen. */
export type StoreKind = 'repo' | 'user' | 'memory';

/**
 * A store of handoff documents. Keys are relative paths such as
 * `20261121-1430-todo-api-state.md`. Files that are not handoffs (dot-files,
 * README.md, non-markdown/YAML files) are never listed.
 */
export interface HandoffStore {
  readonly kind: StoreKind;
  /** Absolute directory for file stores, `memory:<n>` for the in-memory store. Names the index. */
  readonly location: string;
  /**
   * Cheap change token: the directory's mtime for file stores. It changes
   * when a file is added, removed or renamed (not on in-place edits).
   * Returns null when the store does not exist yet.
   */
  version(): Promise<string | null>;
  /** Every handoff entry with its stat data. Cost grows with the store's size. */
  list(): Promise<StoreEntry[]>;
  /** Every handoff key, without stat calls (cheaper than `list`). */
  keys(): Promise<string[]>;
  /**
   * Optional, cheaper still: every name that looks like a handoff key, which
   * may include entries that are not files (a directory named `x.md`); such
   * an entry fails to read and is then treated as gone. The index lists with
   * it when the directory changed (src/store/index-db.ts, sync).
   */
  names?(): Promise<string[]>;
  /** Stat one key; null when it does not exist. */
  stat(key: string): Promise<StoreEntry | null>;
  /**
   * Read one handoff as text.
   * @throws NotFoundError when the key does not exist; StoreError on I/O failure.
   */
  read(key: string): Promise<string>;
  /**
   * Write a new handoff atomically without ever replacing an existing file:
   * claims `preferredKey`, or `<stem>-<suffix>.<ext>` when that is taken.
   * A crash leaves no partial file visible.
   * @throws StoreError when the directory is read-only or the disk is full, or both names are taken.
   */
  create(preferredKey: string, content: string, suffix: string): Promise<StoreEntry>;
  /** Delete one handoff. @throws NotFoundError when absent. */
  remove(key: string): Promise<void>;
  /**
   * Date each key was first committed to git (ISO 8601 UTC), for files
   * without front matter. Optional: stores outside git return an empty map.
   */
  firstCommitDates?(keys: string[]): Promise<Map<string, string>>;
}

/** Filters shared by `list`, `search` and `decisions`. All optional; absent = no filter. */
export interface HandoffFilter {
  project?: string;
  tag?: string;
  name?: string;
  /** ISO 8601; only handoffs created at or after it. */
  since?: string;
  /** Include expired handoffs. */
  all?: boolean;
  /** Include automatic checkpoints (`auto: true`). Default true for list. */
  includeAuto?: boolean;
  branch?: string;
  /** Cap on rows; absent = no cap. */
  limit?: number;
}

/**
 * One row of the `list` table: id, name, project, tags (the index's JSON
 * array text, e.g. `["a","b"]`), expires (ISO 8601 or null), summary.
 */
export type ListColumns = [
  id: string,
  name: string | null,
  project: string | null,
  tags: string,
  expires: string | null,
  summary: string | null,
];

/** What one sync did. */
export interface SyncReport {
  added: number;
  updated: number;
  removed: number;
  /** True when the whole store was stat-scanned (dir changed, minute elapsed, `--rescan`, or rebuild). */
  scanned: boolean;
  /** Files that could not be indexed (broken front matter, unreadable). Every other handoff is still served. */
  errors: Array<{ path: string; message: string }>;
  /** Ids that appear in more than one file: `{id, paths}`. */
  duplicates: Array<{ id: string; paths: string[] }>;
}

/** One indexed section, for `decisions`, `resume` and `check` without re-parsing. */
export interface IndexedSection {
  heading: string;
  canonical: string | null;
  text: string;
  /** Token count (o200k), null until first computed; cached in the index. */
  tokens: number | null;
}

/**
 * The index: a cache over one store (SQLite FTS5 via better-sqlite3 in
 * `$XDG_CACHE_HOME/handoff/`, or in memory when the cache dir is unwritable).
 * Every read method assumes `sync()` ran first in this process.
 */
export interface HandoffIndex {
  /** Brings the index up to date with the store; cheap when nothing changed. */
  sync(options?: { rescan?: boolean; onProgress?: (done: number, total: number) => void }): Promise<SyncReport>;
  /** Newest first. */
  list(filter?: HandoffFilter): HandoffSummary[];
  /**
   * The `list` table (src/store/list-table.ts) of the rows `list` returns
   * for this filter, in the same order, as UTF-8 bytes: header first, every
   * line ending in `\n`; empty (length 0) when no row matches. Byte for byte
   * what `renderListTable` makes of those rows in this process's time zone.
   */
  listTable(filter?: HandoffFilter): Buffer;
  /**
   * Rows whose id starts with `prefix` (1-8 hex chars), expired included.
   * More than one row means ambiguous (or a duplicate id when the ids are equal).
   */
  findById(prefix: string): HandoffSummary[];
  /** BM25-ranked hits with snippets; the query is taken as words, never FTS5 syntax. */
  search(query: string, filter?: HandoffFilter & { section?: string }): SearchHit[];
  /** The sections of one indexed handoff, in document order. */
  sections(key: string): IndexedSection[];
  /** Caches token counts for a handoff's sections (same order as `sections`). */
  setSectionTokens(key: string, tokens: number[]): void;
  /** Full text of the file as last indexed. */
  content(key: string): string | null;
  /** Whether the file had a front matter block when last indexed (null: not indexed). */
  hasFrontMatter(key: string): boolean | null;
  /** Number of handoffs indexed, expired included. */
  count(): number;
  /** Indexes one file just written by this process, without a full sync. */
  noteWritten(entry: StoreEntry, text: string, parsed: ParsedHandoff): void;
  /** Forget one key (after `rm`/`gc`). */
  noteRemoved(key: string): void;
  /** Absolute path of the database, or null when in memory. */
  readonly path: string | null;
  close(): void;
}
